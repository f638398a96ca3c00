"""The pure, vectorised projection model (equations in docs/model.md).

Every input carries a leading ``run`` dimension R; sector arrays have a trailing sector
dimension S; paths have a ``year`` dimension T (index 0 = base year 2003). One run and a
million runs take the same code path: there is no Python loop over runs, only the short
recursion over years for the R&D-stock / TFP / output block, whose states depend on last
year's sales. Paths that do not depend on the run (the scenario's drivers: prices, FDI,
labour, national output) are computed once for all runs (leading dimension 1) with cumulative
sums and products; Bass diffusion and the stock variables use short loops over years.

Units: money in 100m_yuan at constant 2003 prices unless a name says ``nominal``; USD in
100m_usd; energy in 10k_tce; shares as fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from benchmarks.numpy_core import energy_equations as eeq
from benchmarks.numpy_core import equations as eq
from benchmarks.numpy_core import instruments as ins
from benchmarks.numpy_core.equations import (  # noqa: F401  (public names)
    firms_above_threshold_2003,
    firms_above_threshold_from_anchor,
    zipf_rank_sum,
)
from model.scenario.registry import BASE_YEAR, END_YEAR, REGISTRY, SECTOR_PARAMETERS, YEARS  # noqa: F401

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
    "rd_own": ("100m_yuan_2003", "ts", "R&D financed by firms from sales", "企业自筹研发经费"),
    "rd_intensity": ("ratio", "ts", "R&D / sales", "研发强度"),
    "foreign_capital_share": ("ratio", "ts", "Foreign share of capital", "外资资本比重"),
    "export_delivery": ("100m_yuan_2003", "ts", "Export delivery value", "出口交货值"),
    "energy": ("10k_tce", "ts", "Energy use", "能源消费"),
    "energy_intensity": ("tce_per_10k_yuan", "ts", "Energy per value added", "万元增加值能耗"),
    "energy_at_2003_intensity": ("10k_tce", "ts", "Energy at 2003 intensities", "按2003年强度的能耗"),
    "china_gross_output": ("100m_yuan_2003", "ts", "China gross output", "全国工业总产值"),
    "china_export_delivery": ("100m_yuan_2003", "t", "China export delivery value", "全国出口交货值"),
    "investment_domestic": ("100m_yuan_2003", "ts", "Domestic fixed investment", "内资固定资产投资"),
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
    "clean_production_audits_done": ("count", "t", "Clean-production audits carried out", "完成的清洁生产审核"),
    "retrofit_stock": ("ratio", "ts", "Energy-saving retrofits (share of technical potential)", "节能改造存量(占技术潜力)"),
    "electricity_demand_mfg": ("100m_kwh", "t", "Manufacturing electricity demand", "制造业用电需求"),
    "electricity_demand_other": ("100m_kwh", "t", "Electricity demand outside manufacturing", "制造业以外用电需求"),
    "power_capacity": ("10k_kw", "t", "Installed generating capacity", "发电装机容量"),
    "power_peak_demand": ("10k_kw", "t", "Peak electricity demand", "高峰用电负荷"),
    "power_supply_peak": ("10k_kw", "t", "Firm supply at the peak (capacity x availability + purchases)", "高峰可供电力"),
    "power_shortfall": ("ratio", "t", "Peak shortfall (share of peak demand)", "高峰电力缺口比例"),
    "power_curtailment": ("ratio", "t", "Manufacturing electricity not served (rationing)", "制造业有序用电缺电比例"),
    "curtailed_value_added": ("100m_yuan_2003", "t", "Value added lost to power rationing", "缺电损失的增加值"),
    "cost_efficiency_spending": ("100m_yuan_nominal", "t", "Cost: energy-saving retrofit programme", "成本:节能技术改造资金"),
    "cost_clean_production_audits": ("100m_yuan_nominal", "t", "Cost: clean-production audits", "成本:清洁生产审核"),
    "effort_power_capacity": ("effort_index", "t", "Effort: new generating capacity (approvals)", "力度:新建电源项目(核准)"),
    "investment_power_nominal": ("100m_yuan_nominal", "t", "Investment in new generating capacity (power companies, not provincial spending)", "电源建设投资(电力企业,非财政支出)"),
    "brands": ("count", "t", "Known brand products", "知名品牌数"),
    "key_parks": ("count", "t", "Key industrial parks", "重点工业园区数"),
    "national_bases": ("count", "t", "National industrial bases", "国家级产业基地数"),
    "national_centres": ("count", "t", "National manufacturing centres", "国家级制造中心数"),
    "rd_tax_price": ("ratio", "t", "Tax price of R&D (1 - credit)", "研发税收价格"),
    "cost_renovation_grants": ("100m_yuan_nominal", "t", "Cost: technical-renovation grants", "成本:技术改造补助"),
    "cost_rd_special_fund": ("100m_yuan_nominal", "t", "Cost: R&D special fund", "成本:研发专项资金"),
    "cost_rd_tax_credit": ("100m_yuan_nominal", "t", "Cost: R&D tax credit (revenue forgone)", "成本:研发税收抵免(减收)"),
    "cost_fdi_promotion": ("100m_yuan_nominal", "t", "Cost: investment promotion and concessions", "成本:招商引资投入"),
    "cost_informatization_subsidy": ("100m_yuan_nominal", "t", "Cost: ERP / informatization subsidy", "成本:信息化补助"),
    "effort_large_projects": ("effort_index", "t", "Effort: large projects approved", "力度:重大项目"),
    "effort_new_brands": ("effort_index", "t", "Effort: brand designations", "力度:名牌认定"),
    "effort_new_key_parks": ("effort_index", "t", "Effort: key-park designations", "力度:重点园区认定"),
    "effort_new_national_bases": ("effort_index", "t", "Effort: national-base applications", "力度:国家级基地申报"),
    "effort_new_small_giants": ("effort_index", "t", "Effort: small-giant designations", "力度:小巨人认定"),
    "budget_envelope": ("100m_yuan_nominal", "t", "Budget envelope for the instruments", "政策工具预算额度"),
}

# Driver names the core reads, with the shape each must broadcast to ("t" or "ts"): every mode
# of every entry of the scenario registry (model/scenario/registry.py), nothing else.
DRIVERS: dict[str, str] = {name: d.dims for name, d in REGISTRY.drivers.items()}

# Instruments with a yuan cost (projection variable cost_<name>, 100m_yuan_nominal per year) and
# non-monetary ones measured by an effort index (effort_<name>, 0-1 over the instrument's range).
COSTED_INSTRUMENTS = (
    "renovation_grants", "rd_special_fund", "rd_tax_credit", "fdi_promotion", "informatization_subsidy",
)
EFFORT_INSTRUMENTS = ("large_projects", "new_brands", "new_key_parks", "new_national_bases", "new_small_giants")

FIRM_SIZE_THRESHOLD_100M_YUAN = 100.0  # 10 bn yuan, the plan's threshold (task 17)
POWER_CAPACITY_GROWTH_HIGH = 0.5  # top of the registry range of power_capacity growth: effort = g / this

# Parameters that may take one value per sector: SECTOR_PARAMETERS (model/scenario/registry.py).
#: Parameters whose province-wide value the core spreads over sectors by a base-year pattern
#: (``ModelBase.<name>_relative``, from Zhejiang's IO 2002; see model/baseyear.py R5/R6):
#: a value (R,) becomes value x pattern (S, R); a per-sector value (R, S) is used as given.
PATTERNED_PARAMETERS = ("alpha_k", "delta_k")


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
    key_firms_output: float  # gross output of the 301 key enterprises, 100m_yuan
    rd_growth_presample: float  # 1/yr (kept for the base-year record; the core no longer uses it)
    top_firms_anchor_count: float  # Zhejiang firms in the national private top-500 (2003 data)
    local_fiscal_expenditure_2003: float  # 100m_yuan nominal (calibration/fiscal.csv)
    above_size_firms_2003: float  # count (observations: num_industrial_enterprises_above_size)
    alpha_k_relative: np.ndarray | None = None  # (S,) capital-share pattern; None = uniform
    delta_k_relative: np.ndarray | None = None  # (S,) depreciation-rate pattern; None = uniform
    # task 22 (docs/model.md block E, rules P1-P7); None = no power constraint (tiny test bases)
    electricity_mfg: np.ndarray | None = None  # (S,) 100m_kwh, 2003
    electricity_other: float = 0.0  # 100m_kwh, 2003, outside manufacturing
    power_capacity: float = 0.0  # 10k_kw installed, 2003


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


def simulate(
    base: ModelBase,
    params: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
) -> Projection:
    """Project Zhejiang manufacturing from the 2003 base year (docs/model.md, blocks A-H).

    params: name -> (R,) or (R, S); drivers: name -> (Rd, T) or (Rd, T, S) with Rd = 1 (one
    path shared by all runs) or Rd = R (see DRIVERS). Returns a Projection of VARIABLES, every
    array (R, T, S) or (R, T) (read-only views where runs share a path).

    Layout: internally every state is an array (T, S, R) - runs on the last, contiguous axis -
    so each year's update is a handful of operations on (S, R) blocks whose inner loops run over
    the runs (long and contiguous), with parameters (R,) and sector constants (S, 1) broadcast
    without copies.
    """
    r = np.asarray(params["alpha_k"]).shape[0]
    s = len(base.sectors)
    after0 = _after0()  # (1,T)
    after0_t = after0.reshape(T, 1, 1)

    def col(name: str) -> np.ndarray:
        """Parameter as (R,) or, per sector, (S, R)."""
        a = np.asarray(params[name], dtype=float)
        return a if a.ndim == 1 else np.ascontiguousarray(a.T)

    def sec(values) -> np.ndarray:
        """Sector constant as a column (S, 1)."""
        return np.asarray(values, dtype=float)[:, None]

    def ts(name: str) -> np.ndarray:
        """Sector driver as (T, S|1, Rd)."""
        return _ts(drivers, name).transpose(1, 2, 0)

    # --- base year with derivation multipliers (t = 0)
    va0 = sec(base.value_added) * col("base_value_added_factor")  # (S,R)
    sales_to_va = sec(base.sales / base.value_added)  # base-year ratios, held constant
    go_to_va = sec(base.gross_output / base.value_added)

    # --- exogenous province paths (Rd,T): prices, budget
    inv_price = eq.growth_index(_t(drivers, "investment_price_inflation") * after0)
    out_price = eq.growth_index(_t(drivers, "output_price_inflation") * after0)  # producer prices
    budget = ins.budget_envelope(
        base.local_fiscal_expenditure_2003, _t(drivers, "fiscal_expenditure_growth"), _t(drivers, "programme_budget_share")
    )

    # --- instruments (Rd,T) nominal, and their real (2003-price) values where they buy something
    grants = _t(drivers, "renovation_grants")
    fund = _t(drivers, "rd_special_fund")
    credit = _t(drivers, "rd_tax_credit") * after0
    promotion = _t(drivers, "fdi_promotion")
    erp_subsidy = _t(drivers, "informatization_subsidy")
    grants_real_t = eq.deflate(grants, inv_price).T  # (T,Rd)
    fund_real_t = eq.deflate(fund, out_price).T

    # --- I-2 FDI (task 14): external path x promotion response (rising marginal cost)
    fdi_ext = base.fdi_actually_used * eq.growth_index(_t(drivers, "fdi_external_growth") * after0)  # (Rd,T)
    promo_mult = ins.fdi_promotion_multiple(
        (promotion / out_price) * after0, col("fdi_promotion_reference")[:, None], col("fdi_promotion_elasticity")[:, None]
    )  # (R,T)
    fdi_usd = eq.fdi_actually_used(fdi_ext, promo_mult)
    fdi_mfg_nominal = eq.fdi_manufacturing_nominal(
        fdi_usd, col("fdi_manufacturing_share")[:, None], _t(drivers, "exchange_rate")
    )  # (R,T)
    fdi_real = eq.deflate(fdi_mfg_nominal, inv_price).T  # (T,R) 100m yuan at 2003 prices
    w_inv = sec(base.investment / base.investment.sum())  # FDI-funded investment split (S,1)

    # --- exogenous sector paths (T, S|1, Rd)
    lp_spend, lp_done = ts("large_project_investment"), ts("large_project_completion")
    log_l = eq.log_labour(sec(base.labour), ts("labour_growth") * after0_t, axis=0)
    spend_nominal = ts("efficiency_spending")  # (T,S|1,Rd) 100m yuan nominal per sector and year
    spend_real = eq.deflate(spend_nominal, inv_price.T[:, None, :])

    def patterned(name: str) -> np.ndarray:
        """Province-wide parameter x its base-year sector pattern (S,R); per-sector as given."""
        rel = getattr(base, f"{name}_relative")
        if np.asarray(params[name]).ndim != 1 or rel is None:
            return col(name)
        return sec(rel) * col(name)

    # --- parameters
    alpha = np.clip(patterned("alpha_k"), 0.05, 0.95)
    lam, rd_return, mu = col("tfp_growth"), col("rd_return"), col("mu_absorptive")
    keep_k = 1.0 - np.clip(patterned("delta_k"), 0.0, 1.0)
    gamma_f = col("gamma_f")
    beta_acc, beta_pi = col("invest_accelerator"), col("invest_profitability")
    leverage, uplift_max, crowding = col("renovation_leverage"), col("renovation_uplift_max"), col("fdi_crowding_out")
    drift, eps_r, speed = col("rd_intensity_drift"), col("rd_tax_price_elasticity"), col("rd_adjustment_speed")
    additionality, ceiling_m = col("rd_fund_additionality"), col("rd_intensity_ceiling_multiple")
    rho0 = eq.rd_intensity_2003(
        base.rd, base.sales, col("rd_intensity_zj_relative"), base.high_tech, col("rd_hightech_multiplier")
    )  # (S,R) 2003 intensity
    rho = rho0
    ac_ref = eq.absorptive_capacity_2003(rho, base.sales)  # (R,)
    eta_p, kappa = col("eta_p"), col("kappa")
    dln_xd_cn = eq.china_export_log_growth(
        col("eta_y")[:, None], _t(drivers, "world_demand_growth"), _t(drivers, "china_share_drift")
    )
    dln_xd_cn_t = dln_xd_cn.T  # (T,R)
    dln_rp = eq.relative_price_log_change(ts("relative_export_price_growth"))  # (T,S|1,Rd)
    log1p_china_tfp = np.log1p(_t(drivers, "china_tfp_growth")).T  # (T,Rd)
    aeei, rebound = col("aeei"), col("rebound")
    potential, retro_cost, retro_life = col("retrofit_potential"), col("retrofit_cost"), col("retrofit_lifetime")
    has_power = base.electricity_mfg is not None
    power = np.zeros((7, T, r))  # demand_mfg, peak, supply, shortfall, curtailment, lost VA, demand_other
    # R&D: long-run tax-price response by year (T,R); the lagged response starts at 1 in 2003
    tax_target = ins.tax_price_target(credit.T, eps_r)
    tax_response = np.ones_like(tax_target[0])

    # --- state arrays (T, S, R), carved from one allocation: a single large block is backed by
    # huge pages where the OS offers them, which saves most of the page faults of first writes
    block = np.empty((14, T, s, r))
    (investment, inv_fdi, inv_dom, capital, fshare, log_a, value_added, sales, rd, rd_own, xd, intensity,
     energy, retrofit) = block

    # t = 0: the base year
    eq.fdi_funded_investment(w_inv, fdi_real[0], out=inv_fdi[0])
    inv0 = sec(base.investment) * col("base_investment_factor")
    inv_dom[0] = eq.base_domestic_investment(inv0, inv_fdi[0])
    investment[0] = inv_dom[0] + inv_fdi[0]
    capital[0] = sec(base.capital)
    k_before = (capital[0] - investment[0]) / keep_k  # capital at the end of 2002 (S,R)
    rate0 = investment[0] / k_before  # 2003 investment rate I[2003] / K[2002]
    # foreign-funded capital starts at the 2003 FDI-funded share of investment (its steady
    # state if FDI and total investment grew alike); it then moves with relative FDI growth
    kf = eq.foreign_capital_2003(capital[0], inv_fdi[0], investment[0])
    eq.foreign_capital_share(kf, capital[0], out=fshare[0])
    value_added[0] = va0
    sales[0] = va0 * sales_to_va
    mpk0 = va0 / capital[0]
    log_a[0] = eq.log_tfp_residual(np.log(va0), alpha, np.log(capital[0]), log_l[0])
    rd_own[0] = rho * sales[0]
    rd[0] = rd_own[0]
    xd[0] = sec(base.export_delivery) * col("base_export_delivery_factor")
    intensity[0] = sec(base.energy) * col("base_energy_factor") / va0  # 10k tce per 100m yuan
    energy[0] = intensity[0] * va0
    retrofit[0] = 0.0
    e_auto = intensity[0]
    if has_power:
        el_trend = col("electricity_intensity_trend")
        loss, lf, avail = col("grid_loss_share"), col("grid_load_factor"), col("capacity_availability")
        pass_through = col("curtailment_pass_through")
        el_auto = sec(base.electricity_mfg) / va0  # (S,R) 100m kWh per 100m yuan
        demand_other = (base.electricity_other * eq.growth_index(_t(drivers, "other_electricity_growth") * after0)).T
        capacity = (base.power_capacity * eq.growth_index(_t(drivers, "power_capacity_growth") * after0)).T  # (T,Rd)
        purchases = (_t(drivers, "power_purchases") * after0).T  # (T,Rd); 2003 purchases not in the data: 0

    def power_year(t: int, va: np.ndarray, el_int: np.ndarray) -> None:
        """Block E, task 22: peak balance of year t from this year's electricity demand."""
        d_mfg = (el_int * va).sum(axis=0)
        bal = eeq.power_balance(d_mfg, demand_other[t], capacity[t], purchases[t], avail, loss, lf)
        power[0, t], power[1, t], power[2, t] = d_mfg, bal["peak"], bal["supply"]
        power[3, t], power[4, t], power[6, t] = bal["shortfall"], bal["curtailment"], demand_other[t]

    if has_power:  # the observed 2003 is not curtailed; its balance is the 2003 shortage check
        power_year(0, va0, el_auto)
    g_expected = g_reference = np.zeros_like(rate0)

    for t in range(1, T):
        # I-1 investment: accelerator + profitability, renovation grants, FDI crowding-out;
        # large projects count as investment while built, as capital only on completion
        dom = ins.accelerator_investment(
            inv_dom[0], capital[t - 1], k_before, g_expected, g_reference, rate0, beta_acc,
            value_added[t - 1] / capital[t - 1] / mpk0, beta_pi,
        )
        dom = dom * (1.0 + ins.renovation_uplift(grants_real_t[t], dom.sum(axis=0), leverage, uplift_max))
        eq.fdi_funded_investment(w_inv, fdi_real[t], out=inv_fdi[t])
        inv_dom[t] = ins.crowd_out(dom, inv_fdi[t], inv_fdi[0], crowding)
        eq.total_investment(inv_dom[t], inv_fdi[t], lp_spend[t], out=investment[t])
        eq.perpetual_inventory(keep_k, capital[t - 1], inv_dom[t] + inv_fdi[t] + lp_done[t], out=capital[t])
        kf = eq.perpetual_inventory(keep_k, kf, inv_fdi[t])
        eq.foreign_capital_share(kf, capital[t], out=fshare[t])
        # C: TFP, rate-of-return form on last year's R&D, FDI spillover x absorptive capacity
        dlog_a = eq.tfp_log_growth(
            lam, rd_return, rd[t - 1], value_added[t - 1], gamma_f, fshare[t] - fshare[t - 1], mu,
            eq.absorptive_gap(rho, ac_ref),
        )
        np.add(log_a[t - 1], dlog_a, out=log_a[t])
        # A: value added = A K^alpha L^(1-alpha), in logs
        np.exp(eq.log_value_added(log_a[t], alpha, np.log(capital[t]), log_l[t]), out=value_added[t])
        # E: retrofit stock (spending, technical potential, lifetime) on the autonomous trend
        e_auto = eeq.autonomous_intensity(e_auto, aeei)
        retrofit[t] = eeq.retrofit_step(
            retrofit[t - 1], spend_real[t], potential * e_auto * value_added[t], retro_cost, retro_life
        )
        saving = eeq.retrofit_intensity(1.0, retrofit[t], potential, rebound)  # (S,R) factor <= 1
        np.multiply(e_auto, saving, out=intensity[t])
        # E, task 22: electricity demand, peak balance, rationing curtails value added
        if has_power:
            el_auto = el_auto * np.exp(el_trend)
            power_year(t, value_added[t], el_auto * saving)
            potential_va = value_added[t].sum(axis=0)
            value_added[t] = eeq.curtail(value_added[t], power[4, t], pass_through)
            power[5, t] = potential_va - value_added[t].sum(axis=0)
        g_expected = np.log(value_added[t]) - np.log(value_added[t - 1])  # after any curtailment
        if t == 1:
            g_reference = g_expected  # the growth firms were investing for
        eq.fixed_ratio(value_added[t], sales_to_va, out=sales[t])
        # I-3 R&D: own intensity adjusts toward the desired level; the fund adds with additionality
        tax_response = ins.adjust_intensity(tax_response, tax_target[t], speed)
        rho = rho0 * ins.rd_intensity_multiple(float(t), drift, tax_response, ceiling_m)
        eq.own_rd(rho, sales[t], out=rd_own[t])
        fund_i = eq.fund_by_sales(fund_real_t[t], sales[t], sales[t].sum(axis=0))
        np.add(rd_own[t], ins.fund_induced_rd(fund_i, rd_own[t], additionality), out=rd[t])
        # D: export delivery relative to China's, capped at sales
        dln_xd = eq.export_delivery_log_growth(dln_xd_cn_t[t], eta_p, dln_rp[t], kappa, dlog_a, log1p_china_tfp[t])
        eq.export_delivery(xd[t - 1], dln_xd, sales[t], out=xd[t])
        # E: energy use at the year's intensity and (curtailed) value added
        eq.energy_use(intensity[t], value_added[t], out=energy[t])

    def rts(a: np.ndarray) -> np.ndarray:
        """(T, S, R) -> (R, T, S) view."""
        return a.transpose(2, 0, 1)

    gross_output = eq.fixed_ratio(value_added, go_to_va)
    energy_frozen = eq.energy_use(intensity[0], value_added)
    xd_cn = eq.china_export_delivery(base.china_export_delivery, dln_xd_cn * after0)

    # --- F: firms over 10 bn yuan (nominal sales; Pareto tail moves with top-tail growth)
    zeta = np.asarray(params["pareto_zeta"], dtype=float)
    n0 = eq.firms_above_threshold_from_anchor(
        base.top_firms_anchor_count, np.asarray(params["private_top500_entry_2003"], dtype=float), zeta,
        FIRM_SIZE_THRESHOLD_100M_YUAN)
    total_sales = sales.sum(axis=1).T  # (R,T)
    growth_top = eq.top_tail_growth(total_sales, out_price)  # nominal: real sales x producer prices
    firms = eq.firms_over_threshold(n0[:, None], growth_top, zeta[:, None])

    # --- G: diffusion; the informatization subsidy raises the innovation coefficient (task 10)
    p = np.asarray(params["bass_p"], dtype=float)
    q = np.asarray(params["bass_q"], dtype=float)
    p_subsidy = ins.bass_subsidy_p(
        p[:, None], erp_subsidy * after0, col("erp_subsidy_max_dp")[:, None], col("erp_cost_scale")[:, None]
    )  # (R,T)

    def bass(start: str, policy: np.ndarray) -> np.ndarray:
        return eq.bass_diffusion(np.asarray(params[start], dtype=float), p, q, policy)

    # clean production (task 19): Bass diffusion plus audits of key polluters
    audits = _t(drivers, "clean_production_audits")  # (Rd,T)
    clean = np.empty((r, T))
    done = np.zeros((r, T))
    clean[:, 0] = np.clip(np.asarray(params["clean_production_2003"], dtype=float), 0.0, 1.0)
    n_key = np.asarray(params["key_polluters_count"], dtype=float)
    implement = np.asarray(params["audit_implementation_rate"], dtype=float)
    for t in range(1, T):
        clean[:, t], done[:, t] = eeq.clean_production_step(clean[:, t - 1], audits[:, t], n_key, implement, p, q)
    cost_audits = done * np.asarray(params["audit_cost"], dtype=float)[:, None] / 1e4
    def bass_m(start: str, ceiling: str) -> np.ndarray:
        return ins.bass_ceiling(col(start), p_subsidy, q, col(ceiling))

    erp_above = bass_m("erp_share_2003_above_size", "erp_ceiling")

    def counter(start: str, driver: str) -> np.ndarray:
        return eq.designation_count(np.asarray(params[start], dtype=float), _t(drivers, driver) * after0)

    # --- H: national centres: sectors whose share of China's output passes the threshold
    china_go = base.china_gross_output * eq.growth_index(_ts(drivers, "china_output_growth") * after0[..., None])
    share_cn = gross_output / china_go.transpose(1, 2, 0)  # (T,S,R)
    centres = eq.national_centres(share_cn, col("centre_share_threshold"), sector_axis=1).T

    values = {
        "value_added": rts(value_added),
        "gross_output": rts(gross_output),
        "sales": rts(sales),
        "capital": rts(capital),
        "investment": rts(investment),
        "investment_fdi": rts(inv_fdi),
        "investment_domestic": rts(inv_dom),
        "labour": np.exp(log_l).transpose(2, 0, 1),
        "tfp": rts(np.exp(log_a - log_a[0])),
        "rd": rts(rd),
        "rd_own": rts(rd_own),
        "rd_intensity": rts(rd / sales),
        "foreign_capital_share": rts(fshare),
        "export_delivery": rts(xd),
        "energy": rts(energy),
        "energy_intensity": rts(intensity),
        "energy_at_2003_intensity": rts(energy_frozen),
        "china_gross_output": china_go,
        "china_export_delivery": xd_cn,
        "fdi_actually_used": fdi_usd,
        "fdi_manufacturing_nominal": fdi_mfg_nominal,
        "investment_nominal": investment.sum(axis=1).T * inv_price,
        "investment_price_index": inv_price,
        "output_price_index": out_price,
        "sales_nominal": total_sales * out_price,
        "firms_over_10bn": firms,
        "small_giants": counter("small_giants_2003", "new_small_giants"),
        "erp_above_size": erp_above,
        "erp_large_medium": bass_m("erp_share_2003_large_medium", "erp_ceiling"),
        "informatized_large_medium": bass_m("informatized_2003_large_medium", "informatization_ceiling"),
        "clean_production": clean,
        "clean_production_audits_done": done,
        "retrofit_stock": rts(retrofit),
        "electricity_demand_mfg": power[0].T,
        "electricity_demand_other": power[6].T,
        "power_capacity": (capacity.T if has_power else np.zeros((1, T))),
        "power_peak_demand": power[1].T,
        "power_supply_peak": power[2].T,
        "power_shortfall": power[3].T,
        "power_curtailment": power[4].T,
        "curtailed_value_added": power[5].T,
        "cost_efficiency_spending": _ts(drivers, "efficiency_spending").sum(axis=2) * after0,
        "cost_clean_production_audits": cost_audits,
        "effort_power_capacity": _t(drivers, "power_capacity_growth") * after0 / POWER_CAPACITY_GROWTH_HIGH,
        "investment_power_nominal": (
            np.diff(capacity.T, axis=1, prepend=capacity.T[:, :1]) * col("capacity_cost")[:, None] / 1e4 * inv_price
            if has_power else np.zeros((1, T))
        ),
        "brands": counter("brands_2003", "new_brands"),
        "key_parks": counter("key_parks_2003", "new_key_parks"),
        "national_bases": counter("national_bases_2003", "new_national_bases"),
        "national_centres": centres.astype(float),
        "rd_tax_price": 1.0 - credit,
        # costs of the instruments, 100m yuan nominal per year (the contract of COORD.md)
        "cost_renovation_grants": grants * after0,
        "cost_rd_special_fund": fund * after0,
        "cost_rd_tax_credit": credit * rd_own.sum(axis=1).T * out_price,
        "cost_fdi_promotion": promotion * after0,
        "cost_informatization_subsidy": ins.erp_subsidy_cost(erp_subsidy * after0, erp_above, base.above_size_firms_2003),
        "budget_envelope": budget,
    }
    shapes = {"ts": (r, T, s), "t": (r, T)}
    values = {k: np.broadcast_to(v, shapes[VARIABLES[k][1]]) for k, v in values.items()}
    return Projection(values=values, sectors=tuple(base.sectors))


def _after0() -> np.ndarray:
    """Mask (1, T) that is 0 in the base year and 1 after, so growth starts in 2004."""
    m = np.ones((1, T))
    m[0, 0] = 0.0
    return m
