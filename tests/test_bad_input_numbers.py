"""Bad-input suite, class 3 (silently wrong results): numbers that are not finite, not numbers
or out of range, and yearbook tables in the wrong unit or breaking their identities, are refused
with one message instead of running to a NaN or a wrong scorecard."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from model.errors import InputError
from model.outputs.strict_json import to_json
from tests._bad_input import ROOT, assert_clean_failure, make_workspace


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


@pytest.mark.parametrize("body,expect", [
    ("parameters: {rd_return: .nan}\n", "finite"),
    ("parameters: {rd_return: .inf}\n", "finite"),
    ("parameters: {rd_return: 5}\n", "out of range"),
    ("parameters: {tfp_growth: {default: 0.01, sectors: {textiles: 7}}}\n", "out of range"),
    ("levers: {fdi_promotion: {values: true}}\n", "expected a number"),
    ("levers: {fdi_promotion: {values: {2005: .nan}}}\n", "finite"),
    ("seed: true\n", "valid integer"),
    ("uncertainty:\n  inputs: [{path: assumptions.fdi_external_growth, low: 0.05, high: 1e12}]\n", "out of range"),
    ("uncertainty:\n  inputs: [{path: levers.fdi_promotion, op: scale, low: 0.5, high: 1e12}]\n", "is a lever"),
    ("uncertainty:\n  inputs: [{path: parameters.rd_return, low: 0, high: 9}]\n", "out of range"),
], ids=["nan", "inf", "out-of-range", "sector-out-of-range", "values-true", "year-nan", "seed-true",
        "uncertainty-set", "uncertainty-scale", "uncertainty-param"])
def test_scenario_numbers(ws, body, expect):
    ws.child("bad.yaml", body=body)
    before = ws.state()
    proc = ws.mfgbase("validate", "scenarios/bad.yaml")
    assert_clean_failure(proc, codes=(2,), contains=expect)
    assert ws.state() == before


def test_python_api_refuses_out_of_range_and_nan():
    from model.run import load_model, run_scenario

    model = load_model()
    plan = ROOT / "scenarios" / "plan-2004.yaml"
    for bad in (5.0, np.nan, np.inf, True):
        with pytest.raises(InputError, match="rd_return"):
            run_scenario(plan, model=model, parameters={"rd_return": bad})
    with pytest.raises(InputError, match="rd_return"):
        model.parameters.arrays(3, {"rd_return": np.array([0.1, np.nan, 0.1])})
    with pytest.raises(InputError, match="unknown parameter"):
        model.parameters.arrays(1, {"rd_returnn": 0.1})
    spec = model.parameters["rd_return"]
    ok = model.parameters.arrays(2, {"rd_return": np.array([spec.low, spec.high])})  # bounds are inside
    assert ok["rd_return"].tolist() == [spec.low, spec.high]


@pytest.mark.parametrize("levers, expect", [
    ({"fdi_promotion": np.nan}, "not a finite number"),
    ({"fdi_promotion": {2004: 0, 2010: np.inf}}, "not a finite number"),
    ({"fdi_promotion": 1e12}, "out of range; allowed a number from 0 to 200 100m_yuan_nominal_per_year"),
    ({"fdi_promotion": True}, "is not a number"),
    ({"rd_tax_credit": "80%"}, "out of range; allowed a number from 0 to 0.5 fraction_of_rd"),
    ({"fdi_promotin": 5}, "unknown lever; did you mean 'fdi_promotion'"),
    ({"exchange_rate": 8}, "unknown lever"),  # an assumption is not a lever
], ids=["nan", "inf-in-path", "huge", "bool", "percent-out-of-range", "misspelt", "assumption"])
def test_python_api_refuses_bad_lever_overrides(ws, levers, expect):
    """run_scenario(levers=...) validates like a file (one message, InputError) and writes nothing."""
    from model.run import load_model, run_scenario

    before = ws.state()
    with pytest.raises(InputError, match=expect):
        run_scenario(ws.scenarios / "plan-2004.yaml", model=load_model(), levers=levers)
    assert ws.state() == before


def test_manifest_json_is_strict():
    text = to_json({"a": float("nan"), "b": [np.float64("inf"), np.int64(3)], "c": np.array([1.5])})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}")) == {
        "a": None, "b": [None, 3], "c": [1.5]}


def _yearbook(ws, name: str, rows: list[dict], **write) -> None:
    template = pd.read_csv(ROOT / "calibration" / "yearbook_template.csv", dtype=str, keep_default_na=False)
    df = pd.DataFrame([{c: "" for c in template.columns} | r for r in rows])
    data = ws.root / "calibration" / "data"
    data.mkdir(exist_ok=True)
    if name.endswith(".xlsx"):
        df.to_excel(data / name, index=False)
    else:
        df.to_csv(data / name, index=False, **write)


ROW = {"gbt4754_2002": "17", "industry_name_zh": "纺织业", "year": "2003", "source_title": "浙江统计年鉴2004",
       "source_table": "表12-5", "gross_output_100m_yuan": "2500", "value_added_100m_yuan": "560",
       "sales_revenue_100m_yuan": "2450", "export_delivery_100m_yuan": "600"}


@pytest.mark.parametrize("row,expect", [
    ({"gross_output_100m_yuan": "25000000", "value_added_100m_yuan": "5600000",
      "sales_revenue_100m_yuan": "24500000", "export_delivery_100m_yuan": "6000000"}, "万元"),
    ({"value_added_100m_yuan": "2600"}, "value added cannot exceed gross output"),
    ({"export_delivery_100m_yuan": "2600"}, "export delivery cannot exceed sales"),
    ({"year": "2004"}, "base year 2003"),
    ({"gbt4754_2002": "38"}, "no 12 or 38"),
], ids=["wan-yuan", "va-above-output", "exports-above-sales", "year-2004", "division-38"])
def test_yearbook_tables_that_would_give_wrong_results(ws, row, expect):
    _yearbook(ws, "zj2003.csv", [ROW | row])
    before = ws.state(ws.results)
    proc = ws.mfgbase("run", "scenarios/plan-2004.yaml", timeout=120)
    assert_clean_failure(proc, codes=(1,), contains=expect)
    assert ws.state(ws.results) == before and not any(ws.results.iterdir())
