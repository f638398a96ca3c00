"""Benchmark: the compiled core against the numpy core it replaced, measured in the same run.

    .venv/bin/python benchmarks/bench_simulate.py            # everything (~10 min on a quiet machine)
    .venv/bin/python benchmarks/bench_simulate.py --quick    # smaller sizes, no 10M stream

Figures (plan-2004, every prior parameter drawn uniformly on its range; all plan indicators):

* compile: the kernel compiled from scratch in a fresh process (empty numba cache directory) and
  loaded from the cache (the figure every later process pays); never inside a timed figure.
* throughput, evaluations/s per core (numba threads = 1) at R = 10k and 100k: ``model.run.evaluate``
  (simulate + indicators, the projection kept), ``model.run.evaluate_indicators`` (the indicators
  only: what the sensitivity studies call), the kernel alone, and the numpy core of commit 9ec8a75
  (``benchmarks/numpy_core``, kept only for this comparison) in 2048-row blocks, its best
  setting; also the compiled core on all threads.
* one run through ``run.evaluate`` (median of many calls) and one warm ``run_scenario``.
* memory per run: peak of numpy's allocations (tracemalloc: inputs, outputs, temporaries) in a
  fresh process per size divided by R, for ``evaluate`` keeping every output (R = 1k .. 300k),
  and for 1M and 10M runs streamed through ``evaluate_indicators`` in 100k-run blocks keeping only
  the 2007 indicator values (then the peak is one block, not R); the process peak RSS beside it
  (measured before the throughput runs: a child's peak RSS counts its parent's at the fork).
* Sobol N = 16384 on plan-2004 end to end is in benchmarks/bench_sensitivity.py: its ``local``
  and ``local_numpy`` configurations give the compiled core's figure and the numpy core's in one
  run, and their ratio.

The machine load (1-minute load average) is printed before and after; figures under load are
not comparable with idle ones. Results: benchmarks/results/bench_simulate.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLAN = ROOT / "scenarios" / "plan-2004.yaml"
OLD_BLOCK = 2048


def load() -> float:
    return os.getloadavg()[0]


def _setup(n: int, seed: int = 0):
    from model.run import load_model, scenario_inputs, with_runs
    from model.scenario import load_scenario

    model = load_model()
    _, drv, switches = scenario_inputs(model, load_scenario(PLAN))
    rng = np.random.default_rng(seed)
    values = {k: rng.uniform(s.low, s.high, n) for k, s in model.parameters.specs.items()}
    return model, model.parameters.arrays(n, values), with_runs(drv), switches


def best_of(fn, repeats: int = 3) -> float:
    """Best wall time of ``repeats`` calls after one warm-up call (compilation stays out)."""
    return best_cpu_and_wall(fn, repeats)[1]


def best_cpu_and_wall(fn, repeats: int = 3) -> tuple[float, float]:
    """(best CPU time, best wall time) of ``repeats`` calls after one warm-up call. On a loaded
    machine the CPU time of a one-thread call is the better measure of its work."""
    fn()
    cpu = wall = float("inf")
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - t0)
    return cpu, wall


def _child(code: str, env: dict | None = None) -> dict:
    """Run ``code`` (which prints one JSON line last) in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


COMPILE = """
import json, time
t0 = time.perf_counter()
from model import indicators, kernel
t1 = time.perf_counter()
s = kernel.compile_seconds()
from model.run import load_model, scenario_inputs, with_runs, evaluate
from model.scenario import load_scenario
m = load_model(); _, d, sw = scenario_inputs(m, load_scenario("scenarios/plan-2004.yaml"))
t2 = time.perf_counter(); evaluate(m, m.parameters.arrays(1), with_runs(d), sw); t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "kernel_s": s, "first_evaluate_s": t3 - t2}))
"""

MEMORY = """
import json, resource, sys, time, tracemalloc
import numpy as np
sys.path.insert(0, ".")
from benchmarks.bench_simulate import _setup
from model.run import evaluate, evaluate_indicators
n, block, keep_all = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "all"
if sys.argv[4:] == ["numpy"]:  # the numpy core of 9ec8a75, one call for the whole block
    from benchmarks.numpy_core import core as old_core, indicators as old_ind
    def evaluate(model, params, drivers, sw):
        proj = old_core.simulate(model.base, params, drivers)
        return proj, old_ind.compute(proj, params, model.base.high_tech, model.st_to_rd_ratio,
                                     model.foreign_funding_share_china, sw)
model, p1, drivers, sw = _setup(1)
evaluate(model, p1, drivers, sw)
tracemalloc.start()  # numpy's allocations (inputs, outputs, temporaries) are traced
kept = []
t0 = time.perf_counter()
for start in range(0, n, block):
    m = min(block, n - start)
    _, params, _, _ = _setup(m, seed=start)
    if keep_all:
        kept.append(evaluate(model, params, drivers, sw))
    else:  # the studies' path: indicators only, 2007 values kept
        inds = evaluate_indicators(model, params, drivers, sw)
        kept.append(np.stack([ind.value[:, 4] for ind in inds.values()], axis=1))
        del inds
    del params
seconds = time.perf_counter() - t0
_, peak = tracemalloc.get_traced_memory()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"runs": n, "peak_traced_mb": peak / 2**20, "bytes_per_run": peak / n,
                  "peak_rss_mb": rss / 1024, "seconds": seconds}))
"""


def throughput(n: int) -> dict:
    import numba

    from benchmarks.numpy_core import core as old_core
    from benchmarks.numpy_core import indicators as old_indicators
    from model import core, indicators, kernel
    from model.run import evaluate, evaluate_indicators

    model, params, drivers, switches = _setup(n)
    base = model.base
    consts = (base.high_tech, model.st_to_rd_ratio, model.foreign_funding_share_china, switches)

    def old():
        for start in range(0, n, OLD_BLOCK):
            sl = {k: v[start:start + OLD_BLOCK] for k, v in params.items()}
            proj = old_core.simulate(base, sl, drivers)
            old_indicators.compute(proj, sl, *consts)

    s = len(base.sectors)
    bs, bc = core._base_arrays(base)
    pb, pm = kernel.pack_parameters(params, n, s)
    db, dm = kernel.pack_drivers(drivers, n, s, len(core.YEARS))
    ots = np.empty((len(kernel.OUTPUTS_TS), n, len(core.YEARS), s))
    ot = np.empty((len(kernel.OUTPUTS_T), n, len(core.YEARS)))
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    row = {"runs": n}
    for key, fn in (("evaluate", lambda: evaluate(model, params, drivers, switches)),
                    ("evaluate_indicators", lambda: evaluate_indicators(model, params, drivers, switches)),
                    ("kernel_only", lambda: kernel.simulate_serial(bs, bc, pb, pm, db, dm, ots, ot)),
                    ("numpy_core", old)):
        cpu, wall = best_cpu_and_wall(fn)
        row[f"{key}_per_core"], row[f"{key}_per_core_cpu_time"] = n / wall, n / cpu
    for key in ("evaluate", "evaluate_indicators"):
        row[f"ratio_{key}_vs_numpy"] = row[f"{key}_per_core"] / row["numpy_core_per_core"]
        row[f"ratio_{key}_vs_numpy_cpu_time"] = row[f"{key}_per_core_cpu_time"] / row["numpy_core_per_core_cpu_time"]
    numba.set_num_threads(threads)
    row["evaluate_all_threads"] = n / best_of(lambda: evaluate(model, params, drivers, switches))
    row["threads"] = threads
    proj = core.simulate(base, params, drivers)
    row["indicators_only_per_core"] = n / best_of(lambda: indicators.compute(proj, params, *consts))
    return row


def store_floor(n: int = 2000) -> dict:
    """Time to only write the kernel's outputs of ``n`` runs (ots, ot: ~20.6 KB a run, the
    layout evaluate returns) from compiled code, one thread: the floor of any core that keeps the
    projection, set by this machine's store bandwidth, not by arithmetic."""
    import numba

    from model import core, kernel

    @numba.njit(cache=False)
    def write(ots, ot):
        n_o, n_r, n_t, n_s = ots.shape
        for r in range(n_r):
            for o in range(n_o):
                for t in range(n_t):
                    for i in range(n_s):
                        ots[o, r, t, i] = 1.0 + i
            for o in range(ot.shape[0]):
                for t in range(n_t):
                    ot[o, r, t] = 2.0

    n_t = len(core.YEARS)
    ots = np.empty((len(kernel.OUTPUTS_TS), n, n_t, 15))
    ot = np.empty((len(kernel.OUTPUTS_T), n, n_t))
    write(ots, ot)
    cpu, _ = best_cpu_and_wall(lambda: write(ots, ot), repeats=30)
    per_run = (ots.nbytes + ot.nbytes) / n
    return {"runs": n, "bytes_per_run": per_run, "us_per_run": 1e6 * cpu / n, "gb_per_s": per_run * n / cpu / 1e9,
            "runs_per_s_bound": n / cpu}


def single_run() -> dict:
    from model.run import evaluate, load_model, run_scenario
    from model.scenario import load_scenario

    model, params, drivers, switches = _setup(1)
    for _ in range(200):
        evaluate(model, params, drivers, switches)
    times = []
    for _ in range(3000):
        t0 = time.perf_counter()
        evaluate(model, params, drivers, switches)
        times.append(time.perf_counter() - t0)
    from benchmarks.numpy_core import core as old_core
    from benchmarks.numpy_core import indicators as old_indicators

    def old():
        proj = old_core.simulate(model.base, params, drivers)
        old_indicators.compute(proj, params, model.base.high_tech, model.st_to_rd_ratio,
                               model.foreign_funding_share_china, switches)
    old_times = []
    for _ in range(300):
        t0 = time.perf_counter()
        old()
        old_times.append(time.perf_counter() - t0)
    scen = load_scenario(PLAN)
    m = load_model()
    run_scenario(scen, m)
    warm = []
    for _ in range(30):
        t0 = time.perf_counter()
        run_scenario(PLAN, m)  # load the scenario file + resolve + evaluate
        warm.append(time.perf_counter() - t0)
    return {"evaluate_one_run_us_median": 1e6 * float(np.median(times)),
            "evaluate_one_run_us_p10": 1e6 * float(np.percentile(times, 10)),
            "numpy_core_one_run_us_median": 1e6 * float(np.median(old_times)),
            "run_scenario_warm_ms_median": 1e3 * float(np.median(warm))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="R = 10k only, memory up to 100k, no 10M stream")
    ap.add_argument("--no-10m", action="store_true", help="stream 1M runs, not 10M (10M takes ~3 min idle)")
    args = ap.parse_args()
    result: dict = {"load_before": load(), "machine": {
        "python": platform.python_version(), "cpus": os.cpu_count(), "numpy": np.__version__}}
    import numba

    result["machine"]["numba"] = numba.__version__
    print(f"load average before: {result['load_before']:.2f}", flush=True)

    with tempfile.TemporaryDirectory(prefix="mfgbase-numba-") as cache:
        cold = _child(COMPILE, {"NUMBA_CACHE_DIR": cache})
    warm = _child(COMPILE)
    result["compile"] = {"cold": cold, "warm": warm}
    print(f"kernel compile from scratch {cold['kernel_s']:.1f} s; from cache {warm['kernel_s']:.2f} s "
          f"(import {warm['import_s']:.2f} s)", flush=True)

    result["store_floor"] = sf = store_floor()
    print(f"store floor: writing the outputs alone {sf['us_per_run']:.2f} us/run ({sf['bytes_per_run']:,.0f} B/run, "
          f"{sf['gb_per_s']:.1f} GB/s): at most {sf['runs_per_s_bound']:,.0f} runs/s/core keeping the projection",
          flush=True)
    result["single"] = single_run()
    sr = result["single"]
    print(f"one run through run.evaluate: {sr['evaluate_one_run_us_median']:.1f} us median "
          f"(numpy core {sr['numpy_core_one_run_us_median']:.0f} us); warm run_scenario "
          f"{sr['run_scenario_warm_ms_median']:.1f} ms", flush=True)

    # memory first: a child's peak RSS counts its parent's at the fork (Linux keeps the high-water
    # mark across exec), so the children run while this process is still small
    result["memory"] = []
    sizes = [(1_000, 1_000, "all"), (10_000, 10_000, "all"), (100_000, 100_000, "all")]
    if not args.quick:
        sizes += [(300_000, 300_000, "all"), (1_000_000, 100_000, "values")]
        sizes += [] if args.no_10m else [(10_000_000, 100_000, "values")]
    sizes += [(10_000, 10_000, "all", "numpy"), (100_000, 100_000, "all", "numpy")][: 1 if args.quick else 2]
    for n, block, keep, *core_name in sizes:
        out = subprocess.run([sys.executable, "-c", MEMORY, str(n), str(block), keep, *core_name], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        row = {**json.loads(out.stdout.strip().splitlines()[-1]), "block": block, "keep": keep,
               "core": core_name[0] if core_name else "compiled"}
        result["memory"].append(row)
        print(f"memory {row['core']} R={n:>10,} ({'every output kept' if keep == 'all' else 'streamed through evaluate_indicators, 2007 values kept'}, "
              f"blocks of {block:,}): {row['bytes_per_run']:,.0f} B/run at the peak (numpy allocations, "
              f"inputs included), {row['peak_traced_mb']:,.0f} MB; process peak RSS {row['peak_rss_mb']:,.0f} MB; "
              f"{row['seconds']:.1f} s", flush=True)
    result["throughput"] = []
    for n in ([10_000] if args.quick else [10_000, 100_000]):
        row = throughput(n)
        result["throughput"].append(row)
        print(f"R={n:>7,}: evaluate {row['evaluate_per_core']:>9,.0f}/s/core, evaluate_indicators "
              f"{row['evaluate_indicators_per_core']:,.0f} (kernel alone {row['kernel_only_per_core']:,.0f}, "
              f"indicators alone {row['indicators_only_per_core']:,.0f}); numpy core "
              f"{row['numpy_core_per_core']:,.0f}/s/core; ratios {row['ratio_evaluate_vs_numpy']:.2f} and "
              f"{row['ratio_evaluate_indicators_vs_numpy']:.2f}; {row['threads']} threads "
              f"{row['evaluate_all_threads']:,.0f}/s", flush=True)
        print(f"           by CPU time: evaluate {row['evaluate_per_core_cpu_time']:,.0f}/s/core, evaluate_indicators "
              f"{row['evaluate_indicators_per_core_cpu_time']:,.0f}, kernel alone "
              f"{row['kernel_only_per_core_cpu_time']:,.0f}, numpy core {row['numpy_core_per_core_cpu_time']:,.0f}; "
              f"ratios {row['ratio_evaluate_vs_numpy_cpu_time']:.2f} and "
              f"{row['ratio_evaluate_indicators_vs_numpy_cpu_time']:.2f}", flush=True)

    result["load_after"] = load()
    print(f"load average after: {result['load_after']:.2f}")
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "bench_simulate.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
