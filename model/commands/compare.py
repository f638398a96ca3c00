"""``mfgbase compare`` and ``mfgbase diff``: thin layer over model.studies.compare and its writer."""

from __future__ import annotations

import argparse
import time
import unicodedata
from pathlib import Path

import pandas as pd


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


def format_table(df: pd.DataFrame, max_cell: int = 60) -> str:
    """A plain-text table that stays aligned with Chinese text (wide characters count 2)."""

    def cell(v) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return "—"
        s = f"{v:.4g}" if isinstance(v, float) else str(v)
        return s if len(s) <= max_cell else s[: max_cell - 1] + "…"

    rows = [[str(c) for c in df.columns]] + [[cell(v) for v in r] for r in df.itertuples(index=False)]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(df.columns))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _check_lang(lang: str) -> None:
    from model.errors import InvalidInput

    if lang not in ("zh", "en"):
        raise InvalidInput(f"--lang: {lang!r} not allowed; allowed: zh, en")


def _cmd_compare(args: argparse.Namespace) -> int:
    from model.errors import InvalidInput
    from model.outputs.atomic import check_output_dir
    from model.outputs.compare import write_comparison
    from model.scenario import load_scenario
    from model.studies.compare import compare

    if len(args.files) < 2:
        raise InvalidInput("compare needs at least two scenario files (the first is the reference)")
    t0 = time.perf_counter()
    scens = [load_scenario(f) for f in args.files]  # all validated before anything is written
    if args.out:
        check_output_dir(args.out)  # refuse before any work; the writer checks again before the swap
    cmp = compare(scens, lang=args.lang)
    out = Path(args.out) if args.out else cmp.default_dir()
    check_output_dir(out)
    write_comparison(cmp, out, lang=args.lang, pdf=args.pdf)
    oc = cmp.outcomes
    zh = args.lang == "zh"
    for sid in cmp.ids:
        met = int(oc[oc["scenario"] == sid]["met"].sum())
        ref = "(参照)" if zh else " (reference)"
        name = cmp.name(sid)
        print(f"{name}{ref if sid == cmp.reference else ''}: "
              + (f"2007年达成 {met}/{oc['target_id'].nunique()} 项目标" if zh else f"{met} of {oc['target_id'].nunique()} targets met in 2007"))
    from model.outputs.compare import report_name

    print(f"{len(cmp.levers)} differing input fields; report: {out / report_name(args.lang)} "
          f"(also {report_name('en' if zh else 'zh')}{', PDF' if args.pdf else ''}; "
          f"{time.perf_counter() - t0:.1f} s)")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from model.studies.compare import diff
    from model.studies.compare.diff import shown_with_units

    _check_lang(args.lang)
    df = diff(args.a, args.b)
    if df.empty:
        print("两个情景的杠杆与假设完全相同。" if args.lang == "zh" else "No differences in levers, assumptions, parameters or switches.")
        return 0
    label = "label_zh" if args.lang == "zh" else "label_en"
    ids = list(df.columns[df.columns.get_loc("unit") + 1 :])
    show = shown_with_units(df, ids, args.lang)  # every value with its unit, from the registry
    show = show.drop(columns=["group", "unit", "label_en" if args.lang == "zh" else "label_zh"])
    show = show.rename(columns={label: "杠杆/假设" if args.lang == "zh" else "lever / assumption",
                                "field": "字段" if args.lang == "zh" else "field"})
    show = show[[show.columns[1], show.columns[0], *show.columns[2:]]]
    print(format_table(show))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "compare",
        help="compare scenarios (the first is the reference): outcomes, lever differences, charts, report",
    )
    p.add_argument("files", nargs="+", help="scenario YAML files; the first is the reference")
    p.add_argument("--out", help="output folder (default results/compare-<names>)")
    p.add_argument("--lang", default="zh", choices=("zh", "en"),
                   help="language printed and listed first (both reports are written; default zh)")
    p.add_argument("--pdf", action="store_true", help="also print report.zh.pdf and report.en.pdf (A4, headless Chromium)")
    p.set_defaults(func=_cmd_compare)
    p = subparsers.add_parser("diff", help="lever and assumption differences between two scenarios (after extends)")
    p.add_argument("a", help="scenario YAML file A")
    p.add_argument("b", help="scenario YAML file B")
    p.add_argument("--lang", default="zh", choices=("zh", "en"), help="label language (default zh)")
    p.set_defaults(func=_cmd_diff)
