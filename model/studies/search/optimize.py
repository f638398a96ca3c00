"""The two canonical problems, solved on a mix problem's fixed SAA sample of states.

* :func:`trade_off_front` - cost against P(all scored targets met): NSGA-II (pymoo; Deb et al.
  2002) over the free instruments; objectives ``C(x) / C_ref`` and ``1 - P_all(x)`` (plus
  ``1 - P_k(x)`` with ``per_target_objectives``), per-target floors and the budget cap as
  inequality constraints. Each generation's population is evaluated in ONE call of the mix
  problem (rows = population x states). The front is the non-dominated set of every mix
  evaluated (the archive), i.e. the same front as sweeping alpha.
* :func:`cheapest_mix` - min C(x) s.t. P_all(x) >= alpha (and the optional constraints):
  scipy ``differential_evolution(vectorized=True)`` on ``C / C_ref + 10 * violation``
  (``model.studies.search.score``: Deb's feasibility rule, infeasible mixes ranked by the
  exact plus the smoothed shortfall), then :func:`trim`, a coordinate descent that lowers each
  instrument on a grid of levels while the exact SAA constraint holds.

Convergence (borrowed from exploratory-modelling practice, Kasprzyk et al. 2013 and the
epsilon-progress of Borg): the hypervolume of the archive's front per generation; the front
has converged when it grew by less than ``hv_tol`` (relative) over ``stall`` generations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.studies.search.problem import Constraints, MixProblem
from model.studies.search.score import DEFAULT_TAU, Scores, score

PENALTY = 10.0  # weight of the violation in the DE objective (feasible objective values <= ~1)


class Archive:
    """Every mix a search evaluated, in evaluation order, with its scores (deterministic)."""

    def __init__(self, problem: MixProblem, cons: Constraints, tau: float = DEFAULT_TAU,
                 cost_scale: float | None = None) -> None:
        self.problem, self.cons, self.tau = problem, cons, tau
        self._X: list[np.ndarray] = []
        self._s: list[Scores] = []
        self.calls = 0
        if cost_scale is None:  # the dearest mix in the box: every free instrument at its top
            out = problem.outcomes(problem.space.high[None, :])
            cost_scale = float(max(out.mean_cost[0], 1e-9))
        self.cost_scale = cost_scale

    def evaluate(self, M: np.ndarray) -> Scores:
        """Score mixes M (P, D) in one call of the problem and keep them."""
        M = self.problem.space.clip(np.atleast_2d(M))
        sc = score(self.problem.outcomes(M), self.cons, self.problem.target_ids, self.tau, self.cost_scale)
        self._X.append(M)
        self._s.append(sc)
        self.calls += 1
        return sc

    def score_only(self, M: np.ndarray) -> Scores:
        """Score mixes on the same sample without keeping them (re-checks, binding tests)."""
        M = self.problem.space.clip(np.atleast_2d(M))
        return score(self.problem.outcomes(M), self.cons, self.problem.target_ids, self.tau, self.cost_scale)

    def _cat(self, name: str) -> np.ndarray:
        return np.concatenate([getattr(s, name) for s in self._s], axis=0)

    @property
    def X(self) -> np.ndarray:
        return np.concatenate(self._X, axis=0)

    @property
    def n(self) -> int:
        return sum(x.shape[0] for x in self._X)

    def column(self, name: str) -> np.ndarray:
        """``cost``, ``p_all``, ``p_each``, ``feasible``, ``violation``, ``p_within_envelope``."""
        return self._cat(name)

    def side_ok(self) -> np.ndarray:
        """Mixes meeting the per-target floors and the budget cap (what the front may hold)."""
        ok = np.ones(self.n, dtype=bool)
        pe, cost = self._cat("p_each"), self._cat("cost")
        for tid, a in self.cons.per_target.items():
            ok &= pe[:, self.problem.target_ids.index(tid)] >= a
        if self.cons.budget is not None:
            ok &= cost <= self.cons.budget
        return ok

    def front(self) -> np.ndarray:
        """Indices of the non-dominated mixes in (cost, -P_all) among ``side_ok``, by cost.

        For each P level reached, the cheapest mix (first evaluated on ties).
        """
        cost, p = self._cat("cost"), self._cat("p_all")
        idx = np.flatnonzero(self.side_ok())
        order = idx[np.lexsort((idx, -p[idx], cost[idx]))]
        keep, best = [], -np.inf
        for i in order:
            if p[i] > best:
                keep.append(i)
                best = p[i]
        return np.asarray(keep, dtype=int)

    def cheapest_feasible(self) -> int | None:
        """Index of the cheapest feasible mix (first evaluated on ties), None if none is."""
        feas = np.flatnonzero(self._cat("feasible"))
        if feas.size == 0:
            return None
        cost = self._cat("cost")
        return int(feas[np.lexsort((feas, cost[feas]))][0])

    def best_p(self) -> int:
        """Index of the mix with the highest P_all among ``side_ok``; ties broken by the highest
        expected number of targets met (sum of P_k), then the lowest cost, then evaluation order."""
        cost, p, pk = self._cat("cost"), self._cat("p_all"), self._cat("p_each").sum(axis=1)
        ok = self.side_ok()
        idx = np.flatnonzero(ok) if ok.any() else np.arange(self.n)
        return int(idx[np.lexsort((idx, cost[idx], -pk[idx], -p[idx]))][0])

    def hypervolume(self, ref: tuple[float, float] = (1.1, 1.0)) -> float:
        """2-D hypervolume of the front in (C / C_ref, 1 - P_all) against ``ref`` (higher = better)."""
        f = self.front()
        if f.size == 0:
            return 0.0
        c = self._cat("cost")[f] / self.cost_scale
        q = 1.0 - self._cat("p_all")[f]
        hv, prev_q = 0.0, ref[1]
        for ci, qi in zip(c, q, strict=True):  # cost ascending, q strictly descending
            if ci >= ref[0] or qi >= prev_q:
                continue
            hv += (ref[0] - ci) * (prev_q - qi)
            prev_q = qi
        return float(hv)


def latin_start(space, n: int, seed: int, extra: np.ndarray | None = None) -> np.ndarray:
    """``n`` mixes: a Latin hypercube over the box (seeded), first rows replaced by ``extra``."""
    from scipy.stats import qmc

    X = qmc.scale(qmc.LatinHypercube(d=space.dim, rng=np.random.default_rng([seed, 7])).random(n),
                  space.low, space.high)
    if extra is not None and len(extra):
        e = space.clip(np.atleast_2d(extra))[:n]
        X[: e.shape[0]] = e
    return X


@dataclass(frozen=True)
class Generation:
    """One generation of the front search: evaluations so far, hypervolume, best feasible cost."""

    generation: int
    mixes_evaluated: int
    rows_evaluated: int
    hypervolume: float
    best_feasible_cost: float
    seconds: float


@dataclass(frozen=True)
class FrontRun:
    history: tuple[Generation, ...]
    converged: bool
    generations: int


def trade_off_front(archive: Archive, seed: int, pop_size: int = 40, max_gen: int = 60, stall: int = 8,
                    hv_tol: float = 1e-3, per_target_objectives: bool = False,
                    start: np.ndarray | None = None) -> FrontRun:
    """Run NSGA-II on ``archive``'s problem; every mix evaluated goes into the archive."""
    import time

    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.config import Config
    from pymoo.core.problem import Problem

    Config.warnings["not_compiled"] = False
    prob, cons = archive.problem, archive.cons
    space = prob.space
    n_obj = 2 + (len(prob.target_ids) if per_target_objectives else 0)
    floors = list(cons.per_target.items())
    n_con = len(floors) + (cons.budget is not None)

    class _Front(Problem):
        def __init__(self) -> None:
            super().__init__(n_var=space.dim, n_obj=n_obj, n_ieq_constr=n_con, xl=space.low, xu=space.high)

        def _evaluate(self, x, out, *args, **kwargs):
            sc = archive.evaluate(x)
            F = [sc.cost / archive.cost_scale, 1.0 - sc.p_all]
            if per_target_objectives:
                F += [1.0 - sc.p_each[:, k] for k in range(sc.p_each.shape[1])]
            out["F"] = np.column_stack(F)
            if n_con:
                G = [a - sc.p_each[:, prob.target_ids.index(t)] for t, a in floors]
                if cons.budget is not None:
                    G.append((sc.cost - cons.budget) / archive.cost_scale)
                out["G"] = np.column_stack(G)

    X0 = latin_start(space, pop_size, seed, start)
    algorithm = NSGA2(pop_size=pop_size, sampling=X0, eliminate_duplicates=True)
    algorithm.setup(_Front(), termination=("n_gen", max_gen), seed=seed, verbose=False)
    history: list[Generation] = []
    t0 = time.perf_counter()
    converged = False
    while algorithm.has_next():
        algorithm.next()
        best = archive.cheapest_feasible()
        history.append(Generation(len(history) + 1, archive.n, prob.rows_evaluated, archive.hypervolume(),
                                  float(archive.column("cost")[best]) if best is not None else float("nan"),
                                  time.perf_counter() - t0))
        if len(history) > stall:
            old, new = history[-1 - stall].hypervolume, history[-1].hypervolume
            if new - old <= hv_tol * max(abs(new), 1e-12):
                converged = True
                break
    return FrontRun(tuple(history), converged, len(history))


@dataclass(frozen=True)
class CheapestRun:
    de_generations: int
    de_message: str
    trim_passes: int


def cheapest_mix(archive: Archive, seed: int, popsize: int = 8, maxiter: int = 40, tol: float = 1e-3,
                 start: np.ndarray | None = None, trim_grid: int = 12, trim_passes: int = 3) -> CheapestRun:
    """Minimise cost s.t. the constraints with DE (vectorised) then :func:`trim`."""
    from scipy.optimize import differential_evolution

    space = archive.problem.space

    def objective(x: np.ndarray) -> np.ndarray:  # x (D, S): S candidate mixes
        sc = archive.evaluate(np.asarray(x, dtype=float).T)
        return sc.cost / archive.cost_scale + PENALTY * sc.violation

    n_init = max(popsize * space.dim, 5)
    init = latin_start(space, n_init, seed + 1, start)
    res = differential_evolution(objective, bounds=list(zip(space.low, space.high, strict=True)),
                                 vectorized=True, updating="deferred", polish=False, init=init,
                                 maxiter=maxiter, tol=tol, rng=np.random.default_rng([seed, 11]))
    passes = trim(archive, grid=trim_grid, passes=trim_passes)
    return CheapestRun(int(res.nit), str(res.message), passes)


def trim(archive: Archive, grid: int = 12, passes: int = 3) -> int:
    """Coordinate descent from the cheapest feasible mix: for each instrument in turn, try
    ``grid`` levels between its lower bound and its current level (one call for all of them) and
    keep the cheapest feasible; repeat until a pass changes nothing. Returns the passes run."""
    space = archive.problem.space
    done = 0
    for _ in range(passes):
        i = archive.cheapest_feasible()
        if i is None:
            return done
        done += 1
        changed = False
        for d in range(space.dim):
            before = archive.column("cost")[archive.cheapest_feasible()]
            lo = space.low[d]
            for _stage in range(2):  # a coarse grid on [low, x_d), then a fine one below the level kept
                x = archive.X[archive.cheapest_feasible()]
                if x[d] <= lo:
                    break
                levels = np.linspace(lo, x[d], grid + 1)[:-1]
                M = np.repeat(x[None, :], levels.size, axis=0)
                M[:, d] = levels
                archive.evaluate(M)
                lo = max(space.low[d], archive.X[archive.cheapest_feasible()][d] - (x[d] - lo) / grid)
            if archive.column("cost")[archive.cheapest_feasible()] < before:
                changed = True
        if not changed:
            break
    return done
