"""Benchmark of the sensitivity engine: sample / evaluate / analyze timings.

Sobol (Saltelli design, first + total order), N = 16384 base samples, D = 24
uniform inputs -> N (D + 2) = 425 984 model rows, on a cheap vectorised test
function with K = 14 outputs; local chunked evaluation vs dask.distributed with
2 worker processes. Prints a table and checks that Y is bit-identical.

    .venv/bin/python benchmarks/bench_sensitivity_engine.py [--n 16384] [--chunk 32768]
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test functions live in tests/support

from model.uq import DaskEvaluator, LocalEvaluator, Problem, run_study  # noqa: E402
from tests.support.testfunctions import benchmark_function  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=16384)
    ap.add_argument("--d", type=int, default=24)
    ap.add_argument("--k", type=int, default=14)
    ap.add_argument("--chunk", type=int, default=32768)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--resamples", type=int, default=100)
    args = ap.parse_args()

    problem = Problem.uniform([f"p{i:02d}" for i in range(args.d)])
    f = functools.partial(benchmark_function, k=args.k)
    rows = []
    results = {}
    t0 = time.perf_counter()
    with DaskEvaluator(n_workers=args.workers, processes=True, chunk_size=args.chunk) as dask_ev:
        startup = time.perf_counter() - t0
        backends = [
            ("local", LocalEvaluator(chunk_size=args.chunk)),
            (f"dask {args.workers} proc", dask_ev),
        ]
        for name, ev in backends:
            res = run_study(f, problem, "sobol", args.n, seed=1, evaluator=ev,
                            num_resamples=args.resamples)
            results[name] = res
            rows.append((name, res.timings))
    identical = np.array_equal(*(r.Y for r in results.values()))
    res = next(iter(results.values()))
    print(f"Sobol N={res.samples.n}, D={args.d}, K={args.k}: X {res.X.shape}, Y {res.Y.shape}, "
          f"chunk {args.chunk} rows, {args.resamples} bootstrap resamples")
    print(f"{'backend':<14}{'sample s':>10}{'evaluate s':>12}{'analyze s':>11}{'total s':>10}")
    for name, t in rows:
        print(f"{name:<14}{t['sample']:>10.2f}{t['evaluate']:>12.2f}{t['analyze']:>11.2f}"
              f"{t['total']:>10.2f}")
    print(f"dask cluster start-up: {startup:.2f} s; Y bit-identical local vs dask: {identical}")


if __name__ == "__main__":
    main()
