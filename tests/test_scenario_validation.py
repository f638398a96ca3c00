"""Scenario files: shipped files validate; every bad-input class gives one clear message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from model.cli import main
from model.scenario import ScenarioError, load_scenario
from model.scenario.resolve import interpolate

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def write(tmp_path, name, doc) -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def child(**levers):
    return {
        "extends": str(ROOT / "scenarios" / "baseline.yaml"),
        "name": {"en": "Test", "zh": "测试"},
        "levers": levers,
    }


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenarios_validate(path):
    scen = load_scenario(path)
    assert scen.spec.name.zh and scen.spec.name.en


def test_every_lever_value_carries_a_note():
    for path in SHIPPED:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("levers", "assumptions"):
            for name, block in (doc.get(section) or {}).items():
                if name == "large_projects":
                    assert all(p.get("note") for p in block), f"{path.name}: {name}"
                else:
                    assert block.get("note"), f"{path.name}: {section}.{name} has no note"


def test_extends_inherits_and_overrides():
    plan = load_scenario(ROOT / "scenarios" / "plan-2004.yaml")
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert plan.spec.assumptions.exchange_rate == base.spec.assumptions.exchange_rate
    assert plan.spec.levers.fdi_promotion != base.spec.levers.fdi_promotion
    assert [p.name for p in plan.chain] == ["plan-2004.yaml", "baseline.yaml"]


def test_interpolation_linear_and_flat_outside():
    path = interpolate({2004: 0.2, 2006: 0.1})
    assert list(path.round(3)) == [0.2, 0.2, 0.15, 0.1, 0.1, 0.1, 0.1, 0.1]


BAD = {
    "malformed": ("name: {en: x, zh: y\nlevers: [", ["malformed YAML", "line"]),
    "unknown_key": (child(renovation_grant={"values": 1}), ["levers.renovation_grant", "unknown key", "allowed", "renovation_grants"]),
    "wrong_type": (child(rd_special_fund={"values": "fast"}), ["levers.rd_special_fund.values", "fast"]),
    "out_of_range": (child(efficiency_spending={"values": 170}), ["levers.efficiency_spending.values", "170", "allowed 0.0 to 100.0"]),
    "year_outside": (child(fdi_promotion={"values": {2012: 1}}), ["levers.fdi_promotion.values", "2012", "2004-2010"]),
    "bad_mode": (child(efficiency_spending={"mode": "growth", "values": 0.2}), ["efficiency_spending.mode", "allowed: rate"]),
    "unknown_sector": (child(efficiency_spending={"values": 0.1, "sectors": {"steel": 0.2}}), ["sectors.steel", "unknown sector", "ferrous_metals"]),
    "unknown_parameter": ({**child(), "parameters": {"rd_retrun": 0.1}}, ["parameters.rd_retrun", "unknown parameter", "rd_return"]),
    "lever_in_uncertainty": ({**child(), "uncertainty": {"inputs": [{"path": "levers.rd_special_fund", "low": 0, "high": 30}]}},
                             ["uncertainty.inputs.0.path", "levers.rd_special_fund", "is a lever", "assumptions.<name>"]),
    "missing_name": ({"extends": str(ROOT / "scenarios" / "baseline.yaml")}, ["name", "required"]),
    "fdi_reading_b": ({**child(), "switches": {"fdi_reading": "b"}}, ["switches", "reading 'b'", "allowed"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_message_names_file_field_and_allowed(tmp_path, case, capsys):
    doc, expected = BAD[case]
    path = write(tmp_path, f"{case}.yaml", doc)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    msg = str(exc.value)
    assert str(path) in msg or path.name in msg
    for part in expected:
        assert part in msg, f"{part!r} not in {msg!r}"
    # CLI: exit 2, message on stderr, no traceback, nothing written
    out_dir = tmp_path / "results"
    assert main(["run", str(path), "--out", str(out_dir)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err
    assert not out_dir.exists()
    assert main(["validate", str(path)]) == 2


def test_missing_file_and_missing_extends_and_cycle(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")
    p = write(tmp_path, "orphan.yaml", {"extends": "ghost.yaml", "name": {"en": "a", "zh": "甲"}})
    with pytest.raises(ScenarioError, match=r"extends: file 'ghost.yaml' not found"):
        load_scenario(p)
    write(tmp_path, "a.yaml", {"extends": "b.yaml", "name": {"en": "a", "zh": "甲"}})
    write(tmp_path, "b.yaml", {"extends": "a.yaml", "name": {"en": "b", "zh": "乙"}})
    with pytest.raises(ScenarioError, match="inheritance cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_validate_reports_all_files(tmp_path, capsys):
    bad = write(tmp_path, "bad.yaml", child(rd_tax_credit={"values": 9.0}))
    code = main(["validate", str(ROOT / "scenarios" / "baseline.yaml"), str(bad)])
    out = capsys.readouterr()
    assert code == 2
    assert "baseline.yaml: ok" in out.out
    assert "bad.yaml" in out.err and "levers.rd_tax_credit.values" in out.err


def test_per_sector_parameters(tmp_path):
    from model.run import run_scenario

    # ample power supply, so that rationing (a province-wide channel, block E) stays out of it
    ample = child(power_capacity={"mode": "growth", "values": 0.5})
    ok = write(tmp_path, "sector_tfp.yaml", {**ample, "parameters": {"tfp_growth": {"sectors": {"textiles": 0.06}}}})
    base = run_scenario(write(tmp_path, "ample.yaml", ample))
    varied = run_scenario(ok)
    assert not base.projection["power_curtailment"][:, 1:].any()
    va_b, va_v = base.projection["value_added"][0, -1], varied.projection["value_added"][0, -1]
    textiles = list(base.projection.sectors).index("textiles")
    assert va_v[textiles] > va_b[textiles]
    others = [i for i in range(len(va_b)) if i != textiles]
    np.testing.assert_allclose(va_v[others], va_b[others], rtol=1e-12)  # no cross-sector channel without a fund
    bad = write(tmp_path, "sector_eta.yaml", {**child(), "parameters": {"eta_y": {"sectors": {"textiles": 2.5}}}})
    with pytest.raises(ScenarioError, match="parameters.eta_y: takes a single province-wide number"):
        load_scenario(bad)
