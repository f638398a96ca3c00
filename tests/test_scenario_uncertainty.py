"""The uncertainty block is validated once, by the scenario loader, with the adapter's rules."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from model.run import load_model
from model.scenario import ScenarioError, load_scenario
from model.studies.sensitivity.adapter import build_problem

PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan-2004.yaml"


def _scenario(tmp_path: Path, block: str) -> Path:
    p = tmp_path / "u.yaml"
    p.write_text(f"extends: {PLAN}\nname: {{en: t, zh: t}}\n" + textwrap.dedent(block), encoding="utf-8")
    return p


def test_exclude_takes_bare_and_prefixed_parameter_names(tmp_path):
    p = _scenario(tmp_path, "uncertainty:\n  exclude: [parameters.alpha_k, delta_k]\n")
    problem, _, _ = build_problem(load_scenario(p), load_model())  # the loader accepts both forms
    assert "alpha_k" not in problem.names and "delta_k" not in problem.names
    assert "tfp_growth" in problem.names


@pytest.mark.parametrize("block,match", [
    ("uncertainty:\n  exclude: [parameters.nonsense]\n", "uncertainty.exclude: 'parameters.nonsense' is not a parameter"),
    ("uncertainty:\n  inputs: [{path: parameters.alpha_k, op: scale, low: 0.9, high: 1.1}]\n", "parameters take op: set"),
    ("uncertainty:\n  inputs: [{path: parameters.alpha_k}, {path: parameters.alpha_k}]\n", "listed more than once"),
    ("uncertainty:\n  inputs: [{path: assumptions.fdi_external_growth}]\n", "needs low and high"),
    ("uncertainty:\n  inputs: [{path: levers.fdi_promotion, low: 0, high: 5}]\n", "is a lever"),
])
def test_the_loader_rejects_what_the_adapter_cannot_use(tmp_path, block, match):
    with pytest.raises(ScenarioError, match=match):
        load_scenario(_scenario(tmp_path, block))
