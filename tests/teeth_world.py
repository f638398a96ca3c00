"""The "test world" of the teeth tests: the real 2003 base year, the calibrated central
parameters and a set of simple, known driver paths chosen so that every effect has a known
sign (FDI grows faster than domestic investment, so the foreign capital share rises; Zhejiang
TFP grows faster than China's; every sector gets retrofit spending; generating capacity grows
40 %/yr, so the power supply is ample and never curtails output here - the shortage world of
``tests/test_energy_power.py`` covers rationing; ...).

``World.run(moves)`` evaluates the base run, then every move in ONE vectorised call of the
core (runs stacked on the leading axis), and returns an ``Outputs`` accessor per run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from model import core, indicators
from model.run import load_model
from model.scenario.resolve import neutral_drivers

Y03, Y04, Y05, Y07 = (core.YEARS.index(y) for y in (2003, 2004, 2005, 2007))

#: driver paths of the test world (all years after 2003; province-wide unless noted)
WORLD_DRIVERS: dict[str, float] = {
    "exchange_rate": 8.0,                 # yuan per USD (a round test value, not the statistic)
    "fdi_external_growth": 0.30,          # FDI faster than domestic investment: foreign share rises
    "labour_growth": 0.01,                # capital grows faster than labour
    "renovation_grants": 5.0,             # 100m yuan nominal per year
    "rd_special_fund": 5.0,               # 100m yuan nominal per year
    "rd_tax_credit": 0.02,                # share of R&D
    "fdi_promotion": 2.0,                 # 100m yuan nominal per year
    "informatization_subsidy": 5.0,       # 10k yuan per adopter
    "world_demand_growth": 0.05,
    "china_share_drift": 0.0,
    "china_tfp_growth": 0.0,              # Zhejiang TFP grows faster than China's
    "china_output_growth": 0.10,
    "relative_export_price_growth": 0.01,
    "output_price_inflation": 0.02,
    "investment_price_inflation": 0.02,
    "fiscal_expenditure_growth": 0.10,
    "programme_budget_share": 0.05,
    "efficiency_spending": 1.0,            # 100m yuan nominal per sector and year
    "power_capacity_growth": 0.4,         # ample supply: no rationing in the test world
    "power_purchases": 100.0,             # 10k kW at the peak
    "other_electricity_growth": 0.10,
    "clean_production_audits": 50.0,      # audits per year
    "new_brands": 5.0,
    "new_key_parks": 5.0,
    "new_national_bases": 1.0,
    "new_small_giants": 5.0,
}


@dataclass
class Outputs:
    """Scalar outputs of one run (sector totals unless a name says otherwise)."""

    proj: core.Projection
    params: Mapping[str, np.ndarray]
    drivers: Mapping[str, np.ndarray]
    run: int
    world: World
    _inds: dict = field(default_factory=dict)

    def var(self, name: str, t: int, mask: np.ndarray | None = None) -> float:
        a = self.proj[name][self.run, t]
        if a.ndim == 0:
            return float(a)
        return float(a.sum() if mask is None else a[mask].sum())

    def mean(self, name: str, t: int, mask: np.ndarray | None = None) -> float:
        a = self.proj[name][self.run, t]
        return float(a.mean() if mask is None else a[mask].mean())

    def ind(self, name: str, t: int, **switches) -> float:
        key = tuple(sorted(switches.items()))
        if key not in self._inds:
            m = self.world.model
            self._inds[key] = indicators.compute(self.proj, self.params, m.base.high_tech,
                                                 m.st_to_rd_ratio, m.foreign_funding_share_china,
                                                 switches)
        return float(self._inds[key][name].value[self.run, t])

    def p(self, name: str) -> float:
        return float(np.asarray(self.params[name])[self.run])

    def d(self, name: str, t: int) -> float:
        """Driver value of this run (first sector for sector drivers)."""
        a = np.asarray(self.drivers[name])
        a = a[self.run] if a.shape[0] > 1 else a[0]
        return float(a[t] if a.ndim == 1 else a[t, 0])

    def __getitem__(self, key: str) -> float:
        return OUTPUTS[key](self)


def _dom(o: Outputs, t: int) -> float:
    """Domestic investment of year t (total)."""
    return o.var("investment_domestic", t)


#: name -> scalar of a run. Year suffix = that year, none = the target year 2007.
OUTPUTS: dict[str, Callable[[Outputs], float]] = {
    "va": lambda o: o.var("value_added", Y07),
    "va_2003": lambda o: o.var("value_added", Y03),
    "va_2004": lambda o: o.var("value_added", Y04),
    "capital": lambda o: o.var("capital", Y07),
    "investment_2004": lambda o: o.var("investment", Y04),
    "investment_2005": lambda o: o.var("investment", Y05),
    "domestic_investment_2003": lambda o: _dom(o, Y03),
    "domestic_investment_2004": lambda o: _dom(o, Y04),
    "domestic_investment_2005": lambda o: _dom(o, Y05),
    "fdi_investment_2005": lambda o: o.var("investment_fdi", Y05),
    "large_projects_2005": lambda o: o.var("investment", Y05) - o.var("investment_fdi", Y05) - _dom(o, Y05),
    "tfp": lambda o: o.mean("tfp", Y07),
    "tfp_2004": lambda o: o.mean("tfp", Y04),
    "tfp_hightech": lambda o: o.mean("tfp", Y07, o.world.model.base.high_tech),
    "foreign_capital_share": lambda o: o.mean("foreign_capital_share", Y07),
    "rd_2004": lambda o: o.var("rd", Y04),
    "rd_own_2004": lambda o: o.var("rd_own", Y04),
    "rd_2005": lambda o: o.var("rd", Y05),
    "va_2005": lambda o: o.var("value_added", Y05),
    "capital_2005": lambda o: o.var("capital", Y05),
    "budget": lambda o: o.var("budget_envelope", Y07),
    "cost_renovation_grants": lambda o: o.var("cost_renovation_grants", Y07),
    "cost_rd_special_fund": lambda o: o.var("cost_rd_special_fund", Y07),
    "cost_total": lambda o: sum(o.var(k, Y07) for k in o.proj.values if k.startswith("cost_")),
    "sales_2005": lambda o: o.var("sales", Y05),
    "rd_ratio": lambda o: o.ind("rd_sales_ratio", Y07),
    "rd_ratio_2003": lambda o: o.ind("rd_sales_ratio", Y03),
    "rd_ratio_2005": lambda o: o.ind("rd_sales_ratio", Y05),
    "rd_ratio_hightech_2003": lambda o: o.ind("rd_sales_ratio_hightech", Y03),
    "rd_ratio_st": lambda o: o.ind("rd_sales_ratio", Y07, rd_definition="st_activities"),
    "xd": lambda o: o.var("export_delivery", Y07),
    "xd_2003": lambda o: o.var("export_delivery", Y03),
    "xd_2004": lambda o: o.var("export_delivery", Y04),
    "xd_share": lambda o: o.ind("xd_share_china", Y07),
    "xd_share_2003": lambda o: o.ind("xd_share_china", Y03),
    "china_xd_2004": lambda o: o.var("china_export_delivery", Y04),
    "fdi_usd": lambda o: o.var("fdi_actually_used", Y07),
    "fdi_yuan_2004": lambda o: o.var("fdi_manufacturing_nominal", Y04),
    "fdi_share": lambda o: o.ind("fdi_share", Y07),
    "fdi_share_a": lambda o: o.ind("fdi_share", Y07, fdi_reading="a"),
    "sales_nominal_2004": lambda o: o.var("sales_nominal", Y04),
    "price_ratio_2004": lambda o: o.var("sales_nominal", Y04) / o.var("sales", Y04),
    "energy": lambda o: o.var("energy", Y07),
    "energy_2003": lambda o: o.var("energy", Y03),
    "energy_2004": lambda o: o.var("energy", Y04),
    "energy_intensity": lambda o: o.ind("energy_intensity", Y07),
    "energy_intensity_change": lambda o: o.ind("energy_intensity_change", Y07),
    "firms": lambda o: o.ind("firms_over_10bn", Y07),
    "firms_growth": lambda o: o.ind("firms_over_10bn", Y07) / o.ind("firms_over_10bn", Y03),
    "erp": lambda o: o.ind("erp_share", Y07),
    "erp_2003": lambda o: o.ind("erp_share", Y03),
    "erp_2004": lambda o: o.ind("erp_share", Y04),
    "erp_lm": lambda o: o.ind("erp_share", Y07, erp_denominator="large_medium"),
    "erp_lm_2003": lambda o: o.ind("erp_share", Y03, erp_denominator="large_medium"),
    "informatized": lambda o: o.ind("informatized_large_medium", Y07),
    "informatized_2003": lambda o: o.ind("informatized_large_medium", Y03),
    "informatized_2004": lambda o: o.ind("informatized_large_medium", Y04),
    "clean": lambda o: o.ind("clean_production", Y07),
    "clean_2003": lambda o: o.ind("clean_production", Y03),
    "clean_2004": lambda o: o.ind("clean_production", Y04),
    "audits_2004": lambda o: o.var("clean_production_audits_done", Y04),
    "cost_audits_2004": lambda o: o.var("cost_clean_production_audits", Y04),
    "retrofit_2004": lambda o: o.mean("retrofit_stock", Y04),
    "retrofit": lambda o: o.mean("retrofit_stock", Y07),
    "cost_retrofit_2004": lambda o: o.var("cost_efficiency_spending", Y04),
    "el_demand_2004": lambda o: o.var("electricity_demand_mfg", Y04),
    "el_other_2004": lambda o: o.var("electricity_demand_other", Y04),
    "peak_2004": lambda o: o.var("power_peak_demand", Y04),
    "supply_2004": lambda o: o.var("power_supply_peak", Y04),
    "capacity_2004": lambda o: o.var("power_capacity", Y04),
    "shortfall": lambda o: o.var("power_shortfall", Y07),
    "shortfall_2003": lambda o: o.var("power_shortfall", Y03),
    "curtailed_va": lambda o: o.var("curtailed_value_added", Y07),
    "effort_power_2004": lambda o: o.var("effort_power_capacity", Y04),
    "invest_power_2004": lambda o: o.var("investment_power_nominal", Y04),
    "brands": lambda o: o.ind("brands", Y07),
    "parks": lambda o: o.ind("key_parks", Y07),
    "bases": lambda o: o.ind("national_bases", Y07),
    "giants": lambda o: o.ind("small_giants", Y07),
    "centres": lambda o: o.ind("national_centres", Y07),
    "china_go_2004": lambda o: o.var("china_gross_output", Y04),
    "hightech_share": lambda o: o.ind("hightech_output_share", Y07),
}


@dataclass(frozen=True)
class Move:
    """One input moved in one run: ``apply(params, drivers, run, base)`` edits the stacked
    arrays in place (``base``: the Outputs of the unmoved run)."""

    label: str
    apply: Callable


class World:
    """The test world; ``run(moves)`` -> (base Outputs, [Outputs per move])."""

    @cached_property
    def model(self):
        return load_model()

    def drivers(self) -> dict[str, np.ndarray]:
        s = len(self.model.base.sectors)
        drv = neutral_drivers(s)
        for name, value in WORLD_DRIVERS.items():
            drv[name][...] = value
        return {k: np.asarray(v, dtype=float)[None, ...] for k, v in drv.items()}

    def _simulate(self, params, drivers) -> core.Projection:
        return core.simulate(self.model.base, params, drivers)

    @property
    def base(self) -> Outputs:
        """The unmoved run, simulated afresh (nothing cached across tests, so every test that
        reads a result also ran the core: mutation tools attribute the core to each test)."""
        params = self.model.parameters.arrays(1)
        drivers = self.drivers()
        return Outputs(self._simulate(params, drivers), params, drivers, 0, self)

    def run(self, moves: list[Move]) -> tuple[Outputs, list[Outputs]]:
        """(unmoved run, [one run per move]); the moves are stacked on the run axis and
        evaluated in one core call after the unmoved run (level moves read it)."""
        base = self.base
        n = len(moves)
        params = self.model.parameters.arrays(n)
        params = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
        drivers = {k: np.repeat(v, n, axis=0) for k, v in self.drivers().items()}
        for i, mv in enumerate(moves):
            mv.apply(params, drivers, i, base)
        proj = self._simulate(params, drivers)
        return base, [Outputs(proj, params, drivers, i, self) for i in range(n)]


WORLD = World()
