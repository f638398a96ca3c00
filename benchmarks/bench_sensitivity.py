"""Benchmark: the plan-2004 Sobol study at N = 16384 (sample + evaluate + analyse).

    .venv/bin/python benchmarks/bench_sensitivity.py            # all configurations
    .venv/bin/python benchmarks/bench_sensitivity.py --n 4096   # smaller

Each configuration runs in a fresh subprocess so its peak memory (``ru_maxrss`` of the
process, and separately of its children = dask worker processes) is its own:

* ``local``     - one process, chunked evaluation, 2007 indices for every target
* ``dask2``     - 2 local dask worker processes, 2007 indices (checked identical to ``local``)
* ``per_year``  - 2 dask workers, indices for every year 2004-2010
* ``single``    - the same model evaluated one run per Python call: a subset of 2000 rows is
  timed and the time for the whole sample is *extrapolated* (rows x time per call)
* ``local_numpy`` - ``local`` with the numpy core of commit 9ec8a75 (``benchmarks/numpy_core``,
  the core the compiled one replaced) in place of ``model.run.evaluate``: the ratio in one run

Reported per configuration: seconds for sample / evaluate / analyse (Sobol indices) /
uncertainty (P(met), first year, response curves, filtering over the 2 N random rows),
model evaluations per second, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "plan-2004.yaml"


def _rss_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return me, kids


def _use_numpy_core() -> None:
    """Replace ``model.run.evaluate`` and ``evaluate_indicators`` by the numpy core of 9ec8a75 (same
    equations, same outputs within 1e-12: tests/test_core_reference.py) for ``local_numpy``."""
    import model.run as run
    from benchmarks.numpy_core import core as old_core
    from benchmarks.numpy_core import indicators as old_indicators

    def evaluate(model, params, drivers, switches):
        proj = old_core.simulate(model.base, params, drivers)
        return proj, old_indicators.compute(proj, params, model.base.high_tech, model.st_to_rd_ratio,
                                            model.foreign_funding_share_china, switches)

    run.evaluate = evaluate
    run.evaluate_indicators = lambda *args: evaluate(*args)[1]  # what the sensitivity adapter calls


def run_config(config: str, n: int, seed: int) -> dict:
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from model.studies.sensitivity import study

    if config == "single":
        from model.run import load_model
        from model.scenario import load_scenario
        from model.studies.sensitivity.adapter import ModelFunction, build_problem
        from model.uq import sample

        problem, cols, _ = build_problem(load_scenario(PLAN), load_model())
        f = ModelFunction.for_scenario(PLAN, cols)
        smp = sample(problem, "sobol", n, seed)
        sub = smp.X[:2000]
        f(sub[:1])  # warm the cache
        t0 = time.perf_counter()
        for i in range(sub.shape[0]):
            f(sub[i : i + 1])
        dt = time.perf_counter() - t0
        per_call = dt / sub.shape[0]
        me, kids = _rss_mb()
        return {"config": config, "rows": smp.n_rows, "timed_calls": int(sub.shape[0]),
                "seconds_timed": dt, "seconds_per_call": per_call,
                "extrapolated_evaluate_s": per_call * smp.n_rows, "evals_per_s": 1.0 / per_call,
                "peak_rss_mb": me, "peak_rss_children_mb": kids}
    if config == "local_numpy":
        _use_numpy_core()
    kw = {"workers": 2} if config in ("dask2", "per_year") else {}
    t0 = time.perf_counter()
    st = study(PLAN, "sobol", n, seed, per_year=(config == "per_year"), **kw)
    wall = time.perf_counter() - t0
    me, kids = _rss_mb()
    core = st.timings["sample"] + st.timings["evaluate"] + st.timings["analyze"]
    out = {
        "config": config, "n": st.n, "inputs": st.problem.num_vars, "rows": st.samples.n_rows,
        "outputs_analysed": int(st.Y.shape[1]), "timings_s": st.timings,
        "sample_evaluate_analyse_s": core, "wall_s_incl_model_load": wall,
        "evals_per_s": st.samples.n_rows / st.timings["evaluate"],
        "peak_rss_mb": me, "peak_rss_children_mb": kids,
        "widest_ST_interval": float(st.convergence["max_width"].iloc[-1]),
        "p_met": {k: float(v) for k, v in st.probabilities["p"].items()},
        "indices_digest": float(np.nansum(st.main_indices()["value"].to_numpy() * np.arange(len(st.main_indices())))),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=16384)
    ap.add_argument("--seed", type=int, default=20040520)
    ap.add_argument("--configs", default="local,dask2,per_year,single")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one config, print JSON
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    if args.one:
        print("BENCH " + json.dumps(run_config(args.one, args.n, args.seed), default=float))
        return 0
    results = []
    for cfg in args.configs.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", cfg, "--n", str(args.n), "--seed", str(args.seed)],
            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
        if line is None:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 1
        res = json.loads(line[6:])
        results.append(res)
        print(f"\n== {cfg}")
        for k, v in res.items():
            if k not in ("p_met",):
                print(f"  {k}: {v}")
    by = {r["config"]: r for r in results}
    if "local" in by and "dask2" in by:
        same = by["local"]["indices_digest"] == by["dask2"]["indices_digest"]
        print(f"\nlocal and dask (2 workers) indices identical: {same}")
    if "local" in by and "local_numpy" in by:
        ratio = by["local_numpy"]["timings_s"]["evaluate"] / by["local"]["timings_s"]["evaluate"]
        end_to_end = by["local_numpy"]["sample_evaluate_analyse_s"] / by["local"]["sample_evaluate_analyse_s"]
        same = abs(by["local"]["indices_digest"] - by["local_numpy"]["indices_digest"])
        print(f"compiled core vs numpy core: evaluate {ratio:.2f}x, sample+evaluate+analyse {end_to_end:.2f}x "
              f"faster; indices digest differs by {same:.3g}")
    if "single" in by:
        for cfg in ("local", "dask2"):
            if cfg in by:
                ratio = by["single"]["extrapolated_evaluate_s"] / by[cfg]["timings_s"]["evaluate"]
                print(f"vectorised ({cfg}) vs one run per call (extrapolated): {ratio:.0f}x faster")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
