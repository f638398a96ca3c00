"""Realised provincial inputs and observed series for the historical driver (1995-2003).

Everything here is read from ``calibration/observations.csv``; each transformation (deflator,
statistical break) is a stated rule, listed in ``History.notes`` and in the report.

Rules
-----
H1 Real GFCF, 2003 prices: Zhang Jun (2004) construction as in base-year rule R5
   (``model.baseyear.perpetual_inventory``): 1952 GFCF x volume index (1952-1995), then nominal /
   deflator chained with the Zhejiang FAI price index (1996-2003); rescaled so 2003 = nominal 2003.
H2 Real GDP, 2003 prices: ``gdp`` (post-2004-census revised vintage, Zhejiang) / a composite
   deflator (2003 = 1) whose growth is the GFCF/GDP-weighted mean of the Zhejiang FAI price index
   (investment goods) and retail price index (everything else); no GDP deflator is in the data. ``gdp_prelim_vintage`` is NOT used in the fit (vintage
   break); the only official real index (``gdp_index``, 1996-1999, CSY 2000, preliminary vintage)
   serves as a check of the deflator, reported beside the fit.
H3 Labour: Zhejiang year-end population (no employment series in the data). The 2000 census
   re-basing (+4.6 % in one year) is a statistical break: the 2000 growth rate is replaced by
   the mean growth of the other years.
H4 R&D: national GERD 1999-2003 deflated by the retail price index (no Zhejiang R&D series);
   the rate-of-return TFP term uses national GERD / national GDP (1995-1998 at the 1999 ratio);
   1995-1998 back-cast at the 1999-2003 mean real growth, which is also the pre-sample growth of
   the Griliches initial stock (as base-year field ``rd_growth_presample``).
H5 Energy: LBL final energy of Zhejiang industry; the anomalous 2002 "other energy" entry
   (7.09 Mt_tce in industry, absent in 2001) is removed, and the 0.12 Mt_tce of 2003 likewise,
   so that all years exclude "other energy".
H6 Depreciation: income-approach 固定资产折旧 (nominal) for Zhejiang 1995-2003.
No above-size (规模以上) series enters the fit, so the 1998 scope change does not touch it; the
2003 industry classification change does not touch these aggregate series either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.observations import series

START, END = 1995, 2003


@dataclass(frozen=True)
class History:
    """Realised inputs (driver) and observations over ``years`` (index 0 = START)."""

    years: np.ndarray  # window years START..END
    inv_years: np.ndarray  # 1952..END
    real_investment: np.ndarray  # real GFCF, 2003 prices, over inv_years
    inv_deflator: np.ndarray  # investment deflator 2003 = 1, over inv_years
    labour: np.ndarray  # labour index over years
    rd_real: np.ndarray  # R&D expenditure, 2003 prices, over years
    rd_presample_growth: float
    rd_to_gdp: np.ndarray  # national GERD / national GDP (both nominal) over years
    gdp_real: np.ndarray  # observed real GDP, 2003 prices
    depreciation: np.ndarray  # observed nominal depreciation
    industry_energy: np.ndarray  # observed industry final energy, Mt_tce
    gdp_index_check: dict = field(default_factory=dict)  # year -> (index growth, deflated growth)
    notes: tuple[str, ...] = ()
    series_used: dict = field(default_factory=dict)  # series label -> observation indicators


def _chain(index_prev_100: pd.Series, years: range, base_year: int = END) -> pd.Series:
    """Price level from a previous-year = 100 index, normalised to 1 in ``base_year``."""
    level = {years[0]: 1.0}
    for y in years[1:]:
        level[y] = level[y - 1] * float(index_prev_100[y]) / 100.0
    s = pd.Series(level)
    return s / s[base_year]


def build_history(obs: pd.DataFrame) -> History:
    """Assemble the historical driver inputs and observed series (rules H1-H6)."""
    yrs = range(START, END + 1)
    # H1 real GFCF
    gfcf = series(obs, "gross_fixed_capital_formation")
    vol = series(obs, "gfcf_volume_index")
    pfai = series(obs, "price_index_fixed_asset_investment")
    y0 = int(vol.index.min())
    real, defl = {}, {}
    for y in range(y0, END + 1):
        if y in vol.index:
            real[y] = float(gfcf[y0]) * float(vol[y]) / 100.0
            defl[y] = float(gfcf[y]) / real[y]
        else:
            defl[y] = defl[y - 1] * float(pfai[y]) / 100.0
            real[y] = float(gfcf[y]) / defl[y]
    inv_years = np.arange(y0, END + 1)
    d_end = defl[END]
    real_inv = np.array([real[y] * d_end for y in inv_years])
    inv_defl = np.array([defl[y] / d_end for y in inv_years])

    # H2 real GDP
    rpi = series(obs, "retail_price_index")
    p = _chain(rpi, yrs)  # consumer prices, also used for R&D (H4)
    gdp = series(obs, "gdp")
    w_inv = {y: float(gfcf[y]) / float(gdp[y]) for y in yrs}
    composite = pd.Series(
        {y: w_inv[y] * float(pfai[y]) + (1.0 - w_inv[y]) * float(rpi[y]) for y in yrs}
    )
    p_gdp = _chain(composite, yrs)
    gdp_real = np.array([float(gdp[y]) / p_gdp[y] for y in yrs])
    gi = series(obs, "gdp_index")
    check = {
        int(y): (float(gi[y]) / 100.0 - 1.0, float(gdp_real[y - START] / gdp_real[y - START - 1] - 1.0))
        for y in gi.index
        if START < y <= END
    }

    # H3 labour
    pop = series(obs, "population_year_end")
    g = np.array([np.log(float(pop[y]) / float(pop[y - 1])) for y in yrs[1:]])
    brk = [i for i, y in enumerate(yrs[1:]) if y == 2000]
    others = np.delete(g, brk)
    g[brk] = others.mean()
    labour = np.exp(np.concatenate([[0.0], np.cumsum(g)]))

    # H4 R&D
    gerd = series(obs, "rd_expenditure_gerd", region="china")
    rd_years = [y for y in yrs if y in gerd.index]
    rd_obs = np.array([float(gerd[y]) / p[y] for y in rd_years])
    g_rd = float(np.mean(np.diff(np.log(rd_obs))))
    first = rd_years[0]
    rd_real = np.array(
        [float(gerd[y]) / p[y] if y in gerd.index else rd_obs[0] * np.exp(g_rd * (y - first)) for y in yrs]
    )

    # H4b R&D / output ratio for the rate-of-return TFP term: national GERD / national GDP
    gdp_cn = series(obs, "gdp", region="china")
    ratio = {y: float(gerd[y]) / float(gdp_cn[y]) for y in yrs if y in gerd.index and y in gdp_cn.index}
    first_ratio = ratio[min(ratio)]
    rd_to_gdp = np.array([ratio.get(y, first_ratio) for y in yrs])

    # H5 energy
    ind = series(obs, "final_energy_consumption_lbl", sector="industry")
    other = series(obs, "other_energy_final_consumption_lbl", sector="industry")
    energy = np.array([float(ind[y]) - float(other.get(y, 0.0)) for y in yrs])

    # H6 depreciation
    dep = series(obs, "depreciation_fixed_assets")
    depreciation = np.array([float(dep[y]) for y in yrs])

    notes = (
        "H1 real GFCF: 1952 GFCF x volume index to 1995, then FAI price-index deflator (rule R5)",
        "H2 real GDP: revised `gdp` vintage / composite deflator (GFCF-share-weighted FAI and "
        "retail price indices, 2003 = 1); "
        "`gdp_prelim_vintage` not used",
        "H3 labour: year-end population; 2000 census break replaced by the mean growth of other years",
        "H4 R&D: national GERD / retail price index; 1995-1998 back-cast at the 1999-2003 mean growth; "
        "R&D / output for the rate-of-return TFP term = national GERD / national GDP (1995-1998 at the "
        "1999 ratio)",
        "H5 energy: LBL industry final energy without the 'other energy' entry (2002 anomaly)",
        "H6 depreciation: income-approach depreciation, nominal",
    )
    used = {
        "gdp_real": ["gdp (zhejiang, revised vintage)", "retail_price_index (zhejiang)",
                     "price_index_fixed_asset_investment (zhejiang)", "gross_fixed_capital_formation"],
        "depreciation": ["depreciation_fixed_assets (zhejiang)", "gross_fixed_capital_formation",
                         "gfcf_volume_index", "price_index_fixed_asset_investment"],
        "industry_energy": ["final_energy_consumption_lbl (zhejiang, industry)",
                            "other_energy_final_consumption_lbl (zhejiang, industry)"],
        "inputs": ["gross_fixed_capital_formation", "gfcf_volume_index",
                   "price_index_fixed_asset_investment", "population_year_end (zhejiang)",
                   "rd_expenditure_gerd (china)", "gdp (china)", "retail_price_index (zhejiang)"],
    }
    return History(
        years=np.arange(START, END + 1),
        inv_years=inv_years,
        real_investment=real_inv,
        inv_deflator=inv_defl,
        labour=labour,
        rd_real=rd_real,
        rd_presample_growth=g_rd,
        rd_to_gdp=rd_to_gdp,
        gdp_real=gdp_real,
        depreciation=depreciation,
        industry_energy=energy,
        gdp_index_check=check,
        notes=notes,
        series_used=used,
    )
