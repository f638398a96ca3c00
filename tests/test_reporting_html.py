from __future__ import annotations

import os

import pandas as pd
import pytest
from matplotlib.figure import Figure

from model.reporting import FONT_STACK, HtmlReport, Label, MarkdownReport, ui
from tests.support.checks import embedded_images, external_references


def _fig(title: str) -> Figure:
    fig = Figure(figsize=(4, 2.5))
    ax = fig.add_subplot()
    ax.plot([2003, 2007, 2010], [1.0, 1.4, 1.9])
    ax.set_title(title)
    ax.set_xlabel("年份")
    return fig


SCORE = pd.DataFrame({
    "indicator": ["研发经费占销售收入比重", "出口交货值占全国比重"],
    "value": [1.31, 15.6],
    "year": [2007, 2007],
    "met": [False, True],
})


def _report(lang: str = "zh", cls=HtmlReport):
    rep = cls(Label("Scenario comparison", "情景比较"), lang)
    rep.add_heading(ui("scorecard"))
    rep.add_paragraph('<script>alert("x")</script> & 研发 "quoted"')
    rep.add_table(SCORE, caption="2007", columns={"met": ui("met"), "year": ui("year")})
    rep.add_figure(_fig("研发经费占销售收入比重"), caption="图一")
    rep.add_figure(_fig("出口交货值占全国比重"))
    rep.add_preformatted("a: <b>\n  c: 1")
    return rep


def test_html_is_self_contained():
    html = _report().render()
    assert external_references(html) == []
    assert embedded_images(html) == 2
    assert html.count("data:image/png;base64,") == 2
    assert "<script" not in html.lower()
    assert '<meta charset="utf-8">' in html
    assert '<html lang="zh-CN">' in html
    assert FONT_STACK in html
    assert "@font-face" not in html and "<link rel=\"stylesheet\"" not in html
    assert '<html lang="en">' in _report("en").render()


def test_html_escapes_text():
    html = _report().render()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 研发" in html
    assert "a: &lt;b&gt;" in html


def test_met_column_is_coloured_and_labelled():
    zh = _report("zh").render()
    assert '<td class="met-no">未达成</td>' in zh
    assert '<td class="met-yes">达成</td>' in zh
    assert "<th>年份</th>" in zh and "<th>达成</th>" in zh
    assert "<td class=\"num \">2007</td>" in zh  # ints stay ints (no 2,007.00)
    en = _report("en").render()
    assert '<td class="met-yes">Met</td>' in en and '<td class="met-no">Missed</td>' in en
    assert "td.met-yes" in zh and "td.met-no" in zh


def test_met_strings_and_missing():
    rep = HtmlReport("t", "zh")
    rep.add_table(pd.DataFrame({"Met": ["met", "missed", None], "x": [1.0, float("nan"), 2.5]}))
    html = rep.render()
    assert html.count('class="met-yes"') == 1
    assert html.count('class="met-no"') == 1
    assert "met-na" in html and "—" in html


def test_write_is_atomic(tmp_path):
    out = tmp_path / "sub" / "report.html"
    path = _report().write(out)
    assert path == out and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    _report("en").write(out)  # overwrite
    assert '<html lang="en">' in out.read_text(encoding="utf-8")
    assert sorted(os.listdir(out.parent)) == ["report.html"]  # no temp files left


def test_markdown_twin(tmp_path):
    rep = _report(cls=MarkdownReport)
    md = rep.render()
    assert md.startswith("# 情景比较")
    assert "![图一](figure-01.png)" in md and "(figure-02.png)" in md
    assert "&lt;script&gt;" in md and "<script>" not in md
    assert "✅ 达成" in md and "❌ 未达成" in md
    assert "| 年份 |" in md or "| 年份 " in md
    rep.write(tmp_path / "report.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "figure-01.png", "figure-02.png", "report.md"]
    assert (tmp_path / "figure-01.png").read_bytes()[:4] == b"\x89PNG"


def test_bad_arguments():
    with pytest.raises(ValueError):
        HtmlReport("t", "fr")
    with pytest.raises(ValueError):
        HtmlReport("t").add_heading("x", level=7)


@pytest.mark.parametrize("snippet", [
    '<img src="https://example.org/a.png">',
    '<img src="//cdn.example.org/a.png">',
    '<link rel="stylesheet" href="http://fonts.example.com/css">',
    '<script src="app.js"></script>',
    '<a href="https://example.org">x</a>',
    '<style>@import "https://x.example/y.css"; body{}</style>',
    '<style>@font-face{src:url(https://x.example/f.woff2)}</style>',
    '<div style="background:url(\'img/bg.png\')"></div>',
    '<img srcset="a.png 1x, b.png 2x">',
    '<script>fetch("https://api.example.org/x")</script>',
    '<meta http-equiv="refresh" content="0; url=https://example.org">',
])
def test_external_references_detected(snippet):
    assert external_references(f"<html><body>{snippet}</body></html>") != []


def test_local_references_allowed():
    html = ('<a href="#fig-1">x</a><img src="data:image/png;base64,AAAA">'
            '<link rel="icon" href="data:,"><p>source: https://example.org (text only)</p>'
            '<div style="background:url(data:image/png;base64,AAAA)"></div>')
    assert external_references(html) == []
    assert embedded_images(html) == 2
