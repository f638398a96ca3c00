"""``mfgbase calibrate``: fit, back-test and write calibration/parameters.yaml and the report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _cmd(args: argparse.Namespace) -> int:
    from model.outputs.calibration import check_calibration_outputs, write_calibration
    from model.studies.calibrate import calibrate

    t0 = time.perf_counter()
    if args.check:
        from model.paths import CALIBRATION_DIR
        from model.studies.calibrate.api import check
        from model.studies.calibrate.precision import REL_TOLERANCE, SE_TOLERANCE

        path = Path(args.params_out) if args.params_out else \
            Path(args.calibration_dir or CALIBRATION_DIR) / "parameters.yaml"
        diffs = check(args.calibration_dir, path)
        tol = (f"estimates within {SE_TOLERANCE:.0%} of their standard error, other numbers "
               f"within {REL_TOLERANCE:g} relative")
        if not diffs:
            print(f"{path}: up to date ({tol})")
            return 0
        print(f"{path}: DIFFERS from a fresh calibration ({tol}):")
        for d in diffs[:20]:
            print(f"  {d}")
        if len(diffs) > 20:
            print(f"  ... and {len(diffs) - 20} more")
        return 1
    check_calibration_outputs(args.calibration_dir, args.params_out, args.priors_out, args.report_dir,
                              report=not args.no_report)  # before the fit: fail fast, touch nothing
    res = calibrate(args.calibration_dir)
    write_calibration(res, params_out=args.params_out, priors_out=args.priors_out,
                      report_dir=args.report_dir, report=not args.no_report)
    f = res.fit
    for n in f.names:
        mark = "default" if f.calibrated(n) else "prior kept"
        print(f"  {n:<11} {f.theta[n]:.4f} ± {f.se[n]:.4f}  ({f.status(n)}, {mark})")
    for s, r in res.backtest.items():
        print(f"  back-test {s:<14} MAPE model {r.mape_model:5.2f}%  naive {r.mape_naive:5.2f}%  -> {r.winner}")
    for k, p in res.paths.items():
        print(f"{k}: {p}")
    for k, p in res.unchanged.items():
        print(f"{k}: {p} unchanged (agrees with this fit within tolerance)")
    print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("calibrate", help="fit dynamic parameters to 1995-2003 statistics, back-test, report")
    p.add_argument("--calibration-dir", help="calibration folder (default calibration/)")
    p.add_argument("--params-out", help="where to write parameters.yaml (default <calibration-dir>/parameters.yaml)")
    p.add_argument("--priors-out", help="priors.yaml whose `calibrated:` block is rewritten (default <calibration-dir>/priors.yaml)")
    p.add_argument("--report-dir", help="report folder (default results/calibration)")
    p.add_argument("--no-report", action="store_true", help="skip report.md and plots")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if parameters.yaml or the calibrated block of "
                   "priors.yaml differs from a fresh fit beyond tolerance (estimates: 2%% of "
                   "their standard error; other numbers: 0.2%% relative)")
    p.set_defaults(func=_cmd)
