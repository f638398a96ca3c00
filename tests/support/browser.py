"""A real headless-browser check of an HTML report, with no Python dependency.

Drives Debian's Chromium through the Chrome DevTools Protocol over ``--remote-debugging-pipe``
(JSON messages separated by NUL on file descriptors 3 and 4), so no websocket library, no
open port and no browser download are needed. ``screenshot_and_console()`` opens a file,
collects console errors (console.error/assert, uncaught exceptions, failed loads logged by
the browser), counts broken images (naturalWidth == 0 after load) and saves a full-page PNG.

``ensure_chromium()`` installs Debian's ``chromium`` with apt-get when missing and running as
root (CI); otherwise it says why it couldn't.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "BrowserError",
    "BrowserReport",
    "can_install_chromium",
    "chromium_flags",
    "ensure_chromium",
    "find_chromium",
    "screenshot_and_console",
]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
               "chrome", "headless_shell")
_MAX_HEIGHT = 16384  # Chromium's largest texture; taller pages are cut


class BrowserError(RuntimeError):
    """Chromium could not be started or did not answer."""


@dataclass
class BrowserReport:
    console_errors: list[str]
    broken_images: int
    screenshot: Path
    images: int = 0
    page_height: int = 0
    console_messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.console_errors and self.broken_images == 0


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary: $MFGBASE_CHROMIUM, then PATH, then /usr/bin."""
    env = os.environ.get("MFGBASE_CHROMIUM")
    if env and os.access(env, os.X_OK):
        return env
    for name in _CANDIDATES:
        p = shutil.which(name)
        if p:
            return p
    for p in ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium"):
        if os.access(p, os.X_OK):
            return p
    return None


def can_install_chromium() -> tuple[bool, str]:
    """Whether ``ensure_chromium`` could apt-get install Chromium here (root and apt-get)."""
    if os.name != "posix" or os.geteuid() != 0:
        return False, "not running as root, cannot apt-get install chromium"
    if not shutil.which("apt-get"):
        return False, "apt-get is not available to install chromium"
    return True, "root with apt-get"


def ensure_chromium(install: bool = True, timeout: float = 900) -> tuple[str | None, str]:
    """Return ``(path, reason)``: the Chromium path, installing it with apt-get if needed.

    ``path`` is None when Chromium is missing and can't be installed; ``reason`` says why
    (or how it was found).
    """
    p = find_chromium()
    if p:
        return p, f"found {p}"
    if not install:
        return None, "chromium not installed (install=False)"
    possible, why = can_install_chromium()
    if not possible:
        return None, f"chromium not installed and {why}"
    apt = shutil.which("apt-get") or "apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log = []
    for cmd in ([apt, "update", "-qq"],
                [apt, "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                               stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as e:
            return None, f"{' '.join(cmd)} failed: {e}"
        log.append((r.stdout + r.stderr)[-2000:])
        if r.returncode != 0 and cmd[1] == "install":
            return None, f"apt-get install chromium failed (exit {r.returncode}): {log[-1]}"
    p = find_chromium()
    return (p, f"installed {p} with apt-get") if p else (None, "chromium missing after install")


def chromium_flags(user_data_dir: str) -> list[str]:
    """Quiet, offline, sandbox-free headless flags (root in a container needs --no-sandbox)."""
    return [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-default-apps", "--disable-dev-shm-usage", "--mute-audio",
        "--hide-scrollbars", "--disable-features=Translate,MediaRouter,OptimizationHints",
        "--metrics-recording-only", "--password-store=basic", "--use-mock-keychain",
        f"--user-data-dir={user_data_dir}",
    ]


class _Pipe:
    """CDP over Chromium's --remote-debugging-pipe (we write fd 3, read fd 4)."""

    def __init__(self, exe: str, timeout: float) -> None:
        self.timeout = timeout
        self.tmp = tempfile.mkdtemp(prefix="mfgbase-chromium-")
        to_r, self._w = os.pipe()   # child reads fd 3
        self._r, from_w = os.pipe()  # child writes fd 4

        def _child_fds() -> None:  # runs in the child between fork and exec
            a = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.stderr = tempfile.TemporaryFile()
        args = [exe, *chromium_flags(self.tmp), "--remote-debugging-pipe", "about:blank"]
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr,
                close_fds=False, preexec_fn=_child_fds,
            )
        finally:
            os.close(to_r)
            os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _stderr_tail(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-1500:]

    def _read_one(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for Chromium")
            ready, _, _ = select.select([self._r], [], [], min(left, 0.5))
            if not ready:
                if self.proc.poll() is not None:
                    raise BrowserError(f"Chromium exited ({self.proc.returncode}): "
                                       f"{self._stderr_tail()}")
                continue
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe: {self._stderr_tail()}")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return json.loads(msg)

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        self._id += 1
        mid = self._id
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            os.write(self._w, data)
        except BrokenPipeError as e:
            raise BrowserError(f"Chromium pipe closed: {self._stderr_tail()}") from e
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read_one(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise BrowserError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method: str, session: str | None, timeout: float) -> dict[str, Any]:
        for e in self.events:
            if e["method"] == method and e.get("sessionId") == session:
                return e
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_one(deadline)
            if "method" in m:
                self.events.append(m)
                if m["method"] == method and m.get("sessionId") == session:
                    return m

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self._id += 1
                    os.write(self._w, json.dumps({"id": self._id, "method": "Browser.close",
                                                  "params": {}}).encode() + b"\0")
                    self.proc.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
        finally:
            for fd in (self._w, self._r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.stderr.close()
            shutil.rmtree(self.tmp, ignore_errors=True)


_IMAGES_JS = """
(async () => {
  if (document.fonts && document.fonts.ready) { await document.fonts.ready; }
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.complete ? null :
      new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0)
                     .map(i => (i.currentSrc || i.src || '').slice(0, 80));
  const h = Math.ceil(Math.max(document.documentElement.scrollHeight,
                               document.body ? document.body.scrollHeight : 0));
  return JSON.stringify({images: imgs.length, broken: broken, height: h});
})()
"""


def _remote_object_text(obj: dict[str, Any]) -> str:
    if "value" in obj:
        return str(obj["value"])
    return str(obj.get("description") or obj.get("unserializableValue") or obj.get("type", ""))


def screenshot_and_console(
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    width: int = 1280,
    height: int | None = None,
    *,
    chromium: str | None = None,
    timeout: float = 60.0,
) -> BrowserReport:
    """Open ``html_path`` in headless Chromium; return console errors, broken images, screenshot.

    ``height=None`` takes a full-page screenshot (capped at 16384 px); an int fixes the
    viewport height. Raises ``BrowserError`` if Chromium is missing or fails.
    """
    exe = chromium or find_chromium()
    if not exe:
        raise BrowserError("chromium not found; run ensure_chromium() or tools/setup-system.sh")
    url = Path(html_path).resolve().as_uri()
    png_path = Path(png_path)
    cdp = _Pipe(exe, timeout)
    try:
        target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        for dom in ("Page.enable", "Runtime.enable", "Log.enable"):
            cdp.send(dom, session=sid)
        cdp.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height or 800, "deviceScaleFactor": 1,
                  "mobile": False}, session=sid)
        cdp.events.clear()
        nav = cdp.send("Page.navigate", {"url": url}, session=sid)
        if nav.get("errorText"):
            raise BrowserError(f"navigation to {url} failed: {nav['errorText']}")
        cdp.wait_event("Page.loadEventFired", sid, timeout)
        res = cdp.send("Runtime.evaluate", {"expression": _IMAGES_JS, "awaitPromise": True,
                                            "returnByValue": True}, session=sid)
        if "exceptionDetails" in res:
            raise BrowserError(f"image check failed: {res['exceptionDetails']}")
        info = json.loads(res["result"]["value"])
        page_h = int(info["height"])
        if height is None:
            cdp.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": max(1, min(page_h, _MAX_HEIGHT)),
                      "deviceScaleFactor": 1, "mobile": False}, session=sid)
        shot = cdp.send("Page.captureScreenshot", {"format": "png", "fromSurface": True},
                        session=sid)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        png_path.write_bytes(base64.b64decode(shot["data"]))
        # drain anything already sent (late console messages) with a cheap round trip
        cdp.send("Runtime.evaluate", {"expression": "1"}, session=sid)
        errors: list[str] = []
        messages: list[str] = []
        for e in cdp.events:
            if e.get("sessionId") != sid:
                continue
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled":
                text = " ".join(_remote_object_text(a) for a in p.get("args", []))
                messages.append(f"{p.get('type')}: {text}")
                if p.get("type") in ("error", "assert"):
                    errors.append(f"console.{p.get('type')}: {text}")
            elif e["method"] == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                exc = d.get("exception", {})
                errors.append(f"uncaught: {exc.get('description') or d.get('text')}")
            elif e["method"] == "Log.entryAdded":
                entry = p.get("entry", {})
                messages.append(f"{entry.get('level')}: {entry.get('text')}")
                if entry.get("level") == "error":
                    src = entry.get("url") or ""
                    errors.append(f"{entry.get('source')}: {entry.get('text')} {src}".strip())
        return BrowserReport(console_errors=errors, broken_images=len(info["broken"]),
                             screenshot=png_path, images=int(info["images"]),
                             page_height=page_h, console_messages=messages)
    finally:
        cdp.close()
