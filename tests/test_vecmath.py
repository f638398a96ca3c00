"""The vector maths of the compiled core (model.vecmath) against numpy, compiled and as Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

from model import vecmath as vm

ROOT = Path(__file__).resolve().parent.parent
ULP = np.finfo(float).eps
CASES = {  # name: (function, numpy, argument ranges)
    "exp": (vm.vexp, np.exp, [(-700.0, 700.0)]),
    "log": (vm.vlog, np.log, [(1e-300, 1e300)]),
    "expm1": (vm.vexpm1, np.expm1, [(-30.0, 30.0)]),
    "log1p": (vm.vlog1p, np.log1p, [(-0.999, 1e6)]),
    "pow": (vm.vpow, np.power, [(1e-3, 1e3), (-20.0, 20.0)]),
}


@numba.njit
def _unary_rows(x, out, which):
    n = x.size
    if which == 0:
        vm.vexp(x, out, n)
    elif which == 1:
        vm.vlog(x, out, n)
    elif which == 2:
        vm.vexpm1(x, out, n)
    else:
        vm.vlog1p(x, out, n)


@numba.njit
def _pow_rows(x, y, out):
    vm.vpow(x, y, out, x.size)


def _compiled(name, args, out):
    if name == "pow":
        _pow_rows(args[0], args[1], out)
    else:
        _unary_rows(args[0], out, ("exp", "log", "expm1", "log1p").index(name))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("n", [1, 3, 8, 15, 16, 17, 64])
def test_compiled_rows_match_numpy_within_4_ulp(name, n):
    """Whole vectors and the scalar tail (n not a multiple of the width) agree with numpy's
    ufuncs within glibc's documented 4 ulp, and no number past n is written."""
    fn, ref, ranges = CASES[name]
    rng = np.random.default_rng(n)
    args = [rng.uniform(lo, hi, n) for lo, hi in ranges]
    if name == "log":
        args = [np.exp(rng.uniform(np.log(1e-300), np.log(1e300), n))]
    out = np.full(n + 3, -7.0)
    _compiled(name, [a for a in args], out[:n])
    expected = ref(*args)
    assert np.all(np.abs(out[:n] - expected) <= 4 * ULP * np.abs(expected))
    assert np.all(out[n:] == -7.0)


@numba.njit
def _unary_rows_at(x, a, out, o, n, which):
    if which == 0:
        vm.vexp_at(x, a, out, o, n)
    elif which == 1:
        vm.vlog_at(x, a, out, o, n)
    elif which == 2:
        vm.vexpm1_at(x, a, out, o, n)
    else:
        vm.vlog1p_at(x, a, out, o, n)


@numba.njit
def _pow_rows_at(x, a, y, b, out, o, n):
    vm.vpow_at(x, a, y, b, out, o, n)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("n,a,o", [(1, 0, 5), (8, 3, 0), (17, 5, 2), (16, 9, 9), (64, 1, 70)])
def test_offset_forms_read_and_write_only_their_rows(name, n, a, o):
    """The ``*_at`` forms (rows at offsets into one flat array, as the kernel keeps its state):
    out[o:o+n] = f(x[a:a+n]) within 4 ulp of numpy, nothing else of ``out`` written; in place
    (same array, same offset) too."""
    fn, ref, ranges = CASES[name]
    rng = np.random.default_rng(100 * n + a)
    lo, hi = ranges[0]
    x = rng.uniform(lo, hi, a + n + 4)
    out = np.full(o + n + 4, -7.0)
    if name == "pow":
        y = rng.uniform(*ranges[1], o + n + 4)  # the exponent row at offset o of its own array
        _pow_rows_at(x, a, y, o, out, o, n)
        expected = ref(x[a:a + n], y[o:o + n])
    else:
        _unary_rows_at(x, a, out, o, n, ("exp", "log", "expm1", "log1p").index(name))
        expected = ref(x[a:a + n])
    assert np.all(np.abs(out[o:o + n] - expected) <= 4 * ULP * np.abs(expected))
    assert np.all(out[:o] == -7.0) and np.all(out[o + n:] == -7.0)
    if name != "pow":
        inplace = x.copy()
        _unary_rows_at(inplace, a, inplace, a, n, ("exp", "log", "expm1", "log1p").index(name))
        assert np.array_equal(inplace[a:a + n], out[o:o + n])
        assert np.array_equal(inplace[:a], x[:a]) and np.array_equal(inplace[a + n:], x[a + n:])


def test_python_forms_are_numpy():
    """Called from Python (and with NUMBA_DISABLE_JIT=1) the functions are numpy's, on the first n."""
    x = np.array([0.5, 1.0, 2.0, 3.0])
    out = np.zeros(4)
    vm.vexp(x, out, 3)
    assert np.array_equal(out[:3], np.exp(x[:3])) and out[3] == 0.0
    vm.vpow(x, x, out, 4)
    assert np.array_equal(out, x**x)


def test_special_values_follow_ieee():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -745.2, 709.9])
    out = np.empty_like(x)
    _unary_rows(x, out, 0)
    assert out[0] == 1.0 and out[1] == 1.0 and out[2] == np.inf and out[3] == 0.0 and np.isnan(out[4])
    _unary_rows(np.array([0.0, -1.0, np.inf, 1.0, np.nan, 2.0, 3.0, 4.0]), out, 1)
    assert out[0] == -np.inf and np.isnan(out[1]) and out[2] == np.inf and out[3] == 0.0 and np.isnan(out[4])


def test_rows_must_be_contiguous_float64():
    with pytest.raises(numba.core.errors.TypingError, match="C-contiguous float64"):
        _unary_rows(np.arange(16.0)[::2], np.zeros(8), 0)


@pytest.mark.skipif(sys.platform != "linux", reason="libmvec is glibc's")
def test_the_choice_is_recorded_and_the_scalar_fallback_computes_the_same():
    """VARIANT names what this machine uses; with MFGBASE_VECMATH=scalar no libmvec symbol is
    used and the compiled function is the scalar loop, with numpy's values."""
    assert vm.VARIANT.startswith(("libmvec", "scalar"))
    code = (
        "import numpy as np, numba; from model import vecmath as vm\n"
        "assert vm.VARIANT.startswith('scalar') and vm.SYMBOLS == {}\n"
        "@numba.njit\n"
        "def f(x, o):\n    vm.vexp(x, o, x.size)\n"
        "x = np.linspace(-5, 5, 19); o = np.empty(19); f(x, o)\n"
        "assert np.allclose(o, np.exp(x), rtol=1e-15, atol=0); print('ok')\n"
    )
    env = {**os.environ, "MFGBASE_VECMATH": "scalar", "NUMBA_CACHE_DIR": str(ROOT / ".pytest_cache" / "numba-scalar")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("ok")
