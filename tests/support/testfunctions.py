"""Analytical test functions with known sensitivity indices.

All functions are vectorised ``f(X: (n, D)) -> Y: (n, 2)``: column 0 is the test
function, column 1 an affine copy ``10 y + 3`` (same indices), so that multi-output
code paths are exercised.

Ishigami function (Ishigami & Homma 1990; Saltelli et al. 2008, *Global
Sensitivity Analysis: The Primer*, Wiley; Sobol & Levitan 1999)::

    y = sin x1 + a sin^2 x2 + b x3^4 sin x1,      x_i ~ U(-pi, pi)

Variance decomposition::

    V1  = 1/2 (1 + b pi^4 / 5)^2
    V2  = a^2 / 8
    V13 = b^2 pi^8 (1/18 - 1/50)   (= 8 b^2 pi^8 / 225)
    V   = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
    S1 = V1/V, S2 = V2/V, S3 = 0;  ST1 = (V1 + V13)/V, ST2 = S2, ST3 = V13/V

With a = 7, b = 0.1: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).

Sobol G-function (Sobol 1993/2003; Saltelli et al. 2008)::

    g(x) = prod_i (|4 x_i - 2| + a_i) / (1 + a_i),     x_i ~ U(0, 1)

    V_i = 1 / (3 (1 + a_i)^2),   V = prod_i (1 + V_i) - 1
    S_i = V_i / V,   ST_i = V_i prod_{j != i} (1 + V_j) / V

With a = (0, 1, 4.5, 9, 99, 99, 99, 99): S1 ~ (0.716, 0.179, 0.024, 0.007, ~0.0001...),
ST ~ (0.788, 0.243, 0.034, 0.010, ~0.0001...).
"""

from __future__ import annotations

import numpy as np

from model.uq import Problem, UncertainInput

ISHIGAMI_A = 7.0
ISHIGAMI_B = 0.1
G_A = (0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0)


def ishigami(X: np.ndarray, a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> np.ndarray:
    """Ishigami function; returns ``(n, 2)``: ``[y, 10 y + 3]``."""
    X = np.asarray(X, dtype=np.float64)
    x1, x2, x3 = X[:, 0], X[:, 1], X[:, 2]
    y = np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)
    return np.column_stack([y, 10.0 * y + 3.0])


def ishigami_problem(groups: bool = False) -> Problem:
    """Three U(-pi, pi) inputs ``x1, x2, x3`` (groups: ``x1, x3`` in 'A', ``x2`` in 'B')."""
    grp = {"x1": "A", "x2": "B", "x3": "A"}
    return Problem(
        tuple(
            UncertainInput(n, "uniform", (-np.pi, np.pi), group=grp[n], label_en=n, label_zh=n)
            for n in ("x1", "x2", "x3")
        ),
        use_groups=groups,
    )


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, np.ndarray]:
    """Analytical first-order ``S1`` and total ``ST`` indices of the Ishigami function."""
    pi4, pi8 = np.pi**4, np.pi**8
    V1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2
    V2 = a**2 / 8.0
    V13 = b**2 * pi8 * (1.0 / 18.0 - 1.0 / 50.0)
    V = a**2 / 8.0 + b * pi4 / 5.0 + b**2 * pi8 / 18.0 + 0.5
    return {
        "S1": np.array([V1, V2, 0.0]) / V,
        "ST": np.array([V1 + V13, V2, V13]) / V,
        "V": np.array(V),
    }


def sobol_g(X: np.ndarray, a: tuple[float, ...] | np.ndarray = G_A) -> np.ndarray:
    """Sobol G-function; returns ``(n, 2)``: ``[g, 10 g + 3]``."""
    X = np.asarray(X, dtype=np.float64)
    a_arr = np.asarray(a, dtype=np.float64)
    if X.shape[1] != a_arr.size:
        raise ValueError(f"X has {X.shape[1]} columns but a has {a_arr.size} entries")
    g = np.prod((np.abs(4.0 * X - 2.0) + a_arr) / (1.0 + a_arr), axis=1)
    return np.column_stack([g, 10.0 * g + 3.0])


def sobol_g_problem(a: tuple[float, ...] | np.ndarray = G_A) -> Problem:
    """``len(a)`` U(0, 1) inputs ``x1..xD``."""
    return Problem.uniform([f"x{i + 1}" for i in range(len(a))], 0.0, 1.0)


def sobol_g_indices(a: tuple[float, ...] | np.ndarray = G_A) -> dict[str, np.ndarray]:
    """Analytical ``S1`` and ``ST`` of the G-function (formulas in the module docstring)."""
    a_arr = np.asarray(a, dtype=np.float64)
    Vi = 1.0 / (3.0 * (1.0 + a_arr) ** 2)
    V = np.prod(1.0 + Vi) - 1.0
    prod_all = np.prod(1.0 + Vi)
    ST = Vi * (prod_all / (1.0 + Vi)) / V
    return {"S1": Vi / V, "ST": ST, "V": np.array(V)}


def linear(X: np.ndarray, coefficients: np.ndarray | None = None, k: int = 1) -> np.ndarray:
    """Cheap linear test model ``Y[:, j] = X @ c * (1 + j/10)`` for ``j < k``.

    For independent inputs with variances ``s_i^2``: ``S1_i = ST_i = c_i^2 s_i^2 / sum c^2 s^2``.
    """
    X = np.asarray(X, dtype=np.float64)
    c = np.ones(X.shape[1]) if coefficients is None else np.asarray(coefficients, dtype=np.float64)
    y = X @ c
    return y[:, None] * (1.0 + np.arange(k) / 10.0)[None, :]


def benchmark_function(X: np.ndarray, k: int = 14) -> np.ndarray:
    """Cheap nonlinear vectorised function with ``k`` outputs for benchmarks.

    ``Y[:, j] = sum_i w_ij x_i + 0.5 sin(pi x_0) x_1^2 + 0.1 j x_{j mod D}^2``
    with fixed weights ``w_ij = 1 / (1 + ((i + j) mod D))``.
    """
    X = np.asarray(X, dtype=np.float64)
    D = X.shape[1]
    i = np.arange(D)[:, None]
    j = np.arange(k)[None, :]
    W = 1.0 / (1.0 + ((i + j) % D))
    Y = X @ W
    Y += (0.5 * np.sin(np.pi * X[:, 0]) * X[:, 1 % D] ** 2)[:, None]
    Y += 0.1 * np.arange(k)[None, :] * X[:, np.arange(k) % D] ** 2
    return Y


def fault_once(
    X: np.ndarray,
    f=ishigami,
    marker: str = "",
    trigger: float | None = None,
    mode: str = "raise",
) -> np.ndarray:
    """Fault-injection wrapper for testing evaluators: ``f(X)``, but fail exactly once.

    The first call whose chunk starts with ``X[0, 0] == trigger`` (any chunk if
    ``trigger`` is None) and that manages to create the file ``marker`` (atomic
    ``O_CREAT | O_EXCL``) fails: ``mode='raise'`` raises ``RuntimeError``;
    ``mode='exit'`` kills the worker process with ``os._exit(1)``. Later calls succeed.
    Use with ``functools.partial`` (picklable).
    """
    import os

    X = np.asarray(X, dtype=np.float64)
    if marker and (trigger is None or (X.shape[0] and X[0, 0] == trigger)):
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.close(fd)
            if mode == "exit":
                os._exit(1)
            raise RuntimeError(f"injected fault (marker {marker})")
    return f(X)
