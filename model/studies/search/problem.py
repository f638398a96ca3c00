"""What the search optimises: a mix problem evaluates a population of instrument mixes over a
fixed sample of states of the world (sample-average approximation, SAA) in one array call.

A *mix problem* has a :class:`~model.studies.search.space.DecisionSpace` ``space``, the scored
targets ``target_ids`` and ``outcomes(M)``: for mixes ``M`` (P, D) (levels of the free
instruments) it returns a :class:`MixOutcome` over its W states. The policy is the decision and
is never sampled; the states are drawn once (same seed, same states) and every mix is scored on
the same states (common random numbers).

:class:`ModelMixProblem` is the mfgbase model: rows ``R = P x W`` (mix-major) go to one
evaluator call (``model.uq.LocalEvaluator`` or ``DaskEvaluator``: same chunks, bit-identical
results) of the picklable :class:`MixFunction`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from model.studies.search.space import DecisionSpace

# Columns of MixFunction's output after the K target values.
EXTRA_OUTPUTS = ("cost_2004_2010", "envelope_2004_2010", "years_over_budget")


@dataclass(frozen=True)
class MixOutcome:
    """Outcomes of P mixes over W states.

    ``value`` (P, W, K): each scored target's indicator in its target year; ``gap`` (P, W, K):
    the signed distance to the target over the target's scale (>= 0 exactly when met);
    ``cost`` (P, W): total cost of the instruments 2004-2010, 100m yuan nominal (costs depend
    on firms' responses, so on the state); ``envelope`` (P, W) the budget envelope summed over
    the same years and ``years_over`` (P, W) the number of years the cost exceeds it (NaN when
    the problem has no budget envelope).
    """

    value: np.ndarray
    gap: np.ndarray
    met: np.ndarray  # (P, W, K) bool: target k met under state w by mix p (Target.met)
    cost: np.ndarray
    envelope: np.ndarray
    years_over: np.ndarray

    @property
    def mean_cost(self) -> np.ndarray:
        """(P,) SAA expected cost 2004-2010 (mean over the states)."""
        return self.cost.mean(axis=1)


class MixProblem:
    """Interface: ``space``, ``target_ids``, ``n_states``, ``outcomes(M)``; counts rows evaluated."""

    space: DecisionSpace
    target_ids: tuple[str, ...]
    n_states: int

    def __init__(self) -> None:
        self.rows_evaluated = 0
        self.seconds_evaluating = 0.0

    def outcomes(self, M: np.ndarray) -> MixOutcome:
        M = self.space.clip(np.atleast_2d(np.asarray(M, dtype=float)))
        t0 = time.perf_counter()
        out = self._outcomes(M)
        self.seconds_evaluating += time.perf_counter() - t0
        self.rows_evaluated += M.shape[0] * self.n_states
        return out

    def _outcomes(self, M: np.ndarray) -> MixOutcome:  # pragma: no cover - interface
        raise NotImplementedError


# ----------------------------------------------------------------------------- the model
@dataclass(frozen=True, eq=False)
class MixFunction:
    """Picklable ``f(X: (n, D + D_states)) -> Y: (n, K + 3)`` for the evaluators.

    ``base`` is a :class:`~model.studies.sensitivity.adapter.ModelFunction` whose columns are
    the free instruments (``op: set``: the level in every year 2004-2010 and sector) followed by
    the uncertain inputs of the scenario's ``uncertainty:`` block; locked instruments are
    already in its driver paths. Y: the K scored targets' indicators in their years, then
    :data:`EXTRA_OUTPUTS`.
    """

    base: object  # ModelFunction
    indicators: tuple[str, ...]
    year_index: tuple[int, ...]

    def __dask_tokenize__(self) -> tuple:
        return ("MixFunction", self.base.__dask_tokenize__(), self.indicators, self.year_index)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        from model.budget import total_cost
        from model.run import CORE_BLOCK_ROWS, evaluate

        X = np.asarray(X, dtype=np.float64)
        n, k = X.shape[0], len(self.indicators)
        Y = np.empty((n, k + len(EXTRA_OUTPUTS)))
        for start in range(0, n, CORE_BLOCK_ROWS):
            stop = min(start + CORE_BLOCK_ROWS, n)
            params, drivers, switches = self.base.inputs(X[start:stop])
            proj, inds = evaluate(self.base.model, params, drivers, switches)
            for j, (ind, t) in enumerate(zip(self.indicators, self.year_index, strict=True)):
                Y[start:stop, j] = inds[ind].value[:, t]
            cost = np.broadcast_to(total_cost(proj.values), proj.values["budget_envelope"].shape)[:, 1:]
            env = proj.values["budget_envelope"][:, 1:]
            Y[start:stop, k] = cost.sum(axis=1)
            Y[start:stop, k + 1] = env.sum(axis=1)
            Y[start:stop, k + 2] = (cost > env + 1e-9).sum(axis=1)
        return Y


def _locked_drivers(drivers: dict, locked) -> dict:
    """The scenario's drivers with each locked instrument's level in every year 2004-2010."""
    out = dict(drivers)
    for dec, level in locked:
        arr = np.array(out[dec.driver], dtype=float)  # (T,) or (T, S)
        arr[1:, ...] = level
        out[dec.driver] = arr
    return out


class ModelMixProblem(MixProblem):
    """The mfgbase model as a mix problem over W states of a scenario's ``uncertainty:`` block.

    ``states`` (W, D_states) are drawn by the caller (``model.uq.random_sample``), ``columns``
    says where each state column goes (``build_problem``). ``evaluator``: a
    ``model.uq`` evaluator (default local); ``chunk_size`` rows per call of the core.
    """

    def __init__(self, model, scenario, space: DecisionSpace, states: np.ndarray, state_columns,
                 evaluator=None, chunk_size: int = 8192, target_ids: tuple[str, ...] | None = None) -> None:
        super().__init__()
        from model.run import scenario_inputs
        from model.studies.sensitivity.adapter import Column, ModelFunction
        from model.uq import LocalEvaluator

        self.model, self.scenario, self.space = model, scenario, space
        self.states = np.ascontiguousarray(states, dtype=float)
        self.n_states = self.states.shape[0]
        self.targets = tuple(t for t in model.targets if t.modelled and (target_ids is None or t.target_id in target_ids))
        self.target_ids = tuple(t.target_id for t in self.targets)
        overrides, drivers, switches = scenario_inputs(model, scenario)
        cols = [Column(d.name, d.key, "driver", d.driver, "set") for d in space.free] + list(state_columns)
        base = ModelFunction(model, dict(overrides), _locked_drivers(drivers, space.locked), dict(switches),
                             tuple(cols))
        from model.core import YEARS

        self.function = MixFunction(base, tuple(t.indicator for t in self.targets),
                                    tuple(YEARS.index(t.year) for t in self.targets))
        # the scenario as written (its own paths, per-sector overrides included; no lock, no level)
        self.scenario_function = MixFunction(
            ModelFunction(model, dict(overrides), dict(drivers), dict(switches), tuple(state_columns)),
            self.function.indicators, self.function.year_index)
        self.evaluator = evaluator or LocalEvaluator(chunk_size=chunk_size)
        self.sense = np.array([1.0 if t.comparator == ">=" else -1.0 for t in self.targets])
        self.goal = np.array([t.value for t in self.targets], dtype=float)
        self.scale = np.array([abs(t.value) if t.value != 0 else 1.0 for t in self.targets])

    def rows(self, M: np.ndarray, states: np.ndarray | None = None) -> np.ndarray:
        """Design (P * W, D + D_states), mix-major: row p * W + w is mix p under state w."""
        S = self.states if states is None else states
        w = S.shape[0]
        return np.concatenate([np.repeat(M, w, axis=0), np.tile(S, (M.shape[0], 1))], axis=1)

    def _outcomes(self, M: np.ndarray, states: np.ndarray | None = None) -> MixOutcome:
        S = self.states if states is None else states
        Y = self.evaluator.evaluate(self.function, self.rows(M, S))
        return self._outcome(Y.reshape(M.shape[0], S.shape[0], -1))

    def function_pairs(self, M: np.ndarray, S: np.ndarray) -> MixOutcome:
        """Outcomes of mix i under state i (n pairs, one call); arrays (n, K) / (n,)."""
        X = np.concatenate([self.space.clip(M), S], axis=1)
        out = self._outcome(self.evaluator.evaluate(self.function, X)[:, None, :])
        return MixOutcome(*(a[:, 0] for a in (out.value, out.gap, out.met, out.cost, out.envelope, out.years_over)))

    def _outcome(self, Y: np.ndarray) -> MixOutcome:
        k = len(self.targets)
        value = Y[..., :k]
        diff = self.sense * (value - self.goal)
        return MixOutcome(value, diff / self.scale, diff >= 0.0, Y[..., k], Y[..., k + 1], Y[..., k + 2])

    def scenario_outcome(self) -> MixOutcome:
        """The scenario's own policy (its paths as written) on the search sample, as one mix."""
        Y = self.evaluator.evaluate(self.scenario_function, self.states)
        return self._outcome(Y[None, :, :])

    def outcomes_on(self, M: np.ndarray, states: np.ndarray) -> MixOutcome:
        """Outcomes on another sample of states (the re-check); not counted as search work."""
        return self._outcomes(self.space.clip(np.atleast_2d(M)), states)

    def set_scales(self, scales: np.ndarray) -> None:
        """Scale of each target's gap for the smoothed constraint (default |target|, 1 for 0)."""
        self.scale = np.asarray(scales, dtype=float)


@dataclass(frozen=True)
class Constraints:
    """The cost-effective problem's constraints.

    ``alpha``: P(all scored targets met | mix) >= alpha, in (0, 1); ``per_target``: target id ->
    its own P(met) floor; ``budget``: cap on the SAA expected cost 2004-2010 (100m yuan
    nominal; None = no cap beyond the instruments' ranges).
    """

    alpha: float
    per_target: dict = field(default_factory=dict)
    budget: float | None = None
