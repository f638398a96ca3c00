"""The ``mfgbase`` command: a thin layer over the Python API.

    mfgbase run scenarios/plan-2004.yaml          # project, score, write results/plan-2004/
    mfgbase validate scenarios/*.yaml             # check files without running

Further commands (compare, diff, sensitivity, calibrate) register themselves from
``model/commands/`` (one module per command family). Exit codes: 0 success, 2 invalid input (message names file and
field), 1 other failures. No tracebacks for expected errors (set MFGBASE_DEBUG=1 to see them).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from model.errors import InvalidInput, MfgbaseError
from model.paths import RESULTS_DIR

PLUGINS = ("model.commands.compare", "model.commands.sensitivity", "model.commands.calibrate")
EXIT_INVALID = 2

__all__ = ["EXIT_INVALID", "InvalidInput", "build_parser", "main"]


def _cmd_run(args: argparse.Namespace) -> int:
    from model.outputs import write_run
    from model.run import load_model, run_scenario
    from model.scenario import load_scenario

    scen = load_scenario(args.scenario)
    model = load_model()
    result = run_scenario(scen, model=model)
    out = Path(args.out) if args.out else RESULTS_DIR / scen.id
    write_run(result, out)
    sc = result.scorecard()
    met = int(sc["met"].sum())
    print(f"{scen.spec.name.zh} / {scen.spec.name.en}: {met} of {len(sc)} targets met in 2007")
    for row in sc.itertuples():
        mark = "met   " if row.met else "missed"
        val = f"{100 * row.value:.2f}%" if row.unit == "ratio" else f"{row.value:,.1f}"
        tgt = f"{100 * row.target:.2f}%" if row.unit == "ratio" else f"{row.target:,.0f}"
        print(f"  [{mark}] task {row.task:>2} {row.target_id:<28} {val:>10}  target {row.comparator} {tgt}")
    from model.targets import load_target_notes

    for note in load_target_notes():
        print(f"  [n/a   ] task {note.task:>2} {note.target_id:<28} not scored: the data cannot support it (see scorecard.md)")
    print(f"results written to {out}/")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from model.scenario import ScenarioError, load_scenario

    failures = 0
    for f in args.files:
        try:
            scen = load_scenario(f)
        except ScenarioError as exc:
            failures += 1
            print(str(exc), file=sys.stderr)
        else:
            print(f"{f}: ok ({scen.spec.name.en} / {scen.spec.name.zh})")
    return EXIT_INVALID if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mfgbase",
        description="Scenario model of Zhejiang manufacturing and the 2004 Advanced Manufacturing Base plan targets.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("run", help="run a scenario, write scorecard, projection, charts and manifest")
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/plan-2004.yaml")
    p.add_argument("--out", help="output folder (default results/<scenario file name>)")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("validate", help="check scenario files without running")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.set_defaults(func=_cmd_validate)
    for name in PLUGINS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # capability not installed in this version
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from model.scenario import ScenarioError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ScenarioError, InvalidInput) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except MfgbaseError as exc:
        if os.environ.get("MFGBASE_DEBUG"):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; earlier results are unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
