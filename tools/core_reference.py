"""Reference outputs of the model core on a wide random sample, for the equivalence test.

    .venv/bin/python tools/core_reference.py            # writes tests/fixtures/core_reference.npz
    .venv/bin/python tools/core_reference.py --check    # compares the current core with the fixture

The fixture holds, for several groups of runs (one ``model.core.simulate`` call each), the
complete inputs - the base year (``ModelBase`` fields), the parameter arrays and the driver
arrays - and the outputs: every projection variable of the first ``FULL_RUNS`` runs of a group
in full (run, year, sector), and for every run the sector sum and a fixed random weighting of
each sector variable, every province variable, and every plan indicator under the group's
definition switches. Because the inputs are stored, the test depends on the core alone, not on
calibration/ or the priors (which other work may change).

Groups: each scenario file on the calibrated plan base, with every prior parameter drawn
uniformly on its [low, high] (some per sector), every lever and assumption path drawn per run
inside its registry range (a level per run plus a per-year jitter; the sector paths per run, per
run and sector, or shared), random definition switches; a two-sector base without the power
block and without sector patterns; and one run at the central values (R = 1).

When an equation is changed on purpose, regenerate the fixture from the commit that makes the
change (and say so in the commit message): ``tools/core_reference.py`` rewrites it and records
the source commit; ``tests/test_core_reference.py`` then checks the compiled core against it.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import core, indicators  # noqa: E402
from model.run import input_space, load_model, scenario_inputs  # noqa: E402
from model.scenario import load_scenario  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "core_reference.npz"
SEED = 20261202
RUNS_PER_SCENARIO = 40
TINY_RUNS = 32
FULL_RUNS = 4  # runs per group stored in full (run, year, sector)
SCENARIOS = ("plan-2004", "baseline", "fdi-led", "green-first", "rd-led")
# driver layouts for the sector paths ("ts" drivers) of each scenario group, in turn
TS_LAYOUTS = ("shared", "per_run", "per_run_sector")


def tiny_base() -> core.ModelBase:
    """Two sectors, no power block, no sector patterns (as the teeth tests build it)."""
    return core.ModelBase(
        sectors=("a", "b"), high_tech=np.array([False, True]), value_added=np.array([100.0, 50.0]),
        gross_output=np.array([400.0, 250.0]), sales=np.array([380.0, 240.0]),
        capital=np.array([300.0, 120.0]), labour=np.array([40.0, 20.0]),
        investment=np.array([60.0, 30.0]), export_delivery=np.array([80.0, 60.0]),
        rd=np.array([3.8, 2.4]), energy=np.array([200.0, 20.0]),
        china_gross_output=np.array([4000.0, 1000.0]), china_export_delivery=1000.0,
        fdi_actually_used=2.0, key_firms_count=301.0, key_firms_output=2954.9,
        top_firms_anchor_count=183.0, rd_growth_presample=0.1, local_fiscal_expenditure_2003=900.0,
        above_size_firms_2003=20000.0,
    )


def random_params(model, n: int, n_sec: int, rng: np.random.Generator, per_sector: bool) -> dict:
    """Every prior parameter uniform on [low, high]; sector parameters per sector when asked."""
    out = {}
    for name, spec in model.parameters.specs.items():
        if per_sector and name in core.SECTOR_PARAMETERS and rng.random() < 0.5:
            out[name] = rng.uniform(spec.low, spec.high, (n, n_sec))
        else:
            out[name] = rng.uniform(spec.low, spec.high, n)
    return out


def random_drivers(model, base_drivers: dict, n: int, n_sec: int, rng, ts_layout: str) -> dict:
    """Scenario drivers with every lever/assumption path drawn per run inside its range."""
    drivers = {k: np.asarray(v, dtype=float)[None, ...] for k, v in base_drivers.items()}
    space = input_space(model)
    dims = [d for d in (*space.levers, *space.uncertainties) if d.target_kind == "driver"]
    horizon = len(core.YEARS) - 1
    for d in dims:
        width = d.high - d.low
        sector = core.DRIVERS[d.target] == "ts"
        shape = (n, horizon) if not sector or ts_layout == "per_run" else (n, horizon, n_sec)
        if sector and ts_layout == "shared":
            shape = (1, horizon, n_sec)
        lead = shape[:1] + (1,) + shape[2:]
        level = rng.uniform(d.low, d.high, lead)
        path = np.clip(level + 0.1 * width * rng.uniform(-1, 1, shape), d.low, d.high)
        base = drivers[d.target][0]  # (T,) or (T, S)
        first = np.broadcast_to(base[:1], (shape[0], 1) + (shape[2:] if base.ndim == 1 else base.shape[1:]))
        if len(shape) == 2 and base.ndim == 2:  # per-run province path of a sector driver
            first = first.mean(axis=2)
        drivers[d.target] = np.concatenate([first, path], axis=1)
    return drivers


def random_switches(rng) -> dict[str, str]:
    return {k: str(rng.choice(v)) for k, v in indicators.SWITCHES.items()}


def outputs(base, params, drivers, switches, weights_of, st_to_rd, ffs) -> dict[str, np.ndarray]:
    """Every output of one core call, reduced as the fixture stores it."""
    proj = core.simulate(base, params, drivers)
    inds = indicators.compute(proj, params, base.high_tech, st_to_rd, ffs, switches)
    out = {}
    for name, arr in proj.values.items():
        dims = core.VARIABLES[name][1]
        a = np.asarray(arr, dtype=float)
        out[f"full/{name}"] = a[:FULL_RUNS].copy()
        if dims == "ts":
            out[f"sum/{name}"] = a.sum(axis=2)
            out[f"wsum/{name}"] = a @ weights_of(a.shape[2])
        else:
            out[f"path/{name}"] = a.copy()
    for name, ind in inds.items():
        out[f"indicator/{name}"] = np.asarray(ind.value, dtype=float).copy()
    return out


def sector_weights(n_sec: int) -> np.ndarray:
    """Fixed weights in [1, 2] per sector: a weighted sum sees an error a plain sum could cancel."""
    return 1.0 + np.arange(n_sec) / max(n_sec - 1, 1)


def base_arrays(base: core.ModelBase) -> dict:
    out = {}
    for f in fields(base):
        v = getattr(base, f.name)
        if v is None:
            continue
        out[f.name] = np.asarray(v)
    return out


def base_from(arrays: dict) -> core.ModelBase:
    kw = {}
    for f in fields(core.ModelBase):
        if f.name not in arrays:
            continue
        v = arrays[f.name]
        if f.name == "sectors":
            kw[f.name] = tuple(str(s) for s in v)
        elif v.ndim == 0:
            kw[f.name] = float(v)
        else:
            kw[f.name] = v
    return core.ModelBase(**kw)


def build() -> tuple[dict[str, np.ndarray], dict]:
    """Inputs and reference outputs of every group, keyed group/kind/name."""
    rng = np.random.default_rng(SEED)
    model = load_model()
    store: dict[str, np.ndarray] = {}
    groups = []
    cases = []
    for i, sid in enumerate(SCENARIOS):
        scen = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
        _, drv, _ = scenario_inputs(model, scen)
        cases.append((sid, model.base, drv, RUNS_PER_SCENARIO, TS_LAYOUTS[i % len(TS_LAYOUTS)], True))
    _, plan_drv, _ = scenario_inputs(model, load_scenario(ROOT / "scenarios" / "plan-2004.yaml"))
    tiny_drv = {k: (v.mean(axis=1, keepdims=True).repeat(2, axis=1) if v.ndim == 2 else v) for k, v in plan_drv.items()}
    cases.append(("tiny", tiny_base(), tiny_drv, TINY_RUNS, "per_run", True))
    cases.append(("central", model.base, plan_drv, 1, "shared", False))
    for gid, base, drv, n, layout, randomised in cases:
        n_sec = len(base.sectors)
        if randomised:
            params = random_params(model, n, n_sec, rng, per_sector=layout != "shared")
            drivers = random_drivers(model, drv, n, n_sec, rng, layout)
            switches = random_switches(rng)
        else:
            params = model.parameters.arrays(1)
            drivers = {k: np.asarray(v, dtype=float)[None, ...] for k, v in drv.items()}
            switches = dict(indicators.DEFAULT_SWITCHES)
        outs = outputs(base, params, drivers, switches, sector_weights, model.st_to_rd_ratio,
                       model.foreign_funding_share_china)
        bad = [k for k, v in outs.items() if not np.all(np.isfinite(v))]
        for k, v in base_arrays(base).items():
            store[f"{gid}/base/{k}"] = v
        for k, v in params.items():
            store[f"{gid}/params/{k}"] = np.asarray(v, dtype=float)
        for k, v in drivers.items():
            store[f"{gid}/drivers/{k}"] = np.asarray(v, dtype=float)
        for k, v in outs.items():
            store[f"{gid}/out/{k}"] = v
        groups.append({"id": gid, "runs": n, "ts_layout": layout, "switches": switches,
                       "constants": [model.st_to_rd_ratio, model.foreign_funding_share_china],
                       "non_finite_outputs": bad})
    return store, {"groups": groups}


def load_fixture(path: Path = FIXTURE) -> tuple[dict, list[dict]]:
    """(group id -> {base, params, drivers, switches, constants, out}, meta)."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        data = {k: z[k] for k in z.files if k != "meta"}
    groups = {}
    for g in meta["groups"]:
        gid = g["id"]
        part = {kind: {} for kind in ("base", "params", "drivers", "out")}
        for key, v in data.items():
            head, kind, name = key.split("/", 2)
            if head == gid:
                part[kind][name] = v
        groups[gid] = {"base": base_from(part["base"]), "params": part["params"], "drivers": part["drivers"],
                       "switches": g["switches"], "constants": g["constants"], "out": part["out"], "runs": g["runs"]}
    return groups, meta


def current_outputs(group: dict) -> dict[str, np.ndarray]:
    st_to_rd, ffs = group["constants"]
    return outputs(group["base"], group["params"], group["drivers"], group["switches"], sector_weights, st_to_rd, ffs)


def compare(ref: np.ndarray, new: np.ndarray, rtol: float = 1e-12, atol_scale: float = 1e-12) -> float:
    """Largest error relative to ``rtol |ref| + atol`` (<= 1 passes); atol = atol_scale x max |ref|."""
    ref = np.asarray(ref, dtype=float)
    new = np.asarray(new, dtype=float)
    if ref.shape != new.shape:
        return float("inf")
    both_nan = np.isnan(ref) & np.isnan(new)
    atol = atol_scale * (np.nanmax(np.abs(ref)) if np.any(np.isfinite(ref)) else 0.0) + 1e-300
    err = np.where(both_nan, 0.0, np.abs(new - ref) / (rtol * np.abs(ref) + atol))
    return float(np.nanmax(np.where(np.isnan(err), np.inf, err))) if err.size else 0.0


def git_commit() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "model"], cwd=ROOT, capture_output=True, text=True)
        return rev.stdout.strip() + (" (model/ modified)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare the current core with the fixture")
    ap.add_argument("--out", type=Path, default=FIXTURE)
    args = ap.parse_args()
    if args.check:
        groups, meta = load_fixture(args.out)
        worst = 0.0
        for gid, g in groups.items():
            new = current_outputs(g)
            for k, ref in g["out"].items():
                e = compare(ref, new[k])
                worst = max(worst, e)
                if e > 1:
                    print(f"{gid} {k}: error {e:.3g} x tolerance")
        print(f"fixture from {meta['source_commit']}: worst error {worst:.3g} x tolerance (1e-12 relative)")
        return 0 if worst <= 1 else 1
    store, meta = build()
    meta["source_commit"] = git_commit()
    meta["seed"] = SEED
    meta["note"] = "reference outputs of model.core.simulate; regenerate with tools/core_reference.py"
    buf = io.BytesIO()
    np.savez_compressed(buf, meta=np.array(json.dumps(meta)), **store)
    tmp = args.out.with_suffix(".tmp.npz")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(args.out)
    runs = sum(g["runs"] for g in meta["groups"])
    bad = [(g["id"], g["non_finite_outputs"]) for g in meta["groups"] if g["non_finite_outputs"]]
    print(f"wrote {args.out.relative_to(ROOT)}: {runs} runs in {len(meta['groups'])} groups, "
          f"{args.out.stat().st_size / 1e6:.2f} MB, source {meta['source_commit']}")
    if bad:
        print(f"non-finite outputs: {bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
