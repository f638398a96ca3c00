"""The 2003 base year: Zhejiang manufacturing by sector, with provenance.

``build_base_year(calibration_dir=None, yearbook_dir=None, **assumptions) -> BaseYear``.
All money in 100m_yuan at 2003 prices (= nominal 2003); energy in 10k_tce; USD in 100m_usd.
Sector order = ``calibration/sectors.csv``. Notation: ``IO`` = national 2002 input-output table
(122 sectors, producer prices), aggregated to model sectors by ``sectors.io2002_codes``.

Derivation rules (see also ``calibration/README.md``):

R1  VA_mfg = VA_industry_ZJ_2003 (4381, preliminary vintage) x VA_IO(mfg 013-084) /
    VA_IO(industry 007-087).
R2  Anchors (real Zhejiang sector figures): the provincial "textile industry" (textiles,
    apparel, chemical fibres: ``textile_anchor_sectors``) had 22 % of above-size industrial
    sales in 2000; ferrous metallurgy (steel, GB/T 32) sold 123.6 of the implied
    1426.4 / 0.22 total above-size sales (year inferred as 2000). Sales share s_g -> VA share
    of industry: s_g x (VA/GO)_IO,g / (VA/GO)_IO,industry; the share is held at its 2000 value
    (i.e. the anchored sector grows with the provincial total 2000->2003). VA_g = share x
    VA_industry_ZJ_2003, split inside the group by IO VA. Other sectors share
    VA_mfg - sum(VA_g) in IO VA proportions.
R3  ``gross_output_rule="zhejiang_total"`` (default): GO_mfg = (Zhejiang SME gross output
    Jan-Oct 2003 x ``sme_annualisation`` + the 301 key firms' 2003 gross output) x
    GO_IO(mfg) / GO_IO(industry); GO_i = GO_mfg x (VA_i/(VA/GO)_IO,i) / sum_j(...). Reason: the
    SMEs alone produced 16547 in Jan-Oct 2003, more than the full-year GO implied by national
    VA/GO ratios (~13000): Zhejiang's VA/GO ratio is far below the national one.
    ``"io_ratio"``: GO_i = VA_i / (VA/GO)_IO,i.
R4  Sales_i = GO_i x Zhejiang SME sales / gross output, Jan-Oct 2003 (0.9715; the national
    above-size ratio 2000 is 0.9822).
R5  Capital: Zhejiang total net capital stock K_ZJ by perpetual inventory (Zhang Jun 2004
    method): real GFCF = GFCF_1952 x volume index / 100 (1952 prices) to 1995, then deflated
    by the FAI price index; K_1952 = GFCF_1952 / ``initial_capital_ratio_denominator`` (0.10);
    K_t = (1 - delta) K_{t-1} + I_t; revalued to 2003 prices by the implicit GFCF deflator.
    K_i = K_ZJ x D_i / D_ZJ_2003, where D_i = VA_i x (depreciation/VA)_IO,i and D_ZJ_2003 is
    Zhejiang's income-approach depreciation of fixed assets (1270.48).
R6  Labour (wage bill) L_i = VA_i x (compensation/VA)_IO,i.
R7  Investment I_i = GFCF_ZJ_2003 x K_i / K_ZJ (capital-share rule).
R8  XD_ZJ = SME Jan-Oct 2003 x ``sme_annualisation`` (12/10) + 301 key firms' XD 2003;
    split by IO exports of the sectors (within manufacturing), capped at sales.
R9  XD_CN = EX_IO(mfg) 2002 x customs exports 2003 / 2002 (USD; fixed 8.277 yuan/usd) x
    ``xd_to_io_exports_ratio`` (1.0).
R10 RD_i = Sales_i x rd_to_sales_large_medium_industry (2003, 0.75 %). st_to_rd_ratio =
    LME S&T internal spending / LME R&D (2003). rd_growth_presample = mean annual growth of
    national GERD over ``rd_growth_years`` (1999-2003).
R11 Energy: E_mfg = LBL Zhejiang industry final energy 2003 (Mt_tce x 100) x share of
    manufacturing in CEADs 2003 energy CO2 of industry excluding power/heat generation;
    E_i by CEADs energy CO2 of the sector (scope 1 minus cement process CO2).
R12 china_gross_output_i = GO_IO,i x GDP_CN 2003 / GDP_CN 2002 (nominal, same vintage).
R13 FDI = fdi_actually_used ZJ 2003 (10k_usd / 10000). Key firms: 301 and their gross output.
Yearbook (``model.yearbook``): for 2003, any sector figure in ``calibration/data`` replaces the
derived one (status ``yearbook``); fields derived from it are recomputed from the replaced value
(GO from VA under "io_ratio", sales from GO, labour and capital from VA, R&D from sales).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from model.errors import DataError
from model.observations import load_observations, series, value
from model.paths import CALIBRATION_DIR
from model.sectors import (
    MANUFACTURING_IO_CODES,
    MINING_IO_CODES,
    UTILITIES_IO_CODES,
    ceads_to_sector,
    io_code_to_sector,
    load_sectors,
)
from model.yearbook import FIELD_MAP, aggregate_to_sectors, load_yearbook

BASE_YEAR = 2003

#: Default values of the assumption arguments (suggested priors in calibration/README.md).
DEFAULT_ASSUMPTIONS: Mapping[str, object] = MappingProxyType({
    "depreciation_rate": 0.096,
    "initial_capital_ratio_denominator": 0.10,
    "sme_annualisation": 12.0 / 10.0,
    "xd_to_io_exports_ratio": 1.0,
    "use_news_anchors": True,
    "gross_output_rule": "zhejiang_total",
    "textile_anchor_sectors": ("textiles", "apparel", "chemical_fibres"),
    "rd_growth_years": (1999, 2003),
})

SECTOR_FIELDS: tuple[str, ...] = (
    "value_added", "gross_output", "sales", "capital", "labour", "investment",
    "export_delivery", "rd", "energy", "china_gross_output",
)
UNITS: Mapping[str, str] = MappingProxyType({
    **{f: "100m_yuan" for f in SECTOR_FIELDS}, "energy": "10k_tce",
    "china_export_delivery": "100m_yuan", "fdi_actually_used": "100m_usd",
    "st_to_rd_ratio": "ratio", "key_firms_count": "count", "key_firms_output": "100m_yuan",
    "rd_growth_presample": "1/yr",
})


@dataclass(frozen=True)
class BaseYear:
    """Zhejiang manufacturing in 2003 (contract: docs/architecture.md).

    Per-sector arrays have shape (S,) in sector order, read-only. Extra fields beyond the
    contract: ``year`` (2003), ``units`` (field -> unit) and ``assumptions`` (the assumption
    arguments used, name -> value).
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
    provenance: pd.DataFrame = field(repr=False)
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


# ---------------------------------------------------------------------------------------------
# builder
# ---------------------------------------------------------------------------------------------

def build_base_year(
    calibration_dir: str | Path | None = None,
    yearbook_dir: str | Path | None = None,
    **assumptions: object,
) -> BaseYear:
    """Build the 2003 base year from ``calibration_dir`` (observations.csv, sectors.csv).

    ``yearbook_dir`` (default ``<calibration_dir>/data``) holds planner yearbook CSVs whose 2003
    sector figures replace derived ones. ``assumptions`` override ``DEFAULT_ASSUMPTIONS``
    (unknown names raise ``DataError``). Rules R1-R13 in the module docstring.
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
    obs = load_observations(cdir / "observations.csv")
    sectors = load_sectors(cdir / "sectors.csv")
    ids = tuple(sectors.id)
    yb_vals, yb_src = aggregate_to_sectors(load_yearbook(ydir), BASE_YEAR, sectors)

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
        for s, v, t, so in zip(secs, arr, st, ss, strict=True):
            prov.append(dict(field=fld, sector=s, value=float(v), unit=UNITS[fld], status=t,
                             rule=rule, sources=so))

    def apply_yearbook(fld: str, derived: np.ndarray, status: str, rule: str, sources: str):
        col = {v: k for k, v in FIELD_MAP.items()}[fld]
        yv = yb_vals[col].to_numpy()
        use = ~np.isnan(yv)
        out = np.where(use, yv, derived)
        st = ["yearbook" if u else status for u in use]
        ss = [yb_src[col].iloc[i] if use[i] else sources for i in range(len(ids))]
        rl = rule if not use.any() else rule + " | yearbook figure used where available"
        record(fld, out, st, rl, ss)
        return out, use

    io = io_table(obs)
    ios = io_by_sector(io, sectors)
    ind_codes = list(MINING_IO_CODES) + list(MANUFACTURING_IO_CODES) + list(UTILITIES_IO_CODES)
    va_ind_io = io.loc[ind_codes, "va"].sum()
    go_ind_io = io.loc[ind_codes, "go"].sum()
    va_mfg_io = io.loc[list(MANUFACTURING_IO_CODES), "va"].sum()
    io_src = src("io2002_value_added", "china", "all", 2002)
    vago = (ios.va / ios.go).to_numpy()

    # R1 / R2: value added ------------------------------------------------------------------
    va_ind = value(obs, "industry_va", BASE_YEAR)
    va_mfg = va_ind * va_mfg_io / va_ind_io
    va = _split(va_mfg, ios.va.to_numpy())
    va_status = ["derived"] * len(ids)
    anchored = np.zeros(len(ids), dtype=bool)
    va_rule = ("R1: VA_mfg = industry_va ZJ 2003 x IO2002 mfg/industry VA share; split by IO2002 "
               "VA structure")
    va_srcs = f"{src('industry_va', year=BASE_YEAR)}; {io_src}"
    va_sources = [va_srcs] * len(ids)
    if a["use_news_anchors"]:
        ind_vago = va_ind_io / go_ind_io
        tex_share = value(obs, "sales_revenue_share_of_above_size_industry", 2000,
                          sector="textiles") / 100.0
        tex_sales = value(obs, "sales_revenue_above_size", 2000, sector="textiles")
        steel_sales = value(obs, "sales_revenue_above_size", 2000, sector="steel")
        total_sales_2000 = tex_sales / tex_share
        groups = [(list(a["textile_anchor_sectors"]), tex_share,
                   src("sales_revenue_share_of_above_size_industry", sector="textiles")),
                  (["ferrous_metals"], steel_sales / total_sales_2000,
                   f"{src('sales_revenue_above_size', sector='steel')}; "
                   f"{src('sales_revenue_above_size', sector='textiles')}")]
        anchor_total = 0.0
        for members, share, s in groups:
            idx = [ids.index(m) for m in members]
            g_vago = ios.va.iloc[idx].sum() / ios.go.iloc[idx].sum()
            va_g = share * g_vago / ind_vago * va_ind
            va[idx] = _split(va_g, ios.va.iloc[idx].to_numpy())
            anchored[idx] = True
            anchor_total += va_g
            for i in idx:
                va_status[i] = "anchored"
                va_sources[i] = f"{va_srcs}; anchor: {s}"
        rest = ~anchored
        va[rest] = _split(va_mfg - anchor_total, ios.va.to_numpy()[rest])
        va_rule = ("R1+R2: VA_mfg as R1; textile group and ferrous metals anchored on their 2000 "
                   "Zhejiang above-size sales share (converted to VA share by IO VA/GO ratios, held "
                   "constant to 2003), others share the remainder by IO2002 VA")
    va_y = yb_vals["value_added_100m_yuan"].to_numpy()
    use_va = ~np.isnan(va_y)
    va = np.where(use_va, va_y, va)
    va_status = ["yearbook" if u else s for u, s in zip(use_va, va_status, strict=True)]
    va_sources = [yb_src["value_added_100m_yuan"].iloc[i] if use_va[i] else va_sources[i]
                  for i in range(len(ids))]
    record("value_added", va, va_status, va_rule, va_sources)

    # R3 / R4 -----------------------------------------------------------------------------------
    go_io = va / vago
    if a["gross_output_rule"] == "zhejiang_total":
        go_ind_zj = (value(obs, "sme_gross_industrial_output_jan_oct", BASE_YEAR)
                     * float(a["sme_annualisation"])
                     + value(obs, "key_enterprises_301_gross_output", BASE_YEAR))
        go_mfg_zj = go_ind_zj * io.loc[list(MANUFACTURING_IO_CODES), "go"].sum() / go_ind_io
        go_derived = _split(go_mfg_zj, go_io)
        go_rule = (f"R3: GO_mfg = (SME GO Jan-Oct x {a['sme_annualisation']:.3f} + 301 key firms' "
                   f"GO) x IO2002 mfg share of industry GO ({go_mfg_zj:.1f}); split by VA_i / "
                   f"(VA/GO)_IO,i")
        go_src = (f"{src('sme_gross_industrial_output_jan_oct', year=BASE_YEAR)}; "
                  f"{src('key_enterprises_301_gross_output', year=BASE_YEAR)}; {io_src}")
    elif a["gross_output_rule"] == "io_ratio":
        go_derived, go_rule, go_src = go_io, "R3: GO = VA / (VA/GO of the sector in IO2002)", io_src
    else:
        raise DataError(f"build_base_year: gross_output_rule={a['gross_output_rule']!r}; allowed "
                        f"'zhejiang_total' or 'io_ratio'")
    go, _ = apply_yearbook("gross_output", go_derived, "derived", go_rule, go_src)
    s_ratio = (value(obs, "sme_sales_revenue_jan_oct", BASE_YEAR)
               / value(obs, "sme_gross_industrial_output_jan_oct", BASE_YEAR))
    sales, _ = apply_yearbook(
        "sales", go * s_ratio, "derived",
        f"R4: sales = GO x Zhejiang SME sales/output Jan-Oct 2003 ({s_ratio:.4f})",
        f"{src('sme_sales_revenue_jan_oct', year=BASE_YEAR)}; "
        f"{src('sme_gross_industrial_output_jan_oct', year=BASE_YEAR)}")

    # R5 capital ----------------------------------------------------------------------------------
    k_zj, _ks = perpetual_inventory(
        series(obs, "gross_fixed_capital_formation"), series(obs, "gfcf_volume_index"),
        series(obs, "price_index_fixed_asset_investment"), float(a["depreciation_rate"]),
        float(a["initial_capital_ratio_denominator"]))
    dep_zj = value(obs, "depreciation_fixed_assets", BASE_YEAR)
    dep_i = va * (ios.dep / ios.va).to_numpy()
    cap_src = (f"{src('gross_fixed_capital_formation', year=1952)}; "
               f"{src('gfcf_volume_index', year=1952)}; "
               f"{src('price_index_fixed_asset_investment', year=2003)}; "
               f"{src('depreciation_fixed_assets', year=2003)}; {io_src}")
    capital, _ = apply_yearbook(
        "capital", k_zj * dep_i / dep_zj, "derived",
        f"R5: K_i = K_ZJ (PIM, delta={a['depreciation_rate']}, 2003 prices: {k_zj:.1f}) x "
        f"VA_i x (dep/VA)_IO,i / depreciation ZJ 2003", cap_src)

    # R6 labour -----------------------------------------------------------------------------------
    labour, _ = apply_yearbook("labour", va * (ios.comp / ios.va).to_numpy(), "derived",
                               "R6: wage bill = VA x (compensation/VA)_IO", io_src)

    # R7 investment -------------------------------------------------------------------------------
    gfcf03 = value(obs, "gross_fixed_capital_formation", BASE_YEAR)
    invest = gfcf03 * capital / k_zj
    record("investment", invest, "derived",
           "R7: I_i = GFCF ZJ 2003 x K_i / K_ZJ (capital-share rule)",
           f"{src('gross_fixed_capital_formation', year=BASE_YEAR)}; {cap_src}")

    # R8 / R9 export delivery ------------------------------------------------------------------
    sme = value(obs, "sme_export_delivery_value_jan_oct", BASE_YEAR)
    key_xd = value(obs, "key_enterprises_301_export_delivery_value", BASE_YEAR)
    xd_zj = sme * float(a["sme_annualisation"]) + key_xd
    xd = np.minimum(_split(xd_zj, ios.ex.to_numpy()), sales)
    xd, _ = apply_yearbook(
        "export_delivery", xd, "derived",
        f"R8: XD_ZJ = SME Jan-Oct x {a['sme_annualisation']:.3f} + 301 key firms "
        f"({xd_zj:.1f}); split by IO2002 exports, capped at sales",
        f"{src('sme_export_delivery_value_jan_oct', year=BASE_YEAR)}; "
        f"{src('key_enterprises_301_export_delivery_value', year=BASE_YEAR)}; {io_src}")
    ex_mfg = io.loc[list(MANUFACTURING_IO_CODES), "ex"].sum()
    growth = (value(obs, "exports_total", 2003, region="china")
              / value(obs, "exports_total", 2002, region="china"))
    xd_cn = ex_mfg * growth * float(a["xd_to_io_exports_ratio"])
    record("china_export_delivery", xd_cn, "derived",
           f"R9: XD_CN = IO2002 mfg exports ({ex_mfg:.1f}) x customs export growth 2002->03 "
           f"({growth:.4f}) x xd_to_io_exports_ratio ({a['xd_to_io_exports_ratio']})",
           f"{src('io2002_exports', 'china', year=2002)}; "
           f"{src('exports_total', 'china', year=2002)}; {src('exports_total', 'china', year=2003)}")

    # R10 R&D --------------------------------------------------------------------------------------
    rd_sales = series(obs, "rd_to_sales_large_medium_industry", "china", "industry")
    rho = float(rd_sales.iloc[-1]) / 100.0
    rd_src = src("rd_to_sales_large_medium_industry", "china", "industry",
                 int(rd_sales.index[-1]))
    rd, _ = apply_yearbook("rd", sales * rho, "derived",
                           f"R10: R&D = sales x national LME R&D/sales {rd_sales.index[-1]} "
                           f"({rho:.4f}), uniform", rd_src)
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

    # R11 energy ----------------------------------------------------------------------------------
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
    g_cn = value(obs, "gdp", 2003, "china") / value(obs, "gdp", 2002, "china")
    cgo = ios.go.to_numpy() * g_cn
    record("china_gross_output", cgo, "derived",
           f"R12: IO2002 GO x national nominal GDP growth 2002->03 ({g_cn:.4f})",
           f"{src('io2002_gross_output', 'china', year=2002)}; {src('gdp', 'china', year=2003)}")

    # R13 FDI and key firms -------------------------------------------------------------------
    fdi = value(obs, "fdi_actually_used", BASE_YEAR) / 1e4
    record("fdi_actually_used", fdi, "real", "R13: 10k_usd / 10000",
           src("fdi_actually_used", year=BASE_YEAR))
    key_out = value(obs, "key_enterprises_301_gross_output", BASE_YEAR)
    record("key_firms_count", 301, "real", "R13: the 301 '五个一批' key enterprises",
           src("key_enterprises_301_gross_output", year=BASE_YEAR))
    record("key_firms_output", key_out, "real", "R13: gross output of the 301 key enterprises",
           src("key_enterprises_301_gross_output", year=BASE_YEAR))

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
        rd_growth_presample=float(g_rd), provenance=provenance,
        assumptions=MappingProxyType(dict(a)),
    )


def summary(base: BaseYear) -> pd.DataFrame:
    """Per-sector table of the base year (rows = sectors, columns = fields) plus a total row."""
    df = pd.DataFrame({f: getattr(base, f) for f in SECTOR_FIELDS}, index=list(base.sectors))
    df.loc["total"] = df.sum()
    return df

