"""A sample bilingual report (made-up numbers) used by the tests and tools/browser_check.py.

It shows how the model's scenario comparison report is meant to use this package; the
numbers are illustrative only and are not model output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.reporting.fonts import configure_cjk_fonts
from model.reporting.html import HtmlReport, MarkdownReport
from model.reporting.labels import Label, both, pick, ui

__all__ = ["sample_figures", "sample_report", "sample_scorecard"]

YEARS = np.arange(2003, 2011)

RD_SHARE = Label("R&D expenditure as share of sales revenue (%)", "研发经费占销售收入比重（%）")
EXPORT_SHARE = Label("Share of national export delivery value (%)", "出口交货值占全国比重（%）")


def sample_scorecard() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": [pick(RD_SHARE, "zh"), pick(EXPORT_SHARE, "zh"), "高新技术产业增加值比重（%）"],
            "target": [1.5, 15.0, 20.0],
            "reference_2007": [0.92, 14.1, 16.8],
            "plan_2007": [1.31, 15.6, 19.2],
            "year_met": [pd.NA, 2006, pd.NA],
            "met": [False, True, False],
        }
    )


def _line_chart(label: Label, ref: np.ndarray, plan: np.ndarray, target: float,
                lang: str) -> Figure:
    configure_cjk_fonts()
    fig = Figure(figsize=(7.5, 4.0))
    ax = fig.add_subplot()
    ax.plot(YEARS, ref, marker="o", label=pick(ui("reference"), lang))
    ax.plot(YEARS, plan, marker="s", label=pick(ui("plan"), lang))
    ax.axhline(target, color="#b22222", linestyle="--", label=f"{pick(ui('target'), lang)} 2007")
    ax.set_title(both(label) if lang == "zh" else label.en)
    ax.set_xlabel(pick(ui("year"), lang))
    ax.set_xticks(YEARS, [f"{y}年" if lang == "zh" else str(y) for y in YEARS])
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return fig


def sample_figures(lang: str = "zh") -> list[Figure]:
    t = YEARS - 2003
    return [
        _line_chart(RD_SHARE, 0.62 * 1.07**t, 0.62 * 1.13**t, 1.5, lang),
        _line_chart(EXPORT_SHARE, 12.4 + 0.25 * t, 12.4 + 0.7 * t, 15.0, lang),
    ]


def sample_report(lang: str = "zh", markdown: bool = False) -> HtmlReport | MarkdownReport:
    """Two figures, a scorecard table with a `met` column, text and preformatted text."""
    cls = MarkdownReport if markdown else HtmlReport
    rep = cls(Label("Zhejiang advanced manufacturing base: scenario comparison (sample)",
                    "浙江先进制造业基地：情景比较（示例）"), lang,
              subtitle=Label("Illustrative numbers, not model output", "示例数据，非模型结果"))
    rep.add_heading(ui("scorecard"))
    rep.add_paragraph(Label("Plan targets scored in 2007; green = met, red = missed.",
                            "规划目标按2007年评估；绿色为达成，红色为未达成。"))
    rep.add_table(
        sample_scorecard(),
        caption=Label("Targets in 2007", "2007年目标达成情况"),
        columns={
            "indicator": ui("indicator"),
            "target": ui("target"),
            "reference_2007": Label("Reference 2007", "参照情景 2007"),
            "plan_2007": Label("Plan 2007", "规划情景 2007"),
            "year_met": ui("year_met"),
            "met": ui("met"),
        },
    )
    rep.add_heading(ui("projection"))
    for fig, cap in zip(sample_figures(lang), (RD_SHARE, EXPORT_SHARE), strict=True):
        rep.add_figure(fig, caption=cap)
    rep.add_heading(ui("note"), level=3)
    rep.add_preformatted("scenario: plan-2004\nextends: reference\n# 规划情景：研发投入年增13%")
    return rep
