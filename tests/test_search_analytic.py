"""The search engine on a problem with a known answer (model.studies.search.analytic).

Two instruments with diminishing returns on one target met when a1 sqrt(x1) + a2 sqrt(x2) >=
theta_w: on W sampled states the minimum cost at P >= alpha is theta_(ceil(alpha W))^2 / A.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.studies.search import (
    AnalyticProblem,
    Archive,
    Constraints,
    cheapest_mix,
    trade_off_front,
)
from model.studies.search.space import Decision, DecisionSpace

GRID = np.linspace(0.05, 0.95, 19)  # P levels at which fronts are compared
FRONT_TOL = 0.05  # a front point costs at most 5 % of C*(1) more than the optimum at its P
SEED_TOL = 0.05  # two seeds' fronts differ by at most 5 % of C*(1) at any P level of GRID


def _front(seed: int, problem=None, **kw):
    p = problem or AnalyticProblem()
    ar = Archive(p, Constraints(0.8))
    run = trade_off_front(ar, seed=seed, pop_size=30, max_gen=100, stall=10, hv_tol=1e-4, **kw)
    f = ar.front()
    return p, ar, run, ar.column("cost")[f], ar.column("p_all")[f], ar.X[f]


def _curve(cost, p):
    """Cheapest cost on the front at P >= each level of GRID."""
    return np.array([cost[p >= g].min() for g in GRID])


def test_closed_form_is_the_sample_optimum():
    """The stated optimum is feasible and no random mix that is feasible is cheaper."""
    p = AnalyticProblem()
    x = p.argmin(0.8)
    out = p.outcomes(np.vstack([x, x * 0.999]))
    assert out.met[0, :, 0].mean() >= 0.8 > out.met[1, :, 0].mean()
    assert math.isclose(out.mean_cost[0], p.min_cost(0.8), rel_tol=1e-12)
    M = np.random.default_rng(1).uniform(0, 30, (20000, 2))
    o = p.outcomes(M)
    feas = o.met[:, :, 0].mean(axis=1) >= 0.8
    assert feas.any() and o.mean_cost[feas].min() >= p.min_cost(0.8) - 1e-9


def test_differential_evolution_recovers_the_minimum_cost():
    p = AnalyticProblem()
    ar = Archive(p, Constraints(0.8))
    run = cheapest_mix(ar, seed=3, popsize=8, maxiter=60)
    i = ar.cheapest_feasible()
    assert i is not None and run.de_generations > 0
    assert ar.column("cost")[i] == pytest.approx(p.min_cost(0.8), rel=0.01)
    assert ar.X[i] == pytest.approx(p.argmin(0.8), rel=0.1)
    # the SAA optimum approaches the population one, C*(0.8) = (0.8 T)^2 / A, within sampling error
    assert ar.column("cost")[i] == pytest.approx(p.min_cost(0.8, sample=False), rel=0.15)


def test_front_follows_the_closed_form_frontier():
    p, ar, run, cost, pa, _ = _front(seed=0)
    top = p.min_cost(1.0)
    exact = np.array([p.min_cost(q) if q > 0 else 0.0 for q in pa])
    assert run.converged
    assert np.all(cost >= exact - 1e-9)  # nothing beats the optimum
    assert np.max(cost - exact) <= FRONT_TOL * top
    assert pa.max() == 1.0 and cost[0] <= FRONT_TOL * top  # the front spans P from about 0 to certainty
    hv = [g.hypervolume for g in run.history]
    assert all(b >= a for a, b in zip(hv, hv[1:], strict=False))  # the archive never loses ground


def test_same_seed_same_front_bit_for_bit():
    *_, c1, p1, x1 = _front(seed=5)
    *_, c2, p2, x2 = _front(seed=5)
    assert np.array_equal(c1, c2) and np.array_equal(p1, p2) and np.array_equal(x1, x2)


def test_different_seeds_give_fronts_within_tolerance():
    curves = []
    for seed in range(3):
        p, _, _, cost, pa, _ = _front(seed=seed)
        curves.append(_curve(cost, pa))
    curves = np.array(curves)
    assert (curves.max(axis=0) - curves.min(axis=0)).max() <= SEED_TOL * p.min_cost(1.0)


def test_unreachable_alpha_reports_the_best_p():
    """With instruments capped at H = 4, s(x) <= 2 + 4 = 6 < theta quantile 0.8 (about 8)."""
    p = AnalyticProblem(H=4.0)
    ar = Archive(p, Constraints(0.8))
    trade_off_front(ar, seed=0, pop_size=20, max_gen=20, start=p.space.high[None, :])
    cheapest_mix(ar, seed=0, popsize=5, maxiter=10)
    assert ar.cheapest_feasible() is None
    best = ar.best_p()
    assert ar.column("p_all")[best] == pytest.approx(np.mean(p.theta <= 6.0))
    assert ar.X[best] == pytest.approx([4.0, 4.0], abs=0.05)  # the cheapest mix with that P


def test_budget_cap_and_locks():
    p = AnalyticProblem()
    # a cap below the optimum makes alpha unreachable; a cap above leaves the optimum alone
    low = Archive(p, Constraints(0.8, budget=0.9 * p.min_cost(0.8)))
    cheapest_mix(low, seed=0, popsize=6, maxiter=30)
    assert low.cheapest_feasible() is None
    high = Archive(p, Constraints(0.8, budget=1.5 * p.min_cost(0.8)))
    cheapest_mix(high, seed=0, popsize=6, maxiter=30)
    assert high.column("cost")[high.cheapest_feasible()] == pytest.approx(p.min_cost(0.8), rel=0.01)
    # locking x2 at 0 leaves x1 alone: C = c1 x1 with a1 sqrt(x1) >= s, i.e. C = c1 (s / a1)^2
    locked = AnalyticProblem()
    d1, d2 = locked.space.free
    locked.space = DecisionSpace((d1,), ((d2, 0.0),), ())
    inner = locked._outcomes
    locked._outcomes = lambda M: inner(np.column_stack([M, np.zeros(len(M))]))
    ar = Archive(locked, Constraints(0.8))
    cheapest_mix(ar, seed=0, popsize=10, maxiter=30)
    s = np.sort(locked.theta)[locked._rank(0.8)]
    assert ar.column("cost")[ar.cheapest_feasible()] == pytest.approx(locked.c[0] * (s / locked.a[0]) ** 2, rel=0.01)


def test_decision_rejects_locks_outside_range():
    from model.studies.search import SearchError, decision_space

    d = Decision("x", "levers.x", "x", "unit", 0.0, 10.0, "x", "x", True, 0.0)
    with pytest.raises(SearchError, match="outside the instrument's range"):
        decision_space({"x": d}, {"x": 11.0})
    with pytest.raises(SearchError, match="is not an instrument"):
        decision_space({"x": d}, {"y": 1.0})
    with pytest.raises(SearchError, match="nothing left to search"):
        decision_space({"x": d}, {"x": 1.0})
