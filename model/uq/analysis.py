"""Sensitivity analysis of evaluated samples -> tidy DataFrame (thin layer over SALib).

``analyze(problem, method, X, Y)`` analyses every output column of ``Y`` separately
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
from collections.abc import Iterator, Sequence
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
from .sampling import canonical_method

COLUMNS = ["output", "input", "index", "value"]

INDEX_NAMES: dict[str, list[str]] = {
    "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
    "morris": ["mu", "mu_star", "mu_star_conf", "sigma"],
    "fast": ["S1", "S1_conf", "ST", "ST_conf"],
    "rbd-fast": ["S1", "S1_conf"],
    "delta": ["delta", "delta_conf", "delta_balanced", "delta_balanced_conf", "S1", "S1_conf"],
    "pawn": ["PAWN_minimum", "PAWN_mean", "PAWN_median", "PAWN_maximum", "PAWN_CV", "PAWN_stdev"],
}


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


def _rows(output: str, names: Sequence[str], res: dict[str, Any], keymap: dict[str, str]) -> list:
    rows = []
    for src, dst in keymap.items():
        vals = np.asarray(res[src], dtype=np.float64).reshape(-1)
        for name, v in zip(names, vals, strict=True):
            rows.append((output, name, dst, float(v)))
    return rows


def _nan_rows(output: str, names: Sequence[str], method: str) -> list:
    return [(output, n, idx, np.nan) for idx in INDEX_NAMES[method] for n in names]


def _analyze_one(
    problem: Problem,
    method: str,
    X: np.ndarray,
    y: np.ndarray,
    output: str,
    seed: int | None,
    num_resamples: int,
    conf_level: float,
    options: dict[str, Any],
    notes: list[str],
) -> list:
    sp = problem.to_salib()
    names = problem.factor_names
    s = salib_seed(seed)
    prefix = f"[{method}]"
    with _quiet(notes, prefix):
        if method == "sobol":
            so = bool(options.get("calc_second_order", False))
            res = sobol_analyzer.analyze(
                sp, y, calc_second_order=so, num_resamples=num_resamples,
                conf_level=conf_level, seed=s,
            )
            rows = _rows(output, names, res, {k: k for k in INDEX_NAMES["sobol"]})
            if so:
                D = len(names)
                for i in range(D):
                    for j in range(i + 1, D):
                        pair = f"{names[i]}|{names[j]}"
                        rows.append((output, pair, "S2", float(res["S2"][i, j])))
                        rows.append((output, pair, "S2_conf", float(res["S2_conf"][i, j])))
            return rows
        if method == "morris":
            res = morris_analyzer.analyze(
                sp, X, y, num_resamples=num_resamples, conf_level=conf_level,
                num_levels=int(options.get("num_levels", 4)), seed=s,
            )
            return _rows(output, names, res, {k: k for k in INDEX_NAMES["morris"]})
        if method == "fast":
            res = fast_analyzer.analyze(
                sp, y, M=int(options.get("M", 4)), num_resamples=num_resamples,
                conf_level=conf_level, seed=s,
            )
            return _rows(output, names, res, {k: k for k in INDEX_NAMES["fast"]})
        if method == "rbd-fast":
            res = rbd_analyzer.analyze(
                sp, X, y, M=int(options.get("M", 10)), num_resamples=num_resamples,
                conf_level=conf_level, seed=s,
            )
            return _rows(output, names, res, {k: k for k in INDEX_NAMES["rbd-fast"]})
        if method == "delta":
            # SALib forbids some name suffixes (_raw, _conf...): use neutral names.
            sp = dict(sp, names=[f"p{i}" for i in range(len(names))])
            res = delta_analyzer.analyze(
                sp, X, y, num_resamples=num_resamples, conf_level=conf_level, seed=s,
            )
            keymap = {
                "delta_raw": "delta", "delta_raw_conf": "delta_conf",
                "delta_balanced": "delta_balanced", "delta_balanced_conf": "delta_balanced_conf",
                "S1": "S1", "S1_conf": "S1_conf",
            }
            return _rows(output, names, res, keymap)
        if method == "pawn":
            res = pawn_analyzer.analyze(sp, X, y, S=int(options.get("S", 10)), seed=s)
            keymap = {k: f"PAWN_{k}" for k in ("minimum", "mean", "median", "maximum", "CV", "stdev")}
            return _rows(output, names, res, keymap)
    raise ValueError(f"unsupported method {method!r}")  # pragma: no cover


def analyze(
    problem: Problem,
    method: str,
    X: np.ndarray,
    Y: np.ndarray,
    output_names: Sequence[str] | None = None,
    seed: int | None = 0,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    **options: Any,
) -> pd.DataFrame:
    """Sensitivity indices of every output column of ``Y``.

    Parameters
    ----------
    problem : Problem
        Must be the problem ``X`` was sampled from (same ``use_groups``).
    method : str
        One of ``sobol, morris, fast, rbd-fast, delta, pawn``.
    X : ndarray (n, D)
        Sample from :func:`model.sensitivity.sampling.sample` with the same method.
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
    method = canonical_method(method)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y shape {Y.shape} does not match X rows {X.shape[0]}")
    if X.ndim != 2 or X.shape[1] != problem.num_vars:
        raise ValueError(f"X has shape {X.shape}; problem has {problem.num_vars} inputs")
    K = Y.shape[1]
    if output_names is None:
        output_names = [f"y{k}" for k in range(K)]
    output_names = [str(o) for o in output_names]
    if len(output_names) != K:
        raise ValueError(f"{len(output_names)} output names for {K} outputs")
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be in (0, 1), got {conf_level}")

    notes: list[str] = []
    rows: list = []
    names = problem.factor_names
    for k, out in enumerate(output_names):
        y = np.ascontiguousarray(Y[:, k])
        if not np.all(np.isfinite(y)):
            n_bad = int(np.sum(~np.isfinite(y)))
            notes.append(f"{out}: {n_bad} non-finite values; indices set to NaN")
            rows += _nan_rows(out, names, method)
            continue
        if np.ptp(y) == 0.0:
            notes.append(f"{out}: output is constant (zero variance); indices set to NaN")
            rows += _nan_rows(out, names, method)
            continue
        rows += _analyze_one(
            problem, method, X, y, out, seed, num_resamples, conf_level, dict(options), notes
        )
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
