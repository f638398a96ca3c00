"""Vectorised Sobol analysis (model.uq.sobol_fast) = SALib, and the analytical indices
through the full pipeline (sampling -> chunked local / dask evaluation -> vectorised analysis)."""

from __future__ import annotations

import numpy as np
import pytest

from model.uq import LocalEvaluator, Problem, analyze, sample, sobol_analyze
from model.uq.analysis import to_wide
from tests.support.testfunctions import (
    ishigami,
    ishigami_indices,
    ishigami_problem,
    sobol_g,
    sobol_g_indices,
    sobol_g_problem,
)


@pytest.mark.parametrize("seed", [0, 5])
def test_matches_salib_exactly_including_intervals(seed):
    p = ishigami_problem()
    s = sample(p, "sobol", 512, seed=seed)
    Y = ishigami(s.X)
    ref = analyze(p, "sobol", s.X, Y, seed=seed, salib=True)
    got = sobol_analyze(p, Y, seed=seed)
    assert list(got.columns) == list(ref.columns)
    assert (got[["output", "input", "index"]].to_numpy() == ref[["output", "input", "index"]].to_numpy()).all()
    np.testing.assert_allclose(got["value"], ref["value"], rtol=1e-9, atol=1e-12)


def test_matches_salib_grouped():
    p = ishigami_problem(groups=True)
    s = sample(p, "sobol", 256, seed=2)
    Y = ishigami(s.X)
    np.testing.assert_allclose(sobol_analyze(p, Y, seed=2)["value"], analyze(p, "sobol", s.X, Y, seed=2, salib=True)["value"],
                               rtol=1e-9, atol=1e-12)


def test_block_size_does_not_change_results():
    rng = np.random.default_rng(0)
    p = Problem.uniform([f"x{i}" for i in range(4)])
    Y = rng.normal(size=(64 * 6, 7))
    a = sobol_analyze(p, Y, block=1)
    b = sobol_analyze(p, Y, block=16)
    np.testing.assert_allclose(a["value"], b["value"], rtol=1e-12)


def test_constant_and_nonfinite_outputs_are_nan_with_note():
    p = ishigami_problem()
    s = sample(p, "sobol", 64, seed=0)
    Y = np.column_stack([ishigami(s.X)[:, 0], np.ones(s.n_rows), ishigami(s.X)[:, 0]])
    Y[3, 2] = np.nan
    df = sobol_analyze(p, Y, ["a", "const", "bad"])
    assert df[df.output == "a"]["value"].notna().all()
    assert df[df.output != "a"]["value"].isna().all()
    notes = " ".join(df.attrs["notes"])
    assert "const" in notes and "constant" in notes and "non-finite" in notes


def test_rejects_second_order_design():
    p = ishigami_problem()
    with pytest.raises(ValueError, match="D \\+ 2"):
        sobol_analyze(p, np.zeros((64 * 8 + 1, 1)))


def _check(df, exact, tol):
    w = to_wide(df).loc["y0"]
    np.testing.assert_allclose(w["S1"].to_numpy(), exact["S1"], atol=tol)
    np.testing.assert_allclose(w["ST"].to_numpy(), exact["ST"], atol=tol)


def test_pipeline_local_chunks_reproduces_analytical_ishigami_and_g():
    for f, p, exact in ((ishigami, ishigami_problem(), ishigami_indices()),
                        (sobol_g, sobol_g_problem(), sobol_g_indices())):
        s = sample(p, "sobol", 8192, seed=1)
        Y = LocalEvaluator(chunk_size=5000).evaluate(f, s.X)
        _check(sobol_analyze(p, Y, ["y0", "y1"], seed=1), exact, 0.03)


def test_pipeline_dask_equals_local_and_analytical():
    from model.uq import DaskEvaluator

    p = ishigami_problem()
    s = sample(p, "sobol", 4096, seed=4)
    Yl = LocalEvaluator(chunk_size=3000).evaluate(ishigami, s.X)
    with DaskEvaluator(n_workers=2, processes=False, chunk_size=3000) as ev:
        Yd = ev.evaluate(ishigami, s.X)
    np.testing.assert_array_equal(Yl, Yd)
    a, b = sobol_analyze(p, Yl, seed=4), sobol_analyze(p, Yd, seed=4)
    np.testing.assert_array_equal(a["value"].to_numpy(), b["value"].to_numpy())
    _check(a, ishigami_indices(), 0.04)


@pytest.mark.parametrize("groups,second", [(False, False), (False, True), (True, False), (True, True)])
def test_vectorised_saltelli_sampler_equals_salib(groups, second):
    import warnings

    from SALib.sample import sobol as salib_sobol

    from model.uq import UncertainInput
    from model.uq.sampling import saltelli_sobol

    sp = ishigami_problem(groups=groups).to_salib()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = salib_sobol.sample(sp, 64, calc_second_order=second, seed=7)
    np.testing.assert_array_equal(saltelli_sobol(sp, 64, second, True, 7), ref)
    mixed = Problem((UncertainInput("a", "normal", (1, 2)), UncertainInput("b", "truncnorm", (0, 1, 0.5, 0.2)),
                     UncertainInput("c", "triangular", (0, 2, 0.3)))).to_salib()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = salib_sobol.sample(mixed, 32, calc_second_order=second, seed=1)
    np.testing.assert_array_equal(saltelli_sobol(mixed, 32, second, True, 1), ref)


@pytest.mark.parametrize("second", [False, True])
def test_saltelli_layout_splits_the_design_it_builds(second):
    """SaltelliLayout.split / random_rows read back exactly the blocks saltelli_sobol wrote."""
    from model.uq import SaltelliLayout

    p = ishigami_problem()
    s = sample(p, "sobol", 32, seed=3, calc_second_order=second)
    lay = SaltelliLayout(3, second)
    A, B, AB, BA = lay.split(s.X)
    assert A.shape == B.shape == (32, 3) and AB.shape == (32, 3, 3)
    for j in range(3):
        expect = A.copy()
        expect[:, j] = B[:, j]
        np.testing.assert_array_equal(AB[:, j, :], expect)
        if second:
            expect = B.copy()
            expect[:, j] = A[:, j]
            np.testing.assert_array_equal(BA[:, j, :], expect)
    assert (BA is None) == (not second)
    rr = lay.random_rows(s.n_rows)
    np.testing.assert_array_equal(np.sort(s.X[rr], axis=0), np.sort(np.concatenate([A, B]), axis=0))
    with pytest.raises(ValueError, match="not a multiple"):
        lay.base_size(s.n_rows + 1)
