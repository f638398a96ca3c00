"""Bilingual ``--help``: Chinese beside the English of every command and option, an example per command.

The command modules keep their English help where they define their arguments; this table adds
the Chinese and the examples in one place, so ``mfgbase --help`` and ``mfgbase <command> --help``
read the same way everywhere. ``tests/test_cli_help.py`` checks every command and option has both.
"""

from __future__ import annotations

import argparse

from model.reporting.zh import fullwidth

#: command -> (Chinese summary, examples)
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "run": ("运行一个情景,输出记分卡(含Excel)、预测、图表和来源清单",
            ("mfgbase run scenarios/plan-2004.yaml", "mfgbase run scenarios/rd-led.yaml --format iamc")),
    "validate": ("检查情景文件(不运行模型)",
                 ("mfgbase validate scenarios/*.yaml",)),
    "compare": ("比较多个情景(第一个为参照):目标达成、达标概率、杠杆差异、图表、中英文报告",
                ("mfgbase compare scenarios/baseline.yaml scenarios/plan-2004.yaml scenarios/green-first.yaml",
                 "mfgbase compare scenarios/baseline.yaml scenarios/rd-led.yaml --lang en --pdf")),
    "diff": ("两个情景(展开 extends 后)的杠杆与假设逐字段差异,带单位",
             ("mfgbase diff scenarios/plan-2004.yaml scenarios/rd-led.yaml",)),
    "levers": ("列出全部政策杠杆与假设:单位、范围、方式、规划任务、说明",
               ("mfgbase levers --lang zh", "mfgbase levers --section assumptions --lang en")),
    "sensitivity": ("情景的全局敏感性与不确定性分析(Sobol、Morris等)",
                    ("mfgbase sensitivity scenarios/plan-2004.yaml --method sobol --samples 1024",
                     "mfgbase sensitivity scenarios/plan-2004.yaml --method morris --samples 64 --workers 2")),
    "search": ("寻找以概率α达成全部目标的最低成本政策组合,以及成本—达标概率前沿、复核与情景发现",
               ("mfgbase search scenarios/plan-2004.yaml --alpha 0.8 --samples 1000 --seed 0",
                "mfgbase search scenarios/plan-2004.yaml --alpha 0.6 --lock power_capacity=0.25 --budget 600")),
    "calibrate": ("用1995—2003年统计数据拟合动态参数,回测并写出报告",
                  ("mfgbase calibrate", "mfgbase calibrate --check")),
    "dashboard": ("在本机(127.0.0.1)打开规划仪表板:调整政策工具,即时查看目标达成、达成概率、成本与预算,另存为情景并比较",
                  ("mfgbase dashboard", "mfgbase dashboard scenarios/rd-led.yaml --lang en --port 5007")),
}

#: option dest -> Chinese help
OPTIONS: dict[str, str] = {
    "scenario": "情景YAML文件,例如 scenarios/plan-2004.yaml",
    "files": "情景YAML文件",
    "out": "输出文件夹",
    "format": "iamc:另写 projection_iamc.csv(IAMC/pyam格式)",
    "lang": "语言:zh 中文,en 英文",
    "pdf": "同时用Chromium打印A4 PDF报告",
    "a": "情景文件A",
    "b": "情景文件B",
    "section": "只列杠杆或只列假设",
    "method": "方法",
    "samples": "基础样本量N",
    "seed": "随机种子",
    "workers": "本地并行进程数",
    "scheduler": "dask调度器地址",
    "until_ci": "加倍N直到置信区间足够窄",
    "max_samples": "--until-ci 时N的上限",
    "per_year": "同时计算2004—2010年每年的指数",
    "no_figures": "只写表格和摘要,不画图",
    "quiet": "不显示进度条",
    "calibration_dir": "校准数据文件夹",
    "params_out": "parameters.yaml 的输出位置",
    "priors_out": "要改写 calibrated 块的 priors.yaml",
    "report_dir": "报告文件夹",
    "no_report": "不写报告和图",
    "check": "只检查不写入;与重新拟合不一致时退出码为1",
    "help": "显示帮助",
    "strict_budget": "任何一年政策成本超出预算即拒绝(退出码2,不写入)",
    "draws": "计算达标概率时抽取的世界状态数(0为跳过)",
    "port": "127.0.0.1 上的端口(默认5006)",
    "states": "计算达成概率的世界状态数(默认1000,同 mfgbase run)",
    "save_dir": "另存情景的文件夹(默认为起始情景所在文件夹)",
    "reports_dir": "比较报告的文件夹(默认 results/)",
    "show": "在默认浏览器中打开页面",
    "alpha": "要求的全部评分目标同时达成概率(0与1之间)",
    "budget": "2004—2010年预期成本上限(亿元,现价)",
    "lock": "把某项政策工具固定在某一水平(可重复)",
    "require": "另要求某项目标的达成概率不低于P(可重复)",
    "targets": "只对这些目标计算全部达成概率",
    "search_states": "搜索所用的世界状态数",
    "recheck_samples": "复核所用的新世界状态数",
    "population": "前沿搜索每代的组合数",
    "generations": "前沿搜索的最多代数",
    "per_target": "把各目标达成概率也作为前沿的目标",
    "prim_samples": "情景发现(PRIM)抽取的组合×状态数(0为跳过)",
}

EPILOG_HEAD = "examples / 示例:"


def _zh(text: str) -> str:
    return fullwidth(text)


def make_bilingual(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add Chinese to the help of ``parser`` and each sub-command, and an example per command."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = (f"{parser.description}\n{_zh('浙江省先进制造业基地情景模型:对2004年规划目标进行情景模拟与评价。')}")
    lines = [EPILOG_HEAD]
    for _, ex in COMMANDS.values():
        lines.append(f"  {ex[0]}")
    lines.append(_zh("  mfgbase <命令> --help    每个命令的说明和示例 / help and examples of a command"))
    parser.epilog = "\n".join(lines)
    _options(parser)
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for choice in action._choices_actions:  # the one-line help in `mfgbase --help`
            zh = COMMANDS.get(choice.dest, ("", ()))[0]
            if zh and zh not in (choice.help or ""):
                choice.help = f"{choice.help} / {_zh(zh)}"
        for cmd, sub in action.choices.items():
            zh, examples = COMMANDS.get(cmd, ("", ()))
            sub.formatter_class = argparse.RawDescriptionHelpFormatter
            desc = sub.description or (action._name_parser_map[cmd].description) or ""
            if not desc:
                desc = next((c.help.split(" / ")[0] for c in action._choices_actions if c.dest == cmd), "")
            if zh and zh not in desc:
                desc = f"{desc}\n{_zh(zh)}"
            sub.description = desc
            if examples:
                sub.epilog = "\n".join([EPILOG_HEAD, *(f"  {e}" for e in examples)])
            _options(sub)
    return parser


def _options(parser: argparse.ArgumentParser) -> None:
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction) or a.help in (None, argparse.SUPPRESS):
            continue
        zh = OPTIONS.get(a.dest)
        if zh and zh not in a.help:
            a.help = f"{a.help} / {_zh(zh)}"
