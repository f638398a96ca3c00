"""Probe: what runs in SIMD lanes would buy the kernel (docs/performance.md, "What stops it").

    .venv/bin/python benchmarks/bench_lanes_probe.py        # ~1 min; prints and writes results/

The year step of blocks I-1, A and C (accelerator investment with the profitability factor, the
sum over sectors, the renovation uplift, crowding-out, perpetual inventory, foreign capital share,
TFP growth, ln K and value added), with the model's own equation functions and vector maths, is
written twice over one flat scratch vector at compile-time offsets:

* ``per_run``: the kernel's form today: one run at a time, a row = the 16 sector lanes;
* ``lanes``: RUN_LANES runs side by side, a row = 16 sectors x RUN_LANES runs, the per-run scalars
  (grants, FDI, the sum over sectors, the uplift) as rows of RUN_LANES.

Both compute the same numbers (checked bit for bit: the sums over sectors run in the same order
in both); the figure is the time per run and year, best of many calls, one thread. It measures
one block of the kernel, not the kernel: the other blocks carry more per-run scalar work (the
province paths, counters), which is where lanes would gain more, and more sums.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import equations as eq  # noqa: E402
from model import instruments as ins  # noqa: E402
from model import kernel  # noqa: E402,F401  (registers the equations for compiled code)
from model import vecmath as vm  # noqa: E402

L = 16  # sector lanes
B = 8  # runs side by side (one AVX-512 vector of float64)
N_S, N_T = 15, 8
# rows: parameters / carried state / state / work
(KEEP, W, RATE0, KB, GEXP, GREF, LAM, RDRET, GAMMA, MU, RHO, ALPHA, LOGMPK0, INVDOM0, INVFDI0, LOGVA, LOGK, LOGL,
 K, KF, FSH, RD, VA, LOGA, DOM, ARG, VAL) = range(27)
N_ROWS = 27
# per-run scalar rows of the lane form (B numbers each)
Q_GRANTS, Q_FDI, Q_BACC, Q_BPI, Q_LEV, Q_UPMAX, Q_CROWD, Q_ACREF, Q_DOMTOT, Q_UPLIFT = range(10)
N_Q = 10


def per_run_step(z, s, n_s):
    """One year of one run; z rows of L lanes, s: its scalars (grants, fdi, beta_acc, beta_pi,
    leverage, uplift_max, crowding, ac_ref)."""
    grants, fdi, beta_acc, beta_pi, leverage, upmax, crowding, ac_ref = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
    for i in range(L):
        z[ARG * L + i] = ins.profitability_exponent(z[LOGVA * L + i] - z[LOGK * L + i] - z[LOGMPK0 * L + i], beta_pi)
    vm.vexp(z[ARG * L:ARG * L + L], z[VAL * L:VAL * L + L], L)
    for i in range(L):
        z[DOM * L + i] = ins.accelerator_investment(
            z[INVDOM0 * L + i], z[K * L + i], z[KB * L + i], z[GEXP * L + i], z[GREF * L + i], z[RATE0 * L + i],
            beta_acc, z[VAL * L + i])
    dom_total = 0.0
    for i in range(n_s):
        dom_total += z[DOM * L + i]
    uplift = ins.renovation_uplift(grants, dom_total, leverage, upmax)
    for i in range(L):
        dom = z[DOM * L + i] * (1.0 + uplift)
        inv_fdi = eq.fdi_funded_investment(z[W * L + i], fdi)
        inv_dom = ins.crowd_out(dom, inv_fdi, z[INVFDI0 * L + i], crowding)
        capital = eq.perpetual_inventory(z[KEEP * L + i], z[K * L + i], inv_dom + inv_fdi)
        z[K * L + i] = capital
        kf = eq.perpetual_inventory(z[KEEP * L + i], z[KF * L + i], inv_fdi)
        z[KF * L + i] = kf
        fshare = eq.foreign_capital_share(kf, capital)
        dlog_a = eq.tfp_log_growth(z[LAM * L + i], z[RDRET * L + i], z[RD * L + i], z[VA * L + i], z[GAMMA * L + i],
                                   fshare - z[FSH * L + i], z[MU * L + i], eq.absorptive_gap(z[RHO * L + i], ac_ref))
        z[FSH * L + i] = fshare
        z[LOGA * L + i] = z[LOGA * L + i] + dlog_a
        z[ARG * L + i] = capital
    vm.vlog(z[ARG * L:ARG * L + L], z[LOGK * L:LOGK * L + L], L)
    for i in range(L):
        z[ARG * L + i] = eq.log_value_added(z[LOGA * L + i], z[ALPHA * L + i], z[LOGK * L + i], z[LOGL * L + i])
    vm.vexp(z[ARG * L:ARG * L + L], z[VA * L:VA * L + L], L)


R = L * B  # a row of the lane form: sector i, run b at i * B + b


def lanes_step(z, q, n_s):
    """One year of B runs; z rows of L x B numbers (sector-major), q rows of B per-run scalars."""
    for i in range(L):
        for b in range(B):
            j = i * B + b
            z[ARG * R + j] = ins.profitability_exponent(z[LOGVA * R + j] - z[LOGK * R + j] - z[LOGMPK0 * R + j],
                                                        q[Q_BPI * B + b])
    vm.vexp(z[ARG * R:ARG * R + R], z[VAL * R:VAL * R + R], R)
    for i in range(L):
        for b in range(B):
            j = i * B + b
            z[DOM * R + j] = ins.accelerator_investment(
                z[INVDOM0 * R + j], z[K * R + j], z[KB * R + j], z[GEXP * R + j], z[GREF * R + j], z[RATE0 * R + j],
                q[Q_BACC * B + b], z[VAL * R + j])
    for b in range(B):
        q[Q_DOMTOT * B + b] = 0.0
    for i in range(n_s):
        for b in range(B):
            q[Q_DOMTOT * B + b] += z[DOM * R + i * B + b]
    for b in range(B):
        q[Q_UPLIFT * B + b] = ins.renovation_uplift(q[Q_GRANTS * B + b], q[Q_DOMTOT * B + b], q[Q_LEV * B + b],
                                                    q[Q_UPMAX * B + b])
    for i in range(L):
        for b in range(B):
            j = i * B + b
            dom = z[DOM * R + j] * (1.0 + q[Q_UPLIFT * B + b])
            inv_fdi = eq.fdi_funded_investment(z[W * R + j], q[Q_FDI * B + b])
            inv_dom = ins.crowd_out(dom, inv_fdi, z[INVFDI0 * R + j], q[Q_CROWD * B + b])
            capital = eq.perpetual_inventory(z[KEEP * R + j], z[K * R + j], inv_dom + inv_fdi)
            z[K * R + j] = capital
            kf = eq.perpetual_inventory(z[KEEP * R + j], z[KF * R + j], inv_fdi)
            z[KF * R + j] = kf
            fshare = eq.foreign_capital_share(kf, capital)
            dlog_a = eq.tfp_log_growth(z[LAM * R + j], z[RDRET * R + j], z[RD * R + j], z[VA * R + j], z[GAMMA * R + j],
                                       fshare - z[FSH * R + j], z[MU * R + j],
                                       eq.absorptive_gap(z[RHO * R + j], q[Q_ACREF * B + b]))
            z[FSH * R + j] = fshare
            z[LOGA * R + j] = z[LOGA * R + j] + dlog_a
            z[ARG * R + j] = capital
    vm.vlog(z[ARG * R:ARG * R + R], z[LOGK * R:LOGK * R + R], R)
    for j in range(R):
        z[ARG * R + j] = eq.log_value_added(z[LOGA * R + j], z[ALPHA * R + j], z[LOGK * R + j], z[LOGL * R + j])
    vm.vexp(z[ARG * R:ARG * R + R], z[VA * R:VA * R + R], R)


def per_run_all(zs, ss, n_s, n_t):
    """zs (runs, N_ROWS * L), ss (runs, 8): every run, n_t - 1 years."""
    for r in range(zs.shape[0]):
        z = zs[r]
        for _ in range(1, n_t):
            per_run_step(z, ss[r], n_s)


def lanes_all(zl, ql, n_s, n_t):
    """zl (groups, N_ROWS * L * B), ql (groups, N_Q * B): every group of B runs, n_t - 1 years."""
    for g in range(zl.shape[0]):
        z, q = zl[g], ql[g]
        for _ in range(1, n_t):
            lanes_step(z, q, n_s)


jit = numba.njit(error_model="numpy", cache=False)
per_run_step = numba.njit(error_model="numpy", inline="always")(per_run_step)
lanes_step = numba.njit(error_model="numpy", inline="always")(lanes_step)
per_run_all, lanes_all = jit(per_run_all), jit(lanes_all)


def _inputs(n_runs: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows = np.empty((n_runs, N_ROWS, L))
    for row, (lo, hi) in {KEEP: (0.9, 0.95), W: (0.03, 0.1), RATE0: (0.1, 0.2), KB: (80, 120), GEXP: (0.05, 0.15),
                          GREF: (0.05, 0.15), LAM: (0.0, 0.02), RDRET: (0.1, 0.4), GAMMA: (0.0, 0.3), MU: (0.0, 2.0),
                          RHO: (0.005, 0.03), ALPHA: (0.3, 0.5), LOGMPK0: (-1.0, -0.5), INVDOM0: (10, 20),
                          INVFDI0: (1, 3), LOGVA: (3.0, 4.0), LOGK: (4.0, 5.0), LOGL: (2.0, 3.0), K: (90, 130),
                          KF: (5, 15), FSH: (0.05, 0.15), RD: (0.5, 1.5), VA: (30, 50), LOGA: (0.0, 0.5),
                          DOM: (0, 0), ARG: (0, 0), VAL: (0, 0)}.items():
        rows[:, row, :] = rng.uniform(lo, hi, (n_runs, L))
    scal = np.column_stack([rng.uniform(0, 20, n_runs), rng.uniform(50, 100, n_runs), rng.uniform(0.5, 1.5, n_runs),
                            rng.uniform(0.5, 1.5, n_runs), rng.uniform(0.5, 2, n_runs), rng.uniform(0.1, 0.3, n_runs),
                            rng.uniform(0, 0.5, n_runs), rng.uniform(0.01, 0.02, n_runs)])
    return rows, scal


def _to_lanes(rows, scal):
    """The same inputs in the lane layout: groups of B runs, element (row, sector i, run b)."""
    g = rows.shape[0] // B
    zl = rows.reshape(g, B, N_ROWS, L).transpose(0, 2, 3, 1).reshape(g, N_ROWS * L * B).copy()
    ql = np.zeros((g, N_Q, B))
    s = scal.reshape(g, B, 8)
    for col, row in enumerate((Q_GRANTS, Q_FDI, Q_BACC, Q_BPI, Q_LEV, Q_UPMAX, Q_CROWD, Q_ACREF)):
        ql[:, row, :] = s[:, :, col]
    return zl, ql.reshape(g, N_Q * B)


def _best(fn, start: tuple, repeats=25) -> float:
    """Best thread time of fn(*copies of start), the copies made outside the timing."""
    fn(*[a.copy() for a in start])
    best = float("inf")
    for _ in range(repeats):
        args = [a.copy() for a in start]
        t0 = time.thread_time()
        fn(*args)
        best = min(best, time.thread_time() - t0)
    return best


def main() -> None:
    numba.set_num_threads(1)
    n = 2048
    rows, scal = _inputs(n)
    zs = rows.reshape(n, N_ROWS * L).copy()
    zl, ql = _to_lanes(rows, scal)
    # same numbers: one pass each from the same start
    a, b = zs.copy(), zl.copy()
    per_run_all(a, scal, N_S, N_T)
    lanes_all(b, ql.copy(), N_S, N_T)
    back = b.reshape(n // B, N_ROWS, L, B).transpose(0, 3, 1, 2).reshape(n, N_ROWS, L)
    got = a.reshape(n, N_ROWS, L)
    same = bool(np.array_equal(got[:, :, :N_S], back[:, :, :N_S]))
    t_run = _best(lambda z, s: per_run_all(z, s, N_S, N_T), (zs, scal))
    t_lane = _best(lambda z, q: lanes_all(z, q, N_S, N_T), (zl, ql))
    years = (N_T - 1) * n
    out = {"runs": n, "run_lanes": B, "sector_lanes": L, "same_bits": same,
           "per_run_ns_per_run_year": 1e9 * t_run / years, "lanes_ns_per_run_year": 1e9 * t_lane / years}
    out["speedup"] = out["per_run_ns_per_run_year"] / out["lanes_ns_per_run_year"]
    print(f"investment + TFP + value added, one year of one run: per-run form {out['per_run_ns_per_run_year']:.0f} ns, "
          f"{B} runs in lanes {out['lanes_ns_per_run_year']:.0f} ns ({out['speedup']:.2f}x); same bits: {same}")
    res = ROOT / "benchmarks" / "results"
    res.mkdir(exist_ok=True)
    (res / "bench_lanes_probe.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
