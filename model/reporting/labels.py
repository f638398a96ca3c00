"""Bilingual (Chinese / English) labels for reports and charts.

Planners read Chinese first: ``both()`` puts Chinese first, English in brackets.
The table of common UI strings is data (``UI``), looked up with ``ui()`` / ``t()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LANGS", "UI", "Label", "Lang", "both", "pick", "t", "ui"]

Lang = Literal["en", "zh"]
LANGS: tuple[str, ...] = ("en", "zh")


@dataclass(frozen=True, slots=True)
class Label:
    """A label in English and Chinese."""

    en: str
    zh: str

    def __str__(self) -> str:  # Chinese-first readers
        return both(self)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def pick(label: Label | str, lang: str) -> str:
    """The label text in ``lang`` ('en' or 'zh'); plain strings pass through unchanged."""
    _check_lang(lang)
    if isinstance(label, str):
        return label
    return label.zh if lang == "zh" else label.en


def both(label: Label | str, sep: str = " ") -> str:
    """"中文 (English)"; just one of them when both are equal or one is empty."""
    if isinstance(label, str):
        return label
    if not label.en or label.en == label.zh:
        return label.zh or label.en
    if not label.zh:
        return label.en
    return f"{label.zh}{sep}({label.en})"


# Common UI strings used by reports. Keys are stable identifiers; keep this table as data.
UI: dict[str, Label] = {
    "scenario": Label("Scenario", "情景"),
    "scenarios": Label("Scenarios", "情景"),
    "reference": Label("Reference", "参照情景"),
    "plan": Label("Plan scenario", "规划情景"),
    "target": Label("Target", "目标"),
    "targets": Label("Targets", "目标"),
    "indicator": Label("Indicator", "指标"),
    "value": Label("Value", "数值"),
    "unit": Label("Unit", "单位"),
    "year": Label("Year", "年份"),
    "sector": Label("Sector", "行业"),
    "region": Label("Region", "地区"),
    "met": Label("Met", "达成"),
    "missed": Label("Missed", "未达成"),
    "status": Label("Status", "状态"),
    "year_met": Label("Year met", "达成年份"),
    "not_by_2010": Label("not by 2010", "2010年前未达成"),
    "base_year": Label("Base year", "基年"),
    "target_year": Label("Target year", "目标年份"),
    "difference": Label("Difference", "差值"),
    "change_vs_reference": Label("Change vs reference", "与参照情景相比"),
    "median": Label("Median", "中位数"),
    "p5": Label("5th percentile", "第5百分位"),
    "p95": Label("95th percentile", "第95百分位"),
    "probability_met": Label("Probability target met", "目标达成概率"),
    "uncertainty": Label("Uncertainty", "不确定性"),
    "sensitivity": Label("Sensitivity", "敏感性"),
    "parameter": Label("Parameter", "参数"),
    "source": Label("Source", "来源"),
    "note": Label("Note", "注"),
    "summary": Label("Summary", "摘要"),
    "scorecard": Label("Scorecard", "目标达成情况"),
    "projection": Label("Projection", "预测"),
    "comparison": Label("Scenario comparison", "情景比较"),
    "generated": Label("Generated", "生成时间"),
    "figure": Label("Figure", "图"),
    "table": Label("Table", "表"),
    "yes": Label("Yes", "是"),
    "no": Label("No", "否"),
    "missing": Label("n/a", "无数据"),
}


def ui(key: str) -> Label:
    """The bilingual label of a common UI string (KeyError names the known keys)."""
    try:
        return UI[key]
    except KeyError:
        raise KeyError(f"unknown UI string {key!r}; known: {sorted(UI)}") from None


def t(key: str, lang: str) -> str:
    """Shorthand for ``pick(ui(key), lang)``."""
    return pick(ui(key), lang)
