"""Ctrl-C is raised where the command line can report it: never inside an import, never lost in a
callback that cannot raise (model/interrupts.py). Each case runs in its own interpreter, so the
test process keeps its own SIGINT handling; the signal is raised at a chosen point, not timed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": f"{ROOT}:{tmp_path}", "PATH": "/usr/bin:/bin"})


def test_ctrl_c_during_an_import_is_raised_after_the_import(tmp_path):
    (tmp_path / "heavy_library.py").write_text(
        "import signal\nsignal.raise_signal(signal.SIGINT)\nLOADED = True\n")
    proc = _python("""
        import time
        from model import interrupts
        interrupts.deliver_outside_imports()
        try:
            import heavy_library
            time.sleep(5)
            print("not interrupted")
        except KeyboardInterrupt:
            import sys
            print("interrupted after the import:", "heavy_library" in sys.modules)
        """, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "interrupted after the import: True", proc.stdout + proc.stderr


def test_ctrl_c_in_a_weakref_callback_is_not_ignored(tmp_path):
    proc = _python("""
        import signal, time, weakref
        from model import interrupts
        interrupts.deliver_outside_imports()
        class Thing: pass
        thing = Thing()
        ref = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
        try:
            del thing
            time.sleep(5)
            print("not interrupted")
        except KeyboardInterrupt:
            print("interrupted")
        """, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "interrupted", proc.stdout + proc.stderr
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_in_process_main_leaves_the_callers_handler_in_place():
    import signal

    from model.cli import main

    before = signal.getsignal(signal.SIGINT)
    hook = sys.unraisablehook
    main(["validate", str(ROOT / "scenarios" / "plan-2004.yaml")])
    assert signal.getsignal(signal.SIGINT) is before and sys.unraisablehook is hook
