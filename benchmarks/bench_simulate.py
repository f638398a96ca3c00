"""Benchmark: full-horizon model evaluations per second (simulate + all plan indicators).

Runs the plan-2004 scenario with every prior parameter drawn at random, for 1, 1k, 100k and
1M runs (the large sizes in chunks so memory stays bounded), and compares with a Python loop
of single-run calls on the same parameters. Prints a table and writes
benchmarks/results/bench_simulate.json.

    .venv/bin/python benchmarks/bench_simulate.py [--quick]

Evaluations per second are per process (one core: numpy here runs single-threaded element-wise
kernels). Measure on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from model.run import CORE_BLOCK_ROWS, evaluate, load_model, scenario_inputs, with_runs
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CHUNK = CORE_BLOCK_ROWS


def draws(model, n, seed=0):
    rng = np.random.default_rng(seed)
    return {k: rng.uniform(s.low, s.high, n) for k, s in model.parameters.specs.items()}


def evaluate_chunked(model, values, drivers, switches, n, chunk=CHUNK, clock=None):
    """All indicators (R, T) for n runs, evaluated chunk by chunk.

    ``clock`` (a one-element list) accumulates the seconds spent in the model itself
    (parameter arrays + simulate + indicators), without copying results into the output.
    """
    out = None
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        t0 = time.perf_counter()
        params = model.parameters.arrays(stop - start, {k: v[start:stop] for k, v in values.items()})
        _, inds = evaluate(model, params, drivers, switches)
        if clock is not None:
            clock[0] += time.perf_counter() - t0
        if out is None:
            out = {k: np.empty((n, ind.value.shape[1])) for k, ind in inds.items()}
        for k, ind in inds.items():
            out[k][start:stop] = ind.value
    return out


def timed(fn, min_seconds=1.0):
    """Best-of-repeats wall time of fn() (at least one call, repeats until min_seconds)."""
    best, spent = float("inf"), 0.0
    while spent < min_seconds or best == float("inf"):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best, spent = min(best, dt), spent + dt
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the 1M size")
    args = ap.parse_args()
    model = load_model()
    scen = load_scenario(ROOT / "scenarios" / "plan-2004.yaml")
    _, drv, switches = scenario_inputs(model, scen)
    drivers = with_runs(drv)
    sizes = [1, 1_000, 100_000] + ([] if args.quick else [1_000_000])
    rows = []
    for n in sizes:
        values = draws(model, n)
        seconds = timed(lambda values=values, n=n: evaluate_chunked(model, values, drivers, switches, n),
                        min_seconds=2.0 if n < 10**6 else 0.0)
        clock = [0.0]
        evaluate_chunked(model, values, drivers, switches, n, clock=clock)
        rows.append({"runs": n, "seconds": seconds, "evals_per_second": n / seconds,
                     "model_seconds": clock[0], "model_evals_per_second": n / clock[0]})
        print(f"{n:>9,} runs  {seconds:9.4f} s  {n / seconds:12,.0f} evaluations/s  "
              f"(model only {n / clock[0]:,.0f}/s; the rest is copying results out)", flush=True)

    # Python loop of single-run calls on the same parameter draws
    n_loop = 300
    values = draws(model, n_loop)

    def loop():
        for i in range(n_loop):
            params = model.parameters.arrays(1, {k: v[i : i + 1] for k, v in values.items()})
            evaluate(model, params, drivers, switches)

    loop_s = timed(loop, min_seconds=1.0)
    loop_rate = n_loop / loop_s
    best_vec = max(r["evals_per_second"] for r in rows)
    print(f"Python loop of single runs: {loop_rate:,.0f} evaluations/s ({n_loop} calls)")
    print(f"vectorised / loop: {best_vec / loop_rate:,.0f}x")
    result = {
        "benchmark": "simulate + indicators, plan-2004, all priors random",
        "chunk_size": CHUNK,
        "sizes": rows,
        "python_loop_evals_per_second": loop_rate,
        "speedup_vs_loop": best_vec / loop_rate,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "numpy": np.__version__},
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_simulate.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
