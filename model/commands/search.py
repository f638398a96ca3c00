"""``mfgbase search``: the cheapest mix of instruments reaching the targets with probability alpha,
the cost-P front, a re-check on fresh states, what binds and the PRIM boxes.

    mfgbase search scenarios/plan-2004.yaml --alpha 0.8 --samples 1000 --seed 0
    mfgbase search scenarios/plan-2004.yaml --alpha 0.6 --lock power_capacity=0.25 --budget 600 --workers 2

Every option is checked before any work: a bad one gets one message, exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from model.commands._arguments import integer

_whole = integer("a whole number")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "search",
        help="find the cheapest instrument mix reaching the targets with probability alpha, and the cost-P front",
        description=(
            "Search the levels of the scenario's costed instruments (one level per instrument, 2004-2010) for the "
            "cheapest mix with P(all scored targets met) >= alpha over a fixed sample of states of the world "
            "(the scenario's uncertainty: block), and the front of cost against P. Writes "
            "results/<scenario>-search/: front, cheapest-mix.yaml (extends the scenario), re-check on fresh "
            "states, binding targets and instruments, PRIM boxes, report.zh/en (md, html); atomically."
        ),
    )
    p.add_argument("scenario", help="scenario YAML file, e.g. scenarios/plan-2004.yaml")
    p.add_argument("--alpha", default="0.8", help="required P(all scored targets met), strictly between 0 and 1 (default 0.8)")
    p.add_argument("--budget", default=None, help="cap on the expected cost 2004-2010, 100m yuan nominal (default: none)")
    p.add_argument("--lock", action="append", default=[], metavar="NAME=VALUE",
                   help="hold an instrument at a level in every year 2004-2010 (repeatable)")
    p.add_argument("--require", action="append", default=[], metavar="TARGET=P",
                   help="also require P(this target met) >= P (repeatable)")
    p.add_argument("--targets", default=None, metavar="ID,ID",
                   help="score only these targets in P(all met) (default: every modelled target)")
    p.add_argument("--samples", dest="search_states", type=_whole, default=1000,
                   help="states of the world of the search (default 1000)")
    p.add_argument("--recheck-samples", type=_whole, default=None,
                   help="fresh states for the re-check (default 4 x --samples)")
    p.add_argument("--seed", type=_whole, default=None, help="seed (default: the scenario's seed, else 0)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--workers", type=_whole, default=None, help="evaluate on K local dask worker processes")
    g.add_argument("--scheduler", default=None, help="dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--population", type=_whole, default=40, help="mixes per generation of the front search (default 40)")
    p.add_argument("--generations", type=_whole, default=60, help="most generations of the front search (default 60)")
    p.add_argument("--per-target", action="store_true", help="per-target P as extra objectives of the front")
    p.add_argument("--prim-samples", type=_whole, default=2000,
                   help="mixes x states drawn for the PRIM boxes (0 = skip; default 2000)")
    p.add_argument("--out", default=None, help="output folder (default results/<scenario>-search)")
    p.set_defaults(func=run_cli)


def _pairs(items, option: str) -> dict[str, float]:
    from model.studies.search import SearchError

    out = {}
    for item in items:
        name, sep, text = str(item).partition("=")
        name = name.strip()
        if not sep or not name:
            raise SearchError(f"{option} {item!r}: expected TARGET=P, e.g. {option} fdi_share=0.9")
        try:
            out[name] = float(text)
        except ValueError:
            raise SearchError(f"{option} {name}: {text.strip()!r} is not a number") from None
    return out


def _number(text, option: str):
    from model.studies.search import SearchError

    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise SearchError(f"{option}: {text!r} is not a number") from None


def run_cli(args: argparse.Namespace) -> int:
    from model.outputs.atomic import check_output_dir, default_output_dir
    from model.outputs.search import write_search
    from model.run import load_model, resolve_inputs
    from model.safeio.resources import cap_workers, check_scheduler
    from model.scenario import load_scenario
    from model.studies.search import SearchSettings, decision_space, parse_locks, search
    from model.studies.search.space import SearchError, instrument_decisions
    from model.studies.search.study import _cost_variables, check_settings

    alpha = _number(args.alpha, "--alpha")
    budget = _number(args.budget, "--budget")
    locks = parse_locks(args.lock)
    floors = _pairs(args.require, "--require")
    targets = tuple(t.strip() for t in args.targets.split(",") if t.strip()) if args.targets is not None else None
    if args.workers is not None and args.workers <= 0:
        raise SearchError(f"--workers must be a positive whole number, got {args.workers}")
    def settings_with(seed: int) -> SearchSettings:
        return SearchSettings(alpha=alpha, budget=budget, locks=locks, per_target=floors, targets=targets,
                              samples=args.search_states, recheck_samples=args.recheck_samples, seed=seed,
                              pop_size=args.population, max_gen=args.generations,
                              per_target_objectives=args.per_target, prim_samples=args.prim_samples)

    check_settings(settings_with(args.seed if args.seed is not None else 0))  # before any file is read
    scen = load_scenario(args.scenario)  # ScenarioError -> exit 2 in model.cli
    seed = args.seed if args.seed is not None else (scen.spec.seed if scen.spec.seed is not None else 0)
    settings = settings_with(seed)
    model = load_model()
    check_settings(settings, tuple(t.target_id for t in model.targets if t.modelled))
    decision_space(instrument_decisions(resolve_inputs(model, scen), _cost_variables()), locks)
    workers, note = cap_workers(args.workers)
    if note:
        print(f"note: {note}", file=sys.stderr)
    if args.scheduler is not None:
        check_scheduler(args.scheduler, error=SearchError)
    out = Path(args.out) if args.out else default_output_dir(f"{scen.id}-search")
    check_output_dir(out)  # refuse before the search runs; the writer checks again before the swap
    opts = {k: v for k, v in settings.__dict__.items() if k != "alpha"}
    opts.update(workers=workers, scheduler=args.scheduler)
    res = search(scen, settings.alpha, model=model, **opts)
    write_search(res, out)
    rc = res.recheck.set_index("target").loc["all"]
    name = f"{scen.spec.name.zh} / {scen.spec.name.en}"
    if res.reached:
        print(f"{name}: cheapest mix with P(all met) >= {alpha:g}: cost {res.chosen['cost']:,.1f} "
              f"(100m yuan nominal, 2004-2010; envelope {res.envelope_2004_2010:,.1f}), P {res.chosen['p_all']:.3f}")
    else:
        print(f"{name}: no mix within the ranges{'' if budget is None else ' and budget'} reaches P(all met) >= "
              f"{alpha:g}; best P found {res.best_p:.3f} (mix written: the highest P, cost {res.chosen['cost']:,.1f})")
    print(f"  re-check on {int(rc.n_fresh)} fresh states: P {rc.p_fresh:.3f} [{rc.low:.3f}, {rc.high:.3f}]"
          + (f" - FLAGGED: short of alpha by {rc.shortfall:.3f} (> 2 s.e.)" if rc.flag else ""))
    for n, v in res.mix.items():
        print(f"  {n:<26} {v:>12,.4g}")
    print(f"  {len(res.front)} points on the front, {len(res.history)} generations, {res.rows_evaluated:,} runs, "
          f"{res.timings['total']:.1f} s")
    print(f"results written to {os.fspath(out)}/")
    return 0
