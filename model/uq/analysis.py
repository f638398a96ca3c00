"""Sensitivity analysis of evaluated samples -> tidy DataFrame (thin layer over SALib).

``model.uq.analyze(problem, method, X, Y)`` (which picks the analyser from the method table
in :mod:`.methods`; Sobol first order goes to :mod:`.sobol_fast`) analyses every output
column of ``Y`` separately with the per-output SALib functions here
and returns a long table with columns ``output, input, index, value``.
``input`` is the factor name (the group name for grouped Sobol/Morris/PAWN).

Index names per method:

* sobol  : ``S1, S1_conf, ST, ST_conf`` (+ ``S2, S2_conf`` with input ``"a|b"`` when
  ``calc_second_order``). First order ``S_i = V[E(Y|X_i)] / V(Y)``, total
  ``S_Ti = E[V(Y|X_~i)] / V(Y)`` (Saltelli 2010 / Jansen 1999 estimators).
* morris : ``mu, mu_star, mu_star_conf, sigma`` - mean, mean of absolute and
  standard deviation of elementary effects ``EE_i = [f(x + Delta e_i) - f(x)] / Delta``
  (Delta in unit-hypercube units; Campolongo et al. 2007).
* fast   : ``S1, S1_conf, ST, ST_conf`` (eFAST, Saltelli et al. 1999).
* rbd-fast: ``S1, S1_conf`` (Tarantola et al. 2006, bias-corrected, Tissot & Prieur 2012).
* delta  : ``delta, delta_conf`` (Borgonovo 2007 moment-independent delta, SALib's
  ``delta_raw``), ``delta_balanced(_conf)``, ``S1, S1_conf`` (Plischke et al. 2013).
* pawn   : ``PAWN_minimum, PAWN_mean, PAWN_median, PAWN_maximum, PAWN_CV, PAWN_stdev``
  - statistics over conditioning slides of the KS distance between unconditional
  and conditional output CDFs (Pianosi & Wagener 2015).

``*_conf`` are half-widths of the ``conf_level`` bootstrap interval (SALib convention).
Outputs with zero variance or non-finite values get NaN indices and a note in
``df.attrs['notes']``; SALib's warnings are collected there instead of being emitted.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import delta as delta_analyzer
from SALib.analyze import fast as fast_analyzer
from SALib.analyze import morris as morris_analyzer
from SALib.analyze import pawn as pawn_analyzer
from SALib.analyze import rbd_fast as rbd_analyzer
from SALib.analyze import sobol as sobol_analyzer

from .problem import Problem, as_problem

COLUMNS = ["output", "input", "index", "value"]

#: one SALib call on one output column: ``(sp, X, y, seed, num_resamples, conf_level, options)
#: -> {index name: values per factor}`` (+ ``S2`` rows for second-order Sobol)
SalibFn = Callable[..., dict[str, Any]]


def salib_seed(seed: int | None) -> int | None:
    """Map a user seed to a SALib seed.

    Several SALib analysers test ``if seed:``, so seed 0 would silently mean
    *unseeded*; we therefore pass ``seed + 1`` (None stays None).
    """
    return None if seed is None else int(seed) + 1


@contextlib.contextmanager
def _quiet(notes: list[str], prefix: str) -> Iterator[None]:
    """Collect warnings as notes; restore numpy's global RNG state afterwards
    (SALib's delta/PAWN/FAST seed the global RNG)."""
    state = np.random.get_state()  # noqa: NPY002 - SALib uses the legacy global RNG
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            yield
        finally:
            np.random.set_state(state)  # noqa: NPY002
    for w in caught:
        msg = f"{prefix}: {str(w.message).strip().splitlines()[0]}"
        if msg not in notes:
            notes.append(msg)


def _rows(output: str, names: Sequence[str], res: dict[str, Any]) -> list:
    rows = []
    for idx, vals in res.items():
        if idx in ("S2", "S2_conf"):
            continue
        vals = np.asarray(vals, dtype=np.float64).reshape(-1)
        for name, v in zip(names, vals, strict=True):
            rows.append((output, name, idx, float(v)))
    if "S2" in res:  # second-order Sobol: one row per pair "a|b"
        D = len(names)
        for i in range(D):
            for j in range(i + 1, D):
                pair = f"{names[i]}|{names[j]}"
                rows.append((output, pair, "S2", float(res["S2"][i, j])))
                rows.append((output, pair, "S2_conf", float(res["S2_conf"][i, j])))
    return rows


def _pick(res: Any, keymap: dict[str, str]) -> dict[str, Any]:
    return {dst: res[src] for src, dst in keymap.items()}


# ----------------------------------------------------------------------------- one output, SALib
def salib_sobol(sp, X, y, seed, num_resamples, conf_level, options) -> dict[str, Any]:
    so = bool(options.get("calc_second_order", False))
    res = sobol_analyzer.analyze(sp, y, calc_second_order=so, num_resamples=num_resamples,
                                 conf_level=conf_level, seed=seed)
    out = _pick(res, {k: k for k in ("S1", "S1_conf", "ST", "ST_conf")})
    if so:
        out.update(S2=res["S2"], S2_conf=res["S2_conf"])
    return out


def salib_morris(sp, X, y, seed, num_resamples, conf_level, options) -> dict[str, Any]:
    res = morris_analyzer.analyze(sp, X, y, num_resamples=num_resamples, conf_level=conf_level,
                                  num_levels=int(options.get("num_levels", 4)), seed=seed)
    return _pick(res, {k: k for k in ("mu", "mu_star", "mu_star_conf", "sigma")})


def salib_fast(sp, X, y, seed, num_resamples, conf_level, options) -> dict[str, Any]:
    res = fast_analyzer.analyze(sp, y, M=int(options.get("M", 4)), num_resamples=num_resamples,
                                conf_level=conf_level, seed=seed)
    return _pick(res, {k: k for k in ("S1", "S1_conf", "ST", "ST_conf")})


def salib_rbd_fast(sp, X, y, seed, num_resamples, conf_level, options) -> dict[str, Any]:
    res = rbd_analyzer.analyze(sp, X, y, M=int(options.get("M", 10)), num_resamples=num_resamples,
                               conf_level=conf_level, seed=seed)
    return _pick(res, {"S1": "S1", "S1_conf": "S1_conf"})


def salib_delta(sp, X, y, seed, num_resamples, conf_level, options) -> dict[str, Any]:
    # SALib forbids some name suffixes (_raw, _conf...): use neutral names.
    sp = dict(sp, names=[f"p{i}" for i in range(len(sp["names"]))])
    res = delta_analyzer.analyze(sp, X, y, num_resamples=num_resamples, conf_level=conf_level, seed=seed)
    return _pick(res, {
        "delta_raw": "delta", "delta_raw_conf": "delta_conf",
        "delta_balanced": "delta_balanced", "delta_balanced_conf": "delta_balanced_conf",
        "S1": "S1", "S1_conf": "S1_conf",
    })


def salib_pawn(sp, X, y, seed, num_resamples, conf_level, options) -> dict[str, Any]:
    res = pawn_analyzer.analyze(sp, X, y, S=int(options.get("S", 10)), seed=seed)
    return _pick(res, {k: f"PAWN_{k}" for k in ("minimum", "mean", "median", "maximum", "CV", "stdev")})


# ----------------------------------------------------------------------------- all outputs
def check_shapes(problem: Problem, X: np.ndarray, Y: np.ndarray, output_names: Sequence[str] | None,
                 conf_level: float) -> None:
    """Raise ``ValueError`` unless ``X (n, D)``, ``Y (n, K)`` or ``(n,)``, K names, 0 < conf < 1."""
    X = np.asarray(X)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y shape {Y.shape} does not match X rows {X.shape[0]}")
    if X.ndim != 2 or X.shape[1] != problem.num_vars:
        raise ValueError(f"X has shape {X.shape}; problem has {problem.num_vars} inputs")
    if output_names is not None and len(output_names) != Y.shape[1]:
        raise ValueError(f"{len(output_names)} output names for {Y.shape[1]} outputs")
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be in (0, 1), got {conf_level}")


def analyze_outputs(
    problem: Problem,
    method: str,
    one: SalibFn,
    index_names: Sequence[str],
    X: np.ndarray,
    Y: np.ndarray,
    output_names: Sequence[str] | None = None,
    seed: int | None = 0,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    **options: Any,
) -> pd.DataFrame:
    """Indices of every output column of ``Y`` with the SALib analyser ``one`` (per column).

    Parameters
    ----------
    problem : Problem
        Must be the problem ``X`` was sampled from (same ``use_groups``).
    method, one, index_names : the method's name, SALib analyser and index names
        (from the table in :mod:`.methods`; call ``model.uq.analyze`` rather than this).
    X : ndarray (n, D)
        Sample of the same method.
    Y : ndarray (n, K) or (n,)
        Outputs.
    output_names : sequence of str, optional
        Names of the K outputs (default ``y0..y{K-1}``).
    seed : int, optional
        Seed of the bootstrap / resampling (same seed -> identical table).
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float
        Confidence level of the ``*_conf`` half-widths.
    **options
        Method options as returned in ``Samples.options`` (``calc_second_order``,
        ``num_levels``, ``M``, ``S``).

    Returns
    -------
    DataFrame with columns ``output, input, index, value``; ``attrs['notes']`` lists
    constant outputs and SALib warnings.
    """
    problem = as_problem(problem)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    check_shapes(problem, X, Y, output_names, conf_level)
    if Y.ndim == 1:
        Y = Y[:, None]
    K = Y.shape[1]
    output_names = [f"y{k}" for k in range(K)] if output_names is None else [str(o) for o in output_names]

    notes: list[str] = []
    rows: list = []
    names = problem.factor_names
    sp = problem.to_salib()
    s = salib_seed(seed)
    for k, out in enumerate(output_names):
        y = np.ascontiguousarray(Y[:, k])
        if not np.all(np.isfinite(y)):
            n_bad = int(np.sum(~np.isfinite(y)))
            notes.append(f"{out}: {n_bad} non-finite values; indices set to NaN")
            rows += [(out, n, idx, np.nan) for idx in index_names for n in names]
            continue
        if np.ptp(y) == 0.0:
            notes.append(f"{out}: output is constant (zero variance); indices set to NaN")
            rows += [(out, n, idx, np.nan) for idx in index_names for n in names]
            continue
        with _quiet(notes, f"[{method}]"):
            res = one(sp, X, y, s, num_resamples, conf_level, dict(options))
        rows += _rows(out, names, res)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["value"] = df["value"].astype(np.float64)
    df.attrs["notes"] = notes
    df.attrs["method"] = method
    return df


def to_wide(indices: pd.DataFrame) -> pd.DataFrame:
    """Pivot a tidy index table to one row per (output, input), one column per index."""
    wide = indices.pivot_table(
        index=["output", "input"], columns="index", values="value", sort=False, dropna=False
    )
    wide.columns.name = None
    return wide


def get(indices: pd.DataFrame, index: str, output: str | None = None) -> pd.Series:
    """Series ``input -> value`` of one index for one output (default: the first output)."""
    out = indices["output"].iloc[0] if output is None else output
    sel = indices[(indices["output"] == out) & (indices["index"] == index)]
    return pd.Series(sel["value"].to_numpy(), index=sel["input"].to_numpy(), name=index)
