"""Invariants over a wide random sample of parameters, determinism, and vectorisation."""

from __future__ import annotations

import numpy as np
import pytest

from model.core import VARIABLES
from model.run import evaluate, load_model, run_scenario, scenario_inputs, with_runs
from model.scenario import load_scenario

SCENARIOS = ["baseline", "plan-2004", "rd-led", "fdi-led", "green-first"]


@pytest.fixture(scope="module")
def model():
    return load_model()


def random_params(model, n, seed):
    """Every parameter uniform over its full prior range (wider than any study uses)."""
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(spec.low, spec.high, n) for name, spec in model.parameters.specs.items()}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_nan_shares_in_unit_interval_sums_match(model, scenario):
    scen = load_scenario(f"scenarios/{scenario}.yaml")
    overrides, drivers, switches = scenario_inputs(model, scen)
    params = model.parameters.arrays(4000, random_params(model, 4000, seed=1))
    proj, inds = evaluate(model, params, with_runs(drivers), switches)
    for name, arr in proj.values.items():
        assert np.isfinite(arr).all(), name
        if VARIABLES[name][0].startswith(("100m", "10k_tce", "count", "index")):
            assert (arr >= 0).all(), name
    for name in ("rd_intensity", "foreign_capital_share"):
        assert ((proj[name] >= 0) & (proj[name] <= 1)).all(), name
    for name in ("erp_above_size", "erp_large_medium", "informatized_large_medium", "clean_production"):
        assert ((proj[name] >= 0) & (proj[name] <= 1)).all(), name
    for name, ind in inds.items():
        assert np.isfinite(ind.value).all(), name
    for name in ("rd_sales_ratio", "rd_sales_ratio_hightech", "xd_share_china", "fdi_share", "hightech_output_share"):
        v = inds[name].value
        assert ((v >= 0) & (v <= 1)).all(), name
    # export delivery never exceeds sales
    assert (proj["export_delivery"] <= proj["sales"] * (1 + 1e-12)).all()
    # sector sums equal the province totals the indicators use
    np.testing.assert_allclose(inds["rd_sales_ratio"].denominator, proj["sales"].sum(axis=2))
    np.testing.assert_allclose(inds["xd_share_china"].numerator, proj["export_delivery"].sum(axis=2))


def test_projection_frame_totals_equal_sector_sums():
    result = run_scenario("scenarios/plan-2004.yaml")
    df = result.projection_frame()
    va = df[df.variable == "value_added"]
    by_year = va[va.sector != "all"].groupby("year")["value"].sum()
    total = va[va.sector == "all"].set_index("year")["value"]
    np.testing.assert_allclose(by_year.to_numpy(), total.to_numpy())


def test_base_year_reproduces_derived_2003_values(model):
    result = run_scenario("scenarios/plan-2004.yaml", model=model)
    np.testing.assert_allclose(result.projection["value_added"][0, 0], model.base.value_added)
    np.testing.assert_allclose(result.projection["export_delivery"][0, 0], model.base.export_delivery)
    np.testing.assert_allclose(result.projection["energy"][0, 0], model.base.energy)


def test_identical_inputs_identical_outputs(model):
    a = run_scenario("scenarios/plan-2004.yaml", model=model)
    b = run_scenario("scenarios/plan-2004.yaml", model=model)
    for name in a.projection.values:
        assert np.array_equal(a.projection[name], b.projection[name]), name
    assert a.scorecard().equals(b.scorecard())


def test_vectorised_runs_equal_single_runs(model):
    """R runs in one call give the same numbers as R separate calls (no cross-run leakage)."""
    scen = load_scenario("scenarios/plan-2004.yaml")
    overrides, drivers, switches = scenario_inputs(model, scen)
    draws = random_params(model, 5, seed=7)
    _, together = evaluate(model, model.parameters.arrays(5, draws), with_runs(drivers), switches)
    for i in range(5):
        single = {k: v[i : i + 1] for k, v in draws.items()}
        _, alone = evaluate(model, model.parameters.arrays(1, single), with_runs(drivers), switches)
        for name in together:
            np.testing.assert_allclose(together[name].value[i], alone[name].value[0], rtol=1e-12, err_msg=name)


def test_per_run_driver_paths(model):
    """Drivers with a leading run dimension give each run its own path."""
    scen = load_scenario("scenarios/plan-2004.yaml")
    overrides, drivers, switches = scenario_inputs(model, scen)
    params = model.parameters.arrays(2, overrides)
    d = with_runs(drivers)
    d["fdi_external_growth"] = np.stack([drivers["fdi_external_growth"], drivers["fdi_external_growth"] + 0.1])
    _, inds = evaluate(model, params, d, switches)
    assert inds["fdi_share"].value[1, 4] > inds["fdi_share"].value[0, 4]


def test_parameter_change_moves_the_right_indicator(model):
    low = run_scenario("scenarios/plan-2004.yaml", model=model, parameters={"rd_intensity_zj_relative": 0.5})
    high = run_scenario("scenarios/plan-2004.yaml", model=model, parameters={"rd_intensity_zj_relative": 1.0})
    assert high.indicators["rd_sales_ratio"].value[0, 4] > low.indicators["rd_sales_ratio"].value[0, 4]


def test_definition_switches(model):
    strict = run_scenario("scenarios/plan-2004.yaml", model=model)
    r = strict.indicators["rd_sales_ratio"].value
    from model.indicators import compute

    st = compute(strict.projection, strict.params, model.base.high_tech, model.st_to_rd_ratio,
                 model.foreign_funding_share_china, {"rd_definition": "st_activities"})
    np.testing.assert_allclose(st["rd_sales_ratio"].value, r * model.st_to_rd_ratio)
    with pytest.raises(ValueError, match="allowed"):
        compute(strict.projection, strict.params, model.base.high_tech, 2.0, 0.05, {"fdi_reading": "b"})
