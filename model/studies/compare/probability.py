"""P(met | policy): the probability that each scenario meets each target, beside its central value.

For every scenario, a fixed independent pseudo-random sample (:func:`model.uq.random_sample`: iid
draws, as the Wilson interval assumes; not a stratified design) of ``n`` states of the world is drawn from
*that scenario's* ``uncertainty:`` block (:func:`model.studies.sensitivity.adapter.build_problem`:
by default every prior of ``calibration/priors.yaml``), with one seed for all scenarios, so
scenarios sharing an uncertainty block are scored on the same states of the world (common
random numbers: differences between them are policy, not sampling noise). P(met) is the share
of the ``n`` runs that meet the target in its scoring year, with a 95 % Wilson interval.
n = 512 keeps a three-scenario compare fast (about a second of model time); the interval says
how precise that is. ``mfgbase sensitivity`` gives the full study with bootstrap intervals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from model.studies.sensitivity.adapter import ModelFunction, build_problem
from model.uq.probability import wilson_interval
from model.uq.support import random_sample

N_SAMPLE = 512
SEED = 20040520  # fixed: the same states of the world on every run of compare

COLUMNS = ["scenario", "target_id", "p_met", "p_lo", "p_hi", "n"]


def policy_probabilities(scenarios: Sequence, ids: Sequence[str], model, n: int = N_SAMPLE,
                         seed: int = SEED) -> pd.DataFrame:
    """One row per scenario and target: P(met) over ``n`` sampled states of the world."""
    rows = []
    years = None
    for sid, scen in zip(ids, scenarios, strict=True):
        problem, columns, _notices = build_problem(scen, model)
        X = random_sample(problem, n, seed)
        f = ModelFunction.for_scenario(scen, columns, model)
        years = years or list(f.years)
        paths = f.indicators(X)
        for tgt in f.targets():
            y = paths[tgt.target_id][:, years.index(tgt.year)]
            with np.errstate(invalid="ignore"):
                k = int(np.sum(tgt.met(y) & np.isfinite(y)))
            lo, hi = wilson_interval(k, n)
            rows.append({"scenario": sid, "target_id": tgt.target_id, "p_met": k / n,
                         "p_lo": float(lo), "p_hi": float(hi), "n": n})
    return pd.DataFrame(rows, columns=COLUMNS)
