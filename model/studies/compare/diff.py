"""Lever and assumption differences between scenarios, after resolving ``extends``.

Each scenario is resolved once (``model.run.resolve_inputs`` -> ``ScenarioInputs``: the paths the
model runs on, interpolated by ``model.scenario.resolve``) and flattened to *effective* field values:

- ``levers.<name>.mode``: the mode used (the default mode when the file gives none);
- ``levers.<name>.values``: one field when the path is constant in every scenario compared,
  otherwise one field per year ``levers.<name>.values.2004`` ... ``.2010`` (interpolated the
  way the model does, so ``{2004: 0.1, 2010: 0.1}`` equals ``0.1``);
- ``levers.<name>.sectors.<sector>[.<year>]``: per-sector overrides (empty = follows the
  province-wide path);
- ``levers.large_projects``: the list of projects, as one field;
- ``parameters.<name>`` (or ``.default`` / ``.sectors.<sector>``): scenario values, the
  calibrated default when a scenario does not set it;
- ``switches.<name>``: definition switches (defaults filled in).

A lever or assumption a scenario never sets is at its neutral value (what the model uses).
Notes, names, descriptions, seeds and uncertainty settings are not model inputs and are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from model.run import ScenarioInputs
from model.scenario import Scenario, load_scenario
from model.scenario.registry import HORIZON, REGISTRY, Registry
from model.scenario.schema import SectorParameter

YEARS = tuple(range(HORIZON[0], HORIZON[1] + 1))
SECTIONS = ("levers", "assumptions", "parameters", "switches")
NOT_SET = None  # display: follows the province-wide path / not set


def as_scenario(s: Scenario | str | Path) -> Scenario:
    return s if isinstance(s, Scenario) else load_scenario(s)


def _projects(lst) -> str:
    if not lst:
        return "none"
    parts = []
    for p in lst:
        p = p.model_dump() if hasattr(p, "model_dump") else dict(p)
        name = p.get("name_zh") or p.get("name")
        if p.get("name_zh") and p.get("name") and p["name_zh"] != p["name"]:
            name = f"{p['name_zh']} / {p['name']}"
        parts.append(
            f"{name}: {p['sector']} {float(p['investment_100m_yuan']):g} "
            f"({p['start_year']}+{int(p.get('years', 1))}y)"
        )
    return "; ".join(parts)


def _series(scen: Scenario | ScenarioInputs) -> tuple[dict[str, object], dict[str, str]]:
    """Unexpanded effective fields of the resolved inputs (path fields map to tuples over YEARS)
    and the unit code of each numeric field: the registry unit of the mode this scenario uses
    for a lever or assumption, the ``priors.yaml`` unit for a parameter."""
    from model.run import load_model, resolve_inputs

    model = load_model()
    si = scen if isinstance(scen, ScenarioInputs) else resolve_inputs(model, scen)
    horizon = slice(1, None)  # the paths cover 2003..2010; a scenario sets 2004..2010
    out: dict[str, object] = {}
    units: dict[str, str] = {}
    for inp in si.registry.paths():
        key = f"{inp.section}.{inp.name}"
        out[f"{key}.mode"] = si.modes[inp.name]
        unit = inp.modes[si.modes[inp.name]].unit
        out[f"{key}.values"] = tuple(float(v) for v in si.paths[inp.name][horizon])
        units[f"{key}.values"] = unit
        for sec, path in si.sector_paths[inp.name].items():
            out[f"{key}.sectors.{sec}"] = tuple(float(v) for v in path[horizon])
            units[f"{key}.sectors.{sec}"] = unit
    out["levers.large_projects"] = _projects(si.large_projects)
    for name, default in model.parameters.defaults().items():
        val = si.parameter_block.get(name)
        unit = model.parameters[name].unit
        if isinstance(val, SectorParameter):
            out[f"parameters.{name}.default"] = float(default if val.default is None else val.default)
            units[f"parameters.{name}.default"] = unit
            for sec, x in val.sectors.items():
                out[f"parameters.{name}.sectors.{sec}"] = float(x)
                units[f"parameters.{name}.sectors.{sec}"] = unit
        else:
            out[f"parameters.{name}"] = float(default if val is None else val)
            units[f"parameters.{name}"] = unit
    for k, v in si.switches.items():
        out[f"switches.{k}"] = v
    return out, units


#: separates the units of the scenarios in the ``unit`` column when their modes differ
UNIT_SEPARATOR = " | "


def _unit_cell(units: Sequence[str]) -> str:
    """One unit when every scenario has it, else each scenario's unit in column order."""
    given = [u for u in units if u]
    if not given:
        return ""
    return given[0] if all(u == given[0] for u in given) else UNIT_SEPARATOR.join(units)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, tuple) and isinstance(b, tuple):
        return all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _constant(v) -> bool:
    return v is None or not isinstance(v, tuple) or all(x == v[0] for x in v)


def group_of(field: str) -> str:
    """The lever group a field belongs to: ``levers.investment.values.2004`` -> ``levers.investment``."""
    return ".".join(field.split(".")[:2])


def label(group: str, lang: str = "zh", registry: Registry = REGISTRY) -> str:
    """Readable name of a lever group (``levers.investment``), parameter or switch."""
    section, _, name = group.partition(".")
    if section in ("levers", "assumptions") and name in registry:
        inp = registry[name]
        return inp.label_zh if lang == "zh" else inp.label_en
    if section == "parameters":
        from model.parameters import load_parameters

        ps = load_parameters()
        if name in ps:
            spec = ps[name]
            return f"{spec.label_zh if lang == 'zh' else spec.label_en} ({name})"
    if section == "switches":
        return ("口径开关 " if lang == "zh" else "definition switch ") + name
    return group


def diff_frame(scenarios: Sequence[Scenario | ScenarioInputs], ids: Sequence[str]) -> pd.DataFrame:
    """Fields whose effective value differs between any of the scenarios; one column per id.

    ``unit``: the unit code of the values (``100m_yuan_nominal_per_year``; empty for modes,
    projects and switches); when the scenarios use modes with different units, each scenario's
    unit in column order, joined by UNIT_SEPARATOR. :func:`shown_with_units` writes the values
    with their units for people.
    """
    series = [_series(s) for s in scenarios]
    flat = [f for f, _ in series]
    unit_maps = [u for _, u in series]
    keys: list[str] = []
    for f in flat:
        keys += [k for k in f if k not in keys]
    rows = []
    for key in keys:
        vals = [f.get(key, NOT_SET) for f in flat]
        if all(_same(vals[0], v) for v in vals[1:]):
            continue
        group = group_of(key)
        reg = scenarios[0].registry if isinstance(scenarios[0], ScenarioInputs) else scenarios[0].spec.registry
        base = {"field": key, "group": group, "label_en": label(group, "en", reg), "label_zh": label(group, "zh", reg),
                "unit": _unit_cell([u.get(key, "") for u in unit_maps])}
        if any(isinstance(v, tuple) for v in vals) and not all(_constant(v) for v in vals):
            for i, year in enumerate(YEARS):
                yv = [v[i] if isinstance(v, tuple) else v for v in vals]
                if all(_same(yv[0], v) for v in yv[1:]):
                    continue
                rows.append({**base, "field": f"{key}.{year}", **dict(zip(ids, yv, strict=True))})
        else:
            cells = [v[0] if isinstance(v, tuple) else v for v in vals]
            rows.append({**base, **dict(zip(ids, cells, strict=True))})
    cols = ["field", "group", "label_en", "label_zh", "unit", *ids]
    return pd.DataFrame(rows, columns=cols)


def shown_with_units(df: pd.DataFrame, ids: Sequence[str], lang: str = "zh") -> pd.DataFrame:
    """The value columns of a :func:`diff_frame` as text with their units, from the registry
    (``0.3`` of ``fraction_per_year`` -> ``30 %/yr`` / ``30 %/年``); other cells unchanged."""
    from model.scenario.units import with_unit

    out = df.astype({sid: object for sid in ids})
    for i, rec in enumerate(df.to_dict("records")):
        parts = str(rec.get("unit") or "").split(UNIT_SEPARATOR)
        units = parts if len(parts) == len(ids) else [parts[0]] * len(ids)
        for sid, unit in zip(ids, units, strict=True):
            v = rec[sid]
            if unit and isinstance(v, int | float) and not isinstance(v, bool):
                out.iat[i, out.columns.get_loc(sid)] = with_unit(float(v), unit, lang)
    return out


def scenario_ids(scenarios: Sequence[Scenario]) -> list[str]:
    """Scenario ids (file stems), made unique with a numeric suffix if two files share a name."""
    ids: list[str] = []
    for s in scenarios:
        sid, n = s.id, 2
        while sid in ids:
            sid, n = f"{s.id}-{n}", n + 1
        ids.append(sid)
    return ids


def diff(a: Scenario | str | Path, b: Scenario | str | Path) -> pd.DataFrame:
    """Lever, assumption, parameter and switch fields that differ between two scenarios.

    Columns: ``field`` (e.g. ``levers.investment.values.2004``), ``group`` (``levers.investment``),
    ``label_en``, ``label_zh``, then one column per scenario id holding its value (``None`` for a
    per-sector override the scenario does not have). Identical inputs give an empty frame.
    """
    scens = [as_scenario(a), as_scenario(b)]
    return diff_frame(scens, scenario_ids(scens))
