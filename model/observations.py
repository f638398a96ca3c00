"""Observations: the tidy long table of sourced figures (``calibration/observations.csv``).

Columns: ``indicator, region, sector, year, value, unit, source_title, source_url, note, file``.
One row = one published figure, copied from the shared data files (``file`` names which one;
``raw/...`` for figures read from the raw source files). Units are those of the source (see
``KNOWN_UNITS``); conversions (e.g. ``10k_usd`` -> ``100m_usd``) happen in the consumers, never here.

Validation rules (``load_observations``), each failure a ``DataError`` naming file, row
(1-based line number in the CSV, header = line 1), column and what is allowed:

- all ``REQUIRED_COLUMNS`` present;
- ``unit`` in the closed set ``KNOWN_UNITS``;
- ``value`` numeric and finite, ``year`` an integer;
- ``source_title`` non-empty, and ``source_url`` non-empty *or* the title names a table
  (matches ``TABLE_REF``: "Table", "table", "表");
- no two rows share the key ``(indicator, region, sector, year)``.

``build_observations_from_shared`` is the (re)build step that produced the committed CSV
from ``/work/shared/data``; it documents the de-duplication rule in code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from model.errors import DataError
from model.paths import CALIBRATION_DIR, PROJECT_ROOT
from model.safeio.tables import read_csv

REQUIRED_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region",
    "sector",
    "year",
    "value",
    "unit",
    "source_title",
    "source_url",
    "note",
    "file",
)
KEY: tuple[str, ...] = ("indicator", "region", "sector", "year")

#: Closed set of units allowed in observations.csv (and their meaning).
KNOWN_UNITS: dict[str, str] = {
    "100m_yuan": "亿元, 100 million yuan, nominal (current prices) unless the indicator says otherwise",
    "10k_yuan": "万元, 10 thousand yuan, nominal",
    "yuan": "yuan, nominal",
    "100m_usd": "亿美元, 100 million US dollars, nominal",
    "10k_usd": "万美元, 10 thousand US dollars, nominal",
    "10k_yuan_per_person": "万元/人",
    "10k_tce": "万吨标准煤, 10 thousand tonnes of coal equivalent",
    "Mt_tce": "million tonnes of coal equivalent (= 100 x 10k_tce)",
    "Mt_CO2": "million tonnes of CO2",
    "100m_kwh": "亿千瓦时",
    "10k_t": "万吨, 10 thousand tonnes",
    "10k_persons": "万人",
    "10k_units": "万个",
    "unit": "count of units (enterprises)",
    "count": "count",
    "rank": "rank among provinces",
    "percent": "percent",
    "percentage_points": "percentage points",
    "ratio": "dimensionless ratio",
    "index_prev_year_100": "index, preceding year = 100",
    "index_1952_100": "volume index, 1952 = 100",
    "pct": "percent (as printed by the source)",
    "pct_per_year": "percent per year",
    "1000_yuan": "千元, thousand yuan, nominal",
    "10k_firms": "万户/万家, 10 thousand firms",
    "10k_kw": "万千瓦, 10 thousand kW",
    "GW": "gigawatt",
    "kwh_per_day": "kWh per day",
    "1000_person_years": "thousand person-years (full-time equivalent)",
    "10k_person_years": "10 thousand person-years (full-time equivalent)",
}

TABLE_REF = re.compile(r"(table|表)", re.IGNORECASE)

SHARED_FILES: tuple[str, ...] = (
    "zhejiang_1995_2003.csv",
    "zhejiang_sectors_energy.csv",
    "zhejiang_2003_sectors_news.csv",
    "zhejiang_io_1997_2002.csv",
    "china_industry_1998_2003.csv",
    "zhejiang_2003_fiscal_power_extra.csv",
    "zhejiang_2001_2003_news_extra.csv",
)
#: Indicators of the shared files left out of observations.csv (and why): the two full
#: intermediate matrices of the Zhejiang IO tables (3,208 cells) are not used by the model;
#: the medium-low reliability secondary panel (zhejiang_1998_2003_secondary.csv) is not read.
EXCLUDED_INDICATORS: tuple[str, ...] = ("io2002_intermediate_flow", "io1997_intermediate_flow")
#: Single (file, indicator) pairs left out: a rounded news figure that conflicts with the
#: yearbook series of the same key (the yearbook row is kept).
EXCLUDED_FILE_INDICATORS: dict[tuple[str, str], str] = {
    ("zhejiang_2001_2003_news_extra.csv", "gdp"):
        "2001 GDP '670bn yuan' rounded, other vintage than the yearbook series (6898.34)",
}


def default_path() -> Path:
    """``calibration/observations.csv``."""
    return CALIBRATION_DIR / "observations.csv"


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x).strip() == ""


def validate_observations(df: pd.DataFrame, file: str = "<frame>") -> pd.DataFrame:
    """Validate an observations frame (rules in the module docstring); return it typed.

    Row numbers in messages are CSV line numbers (header = 1, first data row = 2).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(
            f"{file}: missing column(s) {missing}; required columns are {list(REQUIRED_COLUMNS)}"
        )
    df = df.reset_index(drop=True).copy()
    for i, r in df.iterrows():
        line = int(i) + 2
        if r["unit"] not in KNOWN_UNITS:
            raise DataError(
                f"{file}, row {line}, column 'unit': unknown unit {r['unit']!r}; "
                f"allowed: {sorted(KNOWN_UNITS)}"
            )
        try:
            v = float(r["value"])
        except (TypeError, ValueError):
            v = math.nan
        if not math.isfinite(v):
            raise DataError(
                f"{file}, row {line}, column 'value': {r['value']!r} is not a finite number"
            )
        try:
            y = float(r["year"])
            if not y.is_integer():
                raise ValueError
        except (TypeError, ValueError):
            raise DataError(
                f"{file}, row {line}, column 'year': {r['year']!r} is not an integer year"
            ) from None
        for col in ("indicator", "region", "sector"):
            if _blank(r[col]):
                raise DataError(f"{file}, row {line}, column '{col}': empty; a value is required")
        if _blank(r["source_title"]):
            raise DataError(
                f"{file}, row {line}, column 'source_title': empty; every figure needs its source"
            )
        if _blank(r["source_url"]) and not TABLE_REF.search(str(r["source_title"])):
            raise DataError(
                f"{file}, row {line}, column 'source_url': empty and 'source_title' names no "
                f"table; give a URL or a table reference (e.g. 'Table 13-1' / '表21-38')"
            )
    df["value"] = df["value"].astype(float)
    df["year"] = df["year"].astype(float).astype(int)
    dup = df.duplicated(list(KEY), keep="first")
    if dup.any():
        i = int(dup.idxmax())
        first = int(df.index[(df[list(KEY)] == df.loc[i, list(KEY)]).all(axis=1)][0])
        key = tuple(df.loc[i, list(KEY)])
        raise DataError(
            f"{file}, row {i + 2}, columns {list(KEY)}: duplicate key {key} "
            f"(first at row {first + 2}); each (indicator, region, sector, year) must be unique"
        )
    return df


def load_observations(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate ``calibration/observations.csv`` (or ``path``).

    Returns a DataFrame with ``REQUIRED_COLUMNS``; ``value`` float, ``year`` int.
    Raises ``DataError`` on any rule violation.
    """
    p = Path(path) if path is not None else default_path()
    if not p.exists():
        raise DataError(f"{p}: file not found")
    df = read_csv(p, "observations file", dtype={"sector": str, "region": str}, keep_default_na=False,
                  na_values={"value": [""], "year": [""]})
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{p}: missing column(s) {missing}; required {list(REQUIRED_COLUMNS)}")
    df = df.replace({"source_url": {"": math.nan}, "note": {"": math.nan}})
    return validate_observations(df, file=str(p))


def series(
    df: pd.DataFrame, indicator: str, region: str = "zhejiang", sector: str = "all"
) -> pd.Series:
    """Values of one indicator for one region and sector, indexed by year (sorted).

    Raises ``DataError`` if there is no such row. The unit is stored in ``Series.attrs['unit']``.
    """
    sel = df[(df.indicator == indicator) & (df.region == region) & (df.sector == sector)]
    if sel.empty:
        raise DataError(
            f"observations: no rows for indicator={indicator!r}, region={region!r}, "
            f"sector={sector!r}"
        )
    units = sel.unit.unique()
    if len(units) > 1:
        raise DataError(
            f"observations: indicator={indicator!r} region={region!r} sector={sector!r} mixes "
            f"units {list(units)}; select years explicitly"
        )
    s = sel.set_index("year")["value"].sort_index()
    s.name = indicator
    s.attrs["unit"] = units[0]
    return s


def value(
    df: pd.DataFrame, indicator: str, year: int, region: str = "zhejiang", sector: str = "all"
) -> float:
    """One figure (``series(...)[year]``), with a DataError if the year is missing."""
    s = series(df, indicator, region, sector)
    if year not in s.index:
        raise DataError(
            f"observations: {indicator!r} ({region}, {sector}) has no year {year}; "
            f"years present: {list(s.index)}"
        )
    return float(s[year])


# ---------------------------------------------------------------------------------------------
# Build step (run once; its output is committed as calibration/observations.csv)
# ---------------------------------------------------------------------------------------------

_PRIMARY = re.compile(r"(?:China Statistical Yearbook|中国统计年鉴)")


def _dedupe(df: pd.DataFrame) -> pd.DataFrame:
    """Resolve rows sharing a key.

    Identical values: keep the row whose source is the official statistical yearbook
    (primary publication) over a secondary compilation, and record the other source in
    the note. Different values: raise (no such case in the shared files; resolve by hand).
    """
    out = []
    for _, g in df.groupby(list(KEY), sort=False):
        if len(g) == 1:
            out.append(g)
            continue
        if g["value"].nunique() > 1:
            raise DataError(f"conflicting duplicate rows for key {tuple(g.iloc[0][list(KEY)])}")
        prim = g[g.source_title.str.contains(_PRIMARY)]
        keep = (prim if len(prim) else g).iloc[[0]].copy()
        others = [t for t in g.source_title if t != keep.source_title.iloc[0]]
        keep["note"] = (
            f"{keep.note.iloc[0]}; de-duplicated: identical value also in "
            + " | ".join(others)
            + " (kept the official yearbook row)"
        )
        out.append(keep)
    return pd.concat(out, ignore_index=True)


def _raw_rows(shared_data: Path) -> list[dict]:
    """Rows read from the raw source files (not present in the shared CSVs).

    - Zhang Jun capital-stock inputs for Zhejiang (common2016/CapitalStock): GFCF 1952-1994 and
      the GFCF volume index (1952 = 100) 1952-1995; FAI price index 1993-1994.
    - National IO 2002 (ionet): compensation (VA001) and depreciation (VA003) by IO sector for
      the industrial codes 006-087, in the sector naming of the io2002_* rows.
    """
    raw = shared_data / "raw"
    rows: list[dict] = []
    cs_url = "https://github.com/common2016/CapitalStock/blob/master/data-raw/src_data/"
    g = pd.read_excel(raw / "CapitalStock_gfcf_and_index_1952_1995.xlsx", sheet_name=0)
    g = g[g.iloc[:, 0] == "浙江"]
    for _, r in g.iterrows():
        yr = int(r.iloc[1])
        if yr <= 1994:
            rows.append(dict(
                indicator="gross_fixed_capital_formation", region="zhejiang", sector="all",
                year=yr, value=float(r.iloc[2]), unit="100m_yuan",
                source_title="common2016/CapitalStock data-raw/src_data/各地区固定资本生产总额及指数.xlsx "
                "(Zhang Jun capital-stock inputs)",
                source_url=cs_url + "%E5%90%84%E5%9C%B0%E5%8C%BA%E5%9B%BA%E5%AE%9A%E8%B5%84%E6%9C%AC"
                "%E7%94%9F%E4%BA%A7%E6%80%BB%E9%A2%9D%E5%8F%8A%E6%8C%87%E6%95%B0.xlsx",
                note="固定资本形成总额 current prices, 浙江 row", file="raw/CapitalStock_gfcf_and_index_1952_1995.xlsx"))
        rows.append(dict(
            indicator="gfcf_volume_index", region="zhejiang", sector="all", year=yr,
            value=float(r.iloc[3]), unit="index_1952_100",
            source_title="common2016/CapitalStock data-raw/src_data/各地区固定资本生产总额及指数.xlsx "
            "(Zhang Jun capital-stock inputs)",
            source_url=cs_url + "%E5%90%84%E5%9C%B0%E5%8C%BA%E5%9B%BA%E5%AE%9A%E8%B5%84%E6%9C%AC"
            "%E7%94%9F%E4%BA%A7%E6%80%BB%E9%A2%9D%E5%8F%8A%E6%8C%87%E6%95%B0.xlsx",
            note="固定资产形成总额指数 (%), 1952 = 100, comparable prices, 浙江 row",
            file="raw/CapitalStock_gfcf_and_index_1952_1995.xlsx"))
    p = pd.read_excel(raw / "CapitalStock_fai_price_index_by_province_2018.xlsx", header=0)
    col = [c for c in p.columns if "浙江" in str(c)][0]
    for _, r in p.iterrows():
        yr = pd.Timestamp(r.iloc[0]).year
        if yr in (1993, 1994) and pd.notna(r[col]):
            rows.append(dict(
                indicator="price_index_fixed_asset_investment", region="zhejiang", sector="all",
                year=yr, value=float(r[col]), unit="index_prev_year_100",
                source_title="common2016/CapitalStock data-raw/src_data/固定资产投资价格指数2018.xlsx (Wind)",
                source_url=cs_url + "%E5%9B%BA%E5%AE%9A%E8%B5%84%E4%BA%A7%E6%8A%95%E8%B5%84%E4%BB%B7"
                "%E6%A0%BC%E6%8C%87%E6%95%B02018.xlsx",
                note="固定资产投资价格指数 (上年=100), 浙江 column",
                file="raw/CapitalStock_fai_price_index_by_province_2018.xlsx"))
    io = pd.read_csv(raw / "ionet_china_2002_122_sector_totals_EXTRACT.csv", dtype={"io_code": str})
    shared_io = pd.read_csv(shared_data / "zhejiang_sectors_energy.csv")
    shared_io = shared_io[shared_io.indicator == "io2002_value_added"]
    code2sector = {}
    for _, r in shared_io.iterrows():
        m = re.search(r"IO sector (\d{3})", str(r.note))
        if m:
            code2sector[m.group(1)] = r.sector
    title = shared_io.source_title.iloc[0]
    url = shared_io.source_url.iloc[0]
    for _, r in io.iterrows():
        code = r.io_code
        if code not in code2sector:
            continue
        for ind, col, lab in (("io2002_compensation", "compensation_VA001", "VA001 compensation of employees"),
                              ("io2002_depreciation", "depreciation_VA003", "VA003 depreciation of fixed assets")):
            rows.append(dict(
                indicator=ind, region="china", sector=code2sector[code], year=2002,
                value=float(r[col]), unit="10k_yuan", source_title=title, source_url=url,
                note=f"IO sector {code} {r.sector_cn} ({r.sector_en}); row {lab}",
                file="raw/ionet_china_2002_122_sector_totals_EXTRACT.csv"))
    return rows


def build_observations_from_shared(shared_data: str | Path | None = None) -> pd.DataFrame:
    """Assemble observations from the shared data directory (default ``<root>/../shared/data``).

    All rows of ``SHARED_FILES`` except ``EXCLUDED_INDICATORS``, plus ``_raw_rows``; duplicates
    resolved by ``_dedupe``.
    """
    d = Path(shared_data) if shared_data else PROJECT_ROOT.parent / "shared" / "data"
    frames: Iterable[pd.DataFrame] = (
        pd.read_csv(d / f, dtype={"sector": str, "region": str}).assign(file=f) for f in SHARED_FILES
    )
    df = pd.concat([*frames, pd.DataFrame(_raw_rows(d))], ignore_index=True)
    df = df[~df.indicator.isin(EXCLUDED_INDICATORS)]
    drop = pd.Series([(f, i) in EXCLUDED_FILE_INDICATORS for f, i in zip(df.file, df.indicator,
                                                                        strict=True)], index=df.index)
    df = df[~drop]
    df = _dedupe(df)
    df = df[list(REQUIRED_COLUMNS)].sort_values(["file", "indicator", "region", "sector", "year"],
                                                  kind="stable")
    return validate_observations(df.reset_index(drop=True), file="build")
