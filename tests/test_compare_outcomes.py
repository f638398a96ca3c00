"""Comparison frames agree with separate run_scenario runs; attribution is the stated method."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.run import load_model, run_scenario
from model.scenario import load_scenario
from model.studies.compare import compare
from model.studies.compare.compare import INTERACTION, _switched, folder_name

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FILES = [SCENARIOS / "baseline.yaml", SCENARIOS / "plan-2004.yaml", SCENARIOS / "green-first.yaml"]


@pytest.fixture(scope="module")
def cmp():
    return compare(FILES, lang="zh")


def test_outcomes_match_separate_runs(cmp):
    model = load_model()
    ref = run_scenario(FILES[0], model=model).scorecard().set_index("target_id")
    for path, sid in zip(FILES, ["baseline", "plan-2004", "green-first"], strict=True):
        sc = run_scenario(path, model=model).scorecard().set_index("target_id")
        oc = cmp.outcomes[cmp.outcomes["scenario"] == sid].set_index("target_id")
        assert list(oc.index) == list(sc.index)
        np.testing.assert_allclose(oc["value"], sc["value"], rtol=1e-12)
        np.testing.assert_allclose(oc["diff_vs_reference"], sc["value"] - ref["value"], rtol=1e-9, atol=1e-12)
        assert (oc["met"] == sc["met"]).all()
        expected_first = [int(y) if y == y else "not by 2010" for y in sc["first_year_met"]]
        assert oc["first_year_met"].tolist() == expected_first
    assert (cmp.outcomes[cmp.outcomes["scenario"] == "baseline"]["diff_vs_reference"] == 0).all()


def test_paths_frame_is_tidy_and_matches(cmp):
    p = cmp.paths
    assert list(p.columns[:4]) == ["scenario", "indicator", "year", "value"]
    assert sorted(p["year"].unique()) == list(range(2003, 2011))
    run = run_scenario(FILES[2])
    got = p[(p["scenario"] == "green-first") & (p["indicator"] == "energy_intensity_change")]["value"].to_numpy()
    np.testing.assert_allclose(got, run.indicators["energy_intensity_change"].value[0])


def test_levers_frame_one_column_per_scenario(cmp):
    assert list(cmp.levers.columns[-3:]) == cmp.ids == ["baseline", "plan-2004", "green-first"]
    assert "levers.large_projects" in set(cmp.levers["field"])
    assert "levers.renovation_grants.values" in set(cmp.levers["field"])


def test_attribution_is_one_at_a_time_switching(cmp):
    a = cmp.attribution
    model = load_model()
    ref, green = load_scenario(FILES[0]), load_scenario(FILES[2])
    base = run_scenario(ref, model=model).scorecard().set_index("target_id")["value"]
    switched = run_scenario(_switched(ref, green, "levers.efficiency_spending"), model=model)
    alone = switched.scorecard().set_index("target_id")["value"] - base
    sub = a[(a["scenario"] == "green-first") & (a["group"] == "levers.efficiency_spending")].set_index("target_id")
    np.testing.assert_allclose(sub["effect"], alone[sub.index], atol=1e-12)
    # single effects + interaction add up to the total change, for every scenario and target
    for (_s, _t), g in a.groupby(["scenario", "target_id"]):
        assert g["effect"].sum() == pytest.approx(g["total_change"].iloc[0], abs=1e-9)
        assert g["largest"].sum() <= 1
        assert not g[g["group"] == INTERACTION]["largest"].any()
    # the named lever is the largest single effect: energy efficiency programme for energy use
    row = a[(a["scenario"] == "green-first") & (a["target_id"] == "energy_intensity_change") & a["largest"]]
    assert row["group"].tolist() == ["levers.efficiency_spending"]
    row = a[(a["scenario"] == "plan-2004") & (a["target_id"] == "erp_share") & a["largest"]]
    assert row["group"].tolist() == ["levers.informatization_subsidy"]


def test_compare_accepts_scenario_objects_and_needs_two():
    s = load_scenario(FILES[0])
    with pytest.raises(ValueError, match="at least two"):
        compare([s])
    with pytest.raises(ValueError, match="lang"):
        compare([s, s], lang="fr")
    c = compare([s, s])
    assert c.ids == ["baseline", "baseline-2"]
    assert c.levers.empty
    assert (c.outcomes["diff_vs_reference"] == 0).all()


def test_folder_name_is_short():
    assert folder_name(["baseline", "plan-2004"]) == "baseline_vs_plan-2004"
    long = folder_name([f"scenario-{i:02d}-with-a-long-name" for i in range(6)])
    assert len(long) <= 80 and long.endswith("_and_4_more")
