"""High-level Python API: load the calibrated model once, run scenarios, evaluate samples.

    >>> from model import load_scenario, run_scenario
    >>> result = run_scenario("scenarios/plan-2004.yaml")
    >>> result.scorecard()            # one row per plan target
    >>> result.projection_frame()     # tidy (year, sector, variable, value, unit)

For many runs (sensitivity analysis), ``evaluate(model, scenario, params, drivers)`` takes
parameter and driver arrays with a leading run dimension and returns indicator paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from model import core, indicators
from model.baseyear import BaseYear, build_base_year
from model.energy_history import PowerData, load_groups, power_data
from model.errors import DataError
from model.observations import load_observations, series
from model.parameters import ParameterSet, load_parameters
from model.paths import CALIBRATION_DIR
from model.scenario import Scenario, load_scenario
from model.scenario.resolve import resolve_drivers, resolve_parameters
from model.sectors import load_sectors
from model.targets import Target, first_year_met, load_targets

# Rows per core call that keep the working set in cache (see benchmarks/bench_simulate.py);
# callers evaluating many runs split them into blocks of this size.
CORE_BLOCK_ROWS = 2048


@dataclass(frozen=True)
class Model:
    """Everything a run needs besides the scenario: base year, parameters, sectors, targets."""

    base: core.ModelBase
    base_year: BaseYear
    parameters: ParameterSet
    sectors: pd.DataFrame
    targets: tuple[Target, ...]
    st_to_rd_ratio: float
    foreign_funding_share_china: float
    sources: dict = field(default_factory=dict)
    power: PowerData | None = None  # task 22 base-year facts (rules P1-P8, model/energy_history.py)

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return self.base.sectors


def _national_ratio(obs: pd.DataFrame, num: str, den: str) -> tuple[float, int]:
    """num / den for China in the latest year both exist (returns ratio, year)."""
    a = series(obs, num, region="china")
    b = series(obs, den, region="china")
    years = sorted(set(a.index) & set(b.index))
    if not years:
        raise ValueError(f"no common year for {num} and {den}")
    y = years[-1]
    return float(a[y] / b[y]), int(y)


def fiscal_expenditure_2003(calibration_dir: Path | None = None) -> float:
    """Zhejiang local fiscal expenditure 2003, 100m yuan nominal (calibration/fiscal.csv)."""
    from model.paths import CALIBRATION_DIR

    path = (calibration_dir or CALIBRATION_DIR) / "fiscal.csv"
    df = pd.read_csv(path)
    sel = df[(df.indicator == "local_fiscal_expenditure") & (df.region == "zhejiang") & (df.year == 2003)]
    if sel.empty:
        raise ValueError(f"{path}: no row local_fiscal_expenditure, zhejiang, 2003")
    return float(sel.value.iloc[0])


def model_base(
    base_year: BaseYear, sectors: pd.DataFrame, fiscal_2003: float = float("nan"), firms_2003: float = float("nan")
) -> core.ModelBase:
    """Core base state from the BaseYear, the sector flags and the fiscal / firm-count anchors."""
    by = base_year
    mb = core.ModelBase(
        sectors=tuple(by.sectors),
        high_tech=sectors["high_tech"].astype(bool).to_numpy(),
        value_added=by.value_added,
        gross_output=by.gross_output,
        sales=by.sales,
        capital=by.capital,
        labour=by.labour,
        investment=by.investment,
        export_delivery=by.export_delivery,
        rd=by.rd,
        energy=by.energy,
        china_gross_output=by.china_gross_output,
        china_export_delivery=float(by.china_export_delivery),
        fdi_actually_used=float(by.fdi_actually_used),
        key_firms_count=float(by.key_firms_count),
        key_firms_output=float(by.key_firms_output),
        rd_growth_presample=float(by.rd_growth_presample),
        top_firms_anchor_count=float(by.top_firms_anchor_count),
        alpha_k_relative=by.alpha_k_relative,
        delta_k_relative=by.delta_k_relative,
        local_fiscal_expenditure_2003=float(fiscal_2003),
        above_size_firms_2003=float(firms_2003),
    )
    return mb


def load_model(calibration_dir: str | Path | None = None, yearbook_dir: str | Path | None = None) -> Model:
    """Build the model inputs from calibration/ (cached per directory)."""
    return _load_model(str(calibration_dir or ""), str(yearbook_dir or ""))


@lru_cache(maxsize=4)
def _load_model(calibration_dir: str, yearbook_dir: str) -> Model:
    cdir = Path(calibration_dir) if calibration_dir else None
    ydir = Path(yearbook_dir) if yearbook_dir else None
    obs = load_observations(cdir / "observations.csv" if cdir else None)
    sectors = load_sectors(cdir / "sectors.csv" if cdir else None)
    by = build_base_year(cdir, ydir)
    firms = series(obs, "num_industrial_enterprises_above_size", region="zhejiang")
    base = model_base(by, sectors, fiscal_expenditure_2003(cdir), float(firms.loc[2003]))
    power = power_data(obs, groups=load_groups(cdir / "energy_io_groups.csv" if cdir else None))
    base = replace(
        base,
        electricity_mfg=power.demand_mfg * base.energy / base.energy.sum(),  # P2: split like energy
        electricity_other=power.demand_other,
        power_capacity=power.capacity,
    )
    notes = {"power": "rules P1-P8 (model/energy_history.py): " + "; ".join(power.sources)}
    ffs, ffs_year = _national_ratio(obs, "fai_funds_foreign_investment", "fai_funds_subtotal")
    notes["foreign_funding_share_china"] = f"China fixed-investment funds from foreign investment / total, {ffs_year}"
    targets = tuple(load_targets(cdir / "plan_targets.csv" if cdir else None))
    for tgt in targets:
        if tgt.indicator not in indicators.INDICATORS:
            raise DataError(
                f"{(cdir or CALIBRATION_DIR) / 'plan_targets.csv'}: target {tgt.target_id}, column indicator: "
                f"{tgt.indicator!r} is not an indicator the model computes; allowed: "
                f"{', '.join(sorted(indicators.INDICATORS))}"
            )
    return Model(
        base=base,
        base_year=by,
        parameters=load_parameters(cdir),
        sectors=sectors,
        targets=targets,
        st_to_rd_ratio=float(by.st_to_rd_ratio),
        foreign_funding_share_china=ffs,
        sources=notes,
        power=power,
    )


@dataclass
class RunResult:
    """Projection, indicators and inputs of one scenario run (R runs, usually R = 1)."""

    scenario: Scenario
    model: Model
    projection: core.Projection
    indicators: dict[str, indicators.Indicator]
    params: dict[str, np.ndarray]
    drivers: dict[str, np.ndarray]
    switches: dict[str, str]

    @property
    def years(self) -> tuple[int, ...]:
        return self.projection.years

    def indicator_frame(self, run: int = 0) -> pd.DataFrame:
        """Tidy indicator paths: indicator, year, value, numerator, denominator, unit."""
        rows = []
        for name, ind in self.indicators.items():
            info = indicators.INDICATORS[name]
            for t, year in enumerate(self.years):
                rows.append(
                    {
                        "indicator": name,
                        "year": year,
                        "value": ind.value[run, t],
                        "numerator": ind.numerator[run, t],
                        "denominator": ind.denominator[run, t],
                        "unit": info.unit,
                    }
                )
        return pd.DataFrame(rows)

    def costs(self, run: int = 0) -> pd.DataFrame:
        """Cost by instrument and year (100m yuan nominal) and effort of non-monetary instruments."""
        from model.budget import cost_frame

        return cost_frame(self, run)

    def budget(self, run: int = 0) -> pd.DataFrame:
        """By year: total cost of the instruments, the budget envelope, overrun, over_budget."""
        from model.budget import budget_frame

        return budget_frame(self, run)

    def budget_summary(self, run: int = 0) -> dict:
        """Totals 2004-2010 of cost and envelope, the overrun and the over-budget flag."""
        from model.budget import budget_summary

        return budget_summary(self, run)

    def alternatives(self, run: int = 0) -> pd.DataFrame:
        """Each switch-dependent target under every reading of its definition switch (2007 value).

        Definition switches are structural alternatives, not uncertainties: they are reported
        side by side here and never sampled.
        """
        rows = []
        for switch, readings in indicators.SWITCHES.items():
            affected = indicators.SWITCH_INDICATORS.get(switch, ())
            for reading in readings:
                sw = {**self.switches, switch: reading}
                inds = indicators.compute(
                    self.projection, self.params, self.model.base.high_tech, self.model.st_to_rd_ratio,
                    self.model.foreign_funding_share_china, sw,
                )
                for tgt in self.model.targets:
                    if tgt.indicator not in affected:
                        continue
                    value = float(inds[tgt.indicator].value[run, self.years.index(tgt.year)])
                    rows.append({"target_id": tgt.target_id, "switch": switch, "reading": reading,
                                 "in_scenario": self.switches.get(switch) == reading, "value": value,
                                 "target": tgt.value, "unit": tgt.unit, "met": bool(tgt.met(value)),
                                 "within_band": bool(tgt.within_band(value))})
        return pd.DataFrame(rows)

    def scorecard(self, run: int = 0, probabilities: pd.DataFrame | None = None) -> pd.DataFrame:
        """One row per plan target, scored in the target year.

        ``scoring`` is ``modelled`` or ``decision`` (set by decision, not modelled: no P(met));
        ``within_band`` applies the target's tolerance band for "about X" targets, apart from
        ``met``. ``probabilities`` (from ``model.studies.policy.p_met_given_policy``) adds P(met | policy) columns.
        """
        rows = []
        for tgt in self.model.targets:
            ind = self.indicators[tgt.indicator]
            t = self.years.index(tgt.year)
            value = ind.value[run, t]
            first = first_year_met(tgt, ind.value[run : run + 1], self.years)[0]
            info = indicators.INDICATORS[tgt.indicator]
            rows.append(
                {
                    "task": tgt.task,
                    "target_id": tgt.target_id,
                    "description_en": tgt.description_en,
                    "description_zh": tgt.description_zh,
                    "year": tgt.year,
                    "value": value,
                    "target": tgt.value,
                    "comparator": tgt.comparator,
                    "unit": tgt.unit,
                    "met": bool(tgt.met(value)),
                    "within_band": bool(tgt.within_band(value)),
                    "tolerance": tgt.tolerance,
                    "scoring": tgt.scoring,
                    "gap": float(tgt.gap(value)),
                    "first_year_met": int(first) if first else None,
                    "value_2003": ind.value[run, 0],
                    "value_2010": ind.value[run, -1],
                    "numerator": ind.numerator[run, t],
                    "denominator": ind.denominator[run, t],
                    "numerator_is": info.numerator_en,
                    "denominator_is": info.denominator_en,
                }
            )
        sc = pd.DataFrame(rows)
        if probabilities is not None:
            sc = sc.merge(probabilities, on="target_id", how="left")
        return sc

    def projection_frame(self, run: int = 0) -> pd.DataFrame:
        """Tidy projection: year, sector ('all' for province variables), variable, value, unit."""
        frames = []
        years = np.asarray(self.years)
        for name, arr in self.projection.values.items():
            unit = core.VARIABLES[name][0]
            a = arr[run]
            if a.ndim == 2:
                s = len(self.projection.sectors)
                frames.append(
                    pd.DataFrame(
                        {
                            "year": np.repeat(years, s),
                            "sector": np.tile(self.projection.sectors, len(years)),
                            "variable": name,
                            "value": a.ravel(),
                            "unit": unit,
                        }
                    )
                )
                frames.append(
                    pd.DataFrame({"year": years, "sector": "all", "variable": name, "value": a.sum(axis=1), "unit": unit})
                    if unit.startswith(("100m", "10k_tce"))
                    else pd.DataFrame()
                )
            else:
                frames.append(pd.DataFrame({"year": years, "sector": "all", "variable": name, "value": a, "unit": unit}))
        return pd.concat([f for f in frames if not f.empty], ignore_index=True)


def scenario_inputs(
    model: Model, scenario: Scenario
) -> tuple[dict[str, float | np.ndarray], dict[str, np.ndarray], dict[str, str]]:
    """(parameter overrides, drivers without run dimension, switches) of a scenario."""
    inv_share = model.base.investment / model.base.investment.sum()
    drivers = resolve_drivers(scenario, model.sector_ids, inv_share)
    overrides = resolve_parameters(scenario, model.sector_ids, model.parameters.defaults())
    switches = indicators.check_switches(scenario.spec.switches.model_dump(exclude_none=True))
    return overrides, drivers, switches


def with_runs(drivers: Mapping[str, np.ndarray], n_runs: int = 1) -> dict[str, np.ndarray]:
    """Add a leading run dimension of length 1: every run shares the scenario's paths.

    (The core broadcasts drivers of leading length 1 against the R runs of the parameters;
    pass arrays with leading length R to give each run its own path.)
    """
    return {k: np.asarray(v, dtype=float)[None, ...] for k, v in drivers.items()}


def evaluate(
    model: Model,
    params: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
    switches: Mapping[str, str],
) -> tuple[core.Projection, dict[str, indicators.Indicator]]:
    """Simulate R runs at once and compute the plan indicators (arrays (R, T))."""
    proj = core.simulate(model.base, params, drivers)
    inds = indicators.compute(
        proj,
        params,
        model.base.high_tech,
        model.st_to_rd_ratio,
        model.foreign_funding_share_china,
        switches,
    )
    return proj, inds


def run_scenario(
    scenario: Scenario | str | Path,
    model: Model | None = None,
    parameters: Mapping[str, float | np.ndarray] | None = None,
) -> RunResult:
    """Run one scenario at its central parameter values (plus any ``parameters`` overrides).

    ``parameters`` lets a notebook change a parameter without editing files, e.g.
    ``run_scenario("scenarios/plan-2004.yaml", parameters={"rd_return": 0.3})``.
    """
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    model = model or load_model()
    overrides, drivers, switches = scenario_inputs(model, scen)
    for name, value in (parameters or {}).items():
        if np.ndim(value) >= 1 and name not in core.SECTOR_PARAMETERS:
            raise ValueError(
                f"parameter {name!r} takes one province-wide number; per-sector values are allowed for: "
                f"{', '.join(sorted(core.SECTOR_PARAMETERS))}"
            )
        overrides[name] = value
    params = model.parameters.arrays(1, overrides)
    drv = with_runs(drivers, 1)
    proj, inds = evaluate(model, params, drv, switches)
    return RunResult(scen, model, proj, inds, params, drv, switches)
