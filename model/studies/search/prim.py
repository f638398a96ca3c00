"""PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, Statistics and Computing 9),
as used for scenario discovery (Bryant & Lempert 2010, Technological Forecasting & Social
Change 77): find a box of input ranges inside which a case of interest (a target met) is dense.

Pure numpy, no model knowledge. Given cases X (n, D) and y (n,) in {0, 1}:

1. **Peeling**: starting from the whole space, repeatedly remove the slice of a share
   ``peel_alpha`` of the cases in the box at the low or high end of one input - the one whose
   removal leaves the highest mean of y - while at least ``min_mass`` of all cases remain.
   Each step is a box of the *peeling trajectory*.
2. **Selection** (Bryant & Lempert leave it to the analyst; here a stated rule): the box of the
   trajectory with the highest density among those covering at least ``min_coverage`` of all
   cases of interest (the first, i.e. the largest, on ties).
3. **Pasting**: widen one side of one input by a share ``paste_alpha`` of the box's cases while
   that raises the density.
4. **Simplification**: drop one side of a restriction when it is not significant (its
   quasi-p-value, Bryant & Lempert 2010 section 3.3, exceeds ``max_qp``) or when the density
   falls by at most ``simplify_tol`` without it (fewer dimensions, easier to read).

Box statistics: density = mean of y inside; coverage = cases of interest inside / all cases of
interest; mass = cases inside / all cases. Bounds of unrestricted sides are -inf / +inf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PrimBox:
    low: np.ndarray
    high: np.ndarray
    density: float
    coverage: float
    mass: float
    restricted: tuple[int, ...]
    trajectory: tuple[tuple[float, float, float], ...]  # (mass, density, coverage) per peel


def inside(X: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """(n,) bool: rows of X with low <= x <= high in every column."""
    return np.all((X >= low) & (X <= high), axis=1)


def _stats(X, y, low, high, total_y):
    m = inside(X, low, high)
    k = int(m.sum())
    dens = float(y[m].mean()) if k else 0.0
    cov = float(y[m].sum() / total_y) if total_y > 0 else 0.0
    return m, k, dens, cov


def _peel_candidates(Xin: np.ndarray, share: float):
    """(dim, side, new bound) of every possible peel of the cases ``Xin`` in the box."""
    n = Xin.shape[0]
    m = max(1, int(np.floor(share * n)))
    for j in range(Xin.shape[1]):
        v = np.sort(Xin[:, j])
        if v[0] == v[-1]:
            continue
        lo = v[m] if m < n else v[-1]
        if lo == v[0]:
            lo = v[v > v[0]][0]
        yield j, 0, lo  # keep x >= lo
        hi = v[n - 1 - m] if m < n else v[0]
        if hi == v[-1]:
            hi = v[v < v[-1]][-1]
        yield j, 1, hi  # keep x <= hi


def peel(X: np.ndarray, y: np.ndarray, peel_alpha: float = 0.05, min_mass: float = 0.05):
    """The peeling trajectory: list of (low, high) boxes, the whole space first."""
    n, d = X.shape
    low, high = np.full(d, -np.inf), np.full(d, np.inf)
    boxes = [(low.copy(), high.copy())]
    m = np.ones(n, dtype=bool)
    while True:
        Xin, yin = X[m], y[m]
        best = None
        for j, side, bound in _peel_candidates(Xin, peel_alpha):
            keep = Xin[:, j] >= bound if side == 0 else Xin[:, j] <= bound
            k = int(keep.sum())
            if k < min_mass * n or k == 0:
                continue
            key = (float(yin[keep].mean()), k)  # highest density, then the smaller peel
            if best is None or key > best[0]:
                best = (key, j, side, bound)
        if best is None:
            return boxes
        _, j, side, bound = best
        if side == 0:
            low[j] = bound
        else:
            high[j] = bound
        m = inside(X, low, high)
        boxes.append((low.copy(), high.copy()))


def paste(X, y, low, high, paste_alpha: float = 0.05):
    """Widen the box one side at a time while the density rises."""
    low, high = low.copy(), high.copy()
    total = y.sum()
    m, k, dens, _ = _stats(X, y, low, high, total)
    while True:
        best = None
        step = max(1, int(np.floor(paste_alpha * k)))
        for j in range(X.shape[1]):
            for side in (0, 1):
                bound = low[j] if side == 0 else high[j]
                if not np.isfinite(bound):
                    continue
                other = low.copy(), high.copy()
                other[side][j] = -np.inf if side == 0 else np.inf
                cand = inside(X, *other) & ~m  # cases the widening can bring in, nearest first
                v = np.sort(X[cand, j])[::-1] if side == 0 else np.sort(X[cand, j])
                if v.size == 0:
                    continue
                nb = v[min(step, v.size) - 1]
                trial = low.copy(), high.copy()
                trial[side][j] = nb
                if v.size <= step:
                    trial[side][j] = -np.inf if side == 0 else np.inf
                _, kk, dd, _ = _stats(X, y, *trial, total)
                if dd > dens and (best is None or dd > best[0]):
                    best = (dd, trial)
        if best is None:
            return low, high
        low, high = best[1]
        m, k, dens, _ = _stats(X, y, low, high, total)


def quasi_p(X, y, low, high, j: int, side: int) -> float:
    """Quasi-p-value of one side of one restriction (Bryant & Lempert 2010, section 3.3): the
    one-sided binomial probability of at least the box's cases of interest among its n cases
    if they were drawn at the density of the box without that side."""
    from scipy.special import bdtrc

    lo, hi = low.copy(), high.copy()
    if side == 0:
        lo[j] = -np.inf
    else:
        hi[j] = np.inf
    m, m_loose = inside(X, low, high), inside(X, lo, hi)
    n, k = int(m.sum()), int(y[m].sum())
    p0 = float(y[m_loose].mean()) if m_loose.any() else 0.0
    return 1.0 if k == 0 else float(bdtrc(k - 1, n, p0))  # P(K >= k), K ~ Bin(n, p0)


def simplify(X, y, low, high, tol: float = 0.01, max_qp: float = 0.05):
    """Drop restriction sides, one at a time: first any whose quasi-p-value exceeds ``max_qp``
    (largest first: not significant), then any whose removal loses at most ``tol`` density."""
    low, high = low.copy(), high.copy()
    total = y.sum()
    while True:
        sides = [(j, s) for j in range(X.shape[1]) for s in (0, 1)
                 if np.isfinite(low[j] if s == 0 else high[j])]
        if not sides:
            return low, high
        _, _, dens, _ = _stats(X, y, low, high, total)
        best = None
        for j, s in sides:
            qp = quasi_p(X, y, low, high, j, s)
            lo, hi = low.copy(), high.copy()
            (lo if s == 0 else hi)[j] = -np.inf if s == 0 else np.inf
            _, _, dd, _ = _stats(X, y, lo, hi, total)
            key = (qp > max_qp, qp if qp > max_qp else dd)
            if (qp > max_qp or dens - dd <= tol) and (best is None or key > best[0]):
                best = (key, lo, hi)
        if best is None:
            return low, high
        _, low, high = best


def prim(X: np.ndarray, y: np.ndarray, peel_alpha: float = 0.05, min_mass: float = 0.05,
         min_coverage: float = 0.5, paste_alpha: float = 0.05, simplify_tol: float = 0.01,
         max_qp: float = 0.05) -> PrimBox:
    """Peel, select (highest density with coverage >= ``min_coverage``), paste, simplify."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],) or X.shape[0] == 0:
        raise ValueError(f"prim: X must be (n, D) and y (n,), got {X.shape} and {y.shape}")
    total = y.sum()
    traj, stats = peel(X, y, peel_alpha, min_mass), []
    for lo, hi in traj:
        _, k, dens, cov = _stats(X, y, lo, hi, total)
        stats.append((k / X.shape[0], dens, cov))
    ok = [i for i, s in enumerate(stats) if s[2] >= min_coverage] or [0]
    pick = max(ok, key=lambda i: (stats[i][1], -i))
    low, high = paste(X, y, *traj[pick], paste_alpha)
    low, high = simplify(X, y, low, high, simplify_tol, max_qp)
    _, k, dens, cov = _stats(X, y, low, high, total)
    restricted = tuple(int(j) for j in np.flatnonzero(np.isfinite(low) | np.isfinite(high)))
    return PrimBox(low, high, dens, cov, k / X.shape[0], restricted, tuple(stats))
