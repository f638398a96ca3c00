"""The dashboard's model side (no web code): a start scenario, its controls and one array call per move.

An :class:`Explorer` holds the calibrated model, the start scenario resolved once
(:func:`model.run.resolve_inputs`) and the fixed sample of states of the world of its
``uncertainty:`` block (:func:`model.studies.policy.state_sample`, the sample ``mfgbase run``
uses for P(met | policy)). :meth:`Explorer.evaluate` takes the values a planner set and returns an
:class:`Evaluation` from **one** :func:`model.run.evaluate` call over stacked rows:

- row 0: the central run (the policy at the central parameter values, as ``mfgbase run``);
- rows 1..n: the policy under each of the n states of the world (P(met | policy), the band);
- 2 rows per instrument: the central run with that instrument at the bottom and at the top of
  its allowed range (which instrument "matters most" for a target: the largest swing of the
  target's value in its year, the other instruments held where the planner set them).

Controls (:class:`Control`): every instrument (``levers.<name>``, grouped by plan task), every
external assumption (``assumptions.<name>``) and every behavioural parameter
(``parameters.<name>``). A control set to a value holds it in every year 2004-2010 and every
sector, as ``values: <v>`` in a scenario file does (a path by year or per-sector values of the
start scenario is replaced). An assumption or parameter a planner sets is a belief about the
world: it is held at that value in every state of the world too (the sample's column for it is
replaced), so P(met) is then P(met | policy, that assumption).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.budget import cost_names, total_cost
from model.core import BASE_YEAR, YEARS
from model.run import Model, ScenarioInputs, evaluate, load_model, resolve_inputs
from model.scenario import Scenario, load_scenario
from model.studies.policy import p_met_table, state_sample
from model.studies.sensitivity.adapter import ModelFunction

SECTIONS = ("levers", "assumptions", "parameters")
DEFAULT_STATES = 1000  # as `mfgbase run --draws`
MAX_STATES = 20_000  # bound on the sample a caller may ask for (memory ~ n x drivers)
BAND = (0.05, 0.95)  # quantiles of the uncertainty band of a target's path


@dataclass(frozen=True)
class Control:
    """One slider: an instrument, an assumption or a parameter, in its stored unit.

    ``start`` is the start scenario's value: the parameter's value, or the mean over 2004-2010
    of the input's province-wide path; ``start_is_path`` says that path varies by year or has
    per-sector values (a slider sets one value for every year and sector). ``group`` is the
    first plan task of an instrument (``"11"``) or the family of an assumption / parameter.
    """

    key: str
    section: str
    name: str
    mode: str | None
    driver: str | None
    unit: str
    low: float
    high: float
    start: float
    start_is_path: bool
    label_en: str
    label_zh: str
    family: str
    plan_task: str
    group: str

    def is_changed(self, value: float) -> bool:
        """True when ``value`` differs from the start value (beyond float noise)."""
        return abs(float(value) - self.start) > 1e-9 * max(1.0, abs(self.start), self.high - self.low)


@dataclass(frozen=True)
class TargetResult:
    """One scorecard row of an evaluation (values in the target's stored unit)."""

    target_id: str
    task: int
    indicator: str
    description_en: str
    description_zh: str
    year: int
    value: float
    value_2003: float
    target: float
    comparator: str
    unit: str
    tolerance: float
    met: bool
    within_band: bool
    scoring: str
    p_met: float | None
    p_within_band: float | None
    matters_most: str | None  # instrument key with the largest swing, None if none moves it
    swing: float  # that swing (|value at top - value at bottom| of the range), target unit

    @property
    def status(self) -> str:
        """``decision`` (set by decision), ``met``, ``band`` (within band, not met) or ``missed``."""
        if self.scoring == "decision":
            return "decision"
        return "met" if self.met else ("band" if self.within_band else "missed")


@dataclass(frozen=True)
class TargetPaths:
    """A target's indicator path (T,) in the central run and its (n, T) paths over the states."""

    central: np.ndarray
    states: np.ndarray

    def band(self, q: tuple[float, float] = BAND) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(low, median, high) by year over the states: quantiles ``q`` and 0.5 (NaN runs left out)."""
        x = self.states
        qs = [q[0], 0.5, q[1]]
        if np.isfinite(x).all():
            lo, med, hi = np.quantile(x, qs, axis=0)
        else:
            with np.errstate(invalid="ignore"):
                lo, med, hi = np.nanquantile(x, qs, axis=0)
        return lo, med, hi


@dataclass(frozen=True)
class Evaluation:
    """Everything the page shows after one move."""

    values: dict[str, float]  # the controls that differ from the start scenario
    targets: tuple[TargetResult, ...]
    paths: dict[str, TargetPaths]  # target_id -> central path and the paths of the n states
    cost: float  # total cost of the instruments 2004-2010, 100m yuan nominal (central run)
    budget: float  # budget envelope 2004-2010, same unit
    years_over_budget: tuple[int, ...]
    cost_by_instrument: dict[str, float]  # instrument name -> cost 2004-2010
    n_states: int
    seconds: float = 0.0  # wall time of evaluate()

    @property
    def over_budget(self) -> bool:
        return bool(self.years_over_budget)

    def target(self, target_id: str) -> TargetResult:
        return next(t for t in self.targets if t.target_id == target_id)


@dataclass
class Explorer:
    """The start scenario, its controls and the fixed state sample; ``evaluate(values)`` per move."""

    scenario: Scenario
    model: Model
    inputs: ScenarioInputs
    X: np.ndarray
    columns: tuple
    controls: dict[str, Control]
    start: Evaluation | None = field(default=None)

    @classmethod
    def open(cls, scenario: str | Path | Scenario, model: Model | None = None,
             n_states: int = DEFAULT_STATES, seed: int | None = None) -> Explorer:
        """Load and resolve ``scenario`` once, draw its state sample, evaluate the start."""
        if not 1 <= int(n_states) <= MAX_STATES:
            raise ValueError(f"n_states {n_states} out of range; allowed 1 to {MAX_STATES}")
        scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        model = model or load_model()
        inputs = resolve_inputs(model, scen)
        X, columns = state_sample(scen, model, int(n_states), seed)
        ex = cls(scen, model, inputs, np.asarray(X, dtype=float), tuple(columns), build_controls(model, inputs))
        ex.start = ex.evaluate({})
        return ex

    # ------------------------------------------------------------------ views
    def section(self, section: str) -> list[Control]:
        return [c for c in self.controls.values() if c.section == section]

    def changed(self, values: Mapping[str, float]) -> dict[str, float]:
        """The entries of ``values`` that differ from the start (unknown keys refused)."""
        out = {}
        for key, v in values.items():
            if key not in self.controls:
                raise KeyError(f"{key!r} is not a control of the dashboard")
            c = self.controls[key]
            v = float(v)
            if not (np.isfinite(v) and c.low <= v <= c.high):
                raise ValueError(f"{key}: value {v:g} out of range; allowed {c.low:g} to {c.high:g} {c.unit}")
            if c.is_changed(v):
                out[key] = v
        return out

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, values: Mapping[str, float]) -> Evaluation:
        """Scorecard, P(met | policy), cost and paths for the controls set to ``values``."""
        import time

        t0 = time.perf_counter()
        changed = self.changed(values)
        model, inputs = self.model, self.inputs
        overrides = dict(inputs.overrides)
        drivers = {k: np.asarray(v, dtype=float) for k, v in inputs.drivers.items()}
        for key, v in changed.items():
            c = self.controls[key]
            if c.section == "parameters":
                overrides[c.name] = v
            else:
                drivers[c.driver] = np.full(drivers[c.driver].shape, v)
        # block 1: central run
        central = (_params(model, 1, overrides), {k: v[None, ...] for k, v in drivers.items()})
        # block 2: the states of the world, with the assumptions / parameters the planner set held
        X = self.X.copy()
        for j, col in enumerate(self.columns):
            if col.path in changed:
                X[:, j] = 1.0 if col.op == "scale" else changed[col.path]
        f = ModelFunction(model, overrides, drivers, dict(inputs.switches), self.columns)
        p_s, d_s, _ = f.inputs(X)
        # block 3: each instrument at the bottom and top of its range
        levers = self.section("levers")
        n_w = 2 * len(levers)
        d_w = {}
        for i, c in enumerate(levers):
            base = drivers[c.driver]
            arr = np.broadcast_to(base, (n_w, *base.shape)).copy() if c.driver not in d_w else d_w[c.driver]
            arr[2 * i] = c.low
            arr[2 * i + 1] = c.high
            d_w[c.driver] = arr
        swing = (_params(model, n_w, overrides), {k: d_w.get(k, v[None, ...]) for k, v in drivers.items()})
        params, drv = stack([central, (p_s, d_s), swing])
        proj, inds = evaluate(model, params, drv, inputs.switches)
        return self._evaluation(changed, proj, inds, levers, time.perf_counter() - t0)

    def _evaluation(self, changed, proj, inds, levers, seconds) -> Evaluation:
        n = self.X.shape[0]
        states = slice(1, 1 + n)
        targets = self.model.targets
        paths_states = {t.target_id: inds[t.indicator].value[states] for t in targets}
        p = p_met_table(targets, paths_states, intervals=False).set_index("target_id")
        rows, paths = [], {}
        for tgt in targets:
            v = inds[tgt.indicator].value
            t = YEARS.index(tgt.year)
            value = float(v[0, t])
            sw = v[1 + n:, t].reshape(-1, 2)
            with np.errstate(invalid="ignore"):
                delta = np.abs(sw[:, 1] - sw[:, 0])
            delta = np.where(np.isfinite(delta), delta, 0.0)
            k = int(np.argmax(delta)) if delta.size else 0
            moved = delta.size and delta[k] > 1e-9 * max(1.0, abs(tgt.value), abs(value))
            modelled = tgt.target_id in p.index
            rows.append(TargetResult(
                tgt.target_id, tgt.task, tgt.indicator, tgt.description_en, tgt.description_zh, tgt.year,
                value, float(v[0, 0]), float(tgt.value), tgt.comparator, tgt.unit, float(tgt.tolerance),
                bool(tgt.met(value)), bool(tgt.within_band(value)), tgt.scoring,
                float(p.loc[tgt.target_id, "p_met"]) if modelled else None,
                float(p.loc[tgt.target_id, "p_within_band"]) if modelled else None,
                levers[k].key if moved else None, float(delta[k]) if moved else 0.0,
            ))
            paths[tgt.target_id] = TargetPaths(v[0].copy(), v[states])
        vals = proj.values
        yrs = np.asarray(YEARS) > BASE_YEAR
        tc = np.broadcast_to(total_cost(vals), vals["budget_envelope"].shape)[0]
        env = vals["budget_envelope"][0]
        over = tuple(int(y) for y, a, b in zip(YEARS, tc, env, strict=True) if y > BASE_YEAR and a > b + 1e-9)
        by_instr = {name.removeprefix("cost_"): float(np.asarray(vals[name])[0][yrs].sum()) for name in cost_names(vals)}
        return Evaluation(dict(changed), tuple(rows), paths, float(tc[yrs].sum()), float(env[yrs].sum()), over,
                          by_instr, n, seconds)



def _params(model: Model, n: int, overrides: Mapping[str, float | np.ndarray]) -> dict[str, np.ndarray]:
    """Parameter arrays of n runs; a per-sector override (S,) stays per sector for any n."""
    n_sec = len(model.sector_ids)
    over = {k: (np.broadcast_to(v, (n, n_sec)).copy() if np.ndim(v) == 1 else v) for k, v in overrides.items()}
    return model.parameters.arrays(n, over)


def stack(blocks: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """Concatenate (params, drivers) blocks of n_b runs each into one set of n = sum n_b runs.

    Parameters are (n_b,) or (n_b, S); drivers (1 | n_b, T[, S]). A driver that is the same
    single path in every block stays (1, ...) (the core broadcasts it); others are expanded.
    """
    sizes = [next(iter(p.values())).shape[0] for p, _ in blocks]
    params = {}
    for k in blocks[0][0]:
        arrs = [np.asarray(p[k], dtype=float) for p, _ in blocks]
        width = max((a.shape[1] for a in arrs if a.ndim == 2), default=None)
        if width is not None:  # a per-sector value in one block: every block per sector
            arrs = [a if a.ndim == 2 else np.repeat(a[:, None], width, axis=1) for a in arrs]
        params[k] = np.concatenate(arrs, axis=0)
    drivers = {}
    for k in blocks[0][1]:
        arrs = [np.asarray(d[k], dtype=float) for _, d in blocks]
        if all(a.shape[0] == 1 for a in arrs) and all(np.array_equal(a, arrs[0], equal_nan=True) for a in arrs[1:]):
            drivers[k] = arrs[0]
        else:
            drivers[k] = np.concatenate([np.broadcast_to(a, (n, *a.shape[1:])) for a, n in zip(arrs, sizes, strict=True)],
                                        axis=0)
    return params, drivers


def build_controls(model: Model, inputs: ScenarioInputs) -> dict[str, Control]:
    """Every instrument, assumption and parameter of the start scenario as a :class:`Control`."""
    out: dict[str, Control] = {}
    for inp in inputs.registry.paths():
        mode = inputs.modes[inp.name]
        ms = inp.modes[mode]
        path = np.asarray(inputs.paths[inp.name], dtype=float)[1:]
        varies = bool(np.ptp(path) > 1e-12) or bool(inputs.sector_paths.get(inp.name))
        start = float(np.mean(path) if varies else path[0])
        if not np.isfinite(start):
            start = float(ms.low)
        group = inp.plan_task.split(",")[0].strip() if inp.section == "levers" else inp.family
        out[inp.key] = Control(inp.key, inp.section, inp.name, mode, ms.driver, ms.unit, float(ms.low), float(ms.high),
                               min(max(start, ms.low), ms.high), varies, inp.label_en, inp.label_zh, inp.family,
                               inp.plan_task, group)
    defaults = model.parameters.defaults()
    for name, ps in model.parameters.specs.items():
        given = inputs.overrides.get(name, defaults[name])
        arr = np.asarray(given, dtype=float)
        out[f"parameters.{name}"] = Control(
            f"parameters.{name}", "parameters", name, None, None, ps.unit, float(ps.low), float(ps.high),
            float(np.mean(arr)), arr.ndim > 0 and bool(np.ptp(arr) > 0), ps.label_en, ps.label_zh, ps.family, "",
            ps.family)
    return out
