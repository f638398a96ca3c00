"""``mfgbase dashboard``: the planner's page on http://127.0.0.1:PORT/ (model/dashboard/).

    mfgbase dashboard                                   # scenarios/plan-2004.yaml, Chinese, port 5006
    mfgbase dashboard scenarios/rd-led.yaml --lang en --port 5007
"""

from __future__ import annotations

import argparse


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port: {text!r} is not a whole number") from None
    if not 1024 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"--port: {n} out of range; allowed 1024 to 65535")
    return n


def _states(text: str) -> int:
    from model.dashboard.engine import MAX_STATES

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--states: {text!r} is not a whole number") from None
    if not 1 <= n <= MAX_STATES:
        raise argparse.ArgumentTypeError(f"--states: {n} out of range; allowed 1 to {MAX_STATES}")
    return n


def _cmd_dashboard(args: argparse.Namespace) -> int:
    from model.dashboard.app import serve
    from model.errors import InvalidInput
    from model.scenario import load_scenario

    load_scenario(args.scenario)  # a bad file: one message, nothing served
    for opt in ("save_dir", "reports_dir"):
        folder = getattr(args, opt)
        if folder is not None:
            from pathlib import Path

            if not Path(folder).is_dir():
                raise InvalidInput(f"--{opt.replace('_', '-')}: {folder!r} is not an existing folder")
    print(f"mfgbase dashboard: http://127.0.0.1:{args.port}/ ({args.scenario}, {args.lang}); Ctrl-C stops it",
          flush=True)
    serve(args.scenario, port=args.port, lang=args.lang, n_states=args.states, save_dir=args.save_dir,
          reports_dir=args.reports_dir, show=args.show)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "dashboard",
        help="serve the planner's dashboard on 127.0.0.1: instruments, scorecard, cost, P(met), save as scenario",
        description="A local web page: move an instrument and see the 2007 scorecard, P(met | policy), the cost "
                    "against the budget and the path of a target; save the policy as a scenario and compare it.",
    )
    p.add_argument("scenario", nargs="?", default="scenarios/plan-2004.yaml",
                   help="start scenario (default scenarios/plan-2004.yaml)")
    p.add_argument("--port", type=_port, default=5006, help="port on 127.0.0.1 (default 5006)")
    p.add_argument("--lang", default="zh", choices=("zh", "en"), help="language of the page (default zh)")
    p.add_argument("--states", type=_states, default=None,
                   help="states of the world for P(met | policy) (default 1000, as mfgbase run)")
    p.add_argument("--save-dir", help="folder of saved scenarios (default: the start scenario's folder)")
    p.add_argument("--reports-dir", help="folder of compare reports (default results/)")
    p.add_argument("--show", action="store_true", help="open the page in the default browser")
    p.set_defaults(func=_cmd_dashboard)
