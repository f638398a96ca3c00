"""Sample-size convergence: double N until the confidence intervals are narrow enough.

``until_ci(run_fn, n0, max_n, width)`` calls ``run_fn(n)`` for ``n = n0, 2 n0, 4 n0, ...``
(at most ``max_n``) and stops as soon as the widest interval of the chosen index
(default ``ST``), over all inputs and outputs, is narrower than ``width``.
The interval width is the full width ``2 * <index>_conf`` (SALib's ``*_conf`` is the
half-width of the bootstrap interval).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class ConvergenceResult:
    """Result of :func:`until_ci`.

    Attributes
    ----------
    result : Any
        Return value of the last ``run_fn`` call.
    history : DataFrame
        One row per step: ``n_requested, n_effective, n_rows, max_width, worst``
        (``worst`` = ``output/input`` with the widest interval).
    reached : bool
        True if ``max_width < width`` at the last step.
    message : str
    """

    result: Any
    history: pd.DataFrame
    reached: bool
    message: str
    steps: list[dict[str, Any]] = field(default_factory=list)


def _indices_of(result: Any) -> pd.DataFrame:
    if isinstance(result, pd.DataFrame):
        return result
    idx = getattr(result, "indices", None)
    if isinstance(idx, pd.DataFrame):
        return idx
    raise TypeError("run_fn must return a StudyResult or a tidy indices DataFrame")


def max_ci_width(indices: pd.DataFrame, index: str = "ST") -> tuple[float, str]:
    """Widest full interval width ``2 * <index>_conf`` and where it occurs (NaN ignored)."""
    sel = indices[indices["index"] == f"{index}_conf"]
    vals = sel["value"].to_numpy(dtype=np.float64)
    if sel.empty or not np.any(np.isfinite(vals)):
        return float("nan"), ""
    k = int(np.nanargmax(vals))
    row = sel.iloc[k]
    return 2.0 * float(vals[k]), f"{row['output']}/{row['input']}"


def until_ci(
    run_fn: Callable[[int], Any],
    n0: int,
    max_n: int,
    width: float,
    index: str = "ST",
) -> ConvergenceResult:
    """Double ``n`` from ``n0`` until ``2 * max(<index>_conf) < width`` or ``n > max_n``.

    Parameters
    ----------
    run_fn : callable ``n -> StudyResult | DataFrame``
        E.g. ``lambda n: run_study(f, problem, 'sobol', n, seed)``.
    n0 : int
        First sample size.
    max_n : int
        Cap on the requested ``n`` (the last step uses the largest ``n0 * 2^k <= max_n``).
    width : float
        Target full width of the widest confidence interval.
    index : str
        Index whose ``<index>_conf`` is checked (``'ST'``, ``'S1'``, ``'mu_star'``...).
    """
    if n0 < 1 or max_n < n0:
        raise ValueError(f"need 1 <= n0 <= max_n, got n0={n0}, max_n={max_n}")
    if width <= 0:
        raise ValueError(f"width must be > 0, got {width}")
    steps: list[dict[str, Any]] = []
    n = int(n0)
    result: Any = None
    reached = False
    while n <= max_n:
        result = run_fn(n)
        w, worst = max_ci_width(_indices_of(result), index)
        samples = getattr(result, "samples", None)
        steps.append(
            {
                "n_requested": n,
                "n_effective": getattr(samples, "n", n),
                "n_rows": int(getattr(result, "X", np.empty((0, 0))).shape[0]) or np.nan,
                "max_width": w,
                "worst": worst,
            }
        )
        if np.isfinite(w) and w < width:
            reached = True
            break
        n *= 2
    last = steps[-1]
    if reached:
        msg = (
            f"converged: widest {index} interval {last['max_width']:.4f} < {width} "
            f"at N={last['n_effective']} after {len(steps)} step(s)"
        )
    else:
        msg = (
            f"not converged: widest {index} interval {last['max_width']:.4f} "
            f"(at {last['worst']}) >= {width} at the cap N={last['n_effective']} "
            f"(max_n={max_n})"
        )
    return ConvergenceResult(
        result=result, history=pd.DataFrame(steps), reached=reached, message=msg, steps=steps
    )
