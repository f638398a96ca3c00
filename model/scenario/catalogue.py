"""The catalogue of what a scenario file may set, read from the registry (``mfgbase levers``).

One row per lever / assumption and mode: its unit, allowed range (in display units), whether
per-sector overrides are allowed, the plan task it serves and a note. Everything comes from
:mod:`model.scenario.registry`, so a lever added there appears here without further edits.
"""

from __future__ import annotations

import pandas as pd

from model.scenario.registry import INPUTS
from model.scenario.units import unit_info, unit_label, with_unit

COLUMNS = ["section", "name", "label", "mode", "unit", "low", "high", "range", "sectors", "plan_task", "note"]

_MODE_WORDS = {
    "rate": ("the value itself, per year", "数值本身(每年)"),
    "growth": ("annual growth rate of the level", "水平值的年增长率"),
    "level": ("the level itself", "水平值本身"),
}


def _note(inp, lang: str) -> str:
    own = getattr(inp, f"note_{lang}", "") or getattr(inp, "note", "")
    parts = [own] if own else []
    zh = lang == "zh"
    if inp.neutral == inp.neutral:  # not NaN
        neutral = with_unit(float(inp.neutral), inp.modes[inp.default_mode].unit, lang)
        parts.append(f"未设定时取 {neutral}" if zh else f"not set: {neutral}")
    else:
        parts.append("必须设定" if zh else "required")
    if len(inp.modes) > 1:
        parts.append(("默认方式 " if zh else "default mode ") + inp.default_mode)
    return ";".join(parts) if zh else "; ".join(parts)


def catalogue(lang: str = "en") -> pd.DataFrame:
    """Every lever and assumption with unit, range, modes, plan task and note, in ``lang``."""
    zh = lang == "zh"
    rows = []
    for inp in INPUTS.values():
        for mode, ms in inp.modes.items():
            info = unit_info(ms.unit)
            low, high = ms.low * info.scale, ms.high * info.scale
            words = _MODE_WORDS.get(mode, (mode, mode))[1 if zh else 0]
            rows.append({
                "section": ("杠杆" if inp.section == "levers" else "假设") if zh else inp.section[:-1],
                "name": inp.name,
                "label": inp.label_zh if zh else inp.label_en,
                "mode": f"{mode}:{words}" if zh else f"{mode} ({words})",
                "unit": unit_label(ms.unit, lang),
                "low": low, "high": high,
                "range": f"{with_unit(ms.low, ms.unit, lang)} — {with_unit(ms.high, ms.unit, lang)}",
                "sectors": ("可分行业" if zh else "per sector") if inp.dims == "ts" else ("仅全省" if zh else "province"),
                "plan_task": inp.plan_task,
                "note": _note(inp, lang),
            })
    return pd.DataFrame(rows, columns=COLUMNS)
