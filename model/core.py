"""The pure, vectorised projection model (equations in docs/model.md).

Every input carries a leading ``run`` dimension R; sector arrays have a trailing sector
dimension S; paths have a ``year`` dimension T (index 0 = base year 2003). One run and a
million runs take the same code path: there is no Python loop over runs, only the short
recursion over years for the R&D-stock / TFP / output block, whose states depend on last
year's sales. Everything exogenous (capital, labour, prices, energy intensities, diffusion,
counters) is computed for all years at once with cumulative sums and products.

Units: money in 100m_yuan at constant 2003 prices unless a name says ``nominal``; USD in
100m_usd; energy in 10k_tce; shares as fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

BASE_YEAR = 2003
END_YEAR = 2010
YEARS = tuple(range(BASE_YEAR, END_YEAR + 1))
T = len(YEARS)

# name: (unit, dims, label_en, label_zh); dims "ts" = (run, year, sector), "t" = (run, year)
VARIABLES: dict[str, tuple[str, str, str, str]] = {
    "value_added": ("100m_yuan_2003", "ts", "Value added", "工业增加值"),
    "gross_output": ("100m_yuan_2003", "ts", "Gross output value", "工业总产值"),
    "sales": ("100m_yuan_2003", "ts", "Sales revenue", "产品销售收入"),
    "capital": ("100m_yuan_2003", "ts", "Net fixed capital stock", "固定资本存量"),
    "investment": ("100m_yuan_2003", "ts", "Fixed investment", "固定资产投资"),
    "investment_fdi": ("100m_yuan_2003", "ts", "FDI-funded investment", "外资投资"),
    "labour": ("100m_yuan_2003", "ts", "Labour input (wage bill)", "劳动投入"),
    "tfp": ("index_2003_1", "ts", "Total factor productivity", "全要素生产率"),
    "rd": ("100m_yuan_2003", "ts", "R&D expenditure", "研发经费"),
    "rd_stock": ("100m_yuan_2003", "ts", "R&D capital stock", "研发资本存量"),
    "rd_intensity": ("ratio", "ts", "R&D / sales", "研发强度"),
    "foreign_capital_share": ("ratio", "ts", "Foreign share of capital", "外资资本比重"),
    "export_delivery": ("100m_yuan_2003", "ts", "Export delivery value", "出口交货值"),
    "energy": ("10k_tce", "ts", "Energy use", "能源消费"),
    "energy_intensity": ("tce_per_10k_yuan", "ts", "Energy per value added", "万元增加值能耗"),
    "energy_at_2003_intensity": ("10k_tce", "ts", "Energy at 2003 intensities", "按2003年强度的能耗"),
    "china_gross_output": ("100m_yuan_2003", "ts", "China gross output", "全国工业总产值"),
    "china_export_delivery": ("100m_yuan_2003", "t", "China export delivery value", "全国出口交货值"),
    "fdi_actually_used": ("100m_usd_nominal", "t", "FDI actually used (all sectors)", "实际利用外资"),
    "fdi_manufacturing_nominal": ("100m_yuan_nominal", "t", "Manufacturing FDI in yuan", "制造业实际利用外资(人民币)"),
    "investment_nominal": ("100m_yuan_nominal", "t", "Manufacturing fixed investment (nominal)", "制造业固定资产投资(现价)"),
    "investment_price_index": ("index_2003_1", "t", "Investment price index", "投资价格指数"),
    "output_price_index": ("index_2003_1", "t", "Output price index", "出厂价格指数"),
    "sales_nominal": ("100m_yuan_nominal", "t", "Sales revenue (nominal)", "产品销售收入(现价)"),
    "firms_over_10bn": ("count", "t", "Firms with sales > 10 bn yuan", "销售收入超百亿元企业数"),
    "small_giants": ("count", "t", '"Small giant" enterprises', '"小巨人"企业数'),
    "erp_above_size": ("ratio", "t", "ERP adoption, above-size firms", "规模以上企业ERP应用率"),
    "erp_large_medium": ("ratio", "t", "ERP adoption, large & medium firms", "大中型企业ERP应用率"),
    "informatized_large_medium": ("ratio", "t", "Informatized large & medium firms", "大中型企业信息化率"),
    "clean_production": ("ratio", "t", "Key polluters on clean production", "重点污染企业清洁生产比例"),
    "energy_utilization": ("ratio", "t", "Energy comprehensive utilization efficiency", "能源综合利用效率"),
    "brands": ("count", "t", "Known brand products", "知名品牌数"),
    "key_parks": ("count", "t", "Key industrial parks", "重点工业园区数"),
    "national_bases": ("count", "t", "National industrial bases", "国家级产业基地数"),
    "national_centres": ("count", "t", "National manufacturing centres", "国家级制造中心数"),
}

# Driver (lever or assumption) names the core reads, with the shape each must broadcast to.
DRIVERS: dict[str, str] = {
    # levers
    "investment_growth": "ts",
    "investment_level": "ts",  # NaN = follow the growth path
    "rd_intensity_growth": "ts",
    "rd_intensity_level": "ts",
    "rd_special_fund": "t",
    "fdi_growth": "t",
    "fdi_level": "t",
    "efficiency_coverage": "ts",
    "erp_promotion": "t",
    "informatization_promotion": "t",
    "clean_production_promotion": "t",
    "ma_scaleup": "t",
    "new_brands": "t",
    "new_key_parks": "t",
    "new_national_bases": "t",
    "new_small_giants": "t",
    "logistics_cost_change": "t",
    "large_project_investment": "ts",
    # assumptions
    "labour_growth": "ts",
    "world_demand_growth": "t",
    "china_share_drift": "t",
    "china_tfp_growth": "t",
    "china_output_growth": "ts",
    "relative_export_price_growth": "ts",
    "exchange_rate": "t",
    "output_price_inflation": "t",
    "investment_price_inflation": "t",
}

FIRM_SIZE_THRESHOLD_100M_YUAN = 100.0


@dataclass(frozen=True)
class ModelBase:
    """The 2003 state the core starts from (built by ``model.run.model_base``).

    Per-sector arrays (S,) in 100m_yuan at 2003 prices unless noted.
    """

    sectors: tuple[str, ...]
    high_tech: np.ndarray  # bool (S,)
    value_added: np.ndarray
    gross_output: np.ndarray
    sales: np.ndarray
    capital: np.ndarray
    labour: np.ndarray
    investment: np.ndarray
    export_delivery: np.ndarray
    rd: np.ndarray
    energy: np.ndarray  # 10k_tce
    china_gross_output: np.ndarray
    china_export_delivery: float
    fdi_actually_used: float  # 100m_usd, all sectors
    key_firms_count: float
    key_firms_output: float
    rd_growth_presample: float  # 1/yr
    foreign_capital_share: float  # ratio, foreign-funded share of capital in 2003
  # 10 bn yuan, the plan's threshold (task 17)


@dataclass
class Projection:
    """Model output: arrays (R, T, S) or (R, T), keyed by variable name (see VARIABLES)."""

    values: dict[str, np.ndarray]
    sectors: tuple[str, ...]
    years: tuple[int, ...] = YEARS
    meta: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]

    @property
    def n_runs(self) -> int:
        return next(iter(self.values.values())).shape[0]

    def total(self, name: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Sector sum (R, T) of a sector variable, optionally over a boolean sector mask."""
        arr = self.values[name]
        return arr.sum(axis=2) if mask is None else arr[:, :, mask].sum(axis=2)


def _t(drivers: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """Province driver as (Rd, T), Rd = 1 when all runs share the path (no copy)."""
    a = np.asarray(drivers[name], dtype=float)
    return a if a.ndim == 2 else a.reshape(1, T)


def _ts(drivers: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """Sector driver as (Rd, T, S) or (Rd, T, 1) for a province-wide path."""
    a = np.asarray(drivers[name], dtype=float)
    return a[:, :, None] if a.ndim == 2 else a


def _col(params: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """Parameter as (R, 1) or (R, S) for broadcasting against sector arrays."""
    a = np.asarray(params[name], dtype=float)
    return a[:, None] if a.ndim == 1 else a


def _cum_growth(growth: np.ndarray) -> np.ndarray:
    """Index path prod_{j=1..t} (1 + growth[j]) along axis 1, 1 in the base year."""
    out = np.cumprod(1.0 + growth, axis=1)
    return out / out[:, :1]


def _growth_path(start: np.ndarray, growth: np.ndarray, level: np.ndarray) -> np.ndarray:
    """x[t] = level[t] where given, else x[t-1] * (1 + growth[t]); x[0] = start.

    start (R, ...); growth and level (Rd, T, ...) with Rd in {1, R}. Without levels the path
    is start times a cumulative product computed once for all runs that share the driver;
    with levels the recursion restarts at each given level.
    """
    given = ~np.isnan(level)
    if not given.any():
        return start[:, None] * _cum_growth(growth)
    shape = np.broadcast_shapes(start[:, None].shape, growth.shape, level.shape)
    out = np.empty(shape, dtype=float)
    out[:, 0] = start
    for t in range(1, shape[1]):
        out[:, t] = np.where(given[:, t], level[:, t], out[:, t - 1] * (1.0 + growth[:, t]))
    return out


def _bass(f0: np.ndarray, p: np.ndarray, q: np.ndarray, policy: np.ndarray) -> np.ndarray:
    """Bass diffusion F[t] = F[t-1] + (p + policy[t] + q F[t-1]) (1 - F[t-1]), clipped to [0, 1].

    f0, p, q (R,); policy (Rd, T). Returns (R, T).
    """
    out = np.empty((np.broadcast_shapes(f0.shape, p.shape)[0], policy.shape[1]), dtype=float)
    f = np.clip(f0, 0.0, 1.0)
    out[:, 0] = f
    for t in range(1, policy.shape[1]):
        f = np.clip(f + (p + policy[:, t] + q * f) * (1.0 - f), 0.0, 1.0)
        out[:, t] = f
    return out


def _counter(n0: np.ndarray, additions: np.ndarray) -> np.ndarray:
    """N[t] = N[t-1] + additions[t], N[0] = n0, floored at 0. (R,) and (Rd, T) -> (R, T)."""
    return np.maximum(np.asarray(n0, dtype=float)[:, None] + np.cumsum(additions * _after0(), axis=1), 0.0)


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


def firms_above_threshold_2003(
    n_key: float, total_key: float, zeta: np.ndarray, threshold: float
) -> np.ndarray:
    """Expected count of firms above ``threshold`` in 2003 from the key-firm aggregate.

    Rank-size rule (Pareto tail with exponent zeta): s_r = s_N (N / r)^(1/zeta), r = 1..N.
    The N key firms' total T = s_N N^(1/zeta) sum_r r^(-1/zeta) fixes s_N; the count above
    S is the rank where s_r = S: n(S) = N (s_N / S)^zeta, at most N.
    """
    a = 1.0 / zeta
    s_n = total_key / (n_key**a * zipf_rank_sum(n_key, a))
    return np.minimum(n_key * (s_n / threshold) ** zeta, n_key)


def simulate(
    base: ModelBase,
    params: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
) -> Projection:
    """Project Zhejiang manufacturing from the 2003 base year (docs/model.md, blocks A-H).

    params: name -> (R,) or (R, S); drivers: name -> (Rd, T) or (Rd, T, S) with Rd = 1 (one
    path shared by all runs) or Rd = R (see DRIVERS). Returns a Projection of VARIABLES, every
    array (R, T, S) or (R, T) (read-only broadcast views where runs share a path).
    """
    r = np.asarray(params["alpha_k"]).shape[0]
    s = len(base.sectors)
    hightech = np.asarray(base.high_tech, dtype=bool)

    # --- base year with derivation multipliers (t = 0)
    va0 = base.value_added[None, :] * _col(params, "base_value_added_factor")
    v_ratio = base.value_added / base.gross_output  # VA / GO, from base year
    s_ratio = base.sales / base.gross_output  # sales / GO

    # --- A/B: capital, investment, labour (exogenous: all years at once; driver arrays have a
    # leading dimension Rd = 1 when every run shares them, so their paths are computed once)
    inv_price = _cum_growth(_t(drivers, "investment_price_inflation") * _after0())  # (Rd,T)
    out_price = _cum_growth(_t(drivers, "output_price_inflation") * _after0())
    xr = _t(drivers, "exchange_rate")
    fdi_usd = _growth_path(
        np.full(1, base.fdi_actually_used), _t(drivers, "fdi_growth"), _t(drivers, "fdi_level")
    )
    fdi_mfg_nominal = fdi_usd * _col(params, "fdi_manufacturing_share") * xr  # (R,T) 100m yuan
    inv_share = base.investment / base.investment.sum()
    inv_fdi = (fdi_mfg_nominal / inv_price)[:, :, None] * inv_share  # (R,T,S) real
    dom0 = np.maximum(base.investment - inv_fdi[:, 0, :], 0.1 * base.investment)
    inv_dom = _growth_path(dom0, _ts(drivers, "investment_growth"), _ts(drivers, "investment_level"))
    investment = inv_dom + inv_fdi
    investment += _ts(drivers, "large_project_investment") * _after0()[..., None]
    keep_k = 1.0 - _col(params, "delta_k")
    capital = np.empty((r, T, s))
    capital[:, 0] = base.capital
    kf = np.empty((r, T, s))
    kf[:, 0] = base.capital * base.foreign_capital_share
    for t in range(1, T):
        np.multiply(keep_k, capital[:, t - 1], out=capital[:, t])
        capital[:, t] += investment[:, t]
        np.multiply(keep_k, kf[:, t - 1], out=kf[:, t])
        kf[:, t] += inv_fdi[:, t]
    fshare = kf / capital
    labour_growth = _ts(drivers, "labour_growth") * _after0()[..., None]
    log_l = np.log(base.labour) + np.cumsum(np.log1p(labour_growth), axis=1)  # (Rd,T,S)
    log_k = np.log(capital)

    # --- C: R&D intensity path and TFP/output recursion
    rel = _col(params, "rd_intensity_zj_relative")
    mult = np.where(hightech, _col(params, "rd_hightech_multiplier"), 1.0)  # (R,S)
    norm = base.sales.sum() / (mult * base.sales).sum(axis=1, keepdims=True)
    rho0 = (base.rd / base.sales) * rel * mult * norm
    rho = _growth_path(rho0, _ts(drivers, "rd_intensity_growth"), _ts(drivers, "rd_intensity_level"))
    fund = _t(drivers, "rd_special_fund")
    ac_ref = 100.0 * (rho0 * base.sales).sum(axis=1, keepdims=True) / base.sales.sum()
    alpha = _col(params, "alpha_k")
    lam = _col(params, "tfp_growth")
    gamma_r = _col(params, "gamma_r")
    delta_r = _col(params, "delta_r")
    spill = _p3(params, "gamma_f") * np.diff(fshare, axis=1)  # (R,T-1,S)
    mu = _col(params, "mu_absorptive")
    # output = A K^alpha L^(1-alpha) in logs: the capital/labour part is known for all years
    log_kl = alpha[:, None] * log_k + (1.0 - alpha[:, None]) * log_l  # (R,T,S)

    log_a = np.empty((r, T, s))
    log_va = np.empty((r, T, s))
    sales = np.empty((r, T, s))
    rd = np.empty((r, T, s))
    rd_stock = np.empty((r, T, s))
    log_va[:, 0] = np.log(va0)
    log_a[:, 0] = log_va[:, 0] - log_kl[:, 0]
    sales[:, 0] = va0 / v_ratio * s_ratio
    sales_to_va = s_ratio / v_ratio
    rd[:, 0] = rho[:, 0] * sales[:, 0]
    rd_stock[:, 0] = rd[:, 0] / (base.rd_growth_presample + delta_r)
    log_r_prev = np.log(rd_stock[:, 0])
    for t in range(1, T):
        rd_stock[:, t] = (1.0 - delta_r) * rd_stock[:, t - 1] + rd[:, t - 1]
        log_r = np.log(rd_stock[:, t])
        absorptive = 1.0 + mu * (100.0 * rho[:, t - 1] - ac_ref)
        log_a[:, t] = log_a[:, t - 1] + lam + gamma_r * (log_r - log_r_prev) + spill[:, t - 1] * absorptive
        log_r_prev = log_r
        np.add(log_a[:, t], log_kl[:, t], out=log_va[:, t])
        sales[:, t] = np.exp(log_va[:, t]) * sales_to_va
        total_sales = sales[:, t].sum(axis=1, keepdims=True)
        rd[:, t] = (rho[:, t] + fund[:, t, None] / total_sales) * sales[:, t]
    value_added = sales / sales_to_va
    gross_output = value_added / v_ratio

    # --- D: export delivery value
    eta_y, eta_p, kappa = (_p3(params, n) for n in ("eta_y", "eta_p", "kappa"))
    dln_xd_cn = eta_y[:, :, 0] * np.log1p(_t(drivers, "world_demand_growth")) + _t(drivers, "china_share_drift")  # (R,T)
    dln_rp = np.log1p(_ts(drivers, "relative_export_price_growth")) + _p3(
        params, "logistics_cost_share"
    ) * np.log1p(_t(drivers, "logistics_cost_change"))[:, :, None]
    dln_a = np.diff(log_a, axis=1)
    dln_xd = (
        dln_xd_cn[:, 1:, None]
        - eta_p * dln_rp[:, 1:]
        + kappa * (dln_a - _t(drivers, "china_tfp_growth")[:, 1:, None])
    )
    xd = np.empty((r, T, s))
    xd[:, 0] = base.export_delivery * _col(params, "base_export_delivery_factor")
    growth_xd = np.exp(dln_xd)
    for t in range(1, T):
        xd[:, t] = np.minimum(xd[:, t - 1] * growth_xd[:, t - 1], sales[:, t])
    xd_cn0 = base.china_export_delivery * _col(params, "china_xd_to_exports_ratio")[:, 0]
    xd_cn = xd_cn0[:, None] * np.exp(np.cumsum(dln_xd_cn * _after0(), axis=1))

    # --- E: energy
    cut = (
        _p3(params, "aeei")
        + _p3(params, "theta_eff")
        * _ts(drivers, "efficiency_coverage")
        * (1.0 - _p3(params, "rebound"))
    ) * _after0()[..., None]
    e0 = base.energy * _col(params, "base_energy_factor") / va0  # 10k tce per 100m yuan
    intensity = e0[:, None, :] * np.exp(-np.cumsum(cut, axis=1))
    energy = intensity * value_added
    energy_frozen = e0[:, None, :] * value_added
    utilization = np.minimum(
        _col(params, "energy_utilization_2003") * energy_frozen.sum(axis=2) / energy.sum(axis=2), 1.0
    )

    # --- F: firms over 10 bn yuan (nominal sales; Pareto tail moves with top-tail growth)
    zeta = np.asarray(params["pareto_zeta"], dtype=float)
    n0 = firms_above_threshold_2003(
        base.key_firms_count, base.key_firms_output, zeta, FIRM_SIZE_THRESHOLD_100M_YUAN
    )
    total_sales = sales.sum(axis=2)
    scale = _cum_growth(_t(drivers, "ma_scaleup") * _after0())
    growth_top = total_sales / total_sales[:, :1] * out_price * scale
    firms = n0[:, None] * growth_top ** zeta[:, None]

    # --- G: diffusion
    p = np.asarray(params["bass_p"], dtype=float)
    q = np.asarray(params["bass_q"], dtype=float)
    erp_policy = _t(drivers, "erp_promotion")
    erp_all = _bass(np.asarray(params["erp_share_2003_above_size"]), p, q, erp_policy)
    erp_lm = _bass(np.asarray(params["erp_share_2003_large_medium"]), p, q, erp_policy)
    info_lm = _bass(
        np.asarray(params["informatized_2003_large_medium"]), p, q, _t(drivers, "informatization_promotion")
    )
    clean = _bass(
        np.asarray(params["clean_production_2003"]), p, q, _t(drivers, "clean_production_promotion")
    )

    # --- H: counters and national centres
    china_go = base.china_gross_output * _cum_growth(_ts(drivers, "china_output_growth") * _after0()[..., None])
    centres = (gross_output / china_go > _p3(params, "centre_share_threshold")).sum(axis=2)

    values = {
        "value_added": value_added,
        "gross_output": gross_output,
        "sales": sales,
        "capital": capital,
        "investment": investment,
        "investment_fdi": inv_fdi,
        "labour": np.exp(log_l),
        "tfp": np.exp(log_a - log_a[:, :1]),
        "rd": rd,
        "rd_stock": rd_stock,
        "rd_intensity": rd / sales,
        "foreign_capital_share": fshare,
        "export_delivery": xd,
        "energy": energy,
        "energy_intensity": intensity,
        "energy_at_2003_intensity": energy_frozen,
        "china_gross_output": china_go,
        "china_export_delivery": xd_cn,
        "fdi_actually_used": fdi_usd,
        "fdi_manufacturing_nominal": fdi_mfg_nominal,
        "investment_nominal": investment.sum(axis=2) * inv_price,
        "investment_price_index": inv_price,
        "output_price_index": out_price,
        "sales_nominal": total_sales * out_price,
        "firms_over_10bn": firms,
        "small_giants": _counter(np.asarray(params["small_giants_2003"]), _t(drivers, "new_small_giants")),
        "erp_above_size": erp_all,
        "erp_large_medium": erp_lm,
        "informatized_large_medium": info_lm,
        "clean_production": clean,
        "energy_utilization": utilization,
        "brands": _counter(np.asarray(params["brands_2003"]), _t(drivers, "new_brands")),
        "key_parks": _counter(np.asarray(params["key_parks_2003"]), _t(drivers, "new_key_parks")),
        "national_bases": _counter(
            np.asarray(params["national_bases_2003"]), _t(drivers, "new_national_bases").copy()
        ),
        "national_centres": centres.astype(float),
    }
    shapes = {"ts": (r, T, s), "t": (r, T)}
    values = {k: np.broadcast_to(v, shapes[VARIABLES[k][1]]) for k, v in values.items()}
    return Projection(values=values, sectors=tuple(base.sectors))


def _p3(params: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """Parameter as (R, 1, 1) or (R, 1, S) for broadcasting against (R, T, S) arrays."""
    return _col(params, name)[:, None, :]


def _after0() -> np.ndarray:
    """Mask (1, T) that is 0 in the base year and 1 after, so growth starts in 2004."""
    m = np.ones((1, T))
    m[0, 0] = 0.0
    return m
