"""Write a :class:`~model.studies.sensitivity.study.SensitivityStudy` to a result folder (atomically).

Folder contents::

    sensitivity.md          summary an expert can read without the CSVs (zh + en labels)
    indices.csv             indices in the scoring year (2007) with 95 % intervals (lo, hi)
    indices_per_year.csv    (with --per-year) every year 2004-2010
    probabilities.csv       P(target met) per target + 'all' (bootstrap and Wilson intervals)
    first_year.csv          distribution of the first year each target is reached
    instrument_response.csv P(met | policy) of every modelled target with each instrument in turn
                            over its range (model.studies.sensitivity.sweep), on the P(met | policy) sample
    mc_filter.csv           Monte Carlo filtering (KS) per target and input, with statements
    fan_quantiles.csv       deciles of every target indicator, 2003-2010
    inputs.csv              the uncertain inputs (path, distribution, group, labels, sensitivity_note)
    inert_inputs.csv        inputs with max ST < 0.01 and the documented reason each stays
    convergence.csv         sample size steps and widest interval
    manifest.json           settings, timings, notices, versions
    figures/                indices_<target>.png | morris_<target>.png, fan_<target>.png,
                            instrument_<lever>.png
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.outputs.atomic import atomic_directory
from model.outputs.manifest import provenance
from model.outputs.strict_json import to_json
from model.outputs.tables import write_csv
from model.paths import RESULTS_DIR
from model.reporting.palette import family_colours
from model.studies.sensitivity import FAMILY_LABELS, SensitivityStudy
from model.uq import METHODS, plots

TOP_BARS = 20  # inputs shown per index chart


def likelihood_words(p: float) -> tuple[str, str]:
    """IPCC calibrated likelihood language for a probability (en, zh)."""
    if not np.isfinite(p):
        return "unknown", "未知"
    if p >= 0.99:
        return "virtually certain", "几乎确定"
    if p >= 0.9:
        return "very likely", "很可能"
    if p >= 0.66:
        return "likely", "可能"
    if p > 0.33:
        return "about as likely as not", "可能性约一半"
    if p > 0.1:
        return "unlikely", "不太可能"
    if p > 0.01:
        return "very unlikely", "很不可能"
    return "exceptionally unlikely", "几乎不可能"


def _fmt_value(x: float, unit: str) -> str:
    if not np.isfinite(x):
        return "n/a"
    if unit == "ratio":
        return f"{100 * x:.2f} %"
    return f"{x:,.1f}"


def _input_label(st: SensitivityStudy, name: str) -> str:
    if name in st.problem.names:
        inp = st.problem[name]
        return f"{inp.label('zh')} ({inp.label('en')})"
    fam = FAMILY_LABELS.get(name)
    return f"{fam[1]} ({fam[0]})" if fam else name


def _short_label(st: SensitivityStudy, name: str) -> str:
    if name in st.problem.names:
        return f"{st.problem[name].label('zh')} [{name}]"
    fam = FAMILY_LABELS.get(name)
    return f"{fam[1]} {fam[0]}" if fam else name


# ----------------------------------------------------------------------------- figures
def _instrument_figure(st: SensitivityStudy, lever: str, font: str | None) -> Figure | None:
    """P(met | policy) of the targets the instrument moves, against the instrument's value."""
    from model.studies.sensitivity.sweep import responsive

    d = st.instrument_response[st.instrument_response["lever"] == lever]
    moved = responsive(d)
    moved = moved[moved["moves"]]["target_id"].tolist()
    if d.empty or not moved:
        return None
    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for tid in moved:
        g = d[d["target_id"] == tid].sort_values("value")
        ax.plot(g["value"], g["p_met"], "o-", ms=3, label=tid)
        ax.fill_between(g["value"], g["p_met_low"], g["p_met_high"], alpha=0.12, lw=0)
    own = d["scenario_value"].iloc[0]
    if np.isfinite(own):
        ax.axvline(own, color="0.4", lw=0.8, ls="--", label="scenario 情景")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"{lever.removeprefix('levers.')} ({d['unit'].iloc[0]})")
    ax.set_ylabel("P(met | policy) 达标概率")
    ax.legend(fontsize="x-small", loc="best", ncol=2)
    ax.set_title(f"{lever}: other instruments as in the scenario / 其他政策工具按情景设定")
    if font:
        for t in fig.findobj(lambda a: hasattr(a, "set_fontfamily")):
            t.set_fontfamily(font)
    return fig


def write_figures(st: SensitivityStudy, fig_dir: Path, dpi: int = 110) -> list[str]:
    import warnings

    from model.reporting.fonts import configure_cjk_fonts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        font = configure_cjk_fonts()
    fig_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    main = st.main_indices()
    labels = {n: _short_label(st, n) for n in st.problem.names + st.problem.group_names}
    groups = st.problem.group_of()
    colours = family_colours(["", *groups.values()])  # one colour per family in every figure
    for t in st.targets:
        title = f"{t.description_zh}\n{textwrap.shorten(t.description_en, 70)} ({t.year})"
        d = main[main["target"] == t.target_id]
        if d["value"].notna().any():
            if st.method == "morris":
                ranked = d[d["index"] == METHODS["morris"].rank].sort_values("value", ascending=False)
                d = d[d["input"].isin(set(ranked["input"].head(15)))]  # the 15 largest mu*
                tidy = pd.concat([
                    d[["target", "input", "index", "value"]],
                    d[d["index"] == "mu_star"].assign(index="mu_star_conf", value=d.loc[d["index"] == "mu_star", "conf"])[
                        ["target", "input", "index", "value"]],
                ]).rename(columns={"target": "output"})
                fig = plots.morris_scatter(tidy, labels=labels, groups=groups, title=title, font_family=font,
                                           colours=colours)
                name = f"morris_{t.target_id}.png"
            else:
                key = METHODS[st.method].rank
                ranked = d[d["index"] == key].sort_values("value", ascending=False)
                top = ranked[ranked["value"] >= 0.005]["input"].head(TOP_BARS)
                if len(top) < 3:
                    top = ranked["input"].head(3)
                dd = d[d["input"].isin(set(top))]
                tidy = pd.concat([
                    dd[["target", "input", "index", "value"]],
                    dd.assign(index=dd["index"] + "_conf", value=dd["conf"])[["target", "input", "index", "value"]],
                ]).rename(columns={"target": "output"})
                first, total = METHODS[st.method].bars
                fig = plots.sobol_bars(tidy, labels=labels, groups=groups, title=title, font_family=font,
                                       first=first, total=total, figsize=(9.0, 1.6 + 0.4 * len(top)),
                                       colours=colours)
                name = f"indices_{t.target_id}.png"
            plots.save(fig, fig_dir / name, dpi=dpi)
            written.append(name)
        k = [x.target_id for x in st.targets].index(t.target_id)
        fig = plots.fan_chart(st.years, st.paths[:, :, k], target=t.value, title=title,
                              ylabel=t.unit, font_family=font,
                              labels={"target": f"target 目标 {t.comparator} {t.value:g}", "year": "year 年份"})
        name = f"fan_{t.target_id}.png"
        plots.save(fig, fig_dir / name, dpi=dpi)
        written.append(name)
    if not st.instrument_response.empty:
        for lever in st.instrument_response["lever"].unique():
            fig = _instrument_figure(st, lever, font)
            if fig is None:
                continue
            name = f"instrument_{lever.removeprefix('levers.')}.png"
            plots.save(fig, fig_dir / name, dpi=dpi)
            written.append(name)
    return written


# ----------------------------------------------------------------------------- tables
def fan_quantiles(st: SensitivityStudy) -> pd.DataFrame:
    q = np.nanquantile(st.paths, np.arange(1, 10) / 10.0, axis=0)  # (9, T, K)
    rows = []
    for k, t in enumerate(st.targets):
        for ti, y in enumerate(st.years):
            row = {"target": t.target_id, "year": y, "target_value": t.value, "comparator": t.comparator}
            row.update({f"q{10 * (i + 1)}": float(q[i, ti, k]) for i in range(9)})
            row["mean"] = float(np.nanmean(st.paths[:, ti, k]))
            rows.append(row)
    return pd.DataFrame(rows)


def probabilities_table(st: SensitivityStudy) -> pd.DataFrame:
    p = st.probabilities.reset_index()
    info = {t.target_id: t for t in st.targets}
    p.insert(1, "description_zh", p["target"].map(lambda x: info[x].description_zh if x in info else "全部目标同时达标"))
    p.insert(2, "description_en", p["target"].map(lambda x: info[x].description_en if x in info else "all targets met jointly"))
    p.insert(3, "year", p["target"].map(lambda x: info[x].year if x in info else info[next(iter(info))].year))
    k = {t.target_id: i for i, t in enumerate(st.targets)}
    med, q10, q90 = [], [], []
    for x in p["target"]:
        if x in k:
            t = info[x]
            v = st.paths[:, st.years.index(t.year), k[x]]
            a, b, c = np.nanquantile(v, [0.1, 0.5, 0.9])
        else:
            a = b = c = np.nan
        q10.append(a), med.append(b), q90.append(c)
    p["median"] = med
    p["q10"] = q10
    p["q90"] = q90
    fy = st.first_year
    med_year = {}
    for tid, g in fy.groupby("target", sort=False):
        g = g[g["first_year"].notna()]
        hit = g[g["cumulative"] >= 0.5]
        med_year[tid] = int(hit["first_year"].iloc[0]) if len(hit) else None
    p["median_first_year"] = p["target"].map(med_year).astype("Int64")
    return p


# ----------------------------------------------------------------------------- markdown
#: an input whose largest total-order index over the scored targets is below this moves nothing
INERT_ST = 0.01


def inert_inputs(st: SensitivityStudy) -> pd.DataFrame:
    """Inputs whose largest total-order index (scoring year, every target) is below INERT_ST,
    with their documented reason (``sensitivity_note``); empty for methods without ST."""
    main = st.main_indices()
    st_rows = main[main["index"] == "ST"]
    if st_rows.empty:
        return pd.DataFrame(columns=["input", "path", "max_st", "sensitivity_note"])
    worst = st_rows.groupby("input")["value"].max()
    notes = st.inputs_table.set_index("input")
    rows = [{"input": name, "path": notes.loc[name, "path"], "max_st": float(v),
             "sensitivity_note": str(notes.loc[name].get("sensitivity_note", "") or "")}
            for name, v in worst.items() if name in notes.index and v < INERT_ST]
    return pd.DataFrame(rows, columns=["input", "path", "max_st", "sensitivity_note"]).sort_values("max_st")


def _inert_section(st: SensitivityStudy) -> list[str]:
    d = inert_inputs(st)
    if d.empty:
        return []
    missing = int((d["sensitivity_note"] == "").sum())
    L = [f"## 影响很小的输入 / Inputs with max ST < {INERT_ST:g}", "",
         f"{len(d)} of {st.problem.num_vars} inputs move no target by a total-order index of {INERT_ST:g}; "
         "each stays for the reason given where it is defined (`sensitivity_note` in calibration/priors.yaml "
         "or the scenario registry)"
         + (f"; **{missing} without a documented reason**" if missing else "") + ". / "
         f"{len(d)}个输入对所有目标的总效应指数均小于{INERT_ST:g},保留原因如下。", "",
         "| input | path | max ST | why it stays |", "|---|---|---|---|"]
    for r in d.itertuples():
        reason = r.sensitivity_note or "**no documented reason** / 无说明"
        L.append(f"| {_short_label(st, r.input)} | `{r.path}` | {r.max_st:.4f} | {reason} |")
    L.append("")
    return L


def _instrument_section(st: SensitivityStudy) -> list[str]:
    """The instrument sweep in words: what each instrument's range does to P(met | policy)."""
    from model.studies.sensitivity.sweep import responsive

    d = st.instrument_response
    if d.empty:
        return []
    n = int(d["n_states"].iloc[0])
    L = ["## 政策工具响应 / Instrument response", "",
         "每次只改变一项政策工具(在其允许范围内取值,其他工具按情景设定),在P(达标|政策)的同一组"
         f"{n}个世界状态样本上计算达标概率;下表只列出达标概率变化至少0.05的目标。成本为中心参数下"
         "2004—2010年合计(亿元,现价)。 / "
         "Each instrument in turn over its allowed range, the other instruments as the scenario sets "
         f"them, on the same {n} states of the world as P(met | policy) (`model.studies.sensitivity.sweep`); "
         "listed: targets whose P(met) moves by at least 0.05 over the range. Cost: 2004-2010 total at "
         "the central parameters (100m yuan nominal). Instruments are decisions, never sampled; their "
         "Sobol indices would describe the analyst's range, not the world.", ""]
    summary = responsive(d)
    budget = float(d["budget_2004_2010"].iloc[0])
    for lever, g in summary.groupby("lever", sort=False):
        dl = d[d["lever"] == lever].sort_values("value")
        c_lo, c_hi = float(dl["cost_2004_2010"].iloc[0]), float(dl["cost_2004_2010"].iloc[-1])
        moves = g[g["moves"]]
        rng = f"[{g['low'].iloc[0]:g}, {g['high'].iloc[0]:g}] {g['unit'].iloc[0]}"
        cost = f"cost {c_lo:,.0f} → {c_hi:,.0f} (budget {budget:,.0f})"
        if moves.empty:
            L.append(f"- `{lever}` over {rng}, {cost}: moves no modelled target's P(met) by 0.05 "
                     "/ 不改变任何目标的达标概率")
            continue
        items = [f"{x.target_id} {x.p_met_at_low:.2f} → {x.p_met_at_high:.2f}"
                 + (f" (scenario {x.p_met_at_scenario:.2f})" if np.isfinite(x.p_met_at_scenario) else "")
                 for x in moves.itertuples()]
        L.append(f"- `{lever}` over {rng}, {cost}: " + "; ".join(items))
    L.append("")
    return L


def summary_markdown(st: SensitivityStudy, figures: list[str]) -> str:
    main = st.main_indices()
    key = METHODS[st.method].rank
    key_words = {
        "ST": "total-order Sobol index ST (share of output variance the input explains, interactions included)",
        "S1": "first-order index S1 (share of variance explained by the input alone)",
        "mu_star": "Morris mu* (mean absolute elementary effect, in output units per unit of input range)",
        "delta": "Borgonovo delta (moment-independent importance)",
        "PAWN_median": "PAWN median KS distance",
    }[key]
    probs = probabilities_table(st)
    s = st.settings
    L: list[str] = []
    L.append(f"# 敏感性与不确定性分析 / Sensitivity and uncertainty: {st.scenario_name['zh']} / {st.scenario_name['en']}")
    L.append("")
    L.append(f"Scenario file `{st.scenario_path}`; method **{st.method}**, base sample N = {s['n']} "
             f"({s['rows']:,} model runs), seed {s['seed']}; {st.problem.num_vars} uncertain inputs in "
             f"{len(st.problem.group_names)} families ({', '.join(st.problem.group_names)}).")
    L.append(f"Evaluation: {s['evaluator']}; time {st.timings.get('total', float('nan')):.1f} s "
             f"(sample {st.timings['sample']:.1f}, evaluate {st.timings['evaluate']:.1f}, "
             f"analyse {st.timings['analyze']:.1f}, uncertainty {st.timings.get('uncertainty', 0):.1f}).")
    L.append(f"Convergence: {st.convergence_message}.")
    L.append("")
    L.append("## 达标概率 / Probability that each 2007 target is met")
    L.append("")
    L.append("Uncertainty in every input below is propagated jointly; P(met) is the share of runs "
             "that meet the target in its scoring year, with a 95 % bootstrap interval.")
    L.append("")
    n_iid = len(st.paths)
    L.append(f"Sample: P(met), first years, fan charts, filtering and response curves use an independent "
             f"pseudo-random sample of {n_iid:,} runs (numpy PCG64, iid draws from the input distributions, "
             f"seed {s['seed']}), separate from the {st.method} design of the indices, which is not a random "
             f"sample. / 样本:达标概率、首次达标年份、扇形图、筛选和响应曲线均基于{n_iid:,}次独立伪随机抽样"
             f"(numpy PCG64,按输入分布独立同分布抽取,种子{s['seed']}),与用于计算敏感性指数的{st.method}"
             f"设计样本分开(该设计不是随机样本)。")
    L.append("")
    L.append("| target 目标 | plan 规划 | median 中位数 [10-90 %] | P(met) 达标概率 [95 %] | reading | first year (median) |")
    L.append("|---|---|---|---|---|---|")
    info = {t.target_id: t for t in st.targets}
    for r in probs.itertuples():
        if r.target == "all":
            continue
        t = info[r.target]
        en, zh = likelihood_words(r.p)
        L.append(
            f"| {t.description_zh}<br>{t.description_en} | {t.comparator} {_fmt_value(t.value, t.unit)} | "
            f"{_fmt_value(r.median, t.unit)} [{_fmt_value(r.q10, t.unit)}, {_fmt_value(r.q90, t.unit)}] | "
            f"**{r.p:.2f}** [{r.boot_lo:.2f}, {r.boot_hi:.2f}] | {zh} / {en} | "
            f"{'not by ' + str(st.years[-1]) if pd.isna(r.median_first_year) else int(r.median_first_year)} |"
        )
    allr = probs[probs["target"] == "all"].iloc[0]
    en, zh = likelihood_words(allr["p"])
    L.append("")
    L.append(f"**All {len(st.targets)} targets met jointly 全部目标同时达标: P = {allr['p']:.3f} "
             f"[{allr['boot_lo']:.3f}, {allr['boot_hi']:.3f}]** ({zh} / {en}).")
    L.append("")
    L.append("## 主要驱动因素 / What drives each target")
    L.append("")
    L.append(f"Ranking by the {key_words}, in {info[st.targets[0].target_id].year}. "
             "Brackets: 95 % bootstrap interval. Filtering: the inputs whose values differ most between "
             "runs that meet and runs that miss the target (Kolmogorov-Smirnov statistic, 10-90 % ranges), "
             "stated as scenario-file fields - these are what a planner would have to believe or change.")
    L.append("")
    for t in st.targets:
        r = probs[probs["target"] == t.target_id].iloc[0]
        en, zh = likelihood_words(r["p"])
        L.append(f"### {t.description_zh} / {t.description_en}")
        L.append("")
        L.append(f"Target {t.comparator} {_fmt_value(t.value, t.unit)}; P(met) = {r['p']:.2f} ({zh} / {en}).")
        d = main[(main["target"] == t.target_id) & (main["index"] == key)].dropna(subset=["value"])
        if d.empty:
            L.append("Indices: not defined (the indicator does not vary across runs).")
        else:
            top = d.sort_values("value", ascending=False).head(3)
            items = []
            for x in top.itertuples():
                ci = f" [{x.lo:.2f}, {x.hi:.2f}]" if np.isfinite(x.conf) else ""
                items.append(f"{_input_label(st, x.input)} `{x.path}`: {key} = {x.value:.2f}{ci}")
            L.append("Top drivers: " + "; ".join(items) + ".")
            if key == "ST":
                s1 = main[(main["target"] == t.target_id) & (main["index"] == "S1")]["value"].sum()
                if np.isfinite(s1):
                    L.append(f"Sum of first-order indices {s1:.2f}"
                             + (" (close to 1: effects are mostly additive)." if s1 > 0.8 else
                                " (well below 1: interactions between inputs matter)."))
        f = st.filtering[st.filtering["target"] == t.target_id] if not st.filtering.empty else st.filtering
        # only what the sample supports (model/uq/support.py): separating inputs, or the
        # sentence saying why none is named (too few met / missed runs, none significant)
        said = f[f["separates"]].head(2) if len(f) else f
        if len(f) and said.empty:
            said = f[f["input"] == ""].head(1)
        for x in said.itertuples():
            L.append(f"- {x.statement_zh} / {x.statement}")
        L.append("")
    L.extend(_instrument_section(st))
    L.extend(_inert_section(st))
    L.append("## 不确定输入 / Uncertain inputs")
    L.append("")
    L.append("| input | path | family | distribution | params |")
    L.append("|---|---|---|---|---|")
    for r in st.inputs_table.itertuples():
        L.append(f"| {r.label_zh} / {r.label_en} | `{r.path}`{' (× path)' if r.op == 'scale' and r.kind == 'driver' else ''} "
                 f"| {r.group} | {r.distribution} | {r.params} |")
    L.append("")
    if st.notices:
        L.append("## Notes")
        L.append("")
        for n in dict.fromkeys(st.notices):
            L.append(f"- {n}")
        L.append("")
    L.append("## Files")
    L.append("")
    L.append("`indices.csv`, `probabilities.csv`, `first_year.csv`, `instrument_response.csv`, `mc_filter.csv`, "
             "`fan_quantiles.csv`, `inputs.csv`, `convergence.csv`, `manifest.json`; figures in `figures/`: "
             + ", ".join(f"`{f}`" for f in figures[:6]) + (" ..." if len(figures) > 6 else ""))
    L.append("")
    return "\n".join(L)


def write_study(st: SensitivityStudy, out: str | os.PathLike | None = None, figures: bool = True) -> Path:
    """Write every table, figure and the summary into ``out`` (default
    ``results/<scenario>-sensitivity-<method>``), replaced atomically; returns the folder."""
    out = Path(out) if out else RESULTS_DIR / f"{st.scenario_id}-sensitivity-{st.method}"
    with atomic_directory(out) as tmp:
        write_csv(st.main_indices(), tmp / "indices.csv")
        if len(st.index_years) > 1:
            write_csv(st.indices, tmp / "indices_per_year.csv")
        write_csv(probabilities_table(st), tmp / "probabilities.csv")
        write_csv(st.first_year, tmp / "first_year.csv")
        write_csv(st.instrument_response, tmp / "instrument_response.csv")
        write_csv(st.filtering, tmp / "mc_filter.csv")
        write_csv(fan_quantiles(st), tmp / "fan_quantiles.csv")
        write_csv(st.inputs_table, tmp / "inputs.csv")
        write_csv(inert_inputs(st), tmp / "inert_inputs.csv")
        write_csv(st.convergence, tmp / "convergence.csv")
        figs = write_figures(st, tmp / "figures") if figures else []
        (tmp / "sensitivity.md").write_text(summary_markdown(st, figs), encoding="utf-8")
        manifest = {
            "scenario": st.scenario_path, "scenario_id": st.scenario_id, "method": st.method,
            "settings": st.settings, "timings_s": st.timings, "convergence": st.convergence_message,
            "inputs": st.problem.num_vars, "groups": st.problem.group_names,
            "targets": [t.target_id for t in st.targets], "index_years": list(st.index_years),
            "notices": list(dict.fromkeys(st.notices)), "figures": figs,
            **provenance(st.scenario_files or [st.scenario_path]),
        }
        (tmp / "manifest.json").write_text(to_json(manifest, indent=2), encoding="utf-8")
    return out
