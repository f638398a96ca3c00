"""The chosen mix as a scenario file: ``extends:`` the searched scenario and sets, for each
instrument the search changed (or a planner locked), its level in every year 2004-2010 with a
note saying where it came from."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import yaml

MIX_FILE = "cheapest-mix.yaml"


def _fmt(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def changed(result) -> dict[str, float]:
    """Instruments whose level differs from the scenario's path (or that are locked)."""
    from model.run import resolve_inputs

    inputs = resolve_inputs(result.scenario_model, result.scenario)
    out = {}
    locked = {d.name for d, _ in result.space.locked}
    for name, level in result.mix.items():
        path = np.asarray(inputs.paths[name], dtype=float)[1:]
        per_sector = bool(inputs.sector_paths.get(name))
        if name in locked or per_sector or not np.allclose(path, level, rtol=0, atol=0):
            out[name] = level
    return out


def mix_yaml(result, out_dir: Path | None = None) -> str:
    """YAML text of the mix (``out_dir``: where it will be written; ``extends`` is relative to it)."""
    s = result.settings
    scen = result.scenario
    target = Path(os.path.abspath(scen.path))
    ref = os.path.relpath(target, os.path.abspath(out_dir)) if out_dir else target.name
    rc = result.recheck.set_index("target").loc["all"]
    what_en = "cheapest mix" if result.reached else f"mix with the highest P found (alpha {s.alpha:g} not reached)"
    what_zh = "成本最低的组合" if result.reached else f"达标概率最高的组合(未达到 α = {s.alpha:g})"
    found = (f"found by search (mfgbase search, alpha {s.alpha:g}, seed {s.seed}, {s.samples} states): {what_en}; "
             f"P(all scored targets met) {result.chosen['p_all']:.3f} on the search sample, "
             f"{rc.p_fresh:.3f} [{rc.low:.3f}, {rc.high:.3f}] on {int(rc.n_fresh)} fresh states")
    locked = {d.name: v for d, v in result.space.locked}
    levers = {}
    for name, level in changed(result).items():
        note = (f"locked at {level:g} by the planner (mfgbase search --lock); {found}" if name in locked else found)
        levers[name] = {"values": _fmt(level), "note": note}
    name_en = f"{scen.spec.name.en} - {what_en} (search, alpha {s.alpha:g}, seed {s.seed})"
    name_zh = f"{scen.spec.name.zh}——搜索得到的{what_zh}(α = {s.alpha:g},种子 {s.seed})"
    budget = "none" if s.budget is None else f"{s.budget:g} (100m yuan nominal, 2004-2010)"
    doc = {
        "extends": ref,
        "name": {"en": name_en, "zh": name_zh},
        "description": (f"Written by mfgbase search on {Path(scen.path).name}: instruments searched "
                        f"{', '.join(result.space.names)}; locked {', '.join(locked) or 'none'}; budget cap {budget}; "
                        f"expected cost 2004-2010 {result.chosen['cost']:,.1f} (100m yuan nominal). "
                        f"Non-monetary instruments keep the parent's values."),
        "levers": levers,
    }
    head = (f"# Scenario written by `mfgbase search` (alpha {s.alpha:g}, seed {s.seed}); run it with\n"
            f"#   mfgbase run <this file>\n")
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def is_finite(x) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)
