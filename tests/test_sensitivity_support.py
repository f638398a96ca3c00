"""Sensitivity reports state only what the sample supports (model/uq/support.py):
filtering and response curves on an independent random sample, a minimum count of met and
missed runs before a separating input is named, Bonferroni-corrected tests, and known-null
inputs showing no effect at the default settings of `mfgbase sensitivity`."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from model.scenario import load_scenario
from model.studies.sensitivity import study
from model.studies.sensitivity.adapter import Column
from model.studies.sensitivity.study import filtering_frame
from model.uq import DEFAULT_RULE, Problem, UncertainInput, random_sample, sample
from model.uq.support import class_counts_note, response_p_value, separates

PLAN = "scenarios/plan-2004.yaml"


def test_random_sample_is_iid_from_the_distributions_and_not_the_design():
    p = Problem([UncertainInput("a", "uniform", (0.0, 2.0)), UncertainInput("b", "normal", (1.0, 0.5))])
    X = random_sample(p, 4000, seed=7)
    assert X.shape == (4000, 2)
    np.testing.assert_array_equal(X, random_sample(p, 4000, seed=7))
    assert not np.array_equal(X, random_sample(p, 4000, seed=8))
    assert stats.kstest(X[:, 0], stats.uniform(0, 2).cdf).pvalue > 1e-3
    assert stats.kstest(X[:, 1], stats.norm(1.0, 0.5).cdf).pvalue > 1e-3
    # a quasi-random design is far more even than iid draws: its bin counts barely vary
    design = sample(p, "sobol", 2048, seed=7).X[:, 0]
    iid_counts = np.histogram(X[:2048, 0], bins=16, range=(0, 2))[0]
    qmc_counts = np.histogram(design[:2048], bins=16, range=(0, 2))[0]
    assert qmc_counts.std() < 0.5 * iid_counts.std()
    assert not np.isin(X[:, 0], design).any()  # a separate stream, not rows of the design


def test_class_count_rule():
    m = DEFAULT_RULE.min_class_runs
    assert class_counts_note(m, m) is None
    en, zh = class_counts_note(m - 1, 2000)
    assert en.startswith("too few met runs to say") and "达标运行太少" in zh and f"{m - 1} of {2000 + m - 1}" in en
    en, zh = class_counts_note(2000, 3)
    assert en.startswith("too few missed runs to say") and "未达标运行太少" in zh


def test_bonferroni_and_response_rules():
    a = DEFAULT_RULE.alpha
    assert separates(np.array([a / 10 * 0.99, a / 10 * 1.01, np.nan]), 10).tolist() == [True, False, False]
    flat = response_p_value(np.full(8, 100), np.full(8, 50))
    step = response_p_value(np.full(8, 100), np.array([10, 10, 10, 10, 90, 90, 90, 90]))
    assert flat == pytest.approx(1.0) and step < 1e-20
    # bins below the minimum count are not used: with one usable bin there is no test
    assert np.isnan(response_p_value(np.array([100, 5, 5]), np.array([10, 5, 0])))
    assert np.isnan(response_p_value(np.full(4, 100), np.full(4, 100)))


def _columns(names):
    return [Column(name=n, kind="parameter", path=f"levers.{n}", target=n, op="set") for n in names]


class _T:
    def __init__(self, tid, value):
        self.target_id, self.value, self.year = tid, value, 2007

    def met(self, y):
        return y >= self.value


def test_filtering_names_nothing_on_too_few_met_runs():
    """The probe's case: one met run among 2048 must not name a separating input."""
    rng = np.random.default_rng(1)
    p = Problem([UncertainInput("x", "uniform", (0.0, 1.0)), UncertainInput("z", "uniform", (0.0, 1.0))])
    X = rng.random((2048, 2))
    y = np.where(np.arange(2048) == 0, 1.0, 0.0)  # a single met run
    paths = np.zeros((2048, 8, 1))
    paths[:, 4, 0] = y
    f = filtering_frame(X, paths, p, _columns(["x", "z"]), [_T("t", 0.5)], tuple(range(2003, 2011)))
    assert len(f) == 1 and f["input"].iloc[0] == "" and not f["separates"].any()
    assert f["statement"].iloc[0].startswith("too few met runs to say")
    assert "达标运行太少" in f["statement_zh"].iloc[0]
    # with a real effect and enough runs on both sides, the input that matters is named
    paths[:, 4, 0] = X[:, 0]
    f = filtering_frame(X, paths, p, _columns(["x", "z"]), [_T("t", 0.5)], tuple(range(2003, 2011)))
    assert f.loc[f["separates"], "input"].tolist() == ["x"]
    assert "among met runs vs" in f.loc[f["separates"], "statement"].iloc[0]


@pytest.fixture(scope="module")
def default_study():
    """`mfgbase sensitivity scenarios/plan-2004.yaml` at its defaults: sobol, N = 1024,
    the scenario's seed."""
    return study(PLAN, "sobol", 1024, seed=load_scenario(PLAN).spec.seed)


def test_default_study_filters_on_an_independent_sample(default_study):
    st = default_study
    assert st.filter_X.shape == (2 * st.n, st.problem.num_vars)
    assert not np.isin(st.filter_X[:, 0], st.X[:, 0]).any()
    assert "independent pseudo-random" in st.settings["uncertainty_sample"]["kind"]
    for t in st.targets:  # no target with too few met or missed runs names an input
        f = st.filtering[st.filtering["target"] == t.target_id]
        n_met = int(f["n_met"].iloc[0])
        if min(n_met, int(f["n_missed"].iloc[0])) < DEFAULT_RULE.min_class_runs:
            assert not f["separates"].any() and f["statement"].iloc[0].startswith("too few")


def test_known_null_inputs_show_no_effect_at_default_settings(default_study):
    st = default_study
    # fdi_funding_relative only enters FDI reading "a"; plan-2004 scores reading "c"
    assert "fdi_funding_relative" in st.problem.names
    f = st.filtering
    assert not f.loc[f["input"] == "fdi_funding_relative", "separates"].any()
    # a dummy column the model never sees, drawn like every other input
    dummy = random_sample(Problem([UncertainInput("dummy", "uniform", (0.0, 1.0))]), len(st.filter_X), seed=99)
    X = np.hstack([st.filter_X, dummy])
    p = Problem([*st.problem.inputs, UncertainInput("dummy", "uniform", (0.0, 1.0))])
    cols = [*st.columns, Column(name="dummy", kind="driver", path="levers.dummy", target="dummy", op="set")]
    f = filtering_frame(X, st.filter_paths, p, cols, st.targets, st.years)
    assert not f.loc[f["input"] == "dummy", "separates"].any()


def test_probabilities_and_fans_come_from_the_independent_sample(default_study, tmp_path):
    """P(met), first years and fan quantiles are read off the iid sample (``sample_X`` /
    ``paths``), not off the Sobol design's rows; the report says which sample it used."""
    from model.outputs.sensitivity import fan_quantiles, write_study
    from model.studies.sensitivity.adapter import ModelFunction
    from model.uq import Target as PTarget
    from model.uq import p_met

    st = default_study
    assert st.paths.shape == (2 * st.n, len(st.years), len(st.targets))
    np.testing.assert_array_equal(st.sample_X, random_sample(st.problem, 2 * st.n, st.seed))
    # the paths are the model's on the sample rows
    f = ModelFunction.for_scenario(load_scenario(PLAN), st.columns)
    np.testing.assert_array_equal(
        f(st.sample_X[:5]).reshape(5, len(st.targets), len(st.years)).transpose(0, 2, 1), st.paths[:5])
    k, t = next((k, t) for k, t in enumerate(st.targets) if t.target_id == "xd_share_china")
    ti = st.years.index(t.year)
    met = t.met(st.paths[:, ti, k])
    assert st.probabilities.loc["xd_share_china", "p"] == pytest.approx(met.mean(), abs=1e-15)
    # ... and not the share of the design's rows (the quasi-random A and B matrices) that meet it
    design = f(st.X[: 2 * st.n]).reshape(-1, len(st.targets), len(st.years))[:, k, ti]
    assert t.met(design).mean() != pytest.approx(met.mean(), abs=1e-12)
    ptargets = [PTarget(x.target_id, x.value, x.comparator) for x in st.targets]
    Y = np.stack([st.paths[:, st.years.index(x.year), j] for j, x in enumerate(st.targets)], axis=1)
    again = p_met(Y, ptargets, seed=st.seed)
    np.testing.assert_array_equal(again["p"].to_numpy(), st.probabilities["p"].to_numpy())
    q = fan_quantiles(st)
    row = q[(q["target"] == "xd_share_china") & (q["year"] == t.year)].iloc[0]
    assert row["q50"] == pytest.approx(np.nanquantile(st.paths[:, ti, k], 0.5))
    out = write_study(st, tmp_path / "s", figures=False)
    md = (out / "sensitivity.md").read_text(encoding="utf-8")
    assert f"independent pseudo-random sample of {2 * st.n:,} runs" in md and "独立伪随机抽样" in md
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert json.dumps(manifest).count("independent pseudo-random") >= 1


def test_morris_probabilities_come_from_an_iid_sample_too():
    st = study(PLAN, "morris", 4, seed=5)
    assert st.sample_X.shape == (st.X.shape[0], st.problem.num_vars)
    assert not np.isin(st.sample_X[:, 0], st.X[:, 0]).any()
    assert not any("indicative only" in n for n in st.notices)  # no longer read off the trajectories
