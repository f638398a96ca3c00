"""Write a :class:`~model.studies.search.SearchResult` to a result folder (atomically).

Folder contents (``results/<scenario>-search/``)::

    front.csv                 cost (SAA expected, 100m yuan nominal 2004-2010) against P(all met),
                              P per target, share of states within the budget envelope, levels
    front.png                 the front, alpha, the chosen mix and the scenario's own mix
    cheapest-mix.yaml         the chosen mix as a scenario that extends the searched one (validated
                              before the folder is swapped in); run it with ``mfgbase run``
    recheck.csv               P(met) of that mix on a fresh, larger sample: intervals, 2-se flag
    binding_targets.csv       per target: P, share of states where it alone is missed, binding
    binding_instruments.csv   per instrument: level, status, P and cost one step down
    reach.csv                 per target: P at the scenario's mix, the chosen mix, the highest found
    prim_boxes.csv            PRIM boxes per target and for all together (scenario-file terms)
    convergence.csv           per generation: mixes and rows evaluated, hypervolume, best cost
    report.zh.md / report.en.md / report.zh.html / report.en.html (figures beside the .md files)
    manifest.json             settings, timings, rows evaluated, provenance
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.outputs.atomic import atomic_directory
from model.outputs.manifest import provenance
from model.outputs.strict_json import to_json
from model.outputs.tables import write_csv
from model.reporting import HtmlReport, Label, MarkdownReport
from model.studies.search.scenario_file import MIX_FILE

REPORT_LANGS = ("zh", "en")
FRONT_ROWS_SHOWN = 15  # rows of the front table in the report (the CSV has them all)


class SearchWriteError(RuntimeError):
    """The mix file the search wrote does not validate (a bug: nothing is written)."""


def _target_labels(result) -> dict[str, Label]:
    tg = {t.target_id: t for t in result.scenario_model.targets}
    return {tid: Label(tg[tid].description_en, tg[tid].description_zh) for tid in result.target_ids}


def _instrument_labels(result) -> dict[str, Label]:
    out = {d.name: Label(d.label_en, d.label_zh) for d in result.space.free}
    out.update({d.name: Label(d.label_en, d.label_zh) for d, _ in result.space.locked})
    return out


def front_chart(result, lang: str) -> Figure:
    """Cost (x) against P(all met) (y): the front as steps, alpha, chosen and scenario mixes."""
    zh = lang == "zh"
    f = result.front
    fig = Figure(figsize=(7.5, 4.6))
    ax = fig.subplots()
    ax.step(f.cost_2004_2010, f.p_all, where="post", color="#1f4e79", lw=1.6,
            label="前沿(每个概率的最低成本)" if zh else "front (cheapest mix per P)")
    ax.plot(f.cost_2004_2010, f.p_all, "o", ms=3, color="#1f4e79")
    ax.axhline(result.settings.alpha, color="#b22222", ls="--", lw=1,
               label=f"α = {result.settings.alpha:g}")
    if math.isfinite(result.envelope_2004_2010):
        ax.axvline(result.envelope_2004_2010, color="#7f7f7f", ls=":", lw=1,
                   label="预算额度(2004—2010年合计)" if zh else "budget envelope (2004-2010 total)")
    ax.plot([result.chosen["cost"]], [result.chosen["p_all"]], "*", ms=14, color="#b22222",
            label=("选定组合" if zh else "chosen mix"))
    sp = result.scenario_point
    ax.plot([sp["cost"]], [sp["p_all"]], "s", ms=8, mfc="none", color="#333333",
            label=("情景自身组合" if zh else "the scenario's own mix"))
    ax.set_xlabel("预期成本,2004—2010年合计(亿元,现价)" if zh else "expected cost 2004-2010 (100m yuan, nominal)")
    ax.set_ylabel("全部目标达成的概率" if zh else "P(all scored targets met)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def _fmt_level(v: float) -> str:
    return f"{v:,.4g}" if math.isfinite(v) else "—"


def box_statement(rows: pd.DataFrame, labels: dict[str, Label], lang: str) -> str:
    """One PRIM box in scenario-file terms: "FDI promotion >= 40 and ... -> met in 87 % of cases"."""
    zh = lang == "zh"
    first = rows.iloc[0]
    if not first["dimension"]:
        note = first["note"]
        return (f"无可用的盒子:{note}" if zh else f"no box: {note}") if note else ""
    parts = []
    for r in rows.itertuples():
        lab = labels.get(r.dimension) or (Label(r.label_en, r.label_zh) if isinstance(r.label_en, str) else None)
        name = (f"{lab.zh if zh else lab.en} [{r.dimension}]" if lab else r.dimension)
        lo, hi = r.low, r.high
        if np.isfinite(lo) and np.isfinite(hi):
            parts.append(f"{_fmt_level(lo)} ≤ {name} ≤ {_fmt_level(hi)} {r.unit}")
        elif np.isfinite(lo):
            parts.append(f"{name} ≥ {_fmt_level(lo)} {r.unit}")
        else:
            parts.append(f"{name} ≤ {_fmt_level(hi)} {r.unit}")
    joined = (" 且 " if zh else " and ").join(parts)
    d, c, m = 100 * first["density"], 100 * first["coverage"], 100 * first["mass"]
    if zh:
        return f"{joined} → 盒内 {d:.0f}% 的情形达标(覆盖全部达标情形的 {c:.0f}%,盒内样本占 {m:.0f}%)"
    return f"{joined} → met in {d:.0f} % of the cases in the box (covering {c:.0f} % of all met cases; {m:.0f} % of the sample)"


def build_report(result, lang: str, report_cls):
    zh = lang == "zh"
    s = result.settings
    scen = result.scenario
    name = scen.spec.name
    title = Label(f"Policy search: {name.en}", f"政策组合搜索:{name.zh}")
    subtitle = Label(
        f"File {Path(scen.path).name}; alpha {s.alpha:g}; {s.samples} states of the world (seed {s.seed}); "
        f"re-check on {s.n_recheck} fresh states.",
        f"情景文件 {Path(scen.path).name};α = {s.alpha:g};{s.samples} 个世界状态(种子 {s.seed});"
        f"在 {s.n_recheck} 个新状态上复核。",
    )
    kw = {"figure_prefix": f"figure-{lang}"} if report_cls is MarkdownReport else {}
    rep = report_cls(title, lang, subtitle=subtitle, **kw)
    tl, il = _target_labels(result), _instrument_labels(result)
    rc = result.recheck.set_index("target")
    allr = rc.loc["all"]
    cost, env = result.chosen["cost"], result.envelope_2004_2010
    budget_en = "no budget cap" if s.budget is None else f"a budget cap of {s.budget:,.1f}"
    budget_zh = "不设预算上限" if s.budget is None else f"预算上限 {s.budget:,.1f}"

    rep.add_heading(Label("Result", "结果"))
    if result.reached:
        rep.add_paragraph(Label(
            f"The cheapest mix found with P(all {len(result.target_ids)} scored targets met) ≥ {s.alpha:g} costs "
            f"{cost:,.1f} (100m yuan nominal, 2004-2010, expected over the states) against a budget envelope of "
            f"{env:,.1f} ({budget_en}). On the search sample P = {result.chosen['p_all']:.3f}.",
            f"在全部 {len(result.target_ids)} 项评分目标同时达成的概率 ≥ {s.alpha:g} 的组合中,搜索到的成本最低组合"
            f"预期成本为 {cost:,.1f} 亿元(现价,2004—2010年合计),预算额度为 {env:,.1f} 亿元({budget_zh})。"
            f"在搜索样本上概率为 {result.chosen['p_all']:.3f}。"))
    else:
        rep.add_paragraph(Label(
            f"No mix within the instruments' ranges{'' if s.budget is None else ' and the budget cap'} reaches "
            f"P(all scored targets met) ≥ {s.alpha:g}. The highest P found is {result.best_p:.3f}; the mix shown "
            f"is the one with the highest P (ties: the most targets met on average, then the lowest cost), at an "
            f"expected cost of {cost:,.1f} (100m yuan nominal, 2004-2010).",
            f"在各政策工具允许范围内{'' if s.budget is None else '及预算上限内'},没有任何组合使全部评分目标同时达成的"
            f"概率达到 {s.alpha:g}。搜索到的最高概率为 {result.best_p:.3f};下表为概率最高的组合(相同时取平均达成目标"
            f"最多、再取成本最低者),预期成本 {cost:,.1f} 亿元(现价,2004—2010年合计)。"))
    flag = bool(allr["flag"])
    rep.add_paragraph(Label(
        f"Re-check on {int(allr.n_fresh)} fresh states: P = {allr.p_fresh:.3f} "
        f"[{allr.low:.3f}, {allr.high:.3f}] ({100 * allr.conf_level:.0f} % Wilson interval; one Monte Carlo standard "
        f"error {allr.se_fresh:.3f}). "
        + (f"It falls short of alpha by {allr.shortfall:.3f}, more than two standard errors: FLAGGED."
           if flag else ("Within two standard errors of alpha or above it." if result.reached else
                         f"Short of alpha by {allr.shortfall:.3f}.")),
        f"在 {int(allr.n_fresh)} 个新状态上复核:概率 {allr.p_fresh:.3f} [{allr.low:.3f}, {allr.high:.3f}]"
        f"({100 * allr.conf_level:.0f}% Wilson区间;蒙特卡洛标准误 {allr.se_fresh:.3f})。"
        + (f"比 α 低 {allr.shortfall:.3f},超过两个标准误:已标记。" if flag else
           ("不低于 α 或在两个标准误之内。" if result.reached else f"比 α 低 {allr.shortfall:.3f}。"))))
    rep.add_paragraph(Label(
        f"The mix is written as {MIX_FILE} (it extends {Path(scen.path).name}; run it with mfgbase run).",
        f"该组合已写为 {MIX_FILE}(继承 {Path(scen.path).name};可用 mfgbase run 运行)。"))

    rep.add_heading(Label("The mix", "政策组合"))
    bi = result.binding_instruments
    status_zh = {"at lower bound": "处于下限(未使用)", "at upper bound": "处于上限", "binding": "约束性",
                 "slack": "有余量", "locked": "锁定"}
    own = {d.name: d.scenario_value for d in result.space.free}
    own.update({d.name: d.scenario_value for d, _ in result.space.locked})
    mix = pd.DataFrame({
        "instrument": [(il[n].zh if zh else il[n].en) + f" [{n}]" for n in bi.instrument],
        "scenario": [own[n] for n in bi.instrument], "found": bi.level, "unit": bi.unit,
        "range": [f"{lo:g}–{hi:g}" for lo, hi in zip(bi.low, bi.high, strict=True)],
        "status": [status_zh[x] if zh else x for x in bi.status],
        "p_after_step": bi.p_all_after_step,
    })
    rep.add_table(mix, caption=Label("Levels (one level in every year 2004-2010; the scenario's column is its mean "
                                     "2004-2010); P(all met) after one step down (2 % of the range)",
                                     "水平(2004—2010年每年同一水平;情景列为其2004—2010年均值);下调一步(范围的2%)后的概率"),
                  columns={"instrument": Label("Instrument", "政策工具"), "scenario": Label("Scenario", "原情景"),
                           "found": Label("Found", "搜索结果"), "unit": Label("Unit", "单位"),
                           "range": Label("Range", "范围"), "status": Label("Status", "状态"),
                           "p_after_step": Label("P after step down", "下调后概率")})
    if result.space.held:
        rep.add_paragraph(Label(
            "Kept at the scenario's values (non-monetary instruments, measured by an effort index and never priced; "
            "lock one with --lock to set it): " + ", ".join(result.space.held) + ".",
            "保持原情景取值(非货币政策工具,以力度指数衡量,不设价格;可用 --lock 指定):"
            + "、".join(result.space.held) + "。"))

    rep.add_heading(Label("Re-check on a fresh sample", "新样本复核"))
    t = result.recheck.copy()
    t["target"] = [("全部目标" if zh else "all targets") if x == "all" else (tl[x].zh if zh else tl[x].en)
                   for x in t.target]
    rep.add_table(t[["target", "alpha", "p_search", "p_fresh", "low", "high", "se_fresh", "flag"]],
                  caption=Label("P(met): search sample against the fresh sample; flag = short of the floor by more "
                                "than two standard errors", "达标概率:搜索样本与新样本;标记 = 低于下限超过两个标准误"),
                  columns={"target": Label("Target", "目标"), "alpha": Label("Floor", "下限"),
                           "p_search": Label("P (search)", "概率(搜索)"), "p_fresh": Label("P (fresh)", "概率(新样本)"),
                           "low": Label("low", "下界"), "high": Label("high", "上界"),
                           "se_fresh": Label("MC s.e.", "标准误"), "flag": Label("Flag", "标记")},
                  formats={c: "{:.3f}" for c in ("alpha", "p_search", "p_fresh", "low", "high", "se_fresh")})

    rep.add_heading(Label("Cost against P(all met): the front", "成本与达标概率的权衡前沿"))
    rep.add_figure(front_chart(result, lang), caption=Label(
        "Each point is the cheapest mix found for its P (the same front as sweeping alpha)",
        "每个点为该概率下搜索到的成本最低组合(等同于遍历 α)"))
    f = result.front
    shown = f.iloc[np.unique(np.linspace(0, len(f) - 1, min(len(f), FRONT_ROWS_SHOWN)).round().astype(int))]
    rep.add_table(shown[["cost_2004_2010", "p_all", "p_within_envelope", *result.space.names]],
                  caption=Label(f"{len(shown)} of the {len(f)} points of the front (all in front.csv)",
                                f"前沿 {len(f)} 个点中的 {len(shown)} 个(全部见 front.csv)"),
                  columns={"cost_2004_2010": Label("Cost", "成本"), "p_all": Label("P(all met)", "全部达标概率"),
                           "p_within_envelope": Label("P(within envelope)", "不超预算概率")})

    rep.add_heading(Label("What binds", "约束因素"))
    bt = result.binding_targets.copy()
    bt["target_id"] = [tl[x].zh if zh else tl[x].en for x in bt.target_id]
    rep.add_table(bt[["target_id", "p_met", "sole_blocker_share", "binding"]],
                  caption=Label("Targets at the chosen mix: the share of states in which a target is the only one "
                                "missed is what relaxing it alone would add to P(all met)",
                                "选定组合下各目标:某目标为唯一未达成目标的状态比例,即单独放宽该目标可增加的全部达标概率"),
                  columns={"target_id": Label("Target", "目标"), "p_met": Label("P(met)", "达标概率"),
                           "sole_blocker_share": Label("Only target missed", "唯一未达成比例"),
                           "binding": Label("Binding", "约束性")},
                  formats={"p_met": "{:.3f}", "sole_blocker_share": "{:.3f}"})
    reach = result.reach.copy()
    reach["target_id"] = [tl[x].zh if zh else tl[x].en for x in reach.target_id]
    rep.add_table(reach, caption=Label("How far the instruments can take each target", "政策工具对各目标的可达程度"),
                  columns={"target_id": Label("Target", "目标"), "p_scenario_mix": Label("P, scenario's mix", "原组合概率"),
                           "p_chosen_mix": Label("P, chosen mix", "选定组合概率"),
                           "p_highest_found": Label("Highest P found", "搜索到的最高概率")},
                  formats={c: "{:.3f}" for c in ("p_scenario_mix", "p_chosen_mix", "p_highest_found")})

    rep.add_heading(Label("Scenario discovery (PRIM)", "情景发现(PRIM)"))
    rep.add_paragraph(Label(
        f"Boxes of instrument ranges and uncertain inputs where a target is met with high density (Bryant & Lempert "
        f"2010), from {s.prim_samples} mixes drawn over the instruments' ranges, each under one state of the sample.",
        f"在政策工具取值范围和不确定输入中寻找目标高概率达成的区域(Bryant & Lempert 2010),"
        f"基于在工具范围内抽取的 {s.prim_samples} 个组合(每个对应样本中的一个状态)。"))
    labels = dict(il)
    boxes = result.prim_boxes
    for tid in ["all", *result.target_ids]:
        rows = boxes[boxes.target == tid]
        if rows.empty:
            continue
        head = ("全部目标" if zh else "all targets") if tid == "all" else (tl[tid].zh if zh else tl[tid].en)
        rep.add_paragraph(f"{head}: {box_statement(rows, labels, lang)}")

    rep.add_heading(Label("Method", "方法"))
    rep.add_paragraph(Label(
        "Decision variables: one level per instrument that costs yuan, held in every year 2004-2010 (and sector), "
        "within the registry range. States of the world are drawn once from the scenario's uncertainty block and "
        "every mix is scored on the same states (sample-average approximation); the policy is never sampled. "
        "Cost = total cost of all instruments 2004-2010, 100m yuan nominal, averaged over the states. Front: NSGA-II "
        "(pymoo), a whole population x states in one array call, stopped when the hypervolume stalls. Cheapest mix: "
        "differential evolution (scipy, vectorised) on cost + penalty: any mix meeting the exact SAA constraint beats "
        "any that does not; infeasible mixes are ranked by the exact shortfall plus a smoothed one (logistic of the "
        "scaled target gaps), since P is a step function; then a coordinate descent lowers each instrument while the "
        "exact constraint holds.",
        "决策变量:每项有资金成本的政策工具一个水平,2004—2010年(及各行业)相同,取值在登记表范围内。"
        "世界状态从情景的不确定性设定中一次抽取,所有组合在同一批状态上评价(样本平均近似);政策本身从不抽样。"
        "成本为2004—2010年全部政策工具的总成本(亿元,现价)在各状态上的平均值。前沿:NSGA-II(pymoo),"
        "每代种群×状态一次数组调用,超体积停滞即停止。最低成本组合:差分进化(scipy,向量化),目标为成本加惩罚:"
        "满足精确样本约束的组合总优于不满足者;不满足者按精确缺口加平滑缺口(目标差距的逻辑函数)排序,"
        "因为概率是阶梯函数;随后逐个下调工具水平,直至精确约束不再满足。"))
    h = result.history
    conv = bool(h.converged.iloc[-1]) if len(h) else False
    rep.add_paragraph(Label(
        f"{len(h)} generations, {result.rows_evaluated:,} model evaluations (mix x state), "
        f"{result.timings.get('total', float('nan')):.1f} s; front {'converged' if conv else 'NOT converged'} "
        f"(hypervolume change below {s.hv_tol:g} over {s.stall} generations).",
        f"{len(h)} 代,模型运行 {result.rows_evaluated:,} 次(组合×状态),用时 {result.timings.get('total', float('nan')):.1f} 秒;"
        f"前沿{'已收敛' if conv else '未收敛'}(超体积在 {s.stall} 代内变化小于 {s.hv_tol:g})。"))
    return rep


def write_search(result, out_dir: str | Path) -> Path:
    """Write every file of the search into ``out_dir`` atomically (the mix file is validated first)."""
    from model.scenario import ScenarioError, load_scenario

    out_dir = Path(out_dir)
    with atomic_directory(out_dir) as tmp:
        mix_text = result.scenario_yaml(out_dir)
        (tmp / MIX_FILE).write_text(mix_text, encoding="utf-8")
        try:
            load_scenario(tmp / MIX_FILE, extends_roots=[Path(result.scenario.path).resolve().parent])
        except ScenarioError as exc:
            raise SearchWriteError(f"the mix file does not validate (nothing written): {exc}") from None
        write_csv(result.front, tmp / "front.csv")
        write_csv(result.recheck, tmp / "recheck.csv")
        write_csv(result.binding_targets, tmp / "binding_targets.csv")
        write_csv(result.binding_instruments, tmp / "binding_instruments.csv")
        write_csv(result.reach, tmp / "reach.csv")
        write_csv(result.prim_boxes, tmp / "prim_boxes.csv")
        write_csv(result.history, tmp / "convergence.csv")
        from model.reporting.html import figure_png

        fig = front_chart(result, "en")
        (tmp / "front.png").write_bytes(figure_png(fig))
        for lang in REPORT_LANGS:
            build_report(result, lang, MarkdownReport).write(tmp / f"report.{lang}.md")
            build_report(result, lang, HtmlReport).write(tmp / f"report.{lang}.html")
        s = result.settings
        manifest = {
            "scenario": str(result.scenario.path),
            "settings": {k: v for k, v in s.__dict__.items()},
            "recheck_samples": s.n_recheck,
            "reached": result.reached, "best_p": result.best_p, "chosen": result.chosen, "mix": result.mix,
            "instruments_searched": list(result.space.names), "instruments_held": list(result.space.held),
            "targets": list(result.target_ids), "rows_evaluated": result.rows_evaluated,
            "timings_s": result.timings,
            **provenance([Path(p) for p in result.scenario.chain]),
        }
        (tmp / "manifest.json").write_text(to_json(manifest, indent=2), encoding="utf-8")
    return out_dir
