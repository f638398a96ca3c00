#!/usr/bin/env python3
"""Open an HTML report in headless Chromium; print console errors / broken images; screenshot.

    .venv/bin/python tools/browser_check.py results/x/report.html [-o shot.png] [--width 1280]
    .venv/bin/python tools/browser_check.py --demo /tmp/demo.html   # build the sample first

Exit status 0 when the page is clean, 1 when it has console errors or broken images,
2 when Chromium is unavailable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.browser import ensure_chromium, screenshot_and_console  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("-o", "--screenshot", type=Path, default=None)
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=None, help="viewport height (default: full page)")
    ap.add_argument("--demo", action="store_true", help="first write the sample report to HTML")
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    a = ap.parse_args(argv)
    if a.demo:
        from tests.support.demo import sample_report

        sample_report(a.lang).write(a.html)
    exe, reason = ensure_chromium(install=True)
    if exe is None:
        print(f"chromium unavailable: {reason}", file=sys.stderr)
        return 2
    shot = a.screenshot or a.html.with_suffix(".png")
    res = screenshot_and_console(a.html, shot, a.width, a.height, chromium=exe)
    print(f"images: {res.images}  broken: {res.broken_images}  page height: {res.page_height}px")
    print(f"screenshot: {res.screenshot}")
    for e in res.console_errors:
        print(f"console error: {e}")
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
