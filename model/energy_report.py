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
