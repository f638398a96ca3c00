"""The scenario registry is the single source of levers: adding one is one entry (+ its equation).

A fixture registry with a dummy lever must show up, with nothing else edited, in the scenario
schema, the core drivers and their neutral values, the resolved drivers, the lever diff and
the uncertainty (sensitivity) inputs, which take states of the world only.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

from model import core
from model.run import load_model
from model.scenario.loader import Scenario, _check_names
from model.scenario.registry import REGISTRY, InputSpec, ModeSpec
from model.scenario.resolve import neutral_drivers, resolve_drivers
from model.scenario.schema import ScenarioFile, scenario_file_model
from model.studies.compare.diff import diff_frame
from model.studies.sensitivity.adapter import build_problem

ROOT = Path(__file__).resolve().parents[1]

DUMMY = InputSpec(
    "dummy_push", "instrument", "t",
    {"rate": ModeSpec("dummy_push_rate", "count_per_year", 0.0, 10.0, neutral=1.5)},
    "counters", "Dummy lever", "测试杠杆", plan_task="99",
)
DUMMY_STATE = InputSpec(
    "dummy_world", "assumption", "t",
    {"rate": ModeSpec("dummy_world_growth", "fraction_per_year", -0.1, 0.1)},
    "trade", "Dummy state of the world", "测试外部假设",
)
FIXTURE = REGISTRY.with_entries([DUMMY, DUMMY_STATE])


def _doc(**levers) -> dict:
    doc = yaml.safe_load((ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"))
    doc["levers"] = {**doc["levers"], **levers}
    return doc


def _scenario(doc: dict, name: str) -> Scenario:
    spec = scenario_file_model(FIXTURE).model_validate(doc)
    return Scenario(spec=spec, path=Path(f"/fixture/{name}.yaml"), chain=(), raw=doc)


def test_dummy_lever_is_in_the_generated_schema():
    doc = _doc(dummy_push={"values": 3.0})
    spec = scenario_file_model(FIXTURE).model_validate(doc)
    assert spec.levers.dummy_push.values == 3.0
    assert spec.registry is FIXTURE
    assert ("levers", "dummy_push") in [(s, n) for s, n, _ in spec.paths()]
    with pytest.raises(ValidationError, match="dummy_push"):
        ScenarioFile.model_validate(doc)  # the real registry has no such lever


def test_schema_sections_are_the_registry():
    levers = ScenarioFile.model_fields["levers"].annotation
    assumptions = ScenarioFile.model_fields["assumptions"].annotation
    assert tuple(levers.model_fields) == tuple(s.name for s in REGISTRY.section("levers"))
    assert tuple(assumptions.model_fields) == tuple(s.name for s in REGISTRY.section("assumptions"))


def test_dummy_lever_has_a_driver_and_its_neutral_value():
    assert FIXTURE.drivers["dummy_push_rate"].dims == "t"
    neutral = neutral_drivers(3, FIXTURE)
    assert neutral["dummy_push_rate"].shape == (len(core.YEARS),)
    assert (neutral["dummy_push_rate"] == 1.5).all()
    # neutral values are data of the entries: levels NaN ("not given"), rates zero
    base = neutral_drivers(3)
    assert np.isnan(base["exchange_rate"]).all() and base["exchange_rate"].shape == (8,)
    assert (base["efficiency_spending"] == 0.0).all() and base["efficiency_spending"].shape == (8, 3)
    assert (base["large_project_completion"] == 0.0).all() and base["large_project_completion"].shape == (8, 3)
    assert set(base) == set(core.DRIVERS) and "dummy_push_rate" not in core.DRIVERS


def test_dummy_lever_resolves_to_its_driver():
    model = load_model()
    share = model.base.investment / model.base.investment.sum()
    unset = resolve_drivers(_scenario(_doc(), "a"), model.sector_ids, share)
    assert (unset["dummy_push_rate"] == 1.5).all()
    given = resolve_drivers(_scenario(_doc(dummy_push={"values": {2004: 2.0, 2010: 8.0}}), "b"), model.sector_ids, share)
    assert given["dummy_push_rate"][1] == 2.0 and given["dummy_push_rate"][-1] == 8.0


def test_dummy_lever_shows_in_the_diff():
    a, b = _scenario(_doc(), "a"), _scenario(_doc(dummy_push={"values": 4.0}), "b")
    d = diff_frame([a, b], ["a", "b"])
    assert d["field"].tolist() == ["levers.dummy_push.values"]
    row = d.iloc[0]
    assert row["a"] == 1.5 and row["b"] == 4.0  # unset = the entry's neutral value
    assert row["label_zh"] == "测试杠杆"


def test_dummy_assumption_is_a_sensitivity_input():
    from model.parameters import load_parameters
    from model.sectors import SECTOR_IDS

    doc = _doc()
    doc["uncertainty"] = {"use_priors": False, "inputs": [{"path": "assumptions.dummy_world", "low": -0.05, "high": 0.05}]}
    scen = _scenario(doc, "u")
    _check_names(scen.path, scen.spec, tuple(SECTOR_IDS), load_parameters().names)  # the loader accepts it
    problem, cols, _ = build_problem(scen, load_model())
    assert [c.target for c in cols] == ["dummy_world_growth"]
    assert [c.path for c in cols] == ["assumptions.dummy_world"]
    assert problem.inputs[0].unit == "fraction_per_year"


def test_registry_rejects_inconsistent_entries():
    with pytest.raises(ValueError, match="duplicate"):
        REGISTRY.with_entries([DUMMY, DUMMY])
    clash = InputSpec("other", "assumption", "t", {"rate": ModeSpec("labour_growth", "x", 0, 1)}, "f", "e", "z")
    with pytest.raises(ValueError, match="more than one mode"):
        REGISTRY.with_entries([clash])
    with pytest.raises(ValueError, match="role"):
        InputSpec("x", "policy", "t", {"rate": ModeSpec("x", "u", 0, 1)}, "f", "e", "z")
    assert math.isnan(REGISTRY["exchange_rate"].neutral) and REGISTRY["exchange_rate"].required
