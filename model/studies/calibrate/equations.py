"""The core's equations on province aggregates over a historical window (for the fit).

Nothing here restates an equation: the recursions below run the functions of
:mod:`model.equations` (the ones ``model.core.simulate`` calls) along 1-D year arrays
(index 0 = first year of the window), so a parameter fitted here means the same thing in the
projection. TFP growth is :func:`model.equations.tfp_log_growth` and value-added growth the
(linear) Cobb-Douglas :func:`model.equations.log_value_added` in differences; both are called
directly by ``model.studies.calibrate.fit``. Money in 100m_yuan at 2003 prices.
"""

from __future__ import annotations

import numpy as np

from model import equations as eq


def capital_stock(real_investment: np.ndarray, delta_k: float, k0: float) -> np.ndarray:
    """Capital path by :func:`model.equations.perpetual_inventory` from K[0] = ``k0``
    (also the base-year rule R5, ``model.baseyear.perpetual_inventory``)."""
    inv = np.asarray(real_investment, dtype=float)
    k = np.empty_like(inv)
    k[0] = k0
    for t in range(1, inv.size):
        k[t] = eq.perpetual_inventory(1.0 - delta_k, k[t - 1], inv[t])
    return k


def depreciation(delta_k: float, capital_prev: np.ndarray, price_index: np.ndarray) -> np.ndarray:
    """Measurement equation D[t] = delta_k K[t-1] P[t] (nominal depreciation, income approach).

    Not a core equation: it links delta_k of block B to the provincial depreciation series.
    ``capital_prev`` at 2003 prices, ``price_index`` = investment deflator with 2003 = 1.
    """
    return delta_k * np.asarray(capital_prev) * np.asarray(price_index)
