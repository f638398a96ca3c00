"""The served dashboard in a real browser: pytest-playwright driving Debian's Chromium on loopback.

One `mfgbase dashboard` server per module (a subprocess, as a planner starts it); each test opens
its own page (a new session). Every request the page makes is routed through a check: anything
that is not http(s)/ws on 127.0.0.1:<port> (or a blob:/data: URL of the page) is recorded and
aborted, so a CDN or other outside request fails the test even on a machine with no network.
No browser is downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1; ``executable_path`` = Chromium).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("playwright")

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "plan-2004.yaml"
CJK = re.compile("[\u4e00-\u9fff]")
STATES = 1000  # the default sample (as mfgbase run)


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    from tests.support.dashboard import ServerError, served

    try:
        with served(PLAN, tmp_path_factory.mktemp("dashboard"), states=STATES) as srv:
            yield srv
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium):
    """Debian's Chromium with the project's quiet, offline flags (tests/support/browser.py)."""
    from tests.support.browser import chromium_flags

    flags = [f for f in chromium_flags("") if not f.startswith(("--headless", "--user-data-dir"))]
    return {**browser_type_launch_args, "executable_path": chromium, "args": flags, "headless": True}


@dataclass
class Watched:
    page: object
    outside: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(context, page, origin: str) -> Watched:
    from tests.support.dashboard import is_local

    w = Watched(page)

    def route(r):
        url = r.request.url
        w.requests.append(url)
        if is_local(url, origin):
            r.continue_()
        else:
            w.outside.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("websocket", lambda ws: None if is_local(ws.url, origin) else w.outside.append(ws.url))
    page.on("console", lambda m: w.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "assert") else None)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: None if r.url in w.outside else w.errors.append(f"failed: {r.url}"))
    return w


@pytest.fixture
def dash(context, page, server) -> Watched:
    w = watch(context, page, server.origin)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url)
    page.wait_for_selector(".scorecard", timeout=60_000)
    return w


def _rev(page) -> int:
    return int(page.get_attribute(".scorecard", "data-rev"))


def _move(page, name: str, key: str = "PageUp", times: int = 1) -> None:
    """Move slider ``name`` with the keyboard (as a planner can) and wait for the new scorecard."""
    rev = _rev(page)
    handle = page.locator(f".ctl-{name} .noUi-handle")
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)
    page.wait_for_function(
        "([rev]) => { const el = (function find(root) { const hit = root.querySelector('.scorecard');"
        " if (hit) return hit; for (const e of root.querySelectorAll('*')) { if (e.shadowRoot) { const f = find(e.shadowRoot);"
        " if (f) return f; } } return null; })(document); return el && Number(el.dataset.rev) > rev; }",
        arg=[rev], timeout=30_000)
    page.wait_for_timeout(300)  # later keypresses may still be on their way


def _scorecard(page) -> dict[str, dict]:
    rows = page.locator(".scorecard tr[data-target]")
    out = {}
    for i in range(rows.count()):
        r = rows.nth(i)
        p = r.get_attribute("data-p")
        out[r.get_attribute("data-target")] = {"value": float(r.get_attribute("data-value")),
                                               "p": float(p) if p else None,
                                               "status": r.get_attribute("data-status"),
                                               "text": r.inner_text()}
    return out


def test_page_loads_without_console_errors_or_outside_requests(dash, server):
    from model.run import load_model

    page = dash.page
    page.locator(".big").filter(has_text="规划仪表板").wait_for(timeout=60_000)  # the header renders after the scorecard
    assert "规划仪表板" in page.inner_text(".big")
    sc = _scorecard(page)
    assert list(sc) == [t.target_id for t in load_model().targets]
    assert {r["status"] for r in sc.values()} <= {"met", "band", "missed", "decision"}
    assert page.locator(".sentences-pane li").count() == len(sc)
    assert page.locator(".controls .noUi-handle").count() == 12  # the instruments (large projects: a list)
    assert "亿元" in page.inner_text(".cost")
    from model.reporting.zh import ascii_punct_after_cjk

    for sel in (".scorecard", ".cost", "ol.say", ".ct", ".note-renovation_grants .nt"):
        for text in page.locator(sel).all_inner_texts():
            assert not ascii_punct_after_cjk(text), (sel, ascii_punct_after_cjk(text))
    # the start value is marked on the track (a bar at its share of the range) and written under it
    frac = page.evaluate("""() => { const f = (r) => { const h = r.querySelector('.ctl-renovation_grants'); if (h) return h;
        for (const e of r.querySelectorAll('*')) if (e.shadowRoot) { const x = f(e.shadowRoot); if (x) return x; } return null; };
      const host = f(document); const base = (host.shadowRoot || host).querySelector('.noUi-base')
        || host.querySelector('.noUi-base');
      const mark = getComputedStyle(base, '::after');
      return (parseFloat(mark.left) + parseFloat(mark.width) / 2) / base.getBoundingClientRect().width; }""")
    assert frac == pytest.approx(20 / 500, abs=0.01)  # plan-2004: 20 of 0-500 (100m yuan/yr)
    assert "起始值 20" in page.inner_text(".note-renovation_grants .nt")
    page.wait_for_timeout(500)
    assert dash.errors == []
    assert dash.outside == []
    assert any(u.startswith(f"ws://{server.origin}/") for u in dash.requests) or dash.requests


def test_moving_a_slider_changes_scorecard_and_cost(dash):
    page = dash.page
    before, cost = _scorecard(page), page.inner_text(".cost-total")
    _move(page, "rd_special_fund", times=4)
    after = _scorecard(page)
    assert page.inner_text(".cost-total") != cost
    assert float(page.inner_text(".cost-total").replace(",", "")) > float(cost.replace(",", ""))
    assert after["rd_sales_ratio"]["value"] > before["rd_sales_ratio"]["value"]
    assert after["rd_sales_ratio"]["text"] != before["rd_sales_ratio"]["text"]
    assert "30" in page.inner_text(".ctl-rd_special_fund .bk-slider-title")  # 10 + 4 x 5 (PageUp = 5 steps)
    assert dash.errors == [] and dash.outside == []


def test_save_as_scenario_round_trips_through_validate_and_run(dash, server, tmp_path, context):
    import pandas as pd

    from model.cli import main

    page = dash.page
    _move(page, "fdi_promotion", times=3)
    _move(page, "informatization_subsidy", times=2)
    shown = _scorecard(page)
    page.locator(".save-name input").fill("dash-browser")
    page.locator(".save-button button").click()
    page.wait_for_selector(".save-status .status", timeout=60_000)
    saved = server.save_dir / "dash-browser.yaml"
    assert saved.exists(), page.inner_text(".save-status")
    import yaml

    doc = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert set(doc["levers"]) == {"fdi_promotion", "informatization_subsidy"}
    shown_value = page.inner_text(".ctl-fdi_promotion .bk-slider-title").rsplit(":", 1)[1]
    assert doc["levers"]["fdi_promotion"]["values"] == pytest.approx(float(shown_value)) and float(shown_value) > 5
    assert main(["validate", str(saved)]) == 0
    assert main(["run", str(saved), "--out", str(tmp_path / "run"), "--draws", str(STATES)]) == 0
    sc = pd.read_csv(tmp_path / "run" / "scorecard.csv", encoding="utf-8-sig").set_index("target_id")
    for tid, row in shown.items():
        assert sc.loc[tid, "value"] == pytest.approx(row["value"], rel=1e-9, abs=1e-12), tid
        if row["p"] is not None:
            assert sc.loc[tid, "p_met"] == pytest.approx(row["p"], abs=1e-12), tid
    # compare: the report of (start, saved) opens from the page, locally
    page.locator(".compare-button button").click()
    link = page.locator(".save-status a.compare-link")
    link.wait_for(timeout=120_000)
    with context.expect_page() as new:
        link.click()
    report = new.value
    report.wait_for_load_state("load")
    assert "dash-browser" in report.content() or "仪表板" in report.content()
    assert dash.errors == [] and dash.outside == []


def test_assumptions_panel_is_separate_and_holds_a_set_assumption_fixed(dash):
    page = dash.page
    assert page.locator(".ctl-world_demand_growth").count() == 0  # not on the first screen
    page.get_by_text("假设:外部条件").or_(page.get_by_text("假设：外部条件")).first.click()
    page.locator(".ctl-world_demand_growth .noUi-handle").wait_for(timeout=30_000)
    before = _scorecard(page)
    _move(page, "world_demand_growth", key="PageDown", times=4)
    after = _scorecard(page)
    assert any(after[t]["p"] != before[t]["p"] for t in after if before[t]["p"] is not None)
    assert dash.errors == [] and dash.outside == []


def test_phone_width_has_no_horizontal_overflow(dash):
    page = dash.page
    page.set_viewport_size({"width": 400, "height": 860})
    page.wait_for_timeout(800)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                           " document.body.scrollWidth]")
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths
    for sel in (".scorecard", ".cost-pane", ".results", ".controls", ".sentences-pane"):
        box = page.locator(sel).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 400 + 0.5, (sel, box)
    assert page.locator(".scorecard").first.bounding_box()["y"] < page.locator(".controls").first.bounding_box()["y"]


def test_language_toggle_switches_the_whole_page(dash):
    page = dash.page
    rev = _rev(page)
    page.get_by_role("button", name="English").click()
    page.locator(".scorecard").filter(has_text="P(met | policy)").wait_for(timeout=30_000)
    assert _rev(page) == rev  # no new model run: the same evaluation in other words
    assert page.inner_text(".big") == "Planner's dashboard"
    assert "states of the world" in page.inner_text("ol.say")
    assert "Provincial special fund" in page.inner_text(".ctl-rd_special_fund .bk-slider-title")
    assert "Scorecard, 2007" in page.locator(".ct.l1").all_inner_texts()
    assert not CJK.search(page.inner_text(".scorecard")), "Chinese left on the English scorecard"
    assert dash.errors == [] and dash.outside == []

