"""The single source of every lever and assumption a scenario may set.

Each :class:`InputSpec` says everything the rest of the model needs about one input:

- ``role``: ``instrument`` (a planner's lever, YAML section ``levers``) or ``assumption``
  (a state of the world, YAML section ``assumptions``);
- ``modes``: how the values are read, each filling one core driver (:class:`ModeSpec`):
  ``rate`` - the value itself is the per-year quantity (a rate, share or count per year);
  ``growth`` - annual growth rate of a level (fraction per year); ``level`` - the level
  itself; ``projects`` - a list of named projects (``form="projects"``). The first mode is the
  default. Each mode carries its unit, allowed range and *neutral* value (what the core
  receives when no scenario in the chain sets the input: 0 for rates and growth, NaN for
  levels = "no level given, follow the growth path");
- ``dims``: ``t`` province-wide only; ``ts`` province-wide with optional per-sector overrides;
- ``also_fills``: further drivers one entry fills (a project list: spending and completions);
- ``required``: the chain of scenario files must set it (it has no neutral value);
- ``family``, bilingual labels, ``plan_task`` (the 2004 plan's task numbers it serves).

Derived from this table, nowhere else: the pydantic scenario schema
(:func:`model.scenario.schema.scenario_file_model`), ``model.core.DRIVERS``, the neutral
drivers of :func:`model.scenario.resolve.neutral_drivers`, the lever diff of
``model.compare.diff`` and the lever/assumption inputs of the sensitivity analysis. Adding an
input is one entry here plus the equation in ``model/equations.py`` that reads its driver.

Optional fields have defaults so later issues can add more (e.g. instrument costs, #12)
without touching the existing entries.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

ROLES = {"instrument": "levers", "assumption": "assumptions"}  # role -> scenario-file section
SECTIONS = tuple(ROLES.values())
MODES = ("rate", "growth", "level", "projects")
BASE_YEAR = 2003  # the observed base year (t = 0)
END_YEAR = 2010
YEARS = tuple(range(BASE_YEAR, END_YEAR + 1))  # the model's years, 2003..2010
HORIZON = (BASE_YEAR + 1, END_YEAR)  # years a scenario may set; 2003 is the observed base year

# Parameters a scenario (or the Python API) may give one value per sector (the core reads them
# as (R, S)); all others are province-wide.
SECTOR_PARAMETERS = frozenset({
    "alpha_k", "delta_k", "tfp_growth", "rd_return", "gamma_f", "mu_absorptive",
    "rd_intensity_zj_relative", "eta_p", "kappa", "aeei", "retrofit_potential",
    "rebound", "centre_share_threshold", "base_value_added_factor",
    "base_export_delivery_factor", "base_energy_factor", "base_investment_factor",
})


@dataclass(frozen=True)
class ModeSpec:
    """One way of giving an input's values: the core driver it fills, unit, range, neutral."""

    driver: str  # name of the core driver this mode fills
    unit: str
    low: float
    high: float
    neutral: float = 0.0  # driver value when nobody sets the input (NaN: not given)


@dataclass(frozen=True, eq=False)
class InputSpec:
    """One lever (role ``instrument``) or assumption of the scenario files."""

    name: str
    role: str  # "instrument" | "assumption"
    dims: str  # "t" | "ts"
    modes: dict[str, ModeSpec]
    family: str
    label_en: str
    label_zh: str
    plan_task: str = ""
    form: str = "path"  # "path" (values by year) | "projects" (list of large projects)
    required: bool = False
    also_fills: tuple[str, ...] = ()  # further drivers of the default mode (same dims and unit, neutral 0)
    cost_kind: str | None = None  # reserved for instrument costs (issue #12): None = no cost
    #: assumptions: why the input stays among the sensitivity inputs although it moves no scored
    #: target by a total-order index of 0.01 on plan-2004 (shown by the sensitivity report)
    sensitivity_note: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"registry entry {self.name}: role {self.role!r}; allowed: {', '.join(ROLES)}")
        if self.dims not in ("t", "ts"):
            raise ValueError(f"registry entry {self.name}: dims {self.dims!r}; allowed: t, ts")
        if not self.modes or any(m not in MODES for m in self.modes):
            raise ValueError(f"registry entry {self.name}: modes {list(self.modes)}; allowed: {', '.join(MODES)}")
        if self.form not in ("path", "projects"):
            raise ValueError(f"registry entry {self.name}: form {self.form!r}; allowed: path, projects")

    @property
    def section(self) -> str:
        """Scenario-file section: ``levers`` for instruments, ``assumptions`` for assumptions."""
        return ROLES[self.role]

    @property
    def default_mode(self) -> str:
        return next(iter(self.modes))

    @property
    def neutral(self) -> float:
        """Neutral value of the default mode (what a scenario that never sets it means)."""
        return self.modes[self.default_mode].neutral

    @property
    def key(self) -> str:
        """``<section>.<name>``, the path used in uncertainty blocks and diffs."""
        return f"{self.section}.{self.name}"


@dataclass(frozen=True)
class DriverSpec:
    """A core driver: the array ``model.core.simulate`` reads, filled by one input mode."""

    name: str
    dims: str  # "t" -> (run, year); "ts" -> (run, year, sector)
    neutral: float
    unit: str
    input: str  # the registry entry that fills it
    mode: str


@dataclass(frozen=True, eq=False)
class Registry:
    """An ordered, immutable table of inputs with the views the model derives from it."""

    specs: tuple[InputSpec, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "specs", tuple(self.specs))
        names = [s.name for s in self.specs]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"registry: duplicate input names {dup}")
        drivers = [m.driver for s in self.specs for m in s.modes.values()] + [
            d for s in self.specs for d in s.also_fills
        ]
        dup = sorted({d for d in drivers if drivers.count(d) > 1})
        if dup:
            raise ValueError(f"registry: drivers filled by more than one mode {dup}")

    def __repr__(self) -> str:
        return f"Registry({len(self.specs)} inputs: {', '.join(s.name for s in self.specs)})"

    def __iter__(self) -> Iterator[InputSpec]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, name: object) -> bool:
        return name in self.inputs

    def __getitem__(self, name: str) -> InputSpec:
        return self.inputs[name]

    @cached_property
    def inputs(self) -> dict[str, InputSpec]:
        """name -> InputSpec, in registry order."""
        return {s.name: s for s in self.specs}

    def section(self, section: str) -> tuple[InputSpec, ...]:
        """Entries of one scenario-file section (``levers`` or ``assumptions``), in order."""
        return tuple(s for s in self.specs if s.section == section)

    def names(self, role: str) -> tuple[str, ...]:
        return tuple(s.name for s in self.specs if s.role == role)

    def paths(self, section: str | None = None) -> tuple[InputSpec, ...]:
        """Entries given as year paths (every form except project lists)."""
        return tuple(s for s in self.specs if s.form == "path" and (section is None or s.section == section))

    @cached_property
    def drivers(self) -> dict[str, DriverSpec]:
        """driver name -> DriverSpec, every mode of every entry."""
        out = {}
        for s in self.specs:
            for mode, m in s.modes.items():
                out[m.driver] = DriverSpec(m.driver, s.dims, m.neutral, m.unit, s.name, mode)
            for extra in s.also_fills:
                m = s.modes[s.default_mode]
                out[extra] = DriverSpec(extra, s.dims, 0.0, m.unit, s.name, s.default_mode)
        return out

    def with_entries(self, extra: Iterable[InputSpec]) -> Registry:
        """A new registry with ``extra`` entries appended (tests, extensions)."""
        return Registry((*self.specs, *extra))


def _rate(driver: str, unit: str, low: float, high: float) -> dict[str, ModeSpec]:
    return {"rate": ModeSpec(driver, unit, low, high)}


def _lever(name, dims, modes, family, label_en, label_zh, plan_task, **kw) -> InputSpec:
    return InputSpec(name, "instrument", dims, modes, family, label_en, label_zh, plan_task, **kw)


def _assumption(name, dims, modes, family, label_en, label_zh, **kw) -> InputSpec:
    return InputSpec(name, "assumption", dims, modes, family, label_en, label_zh, **kw)


_CANCELS_IN_XD_SHARE = (
    "Cancels in the scored export share by construction: Zhejiang's export delivery grows with China's "
    "(dln XD_i = dln XD_CN - eta_p dln p_rel + kappa (dln A_i - dln A_CN)), so China's growth moves the "
    "share only where Zhejiang's delivery hits its sales cap. Stays: it sets the level of both export "
    "series (reported, unscored) and would matter for a target on export value.")

_SPECS = (
    # ------------------------------------------------------------------ levers (instruments)
    _lever("large_projects", "ts",
           {"projects": ModeSpec("large_project_investment", "100m_yuan_2003_per_year", 0.0, 5000.0)},
           "production", "Large projects (task 9)", "重大项目(任务9)", "9", form="projects",
           also_fills=("large_project_completion",)),
    _lever("renovation_grants", "t", _rate("renovation_grants", "100m_yuan_nominal_per_year", 0.0, 500.0),
              "investment", "Technical-renovation grants and interest subsidies", "技术改造补助和贴息", "7, 25"),
    _lever("rd_special_fund", "t", _rate("rd_special_fund", "100m_yuan_nominal_per_year", 0.0, 500.0),
              "rd", "Provincial special fund for R&D (grants)", "省先进制造业专项资金(研发)", "11, 25"),
    _lever("rd_tax_credit", "t", _rate("rd_tax_credit", "fraction_of_rd", 0.0, 0.5),
              "rd", "R&D tax credit beyond the 2003 regime (share of R&D)", "研发费用税收抵免(超出2003年政策部分)", "11, 12"),
    _lever("fdi_promotion", "t", _rate("fdi_promotion", "100m_yuan_nominal_per_year", 0.0, 200.0),
              "fdi", "Investment promotion and concessions beyond the 2003 effort", "招商引资投入(超出2003年部分)", "14"),
    _lever("informatization_subsidy", "t",
              _rate("informatization_subsidy", "10k_yuan_nominal_per_adopter", 0.0, 100.0),
              "diffusion", "ERP / informatization subsidy per adopting firm", "企业信息化(ERP)每户补助", "10"),
    _lever("efficiency_spending", "ts",
              _rate("efficiency_spending", "100m_yuan_nominal_per_year", 0.0, 100.0),
              "energy", "Energy-saving retrofit spending (programme)", "节能技术改造资金(项目)", "19"),
    _lever("clean_production_audits", "t",
              _rate("clean_production_audits", "audits_per_year", 0.0, 5000.0),
              "energy", "Clean-production audits funded", "资助的清洁生产审核(家/年)", "19"),
    _lever("power_capacity", "t",
              {"growth": ModeSpec("power_capacity_growth", "fraction_per_year", 0.0, 0.5)},
              "power", "Generating capacity in the province (new power plants)", "省内发电装机(新建电源项目)", "22"),
    _lever("new_brands", "t", _rate("new_brands", "count_per_year", -50.0, 200.0),
              "counters", "New well-known brands per year", "每年新增名牌产品", "18"),
    _lever("new_key_parks", "t", _rate("new_key_parks", "count_per_year", -50.0, 200.0),
              "counters", "Key parks designated per year (net)", "每年新增重点园区(净)", "16"),
    _lever("new_national_bases", "t", _rate("new_national_bases", "count_per_year", -10.0, 50.0),
              "counters", "National industrial bases added per year", "每年新增国家级产业基地", "3"),
    _lever("new_small_giants", "t", _rate("new_small_giants", "count_per_year", -50.0, 200.0),
              "counters", '"Small giants" cultivated per year', '每年培育"小型巨人"企业', "17"),
    # ------------------------------------------------------------- assumptions
    _assumption("fdi_external_growth", "t", _rate("fdi_external_growth", "fraction_per_year", -0.5, 1.0),
              "fdi", "Growth of FDI reaching Zhejiang without extra promotion (USD)", "无新增招商投入时的外资增长率"),
    _assumption("fiscal_expenditure_growth", "t",
              _rate("fiscal_expenditure_growth", "fraction_per_year", -0.2, 0.5),
              "budget", "Growth of Zhejiang local fiscal expenditure (nominal)", "浙江地方财政支出增长率(现价)"),
    _assumption("programme_budget_share", "t",
              _rate("programme_budget_share", "share_of_local_expenditure", 0.0, 0.5),
              "budget", "Share of local expenditure available for the manufacturing instruments",
              "可用于先进制造业政策工具的地方财政支出比例"),
    _assumption("labour_growth", "ts", _rate("labour_growth", "fraction_per_year", -0.2, 0.3),
              "production", "Growth of labour input", "劳动投入增长率"),
    _assumption("world_demand_growth", "t", _rate("world_demand_growth", "fraction_per_year", -0.3, 0.5),
              "trade", "Real growth of world import demand", "世界进口需求实际增长率",
              sensitivity_note=_CANCELS_IN_XD_SHARE),
    _assumption("china_share_drift", "t", _rate("china_share_drift", "log_points_per_year", -0.2, 0.3),
              "trade", "China's export market-share drift", "中国出口市场份额漂移",
              sensitivity_note=_CANCELS_IN_XD_SHARE),
    _assumption("china_tfp_growth", "t", _rate("china_tfp_growth", "fraction_per_year", -0.05, 0.15),
              "trade", "National manufacturing TFP growth", "全国制造业全要素生产率增长率"),
    _assumption("china_output_growth", "ts", _rate("china_output_growth", "fraction_per_year", -0.3, 0.6),
              "trade", "Real growth of national sector output", "全国行业产出实际增长率"),
    _assumption("relative_export_price_growth", "ts",
              _rate("relative_export_price_growth", "fraction_per_year", -0.3, 0.3),
              "trade", "Zhejiang export price relative to competitors, growth", "相对出口价格变化率"),
    _assumption("exchange_rate", "t",
              {"level": ModeSpec("exchange_rate", "yuan_per_usd", 4.0, 12.0, neutral=math.nan)},
              "trade", "Exchange rate (yuan per USD)", "人民币汇率(元/美元)", required=True),
    _assumption("power_purchases", "t", _rate("power_purchases", "10k_kw_at_peak", 0.0, 3000.0),
              "power", "Power bought from outside the province at the peak", "高峰时段外购电力"),
    _assumption("other_electricity_growth", "t",
              _rate("other_electricity_growth", "fraction_per_year", -0.2, 0.4),
              "power", "Growth of electricity use outside manufacturing", "制造业以外用电增长率"),
    _assumption("output_price_inflation", "t",
              _rate("output_price_inflation", "fraction_per_year", -0.2, 0.3),
              "prices", "Producer (ex-factory) price inflation of manufacturing output", "工业品出厂价格涨幅",
              sensitivity_note="Prices cancel in the scored ratios (R&D / sales and the export share are real / "
              "real, the FDI share nominal / nominal); they act only through the nominal 10 bn threshold of "
              "firms_over_10bn and the real value of nominal instruments, both small over 2004-07. Stays: "
              "the producer-price path is a state of the world the issue asked for (#12, Prices)."),
    _assumption("investment_price_inflation", "t",
              _rate("investment_price_inflation", "fraction_per_year", -0.2, 0.3),
              "prices", "Investment price inflation", "固定资产投资价格涨幅"),
)

REGISTRY = Registry(_SPECS)
#: entries given as year paths (every entry but the project list ``large_projects``), by name
INPUTS: dict[str, InputSpec] = {s.name: s for s in REGISTRY.paths()}
LEVERS = tuple(s.name for s in REGISTRY.paths("levers"))
ASSUMPTIONS = tuple(s.name for s in REGISTRY.paths("assumptions"))
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
