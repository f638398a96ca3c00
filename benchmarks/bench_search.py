"""Benchmark: the policy search on plan-2004 (all costed instruments, 1000 states of the world).

    .venv/bin/python benchmarks/bench_search.py                    # 5 seeds, 1000 states
    .venv/bin/python benchmarks/bench_search.py --seeds 2 --states 200 --workers 2

Reported:

* **time to a converged front** per seed: NSGA-II (population 40) until the archive's hypervolume
  grows by less than 1e-3 (relative) over 8 generations, with the generations and model runs it took;
* **evaluations per second** during the search (model runs = mixes x states; wall clock of the
  whole front search, and of the evaluation calls alone);
* **convergence per generation**: hypervolume and best feasible cost of each generation, for every seed
  (``--json`` writes them all), and the spread of the final fronts across seeds;
* **ratio** against the same search evaluating one policy x state per Python call: ``evaluate`` on a
  single row is timed on a sample of calls and extrapolated to the search's number of runs;
* with ``--workers K``: the same front on a dask.distributed cluster of K processes, checked bit for bit.

Targets: ``--targets all`` scores every modelled target (on plan-2004 no mix reaches P > 0, so the
front is one point and convergence is immediate); the default scores the five targets the
instruments can move, where the front is not trivial.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PLAN = ROOT / "scenarios" / "plan-2004.yaml"
FIVE = ("erp_share", "informatized_large_medium", "fdi_share", "clean_production", "energy_intensity_change")


def _problem(model, states: int, seed: int, targets, evaluator=None):
    from model.run import resolve_inputs
    from model.scenario import load_scenario
    from model.studies.search.problem import ModelMixProblem
    from model.studies.search.space import decision_space, instrument_decisions
    from model.studies.search.study import SearchSettings, _cost_variables, _states

    scen = load_scenario(PLAN)
    space = decision_space(instrument_decisions(resolve_inputs(model, scen), _cost_variables()))
    _, cols, S, _ = _states(scen, model, SearchSettings(samples=states, recheck_samples=10, seed=seed))
    return ModelMixProblem(model, scen, space, S, cols, evaluator=evaluator, target_ids=targets)


def front_run(model, states, seed, targets, alpha, evaluator=None) -> dict:
    from model.studies.search import Archive, Constraints, trade_off_front

    mp = _problem(model, states, seed, targets, evaluator)
    ar = Archive(mp, Constraints(alpha))
    own = np.array([d.scenario_value for d in mp.space.free])
    t0 = time.perf_counter()
    run = trade_off_front(ar, seed, pop_size=40, max_gen=200, stall=8, hv_tol=1e-3,
                          start=np.vstack([own, mp.space.high, mp.space.low]))
    wall = time.perf_counter() - t0
    f = ar.front()
    return {
        "seed": seed, "seconds": wall, "generations": run.generations, "converged": run.converged,
        "rows": mp.rows_evaluated, "evals_per_s_wall": mp.rows_evaluated / wall,
        "evals_per_s_model": mp.rows_evaluated / mp.seconds_evaluating,
        "front_points": int(f.size), "hypervolume": [g.hypervolume for g in run.history],
        "best_feasible_cost": [g.best_feasible_cost for g in run.history],
        "front_cost": ar.column("cost")[f].tolist(), "front_p": ar.column("p_all")[f].tolist(),
        "front_X": ar.X[f].tolist(),
    }


def single_call_seconds(model, states: int, seed: int, targets, calls: int = 300) -> float:
    """Seconds per call of the same function on ONE policy x state row (timed, then averaged)."""
    mp = _problem(model, states, seed, targets)
    X = mp.rows(mp.space.high[None, :])[:calls]
    mp.function(X[:1])  # warm up
    t0 = time.perf_counter()
    for i in range(X.shape[0]):
        mp.function(X[i : i + 1])
    return (time.perf_counter() - t0) / X.shape[0]


def curve(cost, p, grid):
    cost, p = np.asarray(cost), np.asarray(p)
    return np.array([cost[p >= g].min() if (p >= g).any() else np.nan for g in grid])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--states", type=int, default=1000)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--targets", default="five", help="'five' (default) or 'all'")
    ap.add_argument("--workers", type=int, default=0, help="also run seed 0 on K dask worker processes")
    ap.add_argument("--json", default=None, help="write every figure (per-generation curves too) here")
    args = ap.parse_args()
    from model.run import load_model

    model = load_model()
    targets = None if args.targets == "all" else FIVE
    runs = []
    for seed in range(args.seeds):
        r = front_run(model, args.states, seed, targets, args.alpha)
        runs.append(r)
        print(f"seed {seed}: converged {r['converged']} after {r['generations']} generations, {r['seconds']:.1f} s, "
              f"{r['rows']:,} runs, {r['evals_per_s_wall']:,.0f} runs/s (model calls {r['evals_per_s_model']:,.0f}/s), "
              f"{r['front_points']} front points, final HV {r['hypervolume'][-1]:.4f}")
    secs = np.array([r["seconds"] for r in runs])
    print(f"time to a converged front: median {np.median(secs):.1f} s, max {secs.max():.1f} s "
          f"({args.states} states, 7 instruments, targets {args.targets}, alpha {args.alpha})")
    gmax = max(len(r["hypervolume"]) for r in runs)
    print("generation  " + "  ".join(f"HV s{r['seed']}" for r in runs))
    for g in range(gmax):
        print(f"{g + 1:>10}  " + "  ".join(f"{r['hypervolume'][g]:.4f}" if g < len(r["hypervolume"]) else "     -"
                                          for r in runs))
    grid = np.linspace(0.05, 0.95, 19)
    curves = np.array([curve(r["front_cost"], r["front_p"], grid) for r in runs])
    top = np.nanmax(curves)
    spread = np.nanmax(curves, axis=0) - np.nanmin(curves, axis=0)
    print(f"fronts across seeds: largest cost spread at a P level {np.nanmax(spread):,.1f} "
          f"(100m yuan) = {100 * np.nanmax(spread) / top:.1f} % of the dearest front point on the grid")
    per_call = single_call_seconds(model, args.states, 0, targets)
    rows = np.mean([r["rows"] for r in runs])
    vec = np.mean(secs)
    print(f"one policy x state per Python call: {1e3 * per_call:.2f} ms/call -> {rows * per_call:,.0f} s "
          f"extrapolated for {rows:,.0f} runs, against {vec:.1f} s vectorised: ratio {rows * per_call / vec:,.0f} x")
    out = {"states": args.states, "alpha": args.alpha, "targets": args.targets, "runs": runs,
           "single_call_s": per_call, "ratio": rows * per_call / vec}
    if args.workers:
        from model.uq import DaskEvaluator

        with DaskEvaluator(n_workers=args.workers, chunk_size=8192) as ev:
            d = front_run(model, args.states, 0, targets, args.alpha, evaluator=ev)
        same = d["front_X"] == runs[0]["front_X"] and d["front_cost"] == runs[0]["front_cost"]
        print(f"dask ({args.workers} workers): {d['seconds']:.1f} s, {d['evals_per_s_wall']:,.0f} runs/s; "
              f"front identical to the local one bit for bit: {same}")
        out["dask"] = {k: d[k] for k in ("seconds", "evals_per_s_wall", "generations")} | {"identical": same}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
