"""Instrument sweep: how each scored target responds to each instrument over its range.

The planner's question "what does more of this instrument buy?" answered one instrument at a
time: the instrument takes ``points`` values over its registry range (in the scenario's mode,
the same value in every year 2004-2010), every other instrument stays as the scenario sets it,
and each policy is evaluated on **one fixed sample of states of the world** - the draw behind
P(met | policy) (:mod:`model.studies.policy`) - so the curves are P(met | policy) along the
instrument, and differences between points are not sampling noise between different draws.

Policies are translated into driver paths by ``model.run.experiments(policies=...)`` (the
public input-space API), and the states by the sensitivity adapter's column mapping; the model
runs once per (instrument, point) on all states.

    >>> from model.studies.sensitivity.sweep import instrument_sweep
    >>> df = instrument_sweep("scenarios/plan-2004.yaml", levers=["levers.rd_tax_credit"], points=5)
    >>> df[df.target_id == "rd_sales_ratio"][["value", "p_met", "median"]]

Columns of the result (one row per lever x point x modelled target): ``lever`` (key),
``driver``, ``unit``, ``value`` (in the unit), ``scenario_value`` (the scenario's own value
when it is one value for every year, else NaN), ``target_id``, ``year``, ``p_met`` with a Wilson
interval ``p_met_low``/``p_met_high`` (``conf_level``), ``p_within_band``, ``q05``/``median``/
``q95`` of the indicator in the target's year over the states, ``cost_2004_2010`` and
``budget_2004_2010`` (100m yuan nominal, at the scenario's central parameters) and ``n_states``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from model.budget import total_cost
from model.core import EFFORT_INSTRUMENTS, YEARS
from model.uq.probability import wilson_interval

#: Levers left out by default: administrative designations, which move only targets scored
#: "set by decision, not modelled" (outside P(met)); the sweep would show flat lines.
DESIGNATION_LEVERS = tuple(f"levers.{n}" for n in EFFORT_INSTRUMENTS if n.startswith("new_"))
MAX_POINTS = 50
MAX_STATES = 100_000


class SweepError(ValueError):
    """Invalid sweep request (unknown lever, bad point or state count)."""


def sweep_levers(model) -> list[str]:
    """The default instruments of a sweep: every lever of the input space but the designations."""
    from model.run import input_space

    return [d.key for d in input_space(model).levers if d.key not in DESIGNATION_LEVERS]


def instrument_sweep(
    scenario,
    model=None,
    levers: Sequence[str] | None = None,
    points: int = 7,
    n_states: int = 500,
    seed: int | None = None,
    conf_level: float = 0.90,
) -> pd.DataFrame:
    """Sweep each instrument over its range on a fixed state sample (see the module docstring)."""
    from model.run import evaluate, experiments, input_space, load_model, resolve_inputs
    from model.scenario import Scenario, load_scenario

    from .adapter import ModelFunction, state_sample

    if not 2 <= int(points) <= MAX_POINTS:
        raise SweepError(f"points must be 2 to {MAX_POINTS}, got {points}")
    if not 1 <= int(n_states) <= MAX_STATES:
        raise SweepError(f"n_states must be 1 to {MAX_STATES}, got {n_states}")
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    model = model if model is not None else load_model()
    space = input_space(model)
    keys = list(levers) if levers is not None else sweep_levers(model)
    lever_keys = {d.key for d in space.levers}
    for key in keys:
        if key not in lever_keys:
            raise SweepError(f"{key!r} is not a lever; levers: {', '.join(sorted(lever_keys))}")
    inputs = resolve_inputs(model, scen)
    X, columns = state_sample(scen, model, int(n_states), seed)
    f = ModelFunction.for_scenario(scen, columns, model)
    targets = [t for t in model.targets if t.modelled]
    rows = []
    for key in keys:
        dim = space[key]
        grid = np.linspace(dim.low, dim.high, int(points))
        own = np.asarray(inputs.drivers[dim.target], dtype=float)
        own_value = float(own[1]) if own.ndim == 1 and np.all(own[1:] == own[1]) else float("nan")
        if np.isfinite(own_value) and dim.low <= own_value <= dim.high:
            grid = np.unique(np.append(grid, own_value))
        e = experiments(model, inputs, policies={key: grid})
        proj, _ = evaluate(model, e.params, e.drivers, e.switches)  # central state: costs
        cost = total_cost(proj.values)[:, 1:].sum(axis=1)
        budget = np.asarray(proj["budget_envelope"])[:, 1:].sum(axis=1)
        for p, value in enumerate(grid):
            fp = replace(f, drivers={**f.drivers, dim.target: np.asarray(e.drivers[dim.target])[p]})
            paths = fp.indicators(X)
            for tgt in targets:
                x = paths[tgt.target_id][:, YEARS.index(tgt.year)]
                k = int(np.count_nonzero(tgt.met(x)))
                lo, hi = wilson_interval(k, x.shape[0], conf_level)
                q05, med, q95 = np.nanquantile(x, [0.05, 0.5, 0.95])
                rows.append({
                    "lever": key, "driver": dim.target, "unit": dim.unit, "value": float(value),
                    "scenario_value": own_value, "target_id": tgt.target_id, "year": tgt.year,
                    "p_met": k / x.shape[0], "p_met_low": float(lo), "p_met_high": float(hi),
                    "p_within_band": int(np.count_nonzero(tgt.within_band(x))) / x.shape[0],
                    "q05": float(q05), "median": float(med), "q95": float(q95),
                    "cost_2004_2010": float(cost[p]), "budget_2004_2010": float(budget[p]),
                    "n_states": int(x.shape[0]), "conf_level": conf_level,
                })
    return pd.DataFrame(rows)


def responsive(sweep: pd.DataFrame, min_change: float = 0.05) -> pd.DataFrame:
    """(lever, target) pairs whose P(met) moves by at least ``min_change`` over the lever's range,
    with P(met) at the range's ends and at the scenario's value."""
    out = []
    for (lever, tid), g in sweep.groupby(["lever", "target_id"], sort=False):
        g = g.sort_values("value")
        span = float(g["p_met"].max() - g["p_met"].min())
        at = g[np.isclose(g["value"], g["scenario_value"])]
        out.append({
            "lever": lever, "target_id": tid, "unit": g["unit"].iloc[0],
            "low": float(g["value"].iloc[0]), "high": float(g["value"].iloc[-1]),
            "p_met_at_low": float(g["p_met"].iloc[0]), "p_met_at_high": float(g["p_met"].iloc[-1]),
            "p_met_at_scenario": float(at["p_met"].iloc[0]) if len(at) else float("nan"),
            "median_at_low": float(g["median"].iloc[0]), "median_at_high": float(g["median"].iloc[-1]),
            "p_met_span": span, "moves": span >= min_change,
        })
    return pd.DataFrame(out)


__all__ = ["DESIGNATION_LEVERS", "SweepError", "instrument_sweep", "responsive", "sweep_levers"]
