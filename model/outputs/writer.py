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
from model.outputs.manifest import build_manifest
from model.outputs.strict_json import to_json
from model.targets import load_target_notes, load_tasks


def _fmt_amount(x: float) -> str:
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:.4g}"


def _fmt_value(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{100 * value:.2f}%"
    return f"{value:,.1f}"


def scorecard_markdown(result) -> str:
    """Planner-facing scorecard (bilingual), then the non-quantified tasks as context."""
    sc = result.scorecard()
    name = result.scenario.spec.name
    lines = [
        f"# {name.zh} — 2007年目标记分卡 / {name.en} — 2007 target scorecard",
        "",
        f"Scenario file 情景文件: `{result.scenario.path.name}`  ",
        f"Definitions 口径: {', '.join(f'{k}={v}' for k, v in result.switches.items())}  ",
        "Values are central projections at the parameter defaults; see `mfgbase sensitivity` for the probability of meeting each target.",
        "",
        "| 任务 Task | 目标 Target (中文) | Target (English) | 2003 | 2007 | 目标值 Target | 达成 Met | 差距 Gap | 首次达成 First year | 分子 Numerator | 分母 Denominator |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in sc.itertuples():
        met = "✔ 达成 met" if row.met else "✘ 未达成 missed"
        first = str(int(row.first_year_met)) if pd.notna(row.first_year_met) else "2010年前未达成 not by 2010"
        lines.append(
            f"| {row.task} | {row.description_zh} | {row.description_en} | {_fmt_value(row.value_2003, row.unit)} | "
            f"{_fmt_value(row.value, row.unit)} | {row.comparator} {_fmt_value(row.target, row.unit)} | {met} | "
            f"{_fmt_value(row.gap, row.unit)} | {first} | {_fmt_amount(row.numerator)} ({row.numerator_is}) | "
            f"{_fmt_amount(row.denominator)} ({row.denominator_is}) |"
        )
    hts = result.indicators["hightech_output_share"].value[0]
    lines += [
        "",
        f"Task 8 (high-tech industries) names no number: the high-tech share of manufacturing output "
        f"is {100 * hts[0]:.1f}% in 2003 and {100 * hts[result.years.index(2007)]:.1f}% in 2007 "
        f"(高技术产业产值比重; `indicators.csv`, hightech_output_share).",
    ]
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
    for row in ctx.itertuples():
        lines.append(f"| {row.task} | {row.short_en} | {row.text_zh} | {row.model} |")
    lines.append("")
    return "\n".join(lines)


def write_run(result, out_dir: str | Path) -> Path:
    """Write all outputs of a RunResult to ``out_dir`` atomically; returns the folder."""
    out_dir = Path(out_dir)
    sc = result.scorecard()
    with atomic_directory(out_dir) as tmp:
        sc.to_csv(tmp / "scorecard.csv", index=False)
        (tmp / "scorecard.md").write_text(scorecard_markdown(result), encoding="utf-8")
        result.projection_frame().to_csv(tmp / "projection.csv", index=False)
        result.indicator_frame().to_csv(tmp / "indicators.csv", index=False)
        lmdi_frame(result).to_csv(tmp / "energy_lmdi.csv", index=False)
        charts = tmp / "charts"
        charts.mkdir()
        years = list(result.years)
        for tgt in result.model.targets:
            values = result.indicators[tgt.indicator].value[0]
            fig = target_chart(years, {result.scenario.spec.name.zh + " " + result.scenario.spec.name.en: values}, tgt)
            save(fig, charts / f"task{tgt.task:02d}_{tgt.target_id}.png")
        prov = result.model.base_year.provenance
        prov.to_csv(tmp / "base_year_provenance.csv", index=False)
        manifest = build_manifest(result)
        (tmp / "manifest.json").write_text(to_json(manifest, indent=2), encoding="utf-8")
    return out_dir
