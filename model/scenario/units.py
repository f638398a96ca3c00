"""How each unit code of the registry and the projection is shown to people.

Unit codes (``fraction_per_year``, ``100m_yuan_2003``, ...) are what the registry
(:mod:`model.scenario.registry`), the core variables and the indicators carry. This table turns
a code into the words a planner reads, in English and Chinese, and says how to scale the stored
number for display: a ``fraction_per_year`` of 0.2 is shown as ``20 %/yr`` / ``20 %/年``.

A code missing from the table is shown as the code itself (scale 1), so a new registry unit is
never hidden, only less pretty; ``tests/test_units.py`` checks every registry unit is here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitInfo:
    scale: float  # displayed number = stored value * scale
    en: str  # unit words after the displayed number (English)
    zh: str  # the same in Chinese
    excel: str  # Excel number format of the *stored* value
    iamc: str  # unit string of the IAMC export (values are exported unscaled)


UNITS: dict[str, UnitInfo] = {
    "fraction_per_year": UnitInfo(100, "%/yr", "%/年", '0.0%"/yr"', "1/yr"),
    "log_points_per_year": UnitInfo(100, "log points/yr", "对数百分点/年", "0.00", "1/yr (log)"),
    "ratio": UnitInfo(100, "%", "%", '0.00%', "1"),
    "ratio_of_sales": UnitInfo(100, "% of sales", "%(占销售收入)", '0.00%', "1"),
    "share_of_energy_use": UnitInfo(100, "% of energy use", "%(占能源消费)", '0.0%', "1"),
    "bass_p_per_year": UnitInfo(100, "%/yr of non-adopters", "%/年(占未采用企业)", '0.0%"/yr"', "1/yr"),
    "100m_yuan_2003": UnitInfo(1, "100m yuan (2003 prices)", "亿元(2003年价)", '#,##0.0" 亿元"', "100m CNY_2003"),
    "100m_yuan_2003_per_year": UnitInfo(1, "100m yuan/yr (2003 prices)", "亿元/年(2003年价)", '#,##0.0" 亿元"',
                                        "100m CNY_2003/yr"),
    "100m_yuan_nominal": UnitInfo(1, "100m yuan (current prices)", "亿元(现价)", '#,##0.0" 亿元"', "100m CNY"),
    "fraction_of_rd": UnitInfo(100, "% of R&D", "%(占研发经费)", '0.0%', "1"),
    "10k_yuan_nominal_per_adopter": UnitInfo(1, "10k yuan per adopter (current prices)", "万元/家(现价)", "#,##0.0",
                                             "10k CNY/adopter"),
    "share_of_local_expenditure": UnitInfo(100, "% of local fiscal expenditure", "%(占地方财政支出)", '0.0%', "1"),
    "100m_yuan_nominal_per_year": UnitInfo(1, "100m yuan/yr (current prices)", "亿元/年(现价)", '#,##0.0" 亿元"',
                                           "100m CNY/yr"),
    "10k_kw_at_peak": UnitInfo(1, "10k kW at peak", "万千瓦(高峰)", "#,##0.0", "10k kW"),
    "audits_per_year": UnitInfo(1, "audits/yr", "家/年(审核)", "#,##0", "count/yr"),
    "100m_usd": UnitInfo(1, "100m USD", "亿美元", '#,##0.0" 亿美元"', "100m USD"),
    "100m_usd_nominal": UnitInfo(1, "100m USD (current)", "亿美元(现价)", '#,##0.0" 亿美元"', "100m USD"),
    "yuan_per_usd": UnitInfo(1, "yuan/USD", "元/美元", "0.00", "CNY/USD"),
    "count": UnitInfo(1, "", "个", "#,##0", "count"),
    "count_per_year": UnitInfo(1, "/yr", "个/年", "#,##0.0", "count/yr"),
    "index_2003_1": UnitInfo(1, "(index, 2003 = 1)", "(指数,2003年=1)", "0.000", "index (2003 = 1)"),
    "10k_tce": UnitInfo(1, "10k tce", "万吨标准煤", '#,##0.0', "10k tce"),
    "tce_per_10k_yuan": UnitInfo(1, "tce per 10k yuan", "吨标准煤/万元", "0.000", "tce/10k CNY"),
    "effort_index": UnitInfo(1, "(effort index 0-1)", "(力度指数0—1)", "0.00", "1"),
}


def unit_info(code: str) -> UnitInfo:
    """Display rules of ``code`` (the code itself, unscaled, when it is not in the table)."""
    return UNITS.get(code) or UnitInfo(1, code, code, "General", code)


def unit_label(code: str, lang: str = "en") -> str:
    """The unit words of ``code`` in ``lang`` (``"%/yr"``, ``"亿元(2003年价)"``)."""
    info = unit_info(code)
    return info.zh if lang == "zh" else info.en


def _number(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:.4g}"


def with_unit(value, code: str, lang: str = "en") -> str:
    """A stored value shown with its unit: ``with_unit(0.2, "fraction_per_year")`` -> ``"20 %/yr"``.

    Non-numbers (a mode name, ``None``) are returned as text unchanged.
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if isinstance(value, float) and math.isnan(value):
        return "—"
    info = unit_info(code)
    shown = _number(round(float(value) * info.scale, 10))
    words = info.zh if lang == "zh" else info.en
    if not words:
        return shown
    sep = "" if words.startswith(("/", "(", "(")) else " "
    return f"{shown}{sep}{words}"
