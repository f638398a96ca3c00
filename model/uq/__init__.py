"""Model-agnostic sensitivity and uncertainty engine.

Evaluates any vectorised ``f(X: (n, D)) -> Y: (n, K)`` and knows nothing about the
model. Modules (one per concern):

* :mod:`.problem`       - ``UncertainInput``, ``Problem`` -> SALib problem dict
* :mod:`.sampling`      - ``sample(problem, method, n, seed) -> Samples``
* :mod:`.evaluate`      - ``LocalEvaluator``, ``DaskEvaluator`` (chunked, bit-identical)
* :mod:`.analysis`      - ``analyze(...) -> tidy DataFrame (output, input, index, value)``
* :mod:`.probability`   - P(target met), first year reached, response curves, MC filtering
* :mod:`.convergence`   - ``until_ci``: double N until CIs are narrow enough
* :mod:`.plots`         - Sobol bars, Morris scatter, fan chart, response curve
* :mod:`.testfunctions` - Ishigami, Sobol G with analytical indices
* :mod:`.sobol_fast`    - vectorised Sobol S1/ST + bootstrap over many outputs (= SALib)

Model side (mfgbase):

* :mod:`.model_adapter` - scenario ``uncertainty:`` block -> Problem; picklable ``ModelFunction``
* :mod:`.study`         - ``study(scenario, method, n, seed, ...) -> SensitivityStudy``
* :mod:`.report`        - CSVs, figures, ``sensitivity.md`` (atomic result folder)
* :mod:`.cli`           - ``mfgbase sensitivity``

Facade::

    res = run_study(f, problem, "sobol", n=4096, seed=1)
    res.indices          # tidy DataFrame
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .analysis import analyze, to_wide
from .convergence import ConvergenceResult, until_ci
from .evaluate import (
    DEFAULT_CHUNK_SIZE,
    DaskEvaluator,
    EvaluationError,
    Evaluator,
    LocalEvaluator,
    ModelFn,
)
from .probability import (
    Target,
    first_year_reached,
    mc_filter,
    met_matrix,
    p_met,
    response_curve,
    wilson_interval,
)
from .problem import Problem, ProblemError, UncertainInput, as_problem
from .sampling import METHODS, Samples, sample
from .sobol_fast import sobol_analyze
from .study import SensitivityStudy, StudyError, study

__all__ = [
    "METHODS",
    "ConvergenceResult",
    "DaskEvaluator",
    "EvaluationError",
    "Evaluator",
    "LocalEvaluator",
    "Problem",
    "ProblemError",
    "Samples",
    "SensitivityStudy",
    "StudyError",
    "StudyResult",
    "Target",
    "UncertainInput",
    "analyze",
    "as_problem",
    "first_year_reached",
    "mc_filter",
    "met_matrix",
    "p_met",
    "response_curve",
    "run_study",
    "sample",
    "sobol_analyze",
    "study",
    "to_wide",
    "until_ci",
    "wilson_interval",
]


@dataclass
class StudyResult:
    """Outcome of :func:`run_study`.

    Attributes
    ----------
    problem, method : the study definition
    samples : Samples (``X``, effective ``n``, method options, notices)
    Y : ndarray (rows, K)
    indices : tidy DataFrame ``output, input, index, value``
    notices : list of str - sample adjustments and analysis notes
    timings : dict - seconds for ``sample``, ``evaluate``, ``analyze``, ``total``
    output_names : list of str
    """

    problem: Problem
    method: str
    samples: Samples
    Y: np.ndarray
    indices: pd.DataFrame
    output_names: list[str]
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def X(self) -> np.ndarray:
        return self.samples.X

    def wide(self) -> pd.DataFrame:
        """Indices with one column per index name."""
        return to_wide(self.indices)


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
) -> StudyResult:
    """Sample -> evaluate -> analyze (like SALib's ``ProblemSpec``).

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
    sample_options : method options passed to :func:`.sampling.sample`
    """
    problem = as_problem(problem)
    t0 = time.perf_counter()
    smp = sample(problem, method, n, seed, **(sample_options or {}))
    t1 = time.perf_counter()
    ev = evaluator or LocalEvaluator(chunk_size=chunk_size, progress=progress)
    Y = ev.evaluate(f, smp.X)
    t2 = time.perf_counter()
    names = list(output_names) if output_names is not None else [f"y{k}" for k in range(Y.shape[1])]
    idx = analyze(
        problem, smp.method, smp.X, Y, names, seed=seed, num_resamples=num_resamples,
        conf_level=conf_level, **smp.options,
    )
    t3 = time.perf_counter()
    return StudyResult(
        problem=problem,
        method=smp.method,
        samples=smp,
        Y=Y,
        indices=idx,
        output_names=names,
        notices=list(smp.notices) + list(idx.attrs.get("notes", [])),
        timings={"sample": t1 - t0, "evaluate": t2 - t1, "analyze": t3 - t2, "total": t3 - t0},
    )
