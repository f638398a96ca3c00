"""``--pdf``: print an HTML report to an A4 PDF with the Chromium the project installs.

``tools/setup-system.sh`` installs Debian's ``chromium``; the report's print CSS
(:mod:`model.reporting.html`: ``@page`` A4, a page per section, headings kept with their
content) does the layout. Chromium runs headless, offline, with a private profile that is
removed afterwards; the PDF is written to a temporary file and moved into place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from model.errors import MfgbaseError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 120


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable on PATH, or None."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html: str | os.PathLike, pdf: str | os.PathLike, chromium: str | None = None) -> Path:
    """Print ``html`` to ``pdf`` (A4, print CSS, no browser header/footer); returns the path.

    Raises ``MfgbaseError`` naming what is missing when Chromium is not installed or fails.
    """
    exe = chromium or find_chromium()
    if not exe:
        raise MfgbaseError("--pdf needs Chromium: run `make install` as root (tools/setup-system.sh installs it) "
                           "/ 生成PDF需要Chromium浏览器:以root运行 make install")
    html, pdf = Path(html).resolve(), Path(pdf)
    profile = tempfile.mkdtemp(prefix="mfgbase-pdf-")
    fd, tmp = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".tmp", dir=pdf.parent)
    os.close(fd)
    try:
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={tmp}", html.as_uri()]
        try:
            proc = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise MfgbaseError(f"--pdf: Chromium did not finish printing {html.name} in {TIMEOUT_S} s") from None
        if proc.returncode != 0 or os.path.getsize(tmp) == 0:
            tail = (proc.stderr or "").strip().splitlines()[-1:] or [""]
            raise MfgbaseError(f"--pdf: Chromium failed to print {html.name} (exit {proc.returncode}) {tail[0][:200]}")
        os.replace(tmp, pdf)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
        shutil.rmtree(profile, ignore_errors=True)
    return pdf
