"""Regenerate docs/model.md §9 (default-run reference values) and §6's parameter table, or check them.

    .venv/bin/python tools/reference_values.py           # rewrite the block in docs/model.md
    .venv/bin/python tools/reference_values.py --check   # exit 1 if the doc differs from a run

The block sits between the markers ``<!-- reference-values:begin -->`` and
``<!-- reference-values:end -->``; everything in it is written here from
``run_scenario`` on ``scenarios/baseline.yaml`` and ``scenarios/plan-2004.yaml`` with the default
parameters, so it cannot go stale silently: ``tests/test_docs_reference.py`` re-runs both scenarios
and compares every number of the block within the rounding of its printed digits. The parameter
table of §6 (between ``<!-- parameters:begin -->`` and ``<!-- parameters:end -->``) is written
from calibration/priors.yaml and calibration/parameters.yaml and must match exactly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "model.md"
BEGIN, END = "<!-- reference-values:begin -->", "<!-- reference-values:end -->"
PARAMS_BEGIN, PARAMS_END = "<!-- parameters:begin -->", "<!-- parameters:end -->"
SCENARIOS = ("baseline", "plan-2004")

# indicator, label in the table, format (digits printed: the check's tolerance)
ROWS = (
    ("rd_sales_ratio", "rd_sales_ratio (strict)", "{:.4f}"),
    ("rd_sales_ratio_hightech", "rd_sales_ratio_hightech", "{:.4f}"),
    ("xd_share_china", "xd_share_china", "{:.4f}"),
    ("fdi_share", "fdi_share (reading c)", "{:.4f}"),
    ("firms_over_10bn", "firms_over_10bn", "{:.2f}"),
    ("energy_intensity", "energy_intensity (tce / 10k yuan)", "{:.3f}"),
    ("energy_intensity_change", "energy_intensity_change", "{:.3f}"),
    ("power_curtailment", "power_curtailment", "{:.4f}"),
    ("clean_production", "clean_production", "{:.3f}"),
    ("erp_share", "erp_share (above-size)", "{:.3f}"),
    ("informatized_large_medium", "informatized_large_medium", "{:.3f}"),
    ("national_centres", "national_centres", "{:.0f}"),
    ("manufacturing_value_added", "manufacturing_value_added (100m yuan, 2003 prices)", "{:,.1f}"),
)


def _runs():
    sys.path.insert(0, str(ROOT))
    from model.run import run_scenario

    return {name: run_scenario(ROOT / "scenarios" / f"{name}.yaml") for name in SCENARIOS}


def _target_text(tgt) -> str:
    value = f"{tgt.value:.4g}"
    return f"{'≥' if tgt.comparator == '>=' else '≤'} {value}"


def block(runs=None) -> str:
    """The markdown of §9's generated part (between the markers)."""
    runs = runs or _runs()
    base, plan = runs["baseline"], runs["plan-2004"]
    years = list(base.years)
    t03, t07 = years.index(2003), years.index(2007)
    targets = {t.indicator: t for t in base.model.targets}
    lines = [
        "| indicator | 2003 | 2007 (baseline) | 2007 (plan-2004) | target |",
        "|---|---|---|---|---|",
    ]
    for ind, label, fmt in ROWS:
        v03 = base.indicators[ind].value[0, t03]
        vb, vp = base.indicators[ind].value[0, t07], plan.indicators[ind].value[0, t07]
        tgt = _target_text(targets[ind]) if ind in targets else "—"
        lines.append(f"| {label} | {fmt.format(v03)} | {fmt.format(vb)} | {fmt.format(vp)} | {tgt} |")
    lines.append("")
    for name, r in runs.items():
        sc = r.scorecard()
        scored = sc[sc["scoring"].isin(["modelled", "decision"])]
        met = scored[scored["met"].astype(bool)]
        by_decision = met[met["scoring"] == "decision"]["target_id"].tolist()
        modelled = met[met["scoring"] == "modelled"]["target_id"].tolist()
        b = r.budget_summary()
        lines.append(
            f"- **{name}**: {len(met)} of {len(scored)} targets met in 2007 "
            f"(modelled: {', '.join(f'`{x}`' for x in modelled) or 'none'}; "
            f"by decision: {', '.join(f'`{x}`' for x in by_decision) or 'none'}); "
            f"instrument cost 2004–2010 {b['cost_2004_2010']:,.1f} against a budget of "
            f"{b['budget_2004_2010']:,.1f} (100m yuan nominal)."
        )
    rd = plan.indicators["rd_sales_ratio"].value[0]
    ht = plan.indicators["rd_sales_ratio_hightech"].value[0]
    lines.append(
        "- plan-2004 R&D / sales by year 2003–2010 (strict): "
        + ", ".join(f"{100 * x:.3f} %" for x in rd)
        + "; high-tech: " + ", ".join(f"{100 * x:.3f} %" for x in ht) + "."
    )
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "/").replace("\n", " ").strip()


def parameters_block() -> str:
    """§6's parameter table, from calibration/priors.yaml and calibration/parameters.yaml."""
    sys.path.insert(0, str(ROOT))
    from model.parameters import load_parameters

    ps = load_parameters()
    lines = [
        "| name | prior central | used default | range | distribution | unit | family | kind | source | "
        "why it stays if inert (`sensitivity_note`) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, sp in ps.specs.items():
        used = f"**{sp.fitted:.4g}** (fitted ± {sp.fitted_se:.2g})" if sp.fitted is not None else f"{sp.central:g}"
        lines.append(
            f"| `{name}` | {sp.central:g} | {used} | {sp.low:g} – {sp.high:g} | "
            f"{'truncnorm (fit ± se)' if sp.fitted is not None and sp.fitted_se else sp.distribution} | {sp.unit} | "
            f"{sp.family} | {sp.kind} | {_cell(sp.source)} | {_cell(sp.sensitivity_note) or '—'} |"
        )
    return "\n".join(lines)


def replace_block(text: str, new_block: str, begin: str = BEGIN, end: str = END) -> str:
    """``text`` with the part between the markers replaced (markers kept)."""
    a, b = text.find(begin), text.find(end)
    if a < 0 or b < a:
        raise ValueError(f"{DOC}: markers {begin} ... {end} not found")
    return text[: a + len(begin)] + "\n" + new_block + "\n" + text[b:]


def current_block(text: str, begin: str = BEGIN, end: str = END) -> str:
    a, b = text.find(begin), text.find(end)
    if a < 0 or b < a:
        raise ValueError(f"{DOC}: markers {begin} ... {end} not found")
    return text[a + len(begin) : b].strip("\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = ap.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    new, params = block(), parameters_block()
    if args.check:
        same = current_block(text) == new and current_block(text, PARAMS_BEGIN, PARAMS_END) == params
        print("docs/model.md §6 and §9 are up to date" if same else "docs/model.md §6 or §9 differs from a run")
        return 0 if same else 1
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(replace_block(replace_block(text, new), params, PARAMS_BEGIN, PARAMS_END), encoding="utf-8")
    tmp.replace(DOC)
    print(f"wrote {DOC.relative_to(ROOT)} §6 (parameters) and §9 (reference values)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
