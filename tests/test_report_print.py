"""The comparison report in real headless Chromium: 400 px phone, A4 print PDF, Chinese typesetting.

- at 400 px wide the page has no horizontal overflow (wide tables scroll inside their box);
- the printed PDF (``--pdf``) has no page holding only a heading (headings stay with their content);
- the zh page has no ASCII sentence punctuation right after a Chinese character.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest

from model.outputs.compare import write_comparison
from model.reporting.zh import ascii_punct_after_cjk
from model.studies.compare import compare

pytestmark = pytest.mark.browser
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

_WIDTH_JS = """JSON.stringify({scroll: document.documentElement.scrollWidth,
  client: document.documentElement.clientWidth,
  widest: Math.max(...Array.from(document.querySelectorAll('main > *, section > *, .keep > *'))
                   .map(e => e.getBoundingClientRect().right))})"""


@pytest.fixture(scope="module")
def report(chromium, tmp_path_factory):
    files = [SCENARIOS / f for f in ("baseline.yaml", "plan-2004.yaml", "rd-led.yaml")]
    return write_comparison(compare(files, lang="zh"), tmp_path_factory.mktemp("print") / "cmp", pdf=True)


def page_width(html: Path, width: int, chromium: str) -> dict:
    """scrollWidth / clientWidth of the page opened at ``width`` CSS px (mobile viewport)."""
    from tests.support.browser import _Pipe

    cdp = _Pipe(chromium, 60)
    try:
        target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        cdp.send("Page.enable", session=sid)
        cdp.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True}, session=sid)
        cdp.events.clear()
        cdp.send("Page.navigate", {"url": html.resolve().as_uri()}, session=sid)
        cdp.wait_event("Page.loadEventFired", sid, 60)
        res = cdp.send("Runtime.evaluate", {"expression": _WIDTH_JS, "returnByValue": True}, session=sid)
        return json.loads(res["result"]["value"])
    finally:
        cdp.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_horizontal_overflow_at_400px(report, chromium, lang):
    w = page_width(report / f"report.{lang}.html", 400, chromium)
    assert w["client"] == 400
    assert w["scroll"] <= w["client"], w
    assert w["widest"] <= w["client"] + 0.5, w


def _headings(html: str) -> set[str]:
    return {re.sub(r"\s+", "", htmllib.unescape(h)) for h in re.findall(r"<h[1-3]>(.*?)</h[1-3]>", html, re.S)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_pdf_has_no_page_with_only_a_heading(report, lang):
    import pypdf  # a dev dependency (pyproject.toml): missing fails, never skips
    pdf = report / f"report.{lang}.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    heads = _headings((report / f"report.{lang}.html").read_text(encoding="utf-8"))
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) >= 5
    lonely = []
    for i, page in enumerate(pages, start=1):
        lines = [re.sub(r"\s+", "", ln) for ln in (page.extract_text() or "").splitlines()]
        lines = [ln for ln in lines if ln]
        if lines and all(ln in heads or any(ln in h for h in heads) for ln in lines):
            lonely.append((i, lines))
    assert lonely == [], f"pages holding only a heading: {lonely}"


def _visible_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r'(src|alt|title)="[^"]*"', "", html)
    return htmllib.unescape(re.sub(r"<[^>]+>", "\n", html))


def test_zh_page_has_no_ascii_sentence_punctuation_after_cjk(report):
    text = _visible_text((report / "report.zh.html").read_text(encoding="utf-8"))
    assert "情景比较" in text
    assert ascii_punct_after_cjk(text) == []
    # the check itself bites: the raw strings the report is built from do have such marks
    assert ascii_punct_after_cjk("模型以A为基础,只把这一组换成B的取值:") != []
