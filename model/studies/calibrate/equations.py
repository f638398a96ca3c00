"""Aggregate (province-level) versions of the core's equations, as pure functions.

Each function states the equation and the block of ``model.core.simulate`` it mirrors, so a
parameter fitted here means the same thing in the projection. Arrays are 1-D over years
(index 0 = first year of the window) unless stated; all money in 100m_yuan at 2003 prices.
"""

from __future__ import annotations

import numpy as np


def capital_stock(real_investment: np.ndarray, delta_k: float, k0: float) -> np.ndarray:
    """Perpetual inventory K[t] = (1 - delta_k) K[t-1] + I[t], K[0] = k0.

    Mirrors core block A/B (``capital[:, t] = (1 - delta_k) * capital[:, t-1] + investment[:, t]``)
    and the base-year rule R5 (``model.baseyear.perpetual_inventory``).
    """
    inv = np.asarray(real_investment, dtype=float)
    k = np.empty_like(inv)
    k[0] = k0
    for t in range(1, inv.size):
        k[t] = (1.0 - delta_k) * k[t - 1] + inv[t]
    return k


def rd_stock(rd: np.ndarray, delta_r: float, presample_growth: float) -> np.ndarray:
    """R&D stock R[t] = (1 - delta_r) R[t-1] + RD[t-1]; Griliches start R[0] = RD[0] / (g + delta_r).

    Mirrors core block C (``rd_stock`` recursion and its initial stock).
    """
    rd = np.asarray(rd, dtype=float)
    r = np.empty_like(rd)
    r[0] = rd[0] / (presample_growth + delta_r)
    for t in range(1, rd.size):
        r[t] = (1.0 - delta_r) * r[t - 1] + rd[t - 1]
    return r


def tfp_growth_path(
    tfp_growth: float,
    gamma_r: float,
    dln_rd_stock: np.ndarray,
    gamma_f: float = 0.0,
    d_foreign_share: np.ndarray | float = 0.0,
    mu: float = 0.0,
    absorptive_gap: np.ndarray | float = 0.0,
) -> np.ndarray:
    """dlnA[t] = lambda + gamma_R dlnR[t] + gamma_F dFS[t] (1 + mu (AC[t-1] - AC_ref)).

    Mirrors core block C (``log_a[:, t] = log_a[:, t-1] + lam + gamma_r * (log_r - log_r_prev)
    + spill * absorptive``). Returns the growth of log TFP for years 1..T-1.
    """
    dln_r = np.asarray(dln_rd_stock, dtype=float)
    return tfp_growth + gamma_r * dln_r + gamma_f * np.asarray(d_foreign_share) * (
        1.0 + mu * np.asarray(absorptive_gap)
    )


def output_growth(
    dln_a: np.ndarray, alpha_k: float, dln_k: np.ndarray, dln_l: np.ndarray
) -> np.ndarray:
    """dlnVA[t] = dlnA[t] + alpha dlnK[t] + (1 - alpha) dlnL[t].

    The growth form of core block A (``log_va = log_a + alpha log_k + (1 - alpha) log_l``).
    """
    return np.asarray(dln_a) + alpha_k * np.asarray(dln_k) + (1.0 - alpha_k) * np.asarray(dln_l)


def depreciation(delta_k: float, capital_prev: np.ndarray, price_index: np.ndarray) -> np.ndarray:
    """Measurement equation D[t] = delta_k K[t-1] P[t] (nominal depreciation, income approach).

    Not a core equation: it links delta_k of block B to the provincial depreciation series.
    ``capital_prev`` at 2003 prices, ``price_index`` = investment deflator with 2003 = 1.
    """
    return delta_k * np.asarray(capital_prev) * np.asarray(price_index)
