"""``mfgbase levers``: the catalogue of levers and assumptions a scenario file may set.

    mfgbase levers --lang zh          # 中文目录
    mfgbase levers --section assumptions
"""

from __future__ import annotations

import argparse


def _cmd_levers(args: argparse.Namespace) -> int:
    from model.commands.compare import format_table
    from model.scenario.catalogue import catalogue

    zh = args.lang == "zh"
    df = catalogue(args.lang)
    if args.section:
        keep = {"levers": ("lever", "杠杆"), "assumptions": ("assumption", "假设")}[args.section]
        df = df[df["section"].isin(keep)]
    df = df.drop(columns=["low", "high"])
    names = (["类别", "代码", "名称", "方式", "单位", "允许范围", "分行业", "规划任务", "说明"] if zh else
             ["section", "name", "label", "mode", "unit", "allowed range", "sectors", "plan task", "note"])
    df.columns = names
    from model.reporting.zh import fullwidth

    if zh:
        df = df.map(lambda v: fullwidth(v) if isinstance(v, str) else v)
    print(format_table(df, max_cell=200))
    print()
    print(fullwidth("情景文件写法见 model/scenario/schema.py;例:levers: {fdi: {mode: growth, values: 0.20}} 表示外资年增长20 %。")
          if zh else
          "File format: model/scenario/schema.py; e.g. levers: {fdi: {mode: growth, values: 0.20}} means FDI growth 20 %/yr.")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "levers",
        help="list every lever and assumption with unit, range, modes, plan task",
        description="The catalogue of instruments and assumptions a scenario file may set, from the registry.",
    )
    p.add_argument("--lang", default="zh", choices=("zh", "en"), help="language (default zh)")
    p.add_argument("--section", choices=("levers", "assumptions"), help="only levers or only assumptions")
    p.set_defaults(func=_cmd_levers)
