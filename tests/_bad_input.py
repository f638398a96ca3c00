"""Helpers of the bad-input suite (tests/test_bad_input_*.py).

Each case runs the ``mfgbase`` command in a subprocess against a throw-away project tree
(``MFGBASE_ROOT``: copies of ``calibration/`` and ``scenarios/``, an empty ``results/``), checks
that it fails with one clean message (exit 1 or 2, no traceback, bounded output) and hashes the
whole temporary tree before and after, so a case proves that nothing outside the output folder
changed. Nothing here touches a path outside the temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MESSAGE_BYTES = 8000  # a clean failure is one message, not a flood


def tree_state(root: Path, exclude: tuple[Path, ...] = ()) -> dict[str, tuple]:
    """(type, mode, size, sha256 / link target) of every entry under ``root`` (links not followed)."""
    state: dict[str, tuple] = {}
    excl = [Path(e) for e in exclude]
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            p = Path(dirpath) / name
            if any(p == e or p.is_relative_to(e) for e in excl):
                continue
            st = os.lstat(p)
            rel = str(p.relative_to(root))
            if stat.S_ISREG(st.st_mode):
                state[rel] = ("file", st.st_mode, st.st_size, hashlib.sha256(p.read_bytes()).hexdigest())
            elif stat.S_ISLNK(st.st_mode):
                state[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                state[rel] = ("dir", st.st_mode)
            else:
                state[rel] = ("other", st.st_mode)
    return state


@dataclass
class Workspace:
    """A temporary project tree and the folder around it (``outside`` holds a 'foreign' file)."""

    base: Path
    root: Path
    outside: Path
    secret: str = "root:$6$SECRETHASHxyz:19000:0:99999:7:::"

    @property
    def scenarios(self) -> Path:
        return self.root / "scenarios"

    @property
    def results(self) -> Path:
        return self.root / "results"

    def scenario(self, name: str, text: str) -> Path:
        p = self.scenarios / name
        p.write_text(text, encoding="utf-8")
        return p

    def child(self, name: str, body: str = "", extends: str = "baseline.yaml") -> Path:
        """A valid scenario that extends ``extends`` (plus ``body``)."""
        return self.scenario(name, f"extends: {extends}\nname: {{en: t, zh: 测试}}\n{body}")

    def state(self, *exclude: Path) -> dict[str, tuple]:
        return tree_state(self.base, exclude)

    def mfgbase(self, *args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "MFGBASE_ROOT": str(self.root), "PYTHONUNBUFFERED": "1",
                    "MPLBACKEND": "Agg", **(env or {})}
        full_env.pop("MFGBASE_DEBUG", None)
        return subprocess.run(
            [sys.executable, "-m", "model.cli", *args], cwd=self.root, env=full_env,
            capture_output=True, timeout=timeout, check=False,
        )


def make_workspace(tmp_path: Path) -> Workspace:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "calibration", root / "calibration")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    (root / "results").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    ws = Workspace(tmp_path, root, outside)
    (outside / "shadow.yaml").write_text(f"{ws.secret}\n", encoding="utf-8")
    (outside / "secret.yaml").write_text(f"name: {{en: '{ws.secret}', zh: x}}\npassword: {ws.secret}\n",
                                         encoding="utf-8")
    return ws


def assert_clean_failure(proc: subprocess.CompletedProcess, codes=(1, 2), contains: str | None = None,
                         never: tuple[str, ...] = ()) -> str:
    """Exit code in ``codes``, a message on stderr, no traceback, bounded output; returns stderr."""
    err = proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode in codes, f"exit {proc.returncode}\nstdout: {out[-2000:]}\nstderr: {err[-2000:]}"
    assert "Traceback" not in err and "Traceback" not in out, err[-3000:]
    assert err.strip(), "no message"
    assert len(proc.stderr) + len(proc.stdout) < MAX_MESSAGE_BYTES, f"{len(proc.stderr)} bytes of messages"
    assert "\x1b" not in err and "\x1b" not in out, "control characters reached the terminal"
    if contains is not None:
        assert contains in err, err
    for text in never:
        assert text not in err and text not in out, f"leaked {text!r}"
    return err
