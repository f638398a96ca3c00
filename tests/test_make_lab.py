"""`make lab` starts JupyterLab on notebooks/, also as root (it passes --allow-root then)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_recipe_uses_the_lab_script():
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.run(["make", "--no-print-directory", "-n", "-W", "pyproject.toml", "lab"], cwd=ROOT,
                         capture_output=True, text=True, check=True, env=env).stdout
    recipe = [line for line in out.splitlines() if "jupyter" in line or "lab.sh" in line]
    assert recipe and all("tools/lab.sh" in line for line in recipe), out


def test_lab_script_starts_jupyterlab_as_this_user(tmp_path):
    """tools/lab.sh (what `make lab` runs) serves notebooks/; as root this needs --allow-root."""
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "lab.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            ["bash", str(ROOT / "tools" / "lab.sh"), "--no-browser", f"--port={port}",
             "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.ip=127.0.0.1"],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        running = False
        while time.monotonic() < deadline and proc.poll() is None:
            if f":{port}/lab" in log.read_text(errors="replace"):
                running = True
                break
            time.sleep(0.2)
        text = log.read_text(errors="replace")
        assert running, f"JupyterLab did not start (exit {proc.poll()}):\n{text[-2000:]}"
        assert f"local directory: {ROOT / 'notebooks'}" in text, text[-2000:]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
