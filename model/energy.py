"""Energy accounting on a projection: the monitored statistic and its LMDI decomposition.

Pure numpy functions, vectorised over any leading dimensions (runs, years); the sector axis is
last. Units: energy in 10k_tce, value added in 100m_yuan at 2003 prices, so an intensity
10k_tce / 100m_yuan is tce per 10 000 yuan (docs/model.md §1).

The statistic the province monitors is 万元工业增加值能耗: energy use per unit of industrial value
added. Here it is manufacturing energy (LBL final-energy concept, base-year rule R11) per unit of
manufacturing value added at 2003 prices: the same ratio, on the model's scope.

LMDI: additive logarithmic mean Divisia index, method I (Ang 2004, "Decomposition analysis for
policymaking in energy: which is the preferred method?", Energy Policy 32(9), 1131-1139; Ang 2005,
Energy Policy 33(7), 867-871, for the formulae). With Q = sum_i VA_i (activity), S_i = VA_i / Q
(structure) and I_i = E_i / VA_i (intensity), E = sum_i Q S_i I_i and

    dE_act_i = L(E_i^t, E_i^0) ln(Q^t / Q^0)
    dE_str_i = L(E_i^t, E_i^0) ln(S_i^t / S_i^0)
    dE_int_i = L(E_i^t, E_i^0) ln(I_i^t / I_i^0)

with the logarithmic mean L(a, b) = (a - b) / (ln a - ln b), L(a, a) = a. The three terms of each
sector add up to E_i^t - E_i^0 exactly (the decomposition has no residual).
"""

from __future__ import annotations

import numpy as np

LMDI_EFFECTS = ("activity", "structure", "intensity")


def log_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean L(a, b) = (a - b) / (ln a - ln b), with L(a, a) = a (a, b > 0).

    Where a and b are within 1e-12 (relative) of each other, the limit is taken through the
    series L = sqrt(a b) (1 + (ln a/b)^2 / 24) to full double precision.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = np.log(a) - np.log(b)
    near = np.abs(d) < 1e-6
    safe = np.where(near, 1.0, d)
    return np.where(near, np.sqrt(a * b) * (1.0 + d * d / 24.0), (a - b) / safe)


def lmdi_additive(
    energy_0: np.ndarray, energy_t: np.ndarray, va_0: np.ndarray, va_t: np.ndarray
) -> dict[str, np.ndarray]:
    """Additive LMDI-I terms by sector for the change from period 0 to period t.

    Arguments (..., S): energy (10k_tce) and value added (100m_yuan_2003) of each sector in the
    two periods, strictly positive. Returns {"activity", "structure", "intensity"} -> (..., S)
    in 10k_tce; summed over the three effects they equal ``energy_t - energy_0``.
    """
    e0, et = np.asarray(energy_0, dtype=float), np.asarray(energy_t, dtype=float)
    v0, vt = np.asarray(va_0, dtype=float), np.asarray(va_t, dtype=float)
    q0, qt = v0.sum(axis=-1, keepdims=True), vt.sum(axis=-1, keepdims=True)
    w = log_mean(et, e0)
    return {
        "activity": w * np.log(qt / q0),
        "structure": w * (np.log(vt / qt) - np.log(v0 / q0)),
        "intensity": w * (np.log(et / vt) - np.log(e0 / v0)),
    }


def lmdi_paths(energy: np.ndarray, value_added: np.ndarray) -> dict[str, np.ndarray]:
    """LMDI terms of every year against the base year (index 0 of the year axis).

    energy, value_added (R, T, S). Returns effect -> (R, T, S), 10k_tce; zero in the base year.
    """
    e = np.asarray(energy, dtype=float)
    v = np.asarray(value_added, dtype=float)
    return lmdi_additive(e[:, :1, :], e, v[:, :1, :], v)


def intensity_index(energy_total: np.ndarray, va_total: np.ndarray) -> np.ndarray:
    """Monitored statistic relative to the base year: (E_t / VA_t) / (E_0 / VA_0), (R, T)."""
    ei = np.asarray(energy_total, dtype=float) / np.asarray(va_total, dtype=float)
    return ei / ei[:, :1]
