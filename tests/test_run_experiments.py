"""The Model owns its input space; experiments = policies x states of the world, one evaluate call."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from model.run import (
    evaluate,
    evaluate_indicators,
    experiments,
    load_model,
    resolve_inputs,
    run_scenario,
)
from model.scenario.registry import REGISTRY

PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan-2004.yaml"
FUND = [0.0, 30.0]  # levers.rd_special_fund, 100m yuan nominal per year
RETURN = [0.1, 0.2, 0.35]  # parameters.rd_return


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def plan(model):
    return resolve_inputs(model, PLAN)


def test_input_space_separates_decisions_from_states_of_the_world(model):
    space = model.input_space
    levers = {d.key for d in space.levers}
    states = {d.key for d in space.uncertainties}
    assert levers == {f"levers.{i.name}" for i in REGISTRY.paths("levers")}
    assert {f"assumptions.{i.name}" for i in REGISTRY.paths("assumptions")} <= states
    assert {f"parameters.{n}" for n in model.parameters.specs} <= states
    assert not levers & states
    assert space.outcomes == tuple(t.target_id for t in model.targets)
    assert space["levers.rd_special_fund"].target == "rd_special_fund"
    assert space["parameters.rd_return"].target_kind == "parameter"


def test_scenario_inputs_are_resolved_and_picklable(plan):
    back = pickle.loads(pickle.dumps(plan))
    assert back.scenario_id == "plan-2004" and set(back.drivers) == set(plan.drivers)
    for k, v in plan.drivers.items():
        np.testing.assert_array_equal(back.drivers[k], v)
    assert set(plan.paths) == {i.name for i in REGISTRY.paths()}  # every path input, set or neutral


def test_factorial_rows_are_each_policy_under_each_state(model, plan, tmp_path):
    e = experiments(model, plan, {"levers.rd_special_fund": FUND}, {"parameters.rd_return": RETURN})
    assert e.n == 6
    assert e.policy.tolist() == [0, 0, 0, 1, 1, 1] and e.state.tolist() == [0, 1, 2, 0, 1, 2]
    _, inds = evaluate(model, e.params, e.drivers, e.switches)
    # each row equals a separate run of the same policy (a scenario file) under the same state
    for k in (1, 5):
        fund, ret = FUND[e.policy[k]], RETURN[e.state[k]]
        child = tmp_path / f"fund{k}.yaml"
        child.write_text(f"extends: {PLAN}\nname: {{en: f, zh: f}}\nlevers:\n  rd_special_fund: {{values: {fund}}}\n",
                         encoding="utf-8")
        one = run_scenario(child, model=model, parameters={"rd_return": ret})
        for name in ("rd_sales_ratio", "manufacturing_value_added"):
            np.testing.assert_allclose(inds[name].value[k], one.indicators[name].value[0], rtol=1e-12)
    # the fund moves R&D: the two policies differ under the same state
    assert inds["rd_sales_ratio"].value[3, -1] > inds["rd_sales_ratio"].value[0, -1]
    # the indicators-only form gives the same bits without the projection
    only = evaluate_indicators(model, e.params, e.drivers, e.switches)
    assert list(only) == list(inds)
    for name, ind in inds.items():
        assert only[name].value.tobytes() == ind.value.tobytes(), name


def test_pairs_and_errors(model, plan):
    e = experiments(model, plan, {"levers.rd_special_fund": FUND + [10.0]}, {"parameters.rd_return": RETURN},
                    combine="pairs")
    assert e.n == 3 and e.policy.tolist() == e.state.tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="as many policies as states"):
        experiments(model, plan, {"levers.rd_special_fund": FUND}, {"parameters.rd_return": RETURN}, combine="pairs")
    with pytest.raises(ValueError, match="lever"):
        experiments(model, plan, states={"levers.rd_special_fund": FUND})
    with pytest.raises(ValueError, match="state of the world"):
        experiments(model, plan, policies={"parameters.rd_return": RETURN})
    with pytest.raises(ValueError, match="out of range"):
        experiments(model, plan, {"levers.rd_special_fund": [-5.0]})
    with pytest.raises(KeyError, match="not an input"):
        experiments(model, plan, {"levers.nonsense": [1.0]})


def test_paths_and_sector_parameters_keep_their_shape(model, plan):
    # a policy may be a path over 2004-2010; per-sector scenario parameters stay per sector
    # even when the number of rows equals the number of sectors
    n = len(model.sector_ids)
    paths = np.linspace(0.0, 20.0, n)[:, None] * np.ones((1, 7))
    e = experiments(model, plan, {"levers.rd_special_fund": paths})
    assert e.n == n and e.drivers["rd_special_fund"].shape == (n, 8)
    np.testing.assert_array_equal(e.drivers["rd_special_fund"][:, 1:], paths)
    tfp = np.linspace(0.01, 0.03, n)  # a scenario's per-sector tfp_growth (S,)
    with_sectors = replace(plan, overrides={"tfp_growth": tfp})
    e = experiments(model, with_sectors, {"levers.rd_special_fund": paths})
    assert e.params["tfp_growth"].shape == (n, n)
    np.testing.assert_array_equal(e.params["tfp_growth"][3], tfp)  # row 3 has every sector's value


def test_sensitivity_rows_keep_per_sector_scenario_parameters(model, tmp_path):
    # bug fixed: a block of exactly S rows read a scenario's per-sector parameter as one value per run
    from model.scenario import load_scenario
    from model.studies.sensitivity.adapter import ModelFunction, build_problem

    n = len(model.sector_ids)
    sec = model.sector_ids[2]
    p = tmp_path / "sec.yaml"
    p.write_text(f"extends: {PLAN}\nname: {{en: s, zh: s}}\nparameters:\n  tfp_growth: {{default: 0.02, sectors: {{{sec}: 0.03}}}}\n"
                 "uncertainty: {use_priors: false, inputs: [{path: parameters.rd_return, low: 0.1, high: 0.3}]}\n",
                 encoding="utf-8")
    scen = load_scenario(p)
    _, cols, _ = build_problem(scen, model)
    f = ModelFunction.for_scenario(scen, cols, model)
    params, _, _ = f.inputs(np.full((n, 1), 0.2))
    assert params["tfp_growth"].shape == (n, n)
    assert (params["tfp_growth"][:, 2] == 0.03).all() and (params["tfp_growth"][:, 0] == 0.02).all()
