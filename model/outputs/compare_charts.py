"""Comparison charts: target paths (one line per scenario), scorecard grid, sector composition."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from model.indicators import INDICATORS  # noqa: E402
from model.outputs.charts import target_chart  # noqa: E402
from model.reporting import configure_cjk_fonts  # noqa: E402

REF_MARK = {"zh": "(参照)", "en": " (reference)"}
CMP_SIGN = {">=": "≥", "<=": "≤"}
LINESTYLES = ("--", ":", "-.", (0, (5, 1, 1, 1)))
MET_COLOUR, MISSED_COLOUR = "#b7e4c0", "#f6c1bd"


def fmt_value(value: float, unit: str) -> str:
    if value is None or value != value:
        return "—"
    if unit == "ratio":
        return f"{100 * value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_diff(value: float, unit: str, lang: str) -> str:
    if value is None or value != value:
        return "—"
    if unit == "ratio":
        pp = 100 * value
        return f"{pp:+.2f}" + (" 个百分点" if lang == "zh" else " pp")
    if unit == "count":
        return f"{value:+,.1f}" if abs(value - round(value)) > 1e-9 else f"{value:+,.0f}"
    return f"{value:+,.3g}"


def scenario_label(cmp, sid: str, lang: str) -> str:
    name = cmp.name(sid, lang)
    return name + REF_MARK[lang] if sid == cmp.reference else name


def target_charts(cmp, lang: str) -> Iterator[tuple[object, Figure]]:
    """Yield (target, figure) for every plan target: paths 2003-2010, target line, reference highlighted.

    A generator, so the caller can close each figure before the next is drawn.
    """
    years = list(cmp.runs[cmp.reference].years)
    for tgt in cmp.model.targets:
        series = {
            scenario_label(cmp, sid, lang): list(cmp.runs[sid].indicators[tgt.indicator].value[0]) for sid in cmp.ids
        }
        fig = target_chart(years, series, tgt, lang=lang, highlight=scenario_label(cmp, cmp.reference, lang))
        # dashed / dotted lines for the other scenarios, so identical paths stay visible
        ax = fig.axes[0]
        for i, line in enumerate(ax.get_lines()[1 : len(series)]):
            line.set_linestyle(LINESTYLES[i % len(LINESTYLES)])
        ax.legend(fontsize=8, loc="best")
        yield tgt, fig


def _wrap(text: str, lang: str, width_zh: int = 12, width_en: int = 18) -> str:
    if lang != "zh":
        return textwrap.fill(text, width_en)
    lines = []
    for part in text.replace("(", "\n(").split("\n"):
        lines += [part[i : i + width_zh] for i in range(0, len(part), width_zh)] or [""]
    return "\n".join(lines)


def scorecard_grid(cmp, lang: str) -> Figure:
    """Scenario x target grid: green = met, red = missed in 2007; 2007 values annotated."""
    configure_cjk_fonts()
    targets = list(cmp.model.targets)
    n, m = len(targets), len(cmp.ids)
    fig, ax = plt.subplots(figsize=(4.6 + 1.9 * m, 0.42 * n + 1.6), dpi=110)
    oc = cmp.outcomes.set_index(["scenario", "target_id"])
    for j, sid in enumerate(cmp.ids):
        for i, tgt in enumerate(targets):
            row = oc.loc[(sid, tgt.target_id)]
            colour = MET_COLOUR if row["met"] else MISSED_COLOUR
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", lw=2))
            mark = ("达成" if row["met"] else "未达成") if lang == "zh" else ("met" if row["met"] else "missed")
            ax.text(j + 0.5, i + 0.5, f"{fmt_value(row['value'], tgt.unit)}  {mark}", ha="center", va="center",
                    fontsize=8.5, fontweight="bold" if sid == cmp.reference else "normal")
    ax.set_xlim(0, m)
    ax.set_ylim(n, 0)
    ax.set_xticks([j + 0.5 for j in range(m)])
    ax.set_xticklabels([_wrap(scenario_label(cmp, sid, lang), lang) for sid in cmp.ids], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(n)])
    ylabels = []
    for tgt in targets:
        info = INDICATORS[tgt.indicator]
        name = info.label_zh if lang == "zh" else info.label_en
        task = f"任务{tgt.task}" if lang == "zh" else f"Task {tgt.task}"
        ylabels.append(f"{task} {name} ({CMP_SIGN[tgt.comparator]} {fmt_value(tgt.value, tgt.unit)})")
    ax.set_yticklabels(ylabels, fontsize=8.5)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    title = "2007年目标达成情况(绿=达成,红=未达成)" if lang == "zh" else "2007 targets: green = met, red = missed"
    ax.set_title(title, fontsize=11, pad=38 if lang == "zh" else 30)
    fig.tight_layout()
    return fig


def sector_chart(cmp, lang: str, year: int = 2007) -> Figure:
    """Gross output by sector in ``year`` (stacked bars), one bar per scenario, 2003 for context."""
    configure_cjk_fonts()
    sectors = cmp.model.sectors.set_index("id")
    df = cmp.sectors
    ref = df[(df["scenario"] == cmp.reference) & (df["year"] == df["year"].min())]
    bars = [("2003" + ("年(基年)" if lang == "zh" else " (base year)"), ref.set_index("sector")["gross_output"])]
    for sid in cmp.ids:
        d = df[(df["scenario"] == sid) & (df["year"] == year)].set_index("sector")["gross_output"]
        bars.append((f"{year}\n" + scenario_label(cmp, sid, lang), d))
    fig, ax = plt.subplots(figsize=(9.5, 5.2), dpi=110)
    cmap = plt.get_cmap("tab20")
    order = list(cmp.runs[cmp.reference].projection.sectors)
    x = range(len(bars))
    bottom = [0.0] * len(bars)
    for k, sec in enumerate(order):
        vals = [float(b[1][sec]) for b in bars]
        name = sectors.loc[sec, "name_zh"] if lang == "zh" else sectors.loc[sec, "name_en"]
        ax.bar(x, vals, bottom=bottom, color=cmap(k % 20), label=name, width=0.6, edgecolor="white", lw=0.4)
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    for xi, total in zip(x, bottom, strict=True):
        ax.text(xi, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(x))
    ax.set_xticklabels([_wrap(b[0], lang, 10, 16) for b in bars], fontsize=8)
    ax.set_ylabel("工业总产值(亿元,2003年价)" if lang == "zh" else "Gross output (100m yuan, 2003 prices)")
    title = f"{year}年分行业工业总产值构成" if lang == "zh" else f"Gross output by sector, {year}"
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), reverse=True)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig
