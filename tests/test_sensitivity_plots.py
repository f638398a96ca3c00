"""Plot functions build figures and save them (Agg, no display)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from matplotlib import font_manager as fm

from model.uq import plots, response_curve, run_study
from tests.support.testfunctions import ishigami, ishigami_problem


def _cjk_family() -> str | None:
    """A CJK-capable family if one is installed (fonts are provisioned elsewhere)."""
    for path in fm.findSystemFonts():
        if "CJK" in path and "Sans" in path:
            try:
                fm.fontManager.addfont(path)
                return fm.FontProperties(fname=path).get_name()
            except Exception:  # noqa: BLE001 - unreadable font file: try the next
                continue
    return None


def test_chinese_labels_with_font_family(tmp_path):
    family = _cjk_family()
    # no silent skip: `make test` installs fonts-noto-cjk (tools/setup-system.sh)
    assert family is not None, "no CJK font installed: run `bash tools/setup-system.sh`"
    p = ishigami_problem()
    sob = run_study(ishigami, p, "sobol", 256, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 'Glyph missing' warnings
        fig = plots.sobol_bars(sob.indices, labels={"x1": "全要素生产率"}, title="敏感性",
                               font_family=family)
        plots.save(fig, tmp_path / "zh.png")
    assert fig.axes[0].title.get_fontfamily()[0] == family


@pytest.mark.filterwarnings("ignore:Glyph")
def test_plots_save(tmp_path):
    p = ishigami_problem()
    sob = run_study(ishigami, p, "sobol", 256, seed=1)
    labels = {"x1": "输入一", "x2": "input 2"}
    fig = plots.sobol_bars(sob.indices, "y0", labels=labels, groups=p.group_of(), title="Sobol")
    assert fig.axes[0].get_yticklabels()[0].get_text() in {"输入一", "input 2", "x3"}
    assert plots.save(fig, tmp_path / "a" / "sobol.png").stat().st_size > 1000
    mor = run_study(ishigami, p, "morris", 20, seed=1)
    fig = plots.morris_scatter(mor.indices, labels=labels, groups=p.group_of(),
                               font_family="DejaVu Sans")
    plots.save(fig, tmp_path / "morris.svg")
    Y = np.cumsum(np.random.default_rng(0).normal(1, 1, (200, 8)), axis=1)
    fig = plots.fan_chart(range(2003, 2011), Y, target=6.0, title="fan", ylabel="%")
    plots.save(fig, tmp_path / "fan.png")
    x = np.random.default_rng(1).random(2000)
    fig = plots.response_curve_plot(response_curve(x, x > 0.3, bins=8), lever="x")
    plots.save(fig, tmp_path / "rc.pdf")
    assert len(list(tmp_path.rglob("*.*"))) == 4
