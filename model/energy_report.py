"""Tables and scorecard lines of the energy block: the monitored statistic and its LMDI terms.

Builds tidy frames from a run (``model.run.RunResult``); the arithmetic is in ``model.energy``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.energy import LMDI_EFFECTS, lmdi_paths

LMDI_LABELS = {
    "activity": ("Activity (total value added)", "规模效应(增加值总量)"),
    "structure": ("Structure (sector shares of value added)", "结构效应(行业增加值构成)"),
    "intensity": ("Intensity (energy per value added within sectors)", "强度效应(行业内单位增加值能耗)"),
}


def lmdi_frame(result, run: int = 0) -> pd.DataFrame:
    """LMDI terms of manufacturing energy, every year against 2003, by sector and in total.

    Columns: scenario, year, sector ('all' = sum over sectors), effect (activity, structure,
    intensity, total_change), value, unit (10k_tce). ``total_change`` = E_t - E_2003 equals the
    sum of the three effects.
    """
    proj = result.projection
    e = proj["energy"][run : run + 1]
    v = proj["value_added"][run : run + 1]
    terms = lmdi_paths(e, v)
    terms["total_change"] = e - e[:, :1, :]
    years = np.asarray(proj.years)
    sectors = list(proj.sectors)
    frames = []
    for effect in (*LMDI_EFFECTS, "total_change"):
        a = terms[effect][0]  # (T, S)
        frames.append(pd.DataFrame({
            "year": np.repeat(years, len(sectors)),
            "sector": np.tile(sectors, len(years)),
            "effect": effect,
            "value": a.ravel(),
        }))
        frames.append(pd.DataFrame({"year": years, "sector": "all", "effect": effect, "value": a.sum(axis=1)}))
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "scenario", result.scenario.id)
    out["unit"] = "10k_tce"
    return out.sort_values(["year", "effect", "sector"], kind="stable").reset_index(drop=True)


def monitored_summary(result, year: int = 2007, run: int = 0) -> dict:
    """The monitored statistic in 2003 and ``year``, its change, and the LMDI terms (sum over sectors)."""
    proj = result.projection
    t = proj.years.index(year)
    e = proj.total("energy")[run]
    v = proj.total("value_added")[run]
    terms = lmdi_paths(proj["energy"][run : run + 1], proj["value_added"][run : run + 1])
    years = t  # years since 2003
    ei0, eit = e[0] / v[0], e[t] / v[t]
    return {
        "year": year,
        "intensity_2003": ei0,
        "intensity_level": eit,
        "change": eit / ei0 - 1.0,
        "change_per_year": (eit / ei0) ** (1.0 / years) - 1.0 if years else 0.0,
        "energy_2003": e[0],
        "energy": e[t],
        **{k: float(terms[k][0, t].sum()) for k in LMDI_EFFECTS},
    }


def monitored_markdown(result, year: int = 2007) -> list[str]:
    """Scorecard paragraph (zh and en) for the monitored statistic and its decomposition."""
    s = monitored_summary(result, year)
    rows = [
        "",
        f"## 万元制造业增加值能耗及其分解 / Energy per unit of manufacturing value added and its decomposition ({year})",
        "",
        f"- 万元增加值能耗 Energy per 10k yuan value added (2003 prices): {s['intensity_2003']:.3f} tce (2003) → "
        f"{s['intensity_level']:.3f} tce ({year}); 变化 change {100 * s['change']:+.1f}% "
        f"({100 * s['change_per_year']:+.2f}%/年 per year).",
        f"- 制造业能耗 Manufacturing energy use: {s['energy_2003']:,.1f} → {s['energy']:,.1f} 万吨标准煤 10k tce "
        f"({s['energy'] - s['energy_2003']:+,.1f}).",
        "- LMDI 分解 (加法 LMDI-I, Ang 2004) / LMDI decomposition (additive LMDI-I, Ang 2004), 10k tce:",
    ]
    for k in LMDI_EFFECTS:
        en, zh = LMDI_LABELS[k]
        rows.append(f"  - {zh} / {en}: {s[k]:+,.1f}")
    rows.append(
        "  三项之和等于能耗变化;分行业结果见 `energy_lmdi.csv`。 The three terms add up to the change in energy use; "
        "sector detail in `energy_lmdi.csv`."
    )
    return rows


def power_markdown(result, run: int = 0) -> list[str]:
    """Scorecard section for task 22 (zh and en): the peak balance and rationing by year, the 2003
    shortage check, and the energy instruments' costs."""
    p = result.projection
    years = list(p.years)
    rows = [
        "",
        "## 任务22 电力保障 / Task 22 power supply: peak balance and rationing by year",
        "",
        "| 年份 Year | 高峰负荷 Peak demand (万kW) | 可供电力 Firm supply (万kW) | 缺口 Shortfall | 制造业缺电 Mfg electricity not served | 限产损失增加值 VA lost (亿元, 2003 prices) |",
        "|---|---|---|---|---|---|",
    ]
    for t, y in enumerate(years):
        rows.append(
            f"| {y} | {p['power_peak_demand'][run, t]:,.0f} | {p['power_supply_peak'][run, t]:,.0f} | "
            f"{100 * p['power_shortfall'][run, t]:.1f}% | {100 * p['power_curtailment'][run, t]:.2f}% | "
            f"{p['curtailed_value_added'][run, t]:,.1f} |"
        )
    pw = getattr(result.model, "power", None)
    if pw is not None:
        rows += [
            "",
            f"2003年缺电检验 / 2003 shortage check: 2002年装机 {pw.capacity_2002:,.0f}万kW 加全国2003年新增装机比例 → "
            f"{pw.capacity:,.0f}万kW, 无高峰外购 / 2002 capacity plus China's 2003 build rate, no peak purchases: "
            f"peak shortfall {100 * p['power_shortfall'][run, 0]:.1f}% in 2003 "
            f"(华东电网2003年高峰缺口 East China grid 2003: {100 * pw.east_china_shortfall_share:.1f}%); "
            f"2004: {100 * p['power_shortfall'][run, 1]:.1f}%. 2003年产出为实际观测值,不再限产 / The observed 2003 output is "
            "not curtailed again.",
        ]
    rows += [
        "",
        "## 能源与电力工具的成本 / Cost of the energy and power instruments (亿元 100m yuan, nominal)",
        "",
        "| 年份 Year | 节能技术改造 Retrofit programme | 清洁生产审核 Clean-production audits | 电源建设力度 Capacity effort (0-1) | 电源投资(电力企业) Power-company investment |",
        "|---|---|---|---|---|",
    ]
    for t, y in enumerate(years[1:], start=1):
        rows.append(
            f"| {y} | {p['cost_efficiency_spending'][run, t]:,.2f} | {p['cost_clean_production_audits'][run, t]:,.2f} | "
            f"{p['effort_power_capacity'][run, t]:.2f} | {p['investment_power_nominal'][run, t]:,.1f} |"
        )
    rows.append(
        "电源投资由电力企业承担,不计入省财政预算 / Power plants are financed by power companies, not by the provincial "
        "budget: reported, not counted as programme cost."
    )
    return rows
