"""Model-free uncertainty and sensitivity engine.

Evaluates any vectorised ``f(X: (n, D)) -> Y: (n, K)`` and knows nothing about the model:
no module of ``model.uq`` imports anything else from ``model`` (a test walks the imports).
Modules, one per concern:

* :mod:`.problem`     - ``UncertainInput``, ``Problem`` -> SALib problem dict
* :mod:`.sampling`    - one design per method; ``SaltelliLayout``, the only place that knows
  the Saltelli row layout
* :mod:`.methods`     - the method table (design, analyser, indices, ranking and convergence
  index, random rows) and ``sample`` / ``analyze``, which dispatch through it
* :mod:`.analysis`    - SALib analysers per output -> tidy ``output, input, index, value``
* :mod:`.sobol_fast`  - vectorised Sobol S1/ST + bootstrap over many outputs (= SALib)
* :mod:`.evaluate`    - ``LocalEvaluator``, ``DaskEvaluator`` (chunked, bit-identical)
* :mod:`.convergence` - ``until_ci``: double N until intervals are narrow enough
* :mod:`.probability` - P(target met), first year reached, response curves, MC filtering
* :mod:`.support`     - what a sample supports: iid random sample, minimum met/missed runs,
  Bonferroni-corrected significance before a filtering or response finding is stated
* :mod:`.plots`       - Sobol bars, Morris scatter, fan chart, response curve
* :mod:`.pipeline`    - ``run_study``: the one sample -> evaluate -> analyse pipeline

The mfgbase model enters through ``model.studies.sensitivity`` (an adapter from a scenario
to ``f``). Facade::

    res = run_study(f, problem, "sobol", n=4096, seed=1)
    res.indices          # tidy DataFrame
"""

from __future__ import annotations

from .analysis import to_wide
from .convergence import ConvergenceResult, max_ci_width, until_ci
from .evaluate import (
    DEFAULT_CHUNK_SIZE,
    DaskEvaluator,
    EvaluationError,
    Evaluator,
    LocalEvaluator,
    ModelFn,
)
from .methods import GROUP_METHODS, METHODS, Method, analyze, canonical_method, method, sample
from .pipeline import DEFAULT_MAX_N, DesignError, StudyResult, run_study
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
from .sampling import SaltelliLayout, Samples
from .sobol_fast import sobol_analyze
from .support import DEFAULT_RULE, SupportRule, random_sample

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_N",
    "GROUP_METHODS",
    "METHODS",
    "ConvergenceResult",
    "DEFAULT_RULE",
    "DaskEvaluator",
    "DesignError",
    "EvaluationError",
    "Evaluator",
    "LocalEvaluator",
    "Method",
    "ModelFn",
    "Problem",
    "ProblemError",
    "SaltelliLayout",
    "Samples",
    "StudyResult",
    "SupportRule",
    "Target",
    "UncertainInput",
    "analyze",
    "as_problem",
    "canonical_method",
    "first_year_reached",
    "max_ci_width",
    "mc_filter",
    "met_matrix",
    "method",
    "p_met",
    "random_sample",
    "response_curve",
    "run_study",
    "sample",
    "sobol_analyze",
    "to_wide",
    "until_ci",
    "wilson_interval",
]
