"""Charts of indicator paths against their targets (matplotlib, bilingual labels)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from model.indicators import INDICATORS  # noqa: E402
from model.reporting import configure_cjk_fonts  # noqa: E402
from model.targets import Target  # noqa: E402


def indicator_title(indicator: str, lang: str = "both") -> str:
    info = INDICATORS[indicator]
    if lang == "zh":
        return info.label_zh
    if lang == "en":
        return info.label_en
    return f"{info.label_zh}\n{info.label_en}"


def _fmt(unit: str):
    if unit == "ratio":
        return FuncFormatter(lambda x, _: f"{100 * x:.1f}%")
    if unit == "count":
        return FuncFormatter(lambda x, _: f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}")
    return FuncFormatter(lambda x, _: f"{x:,.0f}" if abs(x) >= 10 else f"{x:.2f}")


def target_chart(
    years, series: dict[str, list[float]], target: Target, lang: str = "both", highlight: str | None = None
) -> Figure:
    """Paths of one indicator (one line per series name) with the target drawn at its value.

    series: label -> values over ``years``. The highlighted series (e.g. the reference) is drawn thicker.
    """
    configure_cjk_fonts()
    fig, ax = plt.subplots(figsize=(7.0, 4.2), dpi=110)
    for i, (label, values) in enumerate(series.items()):
        lw = 3.0 if label == highlight else 1.8
        ax.plot(years, values, marker="o", ms=3.5, lw=lw, label=label, zorder=3 if label == highlight else 2, color=f"C{i}")
    target_label = {"zh": "目标", "en": "Target"}.get(lang, "目标 Target")
    ax.axhline(target.value, color="firebrick", ls="--", lw=1.4, label=f"{target_label} {target.year}")
    ax.axvline(target.year, color="grey", ls=":", lw=1.0)
    ax.yaxis.set_major_formatter(_fmt(target.unit))
    ax.set_xticks(list(years))
    ax.set_title(f"{target.task}. " + indicator_title(target.indicator, lang), fontsize=11)
    ax.set_xlabel({"zh": "年份", "en": "Year"}.get(lang, "年份 Year"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def save(fig: Figure, path) -> None:
    fig.savefig(path, dpi=fig.dpi)
    plt.close(fig)
