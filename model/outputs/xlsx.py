"""Excel workbooks for planners: ``scorecard.xlsx`` per run, ``comparison.xlsx`` per compare.

Each sheet holds exactly the rows and columns of one CSV of the same folder (so a number in
Excel is the number in the CSV), with a bilingual header row (``目标值 Target``) frozen at the
top, number formats from the unit of each row (percent for ratios, ``亿元`` for 100m yuan,
``%/yr`` for growth rates: :mod:`model.scenario.units`) and, on the scorecard, the 2007 value
and the met cell coloured green (met) or red (missed).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from model.scenario.units import unit_info

#: column code -> (Chinese, English) header words; a column not listed keeps its code
HEADERS: dict[str, tuple[str, str]] = {
    "task": ("任务", "Task"), "target_id": ("目标代码", "Target id"), "description_en": ("目标(英文)", "Target (English)"),
    "description_zh": ("目标", "Target (Chinese)"), "year": ("年份", "Year"), "value": ("数值", "Value"),
    "target": ("目标值", "Target value"), "comparator": ("比较", "Comparator"), "unit": ("单位", "Unit"),
    "met": ("达成", "Met"), "gap": ("差距", "Gap"), "first_year_met": ("首次达成年份", "First year met"),
    "value_2003": ("2003年值", "2003 value"), "value_2010": ("2010年值", "2010 value"),
    "numerator": ("分子", "Numerator"), "denominator": ("分母", "Denominator"),
    "numerator_is": ("分子口径", "Numerator is"), "denominator_is": ("分母口径", "Denominator is"),
    "sector": ("行业", "Sector"), "variable": ("变量", "Variable"), "indicator": ("指标", "Indicator"),
    "section": ("类别", "Section"), "lever": ("杠杆/假设", "Lever / assumption"), "label_zh": ("名称", "Name (Chinese)"),
    "label_en": ("名称(英文)", "Name (English)"), "mode": ("方式", "Mode"), "unit_zh": ("单位(中文)", "Unit (Chinese)"),
    "unit_en": ("单位(英文)", "Unit (English)"), "part": ("范围", "Part"), "set_in": ("设定文件", "Set in file"),
    "note": ("说明", "Note"), "field": ("字段", "Field"), "status": ("状态", "Status"), "rule": ("规则", "Rule"),
    "sources": ("来源", "Sources"), "scenario": ("情景", "Scenario"), "group": ("杠杆组", "Lever group"),
    "effect": ("单项作用", "Effect"), "total_change": ("总变化", "Total change"), "largest": ("作用最大", "Largest"),
    "reference": ("参照情景", "Reference"), "gross_output": ("工业总产值", "Gross output"),
    "diff_vs_reference": ("与参照情景之差", "Change vs reference"), "key": ("项目", "Item"),
    "p_met": ("达标概率", "P(met)"), "kind": ("类型", "Kind"), "text": ("内容", "Text"),
}

MET_FILL = PatternFill("solid", fgColor="DAFBE1")
MISSED_FILL = PatternFill("solid", fgColor="FFEBE9")
HEADER_FILL = PatternFill("solid", fgColor="F3F4F6")
MET_FONT = Font(color="116329", bold=True)
MISSED_FONT = Font(color="A40E26", bold=True)
#: Excel's limit on a cell's text
MAX_CELL = 32767


def header(col: str) -> str:
    """Bilingual header of a column: ``"目标值 Target value"`` (the code when not in HEADERS)."""
    zh, en = HEADERS.get(col, (col, ""))
    return f"{zh} {en}".strip() if zh != en else zh


@dataclass
class Sheet:
    """One worksheet: the frame to write and how to format it.

    ``unit_column``: column holding each row's unit code (formats the ``value_columns``);
    ``units``: fixed unit code per column (overrides ``unit_column``); ``met_column``: boolean
    column; with it the cells of ``colour_columns`` are filled green (met) or red (missed).
    """

    name: str
    frame: pd.DataFrame
    unit_column: str | None = None
    value_columns: Sequence[str] = ()
    units: dict[str, str] = field(default_factory=dict)
    met_column: str | None = None
    colour_columns: Sequence[str] = ()


def _cell_value(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, str) and len(v) > MAX_CELL:
        return v[: MAX_CELL - 1] + "…"
    return v


def _write_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name[:31])
    df = sheet.frame
    cols = [str(c) for c in df.columns]
    ws.append([header(c) for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    idx = {c: i for i, c in enumerate(cols)}
    fmt_cols = [c for c in sheet.value_columns if c in idx] + [c for c in sheet.units if c in idx]
    for rec in df.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in rec])
        row = ws[ws.max_row]
        row_unit = rec[idx[sheet.unit_column]] if sheet.unit_column in idx else None
        for c in fmt_cols:
            code = sheet.units.get(c, row_unit)
            cell = row[idx[c]]
            if code and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = unit_info(str(code)).excel
        if sheet.met_column in idx:
            met = rec[idx[sheet.met_column]]
            if isinstance(met, bool) or type(met).__name__ == "bool_":
                for c in [sheet.met_column, *sheet.colour_columns]:
                    cell = row[idx[c]]
                    cell.fill = MET_FILL if met else MISSED_FILL
                    cell.font = MET_FONT if met else MISSED_FONT
    for i, c in enumerate(cols, start=1):
        longest = max([len(header(c))] + [len(str(v)) for v in df[c].head(200)]) if len(df) else len(header(c))
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))


def write_workbook(path: str | os.PathLike, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` (in order) to an .xlsx file; returns the path."""
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        _write_sheet(wb, s)
    path = Path(path)
    wb.save(path)
    return path


def manifest_frame(manifest: dict) -> pd.DataFrame:
    """A manifest (nested dict) flattened to ``key, value`` rows (``package_versions.numpy``)."""
    rows = []

    def walk(prefix: str, v) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                walk(f"{prefix}.{k}" if prefix else str(k), x)
        elif isinstance(v, list | tuple) and not all(isinstance(x, int | float | str) for x in v):
            for i, x in enumerate(v):
                walk(f"{prefix}.{i}", x)
        else:
            rows.append({"key": prefix, "value": ", ".join(map(str, v)) if isinstance(v, list | tuple) else str(v)})

    walk("", manifest)
    return pd.DataFrame(rows, columns=["key", "value"])


SCORECARD_VALUES = ("value", "target", "gap", "value_2003", "value_2010")
