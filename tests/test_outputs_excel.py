"""Planner outputs of a run: CSVs with a BOM, scorecard.xlsx matching them, the IAMC export.

The workbook is read back with openpyxl: sheet names, bilingual frozen headers, number formats
by unit, met/missed colours, and every value equal to the CSV of the same name.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from model.cli import main
from model.outputs.tables import BOM, read_csv
from model.outputs.xlsx import MET_FILL, MISSED_FILL, header

ROOT = Path(__file__).resolve().parent.parent
PLAN = str(ROOT / "scenarios" / "plan-2004.yaml")
SHEET_CSV = {"scorecard": "scorecard.csv", "projection": "projection.csv", "indicators": "indicators.csv",
             "levers": "levers.csv", "provenance": "base_year_provenance.csv"}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "plan-2004"
    assert main(["run", PLAN, "--out", str(out), "--format", "iamc"]) == 0
    return out


@pytest.fixture(scope="module")
def workbook(run_dir):
    return load_workbook(run_dir / "scorecard.xlsx")


def test_every_csv_starts_with_a_bom(run_dir):
    csvs = sorted(run_dir.glob("*.csv"))
    assert {p.name for p in csvs} >= set(SHEET_CSV.values()) | {"projection_iamc.csv"}
    for p in csvs:
        assert p.read_bytes()[:3] == BOM, p.name
    # and the Chinese text survives the round trip
    assert read_csv(run_dir / "scorecard.csv")["description_zh"].str.contains("制造").any()


def test_workbook_sheets_and_frozen_bilingual_headers(workbook, run_dir):
    assert workbook.sheetnames[:5] == list(SHEET_CSV)
    for sheet, csv in SHEET_CSV.items():
        ws = workbook[sheet]
        cols = list(read_csv(run_dir / csv).columns)
        assert [c.value for c in ws[1]] == [header(c) for c in cols], sheet
        assert ws.freeze_panes == "A2", sheet
    # bilingual: a Chinese word and an English word in the scorecard headers
    heads = [c.value for c in workbook["scorecard"][1]]
    assert "目标值 Target value" in heads and "达成 Met" in heads


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b)) or b == ""
    if isinstance(a, bool | np.bool_) or isinstance(b, bool):
        return bool(a) == bool(b) if isinstance(b, bool) else str(a) == str(b)
    if isinstance(a, int | float | np.number) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return str(a) == str(b)


@pytest.mark.parametrize("sheet", list(SHEET_CSV))
def test_sheet_values_equal_the_csv(workbook, run_dir, sheet):
    df = read_csv(run_dir / SHEET_CSV[sheet], keep_default_na=False, na_values=[""])
    rows = list(workbook[sheet].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(df)
    for rec, row in zip(df.itertuples(index=False, name=None), rows, strict=True):
        bad = [(c, a, b) for c, a, b in zip(df.columns, rec, row, strict=True) if not _same(a, b)]
        assert not bad, f"{sheet}: {bad[:3]}"


def _cells(ws, column: str):
    head = [c.value for c in ws[1]]
    j = head.index(header(column))
    return [row[j] for row in ws.iter_rows(min_row=2)]


def test_number_formats_follow_the_unit(workbook):
    ws = workbook["scorecard"]
    for unit, value in zip(_cells(ws, "unit"), _cells(ws, "value"), strict=True):
        if unit.value == "ratio":
            assert value.number_format == "0.00%"
        elif unit.value == "count":
            assert value.number_format == "#,##0"
    proj = workbook["projection"]
    fmts = {u.value: v.number_format for u, v in zip(_cells(proj, "unit"), _cells(proj, "value"), strict=True)}
    assert "亿元" in fmts["100m_yuan_2003"]
    lev = workbook["levers"]
    fmts = {u.value: v.number_format for u, v in zip(_cells(lev, "unit"), _cells(lev, "2004"), strict=True)}
    assert fmts["fraction_per_year"] == '0.0%"/yr"'


def test_target_cells_coloured_met_or_missed(workbook):
    ws = workbook["scorecard"]
    mets = _cells(ws, "met")
    assert {c.value for c in mets} == {True, False}, "plan-2004 meets some targets and misses others"
    for met, value in zip(mets, _cells(ws, "value"), strict=True):
        fill = MET_FILL if met.value else MISSED_FILL
        assert met.fill.fgColor.rgb.endswith(fill.fgColor.rgb)
        assert value.fill.fgColor.rgb.endswith(fill.fgColor.rgb)


def test_levers_sheet_has_units_and_notes(run_dir):
    lev = read_csv(run_dir / "levers.csv")
    fdi = lev[(lev["lever"] == "fdi_promotion") & (lev["part"] == "province")].iloc[0]
    assert fdi["unit"] == "100m_yuan_nominal_per_year" and fdi["unit_zh"].startswith("亿元") and fdi["2004"] == 5
    assert "Task 14" in fdi["note"] and fdi["set_in"] == "plan-2004.yaml"
    # per-sector overrides are their own rows
    assert "chemicals" in set(lev.loc[lev["lever"] == "efficiency_spending", "part"])


def test_iamc_file_is_the_wide_layout_of_the_projection(run_dir):
    wide = read_csv(run_dir / "projection_iamc.csv")
    assert list(wide.columns[:5]) == ["model", "scenario", "region", "variable", "unit"]
    assert [int(c) for c in wide.columns[5:]] == list(range(2003, 2011))
    proj = read_csv(run_dir / "projection.csv")
    total = proj[(proj["variable"] == "value_added") & (proj["sector"] == "all")].set_index("year")["value"]
    row = wide[wide["variable"] == "Value added"].iloc[0]
    assert np.allclose([row[str(y)] for y in total.index], total.to_numpy(), rtol=1e-12)


def test_pyam_reads_the_export_and_values_equal_the_projection(run_dir):
    import pyam  # pyam-iamc is a dev dependency (pyproject.toml): missing fails, never skips

    from model import run_scenario
    from model.outputs.iamc import to_iamc

    res = run_scenario(PLAN)
    df = to_iamc(res)
    idf = pyam.IamDataFrame(df)
    assert idf.model == [df["model"][0]] and idf.scenario == ["plan-2004"] and idf.region == ["Zhejiang"]
    back = idf.timeseries()
    proj = res.projection_frame()
    go = proj[(proj["variable"] == "gross_output") & (proj["sector"] == "textiles")].set_index("year")["value"]
    got = back.xs("Gross output|textiles", level="variable").iloc[0]
    assert np.allclose(got.loc[list(go.index)].to_numpy(float), go.to_numpy(), rtol=1e-12)
    assert len(back) == df.groupby(["variable", "unit"]).ngroups
    # the file layout too
    idf2 = pyam.IamDataFrame(pd.read_csv(run_dir / "projection_iamc.csv", encoding="utf-8-sig"))
    assert set(idf2.variable) == set(idf.variable)
