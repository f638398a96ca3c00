"""Chinese chart labels must render with a real CJK font (no missing-glyph warnings).

No skip: a machine without a CJK font fails here. `make test` installs fonts-noto-cjk through
tools/setup-system.sh.
"""

from __future__ import annotations

import io
import warnings

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from model.reporting import fonts
from model.reporting.fonts import cjk_available, configure_cjk_fonts

ZH_TEXTS = ["研发经费占销售收入比重", "出口交货值占全国比重", "年份", "情景", "达成", "未达成"]


def _chinese_chart() -> Figure:
    fig = Figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    ax.plot([2003, 2004, 2005, 2006, 2007], [0.6, 0.7, -0.2, 0.9, 1.1], label="参照情景")
    ax.set_title("研发经费占销售收入比重（%）")
    ax.set_xlabel("年份")
    ax.set_ylabel("出口交货值占全国比重")
    ax.set_xticks([2003, 2005, 2007], ["2003年", "2005年", "2007年"])
    ax.legend(title="情景")
    ax.text(2004, 0.0, "2010年前未达成")
    return fig


def test_cjk_font_installed_and_configured():
    fam = configure_cjk_fonts()
    assert fam is not None, (
        "no CJK font found: run `bash tools/setup-system.sh` (installs fonts-noto-cjk)"
    )
    assert cjk_available()
    assert mpl.rcParams["font.sans-serif"][0] == fam
    assert mpl.rcParams["axes.unicode_minus"] is False
    # the generic sans-serif family now resolves to the CJK font file
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]),
                                 fallback_to_default=False)
    assert fam in {f.name for f in font_manager.fontManager.ttflist if f.fname == path}


def test_configure_is_idempotent_and_cheap():
    first = configure_cjk_fonts()
    before = list(mpl.rcParams["font.sans-serif"])
    for _ in range(50):
        assert configure_cjk_fonts() == first
    assert list(mpl.rcParams["font.sans-serif"]) == before


def test_chinese_chart_renders_without_missing_glyphs():
    assert configure_cjk_fonts() is not None, "no CJK font installed (fonts-noto-cjk)"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _chinese_chart()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
    glyph = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert glyph == [], glyph
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(buf.getvalue()) > 5_000


def test_missing_glyph_warning_is_detectable():
    """The negative: with a Latin-only font, the same chart DOES warn (the check can fail)."""
    with mpl.rc_context({"font.family": ["sans-serif"], "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = _chinese_chart()
            fig.savefig(io.BytesIO(), format="png", dpi=50)
    assert any("missing from font" in str(w.message) for w in caught)


def test_registers_font_files_missing_from_matplotlib_cache(monkeypatch):
    """A font installed after matplotlib built its cache is found from disk and added."""
    assert fonts.cjk_font_files(), "no CJK font file on disk (fonts-noto-cjk)"
    fm = font_manager.fontManager
    kept = [f for f in fm.ttflist if f.name not in fonts.CJK_FAMILIES]
    monkeypatch.setattr(fm, "ttflist", kept)
    monkeypatch.setattr(fonts, "_configured", None)
    monkeypatch.setattr(fonts, "_searched", False)
    monkeypatch.setattr(mpl, "rcParams", mpl.rcParams.copy())
    assert not any(f.name in fonts.CJK_FAMILIES for f in fm.ttflist)
    fam = configure_cjk_fonts()
    assert fam in fonts.CJK_FAMILIES
    assert any(f.name == fam for f in fm.ttflist)


def test_warns_once_when_no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "_find_family", lambda: None)
    monkeypatch.setattr(fonts, "_configured", None)
    monkeypatch.setattr(fonts, "_warned", False)
    with pytest.warns(UserWarning, match="No CJK font"):
        assert configure_cjk_fonts() is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert configure_cjk_fonts() is None
    assert not [w for w in caught if "No CJK font" in str(w.message)]
