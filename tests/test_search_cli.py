"""``mfgbase search`` end to end (tiny settings): the folder, the mix file, its run, the reports."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from model.cli import main
from model.outputs.tables import read_csv
from tests._bad_input import ROOT

PLAN = str(ROOT / "scenarios" / "plan-2004.yaml")
TINY = ["--samples", "30", "--recheck-samples", "60", "--population", "8", "--generations", "3",
        "--prim-samples", "150", "--seed", "1"]
REACHABLE = "erp_share,informatized_large_medium,clean_production,energy_intensity_change"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("search") / "plan-search"
    assert main(["search", PLAN, "--alpha", "0.5", "--targets", REACHABLE, "--lock", "power_capacity=0.2",
                 *TINY, "--out", str(out)]) == 0
    return out


def test_folder_holds_every_output(folder):
    names = {p.name for p in folder.iterdir()}
    assert {"front.csv", "front.png", "cheapest-mix.yaml", "recheck.csv", "binding_targets.csv",
            "binding_instruments.csv", "reach.csv", "prim_boxes.csv", "convergence.csv", "manifest.json",
            "report.zh.md", "report.en.md", "report.zh.html", "report.en.html"} <= names
    front = read_csv(folder / "front.csv")
    assert front.cost_2004_2010.is_monotonic_increasing and front.p_all.is_monotonic_increasing
    assert read_csv(folder / "recheck.csv").n_fresh.eq(60).all()
    boxes = read_csv(folder / "prim_boxes.csv")
    dims = boxes.dimension.dropna().astype(str)
    assert dims.str.match(r"^(levers|parameters|assumptions)\.").all()  # scenario-file terms


def test_mix_file_validates_and_runs(folder, tmp_path, capsys):
    doc = yaml.safe_load((folder / "cheapest-mix.yaml").read_text(encoding="utf-8"))
    assert doc["extends"].endswith("plan-2004.yaml")
    assert doc["levers"]["power_capacity"]["values"] == 0.2
    assert "locked at 0.2" in doc["levers"]["power_capacity"]["note"]
    for name, entry in doc["levers"].items():
        assert "found by search" in entry["note"] and "alpha 0.5" in entry["note"] and "seed 1" in entry["note"], name
    assert main(["validate", str(folder / "cheapest-mix.yaml")]) == 0
    assert main(["run", str(folder / "cheapest-mix.yaml"), "--draws", "0", "--out", str(tmp_path / "run")]) == 0
    sc = pd.read_csv(tmp_path / "run" / "scorecard.csv")
    assert len(sc) > 0


def test_reports_are_bilingual(folder):
    zh = (folder / "report.zh.md").read_text(encoding="utf-8")
    en = (folder / "report.en.md").read_text(encoding="utf-8")
    assert "政策组合搜索" in zh and "新样本复核" in zh and "情景发现" in zh
    assert "Policy search" in en and "Re-check on a fresh sample" in en and "Scenario discovery" in en
    assert "<html" in (folder / "report.zh.html").read_text(encoding="utf-8")[:500].lower()


def test_unreachable_alpha_says_so(tmp_path, capsys):
    out = tmp_path / "all"
    assert main(["search", PLAN, "--alpha", "0.8", *TINY, "--prim-samples", "0", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "no mix within the ranges reaches P(all met) >= 0.8" in printed
    en = (out / "report.en.md").read_text(encoding="utf-8")
    assert "No mix within the instruments" in en and "The highest P found is" in en
    assert "没有任何组合" in (out / "report.zh.md").read_text(encoding="utf-8")
    assert "alpha 0.8 not reached" in (out / "cheapest-mix.yaml").read_text(encoding="utf-8")
