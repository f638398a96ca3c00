"""The model adapter (scenario uncertainty block -> columns of X), the study and the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.cli import main
from model.run import evaluate, load_model, run_scenario
from model.scenario import ScenarioError, load_scenario
from model.studies.sensitivity import study
from model.studies.sensitivity.adapter import (
    ModelFunction,
    UncertaintyError,
    build_problem,
)

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "plan-2004.yaml"


@pytest.fixture(scope="module")
def setup():
    scen = load_scenario(PLAN)
    model = load_model()
    problem, cols, notices = build_problem(scen, model)
    f = ModelFunction.for_scenario(PLAN, cols, model)
    return scen, model, problem, cols, f


def _central_row(f, cols):
    """A row that reproduces the scenario: parameter defaults, scale 1, set = the scenario's value."""
    prep = f  # the function carries the resolved scenario inputs
    row = []
    for c in cols:
        if c.kind == "parameter":
            row.append(prep.model.parameters[c.target].default)
        elif c.op == "scale":
            row.append(1.0)
        else:
            v = np.asarray(prep.drivers[c.target])
            assert np.allclose(v[1:], v.reshape(len(v), -1)[1, 0]), f"{c.path} is not constant in plan-2004"
            row.append(float(v.reshape(len(v), -1)[1, 0]))
    return np.array([row])


def _paths(result, targets):
    return np.concatenate([result.indicators[t.indicator].value for t in targets], axis=1)


def test_plan_2004_has_at_least_20_inputs_in_families(setup):
    _, model, problem, cols, _ = setup
    assert problem.num_vars >= 20
    assert {"production", "rd", "fdi", "investment", "trade", "energy", "diffusion", "counters", "base_year"} <= set(
        problem.group_names)
    assert "levers" not in problem.group_names  # the policy is fixed: levers are never sampled
    paths = [c.path for c in cols]
    assert all(f"parameters.{n}" in paths for n in model.parameters.names)
    assert not any(p.startswith("levers.") for p in paths)
    assert "assumptions.fdi_external_growth" in paths and "assumptions.world_demand_growth" in paths


def test_central_row_reproduces_run_scenario(setup):
    scen, model, _, cols, f = setup
    Y = f(_central_row(f, cols))
    ref = _paths(run_scenario(scen, model=model), model.targets)
    np.testing.assert_allclose(Y, ref, rtol=1e-12, atol=1e-12)
    assert Y.shape == (1, len(model.targets) * 8)
    assert f.output_names()[:2] == [f"{model.targets[0].target_id}@2003", f"{model.targets[0].target_id}@2004"]


@pytest.mark.parametrize("name,value", [("rd_return", 0.3), ("eta_y", 3.0), ("bass_q", 0.6),
                                        ("base_value_added_factor", 0.95)])
def test_parameter_column_equals_run_scenario_override(setup, name, value):
    scen, model, problem, cols, f = setup
    X = _central_row(f, cols)
    X[0, problem.index(name)] = value
    ref = _paths(run_scenario(scen, model=model, parameters={name: value}), model.targets)
    np.testing.assert_allclose(f(X), ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("path,value", [("assumptions.fdi_external_growth", 0.1), ("assumptions.labour_growth", 0.03),
                                        ("assumptions.output_price_inflation", 0.03),
                                        ("assumptions.china_output_growth:scale", 1.15)])
def test_driver_columns_set_or_scale_the_path(setup, path, value):
    scen, model, problem, cols, f = setup
    col = next(c for c in cols if c.name == path)
    X = _central_row(f, cols)
    X[0, problem.index(path)] = value
    prep = f  # the function carries the resolved scenario inputs
    drivers = {k: np.asarray(v, float)[None].copy() for k, v in prep.drivers.items()}
    if col.op == "scale":
        drivers[col.target] = drivers[col.target] * value
    else:
        drivers[col.target][:, 1:] = value
    params = model.parameters.arrays(1, prep.overrides)
    _, inds = evaluate(model, params, drivers, prep.switches)
    ref = np.concatenate([inds[t.indicator].value for t in model.targets], axis=1)
    np.testing.assert_allclose(f(X), ref, rtol=1e-12, atol=1e-12)
    assert not np.allclose(f(X), f(_central_row(f, cols)))  # the column does something


def test_rows_are_independent_vectorised(setup):
    _, _, problem, cols, f = setup
    rng = np.random.default_rng(3)
    lo = np.array([i.params[0] if i.distribution != "truncnorm" else i.params[0] for i in problem.inputs])
    hi = np.array([i.params[1] for i in problem.inputs])
    X = rng.uniform(lo, hi, size=(5, len(cols)))
    Y = f(X)
    for i in range(5):
        np.testing.assert_allclose(Y[i : i + 1], f(X[i : i + 1]), rtol=1e-12, atol=1e-12)


def test_model_function_pickles():
    import pickle

    scen = load_scenario(PLAN)
    model = load_model()
    _, cols, _ = build_problem(scen, model)
    f = ModelFunction.for_scenario(scen, cols, model)
    g = pickle.loads(pickle.dumps(f))  # what a dask worker receives: no scenario file is re-read
    X = _central_row(f, cols)
    np.testing.assert_array_equal(g(X), f(X))
    assert g.__dask_tokenize__() == f.__dask_tokenize__()
    assert g.model.base_year is None and f.model.base_year is not None  # provenance stays home


def _scenario(tmp_path, block: str) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(f"extends: {PLAN}\nname: {{en: t, zh: t}}\n" + textwrap.dedent(block), encoding="utf-8")
    return p


@pytest.mark.parametrize("block,match", [
    ("uncertainty:\n  inputs: [{path: levers.nonsense, low: 0, high: 1}]\n", "levers.nonsense"),
    ("uncertainty:\n  inputs: [{path: parameters.nonsense, low: 0, high: 1}]\n", "parameters.nonsense"),
    ("uncertainty:\n  inputs: [{path: foo.bar, low: 0, high: 1}]\n", "foo.bar"),
    ("uncertainty:\n  exclude: [nonsense]\n", "not a parameter"),
    ("uncertainty:\n  inputs: [{path: assumptions.fdi_external_growth, low: 0, high: 5}]\n", r"out of range|outside the allowed range"),
    ("uncertainty:\n  inputs: [{path: assumptions.fdi_external_growth}]\n", "needs low and high"),
    ("uncertainty:\n  inputs: [{path: levers.fdi_promotion, low: 0, high: 5}]\n", "is a lever"),
])
def test_bad_uncertainty_blocks(tmp_path, block, match):
    # unknown paths are caught by the scenario loader, ranges by the adapter: both name the field
    with pytest.raises((UncertaintyError, ScenarioError), match=match):
        build_problem(load_scenario(_scenario(tmp_path, block)), load_model())


def test_exclude_and_scenario_fixed_parameters(tmp_path):
    p = _scenario(tmp_path, "parameters: {rd_return: 0.3}\nuncertainty:\n  exclude: [alpha_k, delta_k]\n")
    problem, _, notices = build_problem(load_scenario(p), load_model())
    assert "alpha_k" not in problem.names and "delta_k" not in problem.names
    assert "rd_return" not in problem.names and any("rd_return" in n for n in notices)


# ----------------------------------------------------------------------------- study
@pytest.fixture(scope="module")
def small_study():
    return study(PLAN, "sobol", 64, seed=3)


def test_study_frames(small_study):
    st = small_study
    D = st.problem.num_vars
    assert st.X.shape == (64 * (D + 2), D)
    assert st.paths.shape == (128, 8, len(st.targets))
    main_idx = st.main_indices()
    assert set(main_idx["index"]) == {"S1", "ST"}
    assert (main_idx["year"] == 2007).all()
    assert {"lo", "hi", "conf", "path", "group", "label_zh"} <= set(main_idx.columns)
    assert list(st.probabilities.index)[-1] == "all"
    assert len(st.probabilities) == len(st.targets) + 1
    assert ((st.probabilities["p"] >= 0) & (st.probabilities["p"] <= 1)).all()
    # instruments are never sampled: their response is the sweep on the P(met | policy) sample
    resp = st.instrument_response
    assert not resp["lever"].isin([c.path for c in st.columns]).any()
    assert set(resp["target_id"]) == {t.target_id for t in st.targets if t.modelled}
    assert resp["n_states"].iloc[0] == min(500, 2 * st.n)
    if not st.filtering.empty:  # separating inputs are stated as ranges; otherwise why none is named
        sep = st.filtering[st.filtering["separates"]]
        assert sep["statement"].str.contains("among met runs vs").all()
        assert st.filtering["statement_zh"].str.len().gt(0).all()


def test_study_dask_two_workers_identical_to_local(small_study):
    from model.studies.sensitivity.study import MODEL_CHUNK
    from model.uq import DaskEvaluator

    with DaskEvaluator(n_workers=2, processes=False, chunk_size=MODEL_CHUNK) as ev:
        st = study(PLAN, "sobol", 64, seed=3, evaluator=ev)
    np.testing.assert_array_equal(st.Y, small_study.Y)
    pd.testing.assert_frame_equal(st.indices, small_study.indices, check_exact=True)
    pd.testing.assert_frame_equal(st.probabilities, small_study.probabilities, check_exact=True)


def test_study_per_year_and_until_ci():
    st = study(PLAN, "sobol", 16, seed=1, per_year=True, until_ci_width=1e-6, max_n=32)
    assert sorted(st.indices["year"].unique()) == list(range(2004, 2011))
    assert len(st.convergence) == 2 and "not converged" in st.convergence_message
    st2 = study(PLAN, "sobol", 16, seed=1, until_ci_width=100.0)
    assert len(st2.convergence) == 1 and st2.convergence_message.startswith("converged")


def test_study_morris():
    st = study(PLAN, "morris", 4, seed=1)
    assert {"mu_star", "sigma"} <= set(st.indices["index"])
    # probabilities come from the independent random sample, not the trajectories: no caveat needed
    assert not any("indicative" in n for n in st.notices)
    assert st.sample_X.shape[0] == st.paths.shape[0] == st.X.shape[0]


# ----------------------------------------------------------------------------- CLI
def test_cli_end_to_end(tmp_path, capsys):
    out = tmp_path / "sa"
    rc = main(["sensitivity", str(PLAN), "--method", "sobol", "--samples", "32", "--seed", "2",
               "--out", str(out), "--quiet"])
    assert rc == 0
    for name in ("sensitivity.md", "indices.csv", "probabilities.csv", "first_year.csv", "instrument_response.csv",
                 "mc_filter.csv", "fan_quantiles.csv", "inputs.csv", "convergence.csv", "manifest.json"):
        assert (out / name).exists(), name
    figs = {p.name for p in (out / "figures").iterdir()}
    assert "fan_rd_sales_ratio.png" in figs and "indices_rd_sales_ratio.png" in figs
    md = (out / "sensitivity.md").read_text(encoding="utf-8")
    assert "P(met)" in md and "达标概率" in md and "Top drivers" in md
    probs = pd.read_csv(out / "probabilities.csv")
    assert {"p", "boot_lo", "boot_hi", "description_zh"} <= set(probs.columns)
    assert "P(all met)" in capsys.readouterr().out


def test_cli_morris_writes_scatter(tmp_path):
    out = tmp_path / "m"
    assert main(["sensitivity", str(PLAN), "--method", "morris", "--samples", "4", "--out", str(out),
                 "--quiet"]) == 0
    assert any(p.name.startswith("morris_") for p in (out / "figures").iterdir())


@pytest.mark.parametrize("args,match", [
    (["--method", "bogus"], "unknown method"),
    (["--samples", "0"], "positive"),
    (["--samples", "-5"], "positive"),
    (["--until-ci", "0"], "until-ci"),
])
def test_cli_bad_inputs_exit_2_nothing_written(tmp_path, capsys, args, match):
    out = tmp_path / "never"
    rc = main(["sensitivity", str(PLAN), "--out", str(out), "--quiet", *args])
    assert rc == 2
    assert match in capsys.readouterr().err
    assert not out.exists()


def test_cli_bad_uncertainty_path_exit_2(tmp_path, capsys):
    scen = _scenario(tmp_path, "uncertainty:\n  inputs: [{path: levers.nonsense, low: 0, high: 1}]\n")
    out = tmp_path / "never"
    assert main(["sensitivity", str(scen), "--samples", "8", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "levers.nonsense" in err and "uncertainty" in err
    assert not out.exists()


def test_inert_inputs_carry_their_documented_reason(small_study):
    """Every input below max ST 0.01 is listed with the reason written where it is defined."""
    from model.outputs.sensitivity import inert_inputs, summary_markdown

    st = small_study
    d = inert_inputs(st)
    assert "capacity_cost" in set(d["input"])  # reporting only: enters no indicator (ST = 0)
    row = d[d["input"] == "capacity_cost"].iloc[0]
    assert row["max_st"] < 0.01 and row["sensitivity_note"].startswith("Reporting only")
    md = summary_markdown(st, [])
    assert "Inputs with max ST < 0.01" in md and "Reporting only" in md
    assert "## 政策工具响应 / Instrument response" in md
    # a documented reason is shown for the registry's assumptions too
    notes = st.inputs_table.set_index("path")["sensitivity_note"]
    assert notes["assumptions.world_demand_growth"].startswith("Cancels in the scored export share")
