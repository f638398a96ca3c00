"""P(met | policy): the scenario's instruments held fixed, the states of the world of its
``uncertainty:`` block (parameters and assumptions, never levers) drawn at random.

Targets set by decision (designations) are left out; intervals are Wilson score intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.core import YEARS
from model.studies.sensitivity.adapter import ModelFunction
from model.studies.sensitivity.adapter import state_sample as adapter_state_sample
from model.uq.probability import wilson_interval


def state_sample(scenario, model, n: int = 1000, seed: int | None = None):
    """The fixed sample of states of the world of P(met | policy): ``(X (n, D), columns)``.

    ``n`` draws of the scenario's uncertainty block (seeded with the scenario's ``seed`` unless
    ``seed`` is given), scaled to the inputs' distributions; ``columns`` say where each column of
    ``X`` goes (``model.studies.sensitivity.adapter.Column``). The dashboard evaluates the same
    sample under every policy a planner tries, so its P(met) equals ``mfgbase run``'s.
    """
    return adapter_state_sample(scenario, model, n, seed)


def p_met_table(targets, paths, conf_level: float = 0.90, intervals: bool = True) -> pd.DataFrame:
    """P(met) per modelled target from indicator paths ``{target_id: (n, T)}`` of n states.

    ``intervals=False`` leaves the Wilson interval out (NaN; the dashboard redraws without it).
    """
    rows = []
    for tgt in targets:
        if not tgt.modelled:
            continue
        t = YEARS.index(tgt.year)
        x = paths[tgt.target_id][:, t]
        n = x.shape[0]
        k = int(np.count_nonzero(tgt.met(x)))
        kb = int(np.count_nonzero(tgt.within_band(x)))
        lo, hi = wilson_interval(k, n, conf_level) if intervals else (np.nan, np.nan)
        rows.append({"target_id": tgt.target_id, "p_met": k / n, "p_met_low": float(lo), "p_met_high": float(hi),
                     "p_within_band": kb / n, "n_draws": n, "conf_level": conf_level})
    return pd.DataFrame(rows)


def p_met_given_policy(scenario, model, n: int = 1000, seed: int | None = None, conf_level: float = 0.90):
    """P(met | policy) per modelled target: DataFrame target_id, p_met, low, high, p_within_band, n.

    Draws ``n`` states of the world from the scenario's uncertainty block (the priors and the
    assumption inputs; the block may not hold levers, so the policy is fixed) with a seeded
    generator (:func:`state_sample`), evaluates the model once for all draws and counts the
    draws meeting each target in its year. Intervals: Wilson score at ``conf_level``.
    """
    X, columns = state_sample(scenario, model, n, seed)
    paths = ModelFunction.for_scenario(scenario, columns, model).indicators(X)
    return p_met_table(model.targets, paths, conf_level)
