"""The output-path guard and the atomic folder swap (model.outputs.atomic)."""

from __future__ import annotations

import multiprocessing as mp
import os
import stat
from pathlib import Path

import pytest

from model.outputs import atomic
from model.outputs.atomic import (
    MARKER,
    MAX_NAME_BYTES,
    OutputPathError,
    atomic_directory,
    check_output_dir,
    check_output_file,
    clean_stale,
    is_mfgbase_folder,
    safe_name,
    write_file_atomic,
)


def _write(target: Path, text: str = "new") -> None:
    with atomic_directory(target) as tmp:
        (tmp / "a.txt").write_text(text, encoding="utf-8")


def test_new_folder_gets_marker_and_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        _write(tmp_path / "out")
    finally:
        os.umask(old)
    out = tmp_path / "out"
    assert is_mfgbase_folder(out) and (out / "a.txt").read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # umask respected, not mkdtemp's 0700
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temp or old folder left


def test_replaces_its_own_folder(tmp_path):
    _write(tmp_path / "out", "first")
    _write(tmp_path / "out", "second")
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("kind", ["user_folder", "empty_folder", "file", "symlink", "fifo", "forged_marker_link"])
def test_refuses_anything_it_did_not_create(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "user_folder":
        target.mkdir()
        (target / "thesis.docx").write_text("years of work", encoding="utf-8")
    elif kind == "empty_folder":
        target.mkdir()
    elif kind == "file":
        target.write_text("keep", encoding="utf-8")
    elif kind == "symlink":
        real = tmp_path / "real"
        _write(real)  # even a link to an mfgbase folder is not replaced
        target.symlink_to(real)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "forged_marker_link":
        target.mkdir()
        (tmp_path / "elsewhere").write_text('{"written_by": "mfgbase result folder"}', encoding="utf-8")
        (target / MARKER).symlink_to(tmp_path / "elsewhere")
    before = sorted((str(p), p.is_symlink()) for p in tmp_path.rglob("*"))
    with pytest.raises(OutputPathError, match="Nothing was changed"):
        _write(target)
    assert sorted((str(p), p.is_symlink()) for p in tmp_path.rglob("*")) == before


def test_refuses_parents_and_root(tmp_path):
    for bad in (tmp_path / "x" / "..", Path("/"), Path(".")):
        with pytest.raises(OutputPathError):
            check_output_dir(bad)
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(OutputPathError, match="is not a folder"):
        check_output_dir(tmp_path / "plain" / "out")


def test_failure_inside_keeps_previous_result(tmp_path):
    _write(tmp_path / "out", "first")
    with pytest.raises(RuntimeError):
        with atomic_directory(tmp_path / "out") as tmp:
            (tmp / "a.txt").write_text("half", encoding="utf-8")
            raise RuntimeError("killed")
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _dead_pid() -> int:
    p = mp.get_context("fork").Process(target=os._exit, args=(0,))
    p.start()
    p.join()
    return p.pid


def test_stale_temp_folders_of_killed_runs_are_cleaned(tmp_path):
    pid = _dead_pid()
    stale = tmp_path / f".out.mfgbase-tmp-{pid}-0123abcd"
    stale.mkdir()
    (stale / MARKER).write_text('{"written_by": "mfgbase result folder"}', encoding="utf-8")
    unmarked = tmp_path / f".other.mfgbase-tmp-{pid}-0123abcd"  # same pattern, no marker: not ours
    unmarked.mkdir()
    alive = tmp_path / f".busy.mfgbase-tmp-{os.getppid()}-0123abcd"  # live process: in use
    alive.mkdir()
    (alive / MARKER).write_text('{"written_by": "mfgbase result folder"}', encoding="utf-8")
    lost = tmp_path / f".kept.mfgbase-old-{pid}-0123abcd"  # killed between two renames
    lost.mkdir()
    (lost / MARKER).write_text('{"written_by": "mfgbase result folder"}', encoding="utf-8")
    _write(tmp_path / "out")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert stale.name not in names and unmarked.name in names and alive.name in names
    assert "kept" in names and lost.name not in names  # restored, not deleted
    assert clean_stale(tmp_path, now=1e12) == [alive]  # very old: stale even with a live PID


def test_safe_name():
    assert safe_name("..") == "unnamed" and safe_name(".") == "unnamed" and safe_name("") == "unnamed"
    assert safe_name("../../etc") == "_.._etc" and "/" not in safe_name("a/b\\c")
    assert safe_name("red\x1b[31m\n") == "red_[31m_"
    long = "浙" * 83  # 249 bytes
    name = safe_name(long)
    assert len(name.encode()) <= MAX_NAME_BYTES and name.startswith("浙")
    assert safe_name(long) != safe_name("浙" * 84)


def test_single_file_outputs(tmp_path):
    sig = "written by `mfgbase calibrate`"
    f = tmp_path / "parameters.yaml"
    write_file_atomic(f, f"# {sig}\na: 1\n", sig)
    write_file_atomic(f, f"# {sig}\na: 2\n", sig)
    assert f.read_text(encoding="utf-8").endswith("a: 2\n")
    user = tmp_path / "notes.txt"
    user.write_text("mine", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    for bad in (user, tmp_path / "pipe", tmp_path):
        with pytest.raises(OutputPathError, match="Nothing was changed"):
            check_output_file(bad, sig)
    assert user.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "parameters.yaml", "pipe"]


def _swapper(target: str, tag: str, n: int, queue) -> None:
    failures = 0
    for i in range(n):
        try:
            with atomic_directory(target) as tmp:
                (tmp / "who.txt").write_text(f"{tag} {i}", encoding="utf-8")
                (tmp / "check.txt").write_text(f"{tag} {i}", encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 - counted, reported by the test
            failures += 1
            print("FAIL", type(exc).__name__, exc, flush=True)
    queue.put(failures)


@pytest.mark.parametrize("protocol", ["exchange", "two_renames"])
def test_two_processes_swapping_the_same_folder_never_fail(tmp_path, monkeypatch, protocol):
    """Stress: 2 processes x 300 swaps of one folder: zero failures, always complete."""
    if protocol == "two_renames":  # kernels/file systems without renameat2(RENAME_EXCHANGE)
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    target = str(tmp_path / "out")
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_swapper, args=(target, tag, 300, queue)) for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [queue.get(timeout=5) for _ in procs] == [0, 0]
    out = Path(target)
    assert is_mfgbase_folder(out)
    assert (out / "who.txt").read_text(encoding="utf-8") == (out / "check.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
