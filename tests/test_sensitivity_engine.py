"""Sensitivity engine: analytical test functions through the full pipeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.uq import (
    LocalEvaluator,
    Problem,
    ProblemError,
    UncertainInput,
    analyze,
    run_study,
    sample,
    until_ci,
)
from model.uq.analysis import get
from model.uq.evaluate import EvaluationError, chunk_bounds
from tests.support.testfunctions import (
    ishigami,
    ishigami_indices,
    ishigami_problem,
    sobol_g,
    sobol_g_indices,
    sobol_g_problem,
)

N_SOBOL = 2**13  # base sample; Saltelli/Jansen estimator SE ~ 0.01 here -> tol 0.05 is > 3 SE
TOL = 0.05


@pytest.fixture(scope="module")
def ishigami_sobol():
    return run_study(
        ishigami, ishigami_problem(), "sobol", N_SOBOL, seed=42,
        evaluator=LocalEvaluator(chunk_size=5000), output_names=["y", "y_scaled"],
    )


def test_ishigami_analytical_values():
    a = ishigami_indices()
    np.testing.assert_allclose(a["S1"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(a["ST"], [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_sobol_g_analytical_formula():
    a = sobol_g_indices((0.0,))
    np.testing.assert_allclose(a["S1"], [1.0])  # one input: S1 = ST = 1
    np.testing.assert_allclose(a["ST"], [1.0])
    g = sobol_g_indices()
    assert g["S1"].sum() < 1.0 < g["ST"].sum()  # interactions present


@pytest.mark.parametrize("output", ["y", "y_scaled"])
def test_sobol_ishigami_pipeline(ishigami_sobol, output):
    res = ishigami_sobol
    assert res.X.shape == (N_SOBOL * (3 + 2), 3)  # chunk_size 5000 < 40960 rows
    exact = ishigami_indices()
    s1 = get(res.indices, "S1", output).to_numpy()
    st = get(res.indices, "ST", output).to_numpy()
    np.testing.assert_allclose(s1, exact["S1"], atol=TOL)
    np.testing.assert_allclose(st, exact["ST"], atol=TOL)
    assert set(res.timings) == {"sample", "evaluate", "analyze", "total"}


def test_scaled_output_has_same_indices(ishigami_sobol):
    w = ishigami_sobol.wide()
    np.testing.assert_allclose(
        w.loc["y", ["S1", "ST"]].to_numpy(), w.loc["y_scaled", ["S1", "ST"]].to_numpy(), atol=1e-8
    )


def test_sobol_g_pipeline():
    res = run_study(sobol_g, sobol_g_problem(), "sobol", N_SOBOL, seed=7,
                    evaluator=LocalEvaluator(chunk_size=8192))
    exact = sobol_g_indices()
    np.testing.assert_allclose(get(res.indices, "S1").to_numpy(), exact["S1"], atol=TOL)
    np.testing.assert_allclose(get(res.indices, "ST").to_numpy(), exact["ST"], atol=TOL)


def test_sobol_non_power_of_two_rounded_with_notice():
    s = sample(ishigami_problem(), "sobol", 1000, seed=1)
    assert s.n == 1024 and s.n_requested == 1000
    assert s.X.shape == (1024 * 5, 3)
    assert s.notices == ["N=1000 is not a power of two; using 1024 (Sobol sequence requirement)"]
    assert sample(ishigami_problem(), "sobol", 1024, seed=1).notices == []


def test_fast_small_n_raised_with_notice():
    s = sample(ishigami_problem(), "fast", 50, seed=1)
    assert s.n == 65 and "4 M^2" in s.notices[0]


def test_same_seed_identical_results():
    p = ishigami_problem()
    a = run_study(ishigami, p, "sobol", 512, seed=3, chunk_size=700)
    b = run_study(ishigami, p, "sobol", 512, seed=3, chunk_size=300)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.Y, b.Y)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    c = run_study(ishigami, p, "sobol", 512, seed=4)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("method", ["morris", "fast", "rbd-fast", "delta", "pawn"])
def test_other_methods_deterministic(method):
    p = ishigami_problem()
    kw = {"num_resamples": 10}
    n = {"morris": 50, "fast": 200, "rbd-fast": 500, "delta": 300, "pawn": 500}[method]
    a = run_study(ishigami, p, method, n, seed=5, **kw)
    b = run_study(ishigami, p, method, n, seed=5, **kw)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    assert np.isfinite(a.indices["value"]).all()


def test_morris_ranks_ishigami():
    """mu* of x1 and x2 clearly exceed that of x3; x3 still has mu* > 0 and a large sigma
    (its effect exists only through the x1*x3^4 interaction, so S1(x3) = 0 but ST(x3) > 0)."""
    res = run_study(ishigami, ishigami_problem(), "morris", 500, seed=11, num_resamples=100)
    mu_star = get(res.indices, "mu_star")
    sigma = get(res.indices, "sigma")
    mu = get(res.indices, "mu")
    assert mu_star["x3"] < mu_star["x1"] and mu_star["x3"] < mu_star["x2"]
    assert mu_star["x3"] > 1.0
    assert sigma["x3"] > mu_star["x3"]  # non-monotonic / interaction effect
    assert abs(mu["x3"]) < 0.3 * mu_star["x3"]  # effects of both signs cancel in mu


@pytest.mark.parametrize(
    ("method", "n", "tol"),
    [("fast", 2000, 0.05), ("rbd-fast", 4000, 0.05), ("delta", 4000, 0.08)],
)
def test_other_methods_ishigami_s1(method, n, tol):
    res = run_study(ishigami, ishigami_problem(), method, n, seed=2, num_resamples=20)
    s1 = get(res.indices, "S1").to_numpy()
    np.testing.assert_allclose(s1, ishigami_indices()["S1"], atol=tol)


def test_fast_total_index_ishigami():
    res = run_study(ishigami, ishigami_problem(), "fast", 2000, seed=2, num_resamples=10)
    np.testing.assert_allclose(get(res.indices, "ST").to_numpy(), ishigami_indices()["ST"],
                               atol=0.06)


def test_pawn_ranks_ishigami():
    res = run_study(ishigami, ishigami_problem(), "pawn", 4000, seed=2)
    med = get(res.indices, "PAWN_median")
    assert med["x2"] > med["x3"] and med["x1"] > med["x3"]


def test_constant_output_gives_nan_and_note():
    def f(X):
        y = ishigami(X)[:, 0]
        return np.column_stack([y, np.full(len(X), 2.5)])

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = run_study(f, ishigami_problem(), "sobol", 256, seed=1, output_names=["y", "c"])
    c = res.indices[res.indices["output"] == "c"]
    assert c["value"].isna().all() and len(c) == 12
    assert res.indices[res.indices["output"] == "y"]["value"].notna().all()
    assert any("c: output is constant" in n for n in res.notices)


def test_grouped_sobol():
    p = ishigami_problem(groups=True)  # A = {x1, x3}, B = {x2}
    res = run_study(ishigami, p, "sobol", 4096, seed=1)
    st = get(res.indices, "ST")
    assert list(st.index) == ["A", "B"]
    exact = ishigami_indices()
    # ST of group A = 1 - S1(x2); S1 of group A = 1 - ST(x2)
    assert st["A"] == pytest.approx(1 - exact["S1"][1], abs=TOL)
    assert get(res.indices, "S1")["A"] == pytest.approx(1 - exact["ST"][1], abs=TOL)


def test_second_order_sobol():
    res = run_study(ishigami, ishigami_problem(), "sobol", 4096, seed=1,
                    sample_options={"calc_second_order": True})
    s2 = get(res.indices, "S2")
    exact_s13 = ishigami_indices()["ST"][2]  # V13 / V
    assert s2["x1|x3"] == pytest.approx(exact_s13, abs=0.08)
    assert abs(s2["x1|x2"]) < 0.08


def test_problem_validation_and_salib_dict():
    p = Problem((
        UncertainInput("a", "uniform", (0, 1), group="g1", label_zh="甲"),
        UncertainInput("b", "normal", (1, 0.2), group="g2"),
        UncertainInput("c", "triangular", (0, 2, 0.5), group="g1"),
        UncertainInput("d", "truncnorm", (0, 1, 0.5, 0.2), group="g2"),
        UncertainInput("e", "lognormal", (0, 0.3), group="g2"),
    ), use_groups=True)
    d = p.to_salib()
    assert d["dists"] == ["unif", "norm", "triang", "truncnorm", "lognorm"]
    assert d["groups"] == ["g1", "g2", "g1", "g2", "g2"]
    assert "groups" not in p.to_salib(groups=False)
    assert p.labels("zh")["a"] == "甲" and p.labels("zh")["b"] == "b"
    X = sample(p, "sobol", 64, seed=0).X
    assert np.all((X[:, 3] >= 0) & (X[:, 3] <= 1)) and np.all(X[:, 4] > 0)
    with pytest.raises(ProblemError, match="lower bound must be < upper"):
        UncertainInput("x", "uniform", (1, 0))
    with pytest.raises(ProblemError, match="unknown distribution"):
        UncertainInput("x", "cauchy", (0, 1))
    with pytest.raises(ProblemError, match="takes 4 parameters"):
        UncertainInput("x", "truncnorm", (0, 1))
    with pytest.raises(ProblemError, match="duplicate"):
        Problem((UncertainInput("x"), UncertainInput("x")))
    with pytest.raises(ProblemError, match="no group"):
        Problem((UncertainInput("x"),), use_groups=True)
    with pytest.raises(ProblemError, match="bounded"):
        sample(p.with_groups(False), "morris", 10)
    with pytest.raises(ProblemError, match="does not support grouped"):
        sample(p, "fast", 100)


def test_local_evaluator_chunking_and_shape_checks():
    assert chunk_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]
    X = np.random.default_rng(0).random((1001, 3))
    Y1 = LocalEvaluator(chunk_size=1).evaluate(ishigami, X[:50])
    np.testing.assert_array_equal(Y1, ishigami(X[:50]))
    np.testing.assert_array_equal(LocalEvaluator(100).evaluate(ishigami, X), ishigami(X))
    y1d = LocalEvaluator(100).evaluate(lambda X: X[:, 0], X)
    assert y1d.shape == (1001, 1)
    with pytest.raises(EvaluationError, match="expected"):
        LocalEvaluator(100).evaluate(lambda X: X[:-1], X)


def test_analyze_validates_shapes():
    p = ishigami_problem()
    s = sample(p, "sobol", 64, seed=0)
    with pytest.raises(ValueError, match="does not match"):
        analyze(p, "sobol", s.X, np.zeros((10, 1)))
    with pytest.raises(ValueError, match="output names"):
        analyze(p, "sobol", s.X, ishigami(s.X), ["only_one"])


def test_until_ci_doubles_until_narrow():
    p = ishigami_problem()
    conv = until_ci(lambda n: run_study(ishigami, p, "sobol", n, seed=1), 256, 8192, width=0.15)
    h = conv.history
    assert conv.reached and "converged" in conv.message
    assert list(h["n_requested"]) == [256 * 2**k for k in range(len(h))]
    assert h["max_width"].iloc[-1] < 0.15 <= h["max_width"].iloc[:-1].min()
    capped = until_ci(lambda n: run_study(ishigami, p, "sobol", n, seed=1), 64, 256, width=1e-4)
    assert not capped.reached and "not converged" in capped.message
    assert list(capped.history["n_requested"]) == [64, 128, 256]


@pytest.mark.parametrize("method, n", [("sobol", 64), ("morris", 10), ("fast", 70), ("rbd-fast", 100),
                                       ("delta", 200), ("pawn", 200)])
def test_method_table_names_the_indices_each_analyser_reports(method, n):
    """The method table is the one list of index names: the analysers report exactly those."""
    from model.uq import METHODS

    res = run_study(ishigami, ishigami_problem(), method, n, seed=1, num_resamples=10)
    m = METHODS[method]
    assert set(res.indices["index"]) == set(m.indices)
    assert m.rank in m.indices and (m.ci is None or f"{m.ci}_conf" in m.indices)
    assert set(m.bars) - {"-"} <= set(m.indices)
