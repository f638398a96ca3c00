"""The ``mfgbase`` command: a thin layer over the Python API.

    mfgbase run scenarios/plan-2004.yaml          # project, score, write results/plan-2004/
    mfgbase validate scenarios/*.yaml             # check files without running

Further commands (compare, diff, sensitivity, calibrate) register themselves from
``model/commands/`` (one module per command family). Exit codes: 0 success, 2 invalid input (message names file and
field), 1 other failures. No tracebacks for expected errors (set MFGBASE_DEBUG=1 to see them).
"""

from __future__ import annotations

from model import interrupts

if __name__ == "__main__":  # ``python -m model.cli``: Ctrl-C safe before the heavy imports start
    interrupts.deliver_outside_imports()

import argparse  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from model.errors import InputError, InvalidInput, MfgbaseError

PLUGINS = ("model.commands.compare", "model.commands.levers", "model.commands.sensitivity", "model.commands.calibrate",
           "model.commands.dashboard", "model.commands.search")
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
MESSAGE_LINES = 40  # an error message longer than this is cut (a hostile input cannot flood)

__all__ = ["EXIT_INVALID", "InvalidInput", "build_parser", "console_main", "main"]


def _draws(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--draws: {text!r} is not a whole number") from None
    if not 0 <= n <= 100_000:
        raise argparse.ArgumentTypeError(f"--draws: {n} out of range; allowed 0 to 100000")
    return n


def _cmd_run(args: argparse.Namespace) -> int:
    from model.outputs import write_run
    from model.outputs.atomic import check_output_dir, default_output_dir
    from model.run import load_model, run_scenario
    from model.scenario import load_scenario

    scen = load_scenario(args.scenario)
    out = Path(args.out) if args.out else default_output_dir(scen.id)
    check_output_dir(out)  # refuse before any work; write_run checks again before the swap
    model = load_model()
    result = run_scenario(scen, model=model)
    summ = result.budget_summary()
    over = (f"over budget in {', '.join(map(str, summ['years_over_budget']))}: cost {summ['cost_2004_2010']:,.1f} "
            f"against an envelope of {summ['budget_2004_2010']:,.1f} (100m yuan, nominal, 2004-2010), "
            f"overrun {summ['overrun_2004_2010']:,.1f}")
    if summ["over_budget"] and args.strict_budget:
        raise InvalidInput(f"{scen.path}: levers: the scenario is {over}; --strict-budget rejects it (nothing written)")
    from model.studies.policy import p_met_given_policy

    probabilities = p_met_given_policy(scen, model, n=args.draws) if args.draws else None
    write_run(result, out, probabilities, iamc=args.format == "iamc")
    sc = result.scorecard(probabilities=probabilities)
    met = int(sc["met"].sum())
    print(f"{scen.spec.name.zh} / {scen.spec.name.en}: {met} of {len(sc)} targets met in 2007")
    print(f"  cost {summ['cost_2004_2010']:,.1f} of a budget envelope of {summ['budget_2004_2010']:,.1f} "
          f"(100m yuan, nominal, 2004-2010)" + (f" - OVER BUDGET: {over}" if summ["over_budget"] else ""))
    for row in sc.itertuples():
        mark = "met   " if row.met else "missed"
        if row.scoring == "decision":
            mark += " by decision"
        elif probabilities is not None:
            mark += f" P={row.p_met:.2f}"
        val = f"{100 * row.value:.2f}%" if row.unit == "ratio" else f"{row.value:,.1f}"
        tgt = f"{100 * row.target:.2f}%" if row.unit == "ratio" else f"{row.target:,.0f}"
        band = (f"  within the {100 * row.tolerance:.0f} % band of an \"about\" target"
                if row.within_band and not row.met else "")
        print(f"  [{mark}] task {row.task:>2} {row.target_id:<28} {val:>10}  target {row.comparator} {tgt}{band}")
    from model.targets import load_target_notes

    for note in load_target_notes():
        print(f"  [n/a   ] task {note.task:>2} {note.target_id:<28} not scored: the data cannot support it (see scorecard.md)")
    print(report(f"results written to {out}/"))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from model.scenario import ScenarioError, load_scenario

    failures = 0
    for f in args.files:
        try:
            scen = load_scenario(f)
        except ScenarioError as exc:
            failures += 1
            print(report(exc), file=sys.stderr)
        else:
            print(report(f"{f}: ok ({scen.spec.name.en} / {scen.spec.name.zh})"))
            from model.scenario.shadowing import shadowing_warnings

            for w in shadowing_warnings(scen):
                print(report(f"warning: {w}"), file=sys.stderr)
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
    p.add_argument("--strict-budget", action="store_true",
                   help="reject a scenario whose instruments cost more than the budget envelope in any year (exit 2, nothing written)")
    p.add_argument("--draws", type=_draws, default=1000,
                   help="states of the world drawn for P(met | policy) (0 = skip; default 1000, at most 100000)")
    p.add_argument("--format", choices=("default", "iamc"), default="default",
                   help="iamc: also write projection_iamc.csv (IAMC / pyam layout)")
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
    from model.commands.help import make_bilingual

    return make_bilingual(parser)


def report(exc: BaseException | str) -> str:
    """One printable error message: control characters escaped, at most MESSAGE_LINES lines."""
    from model.safeio.text import escape

    lines = [escape(line)[:1000] for line in str(exc).splitlines()] or [type(exc).__name__]
    if len(lines) > MESSAGE_LINES:
        lines = [*lines[:MESSAGE_LINES], f"... and {len(lines) - MESSAGE_LINES} more lines"]
    return "\n".join(lines)


def _print_error(exc: BaseException | str) -> None:
    print(f"error: {report(exc)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run one command; expected failures print one message (no traceback) and set the exit code."""
    debug = bool(os.environ.get("MFGBASE_DEBUG"))
    installed = interrupts.deliver_outside_imports()
    try:
        return _main(argv, debug)
    finally:
        if installed:  # called in-process (tests, notebooks): leave Ctrl-C as it was
            interrupts.restore()


def console_main() -> int:
    """Entry point of the ``mfgbase`` command and of ``python -m model.cli``.

    As :func:`main`; once the command has finished, a Ctrl-C still in flight has nothing left to stop
    and is ignored (it would otherwise surface as a traceback in the interpreter's exit).
    """
    interrupts.deliver_outside_imports()
    code = main()
    interrupts.ignore_from_now_on()
    return code


def _main(argv: list[str] | None, debug: bool) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except InputError as exc:
        _print_error(exc)
        return EXIT_INVALID
    except MfgbaseError as exc:
        if debug:
            raise
        _print_error(exc)
        return 1
    except KeyboardInterrupt:
        print("interrupted; earlier results are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except MemoryError:
        if debug:
            raise
        _print_error("out of memory; use fewer --samples or --workers (earlier results are unchanged)")
        return 1
    except OSError as exc:
        if debug:
            raise
        from model.safeio.files import describe_os_error
        from model.safeio.text import shown_path

        where = f"{shown_path(exc.filename)}: " if exc.filename else ""
        _print_error(f"{where}{describe_os_error(exc)}")
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: a planner never sees a traceback
        if debug:
            raise
        _print_error(f"internal error ({type(exc).__name__}: {exc}); this is a bug in mfgbase — rerun "
                     f"with MFGBASE_DEBUG=1 for the details and report it")
        return 1


if __name__ == "__main__":
    sys.exit(console_main())
