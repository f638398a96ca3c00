"""Policy search on the mfgbase model (small samples: the engine is tested in test_search_analytic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.run import load_model
from model.scenario import load_scenario
from model.studies.search import SearchError, search

PLAN = "scenarios/plan-2004.yaml"
SMALL = dict(samples=40, recheck_samples=80, pop_size=8, max_gen=3, stall=2, de_popsize=2, de_maxiter=2,
             prim_samples=800, seed=3)
REACHABLE = ("erp_share", "informatized_large_medium", "clean_production", "energy_intensity_change")


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def result(model):
    return search(PLAN, 0.5, model=model, targets=REACHABLE, **SMALL)


def test_search_finds_a_feasible_mix_and_a_front(result):
    assert result.reached and result.chosen["p_all"] >= 0.5
    f = result.front
    assert len(f) >= 2 and f.cost_2004_2010.is_monotonic_increasing and f.p_all.is_monotonic_increasing
    assert set(result.mix) == set(result.space.names)
    for d in result.space.free:
        assert d.low <= result.mix[d.name] <= d.high
    assert result.rows_evaluated % 40 == 0 and result.rows_evaluated >= 8 * 3 * 40


def test_mix_file_extends_the_scenario_and_reproduces_p(result, model, tmp_path):
    """The YAML's levels are the decision variables: rerun from the file, same P on the same states."""
    from model.studies.search.study import _states
    from model.studies.sensitivity.adapter import ModelFunction

    out = tmp_path / "res"
    out.mkdir()
    text = result.scenario_yaml(out)
    (out / "mix.yaml").write_text(text, encoding="utf-8")
    mix = load_scenario(out / "mix.yaml")  # extends ../../scenarios/plan-2004.yaml (scenarios/ is allowed)
    assert "found by search" in text and "alpha 0.5" in text and "seed 3" in text
    _, columns, states, _ = _states(load_scenario(PLAN), model, result.settings)
    paths = ModelFunction.for_scenario(mix, columns, model).indicators(states)
    met = np.column_stack([t.met(paths[t.target_id][:, t.year - 2003]) for t in model.targets
                           if t.target_id in REACHABLE])
    assert met.all(axis=1).mean() == result.chosen["p_all"]


def test_prim_boxes_in_scenario_file_terms(result):
    b = result.prim_boxes
    assert set(b.target) == {"all", *REACHABLE}
    dims = b[b.dimension != ""]
    assert len(dims) > 0 and dims.dimension.str.match(r"^(levers|parameters|assumptions)\.").all()
    assert ((dims.density >= 0) & (dims.density <= 1) & (dims.coverage > 0)).all()


def test_recheck_and_binding_tables(result):
    rc = result.recheck.set_index("target")
    assert rc.loc["all", "n_fresh"] == 80 and rc.loc["all", "alpha"] == 0.5
    assert rc.loc["all", "low"] <= rc.loc["all", "p_fresh"] <= rc.loc["all", "high"]
    assert rc.loc["all", "flag"] == (0.5 - rc.loc["all", "p_fresh"] > 2 * rc.loc["all", "se_fresh"])
    assert set(result.binding_targets.target_id) == set(REACHABLE)
    assert set(result.binding_instruments.status) <= {"at lower bound", "at upper bound", "binding", "slack", "locked"}


def test_same_seed_same_front(result, model):
    again = search(PLAN, 0.5, model=model, targets=REACHABLE, **SMALL)
    pd.testing.assert_frame_equal(again.front, result.front, check_exact=True)
    assert again.mix == result.mix


def test_same_front_on_dask_threads(result, model):
    from model.uq import DaskEvaluator

    with DaskEvaluator(n_workers=2, processes=False, chunk_size=8192) as ev:
        d = search(PLAN, 0.5, model=model, evaluator=ev, targets=REACHABLE, **SMALL)
    pd.testing.assert_frame_equal(d.front, result.front, check_exact=True)


def test_locks_are_applied_and_reported(model):
    r = search(PLAN, 0.5, model=model, targets=REACHABLE, locks={"rd_special_fund": 25.0, "power_capacity": 0.2},
               **{**SMALL, "prim_samples": 0})
    assert r.mix["rd_special_fund"] == 25.0 and "rd_special_fund" not in r.space.names
    locked = r.binding_instruments.set_index("instrument").loc[["rd_special_fund", "power_capacity"], "status"]
    assert (locked == "locked").all()


@pytest.mark.parametrize("options, message", [
    ({"alpha": 1.0}, "outside (0, 1)"),
    ({"alpha": 0.0}, "outside (0, 1)"),
    ({"budget": -1.0}, "--budget"),
    ({"locks": {"no_such": 1.0}}, "is not an instrument"),
    ({"locks": {"rd_tax_credit": 0.9}}, "outside the instrument's range"),
    ({"targets": ("brands",)}, "not a scored target"),
    ({"per_target": {"fdi_share": 1.5}}, "outside (0, 1)"),
])
def test_bad_options(model, options, message):
    options = {"alpha": 0.8, **SMALL, **options}
    with pytest.raises(SearchError, match=message.replace("(", r"\(").replace(")", r"\)")):
        search(PLAN, model=model, **options)


@pytest.mark.slow
def test_same_front_on_dask_processes(result, model):
    """Worker processes (the model function is pickled and shipped): the same front bit for bit."""
    from model.uq import DaskEvaluator

    with DaskEvaluator(n_workers=2, processes=True, chunk_size=100) as ev:
        d = search(PLAN, 0.5, model=model, evaluator=ev, targets=REACHABLE, **SMALL)
    pd.testing.assert_frame_equal(d.front, result.front, check_exact=True)
    pd.testing.assert_frame_equal(d.recheck, result.recheck, check_exact=True)


def test_levels_are_rounded_up_inside_the_range():
    """The mix file keeps 4 significant digits, rounded up (more of a monotone instrument never
    lowers P), and never leaves the instrument's range."""
    from model.studies.search.study import _round_up

    assert _round_up(24.88123, 0, 100) == 24.89
    assert _round_up(0.0734011, 0, 0.5) == 0.07341
    assert _round_up(1234.5, 0, 5000) == 1235
    assert _round_up(499.97, 0, 500) == 500 and _round_up(4999.95, 0, 5000) == 5000
    assert _round_up(0.0, 0, 10) == 0 and _round_up(-1e-12, 0, 10) == 0
    assert _round_up(24.89, 0, 100) == 24.89  # already 4 digits: unchanged
