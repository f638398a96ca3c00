"""Scenario comparison: outcomes vs a reference, indicator paths, and lever attribution.

    >>> from model.studies.compare import compare
    >>> from model.outputs import write_comparison
    >>> cmp = compare(["scenarios/baseline.yaml", "scenarios/plan-2004.yaml"], lang="zh")
    >>> cmp.outcomes        # scenario x target: 2007 value, target, met, difference, first year met
    >>> cmp.attribution     # which lever group moved each 2007 indicator most
    >>> write_comparison(cmp)   # results/compare-baseline_vs_plan-2004/

Attribution method (one-at-a-time switching from the reference): for every other scenario B
and every lever / assumption / parameter / switch group in which B differs from the reference
A, the reference A is run again with only that group set to B's value. The change of each
2007 indicator from A's run is that group's effect; the group with the largest absolute
effect is named. What the single switches do not explain (B - A minus the sum of the single
effects) is reported as the interaction.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from model.paths import RESULTS_DIR
from model.run import Model, RunResult, load_model, run_scenario
from model.safeio.text import safe_name
from model.scenario import Scenario
from model.scenario.loader import validate_file
from model.studies.compare.diff import as_scenario, diff_frame, label, scenario_ids
from model.studies.compare.probability import N_SAMPLE, policy_probabilities

INTERACTION = "interaction"


@dataclass
class Comparison:
    """Results of comparing scenarios; the first is the reference."""

    scenarios: list[Scenario]
    ids: list[str]
    runs: dict[str, RunResult]
    levers: pd.DataFrame
    outcomes: pd.DataFrame
    paths: pd.DataFrame
    attribution: pd.DataFrame
    sectors: pd.DataFrame  # scenario, sector, year, gross_output
    lang: str = "zh"
    model: Model | None = field(default=None, repr=False)

    @property
    def reference(self) -> str:
        return self.ids[0]

    def name(self, sid: str, lang: str | None = None) -> str:
        """Display name of a scenario in ``lang``."""
        s = self.scenarios[self.ids.index(sid)]
        return s.spec.name.zh if (lang or self.lang) == "zh" else s.spec.name.en

    def default_dir(self) -> Path:
        """``results/compare-<ids>`` (where :func:`model.outputs.write_comparison` writes by default)."""
        return RESULTS_DIR / safe_name(f"compare-{folder_name(self.ids)}")


def folder_name(ids: Sequence[str], limit: int = 80) -> str:
    """``a_vs_b_vs_c``; shortened to ``a_vs_b_and_N_more`` when long."""
    name = "_vs_".join(ids)
    if len(name) <= limit:
        return name
    return f"{ids[0]}_vs_{ids[1]}_and_{len(ids) - 2}_more"


def _outcomes(runs: dict[str, RunResult], ids: list[str]) -> pd.DataFrame:
    frames = []
    for sid in ids:
        sc = runs[sid].scorecard()
        sc.insert(0, "scenario", sid)
        frames.append(sc)
    df = pd.concat(frames, ignore_index=True)
    ref = df[df["scenario"] == ids[0]].set_index("target_id")["value"]
    out = pd.DataFrame(
        {
            "scenario": df["scenario"],
            "task": df["task"],
            "target_id": df["target_id"],
            "indicator": df["target_id"].map(_indicator_of(runs[ids[0]])),
            "description_zh": df["description_zh"],
            "description_en": df["description_en"],
            "year": df["year"],
            "value": df["value"].astype(float),
            "comparator": df["comparator"],
            "target": df["target"].astype(float),
            "unit": df["unit"],
            "met": df["met"].astype(bool),
            "gap": df["gap"].astype(float),
            "diff_vs_reference": df["value"].to_numpy(float) - df["target_id"].map(ref).to_numpy(float),
            "first_year_met": [int(y) if pd.notna(y) else "not by 2010" for y in df["first_year_met"]],
        }
    )
    return out


def _indicator_of(run: RunResult) -> dict[str, str]:
    return {t.target_id: t.indicator for t in run.model.targets}


def _paths(runs: dict[str, RunResult], ids: list[str]) -> pd.DataFrame:
    frames = []
    for sid in ids:
        f = runs[sid].indicator_frame()[["indicator", "year", "value", "unit"]]
        f.insert(0, "scenario", sid)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def _sectors(runs: dict[str, RunResult], ids: list[str]) -> pd.DataFrame:
    frames = []
    for sid in ids:
        r = runs[sid]
        go = r.projection["gross_output"][0]  # (T, S)
        years = list(r.years)
        for t, y in enumerate(years):
            frames.append(pd.DataFrame({"scenario": sid, "sector": r.projection.sectors, "year": y, "gross_output": go[t]}))
    return pd.concat(frames, ignore_index=True)


def _switched(ref: Scenario, other: Scenario, group: str) -> Scenario:
    """The reference scenario with one input group (``levers.investment``) taken from ``other``."""
    section, _, name = group.partition(".")
    doc = copy.deepcopy(ref.raw)
    block = dict(doc.get(section) or {})
    theirs = (other.raw.get(section) or {}).get(name)
    if theirs is None:
        block.pop(name, None)
    else:
        block[name] = copy.deepcopy(theirs)
    doc[section] = block
    spec = validate_file(ref.path, doc)
    return Scenario(spec=spec, path=ref.path, chain=ref.chain, raw=doc)


def _value_2007(run: RunResult, indicator: str, year: int) -> float:
    return float(run.indicators[indicator].value[0, run.years.index(year)])


def _attribution(
    scens: list[Scenario], ids: list[str], runs: dict[str, RunResult], levers: pd.DataFrame, model: Model
) -> pd.DataFrame:
    ref_id, ref = ids[0], scens[0]
    targets = model.targets
    rows = []
    for sid, scen in zip(ids[1:], scens[1:], strict=True):
        pair = diff_frame([ref, scen], [ref_id, sid])
        groups = list(dict.fromkeys(pair["group"]))
        single: dict[str, RunResult] = {g: run_scenario(_switched(ref, scen, g), model=model) for g in groups}
        for tgt in targets:
            a = _value_2007(runs[ref_id], tgt.indicator, tgt.year)
            total = _value_2007(runs[sid], tgt.indicator, tgt.year) - a
            effects = {g: _value_2007(r, tgt.indicator, tgt.year) - a for g, r in single.items()}
            largest = max(effects, key=lambda g: abs(effects[g])) if effects else None
            if largest is not None and abs(effects[largest]) < 1e-12:
                largest = None
            for g, e in effects.items():
                rows.append(_arow(sid, ref_id, tgt, g, e, total, g == largest))
            rows.append(_arow(sid, ref_id, tgt, INTERACTION, total - sum(effects.values()), total, False))
    cols = ["scenario", "reference", "task", "target_id", "indicator", "year", "group", "label_en", "label_zh",
            "effect", "total_change", "largest"]
    return pd.DataFrame(rows, columns=cols)


def _arow(sid, ref_id, tgt, group, effect, total, largest) -> dict:
    if group == INTERACTION:
        en, zh = "Interaction (not explained by single switches)", "交互作用(单项切换未解释部分)"
    else:
        en, zh = label(group, "en"), label(group, "zh")
    return {
        "scenario": sid, "reference": ref_id, "task": tgt.task, "target_id": tgt.target_id,
        "indicator": tgt.indicator, "year": tgt.year, "group": group, "label_en": en, "label_zh": zh,
        "effect": float(effect), "total_change": float(total), "largest": bool(largest),
    }


def compare(
    scenarios: Sequence[Scenario | str | Path], lang: str = "zh", model: Model | None = None,
    n_uncertainty: int = N_SAMPLE,
) -> Comparison:
    """Run every scenario, score it against the plan targets and compare with the first one.

    ``outcomes`` holds, beside each central value, ``p_met`` (with a 95 % interval
    ``p_lo``-``p_hi``): the share of ``n_uncertainty`` fixed states of the world, drawn from
    the scenario's uncertainty block, in which the target is met
    (:mod:`model.studies.compare.probability`; 0 leaves the columns out).

    Raises ``ScenarioError`` for a bad file and ``ValueError`` for fewer than two scenarios
    or an unknown ``lang``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    scens = [as_scenario(s) for s in scenarios]
    if len(scens) < 2:
        raise ValueError("compare needs at least two scenarios (the first is the reference)")
    model = model or load_model()
    ids = scenario_ids(scens)
    runs = {sid: run_scenario(s, model=model) for sid, s in zip(ids, scens, strict=True)}
    levers = diff_frame(scens, ids)
    outcomes = _outcomes(runs, ids)
    if n_uncertainty:
        probs = policy_probabilities(scens, ids, model, n=n_uncertainty)
        outcomes = outcomes.merge(probs[["scenario", "target_id", "p_met", "p_lo", "p_hi"]],
                                  on=["scenario", "target_id"], how="left", validate="one_to_one")
    return Comparison(
        scenarios=scens,
        ids=ids,
        runs=runs,
        levers=levers,
        outcomes=outcomes,
        paths=_paths(runs, ids),
        attribution=_attribution(scens, ids, runs, levers, model),
        sectors=_sectors(runs, ids),
        lang=lang,
        model=model,
    )


__all__ = ["Comparison", "compare", "folder_name"]
