"""Lever and assumption differences between scenarios, after resolving ``extends``.

Each scenario's merged document (``Scenario.raw``) is flattened to *effective* field values:

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

import numpy as np
import pandas as pd

from model.scenario import Scenario, load_scenario
from model.scenario.registry import HORIZON, REGISTRY, Registry

YEARS = tuple(range(HORIZON[0], HORIZON[1] + 1))
SECTIONS = ("levers", "assumptions", "parameters", "switches")
NOT_SET = None  # display: follows the province-wide path / not set


def as_scenario(s: Scenario | str | Path) -> Scenario:
    return s if isinstance(s, Scenario) else load_scenario(s)


def _path(values) -> tuple[float, ...]:
    """Year -> value mapping (or a constant) interpolated over 2004..2010."""
    if not isinstance(values, dict):
        return tuple(float(values) for _ in YEARS)
    xs = sorted(int(k) for k in values)
    ys = [float(values[k]) for k in xs]
    return tuple(float(v) for v in np.interp(YEARS, xs, ys))


def _projects(lst) -> str:
    if not lst:
        return "none"
    parts = []
    for p in lst:
        p = dict(p)
        name = p.get("name_zh") or p.get("name")
        if p.get("name_zh") and p.get("name") and p["name_zh"] != p["name"]:
            name = f"{p['name_zh']} / {p['name']}"
        parts.append(
            f"{name}: {p['sector']} {float(p['investment_100m_yuan']):g} "
            f"({p['start_year']}+{int(p.get('years', 1))}y)"
        )
    return "; ".join(parts)


def _series(scen: Scenario) -> dict[str, object]:
    """Unexpanded effective fields: path fields map to tuples over YEARS (or None)."""
    from model import indicators
    from model.parameters import load_parameters

    raw = scen.raw
    out: dict[str, object] = {}
    for inp in scen.spec.registry.paths():
        name = inp.name
        spec = (raw.get(inp.section) or {}).get(name)
        key = f"{inp.section}.{name}"
        if spec is None:
            out[f"{key}.mode"] = inp.default_mode
            out[f"{key}.values"] = tuple(float(inp.neutral) for _ in YEARS)
            continue
        out[f"{key}.mode"] = spec.get("mode") or inp.default_mode
        out[f"{key}.values"] = _path(spec["values"])
        for sec, vals in (spec.get("sectors") or {}).items():
            out[f"{key}.sectors.{sec}"] = _path(vals)
    out["levers.large_projects"] = _projects((raw.get("levers") or {}).get("large_projects"))
    defaults = load_parameters().defaults()
    params = raw.get("parameters") or {}
    for name, default in defaults.items():
        val = params.get(name)
        if isinstance(val, dict):
            d = val.get("default")
            out[f"parameters.{name}.default"] = float(default if d is None else d)
            for sec, x in (val.get("sectors") or {}).items():
                out[f"parameters.{name}.sectors.{sec}"] = float(x)
        else:
            out[f"parameters.{name}"] = float(default if val is None else val)
    switches = indicators.check_switches({k: v for k, v in (raw.get("switches") or {}).items() if v is not None})
    for k, v in switches.items():
        out[f"switches.{k}"] = v
    return out


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


def diff_frame(scenarios: Sequence[Scenario], ids: Sequence[str]) -> pd.DataFrame:
    """Fields whose effective value differs between any of the scenarios; one column per id."""
    flat = [_series(s) for s in scenarios]
    keys: list[str] = []
    for f in flat:
        keys += [k for k in f if k not in keys]
    rows = []
    for key in keys:
        vals = [f.get(key, NOT_SET) for f in flat]
        if all(_same(vals[0], v) for v in vals[1:]):
            continue
        group = group_of(key)
        reg = scenarios[0].spec.registry
        base = {"field": key, "group": group, "label_en": label(group, "en", reg), "label_zh": label(group, "zh", reg)}
        if any(isinstance(v, tuple) for v in vals) and not all(_constant(v) for v in vals):
            for i, year in enumerate(YEARS):
                yv = [v[i] if isinstance(v, tuple) else v for v in vals]
                if all(_same(yv[0], v) for v in yv[1:]):
                    continue
                rows.append({**base, "field": f"{key}.{year}", **dict(zip(ids, yv, strict=True))})
        else:
            cells = [v[0] if isinstance(v, tuple) else v for v in vals]
            rows.append({**base, **dict(zip(ids, cells, strict=True))})
    cols = ["field", "group", "label_en", "label_zh", *ids]
    return pd.DataFrame(rows, columns=cols)


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
