"""Bilingual help with an example per command; "did you mean"; `30%` and full-width colons."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from model.cli import build_parser, main
from model.scenario import ScenarioError, load_scenario

CJK = re.compile(r"[\u4e00-\u9fff]")
PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan-2004.yaml"


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, action.choices


def test_top_level_help_is_bilingual_with_examples():
    parser, subs = _subparsers()
    text = parser.format_help()
    assert CJK.search(text) and "examples / 示例" in text
    for cmd in subs:
        assert f"mfgbase {cmd}" in text, cmd


@pytest.mark.parametrize("cmd", ["run", "validate", "compare", "diff", "levers", "sensitivity", "calibrate"])
def test_every_command_help_is_bilingual_with_an_example(cmd):
    _, subs = _subparsers()
    sub = subs[cmd]
    text = sub.format_help()
    assert CJK.search(sub.description or ""), f"{cmd}: no Chinese description"
    examples = text.split("examples / 示例:")[1]
    assert f"mfgbase {cmd}" in examples
    for a in sub._actions:
        if a.help not in (None, argparse.SUPPRESS):
            assert CJK.search(a.help) and re.search("[A-Za-z]", a.help), f"{cmd} {a.dest}: {a.help!r}"


def _write(tmp_path, body: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(f"extends: {PLAN}\nname: {{en: t, zh: 测试}}\n{body}", encoding="utf-8")
    return p


def test_unknown_key_and_sector_get_did_you_mean(tmp_path, capsys):
    from model.scenario.registry import LEVERS

    name = max(LEVERS, key=len)
    typo = name[:-2] + name[-1] + name[-2]  # last two letters swapped
    p = _write(tmp_path, f"levers:\n  {typo}: {{values: 0.1}}\n")
    assert main(["validate", str(p)]) == 2
    assert f"did you mean '{name}'?" in capsys.readouterr().err
    p = _write(tmp_path, "levers:\n  large_projects: [{name: x, sector: electronic_telecom, "
                         "investment_100m_yuan: 10, start_year: 2005}]\n")
    with pytest.raises(ScenarioError, match="did you mean 'electronics_telecom'"):
        load_scenario(p)
    p = _write(tmp_path, "parameters: {tfp_grwoth: 0.01}\n")
    with pytest.raises(ScenarioError, match="did you mean .tfp_growth."):
        load_scenario(p)


def test_percent_values_accepted_where_the_unit_is_a_fraction(tmp_path):
    p = _write(tmp_path, "assumptions:\n  world_demand_growth: {values: {2004: 30%, 2007: 15 %}}\n")
    assert load_scenario(p).spec.assumptions.world_demand_growth.values == {2004: 0.3, 2007: 0.15}


def test_percent_explained_where_the_unit_is_not(tmp_path):
    p = _write(tmp_path, "levers:\n  new_brands: {values: 30%}\n")
    with pytest.raises(ScenarioError, match=r"not a percentage .*write a plain number without %"):
        load_scenario(p)
    p = _write(tmp_path, "parameters: {gamma_r: 12%}\n")
    with pytest.raises(ScenarioError, match=r"write percentages as fractions: 12% -> 0.12"):
        load_scenario(p)


def test_fullwidth_colon_after_a_key_is_accepted_and_others_explained(tmp_path):
    p = _write(tmp_path, "assumptions\uff1a\n  world_demand_growth\uff1a {values: 0.05, note: \"\u8bf4\u660e\uff1a\u5047\u8bbe\"}\n")
    s = load_scenario(p)
    w = s.spec.assumptions.world_demand_growth
    assert w.values == 0.05 and w.note == "\u8bf4\u660e\uff1a\u5047\u8bbe"
    p = _write(tmp_path, "assumptions:\n  world_demand_growth: {values: {2004\uff1a 0.3\uff0c 2005: 0.2}}\n")
    with pytest.raises(ScenarioError, match="full-width punctuation"):
        load_scenario(p)


def test_child_replacing_a_path_with_sector_overrides_is_reported(tmp_path, capsys):
    """plan-2004 sets per-sector R&D paths; a child that rewrites the province-wide path drops them."""
    from model.outputs.writer import scorecard_markdown
    from model.run import run_scenario

    p = _write(tmp_path, "levers:\n  efficiency_spending: {values: 0.3}\n")
    assert main(["validate", str(p)]) == 0
    err = capsys.readouterr().err
    assert "warning: s.yaml: levers.efficiency_spending" in err and "chemicals" in err
    assert "levers.efficiency_spending" in scorecard_markdown(run_scenario(p))
    # a child that keeps the parent's path gets no warning
    p = _write(tmp_path, "levers:\n  fdi_promotion: {values: 6}\n")
    assert main(["validate", str(p)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_inherited_overrides_shadowing_a_province_wide_change_are_named(monkeypatch):
    """Under a merge that keeps a parent's sectors, the sectors that ignore the child's change are named."""
    import model.scenario.shadowing as sh
    from model.scenario.loader import Scenario

    scen = load_scenario(PLAN)
    child = Path("/nonexistent/child.yaml")
    docs = {child: {"levers": {"efficiency_spending": {"values": 0.3}}}, scen.path: scen.raw}
    monkeypatch.setattr(sh, "read_yaml", lambda p: docs[p])
    parent = scen.raw["levers"]["efficiency_spending"]
    merged = {**scen.raw, "levers": {**scen.raw["levers"], "efficiency_spending": {**parent, "values": 0.3}}}
    ws = sh.shadowing_warnings(Scenario(spec=scen.spec, path=child, chain=(child, scen.path), raw=merged))
    assert any("still set chemicals, nonmetallic_minerals" in w for w in ws), ws
