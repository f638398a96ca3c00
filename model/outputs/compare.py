"""Write a Comparison: CSVs, charts, a self-contained bilingual report.html and its report.md twin."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from model.indicators import INDICATORS
from model.outputs.atomic import atomic_directory
from model.outputs.compare_charts import (
    CMP_SIGN,
    fmt_diff,
    fmt_value,
    scenario_label,
    scorecard_grid,
    sector_chart,
    target_charts,
)
from model.outputs.manifest import provenance
from model.outputs.pdf import print_pdf
from model.outputs.strict_json import to_json
from model.outputs.tables import write_csv
from model.outputs.xlsx import Sheet, write_workbook
from model.reporting import HtmlReport, Label, MarkdownReport, t
from model.scenario import INPUTS
from model.scenario.units import with_unit
from model.studies.compare.compare import INTERACTION, Comparison

METHOD = Label(
    "How 'the lever that moved it most' is found (one-at-a-time switching): for each scenario B and "
    "each lever, assumption, parameter or switch group in which B differs from the reference A, the model "
    "runs A again with only that group set to B's value. The change of the 2007 indicator from A's run is "
    "that group's effect; the largest absolute effect is named. 'Interaction' is what the single switches "
    "do not explain (B - A minus the sum of the single effects), e.g. thresholds reached only when several "
    "levers act together. Values are central projections at the parameter defaults.",
    "“影响最大的杠杆”的判定方法(逐项切换):对每个比较情景B,以及B与参照情景A不同的每一组杠杆、假设、参数或口径开关,"
    "模型以A为基础、只把这一组换成B的取值再运行一次。2007年指标相对A的变化即为该组的作用,取绝对值最大者。"
    "“交互作用”是单项切换未能解释的部分(B−A减去各单项作用之和),例如只有多项杠杆同时作用才跨过的门槛。"
    "数值为参数取默认值时的中心预测。",
)

_YEAR_FIELD = re.compile(r"^(levers|assumptions)\.[a-z_]+\.(values|sectors\.[a-z_]+)\.(\d{4})$")


def _fmt_written(v, unit: str = "", lang: str = "en") -> str:
    """A path value as written, each number with its unit (``2004: 22 %/yr, 2010: 14 %/yr``)."""
    if isinstance(v, dict):
        return ", ".join(f"{k}:\u00a0{_fmt_written(x, unit, lang)}" for k, x in sorted(v.items()))
    if isinstance(v, float | int) and not isinstance(v, bool):
        return with_unit(float(v), unit, lang).replace(" ", "\u00a0") if unit else f"{float(v):g}"
    return str(v)


def _projects_text(scen, sectors: pd.DataFrame, lang: str) -> str:
    """The scenario's large projects in ``lang``: name, sector, amount (100m yuan), years."""
    projects = (scen.raw.get("levers") or {}).get("large_projects") or []
    if not projects:
        return "无" if lang == "zh" else "none"
    zh = lang == "zh"
    parts = []
    for p in projects:
        name = (p.get("name_zh") or p["name"]) if zh else p["name"]
        sec = p["sector"]
        if sec in sectors.index:
            sec = sectors.loc[sec, "name_zh" if zh else "name_en"]
        amount = with_unit(float(p["investment_100m_yuan"]), "100m_yuan_2003", lang)
        y0, n = int(p["start_year"]), int(p.get("years", 1))
        span = f"{y0}—{y0 + n - 1}年" if zh else f"{y0}-{y0 + n - 1}"
        parts.append(f"{name}({sec},{amount},{span})" if zh else f"{name} ({sec}, {amount}, {span})")
    return ";".join(parts) if zh else "; ".join(parts)


def _unit_of(scen, section: str, name: str) -> str:
    inp = INPUTS.get(name)
    if inp is None:
        return ""
    spec = (scen.raw.get(section) or {}).get(name) or {}
    mode = spec.get("mode") or inp.default_mode
    return inp.modes[mode].unit if mode in inp.modes else ""


def lever_table(cmp, lang: str) -> pd.DataFrame:
    """Compact lever differences for the report: one row per path (as written), one column per scenario."""
    lev = cmp.levers
    rows, seen = [], set()
    sectors = cmp.model.sectors.set_index("id")
    not_set = "未设定(中性值)" if lang == "zh" else "not set (neutral)"
    follows = "同全省路径" if lang == "zh" else "as province-wide"
    for rec in lev.to_dict("records"):
        m = _YEAR_FIELD.match(rec["field"])
        base = rec["field"].rsplit(".", 1)[0] if m else rec["field"]
        if base in seen:
            continue
        seen.add(base)
        row = {"lever": rec["label_zh"] if lang == "zh" else rec["label_en"], "part": _part(base, sectors, lang),
               "field": base}
        for sid, scen in zip(cmp.ids, cmp.scenarios, strict=True):
            section, name, *rest = base.split(".") + ["", ""]
            unit = _unit_of(scen, section, name) if section in ("levers", "assumptions") else ""
            if m:
                section, name, *rest = base.split(".")
                spec = (scen.raw.get(section) or {}).get(name)
                if spec is None:
                    neutral = INPUTS[name].neutral
                    row[sid] = f"{not_set} {_fmt_written(neutral, unit, lang)}" if rest == ["values"] else follows
                elif rest == ["values"]:
                    row[sid] = _fmt_written(spec["values"], unit, lang)
                else:
                    vals = (spec.get("sectors") or {}).get(rest[1])
                    row[sid] = follows if vals is None else _fmt_written(vals, unit, lang)
            elif base == "levers.large_projects":
                row[sid] = _projects_text(scen, sectors, lang)
            else:
                v = rec[sid]
                unit = unit if base.endswith(".values") or ".sectors." in base else ""
                row[sid] = follows if v is None else _fmt_written(v, unit, lang)
        rows.append(row)
    return pd.DataFrame(rows, columns=["lever", "part", "field", *cmp.ids])


def _part(field: str, sectors: pd.DataFrame, lang: str) -> str:
    """Which part of a lever a field is: province-wide path, a sector's override, the mode."""
    parts = field.split(".")
    if parts[0] not in ("levers", "assumptions") or len(parts) < 3:
        return ""
    if parts[2] == "values":
        return "全省" if lang == "zh" else "province-wide"
    if parts[2] == "mode":
        return "方式" if lang == "zh" else "mode"
    if parts[2] == "sectors" and parts[3] in sectors.index:
        return sectors.loc[parts[3], "name_zh" if lang == "zh" else "name_en"]
    return ".".join(parts[2:])


def target_text(cmp, tgt, lang: str) -> list[str]:
    """One sentence per non-reference scenario: change vs reference, and the lever that moved it most."""
    oc = cmp.outcomes.set_index(["scenario", "target_id"])
    at = cmp.attribution
    ref = cmp.reference
    va = oc.loc[(ref, tgt.target_id), "value"]
    out = []
    for sid in cmp.ids[1:]:
        vb = oc.loc[(sid, tgt.target_id), "value"]
        total = vb - va
        sub = at[(at["scenario"] == sid) & (at["target_id"] == tgt.target_id)]
        largest = sub[sub["largest"]]
        inter = sub[sub["group"] == INTERACTION]["effect"].sum()
        na, nb = cmp.name(ref, lang), cmp.name(sid, lang)
        d = fmt_diff(total, tgt.unit, lang)
        if lang == "zh":
            s = f"{nb} 与 {na} 相比:{d}(2007年 {fmt_value(vb, tgt.unit)} 对 {fmt_value(va, tgt.unit)})。"
        else:
            s = f"{nb} vs {na}: {d} (2007: {fmt_value(vb, tgt.unit)} vs {fmt_value(va, tgt.unit)}). "
        if abs(total) < 1e-12 and largest.empty:
            s += "两情景该指标相同。" if lang == "zh" else "No difference."
        elif largest.empty:
            s += (f"没有单项杠杆单独改变该指标;差异来自杠杆之间的交互作用({fmt_diff(inter, tgt.unit, lang)})。"
                  if lang == "zh" else
                  f"No single lever moves it on its own; the difference comes from levers acting together "
                  f"(interaction {fmt_diff(inter, tgt.unit, lang)}).")
        else:
            r = largest.iloc[0]
            name = r["label_zh"] if lang == "zh" else r["label_en"]
            e = fmt_diff(r["effect"], tgt.unit, lang)
            s += (f"作用最大的杠杆:{name}(单独切换 {e})" if lang == "zh"
                  else f"Lever that moved it most: {name} ({e} on its own)")
            if abs(inter) > 0.05 * max(abs(total), 1e-12) and abs(inter) > 1e-9:
                s += (f";交互作用 {fmt_diff(inter, tgt.unit, lang)}" if lang == "zh"
                      else f"; interaction {fmt_diff(inter, tgt.unit, lang)}")
            s += "。" if lang == "zh" else "."
        out.append(s)
    return out


class _NamedMarkdown(MarkdownReport):
    """MarkdownReport whose figure files have meaningful names (charts/<name>.png)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.names: dict[int, str] = {}

    def add_named_figure(self, name: str, fig, **kw) -> None:
        self.add_figure(fig, **kw)
        self.names[self.n_figures] = f"charts/{self.lang}/{name}.png"

    def add_figure_like(self, name: str, html: HtmlReport) -> None:
        """Reuse the PNG of the HTML report's last figure (rendering a figure is the slow part)."""
        kind, block = html.blocks[-1]
        if kind != "figure":  # pragma: no cover - defensive
            raise ValueError("the HTML report's last block is not a figure")
        self.n_figures += 1
        self.blocks.append(("figure", {**block, "n": self.n_figures}))
        self.names[self.n_figures] = f"charts/{self.lang}/{name}.png"

    def _fig_name(self, n: int) -> str:
        return self.names.get(n, super()._fig_name(n))


def _fmt_p(rec: dict) -> str:
    """``0.42 [0.38–0.46]`` (P(met) over the fixed uncertainty sample), ``—`` when not computed."""
    p = rec.get("p_met")
    if p is None or p != p:
        return "—"
    return f"{p:.2f}\u00a0[{rec['p_lo']:.2f}–{rec['p_hi']:.2f}]"


def contributions_table(cmp, tgt, lang: str) -> pd.DataFrame:
    """Signed effect of every differing lever group on the target (one-at-a-time), per scenario,
    and the interaction; rows sorted by the largest absolute effect."""
    at = cmp.attribution[cmp.attribution["target_id"] == tgt.target_id]
    if at.empty:
        return pd.DataFrame()
    col = "label_zh" if lang == "zh" else "label_en"
    wide = at.pivot_table(index=[col, "group"], columns="scenario", values="effect", aggfunc="first", sort=False)
    wide = wide.reindex(columns=[s for s in cmp.ids[1:] if s in wide.columns])
    order = wide.abs().max(axis=1).sort_values(ascending=False).index
    inter = [i for i in order if i[1] == INTERACTION]
    wide = wide.loc[[i for i in order if i[1] != INTERACTION] + inter]
    wide = wide[(wide.abs().max(axis=1) > 1e-12) | (wide.index.get_level_values("group") == INTERACTION)]
    out = pd.DataFrame({"lever": [i[0] for i in wide.index]})
    for sid in wide.columns:
        out[sid] = [fmt_diff(v, tgt.unit, lang).replace(" ", "\u00a0") for v in wide[sid]]
    return out


def _outcome_table(cmp, lang: str) -> tuple[pd.DataFrame, dict]:
    oc = cmp.outcomes.copy()
    order = {sid: i for i, sid in enumerate(cmp.ids)}
    oc["_o"] = oc["scenario"].map(order)
    oc["_t"] = oc["target_id"].map({tg.target_id: i for i, tg in enumerate(cmp.model.targets)})
    oc = oc.sort_values(["_t", "_o"], kind="stable")
    not_by = t("not_by_2010", lang)
    df = pd.DataFrame(
        {
            "task": oc["task"],
            "target": oc["description_zh"] if lang == "zh" else oc["description_en"],
            "scenario": [scenario_label(cmp, s, lang) for s in oc["scenario"]],
            "value": [fmt_value(v, u) for v, u in zip(oc["value"], oc["unit"], strict=True)],
            "goal": [f"{CMP_SIGN[c]}\u00a0{fmt_value(v, u)}" for c, v, u in zip(oc["comparator"], oc["target"], oc["unit"], strict=True)],
            "met": oc["met"],
            "p": [_fmt_p(r) for r in oc.to_dict("records")],
            "diff": [("—" if s == cmp.reference else fmt_diff(d, u, lang).replace(" ", "\u00a0"))
                     for s, d, u in zip(oc["scenario"], oc["diff_vs_reference"], oc["unit"], strict=True)],
            "first": [not_by if y == "not by 2010" else str(y) for y in oc["first_year_met"]],
        }
    )
    cols = {
        "task": Label("Task", "任务"), "target": Label("Target", "目标"), "scenario": Label("Scenario", "情景"),
        "value": Label("2007 value", "2007年值"), "goal": Label("Target value", "目标值"),
        "met": Label("Met", "达成"),
        "p": Label("P(met) [95 % interval]", "达标概率 [95 %区间]"), "diff": Label("Change vs reference", "与参照情景相比"),
        "first": Label("First year met", "首次达成年份"),
    }
    return df, cols


def build_reports(cmp, lang: str) -> tuple[HtmlReport, _NamedMarkdown]:
    names_zh = " / ".join(cmp.name(s, "zh") for s in cmp.ids)
    names_en = " vs ".join(cmp.name(s, "en") for s in cmp.ids)
    title = Label(f"Scenario comparison: {names_en}", f"情景比较:{names_zh}")
    files = ", ".join(s.path.name for s in cmp.scenarios)
    subtitle = Label(
        f"Reference: {cmp.name(cmp.reference, 'en')}. Files: {files}. Targets scored in 2007.",
        f"参照情景:{cmp.name(cmp.reference, 'zh')}。情景文件:{files}。目标按2007年评价。",
    )
    html = HtmlReport(title, lang, subtitle=subtitle)
    md = _NamedMarkdown(title, lang, subtitle=subtitle)
    reps = (html, md)

    def each(method, *args, **kw):
        for r in reps:
            getattr(r, method)(*args, **kw)

    def figure(name, fig, caption):
        html.add_figure(fig, caption=caption)
        md.add_figure_like(name, html)
        plt.close(fig)

    # summary
    each("add_heading", Label("Summary", "摘要"))
    oc = cmp.outcomes
    n_t = oc["target_id"].nunique()
    ref_met = int(oc[oc["scenario"] == cmp.reference]["met"].sum())
    for sid in cmp.ids:
        k = int(oc[oc["scenario"] == sid]["met"].sum())
        extra_zh = "" if sid == cmp.reference else f"(参照情景 {ref_met} 项,{k - ref_met:+d})"
        extra_en = "" if sid == cmp.reference else f" (reference {ref_met}, {k - ref_met:+d})"
        each("add_paragraph", Label(
            f"{scenario_label(cmp, sid, 'en')}: {k} of {n_t} targets met in 2007{extra_en}.",
            f"{scenario_label(cmp, sid, 'zh')}:2007年 {n_t} 项目标中达成 {k} 项{extra_zh}。",
        ))
    # scorecard
    each("add_heading", Label("Targets met in 2007", "2007年目标达成情况"))
    figure("scorecard_grid", scorecard_grid(cmp, lang),
           Label("Scenario x target scorecard (2007 values)", "情景×目标记分卡(2007年值)"))
    df, cols = _outcome_table(cmp, lang)
    each("add_table", df, columns=cols, caption=Label("Outcomes by target", "各目标结果"))
    # levers
    each("add_heading", Label("What differs between the scenarios", "情景之间的政策杠杆与假设差异"))
    lt = lever_table(cmp, lang)
    if lt.empty:
        each("add_paragraph", Label("The scenarios have identical inputs.", "各情景的输入完全相同。"))
    else:
        lt = lt.drop(columns=["field"])
        lcols = {"lever": Label("Lever / assumption", "杠杆/假设"), "part": Label("Part", "范围")}
        lcols.update({sid: scenario_label(cmp, sid, lang) for sid in cmp.ids})
        each("add_table", lt, columns=lcols, met_column=None,
             caption=Label("Inputs that differ, as written (after resolving extends; field-by-field, "
                           "year-by-year detail in levers.csv)",
                           "不同的输入(按文件写法,已展开 extends;逐字段、逐年明细见 levers.csv)"))
    # per target
    each("add_heading", Label("Each target: paths and the lever that moved it most",
                              "各目标:指标路径与作用最大的杠杆"))
    each("add_paragraph", METHOD)
    for tgt, fig in target_charts(cmp, lang):
        info = INDICATORS[tgt.indicator]
        each("add_heading", Label(f"Task {tgt.task}: {tgt.description_en}", f"任务{tgt.task}:{tgt.description_zh}"), 3)
        figure(f"task{tgt.task:02d}_{tgt.target_id}", fig,
               Label(f"{info.label_en}, 2003-2010", f"{info.label_zh},2003—2010年"))
        for s in target_text(cmp, tgt, lang):
            each("add_paragraph", s)
        ct = contributions_table(cmp, tgt, lang)
        if not ct.empty:
            ccols = {"lever": Label("Lever group", "杠杆组")}
            ccols.update({sid: Label(f"{cmp.name(sid, 'en')}: effect", f"{cmp.name(sid, 'zh')}:单项作用")
                          for sid in cmp.ids[1:]})
            each("add_table", ct, columns=ccols, met_column=None,
                 caption=Label("Signed contribution of each differing lever group (switched alone from the "
                               "reference; + raises the indicator, - lowers it)",
                               "各杠杆组的作用(相对参照情景单独切换;正号使指标上升,负号使其下降)"))
    # sectors
    each("add_heading", Label("Sector composition of 2007 output", "2007年分行业产出构成"))
    figure("sector_output_2007", sector_chart(cmp, lang),
           Label("Gross output by sector (100m yuan, 2003 prices)", "分行业工业总产值(亿元,2003年价)"))
    each("add_heading", Label("Files", "文件"))
    each("add_paragraph", Label(
        "levers.csv: every differing input field by field; outcomes.csv: scenario x target; paths.csv: every "
        "indicator 2003-2010; attribution.csv: effect of each lever group; sector_output.csv; charts/: the figures.",
        "levers.csv:逐字段的输入差异;outcomes.csv:情景×目标结果;paths.csv:各指标2003—2010年路径;"
        "attribution.csv:各杠杆组的作用;sector_output.csv:分行业产出;charts/:图表。",
    ))
    return html, md


REPORT_LANGS = ("zh", "en")


def levers_with_units(cmp) -> pd.DataFrame:
    """``cmp.levers`` (its ``unit`` column: the unit of each field, from the registry for the mode
    each scenario uses, per scenario when the modes differ) with the scenarios' notes for the path."""
    notes = []
    for f in cmp.levers["field"]:
        section, _, rest = f.partition(".")
        name = rest.split(".")[0]
        ns = []
        for sid, scen in zip(cmp.ids, cmp.scenarios, strict=True):
            spec = (scen.raw.get(section) or {}).get(name) if section in ("levers", "assumptions") else None
            note = " ".join(str(spec.get("note") or "").split()) if isinstance(spec, dict) else ""
            if note:
                ns.append(f"{sid}: {note}")
        notes.append(" || ".join(dict.fromkeys(ns)))
    df = cmp.levers.copy()
    df["note"] = notes
    return df


def provenance_frame(cmp) -> pd.DataFrame:
    """Which files made the comparison: every scenario file of every chain with its SHA-256,
    the code version and the uncertainty sample behind P(met)."""
    from model.outputs.manifest import code_version, sha256
    from model.studies.compare.probability import N_SAMPLE, SEED

    rows = [{"key": "code_version", "value": code_version()},
            {"key": "p_met_sample", "value": f"independent pseudo-random (iid), n = {N_SAMPLE} per scenario, seed {SEED}, "
                                             "each scenario's uncertainty block"}]
    for sid, scen in zip(cmp.ids, cmp.scenarios, strict=True):
        for path in scen.chain:
            rows.append({"key": f"{sid}: {path.name}", "value": f"sha256 {sha256(path)}"})
    return pd.DataFrame(rows, columns=["key", "value"])


def write_comparison_workbook(path: Path, cmp, frames: dict) -> Path:
    """``comparison.xlsx``: one sheet per CSV of the comparison (model.outputs.xlsx)."""
    year_units = {sid: "" for sid in cmp.ids}
    return write_workbook(path, [
        Sheet("outcomes", frames["outcomes"], unit_column="unit",
              value_columns=("value", "target", "gap", "diff_vs_reference"),
              units={"p_met": "ratio", "p_lo": "ratio", "p_hi": "ratio"},
              met_column="met", colour_columns=("value",)),
        Sheet("paths", frames["paths"], unit_column="unit", value_columns=("value",)),
        Sheet("levers", frames["levers"], unit_column="unit", value_columns=tuple(year_units)),
        Sheet("attribution", frames["attribution"]),
        Sheet("sector_output", frames["sector_output"], units={"gross_output": "100m_yuan_2003"}),
        Sheet("provenance", frames["provenance"]),
    ])


def report_name(lang: str, ext: str = "html") -> str:
    """``report.zh.html`` / ``report.en.md``: the two languages sit side by side."""
    return f"report.{lang}.{ext}"


def write_comparison(cmp: Comparison, out_dir: str | Path | None = None, lang: str | None = None,
                     pdf: bool = False) -> Path:
    """Write CSVs, ``comparison.xlsx``, charts and the report in both languages side by side
    (``report.zh.html``, ``report.en.html``, ``report.zh.md``, ``report.en.md``; charts in
    ``charts/<lang>/``) into ``out_dir`` (default ``cmp.default_dir()``), atomically: a failure
    leaves earlier results intact. ``lang`` (default the comparison's) is the language listed
    first. With ``pdf`` each report is also printed to ``report.<lang>.pdf`` (A4, headless
    Chromium: model.outputs.pdf). Returns the folder."""
    out_dir = Path(out_dir) if out_dir else cmp.default_dir()
    first = lang or cmp.lang
    langs = [first, *[x for x in REPORT_LANGS if x != first]]
    reports = {x: build_reports(cmp, x) for x in langs}
    frames = {"outcomes": cmp.outcomes, "paths": cmp.paths, "levers": levers_with_units(cmp),
              "attribution": cmp.attribution, "sector_output": cmp.sectors, "provenance": provenance_frame(cmp)}
    with atomic_directory(out_dir) as tmp:
        for name, df in frames.items():
            write_csv(df, tmp / f"{name}.csv")
        write_comparison_workbook(tmp / "comparison.xlsx", cmp, frames)
        for x, (html, md) in reports.items():
            (tmp / "charts" / x).mkdir(parents=True)
            md.write(tmp / report_name(x, "md"))
            html.write(tmp / report_name(x, "html"))
            if pdf:
                print_pdf(tmp / report_name(x, "html"), tmp / report_name(x, "pdf"))
        manifest = {
            "reference": cmp.reference, "scenarios": list(cmp.ids), "lang": first,
            "files": {sid: [str(p) for p in s.chain] for sid, s in zip(cmp.ids, cmp.scenarios, strict=True)},
            **provenance([p for s in cmp.scenarios for p in dict.fromkeys(s.chain)]),
        }
        (tmp / "manifest.json").write_text(to_json(manifest, indent=2), encoding="utf-8")
    return out_dir
