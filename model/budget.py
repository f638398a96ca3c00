"""What a policy costs and whether it fits the budget.

- :func:`cost_frame`: cost of every instrument by year (projection variables ``cost_<name>``,
  100m yuan nominal) and the effort index of every non-monetary instrument (``effort_<name>``).
- :func:`budget_frame`: total cost against the envelope ``budget_envelope`` by year, with the
  overrun; a scenario is *over budget* when any year's total exceeds that year's envelope.
P(met | policy) is a study: ``model.studies.policy.p_met_given_policy``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model import core
from model.instruments import effort_index

COST_UNIT = "100m_yuan_nominal"


def cost_names(values: Mapping[str, np.ndarray]) -> list[str]:
    """Names of the cost variables of a projection (every ``cost_*``), in a fixed order."""
    return sorted(k for k in values if k.startswith("cost_"))


def total_cost(values: Mapping[str, np.ndarray]) -> np.ndarray:
    """Sum of every ``cost_*`` variable, (R, T), 100m yuan nominal."""
    names = cost_names(values)
    return sum(np.asarray(values[k], dtype=float) for k in names) if names else 0.0


def effort_values(drivers: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``effort_<instrument>`` (Rd, T): each non-monetary instrument over the top of its range."""
    from model.scenario.registry import INPUTS

    out = {}
    for name in core.EFFORT_INSTRUMENTS:
        if name == "large_projects":
            per_year = np.asarray(drivers["large_project_investment"], dtype=float).sum(axis=-1)
            out[f"effort_{name}"] = effort_index(np.atleast_2d(per_year), LARGE_PROJECTS_RANGE_100M_YUAN)
        else:
            high = INPUTS[name].modes[INPUTS[name].default_mode].high
            out[f"effort_{name}"] = effort_index(np.atleast_2d(np.asarray(drivers[name], dtype=float)), high)
    return out


# Large projects: effort = yearly spending on approved projects over this range (the schema's
# upper bound for one project, 100m yuan at 2003 prices).
LARGE_PROJECTS_RANGE_100M_YUAN = 5000.0


def cost_frame(result, run: int = 0) -> pd.DataFrame:
    """Long table: instrument, kind (cost | effort), year, value, unit."""
    rows = []
    vals = result.projection.values
    for name in cost_names(vals):
        info = core.VARIABLES[name]
        for t, year in enumerate(result.years):
            rows.append({"instrument": name.removeprefix("cost_"), "kind": "cost", "year": year,
                         "value": float(vals[name][run, t]), "unit": COST_UNIT, "label_en": info[2],
                         "label_zh": info[3]})
    for name, arr in effort_values(result.drivers).items():
        info = core.VARIABLES[name]
        a = np.broadcast_to(arr, (max(arr.shape[0], run + 1), arr.shape[-1]))
        for t, year in enumerate(result.years):
            rows.append({"instrument": name.removeprefix("effort_"), "kind": "effort", "year": year,
                         "value": float(a[run, t]), "unit": "effort_index", "label_en": info[2],
                         "label_zh": info[3]})
    return pd.DataFrame(rows)


def budget_frame(result, run: int = 0) -> pd.DataFrame:
    """By year: total cost, budget envelope, overrun (>= 0) and over_budget (bool)."""
    vals = result.projection.values
    total = np.broadcast_to(total_cost(vals), vals["budget_envelope"].shape)[run]
    budget = vals["budget_envelope"][run]
    over = np.maximum(total - budget, 0.0)
    df = pd.DataFrame({"year": list(result.years), "total_cost": total, "budget_envelope": budget,
                       "overrun": over, "over_budget": total > budget + 1e-9})
    df.loc[df.year == core.BASE_YEAR, ["overrun"]] = 0.0
    df.loc[df.year == core.BASE_YEAR, ["over_budget"]] = False
    return df


def budget_summary(result, run: int = 0) -> dict:
    """Totals 2004-2010: cost, envelope, overrun (sum of yearly excesses), over_budget flag."""
    b = budget_frame(result, run)
    b = b[b.year > core.BASE_YEAR]
    return {
        "cost_2004_2010": float(b.total_cost.sum()),
        "budget_2004_2010": float(b.budget_envelope.sum()),
        "overrun_2004_2010": float(b.overrun.sum()),
        "years_over_budget": [int(y) for y in b.year[b.over_budget]],
        "over_budget": bool(b.over_budget.any()),
        "unit": COST_UNIT,
    }
