"""The dashboard's model side and its scenario writer (no browser: tests/test_dashboard_browser.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from model.cli import main
from model.dashboard.engine import Explorer
from model.dashboard.save import SIGNATURE, SaveError, check_name, save_scenario
from model.dashboard.text import sentence
from model.reporting.zh import ascii_punct_after_cjk
from model.run import load_model, run_scenario
from model.scenario import load_scenario
from model.studies.policy import p_met_given_policy

ROOT = Path(__file__).resolve().parents[1]
N = 300  # states: enough to compare with `mfgbase run`'s P(met) draw for draw


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A copy of scenarios/ (saved files go beside the start scenario, never into the repository)."""
    out = tmp_path_factory.mktemp("scen")
    for f in (ROOT / "scenarios").glob("*.yaml"):
        shutil.copy(f, out / f.name)
    return out


@pytest.fixture(scope="module")
def ex(folder) -> Explorer:
    return Explorer.open(folder / "plan-2004.yaml", n_states=N)


def _scorecard(path, n=N):
    scen = load_scenario(path)
    model = load_model()
    return run_scenario(scen, model).scorecard(probabilities=p_met_given_policy(scen, model, n=n))


def test_start_evaluation_is_mfgbase_run(ex, folder):
    """Row 0 is the central run and rows 1..n the sample of `mfgbase run --draws n`, in one call."""
    sc = _scorecard(folder / "plan-2004.yaml")
    got = ex.start
    np.testing.assert_allclose([t.value for t in got.targets], sc["value"], rtol=1e-12)
    p = sc.set_index("target_id")["p_met"]
    for t in got.targets:
        if t.scoring == "decision":
            assert t.p_met is None and np.isnan(p[t.target_id])
        else:
            assert t.p_met == pytest.approx(p[t.target_id], abs=1e-12), t.target_id
    summ = run_scenario(load_scenario(folder / "plan-2004.yaml")).budget_summary()
    assert got.cost == pytest.approx(summ["cost_2004_2010"], rel=1e-12)
    assert got.budget == pytest.approx(summ["budget_2004_2010"], rel=1e-12)


def test_an_instrument_moves_scorecard_cost_and_p_met(ex):
    before, after = ex.start, ex.evaluate({"levers.rd_special_fund": 80.0})
    assert after.values == {"levers.rd_special_fund": 80.0}
    assert after.cost > before.cost
    assert after.target("rd_sales_ratio").value > before.target("rd_sales_ratio").value
    assert after.target("rd_sales_ratio").matters_most in ex.controls
    low, median, high = after.paths["fdi_share"].band()
    assert np.all(low <= median + 1e-12) and np.all(median <= high + 1e-12) and np.any(low < high)
    assert after.paths["fdi_share"].states.shape == (N, 8)
    with pytest.raises(ValueError, match="out of range"):
        ex.evaluate({"levers.rd_special_fund": 1e6})
    with pytest.raises(KeyError):
        ex.evaluate({"levers.nonsense": 1.0})


def test_saved_scenario_round_trips_through_validate_and_run(ex, folder, tmp_path, capsys):
    values = {"levers.fdi_promotion": 40.0, "levers.rd_tax_credit": 0.12, "levers.efficiency_spending": 2.0}
    path = save_scenario(ex, values, "dash-roundtrip")
    assert path == (folder / "dash-roundtrip.yaml").absolute()
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SIGNATURE)
    doc = yaml.safe_load(text)
    assert doc["extends"] == "plan-2004.yaml"
    assert set(doc["levers"]) == {"fdi_promotion", "rd_tax_credit", "efficiency_spending"}
    assert all(entry["note"] for entry in doc["levers"].values())
    assert "assumptions" not in doc and "parameters" not in doc and "uncertainty" not in doc
    assert main(["validate", str(path)]) == 0
    assert main(["run", str(path), "--out", str(tmp_path / "run"), "--draws", str(N)]) == 0
    import pandas as pd

    sc = pd.read_csv(tmp_path / "run" / "scorecard.csv", encoding="utf-8-sig").set_index("target_id")
    ev = ex.evaluate(values)
    for t in ev.targets:
        assert sc.loc[t.target_id, "value"] == pytest.approx(t.value, rel=1e-9, abs=1e-12), t.target_id
        assert bool(sc.loc[t.target_id, "met"]) == t.met
        if t.p_met is not None:
            assert sc.loc[t.target_id, "p_met"] == pytest.approx(t.p_met, abs=1e-12), t.target_id
    assert sc["cost_2004_2010"].iloc[0] == pytest.approx(ev.cost, rel=1e-9)


def test_a_set_assumption_is_held_fixed_in_every_state(ex, folder):
    """Setting an assumption the start samples takes it out of the sample (here and in the file)."""
    key = "assumptions.world_demand_growth"
    assert key in {c.path for c in ex.columns}
    low, high = ex.evaluate({key: 0.02}), ex.evaluate({key: 0.10})
    assert any(a.p_met != b.p_met for a, b in zip(low.targets, high.targets, strict=True) if a.p_met is not None)
    # the sample's column for it no longer matters: scramble it, same P(met)
    from dataclasses import replace

    j = [c.path for c in ex.columns].index(key)
    X = ex.X.copy()
    X[:, j] = np.random.default_rng(7).permutation(X[:, j])[::-1]
    again = replace(ex, X=X).evaluate({key: 0.10})
    assert [t.p_met for t in again.targets] == [t.p_met for t in high.targets]
    assert [t.p_met for t in replace(ex, X=X).start.targets] == [t.p_met for t in ex.start.targets]  # (start kept)
    path = save_scenario(ex, {key: 0.10}, "dash-world")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["assumptions"]["world_demand_growth"]["values"] == 0.1
    start_paths = [i["path"] for i in load_scenario(folder / "plan-2004.yaml").raw["uncertainty"]["inputs"]]
    assert [i["path"] for i in doc["uncertainty"]["inputs"]] == [p for p in start_paths if p != key]
    sc = run_scenario(load_scenario(path)).scorecard()
    np.testing.assert_allclose(sc["value"], [t.value for t in high.targets], rtol=1e-12)


def test_save_never_replaces_a_file_mfgbase_did_not_write(ex, folder):
    mine = folder / "my-notes.yaml"
    mine.write_text("# my own scenario\nname: {en: x, zh: x}\n", encoding="utf-8")
    with pytest.raises(SaveError, match="did not write"):
        save_scenario(ex, {"levers.fdi_promotion": 30.0}, "my-notes")
    assert mine.read_text(encoding="utf-8") == "# my own scenario\nname: {en: x, zh: x}\n"
    with pytest.raises(SaveError, match="start scenario"):
        save_scenario(ex, {"levers.fdi_promotion": 30.0}, "plan-2004")
    with pytest.raises(SaveError, match="start scenario"):
        save_scenario(ex, {"levers.fdi_promotion": 30.0}, "baseline")  # plan-2004 extends it
    with pytest.raises(SaveError, match="nothing changed"):
        save_scenario(ex, {}, "dash-empty")
    assert not (folder / "dash-empty.yaml").exists()
    first = save_scenario(ex, {"levers.fdi_promotion": 30.0}, "dash-again")
    second = save_scenario(ex, {"levers.fdi_promotion": 31.0}, "dash-again")  # its own file: replaced
    assert first == second and "31" in second.read_text(encoding="utf-8")
    assert not list(folder.glob(".*mfgbase*"))  # no check or temp file left behind


@pytest.mark.parametrize("bad", ["", "../up", "a/b", "x" * 65, ".hidden", "名字", "a b", "-x"])
def test_save_names_are_bounded(bad):
    with pytest.raises(SaveError):
        check_name(bad)


def test_sentences_are_plain_words_in_both_languages(ex):
    ev = ex.evaluate({"levers.fdi_promotion": 5.0})
    fdi = ev.target("fdi_share")
    en = sentence(fdi, ev.n_states, "en", ex.controls)
    assert en.startswith("FDI share of manufacturing investment is ")
    assert "in 2007" in en and "the 20.0 % target" in en and f"of {N:,} states of the world" in en
    assert ("meeting" in en) == fdi.met and ("within its ±10 % band" in en) == (fdi.within_band and not fdi.met)
    for t in ev.targets:
        zh = sentence(t, ev.n_states, "zh", ex.controls)
        assert zh.endswith("。") and not ascii_punct_after_cjk(zh), zh
        if t.scoring == "decision":
            assert "由决定设定" in zh
        else:
            assert "个世界状态中有" in zh


def test_cli_refuses_a_bad_scenario_before_serving(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: {en: x, zh: x}\nlevers: {nonsense: 1}\n", encoding="utf-8")
    assert main(["dashboard", str(bad), "--port", "5999"]) == 2
    err = capsys.readouterr().err
    assert "nonsense" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["dashboard", "--port", "80"])


def test_python_api_is_a_panel_page_that_moves_from_code(ex):
    """In JupyterLab: `dashboard(...)` displays as the page; `.set()` moves instruments from code."""
    import panel as pn
    from bokeh.document import Document

    from model.dashboard import dashboard

    d = dashboard(explorer=ex, lang="en")
    doc = Document()
    pn.panel(d).get_root(doc)
    before, rev = d.scorecard.object, d.rev
    ev = d.set(rd_special_fund=60)
    assert ev.values == {"levers.rd_special_fund": 60.0} and d.rev == rev + 1
    assert d.scorecard.object != before and f"data-rev='{d.rev}'" in d.scorecard.object
    assert d.sliders["levers.rd_special_fund"].value == 60
    ev = d.set({"parameters.alpha_k": 0.55})  # a parameter whose card was never opened
    assert set(ev.values) == {"levers.rd_special_fund", "parameters.alpha_k"}
    slider = d.sliders["parameters.alpha_k"]
    d.parameters_card.collapsed = False  # opening the card shows the same slider, not a new one at the start
    family = next(o for o in d.parameters_card.objects if isinstance(o, pn.Card) and o.collapsed)
    family.collapsed = False
    assert d.sliders["parameters.alpha_k"] is slider and slider.value == 0.55
    with pytest.raises(ValueError, match="out of range"):
        d.set(rd_special_fund=1e9)
