"""The instrument sweep (model/studies/sensitivity/sweep.py): P(met | policy) along one instrument."""

from __future__ import annotations

import numpy as np
import pytest

from model.paths import SCENARIOS_DIR
from model.run import load_model
from model.scenario import load_scenario
from model.studies.policy import p_met_given_policy
from model.studies.sensitivity.sweep import (
    DESIGNATION_LEVERS,
    SweepError,
    instrument_sweep,
    responsive,
    sweep_levers,
)

PLAN = SCENARIOS_DIR / "plan-2004.yaml"
N = 120


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def credit_sweep(model):
    return instrument_sweep(load_scenario(PLAN), model, levers=["levers.rd_tax_credit"], points=4, n_states=N, seed=5)


def test_sweep_at_the_scenario_value_is_p_met_given_policy(model, credit_sweep):
    """Same state sample as P(met | policy): at the scenario's own value the two agree exactly."""
    ref = p_met_given_policy(load_scenario(PLAN), model, n=N, seed=5).set_index("target_id")["p_met"]
    at = credit_sweep[np.isclose(credit_sweep["value"], credit_sweep["scenario_value"])]
    assert len(at) == len(ref)
    for row in at.itertuples():
        assert row.p_met == ref[row.target_id], row.target_id


def test_credit_raises_rd_and_costs_more(credit_sweep):
    rd = credit_sweep[credit_sweep["target_id"] == "rd_sales_ratio"].sort_values("value")
    assert rd["value"].iloc[0] == 0.0 and rd["value"].iloc[-1] == 0.5
    assert np.all(np.diff(rd["median"]) > 0)
    assert np.all(np.diff(rd["cost_2004_2010"]) > 0)
    assert (rd["q05"] <= rd["median"]).all() and (rd["median"] <= rd["q95"]).all()
    # a target with no channel from the R&D credit does not move at all
    clean = credit_sweep[credit_sweep["target_id"] == "clean_production"]
    assert clean["p_met"].nunique() == 1 and clean["median"].nunique() == 1


def test_responsive_summary(credit_sweep):
    s = responsive(credit_sweep, min_change=0.0).set_index("target_id")
    assert s.loc["rd_sales_ratio", "median_at_high"] > s.loc["rd_sales_ratio", "median_at_low"]
    assert not responsive(credit_sweep, min_change=0.05).set_index("target_id").loc["clean_production", "moves"]


def test_default_levers_leave_out_designations_and_bad_requests_are_refused(model):
    levers = sweep_levers(model)
    assert "levers.rd_special_fund" in levers and not set(levers) & set(DESIGNATION_LEVERS)
    with pytest.raises(SweepError, match="not a lever"):
        instrument_sweep(PLAN, model, levers=["parameters.rd_return"], n_states=2)
    with pytest.raises(SweepError, match="points"):
        instrument_sweep(PLAN, model, levers=["levers.rd_tax_credit"], points=1, n_states=2)
