"""The core against reference outputs of the numpy core it replaced (tools/core_reference.py).

The fixture holds inputs and outputs of 233 runs in 7 groups (every scenario file with random
parameters, driver paths and definition switches; a two-sector base without the power block;
the central run). Every output must match within 1e-12 relative (atol 1e-12 x the largest
magnitude of the output, for values near zero). When an equation changes on purpose, regenerate
the fixture (see tools/core_reference.py) in the same commit.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("core_reference", ROOT / "tools" / "core_reference.py")
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

GROUPS, META = ref.load_fixture()


@pytest.mark.parametrize("gid", list(GROUPS))
def test_core_matches_reference_outputs(gid):
    group = GROUPS[gid]
    new = ref.current_outputs(group)
    assert set(new) == set(group["out"]), "the core's outputs differ from the fixture's list"
    errors = {k: ref.compare(v, new[k]) for k, v in group["out"].items()}
    worst = max(errors, key=errors.get)
    assert errors[worst] <= 1.0, f"{gid} {worst}: {errors[worst]:.3g} x tolerance (fixture from {META['source_commit']})"


def test_compare_sees_a_relative_error_above_1e_12():
    a = np.array([1.0, 2.0, 1e-20])
    assert ref.compare(a, a * (1 + 5e-13)) <= 1.0
    assert ref.compare(a, a * (1 + 3e-12)) > 1.0
    assert ref.compare(a, np.array([1.0, 2.0, 1e-3])) > 1.0


def test_reruns_are_bit_identical():
    group = GROUPS["plan-2004"]
    first = ref.current_outputs(group)
    second = ref.current_outputs(group)
    for k, v in first.items():
        assert v.tobytes() == second[k].tobytes(), k


def test_parallel_and_serial_kernels_give_the_same_bits():
    """Runs are independent: splitting them over threads changes no bit of any run."""
    import numba

    from model import core, kernel

    group = GROUPS["plan-2004"]
    base, params, drivers = group["base"], group["params"], group["drivers"]
    reps = -(-core.PARALLEL_MIN_RUNS // group["runs"])  # enough rows for the parallel path
    many = {k: np.concatenate([v] * reps) for k, v in params.items()}
    many_drivers = {k: (np.concatenate([v] * reps) if v.shape[0] > 1 else v) for k, v in drivers.items()}
    parallel = core.simulate(base, many, many_drivers)
    assert parallel["value_added"].shape[0] >= core.PARALLEL_MIN_RUNS
    serial = core.simulate(base, params, drivers)
    n = group["runs"]
    for name, arr in serial.values.items():
        for k in range(reps):
            assert parallel[name][k * n:(k + 1) * n].tobytes() == arr.tobytes(), name
    assert numba.get_num_threads() >= 1 and kernel.simulate_parallel is not None


@pytest.mark.parametrize("name, bad", [("rd_return", np.ones((3, 2))), ("exchange_rate", np.ones((1, 5))), ("labour_growth", np.ones((1, 8, 3)))])
def test_wrong_shapes_are_refused_before_the_kernel_runs(name, bad):
    from model import core

    group = GROUPS["tiny"]
    params, drivers = dict(group["params"]), dict(group["drivers"])
    (params if name in params else drivers)[name] = bad
    with pytest.raises(ValueError, match=name):
        core.simulate(group["base"], params, drivers)


def test_kernel_runs_as_plain_python_with_jit_disabled():
    """NUMBA_DISABLE_JIT=1 (mutation testing): the same code, interpreted, gives the same outputs."""
    import os
    import subprocess
    import sys

    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('r', 'tools/core_reference.py')\n"
        "r = importlib.util.module_from_spec(spec); spec.loader.exec_module(r)\n"
        "import numba; assert numba.config.DISABLE_JIT\n"
        "groups, _ = r.load_fixture()\n"
        "g = groups['tiny']; g = {**g, 'params': {k: v[:3] for k, v in g['params'].items()},\n"
        "    'drivers': {k: v[:3] for k, v in g['drivers'].items()}}\n"
        "new = r.current_outputs(g)\n"
        "worst = max(r.compare(v[:3], new[k][:3]) for k, v in groups['tiny']['out'].items())\n"
        "print(worst); sys.exit(0 if worst <= 1 else 1)\n"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
