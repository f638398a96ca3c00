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

Validation (``load_yearbook``): required columns present; no unknown columns; division codes
in the allowed set; year an integer; indicator cells blank or finite numbers >= 0 (``> 0``
for value added, output, sales); source columns non-empty; a (division, year) pair appears
once across all files. Every failure raises ``DataError`` naming file, row (CSV line, header
= 1), column and what is allowed.

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
ALLOWED_DIVISIONS: tuple[int, ...] = tuple(range(6, 47))

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


def read_yearbook_file(path: Path) -> pd.DataFrame:
    """Read and validate one yearbook CSV; return rows with ``division`` (int) and ``file``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
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
                f"{path}, row {line}, column 'gbt4754_2002': {r['gbt4754_2002']!r}; allowed a "
                f"2-digit GB/T 4754-2002 industrial division 06-46"
            )
        try:
            year = int(str(r["year"]).strip())
        except ValueError:
            raise DataError(
                f"{path}, row {line}, column 'year': {r['year']!r}; allowed an integer year"
            ) from None
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
                    f"{path}, row {line}, column '{c}': {r[c]!r}; allowed blank or a number {lo} "
                    f"in {INDICATORS[c][0]}"
                )
            rec[c] = v
        out.append(rec)
    return pd.DataFrame(out)


def load_yearbook(yearbook_dir: str | Path | None = None) -> pd.DataFrame:
    """Read every ``*.csv`` in ``yearbook_dir`` (default ``calibration/data``).

    Returns one row per (division, year) with the indicator columns (NaN = missing), or an
    empty frame if there are no files. Duplicate (division, year) pairs raise ``DataError``.
    """
    d = Path(yearbook_dir) if yearbook_dir is not None else YEARBOOK_DIR
    files = sorted(d.glob("*.csv")) if d.exists() else []
    frames = [read_yearbook_file(f) for f in files]
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
