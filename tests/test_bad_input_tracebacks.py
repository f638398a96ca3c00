"""Bad-input suite, class 4 (tracebacks): broken calibration files, unreachable schedulers,
impossible resource requests, read-only or full disks and Ctrl-C give one clean message."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests._bad_input import ROOT, assert_clean_failure, make_workspace

PLAN = "scenarios/plan-2004.yaml"


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_estimate(ws) -> str:
    for line in (ws.root / "calibration" / "parameters.yaml").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("value:"):
            return line
    pytest.fail("parameters.yaml has no estimate")


@pytest.mark.parametrize("breakage,expect", [
    ("params_value", "parameters.yaml"),
    ("params_garbage", "parameters.yaml"),
    ("priors_low", "priors.yaml"),
    ("priors_duplicate", "duplicate key"),
    ("observations_value", "observations.csv"),
    ("observations_truncated", "observations.csv"),
    ("targets_value", "plan_targets.csv"),
    ("targets_missing_column", "plan_targets.csv"),
])
def test_broken_calibration_files(ws, breakage, expect):
    cal = ws.root / "calibration"
    if breakage == "params_value":
        line = _first_estimate(ws)
        _replace(cal / "parameters.yaml", line, line.split(":")[0] + ": abc")
    elif breakage == "params_garbage":
        (cal / "parameters.yaml").write_text("estimates: [1, 2\n", encoding="utf-8")
    elif breakage == "priors_low":
        _replace(cal / "priors.yaml", "low: ", "low: not-a-number #")
    elif breakage == "priors_duplicate":
        _replace(cal / "priors.yaml", "low: ", "low: 0.1\n    low: ")
    elif breakage == "observations_value":
        lines = (cal / "observations.csv").read_text(encoding="utf-8").splitlines()
        head, row = lines[0].split(","), lines[1].split(",")
        row[head.index("value")] = "lots"
        (cal / "observations.csv").write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    elif breakage == "observations_truncated":
        (cal / "observations.csv").write_text('indicator,region\n"open quote,\n', encoding="utf-8")
    elif breakage == "targets_value":
        lines = (cal / "plan_targets.csv").read_text(encoding="utf-8").splitlines()
        head, row = lines[0].split(","), lines[1].split(",")
        row[head.index("target")] = "ten"
        (cal / "plan_targets.csv").write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    elif breakage == "targets_missing_column":
        lines = (cal / "plan_targets.csv").read_text(encoding="utf-8").splitlines()
        (cal / "plan_targets.csv").write_text("\n".join(",".join(x.split(",")[:3]) for x in lines) + "\n",
                                             encoding="utf-8")
    before = ws.state(ws.results)
    proc = ws.mfgbase("run", PLAN, timeout=120)
    err = assert_clean_failure(proc, codes=(1, 2), contains=expect)
    assert "internal error" not in err
    assert ws.state(ws.results) == before and not any(ws.results.iterdir())


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket closes


@pytest.mark.parametrize("address,expect", [
    (f"tcp://127.0.0.1:{_closed_port()}", "cannot connect"),
    ("garbage address!!", "not a scheduler address"),
    ("tcp://127.0.0.1:99999", "not a scheduler address"),
    ("tcp://no-such-host.invalid:8786", "unknown host"),
])
def test_scheduler_failures_are_reported_in_seconds(ws, address, expect):
    t0 = time.perf_counter()
    proc = ws.mfgbase("sensitivity", PLAN, "--samples", "8", "--scheduler", address, "--out", "results/s")
    assert_clean_failure(proc, codes=(2,), contains=expect)
    assert time.perf_counter() - t0 < 30
    assert not (ws.results / "s").exists()


def test_impossible_samples_and_too_many_workers(ws):
    proc = ws.mfgbase("sensitivity", PLAN, "--samples", "1000000000", "--workers", "100", timeout=120)
    err = assert_clean_failure(proc, codes=(2,), contains="of memory")
    assert "capped at" in err  # the --workers note
    assert not any(ws.results.iterdir())


@pytest.mark.parametrize("delay", [0.2, 0.8])
def test_ctrl_c_in_the_first_second(ws, delay):
    env = {**os.environ, "MFGBASE_ROOT": str(ws.root)}
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "run", PLAN], cwd=ws.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"Traceback" not in out, err.decode()[-2000:]
    assert not [p for p in ws.results.iterdir() if p.name.startswith(".")]  # no temp folder left
    if proc.returncode == 0:  # the signal was swallowed while a library loaded: the run must be whole
        assert (ws.results / "plan-2004" / "scorecard.csv").is_file(), out.decode()[-2000:]
    else:
        assert proc.returncode in (1, 2, 130, -signal.SIGINT), err.decode()
        assert not (ws.results / "plan-2004").exists()  # interrupted: nothing half-written


@pytest.mark.parametrize("code,expect", [(errno.EROFS, "read-only file system"),
                                        (errno.ENOSPC, "no space left")])
def test_read_only_or_full_output_folder(tmp_path, monkeypatch, capsys, code, expect):
    """In-process (root ignores permissions, and no test may remount a file system): the first
    write into the result folder fails as a read-only or full disk would make it fail."""
    from model.cli import main
    from model.outputs import atomic

    real_mkdir = os.mkdir

    def failing_mkdir(path, *args, **kwargs):
        if ".mfgbase-tmp-" in os.fspath(path):
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "mkdir", failing_mkdir)
    before = sorted(tmp_path.rglob("*"))
    assert main(["run", str(ROOT / PLAN), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert expect in err and "Traceback" not in err and err.count("\n") <= 3
    assert sorted(tmp_path.rglob("*")) == before
