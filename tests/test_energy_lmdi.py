"""The monitored statistic (energy per unit of value added), its LMDI decomposition, and the
honest verdict on 能源综合利用效率 (docs/model.md, block E)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.energy import LMDI_EFFECTS, lmdi_additive, lmdi_paths, log_mean
from model.energy_report import lmdi_frame, monitored_summary
from model.outputs import write_run
from model.run import load_model, run_scenario
from model.targets import load_target_notes, load_targets

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
PLAN = SCENARIOS / "plan-2004.yaml"


def test_log_mean_limit_symmetry_and_bounds():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0.1, 100, 1000), rng.uniform(0.1, 100, 1000)
    lm = log_mean(a, b)
    np.testing.assert_allclose(lm, log_mean(b, a), rtol=1e-14)
    # geometric mean <= L <= arithmetic mean
    assert (lm >= np.sqrt(a * b) * (1 - 1e-12)).all() and (lm <= (a + b) / 2 * (1 + 1e-12)).all()
    np.testing.assert_allclose(log_mean(a, a), a, rtol=1e-15)
    # continuous through the limit: a hair away from a equals the closed form
    near = a * (1 + 1e-9)
    np.testing.assert_allclose(log_mean(near, a), (near - a) / (np.log(near) - np.log(a)), rtol=1e-6)


def test_lmdi_terms_sum_exactly_to_the_change_in_energy():
    rng = np.random.default_rng(7)
    e0, et = rng.uniform(1, 900, (50, 15)), rng.uniform(1, 900, (50, 15))
    v0, vt = rng.uniform(10, 900, (50, 15)), rng.uniform(10, 900, (50, 15))
    terms = lmdi_additive(e0, et, v0, vt)
    total = sum(terms[k] for k in LMDI_EFFECTS)
    np.testing.assert_allclose(total, et - e0, rtol=1e-12, atol=1e-9)


def test_lmdi_separates_pure_effects():
    e0, v0 = np.array([[200.0, 20.0]]), np.array([[100.0, 50.0]])
    # every sector doubles: activity only
    t = lmdi_additive(e0, 2 * e0, v0, 2 * v0)
    np.testing.assert_allclose(t["activity"].sum(), 220.0)
    np.testing.assert_allclose([t["structure"].sum(), t["intensity"].sum()], 0.0, atol=1e-12)
    # intensities halve at fixed output: intensity only
    t = lmdi_additive(e0, e0 / 2, v0, v0)
    np.testing.assert_allclose(t["intensity"].sum(), -110.0)
    np.testing.assert_allclose([t["activity"].sum(), t["structure"].sum()], 0.0, atol=1e-12)
    # output moves to the energy-heavy sector at fixed total and intensities: structure > 0
    vt = np.array([[120.0, 30.0]])
    t = lmdi_additive(e0, e0 / v0 * vt, v0, vt)
    assert t["structure"].sum() > 0
    np.testing.assert_allclose([t["activity"].sum(), t["intensity"].sum()], 0.0, atol=1e-12)


@pytest.fixture(scope="module")
def plan_run():
    return run_scenario(PLAN, model=load_model())


def test_projection_lmdi_frame_adds_up(plan_run):
    f = lmdi_frame(plan_run)
    wide = f.pivot_table(index=["year", "sector"], columns="effect", values="value")
    np.testing.assert_allclose(wide[list(LMDI_EFFECTS)].sum(axis=1), wide["total_change"], rtol=1e-12, atol=1e-9)
    e = plan_run.projection.total("energy")[0]
    allrows = wide.xs("all", level="sector")
    np.testing.assert_allclose(allrows["total_change"].to_numpy(), e - e[0], rtol=1e-12)
    assert set(f["unit"]) == {"10k_tce"}


def test_large_petrochemical_projects_show_a_positive_structure_effect(plan_run, tmp_path):
    """Task 9's PX/ethylene projects move output toward chemicals: the structure effect is
    larger with them than without, and positive for chemicals. (Its sign over all sectors
    depends on the base-year structure: on the Zhejiang IO 2002 base, energy-intensive sectors
    have lower capital shares and grow more slowly without the projects.)"""
    no_projects = tmp_path / "no-projects.yaml"
    no_projects.write_text(
        f"extends: {PLAN}\nname: {{en: Plan 2004 without large projects, zh: 无大项目}}\n"
        "levers:\n  large_projects: []\n",
        encoding="utf-8",
    )
    with_lp = monitored_summary(plan_run)
    without = monitored_summary(run_scenario(no_projects, model=plan_run.model))
    assert with_lp["structure"] > without["structure"]
    t = plan_run.projection.years.index(2007)
    sector = list(plan_run.projection.sectors).index("chemicals")
    terms = lmdi_paths(plan_run.projection["energy"], plan_run.projection["value_added"])
    assert terms["structure"][0, t, sector] > 0


def test_monitored_statistic_is_scored_and_not_a_pure_function_of_its_lever(plan_run):
    sc = plan_run.scorecard().set_index("target_id")
    row = sc.loc["energy_intensity_change"]
    s = monitored_summary(plan_run)
    assert row["value"] == pytest.approx(s["change"])
    assert row["comparator"] == "<=" and row["target"] == 0
    # same policy, another state of the world (autonomous trend) -> another value
    lo = run_scenario(PLAN, model=plan_run.model, parameters={"aeei": -0.03})
    hi = run_scenario(PLAN, model=plan_run.model, parameters={"aeei": 0.03})
    v = [r.scorecard().set_index("target_id").loc["energy_intensity_change", "value"] for r in (lo, hi)]
    assert v[0] > row["value"] > v[1] and v[0] - v[1] > 0.15


def test_efficiency_target_is_not_scored_and_says_why():
    ids = {t.target_id for t in load_targets()}
    assert "energy_utilization" not in ids and "energy_intensity_change" in ids
    notes = {n.target_id: n for n in load_target_notes()}
    note = notes["energy_utilization"]
    assert note.status == "not_supported"
    assert "cannot support" in note.note_en and "无法支撑" in note.note_zh
    assert "end-use" in note.note_en and "终端" in note.note_zh


def test_no_relabelled_intensity_left(plan_run):
    assert "energy_utilization" not in plan_run.indicators
    assert "energy_utilization" not in plan_run.projection.values
    assert "energy_utilization_2003" not in plan_run.params


def test_run_folder_has_lmdi_file_and_plain_words_verdict(plan_run, tmp_path):
    out = write_run(plan_run, tmp_path / "run")
    f = pd.read_csv(out / "energy_lmdi.csv")
    assert {"activity", "structure", "intensity", "total_change"} <= set(f["effect"])
    assert set(f["sector"]) == {*plan_run.projection.sectors, "all"}
    md = (out / "scorecard.md").read_text(encoding="utf-8")
    assert "数据不足、不评分的目标" in md and "Targets the data cannot score" in md
    assert "LMDI" in md and "结构效应" in md
