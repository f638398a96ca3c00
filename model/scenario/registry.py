"""What a scenario file may set: every lever and assumption, its unit, shape, modes and range.

This table is the single source of truth for scenario validation, resolution to model
drivers, the lever diff and the sensitivity analysis's lever inputs.

Modes: ``rate`` - the value itself is the per-year quantity (a rate, share or count per year);
``growth`` - annual growth rate of a level (fraction per year); ``level`` - the level itself.
``dims``: ``t`` province-wide only; ``ts`` province-wide with optional per-sector overrides.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModeSpec:
    driver: str  # name of the core driver this mode fills
    unit: str
    low: float
    high: float


@dataclass(frozen=True)
class InputSpec:
    name: str
    section: str  # "levers" | "assumptions"
    dims: str  # "t" | "ts"
    modes: dict[str, ModeSpec]
    neutral: float  # value used when a scenario chain never sets it (rate / growth mode)
    family: str
    label_en: str
    label_zh: str
    plan_task: str = ""

    @property
    def default_mode(self) -> str:
        return next(iter(self.modes))


def _rate(driver, unit, low, high):
    return {"rate": ModeSpec(driver, unit, low, high)}


def _growth_or_level(name, level_unit, level_high):
    return {
        "growth": ModeSpec(f"{name}_growth", "fraction_per_year", -0.5, 1.0),
        "level": ModeSpec(f"{name}_level", level_unit, 0.0, level_high),
    }


_SPECS = [
    # ------------------------------------------------------------------ levers
    InputSpec("renovation_grants", "levers", "t", _rate("renovation_grants", "100m_yuan_nominal_per_year", 0.0, 500.0),
              0.0, "investment", "Technical-renovation grants and interest subsidies", "技术改造补助和贴息", "7, 25"),
    InputSpec("rd_special_fund", "levers", "t", _rate("rd_special_fund", "100m_yuan_nominal_per_year", 0.0, 500.0),
              0.0, "rd", "Provincial special fund for R&D (grants)", "省先进制造业专项资金(研发)", "11, 25"),
    InputSpec("rd_tax_credit", "levers", "t", _rate("rd_tax_credit", "fraction_of_rd", 0.0, 0.5),
              0.0, "rd", "R&D tax credit beyond the 2003 regime (share of R&D)", "研发费用税收抵免(超出2003年政策部分)", "11, 12"),
    InputSpec("fdi_promotion", "levers", "t", _rate("fdi_promotion", "100m_yuan_nominal_per_year", 0.0, 200.0),
              0.0, "fdi", "Investment promotion and concessions beyond the 2003 effort", "招商引资投入(超出2003年部分)", "14"),
    InputSpec("informatization_subsidy", "levers", "t",
              _rate("informatization_subsidy", "10k_yuan_nominal_per_adopter", 0.0, 100.0),
              0.0, "diffusion", "ERP / informatization subsidy per adopting firm", "企业信息化(ERP)每户补助", "10"),
    InputSpec("efficiency_spending", "levers", "ts",
              _rate("efficiency_spending", "100m_yuan_nominal_per_year", 0.0, 100.0),
              0.0, "energy", "Energy-saving retrofit spending (programme)", "节能技术改造资金(项目)", "19"),
    InputSpec("clean_production_audits", "levers", "t",
              _rate("clean_production_audits", "audits_per_year", 0.0, 5000.0),
              0.0, "energy", "Clean-production audits funded", "资助的清洁生产审核(家/年)", "19"),
    InputSpec("power_capacity", "levers", "t",
              {"growth": ModeSpec("power_capacity_growth", "fraction_per_year", 0.0, 0.5)},
              0.0, "power", "Generating capacity in the province (new power plants)", "省内发电装机(新建电源项目)", "22"),
    InputSpec("new_brands", "levers", "t", _rate("new_brands", "count_per_year", -50.0, 200.0),
              0.0, "counters", "New well-known brands per year", "每年新增名牌产品", "18"),
    InputSpec("new_key_parks", "levers", "t", _rate("new_key_parks", "count_per_year", -50.0, 200.0),
              0.0, "counters", "Key parks designated per year (net)", "每年新增重点园区(净)", "16"),
    InputSpec("new_national_bases", "levers", "t", _rate("new_national_bases", "count_per_year", -10.0, 50.0),
              0.0, "counters", "National industrial bases added per year", "每年新增国家级产业基地", "3"),
    InputSpec("new_small_giants", "levers", "t", _rate("new_small_giants", "count_per_year", -50.0, 200.0),
              0.0, "counters", '"Small giants" cultivated per year', '每年培育"小型巨人"企业', "17"),
    # ------------------------------------------------------------- assumptions
    InputSpec("fdi_external_growth", "assumptions", "t", _rate("fdi_external_growth", "fraction_per_year", -0.5, 1.0),
              0.0, "fdi", "Growth of FDI reaching Zhejiang without extra promotion (USD)", "无新增招商投入时的外资增长率"),
    InputSpec("fiscal_expenditure_growth", "assumptions", "t",
              _rate("fiscal_expenditure_growth", "fraction_per_year", -0.2, 0.5),
              0.0, "budget", "Growth of Zhejiang local fiscal expenditure (nominal)", "浙江地方财政支出增长率(现价)"),
    InputSpec("programme_budget_share", "assumptions", "t",
              _rate("programme_budget_share", "share_of_local_expenditure", 0.0, 0.5),
              0.0, "budget", "Share of local expenditure available for the manufacturing instruments",
              "可用于先进制造业政策工具的地方财政支出比例"),
    InputSpec("labour_growth", "assumptions", "ts", _rate("labour_growth", "fraction_per_year", -0.2, 0.3),
              0.0, "production", "Growth of labour input", "劳动投入增长率"),
    InputSpec("world_demand_growth", "assumptions", "t", _rate("world_demand_growth", "fraction_per_year", -0.3, 0.5),
              0.0, "trade", "Real growth of world import demand", "世界进口需求实际增长率"),
    InputSpec("china_share_drift", "assumptions", "t", _rate("china_share_drift", "log_points_per_year", -0.2, 0.3),
              0.0, "trade", "China's export market-share drift", "中国出口市场份额漂移"),
    InputSpec("china_tfp_growth", "assumptions", "t", _rate("china_tfp_growth", "fraction_per_year", -0.05, 0.15),
              0.0, "trade", "National manufacturing TFP growth", "全国制造业全要素生产率增长率"),
    InputSpec("china_output_growth", "assumptions", "ts", _rate("china_output_growth", "fraction_per_year", -0.3, 0.6),
              0.0, "trade", "Real growth of national sector output", "全国行业产出实际增长率"),
    InputSpec("relative_export_price_growth", "assumptions", "ts",
              _rate("relative_export_price_growth", "fraction_per_year", -0.3, 0.3),
              0.0, "trade", "Zhejiang export price relative to competitors, growth", "相对出口价格变化率"),
    InputSpec("exchange_rate", "assumptions", "t", {"level": ModeSpec("exchange_rate", "yuan_per_usd", 4.0, 12.0)},
              float("nan"), "trade", "Exchange rate (yuan per USD)", "人民币汇率(元/美元)"),
    InputSpec("power_purchases", "assumptions", "t", _rate("power_purchases", "10k_kw_at_peak", 0.0, 3000.0),
              0.0, "power", "Power bought from outside the province at the peak", "高峰时段外购电力"),
    InputSpec("other_electricity_growth", "assumptions", "t",
              _rate("other_electricity_growth", "fraction_per_year", -0.2, 0.4),
              0.0, "power", "Growth of electricity use outside manufacturing", "制造业以外用电增长率"),
    InputSpec("output_price_inflation", "assumptions", "t",
              _rate("output_price_inflation", "fraction_per_year", -0.2, 0.3),
              0.0, "prices", "Producer (ex-factory) price inflation of manufacturing output", "工业品出厂价格涨幅"),
    InputSpec("investment_price_inflation", "assumptions", "t",
              _rate("investment_price_inflation", "fraction_per_year", -0.2, 0.3),
              0.0, "prices", "Investment price inflation", "固定资产投资价格涨幅"),
]

INPUTS: dict[str, InputSpec] = {s.name: s for s in _SPECS}
LEVERS = tuple(s.name for s in _SPECS if s.section == "levers")
ASSUMPTIONS = tuple(s.name for s in _SPECS if s.section == "assumptions")
# Plan tasks whose former levers were dropped, with the reason (docs/model.md section 3.I).
DROPPED_INSTRUMENTS = {
    "ma_scaleup": ("17", "M&A and large groups: no provincial instrument whose effect on mergers any source in our "
                   "data parameterises; firms over 10 bn yuan now follow the top tail of sales (output growth, "
                   "producer prices, Pareto exponent)."),
    "logistics_cost_change": ("20", "Logistics: no data link spending to logistics costs, and the channel (logistics "
                              "share x export price elasticity) moved no target (max total-order index < 0.01)."),
    "investment": ("7, 8, 9", "Investment is now behavioural (accelerator + profitability); planners act on it "
                   "through renovation grants and large projects."),
    "rd_intensity": ("11, 12", "R&D intensity is now firms' behaviour; planners act through the tax credit and "
                     "the special fund."),
    "fdi": ("14", "FDI is now a response to promotion spending on top of an external path (assumption "
            "fdi_external_growth)."),
    "erp_promotion": ("10", "Replaced by the informatization subsidy per adopter."),
    "informatization_promotion": ("10", "Replaced by the informatization subsidy per adopter."),
}
HORIZON = (2004, 2010)  # years a scenario may set; 2003 is the observed base year
