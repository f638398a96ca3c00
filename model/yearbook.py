"""Planner-supplied yearbook tables (``calibration/data/*.csv``).

Planners hold the Zhejiang Statistical Yearbook; its table 规模以上工业企业主要指标(按行业分)
lists, per 2-digit GB/T 4754-2002 industry, 企业单位数, 工业总产值(当年价), 工业增加值,
产品销售收入, 出口交货值, 全部从业人员年平均人数, 固定资产净值年平均余额, ... They copy it into a CSV
shaped like ``calibration/yearbook_template.csv`` and drop it in ``calibration/data/``.

File format (one row per industry and year; blank cell = not available):

==============================  ==========  =============================================
column                          unit        yearbook column
==============================  ==========  =============================================
gbt4754_2002                    --          行业代码 (2-digit division, 13-43 manufacturing;
                                            06-12 mining and 44-46 utilities are accepted
                                            and ignored)
industry_name_zh                --          行业名称 (free text, not used for matching)
year                            --          data year (the 2004 yearbook holds 2003)
enterprises_count               count       企业单位数
gross_output_100m_yuan          100m_yuan   工业总产值 (当年价格), nominal
value_added_100m_yuan           100m_yuan   工业增加值, nominal
sales_revenue_100m_yuan         100m_yuan   产品销售收入, nominal
export_delivery_100m_yuan       100m_yuan   出口交货值, nominal
employment_10k_persons          10k_persons 全部从业人员年平均人数
net_fixed_assets_100m_yuan      100m_yuan   固定资产净值年平均余额 (book value)
wage_bill_100m_yuan             100m_yuan   应付工资总额 / 劳动者报酬 (if the table has it)
rd_100m_yuan                    100m_yuan   R&D经费内部支出 (from the S&T chapter, if known)
energy_10k_tce                  10k_tce     分行业能源消费量 (from the energy chapter)
source_title                    --          e.g. 浙江统计年鉴2004 (required)
source_table                    --          table number/name (required)
==============================  ==========  =============================================

Files: ``*.csv`` / ``*.CSV`` (UTF-8, GBK/GB18030 or UTF-16, as Excel saves them) and ``*.xlsx``
(first sheet), read with a size bound (``model.safeio.tables``).

Validation (``load_yearbook``): required columns present; no unknown columns; division codes
real GB/T 4754-2002 divisions (``ALLOWED_DIVISIONS``: no 12, no 38); year = the base year 2003;
indicator cells blank or finite numbers >= 0 (``> 0`` for value added, output, sales); the
identities value added <= gross output and export delivery <= sales (``IDENTITIES``); column
totals of a plausible magnitude against Zhejiang's 2003 totals (``MAGNITUDE_BOUNDS``: catches
万元 typed for 亿元); source columns non-empty; a (division, year) pair appears once across all
files. Every failure raises ``DataError`` naming file, row (CSV line, header = 1), column and
what is allowed.

Aggregation (``aggregate_to_sectors``): a model sector's figure for an indicator and year is
the sum over its GB/T divisions, and exists only if **every** division of the sector has a
figure (a partial sum would understate the sector); otherwise it is NaN (derived value kept).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import DataError
from model.paths import YEARBOOK_DIR
from model.safeio.tables import is_table_file, read_table
from model.safeio.text import quoted
from model.sectors import gbt_to_sector, load_sectors, split_codes

#: indicator column -> (unit, yearbook column name)
INDICATORS: dict[str, tuple[str, str]] = {
    "enterprises_count": ("count", "企业单位数"),
    "gross_output_100m_yuan": ("100m_yuan", "工业总产值(当年价)"),
    "value_added_100m_yuan": ("100m_yuan", "工业增加值"),
    "sales_revenue_100m_yuan": ("100m_yuan", "产品销售收入"),
    "export_delivery_100m_yuan": ("100m_yuan", "出口交货值"),
    "employment_10k_persons": ("10k_persons", "全部从业人员年平均人数"),
    "net_fixed_assets_100m_yuan": ("100m_yuan", "固定资产净值年平均余额"),
    "wage_bill_100m_yuan": ("100m_yuan", "应付工资总额"),
    "rd_100m_yuan": ("100m_yuan", "R&D经费内部支出"),
    "energy_10k_tce": ("10k_tce", "能源消费量"),
}
STRICTLY_POSITIVE = {"gross_output_100m_yuan", "value_added_100m_yuan", "sales_revenue_100m_yuan"}
ID_COLUMNS: tuple[str, ...] = ("gbt4754_2002", "industry_name_zh", "year")
SOURCE_COLUMNS: tuple[str, ...] = ("source_title", "source_table")
#: GB/T 4754-2002 industrial divisions: mining 06-11, manufacturing 13-43 (no 38 in the 2002
#: edition: electrical machinery is 39), utilities 44-46.
ALLOWED_DIVISIONS: tuple[int, ...] = (*range(6, 12), *(d for d in range(13, 44) if d != 38), 44, 45, 46)

#: Identities every row must satisfy (the yearbook's own accounting): part <= whole.
IDENTITIES: tuple[tuple[str, str, str], ...] = (
    ("value_added_100m_yuan", "gross_output_100m_yuan", "value added cannot exceed gross output"),
    ("export_delivery_100m_yuan", "sales_revenue_100m_yuan", "export delivery cannot exceed sales revenue"),
)
#: rounding slack of the identities (yearbook figures are rounded to 0.01 100m yuan or so)
IDENTITY_SLACK = 1e-3

#: Magnitude check of the units (万元 10k yuan typed where 亿元 100m yuan is asked is a factor
#: 10 000). Reference: Zhejiang's 2003 industry value added (``industry_va`` in
#: observations.csv, China Statistical Yearbook 2004) and year-end population
#: (``population_year_end``). A table's column total may not exceed the reference times
#: the factor below; the factors are generous plausibility bounds (gross output of Zhejiang
#: industry is about 4-5 times its value added), far below the 10 000 of a unit mix-up.
MAGNITUDE_BOUNDS: dict[str, tuple[str, float]] = {
    "value_added_100m_yuan": ("industry_va", 1.5),
    "gross_output_100m_yuan": ("industry_va", 10.0),
    "sales_revenue_100m_yuan": ("industry_va", 10.0),
    "export_delivery_100m_yuan": ("industry_va", 10.0),
    "net_fixed_assets_100m_yuan": ("industry_va", 10.0),
    "wage_bill_100m_yuan": ("industry_va", 1.5),
    "rd_100m_yuan": ("industry_va", 1.5),
    "employment_10k_persons": ("population_year_end", 1.0),
}

#: yearbook indicator column -> BaseYear field it replaces
FIELD_MAP: dict[str, str] = {
    "value_added_100m_yuan": "value_added",
    "gross_output_100m_yuan": "gross_output",
    "sales_revenue_100m_yuan": "sales",
    "export_delivery_100m_yuan": "export_delivery",
    "net_fixed_assets_100m_yuan": "capital",
    "wage_bill_100m_yuan": "labour",
    "rd_100m_yuan": "rd",
    "energy_10k_tce": "energy",
}


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x).strip() == ""


def read_yearbook_file(path: Path, base_year: int | None = None) -> pd.DataFrame:
    """Read and validate one yearbook table (CSV or .xlsx); rows with ``division`` and ``file``.

    With ``base_year``, every row must be of that year (the model uses no other)."""
    df = read_table(path, "yearbook table")
    cols = list(df.columns)
    required = [*ID_COLUMNS, *SOURCE_COLUMNS]
    missing = [c for c in required if c not in cols]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; required {required}")
    unknown = [c for c in cols if c not in required and c not in INDICATORS]
    if unknown:
        raise DataError(
            f"{path}: unknown column(s) {unknown}; allowed indicator columns are "
            f"{list(INDICATORS)}"
        )
    out = []
    for i, r in df.iterrows():
        line = int(i) + 2
        try:
            div = int(str(r["gbt4754_2002"]).strip())
        except ValueError:
            div = -1
        if div not in ALLOWED_DIVISIONS:
            raise DataError(
                f"{path}, row {line}, column 'gbt4754_2002': {quoted(r['gbt4754_2002'], 20)}; allowed a "
                f"2-digit GB/T 4754-2002 industrial division: 06-11 mining, 13-43 manufacturing "
                f"(there is no 12 or 38), 44-46 utilities"
            )
        try:
            year = int(str(r["year"]).strip())
        except ValueError:
            raise DataError(
                f"{path}, row {line}, column 'year': {quoted(r['year'], 20)}; allowed an integer year"
            ) from None
        if base_year is not None and year != base_year:
            raise DataError(
                f"{path}, row {line}, column 'year': {year}; allowed only the base year {base_year} "
                f"(the 2004 yearbook holds {base_year} data; other years would be ignored)"
            )
        for c in SOURCE_COLUMNS:
            if _blank(r[c]):
                raise DataError(f"{path}, row {line}, column '{c}': empty; the source is required")
        rec: dict[str, object] = {"division": div, "year": year, "file": str(path),
                                  "line": line, "source_title": r["source_title"],
                                  "source_table": r["source_table"]}
        for c in INDICATORS:
            if c not in cols or _blank(r[c]):
                rec[c] = np.nan
                continue
            try:
                v = float(str(r[c]).replace(",", ""))
            except ValueError:
                v = math.nan
            lo = "> 0" if c in STRICTLY_POSITIVE else ">= 0"
            if not math.isfinite(v) or v < 0 or (c in STRICTLY_POSITIVE and v == 0):
                raise DataError(
                    f"{path}, row {line}, column '{c}': {quoted(r[c], 40)}; allowed blank or a number {lo} "
                    f"in {INDICATORS[c][0]}"
                )
            rec[c] = v
        _check_identities(path, line, rec)
        out.append(rec)
    return pd.DataFrame(out)


def _check_identities(path: Path, line: int, rec: dict) -> None:
    for part, whole, why in IDENTITIES:
        a, b = rec.get(part), rec.get(whole)
        if a is None or b is None or math.isnan(a) or math.isnan(b):
            continue
        if a > b * (1 + IDENTITY_SLACK):
            raise DataError(
                f"{path}, row {line}, column '{part}': {a:g} is larger than {whole} {b:g}; {why} "
                f"(check the columns and units)"
            )


def _reference_totals(yearbook_dir: Path, year: int) -> dict[str, float]:
    """Zhejiang reference totals of MAGNITUDE_BOUNDS in ``year`` from observations.csv."""
    from model.observations import load_observations

    obs_path = yearbook_dir.parent / "observations.csv"
    obs = load_observations(obs_path if obs_path.is_file() else None)
    sel = obs[(obs.region == "zhejiang") & (obs.sector == "all") & (obs.year == year)]
    return {ind: float(v) for ind, v in zip(sel.indicator, sel.value, strict=True)
            if ind in {ref for ref, _ in MAGNITUDE_BOUNDS.values()}}


def check_magnitudes(df: pd.DataFrame, totals: dict[str, float], year: int) -> None:
    """Refuse a column whose total is implausibly large against Zhejiang's totals (units)."""
    for col, (ref, factor) in MAGNITUDE_BOUNDS.items():
        if col not in df or ref not in totals:
            continue
        for file, rows in df.groupby("file", sort=True):
            total = float(rows[col].sum(skipna=True))
            bound = factor * totals[ref]
            if total > bound:
                unit = INDICATORS[col][0]
                hint = ("; the figures look like 万元 (10k yuan): divide by 10 000 for 亿元"
                        if unit == "100m_yuan" else "; the figures look like persons: divide by 10 000")
                raise DataError(
                    f"{file}, column '{col}': total {total:,.0f} {unit} exceeds {bound:,.0f} "
                    f"({factor:g} x Zhejiang's {year} {ref} {totals[ref]:,.0f}){hint}"
                )


def load_yearbook(yearbook_dir: str | Path | None = None, base_year: int | None = None) -> pd.DataFrame:
    """Read every ``*.csv`` / ``*.xlsx`` in ``yearbook_dir`` (default ``calibration/data``).

    Returns one row per (division, year) with the indicator columns (NaN = missing), or an
    empty frame if there are no files. Duplicate (division, year) pairs raise ``DataError``.
    ``base_year`` (``model.baseyear`` passes 2003): rows of other years are refused and column
    totals are checked against Zhejiang's totals of that year (``MAGNITUDE_BOUNDS``).
    """
    d = Path(yearbook_dir) if yearbook_dir is not None else YEARBOOK_DIR
    files = sorted(p for p in d.iterdir() if is_table_file(p)) if d.is_dir() else []
    frames = [read_yearbook_file(f, base_year) for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["division", "year", "file", "line", "source_title",
                                     "source_table", *INDICATORS])
    df = pd.concat(frames, ignore_index=True)
    dup = df.duplicated(["division", "year"], keep="first")
    if dup.any():
        r = df[dup].iloc[0]
        first = df[(df.division == r.division) & (df.year == r.year)].iloc[0]
        raise DataError(
            f"{r.file}, row {r.line}, column 'gbt4754_2002': division {r.division:02d} year "
            f"{r.year} already given in {first.file}, row {first.line}; each (division, year) "
            f"once"
        )
    if base_year is not None:
        check_magnitudes(df, _reference_totals(d, base_year), base_year)
    return df


def aggregate_to_sectors(
    yb: pd.DataFrame, year: int, sectors: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sum yearbook divisions to model sectors for one year.

    Returns ``(values, sources)``: both indexed by sector id (sector order) with one column per
    indicator; ``values`` in the indicator's unit (NaN where any division is missing),
    ``sources`` a text naming the file(s) and table(s). Non-manufacturing divisions are ignored.
    """
    sectors = load_sectors() if sectors is None else sectors
    g2s = gbt_to_sector(sectors)
    values = pd.DataFrame(np.nan, index=pd.Index(sectors.id, name="sector"),
                          columns=list(INDICATORS))
    sources = pd.DataFrame("", index=values.index, columns=list(INDICATORS))
    y = yb[(yb.year == year) & (yb.division.isin(list(g2s)))] if len(yb) else yb
    for sid, codes in zip(sectors.id, sectors.gbt4754_2002, strict=True):
        divs = [int(c) for c in split_codes(codes)]
        rows = y[y.division.isin(divs)] if len(y) else y
        for c in INDICATORS:
            if len(rows) == len(divs) and rows[c].notna().all():
                values.loc[sid, c] = float(rows[c].sum())
                srcs = sorted({f"{t}, {tb} ({Path(f).name})" for t, tb, f in
                               zip(rows.source_title, rows.source_table, rows.file, strict=True)})
                sources.loc[sid, c] = "; ".join(srcs)
    return values, sources
