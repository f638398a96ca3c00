"""Tests of planner yearbook tables: validation and replacement of derived figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.baseyear import build_base_year
from model.errors import DataError
from model.paths import CALIBRATION_DIR
from model.yearbook import aggregate_to_sectors, load_yearbook

TEMPLATE = CALIBRATION_DIR / "yearbook_template.csv"


def _synthetic() -> pd.DataFrame:
    """The template filled with synthetic (made-up, test-only) figures."""
    df = pd.read_csv(TEMPLATE, dtype=str, keep_default_na=False)
    codes = df.gbt4754_2002.astype(int)
    df["value_added_100m_yuan"] = (10.0 + codes).astype(str)
    df["gross_output_100m_yuan"] = (50.0 + 4 * codes).astype(str)
    df["export_delivery_100m_yuan"] = ""
    df.loc[codes == 17, "export_delivery_100m_yuan"] = "123.0"
    return df


def _write(d, df, name="yb2003.csv"):
    d.mkdir(exist_ok=True)
    df.to_csv(d / name, index=False)
    return d


def test_calibration_data_dir_has_no_synthetic_files():
    assert load_yearbook().empty


def test_template_is_valid_and_empty(tmp_path):
    _write(tmp_path, pd.read_csv(TEMPLATE, dtype=str, keep_default_na=False))
    yb = load_yearbook(tmp_path)
    assert len(yb) == 30 and yb.value_added_100m_yuan.isna().all()


def test_aggregation(tmp_path):
    yb = load_yearbook(_write(tmp_path, _synthetic()))
    vals, src = aggregate_to_sectors(yb, 2003)
    assert vals.loc["machinery", "value_added_100m_yuan"] == pytest.approx(45 + 46)
    assert vals.loc["textiles", "export_delivery_100m_yuan"] == 123.0
    assert np.isnan(vals.loc["apparel", "export_delivery_100m_yuan"])
    assert "yb2003.csv" in src.loc["machinery", "value_added_100m_yuan"]


def test_yearbook_replaces_derived(tmp_path):
    d = _write(tmp_path, _synthetic())
    base = build_base_year(yearbook_dir=d)
    ref = build_base_year(yearbook_dir=tmp_path / "empty")
    i = base.sectors.index("machinery")
    assert base.value_added[i] == pytest.approx(91.0)
    assert base.value_added.sum() == pytest.approx(sum(10.0 + c for c in
                                                       [*range(13, 38), *range(39, 44)]))
    t = base.sectors.index("textiles")
    assert base.export_delivery[t] == 123.0
    # other sectors keep the derived split (capped at their now-yearbook-based sales)
    assert base.export_delivery[t + 1] == pytest.approx(
        min(ref.export_delivery[t + 1], base.sales[t + 1]))
    prov = base.provenance
    va = prov[prov.field == "value_added"]
    assert (va.status == "yearbook").all() and va.sources.str.contains("浙江统计年鉴").all()
    go = prov[prov.field == "gross_output"]
    assert (go.status == "yearbook").all()
    assert prov[(prov.field == "export_delivery")].status.tolist().count("yearbook") == 1
    # downstream derived fields follow the yearbook figures
    assert base.rd.sum() == pytest.approx(base.sales.sum() * 0.0075)


@pytest.mark.parametrize(
    ("mutate", "pattern"),
    [
        (lambda df: df.assign(value_added_100m_yuan=df.value_added_100m_yuan.where(
            df.index != 3, "-5")), r"row 5, column 'value_added_100m_yuan'.*> 0"),
        (lambda df: df.assign(gbt4754_2002=df.gbt4754_2002.where(df.index != 0, "99")),
         r"row 2, column 'gbt4754_2002'"),
        (lambda df: df.assign(source_table=df.source_table.where(df.index != 1, "")),
         r"row 3, column 'source_table'"),
        (lambda df: df.assign(profit_100m_yuan="1"), r"unknown column.*profit_100m_yuan"),
        (lambda df: df.drop(columns=["year"]), r"missing column.*year"),
        (lambda df: df.assign(year=df.year.where(df.index != 2, "2003a")), r"row 4, column 'year'"),
    ],
)
def test_rejects_bad_files(tmp_path, mutate, pattern):
    d = _write(tmp_path, mutate(_synthetic()), "bad.csv")
    with pytest.raises(DataError, match=pattern) as e:
        load_yearbook(d)
    assert "bad.csv" in str(e.value)


def test_rejects_duplicate_division_across_files(tmp_path):
    df = _synthetic()
    _write(tmp_path, df, "a.csv")
    _write(tmp_path, df.head(2), "b.csv")
    with pytest.raises(DataError, match=r"b.csv, row 2.*already given in .*a.csv, row 2"):
        load_yearbook(tmp_path)


def test_yearbook_figures_flow_into_a_run_and_its_manifest(tmp_path):
    """A planner's table changes the projection and the manifest says which figures were real."""
    import json

    from model.outputs import write_run
    from model.run import load_model, run_scenario

    d = _write(tmp_path / "yb", _synthetic())
    scen = CALIBRATION_DIR.parent / "scenarios" / "plan-2004.yaml"
    with_yb = run_scenario(scen, model=load_model(yearbook_dir=d))
    without = run_scenario(scen, model=load_model(yearbook_dir=tmp_path / "none"))
    i = with_yb.projection.sectors.index("machinery")
    assert with_yb.projection["value_added"][0, 0, i] == pytest.approx(91.0)
    assert with_yb.projection["value_added"][0, 0, i] != without.projection["value_added"][0, 0, i]
    out = write_run(with_yb, tmp_path / "run")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["base_year"]["status_counts"]["yearbook"] > 0
    assert {"field": "value_added", "sector": "machinery"} in manifest["base_year"]["yearbook_figures"]
