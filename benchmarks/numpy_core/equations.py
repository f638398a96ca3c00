"""Every equation of the projection model, once, as a small pure function of arrays.

``model.core.simulate`` owns the array layout, the allocation and the year loop and calls these
functions; ``model.calibrate`` fits parameters with the same functions on province aggregates;
``notebooks/01-model-tour.ipynb`` quotes them by name; ``docs/model.md`` explains them (blocks
A-H). Each docstring states the equation with its units. The behavioural responses to the
instruments (block I) are in ``model.instruments`` and the energy and power block (E) in
``model.energy_equations``, with the same conventions.

Conventions: arrays broadcast (any leading run/sector axes), so one function serves one run,
a million runs, a sector or a province total. Where a function reduces or accumulates over
years, the year axis is an argument. Money in 100m_yuan at constant 2003 prices unless a name
says ``nominal``; USD in 100m_usd; energy in 10k_tce; shares as fractions. Functions that take
``out`` write their result there (the core passes slices of its state arrays) and return it.
"""

from __future__ import annotations

import numpy as np

#: Floor on base-year domestic investment, as a share of total investment (docs/model.md §2.2).
DOMESTIC_INVESTMENT_FLOOR = 0.1


# ------------------------------------------------------------------------------ paths of drivers
def growth_index(growth: np.ndarray) -> np.ndarray:
    """Index I[t] = prod_{j=1..t} (1 + g[j]), I[0] = 1, years on axis 1 (index_2003_1).

    ``growth`` in fraction_per_year, shape (R, T, ...). The price indices P^I, P^Y, external
    FDI, power capacity, other electricity use and China's sector output are of this form.
    """
    out = np.cumprod(1.0 + growth, axis=1)
    return out / out[:, :1]


def log_labour(labour_2003: np.ndarray, growth: np.ndarray, axis: int = 0) -> np.ndarray:
    """ln L[t] = ln L[0] + sum_{j=1..t} ln(1 + g_L[j]); L = wage bill, 100m_yuan_2003.

    ``growth`` (fraction_per_year, 0 in the base year) with years on ``axis``.
    """
    return np.log(labour_2003) + np.cumsum(np.log1p(growth), axis=axis)


# ------------------------------------------------------------------------------ A/B: FDI, investment, capital
def fdi_actually_used(external: np.ndarray, promotion_multiple: np.ndarray) -> np.ndarray:
    """FDI^USD[t] = FDI^ext[t] m[t]: the external path times the promotion response (100m_usd)."""
    return external * promotion_multiple


def fdi_manufacturing_nominal(fdi_usd: np.ndarray, manufacturing_share: np.ndarray, exchange_rate: np.ndarray) -> np.ndarray:
    """FDI^mfg[t] = FDI^USD[t] s_mfg e[t]: manufacturing FDI, 100m_yuan_nominal.

    FDI^USD in 100m_usd (all sectors), s_mfg the manufacturing share (fraction), e in yuan_per_usd.
    """
    return fdi_usd * manufacturing_share * exchange_rate


def deflate(nominal: np.ndarray, price_index: np.ndarray) -> np.ndarray:
    """Real value X / P: 100m_yuan_nominal -> 100m_yuan_2003 with P an index (2003 = 1)."""
    return nominal / price_index


def fdi_funded_investment(weights: np.ndarray, fdi_real: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """I^FDI_i[t] = w_i FDI^mfg[t] / P^I[t]: split by 2003 investment shares w_i, 100m_yuan_2003."""
    return np.multiply(weights, fdi_real, out=out)


def base_domestic_investment(investment_2003: np.ndarray, fdi_funded_2003: np.ndarray) -> np.ndarray:
    """I^dom_i[0] = max(I_i[0] - I^FDI_i[0], floor I_i[0]), 100m_yuan_2003 (floor: DOMESTIC_INVESTMENT_FLOOR)."""
    return np.maximum(investment_2003 - fdi_funded_2003, DOMESTIC_INVESTMENT_FLOOR * investment_2003)


def total_investment(
    domestic: np.ndarray, fdi_funded: np.ndarray, large_projects: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """I_i[t] = I^dom_i[t] + I^FDI_i[t] + I^proj_i[t], 100m_yuan_2003 (I^proj: task 9 spending by build year)."""
    out = np.add(domestic, fdi_funded, out=out)
    out += large_projects
    return out


def perpetual_inventory(
    retention: np.ndarray | float, stock_prev: np.ndarray, inflow: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """Stock[t] = (1 - delta) Stock[t-1] + Inflow[t], with ``retention`` = 1 - delta.

    Capital K (delta_k; inflow I^dom + I^FDI + completed large projects) and foreign-funded
    capital K^f (inflow I^FDI); all 100m_yuan_2003.
    """
    out = np.multiply(retention, stock_prev, out=out)
    out += inflow
    return out


def foreign_capital_2003(capital_2003: np.ndarray, fdi_funded_2003: np.ndarray, investment_2003: np.ndarray) -> np.ndarray:
    """K^f_i[0] = K_i[0] I^FDI_i[0] / I_i[0]: the steady state if FDI and investment grew alike, 100m_yuan_2003."""
    return capital_2003 * (fdi_funded_2003 / investment_2003)


def foreign_capital_share(foreign_capital: np.ndarray, capital: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """phi_i[t] = K^f_i[t] / K_i[t], fraction."""
    return np.divide(foreign_capital, capital, out=out)


# ------------------------------------------------------------------------------ A/C: production, R&D, TFP
def log_value_added(log_tfp: np.ndarray, alpha_k: np.ndarray, log_capital: np.ndarray, log_labour: np.ndarray) -> np.ndarray:
    """ln VA = ln A + alpha ln K + (1 - alpha) ln L (Cobb-Douglas; VA, K, L in 100m_yuan_2003).

    Linear, so it also holds in growth rates: dln VA = dln A + alpha dln K + (1 - alpha) dln L.
    """
    return log_tfp + alpha_k * log_capital + (1.0 - alpha_k) * log_labour


def log_tfp_residual(log_va: np.ndarray, alpha_k: np.ndarray, log_capital: np.ndarray, log_labour: np.ndarray) -> np.ndarray:
    """ln A = ln VA - alpha ln K - (1 - alpha) ln L: the TFP level that reproduces base-year VA."""
    return log_va - alpha_k * log_capital - (1.0 - alpha_k) * log_labour


def fixed_ratio(x: np.ndarray, ratio: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """y = ratio x with the ratio held at its base-year value: Sales = sigma VA, GO = VA / v."""
    return np.multiply(x, ratio, out=out)


def rd_intensity_2003(
    rd: np.ndarray,
    sales: np.ndarray,
    relative: np.ndarray,
    high_tech: np.ndarray,
    hightech_multiplier: np.ndarray,
) -> np.ndarray:
    """rho_i[0] = (RD_i / Sales_i) r_ZJ m_i N, m_i = multiplier for high-tech sectors else 1, ratio_of_sales.

    N = sum_j Sales_j / sum_j m_j Sales_j keeps the province total at (RD / Sales) r_ZJ.
    ``rd``, ``sales``, ``high_tech`` per sector (S,); ``relative`` r_ZJ (R,) or (S, R);
    ``hightech_multiplier`` (R,). Returns (S, R): sectors on axis 0.
    """
    mult = np.where(np.asarray(high_tech, dtype=bool)[:, None], hightech_multiplier, 1.0)
    norm = sales.sum() / (mult * sales[:, None]).sum(axis=0)
    return (rd / sales)[:, None] * relative * mult * norm


def absorptive_capacity_2003(rho: np.ndarray, sales: np.ndarray) -> np.ndarray:
    """AC_ref = 100 sum_i rho_i[0] Sales_i / sum_i Sales_i: 2003 R&D intensity, percent of sales.

    ``rho`` (S, R) sectors on axis 0; ``sales`` (S,).
    """
    return 100.0 * (rho * sales[:, None]).sum(axis=0) / sales.sum()


def absorptive_gap(rho: np.ndarray, absorptive_ref: np.ndarray) -> np.ndarray:
    """AC - AC_ref = 100 rho - AC_ref, percentage points of sales."""
    return 100.0 * rho - absorptive_ref


def tfp_log_growth(
    tfp_trend: np.ndarray | float,
    rd_return: np.ndarray | float,
    rd_prev: np.ndarray,
    output_prev: np.ndarray | float,
    gamma_f: np.ndarray | float = 0.0,
    d_foreign_share: np.ndarray | float = 0.0,
    mu: np.ndarray | float = 0.0,
    absorptive_gap: np.ndarray | float = 0.0,
) -> np.ndarray:
    """dln A[t] = lambda + rho_R RD[t-1] / VA[t-1] + gamma_F dphi[t] (1 + mu (AC[t-1] - AC_ref)), 1/yr.

    Rate-of-return form: rho_R = ``rd_return`` (1/yr per unit of R&D / value added), lambda =
    ``tfp_growth`` (1/yr); dphi the change of the foreign share of capital (fraction); AC - AC_ref
    in percentage points (:func:`absorptive_gap`).
    """
    return tfp_trend + rd_return * rd_prev / output_prev + gamma_f * d_foreign_share * (1.0 + mu * absorptive_gap)


def own_rd(rho: np.ndarray, sales: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """RD^own_i[t] = rho_i[t] Sales_i[t]: firms' own R&D, 100m_yuan_2003."""
    return np.multiply(rho, sales, out=out)


def fund_by_sales(fund_real: np.ndarray, sales: np.ndarray, total_sales: np.ndarray) -> np.ndarray:
    """F_i[t] = F[t] Sales_i[t] / sum_j Sales_j[t]: the special fund (100m_yuan_2003) spread by sales."""
    return fund_real * sales / total_sales


# ------------------------------------------------------------------------------ D: export delivery
def china_export_log_growth(eta_y: np.ndarray, world_demand_growth: np.ndarray, share_drift: np.ndarray) -> np.ndarray:
    """dln XD^CN[t] = eta_y ln(1 + g_W[t]) + d[t]: China's export delivery growth, 1/yr.

    g_W = real world import demand growth (fraction_per_year), d = China's share drift (log points).
    """
    return eta_y * np.log1p(world_demand_growth) + share_drift


def relative_price_log_change(relative_price_growth: np.ndarray) -> np.ndarray:
    """dln p^rel[t] = ln(1 + pi^rel[t]): Zhejiang's export price relative to competitors."""
    return np.log1p(relative_price_growth)


def export_delivery_log_growth(
    dln_xd_china: np.ndarray,
    eta_p: np.ndarray,
    dln_relative_price: np.ndarray,
    kappa: np.ndarray,
    dln_tfp: np.ndarray,
    dln_tfp_china: np.ndarray,
) -> np.ndarray:
    """dln XD_i[t] = dln XD^CN[t] - eta_p dln p^rel_i[t] + kappa (dln A_i[t] - ln(1 + g^A,CN[t])), 1/yr.

    ``dln_tfp_china`` is ln(1 + national TFP growth).
    """
    return dln_xd_china - eta_p * dln_relative_price + kappa * (dln_tfp - dln_tfp_china)


def export_delivery(xd_prev: np.ndarray, dln_xd: np.ndarray, sales: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """XD_i[t] = min(XD_i[t-1] exp(dln XD_i[t]), Sales_i[t]), 100m_yuan_2003."""
    out = np.multiply(xd_prev, np.exp(dln_xd), out=out)
    return np.minimum(out, sales, out=out)


def china_export_delivery(xd_china_2003: float, dln_xd_china: np.ndarray) -> np.ndarray:
    """XD^CN[t] = XD^CN[0] exp(sum_{j=1..t} dln XD^CN[j]), years on axis 1, 100m_yuan_2003.

    ``dln_xd_china`` is 0 in the base year.
    """
    return xd_china_2003 * np.exp(np.cumsum(dln_xd_china, axis=1))


# ------------------------------------------------------------------------------ E: energy use
def energy_use(intensity: np.ndarray, value_added: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """E_i[t] = e_i[t] VA_i[t], 10k_tce (intensity e from ``model.energy_equations``)."""
    return np.multiply(intensity, value_added, out=out)


# ------------------------------------------------------------------------------ F: large firms
def zipf_rank_sum(n: float, a: np.ndarray, exact_terms: int = 10) -> np.ndarray:
    """sum_{r=1..n} r^(-a), vectorised in ``a``.

    The first ``exact_terms`` terms are summed exactly, the rest by Euler-Maclaurin
    (integral + end-point average + first derivative correction); relative error < 1e-6 for
    a in [0.5, 2] and n >= 50.
    """
    a = np.asarray(a, dtype=float)
    m = float(exact_terms)
    head = sum(k ** (-a) for k in range(1, exact_terms))
    near_one = np.abs(a - 1.0) < 1e-9
    a_safe = np.where(near_one, 0.5, a)
    integral = np.where(near_one, np.log(n / m), (n ** (1.0 - a_safe) - m ** (1.0 - a_safe)) / (1.0 - a_safe))
    ends = 0.5 * (m ** (-a) + n ** (-a))
    slope = a / 12.0 * (m ** (-a - 1.0) - n ** (-a - 1.0))
    return head + integral + ends + slope


def firms_above_threshold_from_anchor(
    n_anchor: float, size_anchor: np.ndarray, zeta: np.ndarray, threshold: float
) -> np.ndarray:
    """Firms above ``threshold`` in 2003 from a ranking anchor (model/baseyear.py R14).

    Pareto tail: the count of firms of size >= S is n(S) = n_anchor (size_anchor / S)^zeta,
    anchored on n_anchor firms of size >= size_anchor (Zhejiang's 183 firms in the national
    private top-500 on 2003 revenue, whose entry revenue is ``private_top500_entry_2003``).
    The r-th largest firm: s_r = size_anchor (n_anchor / r)^(1/zeta).
    """
    return n_anchor * (np.asarray(size_anchor, dtype=float) / threshold) ** np.asarray(zeta, dtype=float)


def firms_above_threshold_2003(
    n_key: float, total_key: float, zeta: np.ndarray, threshold: float
) -> np.ndarray:
    """Expected count of firms above ``threshold`` (100m_yuan) in 2003 from the key-firm aggregate.

    Rank-size rule (Pareto tail with exponent zeta): s_r = s_N (N / r)^(1/zeta), r = 1..N.
    The N key firms' total T = s_N N^(1/zeta) sum_r r^(-1/zeta) fixes s_N; the count above
    S is the rank where s_r = S: n(S) = N (s_N / S)^zeta, at most N.
    """
    a = 1.0 / zeta
    s_n = total_key / (n_key**a * zipf_rank_sum(n_key, a))
    return np.minimum(n_key * (s_n / threshold) ** zeta, n_key)


def top_tail_growth(total_sales: np.ndarray, output_price: np.ndarray) -> np.ndarray:
    """G[t] = (Sales[t] / Sales[0]) P^Y[t]: nominal growth of the top tail, years on axis 1.

    Sales = province sales (100m_yuan_2003), P^Y the producer price index.
    """
    return total_sales / total_sales[:, :1] * output_price


def firms_over_threshold(n_2003: np.ndarray, top_growth: np.ndarray, zeta: np.ndarray) -> np.ndarray:
    """n[t] = n[0] G[t]^zeta: firms above the threshold move with top-tail growth G (count)."""
    return n_2003 * top_growth**zeta


# ------------------------------------------------------------------------------ G/H: diffusion, counters, centres
def bass_diffusion(f0: np.ndarray, p: np.ndarray, q: np.ndarray, policy: np.ndarray) -> np.ndarray:
    """Bass F[t] = F[t-1] + (p + pi[t] + q F[t-1]) (1 - F[t-1]), clipped to [0, 1] (adoption share).

    f0, p, q (R,) (p, q and the policy push pi in bass_p_per_year); policy (Rd, T). Returns (R, T).
    """
    out = np.empty((np.broadcast_shapes(f0.shape, p.shape)[0], policy.shape[1]), dtype=float)
    f = np.clip(f0, 0.0, 1.0)
    out[:, 0] = f
    for t in range(1, policy.shape[1]):
        f = np.clip(f + (p + policy[:, t] + q * f) * (1.0 - f), 0.0, 1.0)
        out[:, t] = f
    return out


def designation_count(n0: np.ndarray, additions: np.ndarray) -> np.ndarray:
    """N[t] = max(N[0] + sum_{j=1..t} a[j], 0): designations (count), additions a per year (0 in 2003).

    n0 (R,), additions (Rd, T) -> (R, T).
    """
    return np.maximum(np.asarray(n0, dtype=float)[:, None] + np.cumsum(additions, axis=1), 0.0)


def national_centres(share_of_china: np.ndarray, threshold: np.ndarray, sector_axis: int) -> np.ndarray:
    """C[t] = #{i : GO_i[t] / GO^CN_i[t] > threshold}: sectors that are national centres (count)."""
    return (share_of_china > threshold).sum(axis=sector_axis)
