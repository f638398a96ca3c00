"""Every lever and assumption of a resolved scenario as a table: value by year, unit, note, file.

One row per path part: the province-wide path, each per-sector override, each large project.
Values are the model's own reading of the file (linear interpolation between the years given,
flat outside); a lever the scenario chain never sets is at its neutral value. The unit is the
registry's unit of the mode used; ``set_in`` names the file of the ``extends`` chain that sets
the path (empty: not set, neutral).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.scenario.loader import Scenario, read_yaml
from model.scenario.registry import HORIZON, INPUTS
from model.scenario.units import unit_label

YEARS = tuple(range(HORIZON[0], HORIZON[1] + 1))
COLUMNS = ["section", "lever", "label_zh", "label_en", "mode", "unit", "unit_zh", "unit_en", "part",
           *[str(y) for y in YEARS], "set_in", "note"]


def path_values(values) -> list[float]:
    """Year -> value mapping (or a constant) over the scenario horizon, as the model reads it."""
    if not isinstance(values, dict):
        return [float(values)] * len(YEARS)
    xs = sorted(int(k) for k in values)
    return [float(v) for v in np.interp(YEARS, xs, [float(values[k]) for k in xs])]


def _setter(scenario: Scenario) -> dict[tuple[str, str], str]:
    """(section, name) -> file name of the first file in the chain that sets it."""
    out: dict[tuple[str, str], str] = {}
    for path in scenario.chain:  # this file first, then its ancestors
        doc = read_yaml(path)
        for section in ("levers", "assumptions"):
            for name in doc.get(section) or {}:
                out.setdefault((section, name), path.name)
    return out


def lever_frame(scenario: Scenario) -> pd.DataFrame:
    """The scenario's levers and assumptions, one row per path part (see module docstring)."""
    raw = scenario.raw
    setter = _setter(scenario)
    rows = []
    for name, inp in INPUTS.items():
        spec = (raw.get(inp.section) or {}).get(name)
        mode = (spec or {}).get("mode") or inp.default_mode
        unit = inp.modes[mode].unit if mode in inp.modes else ""
        base = {"section": inp.section, "lever": name, "label_zh": inp.label_zh, "label_en": inp.label_en,
                "mode": mode, "unit": unit, "unit_zh": unit_label(unit, "zh"), "unit_en": unit_label(unit, "en")}
        if spec is None:
            vals = [float(inp.neutral)] * len(YEARS)
            rows.append({**base, "part": "province", **dict(zip(map(str, YEARS), vals, strict=True)),
                         "set_in": "", "note": "not set: neutral value / 未设定:取中性值"})
            continue
        note = " ".join(str(spec.get("note") or "").split())
        src = setter.get((inp.section, name), "")
        rows.append({**base, "part": "province", **dict(zip(map(str, YEARS), path_values(spec["values"]), strict=True)),
                     "set_in": src, "note": note})
        for sec, vals in (spec.get("sectors") or {}).items():
            rows.append({**base, "part": sec, **dict(zip(map(str, YEARS), path_values(vals), strict=True)),
                         "set_in": src, "note": note})
    unit = "100m_yuan_2003_per_year"
    for proj in (raw.get("levers") or {}).get("large_projects") or []:
        per_year = [0.0] * len(YEARS)
        for y in range(int(proj["start_year"]), int(proj["start_year"]) + int(proj.get("years", 1))):
            if y in YEARS:
                per_year[YEARS.index(y)] = float(proj["investment_100m_yuan"]) / int(proj.get("years", 1))
        label = proj.get("name_zh") or proj["name"]
        rows.append({"section": "levers", "lever": "large_projects", "label_zh": f"重大项目:{label}",
                     "label_en": f"Large project: {proj['name']}", "mode": "rate", "unit": unit,
                     "unit_zh": unit_label(unit, "zh"), "unit_en": unit_label(unit, "en"), "part": proj["sector"],
                     **dict(zip(map(str, YEARS), per_year, strict=True)),
                     "set_in": setter.get(("levers", "large_projects"), ""),
                     "note": " ".join(str(proj.get("note") or "").split())})
    return pd.DataFrame(rows, columns=COLUMNS)
