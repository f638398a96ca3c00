"""Probabilities, first-year distribution, response curves and MC filtering on
constructed data with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.uq import Target, first_year_reached, mc_filter, p_met, response_curve
from model.uq.probability import wilson_interval


@pytest.fixture(scope="module")
def uniform_runs():
    return np.random.default_rng(123).random((20000, 4))


def test_p_met_known(uniform_runs):
    X = uniform_runs
    targets = [Target("a", 0.5, ">="), Target("b", 0.25, "<="), (0.9, ">=")]
    df = p_met(X[:, :3], targets, seed=1)
    assert list(df.index) == ["a", "b", "target2", "all"]
    exact = {"a": 0.5, "b": 0.25, "target2": 0.1, "all": 0.5 * 0.25 * 0.1}
    for name, p in exact.items():
        row = df.loc[name]
        se = np.sqrt(p * (1 - p) / len(X))
        assert row["p"] == pytest.approx(p, abs=4 * se)
        assert row["boot_lo"] <= row["p"] <= row["boot_hi"]
        assert row["wilson_lo"] < p < row["wilson_hi"]
        # bootstrap and Wilson intervals agree to within 20 % of their width
        assert row["boot_hi"] - row["boot_lo"] == pytest.approx(
            row["wilson_hi"] - row["wilson_lo"], rel=0.2)
    pd.testing.assert_frame_equal(df, p_met(X[:, :3], targets, seed=1))


def test_wilson_interval_edge_cases():
    lo, hi = wilson_interval(0, 100)
    assert lo == 0.0 and 0.0 < hi < 0.05
    lo, hi = wilson_interval(50, 100, 0.95)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    lo, hi = wilson_interval(0, 0)
    assert np.isnan(lo) and np.isnan(hi)


def test_first_year_reached():
    years = [2003, 2004, 2005, 2006]
    # run r reaches 1.0 in year index r % 5 (4 = never); second target '<=' never met
    n = 1000
    Y = np.zeros((n, 4, 2))
    reach = np.arange(n) % 5
    for t in range(4):
        Y[:, t, 0] = np.where(reach <= t, 1.0, 0.0)
    Y[:, :, 1] = 5.0
    df = first_year_reached(Y, years, [Target("up", 1.0, ">="), Target("down", 1.0, "<=")])
    up = df[df.target == "up"]
    np.testing.assert_allclose(up["share"], [0.2, 0.2, 0.2, 0.2, 0.2])
    assert up["label"].iloc[-1] == "not by 2006"
    np.testing.assert_allclose(up["cumulative"].iloc[:4], [0.2, 0.4, 0.6, 0.8])
    down = df[df.target == "down"]
    assert down["share"].iloc[-1] == 1.0 and down["count"].iloc[:4].sum() == 0


def test_response_curve_step(uniform_runs):
    x = uniform_runs[:, 0]
    met = (x > 0.5) & (uniform_runs[:, 1] > 0.2)  # P = 0 below 0.5, 0.8 above
    rc = response_curve(x, met, bins=np.linspace(0, 1, 11))
    assert rc["n"].sum() == len(x)
    np.testing.assert_allclose(rc["p"].iloc[:5], 0.0)
    np.testing.assert_allclose(rc["p"].iloc[5:], 0.8, atol=0.04)
    assert ((rc["lo"] <= rc["p"]) & (rc["p"] <= rc["hi"])).all()
    rcq = response_curve(x, met, bins=4, quantile_bins=True)
    assert rcq["n"].min() >= len(x) // 4 - 1


def test_mc_filter_identifies_driver(uniform_runs):
    X = uniform_runs
    met = X[:, 0] > 0.5
    df = mc_filter(X, met, ["x1", "x2", "x3", "x4"])
    assert df.index[0] == "x1"
    assert df.loc["x1", "ks"] == pytest.approx(1.0)
    assert df.loc["x1", "p_value"] < 1e-100
    for name in ("x2", "x3", "x4"):
        assert df.loc[name, "ks"] < 0.03
        assert df.loc[name, "p_value"] > 0.001
    assert df.loc["x1", "met_q10"] == pytest.approx(0.55, abs=0.01)
    assert df.loc["x1", "missed_q90"] == pytest.approx(0.45, abs=0.01)
    assert df.loc["x1", "n_met"] + df.loc["x1", "n_missed"] == len(X)


def test_mc_filter_all_met_gives_nan(uniform_runs):
    df = mc_filter(uniform_runs[:100], np.ones(100, bool))
    assert df["ks"].isna().all() and (df["n_missed"] == 0).all()


def test_bad_comparator():
    with pytest.raises(ValueError, match="comparator"):
        Target("x", 1.0, ">")
