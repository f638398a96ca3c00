"""Screenshot of the dashboard for docs/: `mfgbase dashboard` served on loopback, Chromium at 1280 px.

    .venv/bin/python tools/dashboard_screenshot.py [--lang zh] [--width 1280] [--out docs/dashboard-zh.png]

Moves two instruments first (investment promotion and the R&D tax credit up), so the change
arrows against the start scenario show, then saves a full-page PNG.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import chromium_flags, find_chromium  # noqa: E402
from tests.support.dashboard import served  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--out", default=str(ROOT / "docs" / "dashboard-zh.png"))
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "plan-2004.yaml"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="dashboard-shot-") as tmp, \
            served(Path(args.scenario), Path(tmp), lang=args.lang) as srv, sync_playwright() as p:
        flags = [f for f in chromium_flags("") if not f.startswith(("--headless", "--user-data-dir"))]
        browser = p.chromium.launch(executable_path=find_chromium(), args=flags, headless=True)
        page = browser.new_page(viewport={"width": args.width, "height": 900}, device_scale_factor=1)
        page.goto(srv.url)
        page.wait_for_selector(".scorecard", timeout=60_000)
        for name, presses in (("fdi_promotion", 4), ("rd_tax_credit", 4)):
            rev = int(page.get_attribute(".scorecard", "data-rev"))
            page.locator(f".ctl-{name} .noUi-handle").focus()
            for _ in range(presses):
                page.keyboard.press("PageUp")
            page.wait_for_function(
                "([sel, rev]) => { const f = (r) => { const h = r.querySelector(sel); if (h) return h;"
                " for (const e of r.querySelectorAll('*')) if (e.shadowRoot) { const x = f(e.shadowRoot); if (x) return x; }"
                " return null; }; const el = f(document); return el && Number(el.dataset.rev) > rev; }",
                arg=[".scorecard", rev], timeout=30_000)
            page.wait_for_timeout(600)
        page.locator(".big").first.click()  # focus off the slider handle
        page.wait_for_timeout(500)
        page.screenshot(path=args.out, full_page=True)
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
