"""Sample designs for the supported sensitivity methods (thin layer over SALib).

One design function per method (``sobol_design``, ``morris_design``...; the method table
in :mod:`.methods` picks one, ``model.uq.sample(problem, method, n, seed)`` calls it) returns
a :class:`Samples` holding the input
matrix ``X`` (rows = model runs, columns = inputs in problem order), the options
the matching analysis needs, and human-readable notices about any adjustment made
to satisfy a method's requirements.

The Saltelli row layout is known only to :class:`SaltelliLayout`.

Meaning of ``n`` and number of rows per method (D inputs, G groups):

==========  ===========================================  ===========================
method      n                                            rows of X
==========  ===========================================  ===========================
sobol       base sample N (rounded up to a power of 2)   N (D + 2), or N (2D + 2)
                                                         with second order; G for D
                                                         when grouped
morris      number of trajectories r                     r (D + 1) (G + 1 grouped)
fast        samples per search curve N > 4 M^2           N D
rbd-fast    Latin hypercube size N > 2 M                 N
delta       Latin hypercube size N                       N
pawn        Latin hypercube size N                       N
==========  ===========================================  ===========================

References: Saltelli et al. (2010) Comput. Phys. Commun. 181:259-270 (Sobol design);
Campolongo, Cariboni & Saltelli (2007) (Morris); Saltelli, Tarantola & Chan (1999)
(eFAST); Tarantola et al. (2006) (RBD-FAST); Plischke, Borgonovo & Smith (2013)
(delta); Pianosi & Wagener (2015) (PAWN).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from SALib.sample import fast_sampler, latin
from SALib.sample import morris as morris_sampler
from SALib.sample import sobol as sobol_sampler

from .problem import Problem, ProblemError


@dataclass(frozen=True)
class SaltelliLayout:
    """Row layout of a Saltelli design - the one place that knows it (cf. SALib's
    ``separate_output_values``).

    With ``D`` factors (inputs, or groups when grouped) the design is ``N`` consecutive
    blocks of ``step`` rows each: ``A``, ``AB_1 .. AB_D`` (A with column(s) of factor j
    taken from B), with second order also ``BA_1 .. BA_D``, and last ``B``::

        step = D + 2          (first and total order)
        step = 2 D + 2        (second order)

    ``A`` and ``B`` rows are independent draws from the input distribution (the random
    sample used for probabilities); the ``AB``/``BA`` rows are not.
    """

    n_factors: int
    second_order: bool = False

    @property
    def step(self) -> int:
        """Rows per base sample."""
        D = self.n_factors
        return 2 * D + 2 if self.second_order else D + 2

    def base_size(self, n_rows: int) -> int:
        """Base sample size ``N`` of a design with ``n_rows`` rows."""
        if n_rows % self.step:
            raise ValueError(
                f"{n_rows} rows is not a multiple of {self.step} = "
                f"{'2 D + 2' if self.second_order else 'D + 2'} with D = {self.n_factors}: "
                f"not a {'second' if self.second_order else 'first'}-order Sobol design"
            )
        return n_rows // self.step

    def assemble(self, A: np.ndarray, B: np.ndarray, masks: np.ndarray) -> np.ndarray:
        """The design ``(N step, D_in)`` from base matrices ``A, B (N, D_in)``; ``masks[j]``
        marks the input columns of factor ``j``. One ``(N, step, D_in)`` array filled in place."""
        N, D_in = A.shape
        Dg = self.n_factors
        X = np.empty((N, self.step, D_in))
        X[:, 0] = A
        X[:, 1 : Dg + 1] = A[:, None, :]
        np.copyto(X[:, 1 : Dg + 1], B[:, None, :], where=masks[None, :, :])
        if self.second_order:
            X[:, Dg + 1 : 2 * Dg + 1] = B[:, None, :]
            np.copyto(X[:, Dg + 1 : 2 * Dg + 1], A[:, None, :], where=masks[None, :, :])
        X[:, -1] = B
        return X.reshape(-1, D_in)

    def split(self, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """``A (N, K), B (N, K), AB (N, D, K), BA (N, D, K) or None`` from outputs ``Y (N step, K)``
        (views, no copies)."""
        Y = np.asarray(Y)
        K = Y.shape[1] if Y.ndim == 2 else 1
        D = self.n_factors
        R = Y.reshape(self.base_size(Y.shape[0]), self.step, K)
        BA = R[:, D + 1 : 2 * D + 1, :] if self.second_order else None
        return R[:, 0, :], R[:, -1, :], R[:, 1 : D + 1, :], BA

    def random_rows(self, n_rows: int) -> np.ndarray:
        """Sorted row indices of the ``A`` and ``B`` rows (``2 N`` independent random draws)."""
        base = np.arange(0, self.base_size(n_rows) * self.step, self.step)
        return np.sort(np.concatenate([base, base + self.step - 1]))


def saltelli_sobol(
    sp: dict[str, Any], N: int, calc_second_order: bool = False, scramble: bool = True,
    seed: int | None = None,
) -> np.ndarray:
    """Vectorised equivalent of ``SALib.sample.sobol.sample`` (skip_values=0): same X.

    SALib builds the Saltelli matrix with a Python loop over N x D x D elements (about
    9 s at N = 16384, D = 53); here it is a few array operations. Bit-identical to SALib
    (tested), including groups and second order.
    """
    from scipy.stats import qmc

    D = int(sp["num_vars"])
    base = qmc.Sobol(d=2 * D, scramble=scramble, seed=seed).random(N)
    # the transformation to the input distributions is elementwise per column, so scaling the
    # 2 N base points before the cross-sampling gives the same values as SALib (scaling all rows)
    A = sobol_sampler.scale_samples(np.ascontiguousarray(base[:, :D]), sp)
    B = sobol_sampler.scale_samples(np.ascontiguousarray(base[:, D:]), sp)
    groups = sp.get("groups")
    if groups:
        gnames = list(dict.fromkeys(groups))
        masks = np.array([[g == name for g in groups] for name in gnames])  # (Dg, D)
    else:
        masks = np.eye(D, dtype=bool)
    return SaltelliLayout(masks.shape[0], calc_second_order).assemble(A, B, masks)


def next_power_of_two(n: int) -> int:
    """Smallest power of two >= n (n >= 1)."""
    n = int(n)
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    return 1 << (n - 1).bit_length()


@dataclass(frozen=True)
class Samples:
    """A sample design.

    Attributes
    ----------
    X : ndarray, shape (rows, D)
        Input matrix in problem column order (float64).
    method : str
        Canonical method name.
    n : int
        Effective ``n`` after adjustment (see module table).
    n_requested : int
        ``n`` as requested.
    seed : int or None
    options : dict
        Options the analysis must use (e.g. ``calc_second_order``, ``M``, ``num_levels``).
    notices : list of str
        Adjustments made, e.g. Sobol rounding to a power of two.
    """

    X: np.ndarray
    method: str
    n: int
    n_requested: int
    seed: int | None
    options: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return int(self.X.shape[0])


def _samples(X: np.ndarray, method: str, n_eff: int, n_req: int, seed: int | None,
             opts: dict[str, Any], notices: list[str], options: dict[str, Any]) -> Samples:
    if options:
        raise TypeError(f"unexpected options for {method!r}: {sorted(options)}")
    X = np.ascontiguousarray(X, dtype=np.float64)
    return Samples(X=X, method=method, n=int(n_eff), n_requested=n_req, seed=seed, options=opts,
                   notices=notices)


def sobol_design(problem: Problem, n: int, seed: int | None, *, calc_second_order: bool = False,
                 scramble: bool = True, **options: Any) -> Samples:
    """Saltelli design on a scrambled Sobol sequence; ``n`` rounded up to a power of two."""
    opts = {"calc_second_order": bool(calc_second_order)}
    n_eff = next_power_of_two(n)
    notices = []
    if n_eff != n:
        notices.append(f"N={n} is not a power of two; using {n_eff} (Sobol sequence requirement)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X = saltelli_sobol(problem.to_salib(), n_eff, calc_second_order=opts["calc_second_order"],
                           scramble=bool(scramble), seed=seed)
    return _samples(X, "sobol", n_eff, n, seed, opts, notices, options)


def morris_design(problem: Problem, n: int, seed: int | None, *, num_levels: int = 4,
                  optimal_trajectories: int | None = None, local_optimization: bool = True,
                  **options: Any) -> Samples:
    """``n`` Morris trajectories (at least 2) on a ``num_levels`` grid; bounded inputs only."""
    opts = {"num_levels": int(num_levels)}
    unbounded = [i.name for i in problem.inputs if not i.bounded]
    if unbounded:
        raise ProblemError(
            f"Morris needs bounded distributions (its grid includes the 0 and 1 "
            f"quantiles); unbounded inputs: {unbounded}. Use truncnorm instead."
        )
    n_eff, notices = n, []
    if n_eff < 2:
        n_eff = 2
        notices.append(f"Morris needs at least 2 trajectories; using {n_eff}")
    if optimal_trajectories is not None and optimal_trajectories >= n_eff:
        raise ValueError(
            f"optimal_trajectories ({optimal_trajectories}) must be < number of trajectories ({n_eff})"
        )
    X = morris_sampler.sample(problem.to_salib(), n_eff, num_levels=opts["num_levels"],
                              optimal_trajectories=optimal_trajectories,
                              local_optimization=bool(local_optimization), seed=seed)
    if optimal_trajectories is not None:
        n_eff = int(optimal_trajectories)
    return _samples(X, "morris", n_eff, n, seed, opts, notices, options)


def fast_design(problem: Problem, n: int, seed: int | None, *, M: int = 4, **options: Any) -> Samples:
    """eFAST search curves, ``n > 4 M^2`` samples per curve."""
    M = int(M)
    n_eff, notices = n, []
    if n_eff <= 4 * M**2:
        n_eff = 4 * M**2 + 1
        notices.append(f"N={n} is too small for FAST with M={M} (requires N > 4 M^2 = {4 * M**2}); "
                       f"using {n_eff}")
    X = fast_sampler.sample(problem.to_salib(), n_eff, M=M, seed=seed)
    return _samples(X, "fast", n_eff, n, seed, {"M": M}, notices, options)


def _latin(problem: Problem, method: str, n_eff: int, n: int, seed: int | None, opts: dict,
           notices: list[str], options: dict) -> Samples:
    X = latin.sample(problem.to_salib(), n_eff, seed=seed)
    return _samples(X, method, n_eff, n, seed, opts, notices, options)


def rbd_fast_design(problem: Problem, n: int, seed: int | None, *, M: int = 10, **options: Any) -> Samples:
    """Latin hypercube of ``n > 2 M`` rows for RBD-FAST."""
    M = int(M)
    n_eff, notices = n, []
    if n_eff <= 2 * M:
        n_eff = 2 * M + 1
        notices.append(f"N={n} is too small for RBD-FAST with M={M} (requires N > 2 M); using {n_eff}")
    return _latin(problem, "rbd-fast", n_eff, n, seed, {"M": M}, notices, options)


def delta_design(problem: Problem, n: int, seed: int | None, **options: Any) -> Samples:
    """Latin hypercube of at least 100 rows for the delta method."""
    n_eff, notices = n, []
    if n_eff < 100:
        n_eff = 100
        notices.append(f"N={n} is too small for the delta method; using {n_eff}")
    return _latin(problem, "delta", n_eff, n, seed, {}, notices, options)


def pawn_design(problem: Problem, n: int, seed: int | None, *, S: int = 10, **options: Any) -> Samples:
    """Latin hypercube of at least ``10 S`` rows for PAWN with ``S`` slides."""
    S = int(S)
    n_eff, notices = n, []
    if n_eff < 10 * S:
        n_eff = 10 * S
        notices.append(f"N={n} is too small for PAWN with S={S} slides "
                       f"(need >= 10 samples per slide); using {n_eff}")
    return _latin(problem, "pawn", n_eff, n, seed, {"S": S}, notices, options)
