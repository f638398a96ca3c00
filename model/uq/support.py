"""What a Monte Carlo sample can support: the rules before a filtering or response finding
is stated.

Monte Carlo filtering (which inputs separate met from missed runs) and response curves of one input
(P(met) against a state of the world) are read off a sample of runs. Both need

1. **an independent random sample** (:func:`random_sample`): pseudo-random iid draws from the
   input distributions. A quasi-random (Sobol) or stratified design spreads points evenly on
   purpose; binning or splitting it by an output shows patterns of the design itself (the
   issue #9 probe reproduced a lever "response" without the model). The KS test and the
   binomial (Wilson) intervals used here assume iid draws.
2. **enough runs on both sides**: at least ``min_class_runs`` met AND missed runs before any
   input is named as separating them ("too few met runs to say" otherwise);
3. **a significant difference after correcting for the number of inputs tried**: an input
   separates met from missed runs when its two-sample KS p-value is below ``alpha / D``
   (Bonferroni over the D inputs); a lever moves P(met) when the chi-square test of
   homogeneity of met/missed counts across its bins has p below ``alpha / (levers x
   targets)``, with only bins of at least ``min_bin_runs`` runs counted.

A null input (one the model ignores) then fails rule 3 in all but ``alpha`` of studies
(family-wise), whatever the sample size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .problem import Problem


@dataclass(frozen=True)
class SupportRule:
    """Thresholds of the support rules (module docstring)."""

    min_class_runs: int = 50  # met and missed runs needed before naming a separating input
    alpha: float = 0.05  # family-wise error rate (Bonferroni)
    min_bin_runs: int = 30  # response-curve bins with fewer runs are not used


DEFAULT_RULE = SupportRule()

#: offset mixed into the seed so the random sample is independent of the design's draws
RANDOM_STREAM = 0x9E3779B1


def random_sample(problem: Problem, n: int, seed: int | None) -> np.ndarray:
    """``n`` independent pseudo-random draws (numpy PCG64) from the input distributions,
    shape ``(n, D)``; a stream separate from every design's (same seed -> same sample)."""
    from SALib.sample import sobol as sobol_sampler

    ss = np.random.SeedSequence(None if seed is None else [int(seed), RANDOM_STREAM])
    u = np.random.default_rng(ss).random((int(n), problem.num_vars))
    u = np.clip(u, np.finfo(float).tiny, 1.0 - np.finfo(float).eps)  # open (0, 1): finite quantiles
    return np.ascontiguousarray(sobol_sampler.scale_samples(u, problem.to_salib()), dtype=np.float64)


def class_counts_note(n_met: int, n_missed: int, rule: SupportRule = DEFAULT_RULE) -> tuple[str, str] | None:
    """(en, zh) "too few ... to say" when either class is below ``rule.min_class_runs``, else None."""
    n = n_met + n_missed
    if n_met < rule.min_class_runs:
        return (f"too few met runs to say which inputs matter ({n_met} of {n} runs met; "
                f"at least {rule.min_class_runs} needed)",
                f"达标运行太少,无法判断哪些输入起作用({n}次运行中{n_met}次达标,至少需要{rule.min_class_runs}次)")
    if n_missed < rule.min_class_runs:
        return (f"too few missed runs to say which inputs matter ({n_missed} of {n} runs missed; "
                f"at least {rule.min_class_runs} needed)",
                f"未达标运行太少,无法判断哪些输入起作用({n}次运行中{n_missed}次未达标,至少需要{rule.min_class_runs}次)")
    return None


def separates(p_value: np.ndarray, n_inputs: int, rule: SupportRule = DEFAULT_RULE) -> np.ndarray:
    """KS p-values -> bool: below ``alpha / n_inputs`` (Bonferroni)."""
    p = np.asarray(p_value, dtype=float)
    return np.isfinite(p) & (p < rule.alpha / max(int(n_inputs), 1))


def response_p_value(n: np.ndarray, n_met: np.ndarray, rule: SupportRule = DEFAULT_RULE) -> float:
    """Chi-square test of homogeneity of P(met) across the bins with >= ``min_bin_runs`` runs
    (NaN when fewer than two such bins, or when every counted run is met or every one missed)."""
    n, k = np.asarray(n, dtype=float), np.asarray(n_met, dtype=float)
    keep = n >= rule.min_bin_runs
    n, k = n[keep], k[keep]
    if n.size < 2 or k.sum() == 0 or k.sum() == n.sum():
        return float("nan")
    table = np.stack([k, n - k])
    return float(stats.chi2_contingency(table, correction=False)[1])
