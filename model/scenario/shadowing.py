"""Silent precedence in an ``extends`` chain: province-wide changes that per-sector overrides hide.

A child file that changes the province-wide ``values`` of a path reaches only the sectors
without a per-sector override. When the overrides it leaves in force came from a parent file,
the child's author may not see them: raising the province-wide R&D path then leaves the
high-tech sectors where the parent put them. :func:`shadowing_warnings` lists each case (file,
path, the sectors that keep the parent's values), for ``mfgbase validate`` and the scorecard
notes. It reads the files of the chain as written (``Scenario.chain``) and the merged result
(``Scenario.raw``), so it holds whatever the merge rule for ``sectors`` is.
"""

from __future__ import annotations

from model.scenario.loader import Scenario, read_yaml
from model.scenario.registry import INPUTS


def shadowing_warnings(scenario: Scenario) -> list[str]:
    """One plain sentence per path whose province-wide change is shadowed by inherited overrides."""
    if len(scenario.chain) < 2:
        return []
    docs = [read_yaml(p) for p in scenario.chain]  # this file first, then its ancestors
    out = []
    for name, inp in INPUTS.items():
        merged = (scenario.raw.get(inp.section) or {}).get(name)
        if not isinstance(merged, dict):
            continue
        out += _dropped(scenario, docs, inp, name, merged)
        if not merged.get("sectors"):
            continue
        for i, (path, doc) in enumerate(zip(scenario.chain, docs, strict=True)):
            own = (doc.get(inp.section) or {}).get(name)
            if not isinstance(own, dict) or "values" not in own:
                continue
            parents = [(p, (d.get(inp.section) or {}).get(name)) for p, d in zip(scenario.chain[i + 1:], docs[i + 1:],
                                                                                 strict=True)]
            parent = next(((p, e) for p, e in parents if isinstance(e, dict)), None)
            if parent is None or parent[1].get("values") == own.get("values"):
                break  # nothing inherited, or the province-wide path is unchanged
            own_sectors = set(own.get("sectors") or {})
            inherited = [s for s in merged["sectors"] if s not in own_sectors and s in (parent[1].get("sectors") or {})]
            if inherited:
                out.append(
                    f"{path.name}: {inp.section}.{name}: the province-wide path changes here, but per-sector overrides "
                    f"inherited from {parent[0].name} still set {', '.join(inherited)}: those sectors do not follow it "
                    f"(set them under {inp.section}.{name}.sectors in {path.name} to change them) / "
                    f"{path.name} 修改了全省路径，但继承自 {parent[0].name} 的分行业设定（{', '.join(inherited)}）"
                    f"仍然有效，这些行业不随全省路径变化"
                )
            break
    return out


def _dropped(scenario: Scenario, docs: list[dict], inp, name: str, merged: dict) -> list[str]:
    """The file that sets a path replaces the parent's whole entry: the parent's per-sector
    overrides it does not repeat are gone (those sectors now follow the province-wide path)."""
    own = (docs[0].get(inp.section) or {}).get(name)
    if not isinstance(own, dict):
        return []
    parent = next(((p, (d.get(inp.section) or {}).get(name)) for p, d in zip(scenario.chain[1:], docs[1:], strict=True)
                   if isinstance((d.get(inp.section) or {}).get(name), dict)), None)
    if parent is None:
        return []
    gone = [s for s in (parent[1].get("sectors") or {}) if s not in (merged.get("sectors") or {})]
    if not gone:
        return []
    me = scenario.chain[0].name
    return [f"{me}: {inp.section}.{name}: replaces the whole path of {parent[0].name}, so its per-sector overrides "
            f"for {', '.join(gone)} no longer apply: those sectors follow the province-wide path of {me} / "
            f"{me} 替换了 {parent[0].name} 的整条路径，其分行业设定（{', '.join(gone)}）不再生效，这些行业改按全省路径"]
