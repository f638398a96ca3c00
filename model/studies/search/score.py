"""Scores of mixes over the SAA sample: P(all met), P(each met), expected cost, feasibility,
and the smoothed P the single-objective search uses as a guide.

SAA estimates over the W states (one row per state, every mix on the same states):

    P_all(x) = 1/W sum_w 1[min_k gap_k(x, w) >= 0],   P_k(x) = 1/W sum_w 1[gap_k(x, w) >= 0]
    C(x)     = 1/W sum_w cost(x, w)                     (100m yuan nominal, 2004-2010)

P is a step function of x (it moves in steps of 1/W). The smoothed version replaces the
indicator by a logistic of the scaled gap (gaps are divided by the target's scale, see
``ModelMixProblem``; ``tau`` is in those units):

    P~_all(x) = 1/W sum_w sigma(min_k gap_k(x, w) / tau),   sigma(z) = 1 / (1 + e^-z)

It is used only to rank *infeasible* mixes (which one is closer to feasibility); feasibility
itself is always judged on the exact SAA estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from model.studies.search.problem import Constraints, MixOutcome

DEFAULT_TAU = 0.05  # 5 % of a target's value


@dataclass(frozen=True)
class Scores:
    """P mixes: ``cost`` (P,), ``p_all`` (P,), ``p_each`` (P, K), ``feasible`` (P,),
    ``violation`` (P,) >= 0 (0 exactly when feasible; smoothed shortfall plus exact shortfall),
    ``p_within_envelope`` (P,): share of states whose cost stays within the yearly envelope."""

    cost: np.ndarray
    p_all: np.ndarray
    p_each: np.ndarray
    feasible: np.ndarray
    violation: np.ndarray
    p_within_envelope: np.ndarray


def p_all(out: MixOutcome) -> np.ndarray:
    return out.met.all(axis=2).mean(axis=1)


def p_each(out: MixOutcome) -> np.ndarray:
    return out.met.mean(axis=1)


def smoothed_p_all(out: MixOutcome, tau: float = DEFAULT_TAU) -> np.ndarray:
    return expit(out.gap.min(axis=2) / tau).mean(axis=1)


def score(out: MixOutcome, cons: Constraints, target_ids: tuple[str, ...], tau: float = DEFAULT_TAU,
          cost_scale: float = 1.0) -> Scores:
    """Scores and feasibility of the mixes of ``out`` under ``cons``.

    violation = [not feasible] * (1 + (alpha - P~_all)^+ + (alpha - P_all)^+
                 + sum_k ((alpha_k - P~_k)^+ + (alpha_k - P_k)^+) + (C - B)^+ / cost_scale)
    (Deb's feasibility rule: any feasible mix beats any infeasible one; infeasible mixes are
    ranked by how far they are from feasibility.)
    """
    pa, pe, cost = p_all(out), p_each(out), out.mean_cost
    short = np.maximum(cons.alpha - pa, 0.0)
    guide = np.maximum(cons.alpha - smoothed_p_all(out, tau), 0.0)
    feasible = pa >= cons.alpha
    for tid, a in cons.per_target.items():
        k = target_ids.index(tid)
        feasible &= pe[:, k] >= a
        short = short + np.maximum(a - pe[:, k], 0.0)
        guide = guide + np.maximum(a - expit(out.gap[:, :, k] / tau).mean(axis=1), 0.0)
    if cons.budget is not None:
        over = np.maximum(cost - cons.budget, 0.0) / cost_scale
        feasible &= cost <= cons.budget
        short = short + over
    violation = np.where(feasible, 0.0, 1.0 + short + guide)
    within = (out.years_over == 0).mean(axis=1) if np.isfinite(out.years_over).all() else np.full(cost.shape, np.nan)
    return Scores(cost, pa, pe, feasible, violation, within)
