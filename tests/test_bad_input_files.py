"""Bad-input suite, class 2 (leaks and denial of service): hostile scenario files are refused
in one short message that never echoes a foreign file, never hangs and never reads unbounded."""

from __future__ import annotations

import os
import time

import pytest

from tests._bad_input import assert_clean_failure, make_workspace


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def _validate(ws, name: str, contains: str | None = None, timeout: float = 30):
    before = ws.state()
    t0 = time.perf_counter()
    proc = ws.mfgbase("validate", f"scenarios/{name}", timeout=timeout)
    err = assert_clean_failure(proc, codes=(2,), contains=contains, never=(ws.secret, "SECRETHASH"))
    assert ws.state() == before
    return err, time.perf_counter() - t0


@pytest.mark.parametrize("ref", ["{outside}/secret.yaml", "../../outside/secret.yaml", "{outside}/shadow.yaml",
                                 "../../outside/shadow.yaml"])
def test_extends_outside_the_scenario_tree_is_refused_unread(ws, ref):
    ws.child("leak.yaml", extends=ref.format(outside=ws.outside))
    _validate(ws, "leak.yaml", contains="outside the allowed scenario folders")


def test_extends_through_a_symlink_pointing_outside(ws):
    (ws.scenarios / "innocent.yaml").symlink_to(ws.outside / "secret.yaml")
    ws.child("leak.yaml", extends="innocent.yaml")
    _validate(ws, "leak.yaml", contains="outside the allowed")


def test_extends_to_a_device_is_refused_without_reading(ws):
    ws.child("zero.yaml", extends="/dev/zero")  # read-only, harmless; would read forever
    _, seconds = _validate(ws, "zero.yaml", contains="not a .yaml file")
    (ws.scenarios / "zero-link.yaml").symlink_to("/dev/zero")
    ws.child("zero2.yaml", extends="zero-link.yaml")
    _validate(ws, "zero2.yaml")


def test_fifo_never_hangs(ws):
    os.mkfifo(ws.scenarios / "pipe.yaml")
    ws.child("fifo.yaml", extends="pipe.yaml")
    _, seconds = _validate(ws, "fifo.yaml", contains="not a regular file", timeout=20)
    _validate(ws, "pipe.yaml", contains="FIFO", timeout=20)


def test_symlink_loop(ws):
    (ws.scenarios / "loop-a.yaml").symlink_to("loop-b.yaml")
    (ws.scenarios / "loop-b.yaml").symlink_to("loop-a.yaml")
    ws.child("loops.yaml", extends="loop-a.yaml")
    _validate(ws, "loops.yaml", contains="symbolic link loop")
    _validate(ws, "loop-a.yaml", contains="symbolic link loop")


def test_billion_laughs_is_refused_in_a_short_message(ws):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, c in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{c}: &{c} [" + ",".join([f"*{prev}"] * 9) + "]")
    ws.scenario("laughs.yaml", "\n".join(lines) + "\n")
    assert len((ws.scenarios / "laughs.yaml").read_bytes()) < 800
    err, _ = _validate(ws, "laughs.yaml", contains="anchors")
    assert len(err) < 500


def test_duplicate_keys_are_refused(ws):
    ws.child("dup.yaml", body="levers:\n  fdi: {values: 0.1}\n  fdi: {values: 0.3}\n")
    _validate(ws, "dup.yaml", contains="duplicate key fdi")


def test_oversized_file_is_refused_unread(ws):
    ws.scenario("big.yaml", "name: {en: a, zh: b}\n" + "# padding\n" * 40_000)
    _validate(ws, "big.yaml", contains="at most")


def test_control_characters_never_reach_the_terminal(ws):
    ws.child("ansi.yaml").write_text('name: {en: "\\e[2J\\e[31mred", zh: x}\nextends: baseline.yaml\n',
                                     encoding="utf-8")
    _validate(ws, "ansi.yaml", contains="control characters")
    name = "evil\x1b[31m.yaml"
    ws.child(name, body="levers: {nope: 1}\n")
    err, _ = _validate(ws, name)
    assert "\\x1b" in err


def test_extends_must_name_a_yaml_file(ws):
    (ws.scenarios / "notes.txt").write_text("name: {en: a, zh: b}\n", encoding="utf-8")
    ws.child("txt.yaml", extends="notes.txt")
    _validate(ws, "txt.yaml", contains="not a .yaml file")


def test_allow_list_lets_the_user_extend_another_folder(ws):
    other = ws.outside / "team"
    other.mkdir()
    (other / "base.yaml").write_text((ws.scenarios / "baseline.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    ws.child("team.yaml", extends=str(other / "base.yaml"))
    _validate(ws, "team.yaml", contains="MFGBASE_EXTENDS_PATH")
    proc = ws.mfgbase("validate", "scenarios/team.yaml", env={"MFGBASE_EXTENDS_PATH": str(other)})
    assert proc.returncode == 0, proc.stderr.decode()
