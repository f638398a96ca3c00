"""The method table: for each sensitivity method, its design, analyser and indices - once.

Every question "what does method *m* sample, how is it analysed, which index ranks the
inputs, which interval decides convergence, are its rows a random sample of the inputs?"
is answered by ``METHODS[m]``; :func:`sample` and :func:`analyze` dispatch through it, and
the study pipeline, the writers and the plots read it instead of keeping their own lists.

==========  ====================  ===================================  ======  =====  ==========
method      design (sampling.py)  analyser                             rank    CI     random rows
==========  ====================  ===================================  ======  =====  ==========
sobol       Saltelli (Sobol seq)  sobol_fast (1st order) / SALib (2nd)  ST      ST     A and B
morris      Morris trajectories   SALib morris                         mu_star mu_star all (*)
fast        eFAST search curves   SALib fast                           ST      ST     all (*)
rbd-fast    Latin hypercube       SALib rbd_fast                       S1      S1     all
delta       Latin hypercube       SALib delta                          delta   delta  all
pawn        Latin hypercube       SALib pawn                           PAWN_m. -      all
==========  ====================  ===================================  ======  =====  ==========

(*) Morris and FAST designs are not random samples of the input distribution; probabilities
computed from their rows are indicative only (``Method.random_design`` is False).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import analysis, sampling
from .problem import Problem, ProblemError, as_problem
from .sobol_fast import sobol_analyze


@dataclass(frozen=True)
class Method:
    """One sensitivity method.

    name : canonical name; ``aliases`` also accepted (case and spaces ignored)
    design : ``(problem, n, seed, **options) -> Samples`` (:mod:`.sampling`)
    salib : SALib analyser of one output column (:mod:`.analysis`)
    indices : index names the analyser reports (``*_conf`` = half-width of the interval)
    rank : index that ranks the inputs (top drivers, bar charts, summaries)
    ci : index whose ``<ci>_conf`` decides convergence (None: no intervals)
    bars : (first, second) index pair drawn in bar charts (``"-"`` = none)
    groups : the analysis supports SALib groups
    random_design : the rows are a random sample of the input distribution
    fast : analyser of all outputs at once, used when ``fast_ok(options)``
    """

    name: str
    aliases: tuple[str, ...]
    design: Callable[..., sampling.Samples]
    salib: Callable[..., dict[str, Any]]
    indices: tuple[str, ...]
    rank: str
    ci: str | None
    bars: tuple[str, str]
    groups: bool
    random_design: bool
    fast: Callable[..., pd.DataFrame] | None = None
    fast_ok: Callable[[dict[str, Any]], bool] = lambda options: False

    def uncertainty_rows(self, samples: sampling.Samples, n_factors: int) -> np.ndarray:
        """Rows of the design that form a random sample of the inputs (for P(met), fans, filtering)."""
        if self.name == "sobol":
            layout = sampling.SaltelliLayout(n_factors, bool(samples.options.get("calc_second_order")))
            return layout.random_rows(samples.n_rows)
        return np.arange(samples.n_rows)


_TABLE = (
    Method("sobol", ("saltelli",), sampling.sobol_design, analysis.salib_sobol,
           ("S1", "S1_conf", "ST", "ST_conf"), rank="ST", ci="ST", bars=("S1", "ST"),
           groups=True, random_design=True, fast=sobol_analyze,
           fast_ok=lambda o: not o.get("calc_second_order")),
    Method("morris", (), sampling.morris_design, analysis.salib_morris,
           ("mu", "mu_star", "mu_star_conf", "sigma"), rank="mu_star", ci="mu_star",
           bars=("mu_star", "-"), groups=True, random_design=False),
    Method("fast", ("efast",), sampling.fast_design, analysis.salib_fast,
           ("S1", "S1_conf", "ST", "ST_conf"), rank="ST", ci="ST", bars=("S1", "ST"),
           groups=False, random_design=False),
    Method("rbd-fast", ("rbd_fast", "rbdfast"), sampling.rbd_fast_design, analysis.salib_rbd_fast,
           ("S1", "S1_conf"), rank="S1", ci="S1", bars=("S1", "-"), groups=False, random_design=True),
    Method("delta", (), sampling.delta_design, analysis.salib_delta,
           ("delta", "delta_conf", "delta_balanced", "delta_balanced_conf", "S1", "S1_conf"),
           rank="delta", ci="delta", bars=("delta", "S1"), groups=False, random_design=True),
    Method("pawn", (), sampling.pawn_design, analysis.salib_pawn,
           ("PAWN_minimum", "PAWN_mean", "PAWN_median", "PAWN_maximum", "PAWN_CV", "PAWN_stdev"),
           rank="PAWN_median", ci=None, bars=("PAWN_median", "-"), groups=True, random_design=True),
)
METHODS: dict[str, Method] = {m.name: m for m in _TABLE}
_ALIASES = {a: m.name for m in _TABLE for a in (m.name, *m.aliases)}
#: methods whose analysis supports SALib groups
GROUP_METHODS = frozenset(m.name for m in _TABLE if m.groups)


def canonical_method(method: str) -> str:
    """Normalise a method name (``'Sobol'``, ``'rbd_fast'``...) to one of :data:`METHODS`."""
    m = _ALIASES.get(str(method).lower().replace(" ", ""))
    if m is None:
        raise ValueError(f"unknown method {method!r}; choose one of {tuple(METHODS)}")
    return m


def method(name: str) -> Method:
    """The :class:`Method` of ``name`` (aliases accepted)."""
    return METHODS[canonical_method(name)]


def sample(problem: Problem, method: str = "sobol", n: int = 1024, seed: int | None = 0,
           **options: Any) -> sampling.Samples:
    """Generate the input matrix for ``method`` (see :mod:`.sampling` for ``n`` and the rows).

    Options - sobol: ``calc_second_order`` (False), ``scramble`` (True); morris:
    ``num_levels`` (4), ``optimal_trajectories`` (None), ``local_optimization`` (True);
    fast: ``M`` (4); rbd-fast: ``M`` (10); pawn: ``S`` (10 slides). The same seed gives
    the same ``X``.
    """
    problem = as_problem(problem)
    m = METHODS[canonical_method(method)]
    if int(n) < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if problem.use_groups and not m.groups:
        raise ProblemError(
            f"method {m.name!r} does not support grouped inputs; use one of "
            f"{sorted(GROUP_METHODS)} or a problem with use_groups=False"
        )
    return m.design(problem, int(n), seed, **options)


def analyze(
    problem: Problem,
    method: str,
    X: np.ndarray,
    Y: np.ndarray,
    output_names: Sequence[str] | None = None,
    seed: int | None = 0,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    salib: bool = False,
    **options: Any,
) -> pd.DataFrame:
    """Sensitivity indices of every output column of ``Y`` (tidy ``output, input, index, value``).

    ``options`` are the design's ``Samples.options``. The method's vectorised analyser is used
    when it has one for these options (Sobol first order: :mod:`.sobol_fast`, equal to SALib
    to rounding); ``salib=True`` forces SALib. ``attrs['notes']`` lists constant outputs and
    SALib warnings. See :func:`.analysis.analyze_outputs` for the arguments.
    """
    problem = as_problem(problem)
    m = METHODS[canonical_method(method)]
    if m.fast is not None and m.fast_ok(options) and not salib:
        analysis.check_shapes(problem, X, Y, output_names, conf_level)
        return m.fast(problem, Y, output_names, seed=seed, num_resamples=num_resamples,
                      conf_level=conf_level)
    return analysis.analyze_outputs(problem, m.name, m.salib, m.indices, X, Y, output_names, seed,
                                    num_resamples, conf_level, **options)
