"""Every equation of the projection model, once, as a small pure function.

``model.kernel`` compiles these functions (numba) into the core's loop over runs, years and
sectors, where they take numbers: one sector of one run in one year. Called from Python they
take numpy arrays as well (they are written with numpy ufuncs that broadcast), so
``model.calibrate`` fits parameters with the same functions on province aggregates and
``notebooks/01-model-tour.ipynb`` quotes them by name; ``docs/model.md`` explains them (blocks
A-H). Each docstring states the equation with its units. The behavioural responses to the
instruments (block I) are in ``model.instruments`` and the energy and power block (E) in
``model.energy_equations``, with the same conventions.

Conventions: a function computes one step of one equation; recursions over years (indices,
stocks, cumulative sums) are one step here and the year loop is the kernel's. The kernel takes
exp and log of a row of sectors at once (``model.vecmath``), so an equation whose result passes
through one of them also has a ``*_by_factor`` (or ``*_exponent``) part that takes (or gives) the
transcendental's value; the one-call form is those parts composed. Only numpy ufuncs
and arithmetic (no ``np.where``, ``np.clip``, ``out=``, dicts), so that numba compiles them for
numbers. Money in 100m_yuan at constant 2003 prices unless a name says ``nominal``; USD in
100m_usd; energy in 10k_tce; shares as fractions.
"""

from __future__ import annotations

import numpy as np

#: Floor on base-year domestic investment, as a share of total investment (docs/model.md §2.2).
DOMESTIC_INVESTMENT_FLOOR = 0.1


# ------------------------------------------------------------------------------ paths of drivers
def growth_index(index_prev, growth):
    """Index I[t] = I[t-1] (1 + g[t]), I[0] = 1, so I[t] = prod_{j=1..t} (1 + g[j]) (index_2003_1).

    ``growth`` in fraction_per_year. The price indices P^I, P^Y, external FDI, power capacity,
    other electricity use, China's sector output and the fiscal envelope are of this form.
    """
    return index_prev * (1.0 + growth)


def log_growth(growth):
    """ln(1 + g): a growth rate (fraction_per_year) as a log change (1/yr)."""
    return np.log1p(growth)


def log_labour(log_labour_prev, labour_log_growth):
    """ln L[t] = ln L[t-1] + ln(1 + g_L[t]), ln L[0] = ln L_2003; L = wage bill, 100m_yuan_2003.

    ``labour_log_growth`` = ln(1 + g_L[t]) (:func:`log_growth` of g_L in fraction_per_year).
    """
    return log_labour_prev + labour_log_growth


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


def fdi_funded_investment(weights, fdi_real):
    """I^FDI_i[t] = w_i FDI^mfg[t] / P^I[t]: split by 2003 investment shares w_i, 100m_yuan_2003."""
    return weights * fdi_real


def base_domestic_investment(investment_2003: np.ndarray, fdi_funded_2003: np.ndarray) -> np.ndarray:
    """I^dom_i[0] = max(I_i[0] - I^FDI_i[0], floor I_i[0]), 100m_yuan_2003 (floor: DOMESTIC_INVESTMENT_FLOOR)."""
    return np.maximum(investment_2003 - fdi_funded_2003, DOMESTIC_INVESTMENT_FLOOR * investment_2003)


def total_investment(domestic, fdi_funded, large_projects):
    """I_i[t] = I^dom_i[t] + I^FDI_i[t] + I^proj_i[t], 100m_yuan_2003 (I^proj: task 9 spending by build year)."""
    return domestic + fdi_funded + large_projects


def perpetual_inventory(retention, stock_prev, inflow):
    """Stock[t] = (1 - delta) Stock[t-1] + Inflow[t], with ``retention`` = 1 - delta.

    Capital K (delta_k; inflow I^dom + I^FDI + completed large projects) and foreign-funded
    capital K^f (inflow I^FDI); all 100m_yuan_2003.
    """
    return retention * stock_prev + inflow


def foreign_capital_2003(capital_2003: np.ndarray, fdi_funded_2003: np.ndarray, investment_2003: np.ndarray) -> np.ndarray:
    """K^f_i[0] = K_i[0] I^FDI_i[0] / I_i[0]: the steady state if FDI and investment grew alike, 100m_yuan_2003."""
    return capital_2003 * (fdi_funded_2003 / investment_2003)


def foreign_capital_share(foreign_capital, capital):
    """phi_i[t] = K^f_i[t] / K_i[t], fraction."""
    return foreign_capital / capital


# ------------------------------------------------------------------------------ A/C: production, R&D, TFP
def log_value_added(log_tfp: np.ndarray, alpha_k: np.ndarray, log_capital: np.ndarray, log_labour: np.ndarray) -> np.ndarray:
    """ln VA = ln A + alpha ln K + (1 - alpha) ln L (Cobb-Douglas; VA, K, L in 100m_yuan_2003).

    Linear, so it also holds in growth rates: dln VA = dln A + alpha dln K + (1 - alpha) dln L.
    """
    return log_tfp + alpha_k * log_capital + (1.0 - alpha_k) * log_labour


def log_tfp_residual(log_va: np.ndarray, alpha_k: np.ndarray, log_capital: np.ndarray, log_labour: np.ndarray) -> np.ndarray:
    """ln A = ln VA - alpha ln K - (1 - alpha) ln L: the TFP level that reproduces base-year VA."""
    return log_va - alpha_k * log_capital - (1.0 - alpha_k) * log_labour


def fixed_ratio(x, ratio):
    """y = ratio x with the ratio held at its base-year value: Sales = sigma VA, GO = VA / v."""
    return x * ratio


def hightech_multiple(high_tech, hightech_multiplier):
    """m_i = the high-tech multiplier for a high-tech sector, 1 otherwise (dimensionless)."""
    return high_tech * hightech_multiplier + (1.0 - high_tech)


def rd_intensity_2003(rd, sales, relative, multiple, norm):
    """rho_i[0] = (RD_i / Sales_i) r_ZJ m_i N: 2003 R&D intensity of sector i, ratio_of_sales.

    m_i from :func:`hightech_multiple`; N = sum_j Sales_j / sum_j m_j Sales_j keeps the province
    total at (RD / Sales) r_ZJ; r_ZJ = ``rd_intensity_zj_relative``. RD, Sales of 2003.
    """
    return rd / sales * relative * multiple * norm


def absorptive_capacity_2003(rd_sales_sum, sales_sum):
    """AC_ref = 100 sum_i rho_i[0] Sales_i / sum_i Sales_i: 2003 R&D intensity, percent of sales."""
    return 100.0 * rd_sales_sum / sales_sum


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


def own_rd(rho, sales):
    """RD^own_i[t] = rho_i[t] Sales_i[t]: firms' own R&D, 100m_yuan_2003."""
    return rho * sales


def fund_by_sales(fund_real: np.ndarray, sales: np.ndarray, total_sales: np.ndarray) -> np.ndarray:
    """F_i[t] = F[t] Sales_i[t] / sum_j Sales_j[t]: the special fund (100m_yuan_2003) spread by sales."""
    return fund_real * sales / total_sales


# ------------------------------------------------------------------------------ D: export delivery
def china_export_log_growth(eta_y: np.ndarray, world_demand_growth: np.ndarray, share_drift: np.ndarray) -> np.ndarray:
    """dln XD^CN[t] = eta_y ln(1 + g_W[t]) + d[t]: China's export delivery growth, 1/yr.

    g_W = real world import demand growth (fraction_per_year), d = China's share drift (log points).
    """
    return china_export_log_growth_by_log(eta_y, np.log1p(world_demand_growth), share_drift)


def china_export_log_growth_by_log(eta_y, world_log_growth, share_drift):
    """:func:`china_export_log_growth` given ln(1 + g_W[t]) (the kernel takes log1p of every year at once)."""
    return eta_y * world_log_growth + share_drift


def relative_price_log_change(relative_price_growth: np.ndarray) -> np.ndarray:
    """dln p^rel[t] = ln(1 + pi^rel[t]): Zhejiang's export price relative to competitors."""
    return log_growth(relative_price_growth)


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


def export_delivery(xd_prev, dln_xd, sales):
    """XD_i[t] = min(XD_i[t-1] exp(dln XD_i[t]), Sales_i[t]), 100m_yuan_2003."""
    return export_delivery_by_factor(xd_prev, np.exp(dln_xd), sales)


def export_delivery_by_factor(xd_prev, growth_factor, sales):
    """:func:`export_delivery` given its growth factor exp(dln XD_i[t]) (the kernel takes the exp of a row)."""
    return np.minimum(xd_prev * growth_factor, sales)


def china_export_delivery(xd_china_2003, cumulative_log_growth):
    """XD^CN[t] = XD^CN[0] exp(sum_{j=1..t} dln XD^CN[j]), 100m_yuan_2003.

    ``cumulative_log_growth`` is the sum of :func:`china_export_log_growth` over 2004..t.
    """
    return china_export_delivery_by_factor(xd_china_2003, np.exp(cumulative_log_growth))


def china_export_delivery_by_factor(xd_china_2003, growth_factor):
    """:func:`china_export_delivery` given exp(sum dln XD^CN) (the kernel takes the exp of every year at once)."""
    return xd_china_2003 * growth_factor


# ------------------------------------------------------------------------------ E: energy use
def energy_use(intensity, value_added):
    """E_i[t] = e_i[t] VA_i[t], 10k_tce (intensity e from ``model.energy_equations``)."""
    return intensity * value_added


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
    return n_anchor * (size_anchor / threshold) ** zeta


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


def top_tail_growth(total_sales, total_sales_2003, output_price):
    """G[t] = (Sales[t] / Sales[0]) P^Y[t]: nominal growth of the top tail.

    Sales = province sales (100m_yuan_2003), P^Y the producer price index.
    """
    return total_sales / total_sales_2003 * output_price


def firms_over_threshold(n_2003: np.ndarray, top_growth: np.ndarray, zeta: np.ndarray) -> np.ndarray:
    """n[t] = n[0] G[t]^zeta: firms above the threshold move with top-tail growth G (count)."""
    return firms_over_threshold_by_factor(n_2003, top_growth**zeta)


def firms_over_threshold_by_factor(n_2003, growth_factor):
    """:func:`firms_over_threshold` given G[t]^zeta (the kernel takes the powers of every year at once)."""
    return n_2003 * growth_factor


# ------------------------------------------------------------------------------ G/H: diffusion, counters, centres
def designation_count(n0, cumulative_additions):
    """N[t] = max(N[0] + sum_{j=1..t} a[j], 0): designations (count), additions a per year."""
    return np.maximum(n0 + cumulative_additions, 0.0)


def national_centre(gross_output, china_gross_output, threshold):
    """1 if GO_i[t] / GO^CN_i[t] > threshold (sector i is a national centre), else 0.

    C[t] = sum_i of this: the count of national manufacturing centres.
    """
    return 1.0 * (gross_output / china_gross_output > threshold)
