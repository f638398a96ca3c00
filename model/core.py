"""The projection model's interface: base year, variables, and ``simulate`` (docs/model.md).

Every input carries a leading ``run`` dimension R; sector arrays have a trailing sector
dimension S; paths have a ``year`` dimension T (index 0 = base year 2003). ``simulate`` checks
and packs the inputs and calls the compiled kernel (``model.kernel``), which loops over runs,
years and sectors calling the equation functions of ``model.equations``, ``model.instruments``
and ``model.energy_equations``; one run and a million runs take the same code path.

Units: money in 100m_yuan at constant 2003 prices unless a name says ``nominal``; USD in
100m_usd; energy in 10k_tce; shares as fractions.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from model import kernel
from model.equations import (  # noqa: F401  (public names)
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

FIRM_SIZE_THRESHOLD_100M_YUAN = kernel.FIRM_SIZE_THRESHOLD_100M_YUAN  # 10 bn yuan (task 17)
POWER_CAPACITY_GROWTH_HIGH = kernel.POWER_CAPACITY_GROWTH_HIGH  # effort = power capacity growth / this

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
    #: (ots, ot, views) of the kernel's output blocks, when ``values`` are views of them
    blocks: tuple | None = field(default=None, repr=False, compare=False)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]

    @property
    def n_runs(self) -> int:
        return next(iter(self.values.values())).shape[0]

    def total(self, name: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Sector sum (R, T) of a sector variable, optionally over a boolean sector mask."""
        arr = self.values[name]
        return arr.sum(axis=2) if mask is None else arr[:, :, mask].sum(axis=2)


#: Runs per task of the parallel kernel; blocks of fewer runs than PARALLEL_MIN_RUNS run serially.
PARALLEL_CHUNK = 64
PARALLEL_MIN_RUNS = 256


def _base_arrays(base: ModelBase) -> tuple[np.ndarray, np.ndarray]:
    """Base-year sector constants (NB, S) and scalars (NC,) in the kernel's order (cached per base)."""
    key = id(base)
    hit = _BASE_CACHE.get(key)
    if hit is not None and hit[0] is base:
        return hit[1], hit[2]
    s = len(base.sectors)
    bs = np.zeros((len(kernel.BASE_SECTOR), s))
    for j, name in enumerate(kernel.BASE_SECTOR):
        v = getattr(base, name, None)
        if v is not None:
            bs[j] = np.asarray(v, dtype=float)
    bc = np.array([
        base.china_export_delivery, base.fdi_actually_used, base.top_firms_anchor_count,
        base.local_fiscal_expenditure_2003, base.above_size_firms_2003, base.electricity_other, base.power_capacity,
        float(base.electricity_mfg is not None), float(base.alpha_k_relative is not None),
        float(base.delta_k_relative is not None),
    ], dtype=float)
    if len(_BASE_CACHE) > 8:
        _BASE_CACHE.clear()
    _BASE_CACHE[key] = (base, bs, bc)
    return bs, bc


_BASE_CACHE: dict[int, tuple] = {}


def simulate(
    base: ModelBase,
    params: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
) -> Projection:
    """Project Zhejiang manufacturing from the 2003 base year (docs/model.md, blocks A-H).

    params: name -> (R,) or (R, S); drivers: name -> (Rd, T) or (Rd, T, S) with Rd = 1 (one
    path shared by all runs) or Rd = R (see DRIVERS). Returns a Projection of VARIABLES, every
    array (R, T, S) or (R, T), written by the compiled kernel (``model.kernel``).
    """
    inputs, ots, ot = kernel_inputs(base, params, drivers)
    if ot.shape[1] >= PARALLEL_MIN_RUNS:
        kernel.simulate_parallel(*inputs, ots, ot, PARALLEL_CHUNK)
    else:
        kernel.simulate_serial(*inputs, ots, ot)
    return projection_of(base, ots, ot)


def kernel_inputs(
    base: ModelBase, params: Mapping[str, np.ndarray], drivers: Mapping[str, np.ndarray], slots: int | None = None
) -> tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    """The kernel's packed inputs (bs, bc, pb, pm, db, dm) and its empty output blocks ots, ot with
    ``slots`` runs (default: one per run, R)."""
    r = np.shape(params["alpha_k"])[0]
    s = len(base.sectors)
    if s > kernel.SECTOR_LANES:
        raise ValueError(f"the compiled core takes at most {kernel.SECTOR_LANES} sectors, the base has {s} "
                         "(model.kernel.SECTOR_LANES; raise it for a finer sector registry)")
    bs, bc = _base_arrays(base)
    pb, pm = kernel.pack_parameters(params, r, s)
    db, dm = kernel.pack_drivers(drivers, r, s, T)
    n = r if slots is None else slots
    return (bs, bc, pb, pm, db, dm), np.empty((len(kernel.OUTPUTS_TS), n, T, s)), np.empty((len(kernel.OUTPUTS_T), n, T))


def projection_of(base: ModelBase, ots: np.ndarray, ot: np.ndarray) -> Projection:
    """The Projection whose values are views of the kernel's output blocks."""
    # one view per output row, made in C and put in Projection order in C (a Python index per row costs 2x)
    values = dict(zip(_VALUE_ORDER, _IN_VALUE_ORDER([*ots, *ot]), strict=True))
    return Projection(values=values, sectors=tuple(base.sectors), blocks=(ots, ot, values.copy()))


#: Projection.values order (the order the numpy core wrote them in; tables follow it)
_VALUE_ORDER = (
    "value_added", "gross_output", "sales", "capital", "investment", "investment_fdi", "investment_domestic",
    "labour", "tfp", "rd", "rd_own", "rd_intensity", "foreign_capital_share", "export_delivery", "energy",
    "energy_intensity", "energy_at_2003_intensity", "china_gross_output", "china_export_delivery",
    "fdi_actually_used", "fdi_manufacturing_nominal", "investment_nominal", "investment_price_index",
    "output_price_index", "sales_nominal", "firms_over_10bn", "small_giants", "erp_above_size", "erp_large_medium",
    "informatized_large_medium", "clean_production", "clean_production_audits_done", "retrofit_stock",
    "electricity_demand_mfg", "electricity_demand_other", "power_capacity", "power_peak_demand", "power_supply_peak",
    "power_shortfall", "power_curtailment", "curtailed_value_added", "cost_efficiency_spending",
    "cost_clean_production_audits", "effort_power_capacity", "investment_power_nominal", "brands", "key_parks",
    "national_bases", "national_centres", "rd_tax_price", "cost_renovation_grants", "cost_rd_special_fund",
    "cost_rd_tax_credit", "cost_fdi_promotion", "cost_informatization_subsidy", "budget_envelope",
)
_OUTPUT_ROWS = kernel.OUTPUTS_TS + kernel.OUTPUTS_T  # the rows of the kernel's blocks ots, then ot
_IN_VALUE_ORDER = operator.itemgetter(*[_OUTPUT_ROWS.index(name) for name in _VALUE_ORDER])
