"""``mfgbase sensitivity``: the sensitivity and uncertainty study of a scenario.

    mfgbase sensitivity scenarios/plan-2004.yaml --method sobol --samples 16384 --workers 2
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from model.commands._arguments import integer
from model.outputs.atomic import check_output_dir, default_output_dir
from model.safeio.resources import cap_workers, check_scheduler
from model.uq import METHODS

_positive_int = integer("a positive integer")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sensitivity",
        help="global sensitivity and uncertainty analysis of a scenario (Sobol, Morris, ...)",
        description=(
            "Vary the states of the world of the scenario's uncertainty: block (all priors by default, "
            "plus the listed assumptions; never levers), run the model for every sample and report "
            "sensitivity indices, P(target met), first year reached, Monte Carlo filtering, the inputs "
            "that move nothing with the reason each stays, and the instrument response (each "
            "instrument over its range on the P(met | policy) sample). Results go to "
            "results/<scenario>-sensitivity-<method>/ (written atomically)."
        ),
    )
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/plan-2004.yaml")
    p.add_argument("--method", default="sobol", help=f"one of {', '.join(METHODS)} (default sobol)")
    p.add_argument("--samples", "-n", type=_positive_int, default=1024,
                   help="base sample size N (Sobol: power of two, N(D+2) runs; Morris: trajectories)")
    p.add_argument("--seed", type=int, default=None, help="seed (default: the scenario's seed, else 0)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--workers", type=_positive_int, default=None,
                   help="evaluate on K local dask worker processes")
    g.add_argument("--scheduler", default=None, help="dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--out", default=None, help="output folder (default results/<scenario>-sensitivity-<method>)")
    p.add_argument("--until-ci", type=float, default=None, metavar="W",
                   help="double N until the widest ST (mu* for Morris) 95%% interval is narrower than W")
    p.add_argument("--max-samples", type=_positive_int, default=None,
                   help="cap on N for --until-ci (default max(N, 32768))")
    p.add_argument("--per-year", action="store_true", help="also indices for every year 2004-2010")
    p.add_argument("--no-figures", action="store_true", help="write tables and summary only")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_cli)


def run_cli(args: argparse.Namespace) -> int:
    from model.errors import InvalidInput
    from model.outputs.sensitivity import write_study
    from model.scenario import load_scenario
    from model.studies.sensitivity import StudyError, study
    from model.uq import canonical_method

    try:
        method = canonical_method(args.method)
    except ValueError as exc:
        raise InvalidInput(f"--method: {exc}") from None
    if args.samples is None or args.samples <= 0:
        raise InvalidInput(f"--samples must be a positive integer, got {args.samples}")
    if args.workers is not None and args.workers <= 0:
        raise InvalidInput(f"--workers must be a positive integer, got {args.workers}")
    if args.until_ci is not None and not args.until_ci > 0:
        raise InvalidInput(f"--until-ci must be > 0, got {args.until_ci}")
    if args.max_samples is not None and args.max_samples < args.samples:
        raise InvalidInput(f"--max-samples ({args.max_samples}) must be >= --samples ({args.samples})")
    workers, note = cap_workers(args.workers)
    if note:
        print(f"note: {note}", file=sys.stderr)
    if args.scheduler is not None:
        check_scheduler(args.scheduler, error=InvalidInput)  # fails in seconds, not after a timeout
    scen = load_scenario(args.scenario)  # ScenarioError -> exit 2 in model.cli
    seed = args.seed if args.seed is not None else (scen.spec.seed if scen.spec.seed is not None else 0)
    out = Path(args.out) if args.out else default_output_dir(f"{scen.id}-sensitivity-{method}")
    check_output_dir(out)  # refuse before the study runs; the writer checks again before the swap
    try:
        st = study(
            args.scenario, method, args.samples, seed, workers=workers, scheduler=args.scheduler,
            per_year=args.per_year, until_ci_width=args.until_ci, max_n=args.max_samples,
            progress=not args.quiet,
        )
    except StudyError as exc:
        raise InvalidInput(str(exc)) from None
    write_study(st, out, figures=not args.no_figures)
    print(f"{st.scenario_name['zh']} / {st.scenario_name['en']}: {method}, N={st.n} "
          f"({st.samples.n_rows:,} runs), {st.problem.num_vars} inputs, {st.timings['total']:.1f} s")
    print(f"  {st.convergence_message}")
    prob = st.probabilities
    for t in st.targets:
        r = prob.loc[t.target_id]
        top = st.top_drivers(t.target_id, 3)
        drivers = ", ".join(f"{i} {v:.2f}" for i, v in zip(top["input"], top["value"], strict=True))
        print(f"  P(met) {r['p']:.2f} [{r['boot_lo']:.2f}, {r['boot_hi']:.2f}]  {t.target_id:<26} {drivers}")
    r = prob.loc["all"]
    print(f"  P(all met) {r['p']:.3f} [{r['boot_lo']:.3f}, {r['boot_hi']:.3f}]")
    print(f"results written to {os.fspath(out)}/")
    return 0
