"""A mix problem with a closed-form minimum-cost frontier (tests, notebook, benchmark).

Two instruments x_1, x_2 in [0, H] with unit costs c_1, c_2 (cost C = c_1 x_1 + c_2 x_2, the
same in every state) act with diminishing returns on one target, met in state w when

    a_1 sqrt(x_1) + a_2 sqrt(x_2) >= theta_w,    theta_w ~ U(0, T) i.i.d. (the states).

P(met | x) = min(s(x) / T, 1) with s(x) = a_1 sqrt(x_1) + a_2 sqrt(x_2): monotone in both
instruments. Minimising C subject to s(x) >= s (Lagrange: sqrt(x_i) = lambda a_i / (2 c_i))
gives

    x_i*(s) = (s a_i / c_i / A)^2,   C*(s) = s^2 / A,   A = a_1^2 / c_1 + a_2^2 / c_2,

so the minimum-cost frontier is C*(p) = (p T)^2 / A in the population and, on a sample of W
states, C*_W(alpha) = theta_(ceil(alpha W))^2 / A (theta_(j): the j-th smallest draw), as long
as x* stays inside the box.
"""

from __future__ import annotations

import math

import numpy as np

from model.studies.search.problem import MixOutcome, MixProblem
from model.studies.search.space import Decision, DecisionSpace


class AnalyticProblem(MixProblem):
    """The two-instrument problem above over ``n_states`` draws of theta (seeded)."""

    def __init__(self, n_states: int = 400, seed: int = 0, a=(1.0, 2.0), c=(1.0, 3.0), T: float = 10.0,
                 H: float = 100.0) -> None:
        super().__init__()
        self.a, self.c, self.T = np.asarray(a, float), np.asarray(c, float), float(T)
        self.A = float(np.sum(self.a**2 / self.c))
        self.theta = np.random.default_rng([seed, 3]).uniform(0.0, T, n_states)
        self.n_states = n_states
        self.target_ids = ("effect",)
        self.space = DecisionSpace(
            tuple(Decision(f"x{i + 1}", f"levers.x{i + 1}", f"x{i + 1}", "unit", 0.0, H, f"instrument {i + 1}",
                           f"工具{i + 1}", True, math.nan) for i in range(2)), (), ())

    def _outcomes(self, M: np.ndarray) -> MixOutcome:
        s = np.sqrt(M) @ self.a  # (P,)
        value = np.broadcast_to(s[:, None, None], (M.shape[0], self.n_states, 1))
        diff = value - self.theta[None, :, None]
        cost = np.broadcast_to((M @ self.c)[:, None], (M.shape[0], self.n_states)).copy()
        nan = np.full(cost.shape, np.nan)
        return MixOutcome(value, diff / self.T, diff >= 0.0, cost, nan, nan)

    def min_cost(self, alpha: float, sample: bool = True) -> float:
        """C* at P >= alpha: on this sample of states (``sample``) or in the population."""
        s = np.sort(self.theta)[self._rank(alpha)] if sample else alpha * self.T
        return float(s**2 / self.A)

    def _rank(self, alpha: float) -> int:
        """0-based index of theta_(ceil(alpha W)) (alpha W rounded first: P levels are k / W)."""
        return max(math.ceil(round(alpha * self.n_states, 9)) - 1, 0)

    def argmin(self, alpha: float) -> np.ndarray:
        s = np.sort(self.theta)[self._rank(alpha)]
        return (s * self.a / self.c / self.A) ** 2
