"""Open the comparison report in real headless Chromium: no console errors, no broken images."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from model.outputs.compare import write_comparison
from model.studies.compare import compare
from model.targets import load_targets
from tests.support.browser import screenshot_and_console

pytestmark = pytest.mark.browser
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_report_renders_in_chromium(chromium, tmp_path):
    files = [SCENARIOS / f for f in ("baseline.yaml", "plan-2004.yaml", "green-first.yaml")]
    out = write_comparison(compare(files, lang="zh"), tmp_path / "cmp")
    n_charts = len(list((out / "charts" / "zh").glob("*.png")))
    shot = out / "report-screenshot.png"
    res = screenshot_and_console(out / "report.zh.html", shot, width=1280, chromium=chromium)
    assert res.console_errors == []
    assert res.broken_images == 0
    assert res.images == n_charts == 1 + len(load_targets()) + 1  # grid, one per target, sectors
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 100_000
    # keep a copy for a human to look at (pytest keeps the last few tmp folders)
    shutil.copy(shot, tmp_path / "compare-report-zh.png")
