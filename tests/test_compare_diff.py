"""Lever diff: exactly the fields that differ, resolved through ``extends``."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.scenario import ScenarioError
from model.studies.compare import diff

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture
def parent(tmp_path: Path) -> Path:
    p = tmp_path / "parent.yaml"
    p.write_text((SCENARIOS / "baseline.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return p


def _child(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(f"extends: parent.yaml\nname: {{en: {name}, zh: 子情景}}\n{body}", encoding="utf-8")
    return p


def test_identical_files_give_empty_diff(parent, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(parent.read_text(encoding="utf-8"), encoding="utf-8")
    assert diff(parent, copy).empty
    # a child that only renames (and re-notes) changes no model input
    child = _child(tmp_path, "renamed", "description: same inputs\nassumptions:\n  fdi_external_growth: {values: 0.15, note: other note}\n")
    assert diff(parent, child).empty


def test_child_overriding_one_lever_differs_in_that_field_only(parent, tmp_path):
    child = _child(tmp_path, "fund", "levers:\n  rd_special_fund: {values: 25}\n")
    d = diff(parent, child)
    assert list(d["field"]) == ["levers.rd_special_fund.values"]
    row = d.iloc[0]
    assert row["parent"] == 0.0 and row["fund"] == 25.0  # not set in the parent: neutral value
    assert row["group"] == "levers.rd_special_fund"
    assert row["label_zh"] == "省先进制造业专项资金(研发)"


def test_grandchild_through_two_extends(parent, tmp_path):
    _child(tmp_path, "mid", "levers:\n  fdi_promotion: {values: 25}\n")
    gc = tmp_path / "grandchild.yaml"
    gc.write_text("extends: mid.yaml\nname: {en: gc, zh: 孙}\nparameters: {rd_return: 0.3}\n", encoding="utf-8")
    d = diff(parent, gc)
    assert list(d["field"]) == ["levers.fdi_promotion.values", "parameters.rd_return"]
    assert d.set_index("field").loc["levers.fdi_promotion.values", "grandchild"] == 25
    assert d.set_index("field").loc["parameters.rd_return", "grandchild"] == 0.3
    assert diff(tmp_path / "mid.yaml", gc)["field"].tolist() == ["parameters.rd_return"]


def test_time_path_is_compared_year_by_year(parent, tmp_path):
    # baseline labour growth: 0.02 every year; the child changes 2004-2006 only
    child = _child(tmp_path, "inv", "assumptions:\n  labour_growth: {values: {2004: 0.03, 2006: 0.02}}\n")
    d = diff(parent, child)
    assert list(d["field"]) == ["assumptions.labour_growth.values.2004", "assumptions.labour_growth.values.2005"]
    assert d["inv"].tolist() == pytest.approx([0.03, 0.025])
    # a dict that interpolates to the same constant path is not a difference
    same = _child(tmp_path, "same", "assumptions:\n  labour_growth: {values: {2004: 0.02, 2010: 0.02}}\n")
    assert diff(parent, same).empty


def test_mode_sectors_projects_switches(parent, tmp_path):
    child = _child(
        tmp_path,
        "many",
        "levers:\n"
        "  efficiency_spending: {values: 0.0, sectors: {textiles: 0.1}}\n"
        "  large_projects:\n"
        "    - {name: Steel, sector: ferrous_metals, investment_100m_yuan: 50, start_year: 2005, years: 2}\n"
        "  fdi_promotion: {values: 8}\n"
        "switches: {rd_definition: st_activities}\n",
    )
    d = diff(parent, child).set_index("field")
    assert set(d.index) == {
        "levers.efficiency_spending.sectors.textiles",
        "levers.large_projects",
        "levers.fdi_promotion.values",
        "switches.rd_definition",
    }
    assert d.loc["levers.efficiency_spending.sectors.textiles", "parent"] is None  # follows province-wide path
    assert d.loc["levers.fdi_promotion.values", "many"] == 8
    assert "Steel" in d.loc["levers.large_projects", "many"]
    assert d.loc["levers.large_projects", "parent"] == "none"


def test_real_scenarios(tmp_path):
    d = diff(SCENARIOS / "plan-2004.yaml", SCENARIOS / "rd-led.yaml")
    assert set(d["group"]) == {
        "levers.renovation_grants", "levers.rd_tax_credit", "levers.rd_special_fund",
        "levers.informatization_subsidy", "levers.large_projects",
    }


def test_bad_file_raises_scenario_error(tmp_path, parent):
    bad = _child(tmp_path, "bad", "levers:\n  not_a_lever: {values: 1}\n")
    with pytest.raises(ScenarioError, match="not_a_lever"):
        diff(parent, bad)


def test_diff_carries_the_unit_of_every_value_from_the_registry(parent, tmp_path):
    child = _child(tmp_path, "units", "levers:\n  rd_special_fund: {values: 25}\n  rd_tax_credit: {values: 0.1}\n"
                   "assumptions:\n  labour_growth: {values: 0.03}\nparameters: {rd_return: 0.3}\n"
                   "switches: {rd_definition: st_activities}\n")
    d = diff(parent, child).set_index("field")
    assert d.loc["levers.rd_special_fund.values", "unit"] == "100m_yuan_nominal_per_year"
    assert d.loc["levers.rd_tax_credit.values", "unit"] == "fraction_of_rd"
    assert d.loc["assumptions.labour_growth.values", "unit"] == "fraction_per_year"
    from model.parameters import load_parameters

    assert d.loc["parameters.rd_return", "unit"] == load_parameters()["rd_return"].unit != ""
    assert d.loc["switches.rd_definition", "unit"] == ""


def test_plain_diff_table_shows_values_with_units(parent, tmp_path, capsys):
    from model.cli import main

    child = _child(tmp_path, "units", "levers:\n  rd_special_fund: {values: 25}\n  rd_tax_credit: {values: 0.1}\n"
                   "assumptions:\n  labour_growth: {values: {2004: 0.03, 2006: 0.02}}\n")
    assert main(["diff", str(parent), str(child), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    import re

    cells = {c[1]: c[2:] for c in (re.split(r"\s{2,}", ln.strip()) for ln in out.splitlines()) if len(c) > 2}
    assert cells["levers.rd_special_fund.values"] == ["0 100m yuan/yr (current prices)", "25 100m yuan/yr (current prices)"]
    assert cells["levers.rd_tax_credit.values"] == ["0 % of R&D", "10 % of R&D"]
    assert cells["assumptions.labour_growth.values.2005"] == ["2 %/yr", "2.5 %/yr"]
    assert main(["diff", str(parent), str(child), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "25 亿元/年(现价)" in out and "10 %(占研发经费)" in out and "2.5 %/年" in out


def test_units_per_scenario_when_modes_differ():
    import pandas as pd

    from model.studies.compare.diff import UNIT_SEPARATOR, _unit_cell, shown_with_units

    assert _unit_cell(["ratio", "ratio"]) == "ratio"
    assert _unit_cell(["", "ratio"]) == "ratio"
    assert _unit_cell(["", ""]) == ""
    assert _unit_cell(["ratio", "fraction_per_year"]) == f"ratio{UNIT_SEPARATOR}fraction_per_year"
    df = pd.DataFrame([{"field": "levers.x.values", "unit": "ratio | fraction_per_year", "a": 0.5, "b": 0.2},
                       {"field": "levers.x.mode", "unit": "", "a": "share", "b": "rate"}])
    got = shown_with_units(df, ["a", "b"], "en")
    assert got.loc[0, "a"] == "50 %" and got.loc[0, "b"] == "20 %/yr"
    assert got.loc[1, "a"] == "share" and got.loc[1, "b"] == "rate"
