"""Bad-input suite, class 1 (data loss): output flags never delete, move or replace what
mfgbase did not create. Every case hashes the whole temporary tree before and after."""

from __future__ import annotations

import os

import pytest

from model.outputs.atomic import atomic_directory, safe_name
from tests._bad_input import assert_clean_failure, make_workspace

PLAN = "scenarios/plan-2004.yaml"


@pytest.fixture
def ws(tmp_path):
    ws = make_workspace(tmp_path)
    mine = ws.root / "mydata"  # a folder of the user's own files
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    (ws.root / "notes.txt").write_text("keep me", encoding="utf-8")
    os.mkfifo(ws.root / "pipe")  # stands in for a device node (never a real one)
    with atomic_directory(ws.results / "earlier") as tmp:  # an earlier mfgbase result
        (tmp / "scorecard.csv").write_text("task,met\n1,True\n", encoding="utf-8")
    (ws.root / "link").symlink_to(ws.results / "earlier")
    return ws


SLOW = pytest.mark.slow  # same guard, another kind of path: run with -m slow
TARGETS = ["mydata", "notes.txt", "pipe", "results", "link",
           pytest.param("scenarios", marks=SLOW), pytest.param("mydata/..", marks=SLOW)]


@pytest.mark.parametrize("target", TARGETS)
def test_run_out_refuses_what_mfgbase_did_not_create(ws, target):
    before = ws.state()
    proc = ws.mfgbase("run", PLAN, "--out", target)
    assert_clean_failure(proc, codes=(2,))
    assert ws.state() == before


@pytest.mark.parametrize("command", [
    ("sensitivity", PLAN, "--samples", "8", "--out", "mydata"),
    pytest.param(("sensitivity", PLAN, "--samples", "8", "--out", "pipe"), marks=SLOW),
    pytest.param(("compare", "scenarios/baseline.yaml", PLAN, "--out", "mydata"), marks=SLOW),
    ("compare", "scenarios/baseline.yaml", PLAN, "--out", "notes.txt"),
    ("calibrate", "--report-dir", "mydata"),
    pytest.param(("calibrate", "--report-dir", "scenarios"), marks=SLOW),
    ("calibrate", "--params-out", "notes.txt"),
    pytest.param(("calibrate", "--params-out", "pipe"), marks=SLOW),
    ("calibrate", "--priors-out", "mydata/thesis.docx"),
], ids=lambda c: "-".join(c[:1] + c[-2:]))
def test_other_output_flags_refuse_too(ws, command):
    before = ws.state()
    proc = ws.mfgbase(*command)
    assert_clean_failure(proc, codes=(2,), contains="Nothing was changed")
    assert ws.state() == before


def test_default_result_names_are_sanitised(ws):
    """Fast: the default folder of `..yaml` is results/unnamed, of a 249-byte name a short one;
    the guard refuses both when a user folder already sits there."""
    ws.child("..yaml")
    long = "浙" * 81 + "a.yaml"
    ws.child(long)
    (ws.results / "unnamed").mkdir()
    short = safe_name(long.removesuffix(".yaml"))
    (ws.results / short).mkdir()
    before = ws.state()
    for name, expect in (("..yaml", "results/unnamed"), (long, f"results/{short}")):
        proc = ws.mfgbase("run", f"scenarios/{name}")
        assert_clean_failure(proc, codes=(2,), contains=expect)
    assert ws.state() == before


@pytest.mark.slow
def test_scenario_named_dotdot_yaml_does_not_touch_results(ws):
    """`..yaml` once named the result folder `results/.` and wiped every earlier result."""
    ws.child("..yaml")
    before = ws.state(ws.results / "unnamed")
    proc = ws.mfgbase("run", "scenarios/..yaml", timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert ws.state(ws.results / "unnamed") == before  # results/earlier and everything else intact
    assert (ws.results / "unnamed" / "scorecard.csv").is_file()


@pytest.mark.slow
def test_249_byte_chinese_file_name(ws):
    name = "浙" * 81 + "a.yaml"  # 249 bytes
    assert len(name.encode()) == 249
    ws.child(name)
    before = ws.state(ws.results)
    proc = ws.mfgbase("run", f"scenarios/{name}", timeout=120)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr.decode()[-2000:]
    assert ws.state(ws.results) == before
    made = [p for p in ws.results.iterdir() if p.name.startswith("浙")]
    assert len(made) == 1 and len(made[0].name.encode()) <= 120 and (made[0] / "scorecard.csv").is_file()
    assert sorted(p.name for p in ws.results.iterdir() if p.name.startswith(".")) == []
