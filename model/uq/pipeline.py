"""The one study pipeline: sample -> evaluate -> analyse (-> double N until converged).

    res = run_study(f, problem, "sobol", n=4096, seed=1)
    res.indices          # tidy output, input, index, value
    res.convergence      # one row per sample size tried

``f`` is any vectorised ``f(X: (n, D)) -> Y: (n, K)``; it is handed to the evaluator as is
(for dask with processes it must be picklable: a module-level function, a
``functools.partial`` or an object with ``__call__``). Sampling, analysis, index names and
the convergence index come from the method table (:mod:`.methods`), so every study of the
same method - a test function here, the mfgbase model in ``model.studies.sensitivity`` -
is analysed by the same code.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .analysis import to_wide
from .convergence import max_ci_width, until_ci
from .evaluate import DEFAULT_CHUNK_SIZE, Evaluator, LocalEvaluator, ModelFn
from .methods import METHODS, analyze, canonical_method, sample
from .problem import Problem, ProblemError, as_problem
from .sampling import Samples

#: cap on N when doubling until the intervals are narrow (unless ``max_n`` is given)
DEFAULT_MAX_N = 32768


class DesignError(ProblemError):
    """The method, sample size or options cannot make a design for this problem."""


@dataclass
class StudyResult:
    """Outcome of :func:`run_study`.

    Attributes
    ----------
    problem, method : the study definition (canonical method name)
    samples : Samples of the last step (``X``, effective ``n``, method options, notices)
    Y : ndarray (rows, K)
    indices : tidy DataFrame ``output, input, index, value`` (``*_conf`` = half-widths)
    output_names : list of str
    notices : sample adjustments and analysis notes (last step)
    timings : seconds for ``sample``, ``evaluate``, ``analyze`` (summed over steps), ``total``
    convergence : one row per step: ``n_requested, n_effective, n_rows, max_width, worst``
    convergence_message : str
    """

    problem: Problem
    method: str
    samples: Samples
    Y: np.ndarray
    indices: pd.DataFrame
    output_names: list[str]
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)
    convergence_message: str = ""

    @property
    def X(self) -> np.ndarray:
        return self.samples.X

    def wide(self) -> pd.DataFrame:
        """Indices with one column per index name."""
        return to_wide(self.indices)

    def uncertainty_rows(self) -> np.ndarray:
        """Rows of ``X`` that are a random sample of the inputs (Sobol: A and B; else all)."""
        return METHODS[self.method].uncertainty_rows(self.samples, len(self.problem.factor_names))


def run_study(
    f: ModelFn,
    problem: Problem,
    method: str = "sobol",
    n: int = 1024,
    seed: int | None = 0,
    evaluator: Evaluator | None = None,
    output_names: Sequence[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    progress: bool = False,
    sample_options: dict[str, Any] | None = None,
    until_ci_width: float | None = None,
    max_n: int | None = None,
) -> StudyResult:
    """Sample -> evaluate -> analyse (like SALib's ``ProblemSpec``).

    Parameters
    ----------
    f : callable ``X (n, D) -> Y (n, K)``
    problem : Problem (or SALib dict / sequence of UncertainInput)
    method : ``sobol | morris | fast | rbd-fast | delta | pawn``
    n : int
        Base sample size (see :mod:`.sampling`; Sobol rounds up to a power of two).
    seed : int
        Seed for sampling and for the bootstrap of the analysis.
    evaluator : Evaluator, optional
        Default ``LocalEvaluator(chunk_size, progress)``. The evaluator is used as is
        (a DaskEvaluator is started on first use; close it yourself or use ``with``).
    output_names : names of the K outputs (default ``y0..``)
    chunk_size : rows per call of ``f`` for the default evaluator
    num_resamples, conf_level : bootstrap settings for ``*_conf``
    sample_options : method options passed to the design (:func:`.methods.sample`)
    until_ci_width : double ``n`` until the widest interval of the method's convergence index
        (ST for Sobol/FAST, mu_star for Morris, ...) is narrower than this, up to ``max_n``
        (default ``max(n, DEFAULT_MAX_N)``)

    Raises :class:`DesignError` when no design can be made (unknown method, bad ``n`` or
    options, grouped inputs for a method without groups).
    """
    problem = as_problem(problem)
    try:
        m = METHODS[canonical_method(method)]
    except ValueError as exc:
        raise DesignError(str(exc)) from exc
    if until_ci_width is not None:
        if not until_ci_width > 0:
            raise DesignError(f"until_ci_width must be > 0, got {until_ci_width}")
        if m.ci is None:
            raise DesignError(f"--until-ci needs a method with confidence intervals (not {m.name})")
    ev = evaluator or LocalEvaluator(chunk_size=chunk_size, progress=progress)
    timings = {"sample": 0.0, "evaluate": 0.0, "analyze": 0.0}
    last: dict[str, Any] = {}

    def step(nn: int) -> StudyResult:
        t0 = time.perf_counter()
        try:
            smp = sample(problem, m.name, nn, seed, **(sample_options or {}))
        except (ValueError, TypeError) as exc:
            raise DesignError(str(exc)) from exc
        t1 = time.perf_counter()
        Y = ev.evaluate(f, smp.X)
        t2 = time.perf_counter()
        names = list(output_names) if output_names is not None else [f"y{k}" for k in range(Y.shape[1])]
        idx = analyze(problem, m.name, smp.X, Y, names, seed=seed, num_resamples=num_resamples,
                      conf_level=conf_level, **smp.options)
        timings["sample"] += t1 - t0
        timings["evaluate"] += t2 - t1
        timings["analyze"] += time.perf_counter() - t2
        res = StudyResult(problem=problem, method=m.name, samples=smp, Y=Y, indices=idx,
                          output_names=names,
                          notices=list(smp.notices) + list(idx.attrs.get("notes", [])))
        last["res"] = res
        return res

    t_start = time.perf_counter()
    level = f"{100 * conf_level:g} %"
    if until_ci_width is not None:
        cap = int(max_n or max(int(n), DEFAULT_MAX_N))
        conv = until_ci(step, int(n), cap, float(until_ci_width), index=m.ci)
        history, message = conv.history, conv.message
    else:
        res = step(int(n))
        w, worst = max_ci_width(res.indices, m.ci) if m.ci else (float("nan"), "")
        history = pd.DataFrame([{"n_requested": int(n), "n_effective": res.samples.n,
                                 "n_rows": res.samples.n_rows, "max_width": w, "worst": worst}])
        message = (f"widest {m.ci} {level} interval: {w:.3f} (at {worst}) with N={res.samples.n}"
                   if np.isfinite(w) else "no confidence intervals for this method")
    res = last["res"]
    res.timings = {**timings, "total": time.perf_counter() - t_start}
    res.convergence = history
    res.convergence_message = message
    return res
