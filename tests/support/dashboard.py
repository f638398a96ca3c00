"""Start `mfgbase dashboard` in a subprocess on a free loopback port (the browser tests and the benchmark).

``served(...)`` is a context manager yielding a :class:`Server` once the page answers; the process
is stopped on exit. Each page request routed through :func:`is_local` may stay on 127.0.0.1.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


class ServerError(RuntimeError):
    """The dashboard did not start."""


@dataclass
class Server:
    url: str
    origin: str  # 127.0.0.1:<port>
    save_dir: Path
    reports_dir: Path
    proc: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_local(url: str, origin: str) -> bool:
    """True for http(s)/ws(s) URLs on ``origin`` and the page's own blob: / data: URLs."""
    if url.startswith(("data:", f"blob:http://{origin}/")):
        return True
    return any(url.startswith(f"{scheme}://{origin}/") or url == f"{scheme}://{origin}"
               for scheme in ("http", "https", "ws", "wss"))


@contextmanager
def served(scenario: Path, folder: Path, states: int = 1000, lang: str = "zh"):
    """Serve ``scenario`` on a free port; saved scenarios and reports go under ``folder``."""
    save_dir, reports_dir = folder / "saved", folder / "reports"
    save_dir.mkdir(parents=True, exist_ok=True)
    reports_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "server.log"
    cmd = [sys.executable, "-c", "import sys; from model.cli import main; sys.exit(main(sys.argv[1:]))",
           "dashboard", str(scenario), "--port", str(port), "--states", str(states), "--lang", lang,
           "--save-dir", str(save_dir), "--reports-dir", str(reports_dir)]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise ServerError(f"dashboard exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServerError(f"dashboard did not answer within {START_TIMEOUT_S} s: "
                                  f"{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield Server(url, f"127.0.0.1:{port}", save_dir, reports_dir, proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
