"""The AEEI and electricity estimates of model/energy_history.py, and that priors.yaml uses them."""

from __future__ import annotations

import pytest
import yaml

from model.energy_history import backtest, estimate_aeei, power_data
from model.observations import load_observations
from model.paths import CALIBRATION_DIR

PRIORS = yaml.safe_load((CALIBRATION_DIR / "priors.yaml").read_text(encoding="utf-8"))["parameters"]


@pytest.fixture(scope="module")
def obs():
    return load_observations()


def test_aeei_prior_is_the_manufacturing_estimate_and_its_range_includes_zero(obs):
    est = estimate_aeei(obs, "retail")
    alt = estimate_aeei(obs, "investment")
    assert PRIORS["aeei"]["central"] == pytest.approx(est.aeei, abs=5e-5)
    assert PRIORS["aeei"]["low"] <= min(est.aeei, alt.aeei) and PRIORS["aeei"]["high"] >= 0.0 >= PRIORS["aeei"]["low"]
    # the LMDI terms of the estimate add up to the change in manufacturing energy
    assert est.activity + est.structure + est.intensity == pytest.approx(est.energy_1 - est.energy_0, rel=1e-12)


def test_backtest_is_reported_against_benchmarks(obs):
    bt = backtest(obs, estimate_aeei(obs))
    assert {"error_pct_fitted", "error_pct_aeei_zero", "error_pct_naive_trend"} <= set(bt)
    assert bt["observed_2003"] > 0


def test_power_priors_are_the_estimates(obs):
    pw = power_data(obs)
    assert PRIORS["electricity_intensity_trend"]["central"] == pytest.approx(pw.intensity_trend, abs=5e-5)
    assert PRIORS["grid_loss_share"]["central"] == pytest.approx(pw.loss_share, abs=5e-5)
    assert pw.capacity > pw.capacity_2002 > 0 and pw.demand_mfg > 0 and pw.demand_other > 0
