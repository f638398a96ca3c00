"""The 2003 base year: Zhejiang manufacturing by sector, with provenance.

``build_base_year(calibration_dir=None, yearbook_dir=None, **assumptions) -> BaseYear``.
All money in 100m_yuan at 2003 prices (= nominal 2003); energy in 10k_tce; USD in 100m_usd.
Sector order = ``calibration/sectors.csv``. Notation: ``ZJIO`` = Zhejiang's own 2002
input-output table (42 sectors, producer prices), aggregated to model sectors through the
concordance ``calibration/io2002_zhejiang_concordance.csv`` (``model.zhejiang_io``); ``IO`` =
national 2002 table (122 sectors); ``NAT03`` = national 2003 above-size industry by GB/T
4754-2002 division (``china_industry_1998_2003.csv``).

Derivation rules (see also ``calibration/README.md``):

C   Concordance: ZJIO sector -> model sector; IO 08, 12 and 14 cover several model sectors and
    are divided by the split key of ``model.zhejiang_io`` (NAT03 sales of the division x
    Zhejiang CEADs energy CO2 / national energy of the division): the only derived step in the
    sector structure; status ``derived`` for the sectors that receive a piece.
R1  VA_mfg = VA_industry_ZJ_2003 (4381, preliminary vintage) x VA_ZJIO(mfg) / VA_ZJIO(industry);
    VA_i = VA_mfg x VA_ZJIO,i / VA_ZJIO(mfg).
R3  ``gross_output_rule="zhejiang_total"`` (default): GO_mfg = (SME gross output Jan-Oct 2003 x
    ``sme_annualisation`` + the 301 key firms' gross output) x GO_ZJIO(mfg) / GO_ZJIO(industry);
    GO_i = GO_mfg x GO_ZJIO,i / GO_ZJIO(mfg). ``"io_ratio"``: GO_i = VA_i x (GO/VA)_ZJIO,i.
R4  Sales_i = GO_i x Zhejiang SME sales / gross output, Jan-Oct 2003 (0.9715).
R5  Capital: Zhejiang total net stock K_ZJ by perpetual inventory (Zhang Jun 2004 method) with
    the model's depreciation rate ``depreciation_rate`` (default: the ``delta_k`` default of
    ``calibration/parameters.yaml`` / ``priors.yaml``, the same rate that projects the stock).
    Depreciation D_i = VA_i x (dep/VA)_ZJIO,i; K_mfg = K_ZJ x D_mfg / D_ZJ_2003 (income-approach
    depreciation 1270.48). Relative depreciation rate rho_i = (dep_IO,i / fixed assets NAT03,i) /
    rbar, rbar such that sum_i rho_i K_i = K_mfg; K_i = K_mfg x (D_i / rho_i) / sum_j (D_j /
    rho_j). The sector depreciation rate is delta_k x rho_i (``delta_k_relative`` = rho).
R6  Labour (wage bill) L_i = VA_i x (compensation/VA)_ZJIO,i. Capital income share
    s_i = (dep + operating surplus) / (VA - net production taxes), ZJIO;
    ``alpha_k_relative`` = s_i / s_mfg (the core multiplies the province-wide ``alpha_k``).
R7  Investment: I_mfg = GFCF_ZJ_2003 x K_mfg / K_ZJ; I_i = I_mfg x D_i / D_mfg (gross investment
    in proportion to the sector's ZJIO depreciation). The ZJIO GFCF column is GFCF *by product*
    (capital goods delivered), not investment by sector, so it cannot split I; the split is an
    assumption carried by ``base_investment_factor`` (priors.yaml).
R8  XD_ZJ = SME Jan-Oct 2003 x ``sme_annualisation`` + 301 key firms' XD 2003. Sector weights:
    sum over the sector's concordance pieces of ZJ sales of the piece x NAT03 XD/sales of the
    piece's divisions; XD_i = XD_ZJ x weight_i / sum(weights), capped at sales. Cross-check: the
    ZJIO net outflow (``xd_io_net_outflow_check`` in the provenance).
R9  XD_CN = NAT03 出口交货值 of the manufacturing divisions 13-43 (26,525.6; all above-size
    industry: 26,941.75). Real.
R10 RD_i = Sales_i x rd_to_sales_large_medium_industry (2003, 0.75 %). st_to_rd_ratio =
    LME S&T internal spending / LME R&D (2003). rd_growth_presample = mean annual growth of
    national GERD over ``rd_growth_years`` (1999-2003).
R11 Energy: E_mfg = LBL Zhejiang industry final energy 2003 (Mt_tce x 100) x share of
    manufacturing in CEADs 2003 energy CO2 of industry excluding power/heat generation;
    E_i by CEADs energy CO2 of the sector (scope 1 minus cement process CO2).
R12 china_gross_output_i = GO_IO(mfg) 2002 x NAT03 sales(mfg) / national above-size sales
    2002 (all industry, growth of the same scope) x NAT03 sales_i / NAT03 sales(mfg): the
    national 2003 sector structure (real) on the all-producer scope of the IO table.
R13 FDI = fdi_actually_used ZJ 2003 (10k_usd / 10000). Key firms: 301 and their gross output.
R14 Firm-size anchor: Zhejiang's 183 firms in the national private top-500 (2003 revenue);
    the core counts firms above 10 bn as 183 x (private_top500_entry_2003 / 100)^pareto_zeta.
Yearbook (``model.yearbook``): for 2003, any sector figure in ``calibration/data`` replaces the
derived one (status ``yearbook``); fields derived from it are recomputed from the replaced value
(GO from VA under "io_ratio", sales from GO, labour and capital from VA, R&D from sales).

Provenance statuses: ``real`` (a figure of the data), ``real_io2002`` (Zhejiang's own IO 2002
sector share applied to a real Zhejiang 2003 total), ``derived`` (a stated rule on real figures
of other tables, incl. the national-2003 split of IO 08/12/14), ``yearbook`` (planner table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from model import zhejiang_io
from model.errors import DataError
from model.observations import load_observations, series, value
from model.paths import CALIBRATION_DIR
from model.sectors import (
    MANUFACTURING_IO_CODES,
    MINING_IO_CODES,
    UTILITIES_IO_CODES,
    ceads_to_sector,
    gbt_to_sector,
    io_code_to_sector,
    load_sectors,
)
from model.yearbook import FIELD_MAP, aggregate_to_sectors, load_yearbook

BASE_YEAR = 2003
STATUSES: tuple[str, ...] = ("real", "real_io2002", "derived", "yearbook")

#: Default values of the assumption arguments (suggested priors in calibration/README.md).
#: ``depreciation_rate=None`` means: the ``delta_k`` default of the parameter registry.
DEFAULT_ASSUMPTIONS: Mapping[str, object] = MappingProxyType({
    "depreciation_rate": None,
    "initial_capital_ratio_denominator": 0.10,
    "sme_annualisation": 12.0 / 10.0,
    "gross_output_rule": "zhejiang_total",
    "rd_growth_years": (1999, 2003),
})

SECTOR_FIELDS: tuple[str, ...] = (
    "value_added", "gross_output", "sales", "capital", "labour", "investment",
    "export_delivery", "rd", "energy", "china_gross_output",
)
#: Per-sector ratios (not money): the sector pattern of the core's alpha_k and delta_k.
PATTERN_FIELDS: tuple[str, ...] = ("alpha_k_relative", "delta_k_relative")
UNITS: Mapping[str, str] = MappingProxyType({
    **{f: "100m_yuan" for f in SECTOR_FIELDS}, "energy": "10k_tce",
    **{f: "ratio" for f in PATTERN_FIELDS},
    "china_export_delivery": "100m_yuan", "fdi_actually_used": "100m_usd",
    "st_to_rd_ratio": "ratio", "key_firms_count": "count", "key_firms_output": "100m_yuan",
    "rd_growth_presample": "1/yr", "top_firms_anchor_count": "count", "xd_io_net_outflow_check": "100m_yuan",
    "depreciation_rate": "1/yr",
})


@dataclass(frozen=True)
class BaseYear:
    """Zhejiang manufacturing in 2003 (contract: docs/architecture.md).

    Per-sector arrays have shape (S,) in sector order, read-only. Extra fields beyond the
    contract: ``alpha_k_relative`` / ``delta_k_relative`` (sector pattern of alpha_k and
    delta_k, capital-weighted mean 1 for delta), ``year`` (2003), ``units`` (field -> unit) and
    ``assumptions`` (the assumption arguments used, name -> value).
    """

    sectors: tuple[str, ...]
    value_added: np.ndarray
    gross_output: np.ndarray
    sales: np.ndarray
    capital: np.ndarray
    labour: np.ndarray
    investment: np.ndarray
    export_delivery: np.ndarray
    rd: np.ndarray
    energy: np.ndarray
    china_gross_output: np.ndarray
    china_export_delivery: float
    fdi_actually_used: float
    st_to_rd_ratio: float
    key_firms_count: int
    key_firms_output: float
    rd_growth_presample: float
    top_firms_anchor_count: int
    provenance: pd.DataFrame = field(repr=False)
    alpha_k_relative: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False)
    delta_k_relative: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False)
    year: int = BASE_YEAR
    units: Mapping[str, str] = field(default_factory=lambda: UNITS, repr=False)
    assumptions: Mapping[str, object] = field(default_factory=lambda: DEFAULT_ASSUMPTIONS, repr=False)


# ---------------------------------------------------------------------------------------------
# helpers (pure)
# ---------------------------------------------------------------------------------------------

def io_table(obs: pd.DataFrame) -> pd.DataFrame:
    """National IO 2002 by IO code (index '007'..'087'), columns go, va, ex, comp, dep.

    Unit 100m_yuan (source 10k_yuan / 1e4). The IO code is read from each row's note
    ('IO sector NNN').
    """
    names = {"io2002_gross_output": "go", "io2002_value_added": "va", "io2002_exports": "ex",
             "io2002_compensation": "comp", "io2002_depreciation": "dep"}
    rows = obs[obs.indicator.isin(list(names)) & (obs.region == "china") & (obs.sector != "all")]
    codes = rows.note.astype(str).str.extract(r"IO sector (\d{3})", expand=False)
    if codes.isna().any():
        raise DataError("observations: io2002_* row without 'IO sector NNN' in its note")
    t = (rows.assign(code=codes, col=rows.indicator.map(names), v=rows.value / 1e4)
         .pivot(index="code", columns="col", values="v"))
    need = set(MINING_IO_CODES) | set(MANUFACTURING_IO_CODES) | set(UTILITIES_IO_CODES)
    miss = sorted(need - set(t.dropna().index))
    if miss:
        raise DataError(f"observations: IO 2002 figures missing for codes {miss}")
    return t


def io_by_sector(io: pd.DataFrame, sectors: pd.DataFrame) -> pd.DataFrame:
    """Sum the IO columns over each sector's codes; index = sector ids (sector order)."""
    m = io_code_to_sector(sectors)
    sub = io.loc[list(m)]
    return sub.groupby(pd.Series(m)).sum().reindex(sectors.id)


def perpetual_inventory(
    gfcf_nominal: pd.Series, volume_index: pd.Series, price_index: pd.Series,
    depreciation_rate: float, initial_ratio: float, end_year: int = BASE_YEAR,
) -> tuple[float, pd.Series]:
    """Zhang Jun (2004) perpetual inventory; return (K_end at end-year prices, real K series).

    Real GFCF (1952 prices): GFCF_1952 x index_t / 100 for years with the volume index
    (1952-1995); afterwards nominal / deflator, with deflator_t = deflator_{t-1} x P_t / 100
    (P = FAI price index, previous year = 100). deflator_t = nominal_t / real_t where both exist.
    K_1952 = real GFCF_1952 / initial_ratio; K_t = (1 - delta) K_{t-1} + I_t (1952 prices).
    The end-year stock is revalued to end-year prices by deflator_end.
    """
    y0 = int(volume_index.index.min())
    base = float(gfcf_nominal[y0])
    real: dict[int, float] = {}
    defl: dict[int, float] = {}
    for y in range(y0, end_year + 1):
        if y in volume_index.index:
            real[y] = base * float(volume_index[y]) / 100.0
            defl[y] = float(gfcf_nominal[y]) / real[y]
        else:
            defl[y] = defl[y - 1] * float(price_index[y]) / 100.0
            real[y] = float(gfcf_nominal[y]) / defl[y]
    k = {y0: real[y0] / initial_ratio}
    for y in range(y0 + 1, end_year + 1):
        k[y] = (1.0 - depreciation_rate) * k[y - 1] + real[y]
    ks = pd.Series(k, name="capital_real_1952_prices")
    return ks[end_year] * defl[end_year], ks


def _split(total: float, weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return total * w / w.sum()


def _default_depreciation(cdir: Path) -> float:
    """The ``delta_k`` default of the parameter registry in ``cdir`` (fitted beats prior)."""
    from model.parameters import load_parameters  # local: parameters does not need the base year

    return float(load_parameters(cdir)["delta_k"].default)


# ---------------------------------------------------------------------------------------------
# builder
# ---------------------------------------------------------------------------------------------

def build_base_year(
    calibration_dir: str | Path | None = None,
    yearbook_dir: str | Path | None = None,
    **assumptions: object,
) -> BaseYear:
    """Build the 2003 base year from ``calibration_dir`` (observations.csv, sectors.csv,
    the two concordance files).

    ``yearbook_dir`` (default ``<calibration_dir>/data``) holds planner yearbook CSVs whose 2003
    sector figures replace derived ones. ``assumptions`` override ``DEFAULT_ASSUMPTIONS``
    (unknown names raise ``DataError``). Rules C, R1-R13 in the module docstring.
    """
    if "data_dir" in assumptions:  # name used in docs/architecture.md
        dd = assumptions.pop("data_dir")
        calibration_dir = calibration_dir if dd is None else dd  # type: ignore[assignment]
    unknown = set(assumptions) - set(DEFAULT_ASSUMPTIONS)
    if unknown:
        raise DataError(f"build_base_year: unknown assumption(s) {sorted(unknown)}; allowed "
                        f"{sorted(DEFAULT_ASSUMPTIONS)}")
    a = {**DEFAULT_ASSUMPTIONS, **assumptions}
    cdir = Path(calibration_dir) if calibration_dir is not None else CALIBRATION_DIR
    ydir = Path(yearbook_dir) if yearbook_dir is not None else cdir / "data"
    if a["depreciation_rate"] is None:
        a["depreciation_rate"] = _default_depreciation(cdir)
    obs = load_observations(cdir / "observations.csv")
    sectors = load_sectors(cdir / "sectors.csv")
    ids = tuple(sectors.id)
    yb_vals, yb_src = aggregate_to_sectors(load_yearbook(ydir, BASE_YEAR), BASE_YEAR, sectors)

    prov: list[dict] = []

    def src(ind: str, region: str = "zhejiang", sector: str = "all", year: int | None = None):
        r = obs[(obs.indicator == ind) & (obs.region == region) & (obs.sector == sector)]
        if year is not None:
            r = r[r.year == year]
        r = r.iloc[0]
        loc = r.source_url if isinstance(r.source_url, str) and r.source_url else "table ref"
        return f"{ind} {region} {sector} {r.year}: {r.source_title} <{loc}>"

    def record(fld, arr, status, rule, sources):
        arr = np.atleast_1d(np.asarray(arr, dtype=float))
        secs = ids if arr.size == len(ids) else ("all",)
        st = status if isinstance(status, (list, tuple)) else [status] * len(secs)
        ss = sources if isinstance(sources, (list, tuple)) else [sources] * len(secs)
        rl = rule if isinstance(rule, (list, tuple)) else [rule] * len(secs)
        for s, v, t, so, ru in zip(secs, arr, st, ss, rl, strict=True):
            prov.append(dict(field=fld, sector=s, value=float(v), unit=UNITS[fld], status=t,
                             rule=ru, sources=so))

    def apply_yearbook(fld: str, derived: np.ndarray, status, rule, sources):
        col = {v: k for k, v in FIELD_MAP.items()}[fld]
        yv = yb_vals[col].to_numpy()
        use = ~np.isnan(yv)
        out = np.where(use, yv, derived)
        st0 = status if isinstance(status, (list, tuple)) else [status] * len(ids)
        ss0 = sources if isinstance(sources, (list, tuple)) else [sources] * len(ids)
        rl0 = rule if isinstance(rule, (list, tuple)) else [rule] * len(ids)
        st = ["yearbook" if u else s for u, s in zip(use, st0, strict=True)]
        ss = [yb_src[col].iloc[i] if use[i] else ss0[i] for i in range(len(ids))]
        rl = [f"yearbook figure ({rl0[i]} not used)" if use[i] else rl0[i] for i in range(len(ids))]
        record(fld, out, st, rl, ss)
        return out, use

    # C: Zhejiang IO 2002 by model sector ------------------------------------------------------
    divisions = zhejiang_io.load_divisions(cdir)
    conc = zhejiang_io.load_concordance(sectors, cdir)
    nat_sales = zhejiang_io.national_2003_by_division(
        obs, divisions, "industrial_sales_value_current_above_size")
    nat_xd = zhejiang_io.national_2003_by_division(obs, divisions, "export_delivery_value_above_size")
    nat_fa = zhejiang_io.national_2003_by_division(
        obs, divisions, "fixed_assets_original_value_above_size")
    key = zhejiang_io.split_key(obs, conc, divisions, nat_sales)
    pieces = zhejiang_io.zhejiang_io_pieces(obs, conc, key)
    zj = zhejiang_io.by_model_sector(pieces, ids)
    tot = zhejiang_io.scope_totals(pieces)
    ind_tot = tot.loc[list(zhejiang_io.INDUSTRY_SCOPES)].sum()
    mfg_tot = tot.loc["manufacturing"]
    split_sector = zj.derived_go_share.to_numpy() > 0
    zj_src = src("io2002_value_added", "zhejiang", "07_textiles", 2002)
    nat_src = (f"{src('industrial_sales_value_current_above_size', 'china', '纺织业', 2003)}; "
               f"{src('co2_scope1_ceads', 'zhejiang', 'apparel', 2003)}; "
               f"{src('energy_consumption_nbs2016vintage', 'china', '医药制造业', 2003)}")
    conc_note = "concordance calibration/io2002_zhejiang_concordance.csv"

    def io_status(kind: str, whole: str = "real_io2002") -> tuple[list[str], list[str]]:
        """Status and rule suffix per sector for a ZJIO share (split pieces -> derived)."""
        st, rl = [], []
        for i in range(len(ids)):
            if split_sector[i]:
                st.append("derived")
                rl.append(f"; {zj.derived_go_share.iloc[i]:.0%} of the sector's IO {kind} comes "
                          f"from IO 08/12/14 pieces split by national 2003 sales x Zhejiang/national "
                          f"energy (derived)")
            else:
                st.append(whole)
                rl.append("")
        return st, rl

    io = io_table(obs)
    ios = io_by_sector(io, sectors)
    io_src = src("io2002_value_added", "china", "all", 2002)

    # R1 value added ---------------------------------------------------------------------------
    va_ind = value(obs, "industry_va", BASE_YEAR)
    va_mfg = va_ind * mfg_tot.va / ind_tot.va
    va = va_mfg * zj.va.to_numpy() / mfg_tot.va
    st, suffix = io_status("value added")
    va_rule = [f"R1: VA_mfg = industry_va ZJ 2003 x ZJIO 2002 mfg/industry VA share "
               f"({mfg_tot.va / ind_tot.va:.4f}) = {va_mfg:.1f}; split by ZJIO VA ({conc_note})"
               + sfx for sfx in suffix]
    va_srcs = f"{src('industry_va', year=BASE_YEAR)}; {zj_src}"
    va_srcs_split = f"{va_srcs}; {nat_src}"
    va, _ = apply_yearbook("value_added", va, st, va_rule,
                           [va_srcs_split if s else va_srcs for s in split_sector])

    # R3 / R4 gross output and sales -----------------------------------------------------------
    go_io = va * (zj.go / zj.va).to_numpy()
    go_sources = [f"{zj_src}; {nat_src}" if s else zj_src for s in split_sector]
    if a["gross_output_rule"] == "zhejiang_total":
        go_ind_zj = (value(obs, "sme_gross_industrial_output_jan_oct", BASE_YEAR)
                     * float(a["sme_annualisation"])
                     + value(obs, "key_enterprises_301_gross_output", BASE_YEAR))
        go_mfg_zj = go_ind_zj * mfg_tot.go / ind_tot.go
        go_derived = go_mfg_zj * zj.go.to_numpy() / mfg_tot.go
        go_rule = (f"R3: GO_mfg = (SME GO Jan-Oct x {a['sme_annualisation']:.3f} + 301 key firms' "
                   f"GO) x ZJIO 2002 mfg share of industry GO ({mfg_tot.go / ind_tot.go:.4f}) = "
                   f"{go_mfg_zj:.1f}; split by ZJIO GO")
        go_src = (f"{src('sme_gross_industrial_output_jan_oct', year=BASE_YEAR)}; "
                  f"{src('key_enterprises_301_gross_output', year=BASE_YEAR)}")
        go_sources = [f"{go_src}; {s}" for s in go_sources]
        go_status = ["derived" if s else "real_io2002" for s in split_sector]
    elif a["gross_output_rule"] == "io_ratio":
        go_derived, go_rule = go_io, "R3: GO = VA x (GO/VA)_ZJIO of the sector"
        go_status = ["derived"] * len(ids)
    else:
        raise DataError(f"build_base_year: gross_output_rule={a['gross_output_rule']!r}; allowed "
                        f"'zhejiang_total' or 'io_ratio'")
    _, suffix = io_status("gross output")
    go, _ = apply_yearbook("gross_output", go_derived, go_status,
                           [go_rule + sfx for sfx in suffix], go_sources)
    s_ratio = (value(obs, "sme_sales_revenue_jan_oct", BASE_YEAR)
               / value(obs, "sme_gross_industrial_output_jan_oct", BASE_YEAR))
    sales, _ = apply_yearbook(
        "sales", go * s_ratio, "derived",
        f"R4: sales = GO x Zhejiang SME sales/output Jan-Oct 2003 ({s_ratio:.4f})",
        f"{src('sme_sales_revenue_jan_oct', year=BASE_YEAR)}; "
        f"{src('sme_gross_industrial_output_jan_oct', year=BASE_YEAR)}")

    # R5 capital and sector depreciation pattern ---------------------------------------------
    delta = float(a["depreciation_rate"])
    k_zj, _ks = perpetual_inventory(
        series(obs, "gross_fixed_capital_formation"), series(obs, "gfcf_volume_index"),
        series(obs, "price_index_fixed_asset_investment"), delta,
        float(a["initial_capital_ratio_denominator"]))
    dep_zj = value(obs, "depreciation_fixed_assets", BASE_YEAR)
    dep_i = va * (zj.dep / zj.va).to_numpy()
    k_mfg = k_zj * dep_i.sum() / dep_zj
    g2s = gbt_to_sector(sectors)
    fa = nat_fa[[d for d in nat_fa.index if d in g2s]]
    fa_s = fa.groupby(pd.Series(g2s)).sum().reindex(list(ids)).to_numpy()
    book_rate = ios.dep.to_numpy() / fa_s  # national IO 2002 depreciation / NAT03 fixed assets
    # rho = book_rate / rbar with sum_i rho_i K_i = K_mfg where K_i = K_mfg (D_i/rho_i)/sum_j(D_j/rho_j):
    # sum_i D_i = sum_j D_j / rho_j, i.e. rbar = sum D / sum(D / book_rate)
    rbar = dep_i.sum() / (dep_i / book_rate).sum()
    rho = book_rate / rbar
    k_derived = k_mfg * (dep_i / rho) / (dep_i / rho).sum()
    cap_src = (f"{src('gross_fixed_capital_formation', year=1952)}; "
               f"{src('gfcf_volume_index', year=1952)}; "
               f"{src('price_index_fixed_asset_investment', year=2003)}; "
               f"{src('depreciation_fixed_assets', year=2003)}; {zj_src}; {io_src}; "
               f"{src('fixed_assets_original_value_above_size', 'china', '纺织业', 2003)}")
    capital, _ = apply_yearbook(
        "capital", k_derived, "derived",
        f"R5: K_mfg = K_ZJ (PIM, delta={delta:.4f}, 2003 prices: {k_zj:.1f}) x D_mfg / D_ZJ 2003 "
        f"= {k_mfg:.1f}; K_i = K_mfg x (D_i/rho_i) / sum, D_i = VA_i x (dep/VA)_ZJIO, rho = "
        f"relative book depreciation rate (IO dep / NAT03 fixed assets)", cap_src)
    record("delta_k_relative", rho, "derived",
           f"R5: (national IO 2002 depreciation / NAT03 fixed assets original value) / {rbar:.4f}; "
           f"capital-weighted mean 1: sector delta = delta_k x this", cap_src)
    record("depreciation_rate", delta, "derived",
           "R5: the model's delta_k default (calibration/parameters.yaml), used to build K_ZJ",
           "calibration/parameters.yaml (mfgbase calibrate)")

    # R6 labour and capital-share pattern ------------------------------------------------------
    labour, _ = apply_yearbook("labour", va * (zj.comp / zj.va).to_numpy(), "derived",
                               "R6: wage bill = VA x (compensation/VA)_ZJIO", zj_src)
    cap_share = ((zj.dep + zj.surplus) / (zj.va - zj.tax)).to_numpy()
    cap_share_mfg = float((mfg_tot.dep + mfg_tot.surplus) / (mfg_tot.va - mfg_tot.tax))
    alpha_rel = cap_share / cap_share_mfg
    _, suffix = io_status("factor shares")
    record("alpha_k_relative", alpha_rel, ["derived" if s else "real_io2002" for s in split_sector],
           [f"R6: capital income share (dep + operating surplus)/(VA - net production taxes), "
            f"ZJIO, relative to manufacturing ({cap_share_mfg:.4f})" + sfx for sfx in suffix],
           zj_src)

    # R7 investment ----------------------------------------------------------------------------
    gfcf03 = value(obs, "gross_fixed_capital_formation", BASE_YEAR)
    i_mfg = gfcf03 * k_mfg / k_zj
    invest = i_mfg * dep_i / dep_i.sum()
    record("investment", invest, "derived",
           f"R7: I_mfg = GFCF ZJ 2003 x K_mfg / K_ZJ ({i_mfg:.1f}); I_i in proportion to ZJIO "
           f"depreciation (ZJIO GFCF is by product, not by investing sector; uncertainty: "
           f"base_investment_factor)",
           f"{src('gross_fixed_capital_formation', year=BASE_YEAR)}; {cap_src}")

    # R8 / R9 export delivery ------------------------------------------------------------------
    sme = value(obs, "sme_export_delivery_value_jan_oct", BASE_YEAR)
    key_xd = value(obs, "key_enterprises_301_export_delivery_value", BASE_YEAR)
    xd_zj = sme * float(a["sme_annualisation"]) + key_xd
    mp = pieces[pieces.scope == "manufacturing"].copy()
    mp["intensity"] = [float(nat_xd.reindex(d).sum() / nat_sales.reindex(d).sum())
                       for d in mp.divisions]
    sec_go = mp.groupby("model_sector").go.transform("sum")
    sales_by_id = dict(zip(ids, sales, strict=True))
    mp["zj_sales"] = mp.go / sec_go * mp.model_sector.map(sales_by_id)
    w_xd = (mp.zj_sales * mp.intensity).groupby(mp.model_sector).sum().reindex(list(ids))
    xd = np.minimum(xd_zj * w_xd.to_numpy() / w_xd.sum(), sales)
    no_cn = src("export_delivery_value_above_size", "china", "纺织业", 2003)
    xd_rule = (f"R8: XD_ZJ = SME Jan-Oct x {a['sme_annualisation']:.3f} + 301 key firms "
               f"({xd_zj:.1f}); split by ZJ sales x national 2003 XD/sales of the sector's "
               f"divisions (national intensities on ZJ sales give {w_xd.sum():.1f}, "
               f"{w_xd.sum() / sales.sum():.4f} of sales; reconciled to XD_ZJ by "
               f"x{xd_zj / w_xd.sum():.3f}), capped at sales")
    xd, _ = apply_yearbook(
        "export_delivery", xd, "derived", xd_rule,
        f"{src('sme_export_delivery_value_jan_oct', year=BASE_YEAR)}; "
        f"{src('key_enterprises_301_export_delivery_value', year=BASE_YEAR)}; {no_cn}")
    record("xd_io_net_outflow_check", mfg_tot.net_outflow, "real",
           f"R8 cross-check: ZJIO 2002 manufacturing net outflow (outflow to other provinces and "
           f"abroad minus inflow and imports) = {mfg_tot.net_outflow:.1f} vs XD_ZJ 2003 "
           f"{xd_zj:.1f} (ratio {mfg_tot.net_outflow / xd_zj:.2f}); not used",
           src("io2002_net_outflow", "zhejiang", "07_textiles", 2002))
    mfg_div = divisions.division[divisions.scope == "manufacturing"]
    xd_cn = float(nat_xd.reindex(mfg_div).sum())
    record("china_export_delivery", xd_cn, "real",
           f"R9: national 2003 above-size 出口交货值, manufacturing divisions 13-43 ({xd_cn:.2f}; all "
           f"industry {value(obs, 'export_delivery_value_above_size', 2003, 'china', 'all_industry'):.2f})",
           f"{src('export_delivery_value_above_size', 'china', 'all_industry', 2003)}")

    # R10 R&D ----------------------------------------------------------------------------------
    rd_sales = series(obs, "rd_to_sales_large_medium_industry", "china", "industry")
    rho_rd = float(rd_sales.iloc[-1]) / 100.0
    rd_src = src("rd_to_sales_large_medium_industry", "china", "industry",
                 int(rd_sales.index[-1]))
    rd, _ = apply_yearbook("rd", sales * rho_rd, "derived",
                           f"R10: R&D = sales x national LME R&D/sales {rd_sales.index[-1]} "
                           f"({rho_rd:.4f}), uniform", rd_src)
    st_rd = (value(obs, "st_expenditure_internal_large_medium_ind", BASE_YEAR, "china")
             / value(obs, "rd_expenditure_large_medium_ind", BASE_YEAR, "china"))
    record("st_to_rd_ratio", st_rd, "real", "R10: LME S&T internal spending / LME R&D, 2003",
           f"{src('st_expenditure_internal_large_medium_ind', 'china', year=BASE_YEAR)}; "
           f"{src('rd_expenditure_large_medium_ind', 'china', year=BASE_YEAR)}")
    y0, y1 = (int(x) for x in a["rd_growth_years"])  # type: ignore[union-attr]
    gerd = series(obs, "rd_expenditure_gerd", "china")
    g_rd = (gerd[y1] / gerd[y0]) ** (1.0 / (y1 - y0)) - 1.0
    record("rd_growth_presample", g_rd, "derived",
           f"R10: mean annual growth of national GERD {y0}-{y1} (nominal)",
           src("rd_expenditure_gerd", "china", year=y1))

    # R11 energy -------------------------------------------------------------------------------
    e_ind = value(obs, "final_energy_consumption_lbl", BASE_YEAR, sector="industry") * 100.0
    c2s = ceads_to_sector(sectors)
    co2 = obs[(obs.indicator == "co2_scope1_ceads") & (obs.year == BASE_YEAR)
              & (obs.region == "zhejiang")].set_index("sector")["value"]
    proc = obs[(obs.indicator == "co2_process_ceads") & (obs.year == BASE_YEAR)
               & (obs.region == "zhejiang") & (obs.sector != "all")].set_index("sector")["value"]
    co2e = co2.sub(proc, fill_value=0.0)
    other_ind = ["coal_mining", "oil_gas_extraction", "ferrous_mining", "nonferrous_mining",
                 "nonmetal_mining", "other_mining", "gas_supply", "water_supply"]
    mfg_e = pd.Series({c: co2e[c] for c in c2s}).groupby(pd.Series(c2s)).sum().reindex(ids)
    share = mfg_e.sum() / (mfg_e.sum() + co2e[other_ind].sum())
    energy, _ = apply_yearbook(
        "energy", _split(e_ind * share, mfg_e.to_numpy()), "derived",
        f"R11: LBL industry final energy 2003 x CEADs mfg share of industry energy CO2 "
        f"excl. power/heat ({share:.4f}); split by CEADs energy CO2 (scope1 - process)",
        f"{src('final_energy_consumption_lbl', sector='industry', year=BASE_YEAR)}; "
        f"{src('co2_scope1_ceads', year=BASE_YEAR)}")

    # R12 China gross output -------------------------------------------------------------------
    sales_cn = nat_sales[[d for d in nat_sales.index if d in g2s]]
    sales_cn_s = sales_cn.groupby(pd.Series(g2s)).sum().reindex(list(ids)).to_numpy()
    g_cn = (value(obs, "industrial_sales_value_current_above_size", 2003, "china", "all_industry")
            / value(obs, "industrial_sales_value_current_above_size", 2002, "china", "all_industry"))
    go_cn_mfg = io.loc[list(MANUFACTURING_IO_CODES), "go"].sum() * g_cn
    cgo = go_cn_mfg * sales_cn_s / sales_cn_s.sum()
    record("china_gross_output", cgo, "derived",
           f"R12: national IO 2002 mfg GO x national above-size sales growth 2002->03 "
           f"({g_cn:.4f}) = {go_cn_mfg:.1f}; split by national 2003 sales of the divisions",
           f"{src('io2002_gross_output', 'china', year=2002)}; "
           f"{src('industrial_sales_value_current_above_size', 'china', 'all_industry', 2003)}; "
           f"{src('industrial_sales_value_current_above_size', 'china', 'all_industry', 2002)}")

    # R13 FDI and key firms --------------------------------------------------------------------
    fdi = value(obs, "fdi_actually_used", BASE_YEAR) / 1e4
    record("fdi_actually_used", fdi, "real", "R13: 10k_usd / 10000",
           src("fdi_actually_used", year=BASE_YEAR))
    key_out = value(obs, "key_enterprises_301_gross_output", BASE_YEAR)
    record("key_firms_count", 301, "real", "R13: the 301 '五个一批' key enterprises",
           src("key_enterprises_301_gross_output", year=BASE_YEAR))
    record("key_firms_output", key_out, "real", "R13: gross output of the 301 key enterprises",
           src("key_enterprises_301_gross_output", year=BASE_YEAR))

    # R14 firm-size anchor -------------------------------------------------------------------
    n_top = value(obs, "private_top500_enterprises_count", BASE_YEAR)
    record("top_firms_anchor_count", n_top, "real",
           "R14: Zhejiang firms in the national private top-500 (全国工商联, 2003 revenue, all "
           "sectors); with their entry revenue private_top500_entry_2003 (priors.yaml) and "
           "pareto_zeta the anchor of the firm-size tail (core block F)",
           src("private_top500_enterprises_count", year=BASE_YEAR))

    def ro(x: np.ndarray) -> np.ndarray:
        y = np.array(x, dtype=np.float64)
        y.setflags(write=False)
        return y

    provenance = pd.DataFrame(prov, columns=["field", "sector", "value", "unit", "status",
                                             "rule", "sources"])
    return BaseYear(
        sectors=ids, value_added=ro(va), gross_output=ro(go), sales=ro(sales),
        capital=ro(capital), labour=ro(labour), investment=ro(invest),
        export_delivery=ro(xd), rd=ro(rd), energy=ro(energy), china_gross_output=ro(cgo),
        china_export_delivery=float(xd_cn), fdi_actually_used=float(fdi),
        st_to_rd_ratio=float(st_rd), key_firms_count=301, key_firms_output=float(key_out),
        rd_growth_presample=float(g_rd), top_firms_anchor_count=int(n_top), provenance=provenance,
        alpha_k_relative=ro(alpha_rel), delta_k_relative=ro(rho),
        assumptions=MappingProxyType(dict(a)),
    )


def summary(base: BaseYear) -> pd.DataFrame:
    """Per-sector table of the base year (rows = sectors, columns = fields) plus a total row."""
    df = pd.DataFrame({f: getattr(base, f) for f in SECTOR_FIELDS}, index=list(base.sectors))
    df.loc["total"] = df.sum()
    return df

