"""``mfgbase calibrate``: fit, back-test and write calibration/parameters.yaml and the report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _cmd(args: argparse.Namespace) -> int:
    from model.calibrate.api import calibrate

    t0 = time.perf_counter()
    if args.check:
        target = Path(args.params_out) if args.params_out else None
        res = calibrate(args.calibration_dir, write=False)
        from model.paths import CALIBRATION_DIR

        path = target or Path(args.calibration_dir or CALIBRATION_DIR) / "parameters.yaml"
        same = path.exists() and path.read_text(encoding="utf-8") == res.text
        print(f"{path}: {'up to date' if same else 'DIFFERS from a fresh calibration'}")
        return 0 if same else 1
    res = calibrate(args.calibration_dir, params_out=args.params_out, priors_out=args.priors_out,
                    report_dir=args.report_dir, report=not args.no_report)
    f = res.fit
    for n in f.names:
        mark = "default" if f.calibrated(n) else "prior kept"
        print(f"  {n:<11} {f.theta[n]:.4f} ± {f.se[n]:.4f}  ({f.status(n)}, {mark})")
    for s, r in res.backtest.items():
        print(f"  back-test {s:<14} MAPE model {r.mape_model:5.2f}%  naive {r.mape_naive:5.2f}%  -> {r.winner}")
    for k, p in res.paths.items():
        print(f"{k}: {p}")
    print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("calibrate", help="fit dynamic parameters to 1995-2003 statistics, back-test, report")
    p.add_argument("--calibration-dir", help="calibration folder (default calibration/)")
    p.add_argument("--params-out", help="where to write parameters.yaml (default <calibration-dir>/parameters.yaml)")
    p.add_argument("--priors-out", help="priors.yaml whose `calibrated:` block is rewritten (default <calibration-dir>/priors.yaml)")
    p.add_argument("--report-dir", help="report folder (default results/calibration)")
    p.add_argument("--no-report", action="store_true", help="skip report.md and plots")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if parameters.yaml is stale")
    p.set_defaults(func=_cmd)
