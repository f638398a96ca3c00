"""Block E equations: retrofit stock, clean-production audits, power supply and curtailment.

Small pure functions, one year at a time, of numbers (compiled into the core by ``model.kernel``;
called from Python they broadcast over numpy arrays too): the caller keeps the year recursion.
Units are in each docstring; money in 100m_yuan (亿元), energy in 10k_tce, electricity in
100m_kwh (亿千瓦时), capacity in 10k_kw (万千瓦). Equations and sources: docs/model.md, block E.
"""

from __future__ import annotations

import numpy as np

HOURS_PER_YEAR = 8760.0
#: Calorific equivalent of electricity: 3.6 MJ per kWh / 29.3076 MJ per kgce (GB/T 2589 standard
#: coal equivalent) = 0.1229 kgce per kWh, the conversion of the LBL balance. 1 Mt_tce = 1e9 kgce,
#: so 1 Mt_tce of electricity = 1e9 / 0.1229 kWh = 81.4 (100m kWh).
KGCE_PER_KWH = 3.6 / 29.3076
MTCE_TO_100M_KWH = 1e9 / KGCE_PER_KWH / 1e8


def autonomous_intensity(intensity_prev, retention):
    """e^auto_i[t] = e^auto_i[t-1] exp(-a): within-sector autonomous trend (10k_tce per 100m_yuan_2003).

    ``retention`` = exp(-a) (:func:`intensity_retention`), a = ``aeei`` constant over the years.
    """
    return intensity_prev * retention


def intensity_retention(aeei):
    """exp(-a): the share of last year's intensity kept, a = ``aeei`` (1/yr; estimated on
    manufacturing, docs/model.md block E; negative = rising)."""
    return np.exp(retention_exponent(aeei))


def retention_exponent(aeei):
    """-a: the exponent of :func:`intensity_retention` (the kernel takes the exp of a row of sectors)."""
    return -aeei


def retrofit_step(
    stock_prev: np.ndarray,
    spending_real: np.ndarray,
    potential_energy: np.ndarray,
    cost_per_tce: np.ndarray,
    lifetime: np.ndarray,
) -> np.ndarray:
    """Retrofit stock x_t: share of a sector's technical potential retrofitted (0-1).

        x' = x_{t-1} (1 - 1/L)                                  (retrofits retire after L years)
        dS = 1e4 * spend / c                                    (10k tce/yr of savings bought)
        x_t = x' + (1 - x') (1 - exp(-dS / ((1 - x') P)))       (diminishing returns, x_t <= 1)

    spending_real: programme spending, 100m_yuan at 2003 prices; cost_per_tce c: yuan of spending
    per tce/yr of savings (2003 prices); potential_energy P = p e_auto VA: savings (10k tce/yr) if
    the whole technical potential were retrofitted; lifetime L in years. For small spending the
    response is linear (dx = dS / P: constant cost per tce saved); it saturates at the potential.
    """
    x_surv = retrofit_survivors(stock_prev, lifetime)
    return retrofit_by_fill(x_surv, -np.expm1(-retrofit_exponent(x_surv, spending_real, potential_energy, cost_per_tce)))


def retrofit_survivors(stock_prev, lifetime):
    """x' = x_{t-1} (1 - 1/L): last year's retrofits still in service (share of the potential)."""
    return stock_prev * (1.0 - 1.0 / lifetime)


def retrofit_exponent(x_surv, spending_real, potential_energy, cost_per_tce):
    """z = dS / ((1 - x') P), dS = 1e4 max(spend, 0) / c: the exponent of :func:`retrofit_step`."""
    bought = 1e4 * np.maximum(spending_real, 0.0) / cost_per_tce
    return bought / np.maximum((1.0 - x_surv) * potential_energy, 1e-300)


def retrofit_by_fill(x_surv, fill):
    """x_t = x' + (1 - x') fill, fill = 1 - exp(-z) (:func:`retrofit_exponent`; a row at once in the kernel)."""
    return x_surv + (1.0 - x_surv) * fill


def retrofit_intensity(intensity_auto: np.ndarray, stock: np.ndarray, potential: np.ndarray,
                       rebound: np.ndarray) -> np.ndarray:
    """Energy intensity with retrofits: e = e_auto (1 - (1 - b) p x), tce per 10k yuan.

    p: technical potential (share of intensity the best available retrofits remove), x: retrofit
    stock (0-1), b: rebound (share of the engineering saving taken back). Since x <= 1 and
    b >= 0, e >= e_auto (1 - p): no spending cuts intensity below the technical potential.
    """
    return intensity_auto * (1.0 - (1.0 - rebound) * potential * np.minimum(np.maximum(stock, 0.0), 1.0))


def clean_production_step(
    share_prev: np.ndarray,
    audits: np.ndarray,
    n_key_polluters: np.ndarray,
    implementation: np.ndarray,
    bass_p: np.ndarray,
    bass_q: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Share F_t of key polluters on clean production, and the audits actually carried out.

        u = 1 - F_{t-1}                       (firms not yet on clean production)
        A = min(audits, N u)                  (audits go to those firms; no more than there are)
        h = min(p + q F_{t-1}, 1)             (Bass hazard without audits)
        F_t = F_{t-1} + u (1 - (1 - h) (1 - phi A / (N u)))

    audits: count per year (the instrument); N: number of key polluting enterprises; phi: share of
    audited firms that go on to implement clean production. Returns (F_t, A): A prices the cost.
    """
    u = np.minimum(np.maximum(1.0 - share_prev, 0.0), 1.0)
    done = np.minimum(np.maximum(audits, 0.0), n_key_polluters * u)
    audited = (u > 0) * (done / np.maximum(n_key_polluters * u, 1e-300))
    h = np.minimum(bass_p + bass_q * share_prev, 1.0)
    share = share_prev + u * (1.0 - (1.0 - h) * (1.0 - implementation * audited))
    return np.minimum(np.maximum(share, 0.0), 1.0), done


def peak_demand(consumption: np.ndarray, loss_share: np.ndarray, load_factor: np.ndarray) -> np.ndarray:
    """Peak load (10k kW) of an annual consumption (100m kWh) at the grid's load factor.

        P = C (1 + loss) 1e4 / (8760 LF)      (1e8 kWh / 8760 h = 1e8/8760 kW; / 1e4 -> 10k kW)
    """
    return consumption * (1.0 + loss_share) * 1e4 / (HOURS_PER_YEAR * load_factor)


def unserved_share(shortfall: np.ndarray, load_factor: np.ndarray) -> np.ndarray:
    """Share of annual consumption not served when firm supply is short of the peak by ``shortfall``.

    Linear load-duration curve from the peak P down to the minimum load m P, m = 2 LF - 1 (so
    that the mean load is LF P). Supply capped at (1 - s) P leaves unserved the energy above
    the cap: s^2 / (1 - m^2) of consumption while the cap is above the minimum load (s <= 1 - m),
    and 1 - (1 - s) / LF below it.
    """
    s = np.minimum(np.maximum(shortfall, 0.0), 1.0)
    m = np.minimum(np.maximum(2.0 * load_factor - 1.0, 0.0), 1.0 - 1e-9)
    upper = s * s / (1.0 - m * m)
    lower = 1.0 - (1.0 - s) / load_factor
    return (s <= 1.0 - m) * upper + (s > 1.0 - m) * lower


def power_balance(
    demand_mfg: np.ndarray,
    demand_other: np.ndarray,
    capacity: np.ndarray,
    purchases_peak: np.ndarray,
    availability: np.ndarray,
    loss_share: np.ndarray,
    load_factor: np.ndarray,
) -> tuple:
    """Peak balance of the provincial grid and the curtailment of manufacturing (province, (R,)).

        P = peak_demand(D_mfg + D_other),  C = K avail + M,  s = max(0, 1 - C / P)
        kappa = min(1, unserved_share(s) (D_mfg + D_other) / D_mfg)

    Rationing (有序用电) falls on manufacturing: households and services are served first, so
    all unserved energy is taken from industry. Returns peak (10k kW), firm supply (10k kW),
    shortfall s (share of peak), unserved (100m kWh) and kappa (share of manufacturing
    electricity demand not served), in this order.
    """
    total = demand_mfg + demand_other
    peak = peak_demand(total, loss_share, load_factor)
    supply = capacity * availability + purchases_peak
    short = np.maximum(0.0, 1.0 - supply / peak)
    unserved = unserved_share(short, load_factor) * total
    kappa = np.minimum(1.0, unserved / np.maximum(demand_mfg, 1e-300))
    return peak, supply, short, unserved, kappa


def curtail(value_added: np.ndarray, curtailment: np.ndarray, pass_through: np.ndarray) -> np.ndarray:
    """Value added after rationing: VA (1 - pi kappa).

    pi: share of unserved electricity that becomes lost output (the rest is made up by
    self-generation, shifting to off-peak hours and inventories); kappa from ``power_balance``.
    """
    return value_added * (1.0 - np.minimum(np.maximum(pass_through * curtailment, 0.0), 1.0))
