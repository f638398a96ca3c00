"""The autonomous energy-efficiency trend (AEEI) estimated on Zhejiang manufacturing, 1997-2002.

The core's ``aeei`` is the yearly decline of energy per unit of value added *within* sectors
(block E: structure shifts are not in it). It is estimated here as the LMDI intensity effect of
Zhejiang manufacturing between the two provincial input-output years (rules A1-A5), so that it
measures the same thing the core projects; the activity and structure effects are reported
beside it. All inputs come from ``calibration/observations.csv``; the group concordance is
``calibration/energy_io_groups.csv``.

Rules
-----
A1 Value added by group: Zhejiang IO tables 1997 and 2002 (``io1997_value_added``,
   ``io2002_value_added``; 10k yuan, current prices, all producers), summed into the 16
   manufacturing groups both tables share.
A2 Prices: no producer-price index is in the data. Two deflators bound it: the Zhejiang retail
   price index (``retail`` - consumer goods, central) and the Zhejiang fixed-asset investment price
   index (``investment`` - investment goods). Over 1997-2002 they moved by -7.8 % and -3.0 %.
A3 Manufacturing energy: LBL final energy of Zhejiang industry without the "other energy" entry
   (rule H5), times the manufacturing share of CEADs industrial energy CO2 excluding power and
   heat generation, as base-year rule R11 does for 2003.
A4 Energy by group: split by CEADs scope-1 CO2 minus cement process CO2 (rule R11). CEADs counts
   no purchased electricity (scope 2), so a group's energy moves with its fuel use.
A5 AEEI = -ln(D_int) / (2002 - 1997), with D_int = exp(dE_int / L(E_2002, E_1997)) the
   multiplicative LMDI intensity index (Ang 2004), i.e. the energy-weighted mean of the groups'
   log changes of energy per unit of real value added.

Back-test (``backtest``): the trend fitted on 1997-2002 predicts manufacturing energy in 2003 from
2002 energy and 2003 real value added (industry value added 2003, preliminary vintage, times the
IO 2002 manufacturing share of industry value added, deflated by A2); compared with AEEI = 0
(energy grows with value added) and with the 1997-2002 own growth of energy (naive trend).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.energy import log_mean
from model.errors import DataError
from model.observations import series, value
from model.paths import CALIBRATION_DIR

Y0, Y1, HOLDOUT = 1997, 2002, 2003
DEFLATORS = {"retail": "retail_price_index", "investment": "price_index_fixed_asset_investment"}
OTHER_INDUSTRY_CEADS = ("coal_mining", "oil_gas_extraction", "ferrous_mining", "nonferrous_mining",
                        "nonmetal_mining", "other_mining", "gas_supply", "water_supply")
MANUFACTURING_IO_2002 = tuple(f"{k:02d}" for k in range(6, 23))  # IO 2002 codes 06-22
INDUSTRY_IO_2002 = tuple(f"{k:02d}" for k in range(2, 26))  # IO 2002 codes 02-25


def load_groups(path: Path | str | None = None) -> pd.DataFrame:
    """The group concordance (IO 1997, IO 2002, CEADs sectors per group), lists split on ';'."""
    path = Path(path) if path else CALIBRATION_DIR / "energy_io_groups.csv"
    try:
        df = pd.read_csv(path, dtype=str).fillna("")
    except FileNotFoundError as exc:
        raise DataError(f"{path}: energy group concordance not found") from exc
    for col in ("io1997_sectors", "io2002_sectors", "ceads_sectors"):
        df[col] = df[col].str.split(";")
    return df.set_index("group")


def _io_va(obs: pd.DataFrame, year: int, groups: pd.DataFrame) -> pd.Series:
    """A1: nominal value added by group, 100m yuan."""
    ind = f"io{year}_value_added"
    sel = obs[(obs.indicator == ind) & (obs.region == "zhejiang")].set_index("sector")["value"]
    out = {}
    for g, codes in groups[f"io{year}_sectors"].items():
        missing = [c for c in codes if c not in sel.index]
        if missing:
            raise DataError(f"observations: {ind} has no sector {missing[0]!r} (energy_io_groups.csv, group {g})")
        out[g] = float(sel[codes].sum()) / 1e4
    return pd.Series(out)


def price_level(obs: pd.DataFrame, year: int, deflator: str, base: int = Y0) -> float:
    """A2: price level of ``year`` relative to ``base`` from a previous-year = 100 index."""
    if deflator not in DEFLATORS:
        raise ValueError(f"deflator {deflator!r}; allowed: {', '.join(DEFLATORS)}")
    idx = series(obs, DEFLATORS[deflator])
    lo, hi = sorted((base, year))
    level = float(np.prod([idx[y] / 100.0 for y in range(lo + 1, hi + 1)]))
    return level if year >= base else 1.0 / level


def manufacturing_energy(obs: pd.DataFrame, year: int, groups: pd.DataFrame) -> pd.Series:
    """A3-A4: manufacturing final energy by group, 10k tce."""
    e_ind = value(obs, "final_energy_consumption_lbl", year, sector="industry")
    oth = obs[(obs.indicator == "other_energy_final_consumption_lbl") & (obs.sector == "industry")
              & (obs.year == year)]["value"]
    e_ind = (e_ind - float(oth.sum())) * 100.0  # Mt_tce -> 10k_tce
    sel = obs[(obs.indicator == "co2_scope1_ceads") & (obs.region == "zhejiang") & (obs.year == year)]
    co2 = sel.set_index("sector")["value"]
    if co2.empty:
        raise DataError(f"observations: no co2_scope1_ceads rows for {year}")
    proc = obs[(obs.indicator == "co2_process_ceads") & (obs.region == "zhejiang") & (obs.year == year)
               & (obs.sector != "all")].set_index("sector")["value"]
    co2e = co2.sub(proc, fill_value=0.0)
    by_group = pd.Series({g: float(co2e.reindex(c).fillna(0.0).sum()) for g, c in groups["ceads_sectors"].items()})
    share = by_group.sum() / (by_group.sum() + float(co2e.reindex(list(OTHER_INDUSTRY_CEADS)).fillna(0.0).sum()))
    return e_ind * share * by_group / by_group.sum()


@dataclass(frozen=True)
class AeeiEstimate:
    deflator: str
    aeei: float  # 1/yr, within-sector decline of energy per unit of real value added
    activity: float  # LMDI terms 1997 -> 2002, 10k tce
    structure: float
    intensity: float
    energy_0: float
    energy_1: float
    va_real_growth: float  # 1/yr, log
    energy_growth: float  # 1/yr, log


def estimate_aeei(obs: pd.DataFrame, deflator: str = "retail", groups: pd.DataFrame | None = None,
                  y0: int = Y0, y1: int = Y1) -> AeeiEstimate:
    """A5: AEEI from the LMDI intensity effect of manufacturing between ``y0`` and ``y1``."""
    from model.energy import lmdi_additive

    groups = load_groups() if groups is None else groups
    v0 = _io_va(obs, y0, groups).to_numpy()
    v1 = _io_va(obs, y1, groups).to_numpy() / price_level(obs, y1, deflator, base=y0)
    e0 = manufacturing_energy(obs, y0, groups).to_numpy()
    e1 = manufacturing_energy(obs, y1, groups).to_numpy()
    terms = lmdi_additive(e0, e1, v0, v1)
    tot = {k: float(v.sum()) for k, v in terms.items()}
    d_int = np.exp(tot["intensity"] / float(log_mean(e1.sum(), e0.sum())))
    n = y1 - y0
    return AeeiEstimate(
        deflator=deflator, aeei=float(-np.log(d_int) / n), **tot,
        energy_0=float(e0.sum()), energy_1=float(e1.sum()),
        va_real_growth=float(np.log(v1.sum() / v0.sum()) / n), energy_growth=float(np.log(e1.sum() / e0.sum()) / n),
    )


def backtest(obs: pd.DataFrame, est: AeeiEstimate, groups: pd.DataFrame | None = None) -> dict[str, float]:
    """Predict 2003 manufacturing energy from 2002; percentage errors of the fitted trend and benchmarks."""
    groups = load_groups() if groups is None else groups
    io02 = obs[(obs.indicator == "io2002_value_added") & (obs.region == "zhejiang")]
    code = io02.sector.str[:2]
    mfg_share = io02[code.isin(MANUFACTURING_IO_2002)]["value"].sum() / io02[code.isin(INDUSTRY_IO_2002)]["value"].sum()
    va02 = float(_io_va(obs, Y1, groups).sum())
    va03 = value(obs, "industry_va", HOLDOUT) * float(mfg_share) / price_level(obs, HOLDOUT, est.deflator, base=Y1)
    e02 = float(manufacturing_energy(obs, Y1, groups).sum())
    e03 = float(manufacturing_energy(obs, HOLDOUT, groups).sum())
    g_va = np.log(va03 / va02)

    def err(pred: float) -> float:
        return 100.0 * (pred / e03 - 1.0)

    return {
        "observed_2003": e03,
        "va_real_growth_2003": float(g_va),
        "error_pct_fitted": err(e02 * np.exp(g_va - est.aeei)),
        "error_pct_aeei_zero": err(e02 * np.exp(g_va)),
        "error_pct_naive_trend": err(e02 * np.exp(est.energy_growth)),
    }


# --------------------------------------------------------------------------- electricity (task 22)
# Rules
# P1 Electricity in 100m kWh from the LBL balance (Mt_tce at calorific value) x MTCE_TO_100M_KWH.
# P2 Manufacturing electricity 2003 = LBL industry electricity x the manufacturing share of rule A3;
#    split across sectors like energy (R11): no electricity by sector is in the data.
# P3 Other demand 2003 = LBL total final electricity - manufacturing electricity (P2).
# P4 Losses and plant own use: 全社会用电量 2000 (CSY 2009) / LBL total final electricity 2000 - 1.
# P5 Electricity-intensity trend of manufacturing: log growth of LBL industry electricity 1997-2002
#    minus the log growth of real manufacturing value added (A1-A2), per year.
# P6 Other demand growth: log growth of LBL non-industry electricity 1996-2003, per year.
# P7 Capacity: units of 6 MW and above 2002 (10k kW); 2003 adds the national 2003 build rate
#    (capacity added / installed, China 2003) - Zhejiang's 2003 additions are not in the data.
# P8 Check: the East China grid's 2003 peak shortfall as a share of its peak demand,
#    shortfall / (maximum supply + shortfall).


def _mfg_share(obs: pd.DataFrame, year: int, groups: pd.DataFrame) -> float:
    e_ind = value(obs, "final_energy_consumption_lbl", year, sector="industry")
    oth = obs[(obs.indicator == "other_energy_final_consumption_lbl") & (obs.sector == "industry")
              & (obs.year == year)]["value"]
    return float(manufacturing_energy(obs, year, groups).sum()) / ((e_ind - float(oth.sum())) * 100.0)


@dataclass(frozen=True)
class PowerData:
    """Electricity facts of the base year and the estimated trends (rules P1-P8)."""

    year: int
    demand_mfg: float  # 100m kWh, manufacturing, base year
    demand_other: float  # 100m kWh, everything else, base year
    loss_share: float  # (losses + plant own use) / final consumption, P4
    intensity_trend: float  # 1/yr, P5
    other_growth: float  # 1/yr, P6
    capacity_2002: float  # 10k kW
    capacity: float  # 10k kW, base year (P7)
    east_china_shortfall_share: float  # P8
    sources: tuple[str, ...] = ()


def power_data(obs: pd.DataFrame, year: int = HOLDOUT, groups: pd.DataFrame | None = None,
               deflator: str = "retail") -> PowerData:
    """Rules P1-P8 from the observations."""
    from model.energy_equations import MTCE_TO_100M_KWH

    groups = load_groups() if groups is None else groups
    el_ind = series(obs, "electricity_final_consumption_lbl", sector="industry")
    el_all = series(obs, "electricity_final_consumption_lbl", sector="all")
    mfg = float(el_ind[year]) * _mfg_share(obs, year, groups) * MTCE_TO_100M_KWH
    other = float(el_all[year]) * MTCE_TO_100M_KWH - mfg
    cons = series(obs, "electricity_consumption")
    y_loss = max(y for y in cons.index if y in el_all.index)
    loss = float(cons[y_loss]) / (float(el_all[y_loss]) * MTCE_TO_100M_KWH) - 1.0
    va0 = float(_io_va(obs, Y0, groups).sum())
    va1 = float(_io_va(obs, Y1, groups).sum()) / price_level(obs, Y1, deflator, base=Y0)
    trend = (np.log(float(el_ind[Y1]) / float(el_ind[Y0])) - np.log(va1 / va0)) / (Y1 - Y0)
    non_ind = el_all - el_ind
    y_first = int(min(non_ind.dropna().index))
    other_growth = np.log(float(non_ind[year]) / float(non_ind[y_first])) / (year - y_first)
    cap02 = value(obs, "installed_capacity_units_6mw_plus", 2002, sector="power")
    build = value(obs, "generating_capacity_added", year, "china", "power") / value(
        obs, "installed_generation_capacity", year, "china", "power")
    ec = value(obs, "grid_shortfall_east_china", year, "east_china_grid", "power")
    ec_max = value(obs, "grid_max_supply_east_china", year, "east_china_grid", "power")
    return PowerData(
        year=year, demand_mfg=mfg, demand_other=other, loss_share=float(loss), intensity_trend=float(trend),
        other_growth=float(other_growth), capacity_2002=cap02, capacity=cap02 * (1.0 + build),
        east_china_shortfall_share=ec / (ec_max + ec),
        sources=(
            "electricity_final_consumption_lbl (zhejiang; industry, all)", "electricity_consumption (zhejiang, 2000)",
            "installed_capacity_units_6mw_plus (zhejiang, 2002)",
            "generating_capacity_added / installed_generation_capacity (china, 2003)",
            "grid_shortfall_east_china / grid_max_supply_east_china (2003)",
        ),
    )
