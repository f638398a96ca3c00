"""Words of the dashboard in Chinese and English: UI strings, numbers with units, one sentence per target.

Numbers are shown in display units (``model.scenario.units``: a share of 0.2 is "20 %");
sentences follow the compare report's rules (Chinese with full-width punctuation,
``model.reporting.zh.fullwidth``). Everything here is a pure function of an evaluation.
"""

from __future__ import annotations

import math
from functools import lru_cache

from model.reporting.labels import Label, pick
from model.reporting.zh import fullwidth
from model.scenario.units import unit_info, unit_label

UI: dict[str, Label] = {
    "title": Label("Planner's dashboard", "规划仪表板"),
    "subtitle": Label("Advanced Manufacturing Base, Zhejiang: move an instrument, see the 2007 scorecard, cost and "
                      "the probability of meeting each target",
                      "浙江先进制造业基地：调整政策工具，即时查看2007年目标达成、成本和达成概率"),
    "start": Label("Start scenario", "起始情景"),
    "instruments": Label("Instruments (what the province decides)", "政策工具(省里决定的)"),
    "assumptions": Label("Assumptions: external conditions", "假设:外部条件"),
    "parameters": Label("Assumptions: behaviour of firms and markets (model parameters)", "假设:企业和市场行为(模型参数)"),
    "assumptions_note": Label("States of the world, not decisions. A value you set here is held fixed in every "
                              "state of the world, so P(met) becomes conditional on it.",
                              "这些是外部状态而非决策。在此设定的数值在所有世界状态中保持不变,达成概率即以其为条件。"),
    "task": Label("Task", "任务"),
    "range": Label("range", "范围"),
    "start_value": Label("start", "起始值"),
    "start_path": Label("start varies by year or sector; mean shown — moving the slider sets one value for every "
                        "year and sector", "起始值随年份或行业变化,此处为均值;移动滑块即对各年、各行业设同一数值"),
    "projects": Label("Large projects (task 9) are kept as in the start scenario", "重大项目(任务9)保持起始情景的设定"),
    "reset": Label("Back to the start scenario", "恢复起始情景"),
    "scorecard": Label("Scorecard, 2007", "2007年目标达成情况"),
    "target": Label("Target", "目标"),
    "value_2007": Label("2007", "2007年"),
    "value_2003": Label("2003", "2003年"),
    "goal": Label("Target", "目标值"),
    "status": Label("Status", "状态"),
    "p_met": Label("P(met | policy)", "达成概率"),
    "met": Label("met", "达成"),
    "band": Label("within band", "在区间内"),
    "missed": Label("missed", "未达成"),
    "decision": Label("set by decision", "由决定设定"),
    "cost": Label("Cost of the instruments against the budget, 2004–2010", "政策工具成本与预算(2004—2010年)"),
    "cost_unit": Label("100m yuan, current prices", "亿元,现价"),
    "of_budget": Label("of the budget envelope", "占预算"),
    "over_budget": Label("Over budget in", "超出预算年份:"),
    "within_budget": Label("Within the budget in every year", "各年均在预算之内"),
    "path": Label("Path of a target", "目标指标路径"),
    "choose_target": Label("Target shown", "显示的目标"),
    "band_legend": Label("5–95 % of the states of the world", "5%—95%的世界状态"),
    "central": Label("this policy (central)", "当前政策(中值)"),
    "start_line": Label("start scenario", "起始情景"),
    "target_line": Label("target", "目标"),
    "meaning": Label("In plain words", "解读"),
    "save": Label("Save as scenario", "另存为情景"),
    "save_name": Label("File name (letters, digits, - and _)", "文件名(字母、数字、-和_)"),
    "save_button": Label("Save", "保存"),
    "compare_button": Label("Compare with the start scenario", "与起始情景比较"),
    "compare_open": Label("Open the comparison report", "打开比较报告"),
    "nothing_changed": Label("Nothing changed yet: move an instrument first.", "尚未改动:请先调整政策工具。"),
    "saved": Label("Saved and validated", "已保存并通过校验"),
    "compare_first": Label("Save the scenario first.", "请先保存情景。"),
    "states": Label("states of the world", "个世界状态"),
    "changed": Label("changed", "已改动"),
    "lang": Label("Language", "语言"),
}


def t(key: str, lang: str) -> str:
    """A UI string in ``lang`` (Chinese with full-width punctuation)."""
    return fullwidth(pick(UI[key], lang)) if lang == "zh" else pick(UI[key], lang)


def label(obj, lang: str) -> str:
    """``obj.label_zh`` (full-width punctuation) or ``obj.label_en``."""
    return fullwidth(obj.label_zh) if lang == "zh" else obj.label_en


def plain(x: float) -> str:
    """A slider number: no trailing zeros (``5``, ``0.1``, ``178.6``, ``-50``), thousands separated."""
    if x is None or not math.isfinite(x):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    digits = 1 if abs(x) >= 100 else 2 if abs(x) >= 1 else 4
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------------------- numbers
def display_scale(unit: str) -> float:
    return unit_info(unit).scale


def number(x: float, digits: int | None = None) -> str:
    """A number for people: thousands separators, few decimals."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if digits is None:
        a = abs(x)
        digits = 0 if a >= 1000 else 1 if a >= 10 else 2 if a >= 0.1 or a == 0 else 3
    s = f"{x:,.{digits}f}"
    return "0" if s in ("-0", "-0.0", "-0.00", "-0.000") else s


def with_unit(value: float, unit: str, lang: str, digits: int | None = None) -> str:
    """``0.182, "ratio"`` -> ``"18.2 %"``; counts plain; other units with their words."""
    info = unit_info(unit)
    shown = number(value * info.scale, digits)
    words = unit_label(unit, lang)
    if unit == "count" or not words:
        return shown
    sep = "" if words.startswith(("%", "/", "(", "(")) else " "
    return f"{shown}{sep}{words}" if lang == "zh" or words != "%" else f"{shown} %"


def target_value(tr, value: float, lang: str) -> str:
    """A target's value in its unit (ratios as %, counts with one decimal where fractional)."""
    if tr.unit == "count":
        return number(value, 0 if float(value).is_integer() else 1)
    if tr.unit == "ratio":
        pct = 100 * value
        return f"{number(pct, 1 if abs(pct) >= 10 else 2)} %" if lang == "en" else f"{number(pct, 1 if abs(pct) >= 10 else 2)}%"
    return with_unit(value, tr.unit, lang)


def percent(p: float | None, lang: str) -> str:
    if p is None:
        return "—"
    return f"{100 * p:.0f} %" if lang == "en" else f"{100 * p:.0f}%"


# ------------------------------------------------------------------------------- sentences
@lru_cache(maxsize=64)
def _indicator_label(indicator: str, lang: str) -> str:
    from model.indicators import INDICATORS

    info = INDICATORS.get(indicator)
    if info is None:
        return indicator
    return fullwidth(info.label_zh) if lang == "zh" else info.label_en


def status_word(tr, lang: str) -> str:
    return t(tr.status, lang)


def sentence(tr, n_states: int, lang: str, controls: dict) -> str:
    """One plain-language sentence about target ``tr`` (a TargetResult).

    "FDI share of manufacturing investment reaches 19.0 % in 2007, below the 20 % target but
    within its ±10 % band; it is met in 42 % of 1,000 states of the world; investment promotion
    matters most."
    """
    zh = lang == "zh"
    what = _indicator_label(tr.indicator, lang)
    val, goal = target_value(tr, tr.value, lang), target_value(tr, tr.target, lang)
    lever = controls.get(tr.matters_most) if tr.matters_most else None
    lever_name = label(lever, lang) if lever else None
    ge = tr.comparator == ">="
    if tr.status == "decision":
        if zh:
            s = f"{what}2007年为{val}(目标{goal}):由决定设定,不是模型推算的结果,不计入达成概率"
            s += f";对应的政策工具是“{lever_name}”。" if lever_name else "。"
        else:
            s = (f"{what} is {val} in 2007 (target {goal}): set by decision, not modelled, and left out of "
                 f"P(met)" + (f"; the instrument that sets it is {lever_name}." if lever_name else "."))
        return fullwidth(s) if zh else s
    band = f"±{100 * tr.tolerance:.0f}%" if zh else f"±{100 * tr.tolerance:.0f} %"
    if zh:
        if tr.met:
            rel = f"达到{goal}的目标" if ge else f"不高于{goal}的目标"
        elif tr.within_band:
            rel = f"{'低于' if ge else '高于'}{goal}的目标,但在{band}区间内"
        else:
            rel = f"{'低于' if ge else '高于'}{goal}的目标"
        s = f"{what}2007年为{val},{rel};在{n_states:,}个世界状态中有{percent(tr.p_met, lang)}达成"
        s += f";影响最大的政策工具是“{lever_name}”。" if lever_name else ";现有政策工具都不改变它。"
        return fullwidth(s)
    if tr.met:
        rel = f"meeting the {goal} target" if ge else f"at or below the {goal} target"
    elif tr.within_band:
        rel = f"{'below' if ge else 'above'} the {goal} target but within its {band} band"
    else:
        rel = f"{'below' if ge else 'above'} the {goal} target"
    s = f"{what} is {val} in 2007, {rel}; it is met in {percent(tr.p_met, lang)} of {n_states:,} states of the world"
    s += f"; {lever_name} matters most." if lever_name else "; no instrument moves it."
    return s
