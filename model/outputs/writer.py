"""Write a run's result folder: scorecard (csv, md), projection, indicators, manifest, charts.

Everything goes into a temporary folder that replaces ``results/<scenario>/`` only when
complete (model.outputs.atomic).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.energy_report import lmdi_frame, monitored_markdown, power_markdown
from model.outputs.atomic import atomic_directory
from model.outputs.charts import save, target_chart
from model.outputs.iamc import write_iamc
from model.outputs.manifest import build_manifest
from model.outputs.strict_json import to_json
from model.outputs.tables import write_csv
from model.outputs.xlsx import SCORECARD_VALUES, Sheet, manifest_frame, write_workbook
from model.reporting.zh import cut_at_sentence, fullwidth
from model.scenario.lever_table import YEARS as LEVER_YEARS
from model.scenario.lever_table import lever_frame
from model.scenario.shadowing import shadowing_warnings
from model.targets import load_target_notes, load_tasks


def _fmt_amount(x: float) -> str:
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:.4g}"


def _fmt_value(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{100 * value:.2f}%"
    return f"{value:,.1f}"


def _fmt_p(row) -> str:
    if getattr(row, "scoring", "modelled") == "decision":
        return "决策设定,不建模 set by decision, not modelled"
    p = getattr(row, "p_met", None)
    if p is None or pd.isna(p):
        return "—"
    return f"{100 * p:.0f}% ({100 * row.p_met_low:.0f}–{100 * row.p_met_high:.0f}%)"


def _band(row) -> str:
    if getattr(row, "scoring", "modelled") == "decision" or not row.tolerance:
        return "—"
    inside = "✔ 在区间内 within" if row.within_band else "✘ 区间外 outside"
    p = getattr(row, "p_within_band", None)
    extra = "" if p is None or pd.isna(p) else f"; P {100 * p:.0f}%"
    return f"{inside} (±{100 * row.tolerance:.0f}%{extra})"


def budget_markdown(result) -> list[str]:
    """Cost by instrument and year against the budget envelope (100m yuan, nominal)."""
    costs = result.costs()
    budget = result.budget()
    summ = result.budget_summary()
    years = [y for y in result.years if y > result.years[0]]
    head = "| 工具 Instrument | " + " | ".join(str(y) for y in years) + " | 合计 Total |"
    sep = "|---|" + "---|" * (len(years) + 1)
    lines = [
        "",
        "## 政策成本与预算 / Cost of the instruments against the budget (亿元, 现价 100m yuan, nominal)",
        "",
        head,
        sep,
    ]
    money = costs[costs.kind == "cost"]
    for _inst, g in money.groupby("instrument", sort=False):
        vals = g.set_index("year").value
        lines.append(f"| {g.label_zh.iloc[0]} / {g.label_en.iloc[0]} | "
                     + " | ".join(f"{vals[y]:.1f}" for y in years) + f" | {vals[years].sum():.1f} |")
    b = budget.set_index("year")
    lines.append("| **合计 Total cost** | " + " | ".join(f"**{b.total_cost[y]:.1f}**" for y in years)
                 + f" | **{summ['cost_2004_2010']:.1f}** |")
    lines.append("| 预算额度 Budget envelope | " + " | ".join(f"{b.budget_envelope[y]:.1f}" for y in years)
                 + f" | {summ['budget_2004_2010']:.1f} |")
    lines.append("| 超支 Overrun | " + " | ".join(f"{b.overrun[y]:.1f}" for y in years)
                 + f" | {summ['overrun_2004_2010']:.1f} |")
    verdict = (f"**超出预算 OVER BUDGET** in {', '.join(map(str, summ['years_over_budget']))}: "
               f"overrun {summ['overrun_2004_2010']:.1f} (100m yuan) over 2004-2010"
               if summ["over_budget"] else "在预算之内 Within the budget envelope in every year.")
    lines += ["", verdict, "",
              "Envelope = share of Zhejiang local fiscal expenditure (assumptions programme_budget_share, "
              "fiscal_expenditure_growth; 2003 expenditure 896.8 from calibration/fiscal.csv). The R&D tax "
              "credit is counted as revenue forgone. Non-monetary instruments have no yuan price; their "
              "effort index (0-1 over the instrument's range) is in `costs.csv`."]
    return lines


TASK_TEXT_CHARS = 60  # task texts longer than this are cut at a sentence end, full text in a footnote


def scorecard_markdown(result, probabilities: pd.DataFrame | None = None) -> str:
    """Planner-facing scorecard (bilingual), then the non-quantified tasks as context."""
    sc = result.scorecard(probabilities=probabilities)
    name = result.scenario.spec.name
    lines = [
        f"# {name.zh} — 2007年目标记分卡 / {name.en} — 2007 target scorecard",
        "",
        f"Scenario file 情景文件: `{result.scenario.path.name}`  ",
        f"Definitions 口径: {', '.join(f'{k}={v}' for k, v in result.switches.items())}  ",
        "Values are central projections at the parameter defaults. P(met | policy): the scenario's "
        "instruments fixed, states of the world drawn from its uncertainty block (90 % Wilson interval). "
        "Targets set by decision (designations) are shown but not modelled and have no P(met).",
        "",
        "| 任务 Task | 目标 Target (中文) | Target (English) | 2003 | 2007 | 目标值 Target | 达成 Met | "
        "左右区间 Band | P(达成 met \\| policy) | 差距 Gap | 首次达成 First year | 分子 Numerator | 分母 Denominator |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in sc.itertuples():
        met = "✔ 达成 met" if row.met else "✘ 未达成 missed"
        if row.scoring == "decision":
            met += " (决策设定 by decision)"
        first = str(int(row.first_year_met)) if pd.notna(row.first_year_met) else "2010年前未达成 not by 2010"
        lines.append(
            f"| {row.task} | {row.description_zh} | {row.description_en} | {_fmt_value(row.value_2003, row.unit)} | "
            f"{_fmt_value(row.value, row.unit)} | {row.comparator} {_fmt_value(row.target, row.unit)} | {met} | "
            f"{_band(row)} | {_fmt_p(row)} | {_fmt_value(row.gap, row.unit)} | {first} | {_fmt_amount(row.numerator)} ({row.numerator_is}) | "
            f"{_fmt_amount(row.denominator)} ({row.denominator_is}) |"
        )
    hts = result.indicators["hightech_output_share"].value[0]
    lines += [
        "",
        f"Task 8 (high-tech industries) names no number: the high-tech share of manufacturing output "
        f"is {100 * hts[0]:.1f}% in 2003 and {100 * hts[result.years.index(2007)]:.1f}% in 2007 "
        f"(高技术产业产值比重; `indicators.csv`, hightech_output_share).",
    ]
    lines += budget_markdown(result)
    lines += alternatives_markdown(result)
    notes = load_target_notes()
    if notes:
        lines += [
            "",
            "## 数据不足、不评分的目标 / Targets the data cannot score",
            "",
            "| 任务 Task | 目标 Target (中文) | Target (English) | 原因 | Reason |",
            "|---|---|---|---|---|",
        ]
        for n in notes:
            lines.append(f"| {n.task} | {n.description_zh} | {n.description_en} | {n.note_zh} | {n.note_en} |")
    warnings = shadowing_warnings(result.scenario)
    if warnings:
        lines += ["", "## 注 / Notes", ""] + [f"- {w}" for w in warnings]
    lines += monitored_markdown(result)
    lines += power_markdown(result)
    tasks = load_tasks()
    ctx = tasks[tasks["role"] != "target"]
    lines += [
        "",
        "## 未建模的任务(背景) / Plan tasks not scored (context, levers or structure)",
        "",
        "| 任务 Task | English | 中文 | role in the model |",
        "|---|---|---|---|",
    ]
    notes_full = []
    for row in ctx.itertuples():
        shown, cut = cut_at_sentence(fullwidth(str(row.text_zh)), TASK_TEXT_CHARS)
        if cut:
            notes_full.append(f"[^task{row.task}]: 任务{row.task}原文摘录 / task {row.task}, text as excerpted: "
                              f"{fullwidth(str(row.text_zh))}")
            shown += f"[^task{row.task}]"
        lines.append(f"| {row.task} | {row.short_en} | {shown} | {row.model} |")
    lines.append("")
    lines += notes_full + ([""] if notes_full else [])
    return "\n".join(lines)


def alternatives_markdown(result) -> list[str]:
    """The definition switches as structural alternatives: each target under every reading."""
    alt = result.alternatives()
    if alt.empty:
        return []
    lines = ["", "## 口径对比(结构性备选) / Definitions side by side (structural alternatives, 2007)", "",
             "| 目标 Target | 口径开关 Switch | 口径 Reading | 2007 | 目标值 Target | 达成 Met |", "|---|---|---|---|---|---|"]
    for row in alt.itertuples():
        mark = "✔" if row.met else "✘"
        shown = " (本情景 this scenario)" if row.in_scenario else ""
        lines.append(f"| {row.target_id} | {row.switch} | {row.reading}{shown} | {_fmt_value(row.value, row.unit)} | "
                     f"{_fmt_value(row.target, row.unit)} | {mark} |")
    return lines


def write_scorecard_workbook(path: Path, frames: dict, provenance, manifest: dict) -> Path:
    """``scorecard.xlsx``: the run's CSVs as sheets (scorecard, projection, indicators, levers,
    provenance) plus the manifest, formatted for planners (model.outputs.xlsx)."""
    return write_workbook(path, [
        Sheet("scorecard", frames["scorecard"], unit_column="unit", value_columns=SCORECARD_VALUES,
              met_column="met", colour_columns=("value",)),
        Sheet("projection", frames["projection"], unit_column="unit", value_columns=("value",)),
        Sheet("indicators", frames["indicators"], unit_column="unit", value_columns=("value",)),
        Sheet("levers", frames["levers"], unit_column="unit", value_columns=tuple(map(str, LEVER_YEARS))),
        Sheet("provenance", provenance),
        Sheet("manifest", manifest_frame(manifest)),
    ])


def write_run(result, out_dir: str | Path, probabilities: pd.DataFrame | None = None, iamc: bool = False) -> Path:
    """Write all outputs of a RunResult to ``out_dir`` atomically; returns the folder.

    With ``iamc`` also ``projection_iamc.csv`` (model.outputs.iamc)."""
    out_dir = Path(out_dir)
    sc = result.scorecard(probabilities=probabilities)
    summ = result.budget_summary()
    for key in ("cost_2004_2010", "budget_2004_2010", "overrun_2004_2010", "over_budget"):
        sc[key] = summ[key]
    with atomic_directory(out_dir) as tmp:
        frames = {"scorecard": sc, "projection": result.projection_frame(),
                  "indicators": result.indicator_frame(), "levers": lever_frame(result.scenario)}
        write_csv(sc, tmp / "scorecard.csv")
        (tmp / "scorecard.md").write_text(scorecard_markdown(result, probabilities), encoding="utf-8")
        write_csv(result.costs(), tmp / "costs.csv")
        write_csv(result.budget(), tmp / "budget.csv")
        write_csv(frames["projection"], tmp / "projection.csv")
        write_csv(frames["indicators"], tmp / "indicators.csv")
        write_csv(frames["levers"], tmp / "levers.csv")
        write_csv(lmdi_frame(result), tmp / "energy_lmdi.csv")
        charts = tmp / "charts"
        charts.mkdir()
        years = list(result.years)
        for tgt in result.model.targets:
            values = result.indicators[tgt.indicator].value[0]
            fig = target_chart(years, {result.scenario.spec.name.zh + " " + result.scenario.spec.name.en: values}, tgt)
            save(fig, charts / f"task{tgt.task:02d}_{tgt.target_id}.png")
        prov = result.model.base_year.provenance
        write_csv(prov, tmp / "base_year_provenance.csv")
        manifest = build_manifest(result)
        (tmp / "manifest.json").write_text(to_json(manifest, indent=2), encoding="utf-8")
        write_scorecard_workbook(tmp / "scorecard.xlsx", frames, prov, manifest)
        if iamc:
            write_iamc(result, tmp / "projection_iamc.csv")
    return out_dir
