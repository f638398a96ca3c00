"""PRIM (model.studies.search.prim) finds a planted box and nothing else."""

from __future__ import annotations

import numpy as np

from model.studies.search.prim import inside, prim, quasi_p


def _planted(n=3000, d=12, noise=0.05, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = (X[:, 0] > 0.6) & (X[:, 3] < 0.5)
    flip = rng.random(n) < noise
    return X, np.where(flip, ~y, y).astype(float)


def test_prim_recovers_a_planted_box():
    X, y = _planted()
    box = prim(X, y)
    assert box.restricted == (0, 3)
    assert abs(box.low[0] - 0.6) < 0.06 and box.high[0] == np.inf
    assert abs(box.high[3] - 0.5) < 0.06 and box.low[3] == -np.inf
    assert box.density > 0.9 and box.coverage >= 0.5
    m = inside(X, box.low, box.high)
    assert box.density == y[m].mean() and box.mass == m.mean()


def test_prim_finds_no_box_in_noise():
    rng = np.random.default_rng(1)
    X = rng.random((2000, 6))
    y = (rng.random(2000) < 0.3).astype(float)
    box = prim(X, y)
    assert box.restricted == ()
    assert abs(box.density - y.mean()) < 1e-12


def test_quasi_p_separates_real_from_spurious_restrictions():
    X, y = _planted()
    low = np.full(X.shape[1], -np.inf)
    high = np.full(X.shape[1], np.inf)
    low[0], high[3], low[5] = 0.6, 0.5, 0.3  # dimension 5 plays no role
    assert quasi_p(X, y, low, high, 0, 0) < 1e-6
    assert quasi_p(X, y, low, high, 5, 0) > 0.05
