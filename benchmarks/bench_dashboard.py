"""Benchmark: latency from a slider move to the updated scorecard on screen, in a real browser.

Serves `mfgbase dashboard scenarios/plan-2004.yaml` (P(met | policy) over the default 1000 states
of the world, the instrument swings and the central run in one array call per move) on loopback,
opens it in Debian's Chromium (Playwright, no browser download) and moves an instrument slider 50
times with the keyboard (PageUp / PageDown alternating, so every move changes the value). Each
latency is measured inside the page: ``performance.now()`` just before the key event is
dispatched to the slider handle, then ``requestAnimationFrame`` polling until the scorecard's
revision (``data-rev``) has changed, i.e. the new scorecard is in the DOM of a rendered frame.
Prints median and p95 and writes benchmarks/results/bench_dashboard.json.

    .venv/bin/python benchmarks/bench_dashboard.py [--moves 50] [--states 1000] [--slider rd_special_fund]

Aim (issue #16): p95 < 0.2 s on the project's 2-core machine. Measure on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import chromium_flags, find_chromium  # noqa: E402
from tests.support.dashboard import served  # noqa: E402

# one move, measured in the page: dispatch the key, poll with rAF until the scorecard's revision grows
_MOVE_JS = """
async ([name, key]) => {
  function find(root, sel) {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const e of root.querySelectorAll('*')) {
      if (e.shadowRoot) { const f = find(e.shadowRoot, sel); if (f) return f; }
    }
    return null;
  }
  const host = find(document, '.ctl-' + name);
  const handle = host && (host.querySelector('.noUi-handle') || find(host.shadowRoot || host, '.noUi-handle'));
  const rev0 = Number(find(document, '.scorecard').dataset.rev);
  const t0 = performance.now();
  handle.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true, cancelable: true}));
  return await new Promise((resolve, reject) => {
    const give_up = t0 + 30000;
    function poll(now) {
      const sc = find(document, '.scorecard');
      if (sc && Number(sc.dataset.rev) > rev0) { resolve(now - t0); return; }
      if (now > give_up) { reject(new Error('no new scorecard within 30 s')); return; }
      requestAnimationFrame(poll);
    }
    requestAnimationFrame(poll);
  });
}
"""


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=50)
    ap.add_argument("--states", type=int, default=1000)
    ap.add_argument("--slider", default="rd_special_fund")
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "plan-2004.yaml"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    exe = find_chromium()
    if exe is None:
        print("no Chromium found (tools/setup-system.sh installs Debian's chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp, \
            served(Path(args.scenario), Path(tmp), states=args.states) as srv, sync_playwright() as p:
        flags = [f for f in chromium_flags("") if not f.startswith(("--headless", "--user-data-dir"))]
        browser = p.chromium.launch(executable_path=exe, args=flags, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        t0 = time.perf_counter()
        page.goto(srv.url)
        page.wait_for_selector(".scorecard", timeout=60_000)
        load_s = time.perf_counter() - t0
        for key in ("PageUp", "PageDown"):  # warm-up (first Bokeh patches, JIT)
            page.evaluate(_MOVE_JS, [args.slider, key])
        lat = [page.evaluate(_MOVE_JS, [args.slider, "PageUp" if i % 2 == 0 else "PageDown"]) / 1000.0
               for i in range(args.moves)]
        browser.close()
    out = {
        "benchmark": "dashboard slider move -> scorecard on screen (rAF polling in the page)",
        "scenario": Path(args.scenario).name, "slider": args.slider, "states": args.states, "moves": args.moves,
        "median_s": statistics.median(lat), "p95_s": percentile(lat, 0.95), "max_s": max(lat), "min_s": min(lat),
        "page_load_s": load_s, "latencies_s": lat, "python": platform.python_version(), "machine": platform.machine(),
        "aim_p95_s": 0.2,
    }
    print(f"slider {args.slider}, {args.states} states, {args.moves} moves: median {out['median_s'] * 1000:.0f} ms, "
          f"p95 {out['p95_s'] * 1000:.0f} ms, max {out['max_s'] * 1000:.0f} ms (first page load {load_s:.1f} s)")
    res = ROOT / "benchmarks" / "results"
    res.mkdir(parents=True, exist_ok=True)
    (res / "bench_dashboard.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
