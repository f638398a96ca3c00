"""Energy programmes and the power-supply constraint on the real model (docs/model.md, block E).

The shortage world here is the baseline with generating capacity held flat (no new plants);
the ample world has capacity growing 50 %/yr. Scenario files are written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.outputs import write_run
from model.run import evaluate, load_model, run_scenario, scenario_inputs, with_runs
from model.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _scenario(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: {SCENARIOS / 'baseline.yaml'}\nname: {{en: {name}, zh: 测试}}\n{body}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def worlds(model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("power")
    short = run_scenario(_scenario(tmp, "short", "levers:\n  power_capacity: {mode: growth, values: 0.0}\n"), model=model)
    ample = run_scenario(_scenario(tmp, "ample", "levers:\n  power_capacity: {mode: growth, values: 0.5}\n"), model=model)
    return short, ample


def test_a_supply_shortfall_curtails_output_and_ample_supply_does_not(worlds):
    short, ample = worlds
    ps, pa = short.projection, ample.projection
    assert (ps["power_shortfall"][0, 1:] > 0).all() and (ps["power_curtailment"][0, 1:] > 0).all()
    assert (ps["curtailed_value_added"][0, 1:] > 0).all()
    assert (pa["power_curtailment"][0, 1:] == 0).all() and (pa["curtailed_value_added"][0] == 0).all()
    # the task-22 indicator is the share of manufacturing electricity not served, every year
    np.testing.assert_allclose(short.indicators["power_curtailment"].value[0], ps["power_curtailment"][0], rtol=1e-12)
    # rationing is taken from output: in 2004 the short world makes less with the same capital;
    # later the accelerator invests less out of the lower output, so its capital stock falls behind
    assert (ps.total("value_added")[0, 1:] < pa.total("value_added")[0, 1:]).all()
    np.testing.assert_allclose(ps["capital"][:, :2], pa["capital"][:, :2])
    assert (ps.total("capital")[0, 2:] < pa.total("capital")[0, 2:]).all()
    # curtailed value added is exactly potential minus actual in every year
    lost = ps["curtailed_value_added"][0]
    assert lost[1] == pytest.approx(pa.total("value_added")[0, 1] - ps.total("value_added")[0, 1], rel=1e-9)


def test_2003_04_shortage_is_reproduced(model):
    base = run_scenario(SCENARIOS / "baseline.yaml", model=model).projection
    assert base["power_shortfall"][0, 0] > 0  # 2003: peak demand above 2002 capacity + build rate
    assert base["power_shortfall"][0, 1] > 0  # 2004 too
    assert base["curtailed_value_added"][0, 0] == 0  # the observed 2003 is not curtailed again
    assert 0 < model.power.east_china_shortfall_share < 0.2


def test_pass_through_availability_and_purchases_act_in_a_shortage(model, worlds, tmp_path):
    short, _ = worlds
    lost = short.projection["curtailed_value_added"][0, 4]
    more = run_scenario(short.scenario, model=model, parameters={"curtailment_pass_through": 1.0})
    assert more.projection["curtailed_value_added"][0, 4] > lost
    avail = run_scenario(short.scenario, model=model, parameters={"capacity_availability": 0.95})
    assert avail.projection["power_curtailment"][0, 4] < short.projection["power_curtailment"][0, 4]
    bought = run_scenario(_scenario(tmp_path, "bought", "levers:\n  power_capacity: {mode: growth, values: 0.0}\n"
                                    "assumptions:\n  power_purchases: {values: 500}\n"), model=model)
    assert bought.projection["power_curtailment"][0, 4] < short.projection["power_curtailment"][0, 4]


def test_power_block_is_vectorised_over_runs(model, worlds):
    short, _ = worlds
    overrides, drivers, switches = scenario_inputs(model, short.scenario)
    values = np.array([0.2, 0.5, 1.0])
    params = model.parameters.arrays(3, {**overrides, "curtailment_pass_through": values})
    proj, _ = evaluate(model, params, with_runs(drivers), switches)
    for i, v in enumerate(values):
        one = run_scenario(short.scenario, model=model, parameters={"curtailment_pass_through": float(v)})
        np.testing.assert_allclose(proj["curtailed_value_added"][i], one.projection["curtailed_value_added"][0], rtol=1e-12)


def test_full_retrofit_coverage_cannot_cut_intensity_below_the_technical_potential(model, tmp_path):
    """Any spending on a sector (here 1e4 x the plan's) leaves e >= e_auto (1 - p) in every year."""
    huge = run_scenario(_scenario(tmp_path, "huge", "levers:\n  efficiency_spending: {values: 100}\n"), model=model)
    none = run_scenario(SCENARIOS / "baseline.yaml", model=model)
    e, e_auto = huge.projection["energy_intensity"][0], none.projection["energy_intensity"][0]
    p = float(np.asarray(huge.params["retrofit_potential"])[0])
    assert (huge.projection["retrofit_stock"][0] <= 1.0).all()
    assert (e >= e_auto * (1.0 - p) * (1 - 1e-12)).all()
    assert (e[1:] < e_auto[1:]).all()  # it does cut
    assert huge.projection["cost_efficiency_spending"][0, 1] == pytest.approx(100.0 * len(model.sector_ids))


def test_audits_raise_clean_production_and_cost_per_audit(model):
    plan = run_scenario(SCENARIOS / "plan-2004.yaml", model=model)
    base = run_scenario(SCENARIOS / "baseline.yaml", model=model)
    assert plan.projection["clean_production"][0, 4] > base.projection["clean_production"][0, 4]
    done = plan.projection["clean_production_audits_done"][0]
    cost = plan.projection["cost_clean_production_audits"][0]
    np.testing.assert_allclose(cost, done * float(np.asarray(plan.params["audit_cost"])[0]) / 1e4)
    assert (base.projection["cost_clean_production_audits"][0] == 0).all()


def test_scorecard_shows_task_22_with_its_indicator(model, tmp_path):
    plan = run_scenario(SCENARIOS / "plan-2004.yaml", model=model)
    sc = plan.scorecard().set_index("target_id")
    row = sc.loc["power_curtailment"]
    assert row["task"] == 22 and row["comparator"] == "<="
    assert row["value"] == pytest.approx(plan.projection["power_curtailment"][0, 4])
    md = (write_run(plan, tmp_path / "run") / "scorecard.md").read_text(encoding="utf-8")
    assert "任务22 电力保障" in md and "Task 22 power supply" in md and "2003 shortage check" in md
    assert "Cost of the energy and power instruments" in md


def test_cost_variables_follow_the_instrument_contract(model):
    from model.core import VARIABLES

    for name in ("cost_efficiency_spending", "cost_clean_production_audits"):
        assert VARIABLES[name][:2] == ("100m_yuan_nominal", "t")
    assert VARIABLES["effort_power_capacity"][:2] == ("effort_index", "t")
    scen = load_scenario(SCENARIOS / "plan-2004.yaml")
    p = run_scenario(scen, model=model).projection["effort_power_capacity"][0]
    assert ((p >= 0) & (p <= 1)).all()
