"""High-level Python API: load the calibrated model once, run scenarios, evaluate samples.

    >>> from model import load_scenario, run_scenario
    >>> result = run_scenario("scenarios/plan-2004.yaml")
    >>> result.scorecard()            # one row per plan target
    >>> result.projection_frame()     # tidy (year, sector, variable, value, unit)

For many runs (sensitivity analysis), ``evaluate(model, params, drivers, switches)`` takes
parameter and driver arrays with a leading run dimension and returns the projection and the
indicator paths; ``evaluate_indicators`` (same arguments) returns the indicators alone, the same
values without keeping ~24 KB of projection a run (what the sensitivity studies call).

The model owns its input space (as in EMA Workbench): ``model.input_space`` lists the levers
(policies: the registry's instruments), the uncertainties (states of the world: assumptions and
parameters), the outcomes (plan targets) and the constants. ``resolve_inputs(model, scenario)``
resolves a scenario once into a picklable ``ScenarioInputs``; ``experiments(model, inputs,
policies, states, combine="factorial" | "pairs")`` stacks P policies x W states for one call:

    >>> model = load_model()
    >>> plan = resolve_inputs(model, "scenarios/plan-2004.yaml")
    >>> e = experiments(model, plan, {"levers.rd_special_fund": [0, 30]}, {"parameters.rd_return": [0.1, 0.3]})
    >>> _, inds = evaluate(model, e.params, e.drivers, e.switches)   # inds[k].value[i] = row i
    >>> e.policy, e.state                                             # which policy / state row i is
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
from model.scenario.registry import REGISTRY, InputSpec, Registry
from model.scenario.resolve import resolve_drivers, resolve_parameters
from model.sectors import load_sectors
from model.targets import Target, first_year_met, load_targets

# Rows per evaluate call for callers that keep only part of the outputs (sensitivity, search):
# evaluating a large sample in blocks of this size keeps memory bounded by the block (the
# projection of one run is ~26 KB). One evaluate call of any size costs the same per run: the
# compiled core (model/kernel.py) writes the outputs directly, with no temporaries growing with R.
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

    @property
    def input_space(self) -> InputSpace:
        """Levers (policies), uncertainties (states of the world), outcomes, constants."""
        return input_space(self)


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
    """Simulate R runs at once and compute the plan indicators (arrays (R, T)).

    The compiled kernel steps through the runs (in tasks of ``core.PARALLEL_CHUNK`` runs over
    numba's threads from ``core.PARALLEL_MIN_RUNS`` runs on) and computes each run's indicators
    right after it (``indicators.simulate_with_indicators``: the values of ``core.simulate`` then
    ``indicators.compute``), so memory is the outputs alone (flat per run, ~26 KB with the
    projection) and the time per run does not depend on R.
    """
    return _simulate_with_indicators(model, params, drivers, switches, keep_projection=True)


def evaluate_indicators(
    model: Model,
    params: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
    switches: Mapping[str, str],
) -> dict[str, indicators.Indicator]:
    """The plan indicators of :func:`evaluate` (the same values bit for bit) without its projection.

    Each run's outputs stay in a small buffer in cache and only its indicators reach memory
    (~3 KB a run instead of ~24 KB): the form for studies that read indicators only (the Sobol
    and Morris designs of ``model.studies.sensitivity``).
    """
    return _simulate_with_indicators(model, params, drivers, switches, keep_projection=False)[1]


def _simulate_with_indicators(model, params, drivers, switches, keep_projection):
    """``indicators.simulate_with_indicators`` with the model's base and indicator constants."""
    return indicators.simulate_with_indicators(
        model.base,
        params,
        drivers,
        model.base.high_tech,
        model.st_to_rd_ratio,
        model.foreign_funding_share_china,
        switches,
        keep_projection=keep_projection,
    )


def run_scenario(
    scenario: Scenario | str | Path,
    model: Model | None = None,
    parameters: Mapping[str, float | np.ndarray] | None = None,
    levers: Mapping[str, object] | None = None,
) -> RunResult:
    """Run one scenario at its central parameter values (plus any ``parameters`` overrides).

    ``parameters`` and ``levers`` let a notebook change inputs without editing files:

        >>> run_scenario("scenarios/plan-2004.yaml", parameters={"rd_return": 0.3})
        >>> run_scenario("scenarios/plan-2004.yaml", levers={
        ...     "rd_special_fund": 30,                        # 100m yuan/yr (current prices), 2004-2010
        ...     "fdi_promotion": {2004: 0, 2010: 12},         # a path by year, interpolated
        ...     "rd_tax_credit": "10%",                       # shares may be written as percentages
        ...     "efficiency_spending": {"values": 1, "sectors": {"chemicals": 5}},  # the file form
        ... })

    Each lever value is read as the same entry in a child scenario file that ``extends`` this
    one (it replaces the scenario's whole entry), in the unit of the lever's mode (``mfgbase
    levers`` lists them), and validated the same way: registry names, every number finite and
    in range (:func:`model.scenario.loader.with_levers`; a ScenarioError names the lever, the
    value, the range and the unit). ``result.scenario`` holds the scenario actually run.
    """
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if levers:
        from model.scenario.loader import with_levers

        scen = with_levers(scen, dict(levers))
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


# ----------------------------------------------------------------------------- input space
# The model owns its input space, as in exploratory modelling (EMA Workbench): levers are the
# policies planners choose (the registry's instruments), uncertainties the states of the world
# (the registry's assumptions and the parameters of calibration/priors.yaml), outcomes the plan
# targets, constants the fixed facts of the base year. Experiments are policies x states.


@dataclass(frozen=True)
class Dimension:
    """One axis of the input space.

    ``key`` is the scenario-file path (``levers.rd_special_fund``, ``assumptions.exchange_rate``,
    ``parameters.alpha_k``); ``kind`` is ``lever`` (a decision) or ``uncertainty`` (a state of
    the world); ``target`` the core driver (``target_kind`` ``driver``, the entry's default mode)
    or the parameter name (``parameter``). ``[low, high]`` in ``unit``.
    """

    key: str
    kind: str
    target: str
    target_kind: str
    unit: str
    low: float
    high: float
    label_en: str
    label_zh: str
    family: str


@dataclass(frozen=True)
class InputSpace:
    """Levers (policies), uncertainties (states of the world), outcomes and constants of a Model."""

    levers: tuple[Dimension, ...]
    uncertainties: tuple[Dimension, ...]
    outcomes: tuple[str, ...]  # plan target ids (indicator paths in RunResult / evaluate)
    constants: Mapping[str, float]

    def __getitem__(self, key: str) -> Dimension:
        for d in (*self.levers, *self.uncertainties):
            if d.key == key:
                return d
        raise KeyError(f"{key!r} is not an input of the model; levers: "
                       f"{', '.join(d.key for d in self.levers)}; uncertainties: assumptions.<name>, parameters.<name>")


def _driver_dimension(inp: InputSpec, kind: str) -> Dimension:
    ms = inp.modes[inp.default_mode]
    return Dimension(inp.key, kind, ms.driver, "driver", ms.unit, ms.low, ms.high,
                     inp.label_en, inp.label_zh, inp.family)


def input_space(model: Model, registry: Registry = REGISTRY) -> InputSpace:
    """The input space of ``model`` with the levers and assumptions of ``registry``.

    Levers and assumptions given as year paths count (``large_projects``, a list, does not);
    a lever's dimension is its default mode, a value that holds in every year 2004-2010.
    """
    levers = tuple(_driver_dimension(i, "lever") for i in registry.paths("levers"))
    states = [_driver_dimension(i, "uncertainty") for i in registry.paths("assumptions")]
    for name, ps in model.parameters.specs.items():
        states.append(Dimension(f"parameters.{name}", "uncertainty", name, "parameter", ps.unit,
                                float(ps.low), float(ps.high), ps.label_en, ps.label_zh, ps.family))
    constants = {
        "st_to_rd_ratio": model.st_to_rd_ratio,
        "foreign_funding_share_china": model.foreign_funding_share_china,
        "firm_size_threshold_100m_yuan": core.FIRM_SIZE_THRESHOLD_100M_YUAN,
        "rd_growth_presample": float(getattr(model.base, "rd_growth_presample", np.nan)),
    }
    return InputSpace(levers, tuple(states), tuple(t.target_id for t in model.targets), constants)


@dataclass(frozen=True)
class ScenarioInputs:
    """A scenario resolved to model inputs, with no run dimension; picklable (no file access).

    ``modes``/``paths``/``sector_paths``: for every year-path entry of ``registry``, the mode
    used and the province-wide path over YEARS (its neutral value when the chain never sets it)
    and the per-sector override paths; ``large_projects`` the validated project list;
    ``parameter_block`` the scenario's ``parameters:`` as written (validated), ``overrides`` the
    same resolved to floats / (S,) arrays; ``drivers`` the core drivers (T,) / (T, S);
    ``switches`` the definition switches with defaults filled in.
    """

    scenario_id: str
    path: str
    registry: Registry
    sectors: tuple[str, ...]
    modes: Mapping[str, str]
    paths: Mapping[str, np.ndarray]
    sector_paths: Mapping[str, Mapping[str, np.ndarray]]
    large_projects: tuple
    parameter_block: Mapping[str, object]
    overrides: Mapping[str, float | np.ndarray]
    drivers: Mapping[str, np.ndarray]
    switches: Mapping[str, str]


def resolve_inputs(model: Model, scenario: Scenario | str | Path) -> ScenarioInputs:
    """Resolve a scenario (or a scenario file) once: everything a run, a diff or a study needs."""
    from model.scenario.resolve import interpolate

    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    spec = scen.spec
    overrides, drivers, switches = scenario_inputs(model, scen)
    modes, paths, sector_paths = {}, {}, {}
    for inp in spec.registry.paths():
        given = getattr(getattr(spec, inp.section), inp.name)
        mode = (given.mode if given is not None else None) or inp.default_mode
        modes[inp.name] = mode
        neutral = inp.modes[mode].neutral
        paths[inp.name] = interpolate(given.values) if given is not None else np.full(len(core.YEARS), neutral)
        sector_paths[inp.name] = {s: interpolate(v) for s, v in given.sectors.items()} if given is not None else {}
    projects = tuple(getattr(spec.levers, "large_projects", None) or ())
    return ScenarioInputs(
        scen.id, str(scen.path), spec.registry, model.sector_ids, modes, paths, sector_paths, projects,
        dict(spec.parameters), overrides, drivers, switches,
    )


# ----------------------------------------------------------------------------- experiments
@dataclass(frozen=True)
class Experiments:
    """Stacked inputs of n runs for one vectorised :func:`evaluate` call.

    Row k is policy ``policy[k]`` under state of the world ``state[k]``; ``params`` (n,) or
    (n, S), ``drivers`` (1 | n, T[, S]).
    """

    params: dict[str, np.ndarray]
    drivers: dict[str, np.ndarray]
    switches: Mapping[str, str]
    policy: np.ndarray
    state: np.ndarray

    @property
    def n(self) -> int:
        return int(self.policy.size)


def _columns(space: InputSpace, values: Mapping[str, object] | None, kind: str) -> tuple[dict, int]:
    """Validated value arrays (m,) or (m, 7 horizon years) per key, and their common count m."""
    out, count = {}, None
    for key, raw in (values or {}).items():
        dim = space[key]
        if dim.kind != kind:
            what = "a lever (a decision): give it as a policy" if dim.kind == "lever" else \
                "a state of the world: give it as a state, not a policy"
            raise ValueError(f"{key} is {what}")
        arr = np.asarray(raw, dtype=float)
        horizon = len(core.YEARS) - 1
        if arr.ndim not in (1, 2) or (arr.ndim == 2 and (dim.target_kind != "driver" or arr.shape[1] != horizon)):
            raise ValueError(f"{key}: give one value per {kind} (m,)"
                             + (f" or a path per {kind} (m, {horizon}) over 2004-2010" if dim.target_kind == "driver" else ""))
        bad = ~np.isfinite(arr) | (arr < dim.low) | (arr > dim.high)
        if bad.any():
            raise ValueError(f"{key}: value {arr[bad].ravel()[0]:g} out of range; allowed {dim.low:g} to {dim.high:g} {dim.unit}")
        if count is not None and arr.shape[0] != count:
            raise ValueError(f"every {kind} input needs the same number of {kind}s: {key} has {arr.shape[0]}, others {count}")
        count = arr.shape[0]
        out[key] = (dim, arr)
    return out, 1 if count is None else count


def experiments(
    model: Model,
    inputs: ScenarioInputs,
    policies: Mapping[str, object] | None = None,
    states: Mapping[str, object] | None = None,
    combine: str = "factorial",
) -> Experiments:
    """Combine P policies and W states of the world into the stacked inputs of one evaluate call.

    ``policies``: lever key -> P values (one per policy, in the lever's unit, holding in every
    year 2004-2010) or (P, 7) paths; ``states``: ``assumptions.<name>`` (values or paths, as for
    levers) or ``parameters.<name>`` -> W values. Inputs not named keep the scenario's values.
    ``combine``: ``factorial`` (every policy under every state, P x W rows, policy-major) or
    ``pairs`` (policy i with state i; P must equal W). Run them with
    ``evaluate(model, e.params, e.drivers, e.switches)`` (in blocks of CORE_BLOCK_ROWS for large n).

        >>> e = experiments(model, resolve_inputs(model, "scenarios/plan-2004.yaml"),
        ...                 policies={"levers.rd_special_fund": [0, 20, 40]},
        ...                 states={"parameters.rd_return": [0.1, 0.3]})
        >>> e.n, e.policy, e.state   # 6, [0 0 1 1 2 2], [0 1 0 1 0 1]
    """
    space = input_space(model, inputs.registry)
    pol, n_pol = _columns(space, policies, "lever")
    sta, n_sta = _columns(space, states, "uncertainty")
    if combine == "factorial":
        p_idx, s_idx = np.repeat(np.arange(n_pol), n_sta), np.tile(np.arange(n_sta), n_pol)
    elif combine == "pairs":
        if policies and states and n_pol != n_sta:
            raise ValueError(f"pairs needs as many policies as states: {n_pol} policies, {n_sta} states")
        n = max(n_pol, n_sta)
        p_idx = s_idx = np.arange(n)
    else:
        raise ValueError(f"combine {combine!r}; allowed: factorial, pairs")
    n = p_idx.size
    n_sec = len(inputs.sectors)
    # per-sector overrides (S,) stay per sector whatever n is (ParameterSet.arrays reads a
    # 1-D array of length n as one value per run)
    overrides = {k: (np.broadcast_to(v, (n, n_sec)).copy() if np.ndim(v) == 1 else v)
                 for k, v in inputs.overrides.items()}
    drivers = {k: np.asarray(v, dtype=float)[None, ...] for k, v in inputs.drivers.items()}
    for cols, idx in ((pol, p_idx), (sta, s_idx)):
        for dim, arr in cols.values():
            rows = arr[idx]
            if dim.target_kind == "parameter":
                overrides[dim.target] = rows
                continue
            base = np.asarray(inputs.drivers[dim.target], dtype=float)  # (T,) or (T, S)
            cur = np.broadcast_to(base, (n, *base.shape)).copy()
            values = rows if rows.ndim == 2 else np.repeat(rows[:, None], base.shape[0] - 1, axis=1)
            cur[:, 1:, ...] = values.reshape(values.shape + (1,) * (base.ndim - 1))
            drivers[dim.target] = cur
    return Experiments(model.parameters.arrays(n, overrides), drivers, dict(inputs.switches), p_idx, s_idx)
