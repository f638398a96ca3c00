"""Headless-Chromium check of the HTML report: console errors, broken images, screenshot.

Runs in the default suite. Chromium is installed with apt-get when missing (root + apt);
the tests skip only when that is impossible, and fail when an install attempt fails.
"""

from __future__ import annotations

import pytest

from tests.support.browser import screenshot_and_console
from tests.support.checks import external_references
from tests.support.demo import sample_report

pytestmark = pytest.mark.browser


def test_sample_report_renders_cleanly(chromium, tmp_path):
    rep = sample_report("zh")
    html_path = rep.write(tmp_path / "report.html")
    assert external_references(html_path.read_text(encoding="utf-8")) == []
    shot = tmp_path / "report.png"
    res = screenshot_and_console(html_path, shot, width=1280, chromium=chromium)
    assert res.console_errors == []
    assert res.broken_images == 0
    assert res.images == rep.n_figures == 2
    assert res.ok
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000, len(data)  # a real page with two charts, not a blank frame
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert width == 1280 and height == res.page_height > 1000  # full page, not one viewport


def test_broken_image_and_console_error_are_detected(chromium, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        "</head><body><p>坏图</p>"
        '<img src="data:image/png;base64,AAAA" alt="broken">'
        "<script>console.error('x')</script></body></html>",
        encoding="utf-8",
    )
    res = screenshot_and_console(page, tmp_path / "bad.png", height=600, chromium=chromium)
    assert res.broken_images == 1
    assert res.console_errors == ["console.error: x"]
    assert not res.ok
    assert (tmp_path / "bad.png").stat().st_size > 1000


def test_uncaught_exception_is_a_console_error(chromium, tmp_path):
    page = tmp_path / "exc.html"
    page.write_text("<html><body><script>undefinedFunction()</script></body></html>")
    res = screenshot_and_console(page, tmp_path / "exc.png", height=300, chromium=chromium)
    assert len(res.console_errors) == 1 and "undefinedFunction" in res.console_errors[0]


def test_missing_relative_image_is_broken(chromium, tmp_path):
    page = tmp_path / "missing.html"
    page.write_text('<html><body><img src="nope.png"></body></html>')
    res = screenshot_and_console(page, tmp_path / "m.png", height=300, chromium=chromium)
    assert res.broken_images == 1


def test_ensure_chromium_reports_reason_without_install(monkeypatch):
    import tests.support.browser as b

    monkeypatch.setattr(b, "find_chromium", lambda: None)
    path, reason = b.ensure_chromium(install=False)
    assert path is None and "not installed" in reason
