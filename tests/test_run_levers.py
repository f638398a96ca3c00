"""``run_scenario(levers={...})``: lever overrides for economists, read and validated exactly as
the same entries in a child scenario file that ``extends`` the scenario (model.scenario.loader
``with_levers``): the runs are identical to the file's, and bad values are refused with one
message naming the lever, the value and the allowed range with its unit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.errors import InputError
from model.run import load_model, run_scenario
from model.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "scenarios" / "plan-2004.yaml"


@pytest.fixture(scope="module")
def model():
    return load_model()


def _child(tmp_path: Path, levers_yaml: str) -> Path:
    path = tmp_path / "child.yaml"
    path.write_text(f"extends: {PLAN.as_posix()}\nname: {{en: child, zh: 子情景}}\nlevers:\n{levers_yaml}",
                    encoding="utf-8")
    return path


def _same_run(a, b) -> None:
    assert set(a.projection.values) == set(b.projection.values)
    for k, v in a.projection.values.items():
        np.testing.assert_array_equal(v, b.projection.values[k], err_msg=k)
    for k, v in a.indicators.items():
        np.testing.assert_array_equal(v.value, b.indicators[k].value, err_msg=k)


def test_lever_overrides_run_exactly_as_a_child_file(tmp_path, model):
    levers = {
        "rd_special_fund": 30,
        "fdi_promotion": {2004: 0, 2010: 12},
        "rd_tax_credit": "10%",
        "efficiency_spending": {"values": 1, "sectors": {"chemicals": 5}},
        "new_brands": np.float64(20.0),
    }
    got = run_scenario(PLAN, model=model, levers=levers)
    child = _child(tmp_path, (
        "  rd_special_fund: {values: 30}\n"
        "  fdi_promotion: {values: {2004: 0, 2010: 12}}\n"
        "  rd_tax_credit: {values: 0.1}\n"
        "  efficiency_spending: {values: 1, sectors: {chemicals: 5}}\n"
        "  new_brands: {values: 20}\n"))
    want = run_scenario(child, model=model)
    _same_run(got, want)
    p = got.projection
    np.testing.assert_allclose(p["cost_rd_special_fund"][0], [0.0] + [30.0] * 7)
    np.testing.assert_allclose(p["cost_fdi_promotion"][0, 1:], np.linspace(0, 12, 7), rtol=1e-12)
    assert got.scenario.raw["levers"]["rd_tax_credit"] == {"values": 0.1}
    # the overrides moved the run: not the plan's own values
    plan = run_scenario(PLAN, model=model)
    assert not np.array_equal(plan.projection["cost_rd_special_fund"], p["cost_rd_special_fund"])
    # the scenario object passed in is not changed
    scen = load_scenario(PLAN)
    before = dict(scen.raw["levers"])
    run_scenario(scen, model=model, levers={"rd_special_fund": 30})
    assert scen.raw["levers"] == before


def test_large_projects_as_in_a_file(model):
    projects = [{"name": "API project", "sector": "chemicals", "investment_100m_yuan": 90, "start_year": 2005,
                 "years": 3}]
    res = run_scenario(PLAN, model=model, levers={"large_projects": projects})
    chem = list(model.base.sectors).index("chemicals")
    lp = res.drivers["large_project_investment"][0]
    np.testing.assert_allclose(lp[:, chem], [0, 0, 30, 30, 30, 0, 0, 0])
    assert lp[:, [i for i in range(lp.shape[1]) if i != chem]].sum() == 0.0  # the plan's projects replaced


@pytest.mark.parametrize("levers, message", [
    ({"rd_special_fnd": 30}, r"run_scenario\(levers=\.\.\.\): levers\.rd_special_fnd: unknown lever; did you mean "
                             r"'rd_special_fund'\?"),
    ({"exchange_rate": 8.0}, r"levers\.exchange_rate: unknown lever; allowed: large_projects, renovation_grants"),
    ({"rd_special_fund": 900}, r"levers\.rd_special_fund\.values: value 900 out of range; allowed a number from 0 "
                               r"to 500 100m_yuan_nominal_per_year, i\.e\. 0 100m yuan/yr \(current prices\) to 500 "
                               r"100m yuan/yr \(current prices\)$"),
    ({"rd_tax_credit": 0.8}, r"levers\.rd_tax_credit\.values: value 0\.8 out of range; allowed a number from 0 to "
                             r"0\.5 fraction_of_rd, i\.e\. 0 % of R&D to 50 % of R&D$"),
    ({"rd_tax_credit": "80%"}, r"levers\.rd_tax_credit\.values: value 0\.8 out of range"),
    ({"fdi_promotion": {2004: 0, 2010: float("nan")}}, r"levers\.fdi_promotion\.values\.2010: nan is not a finite number"),
    ({"fdi_promotion": float("inf")}, r"levers\.fdi_promotion\.values: inf is not a finite number"),
    ({"rd_special_fund": True}, r"levers\.rd_special_fund\.values: True is not a number"),
    ({"rd_special_fund": "thirty"}, r"levers\.rd_special_fund\.values: thirty is not a number"),
    ({"rd_special_fund": [1, 2]}, r"levers\.rd_special_fund\.values: \[1, 2\] is not a number"),
    ({"rd_special_fund": {"vales": 3}}, r"levers\.rd_special_fund: unknown key 'vales'; did you mean 'values'\?"),
    ({"rd_special_fund": {"values": 3, "mode": "level"}}, r"levers\.rd_special_fund\.mode: 'level' not allowed; "
                                                          r"allowed: rate"),
    ({"efficiency_spending": {"values": 1, "sectors": {"chemical": 5}}},
     r"levers\.efficiency_spending\.sectors\.chemical: unknown sector; did you mean 'chemicals'\?"),
    ({"rd_special_fund": {"values": 1, "sectors": {"chemicals": 5}}},
     r"levers\.rd_special_fund\.sectors: this input is province-wide only"),
    ({"rd_special_fund": {2003: 5}}, r"levers\.rd_special_fund\.values"),
    ({"large_projects": [{"name": "x", "sector": "chemicals", "investment_100m_yuan": -5, "start_year": 2005}]},
     r"levers\.large_projects\.0\.investment_100m_yuan"),
])
def test_bad_lever_overrides_get_one_message(model, levers, message):
    with pytest.raises(ScenarioError, match=message) as info:
        run_scenario(PLAN, model=model, levers=levers)
    assert isinstance(info.value, InputError)  # the CLI and notebooks report it as bad input
    assert "Traceback" not in str(info.value)
