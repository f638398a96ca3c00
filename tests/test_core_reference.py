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
