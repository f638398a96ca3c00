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


def tfp_growth_path(
    tfp_growth: float,
    rd_return: float,
    rd_to_output_prev: np.ndarray,
    gamma_f: float = 0.0,
    d_foreign_share: np.ndarray | float = 0.0,
    mu: float = 0.0,
    absorptive_gap: np.ndarray | float = 0.0,
) -> np.ndarray:
    """dlnA[t] = lambda + rho_R RD[t-1] / Y[t-1] + gamma_F dFS[t] (1 + mu (AC[t-1] - AC_ref)).

    Mirrors core block C in rate-of-return form (``model.instruments.tfp_growth_rd``):
    ``rd_to_output_prev`` is R&D / output of the previous year. Returns the growth of log TFP.
    """
    ratio = np.asarray(rd_to_output_prev, dtype=float)
    return tfp_growth + rd_return * ratio + gamma_f * np.asarray(d_foreign_share) * (
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
