"""Vector maths for the compiled core: exp, log, expm1, log1p and power over a row of numbers.

``vexp(x, out, n)`` sets ``out[:n] = exp(x[:n])``, and likewise ``vlog``, ``vexpm1``, ``vlog1p``
and ``vpow(x, y, out, n)`` (``x ** y``). From Python (and with ``NUMBA_DISABLE_JIT=1``) they are
numpy's ufuncs. Compiled into the kernel (``model.kernel``) they call the SIMD variants of glibc's
vector maths library libmvec (``_ZGVeN8v_exp``: 8 numbers per call with AVX-512, ``_ZGVdN4v_*``:
4 with AVX2, ``_ZGVbN2v_*``: 2 with SSE), several sectors at once, where the scalar libm calls cost
4-10 ns each: on this project's AMD EPYC (Zen 5) a row of 16 costs 0.8 ns per number for exp
against 4.5 ns (docs/performance.md). The last ``n mod width`` numbers take the scalar function.

Accuracy: glibc documents libmvec's double functions to within 4 ulp (``libm-test-ulps``; the
scalar functions within 1-2 ulp); the core is checked within 1e-12 relative against the numpy
core (``tests/test_core_reference.py``) and reruns on one machine are bit-identical.

Where libmvec or a function of it is missing (not glibc on x86-64, glibc < 2.35 for
expm1/log1p, or ``MFGBASE_VECMATH=scalar``), that function falls back to a scalar loop: same
results to rounding, only slower. ``VARIANT`` names what was chosen; it is part of the kernel's
cache stamp, so a machine whose choice changes recompiles.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic, overload, register_jitable

#: libmvec name stem of each function and its number of vector arguments
FUNCTIONS = {"exp": 1, "log": 1, "expm1": 1, "log1p": 1, "pow": 2}


def _host_width() -> tuple[str, int]:
    """(x86 vector-ABI letter, lanes of float64) for the CPU numba compiles for."""
    if os.environ.get("NUMBA_CPU_NAME"):  # compiling for another CPU: only SSE2 is certain
        return "b", 2
    from llvmlite import binding

    features = binding.get_host_cpu_features()
    if features.get("avx512f"):
        return "e", 8
    if features.get("avx2"):
        return "d", 4
    return "b", 2


def _choose() -> tuple[dict[str, str], int, str]:
    """The libmvec symbol of each available function, the lane count, and a description."""
    if os.environ.get("MFGBASE_VECMATH", "").lower() == "scalar":
        return {}, 1, "scalar (MFGBASE_VECMATH=scalar)"
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return {}, 1, f"scalar (no libmvec on {platform.system()} {platform.machine()})"
    path = ctypes.util.find_library("mvec")
    if path is None:
        return {}, 1, "scalar (libmvec not found)"
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return {}, 1, "scalar (libmvec not loadable)"
    letter, width = _host_width()
    symbols = {}
    for name, arity in FUNCTIONS.items():
        symbol = f"_ZGV{letter}N{width}{'v' * arity}_{name}"
        if hasattr(lib, symbol):
            symbols[name] = symbol
    if symbols:
        from llvmlite import binding

        binding.load_library_permanently(path)  # the JIT resolves the symbols from here
    return symbols, width, f"libmvec {path}, {width} lanes: {', '.join(sorted(symbols)) or 'none'}"


SYMBOLS, WIDTH, VARIANT = _choose()


def vexp(x, out, n):
    """out[:n] = exp(x[:n]) (x, out: 1-d float64 arrays, n <= their sizes)."""
    out[:n] = np.exp(x[:n])


def vlog(x, out, n):
    """out[:n] = log(x[:n])."""
    out[:n] = np.log(x[:n])


def vexpm1(x, out, n):
    """out[:n] = expm1(x[:n]) = exp(x[:n]) - 1, accurate near 0."""
    out[:n] = np.expm1(x[:n])


def vlog1p(x, out, n):
    """out[:n] = log1p(x[:n]) = log(1 + x[:n]), accurate near 0."""
    out[:n] = np.log1p(x[:n])


def vpow(x, y, out, n):
    """out[:n] = x[:n] ** y[:n]."""
    out[:n] = np.power(x[:n], y[:n])


# the same from offsets into the arrays, so that compiled code need not make views of rows of one
# flat array (each view costs two atomic reference-count updates): out[o:o+n] = f(x[a:a+n])
def vexp_at(x, a, out, o, n):
    """out[o:o+n] = exp(x[a:a+n])."""
    out[o:o + n] = np.exp(x[a:a + n])


def vlog_at(x, a, out, o, n):
    """out[o:o+n] = log(x[a:a+n])."""
    out[o:o + n] = np.log(x[a:a + n])


def vexpm1_at(x, a, out, o, n):
    """out[o:o+n] = expm1(x[a:a+n])."""
    out[o:o + n] = np.expm1(x[a:a + n])


def vlog1p_at(x, a, out, o, n):
    """out[o:o+n] = log1p(x[a:a+n])."""
    out[o:o + n] = np.log1p(x[a:a + n])


def vpow_at(x, a, y, b, out, o, n):
    """out[o:o+n] = x[a:a+n] ** y[b:b+n]."""
    out[o:o + n] = np.power(x[a:a + n], y[b:b + n])


def _check_rows(*arrays) -> None:
    for a in arrays:
        if not (isinstance(a, types.Array) and a.ndim == 1 and a.dtype == types.float64 and a.layout == "C"):
            raise TypingError(f"vector maths takes 1-d C-contiguous float64 arrays, not {a}")


def _vector_intrinsic(symbol: str, arity: int):
    """An intrinsic that applies libmvec's ``symbol`` to ``WIDTH`` numbers: (x, i[, y, j], out, k)
    reads x[i:i+WIDTH] (and y[j:j+WIDTH]) and writes out[k:k+WIDTH]."""
    vec = ir.VectorType(ir.DoubleType(), WIDTH)
    fnty = ir.FunctionType(vec, [vec] * arity)

    def codegen(context, builder, signature, args):
        pairs = [(signature.args[m], args[m], args[m + 1]) for m in range(0, len(args), 2)]
        pointers = [builder.bitcast(builder.gep(context.make_array(t)(context, builder, a).data, [i]), vec.as_pointer())
                    for t, a, i in pairs]
        result = builder.call(cgutils.get_or_insert_function(builder.module, fnty, symbol),
                              [builder.load(p, align=8) for p in pointers[:-1]])
        builder.store(result, pointers[-1], align=8)
        return context.get_dummy_value()

    if arity == 1:
        @intrinsic
        def apply(typingctx, x, i, out, k):
            return types.void(x, types.intp, out, types.intp), codegen
    else:
        @intrinsic
        def apply(typingctx, x, i, y, j, out, k):
            return types.void(x, types.intp, y, types.intp, out, types.intp), codegen
    return apply


def _scalar_step(scalar, arity: int):
    """The fallback of a missing libmvec function: ``scalar`` on one number."""
    if arity == 1:
        def step(x, i, out, k):
            out[k] = scalar(x[i])
    else:
        def step(x, i, y, j, out, k):
            out[k] = scalar(x[i], y[j])
    return register_jitable(inline="always")(step)


def _rows(name: str, arity: int, scalar, offsets: bool):
    """The compiled form of a row function of ``arity`` (1 or 2) argument rows, with offsets into
    the arrays (``offsets``: the ``*_at`` form) or from their starts: libmvec's ``name`` on whole
    vectors of WIDTH numbers where it is available, ``scalar`` on the rest."""
    symbol = SYMBOLS.get(name)
    step = _vector_intrinsic(symbol, arity) if symbol else _scalar_step(scalar, arity)
    width = WIDTH if symbol else 1

    if arity == 1:
        def rows_at(x, a, out, o, n):
            whole = n // width * width
            for i in range(0, whole, width):
                step(x, a + i, out, o + i)
            for j in range(whole, n):
                out[o + j] = scalar(x[a + j])
        rows_at = register_jitable(inline="always")(rows_at)

        if offsets:
            def typer(x, a, out, o, n):
                _check_rows(x, out)
                return rows_at
        else:
            def typer(x, out, n):
                _check_rows(x, out)

                def impl(x, out, n):
                    rows_at(x, 0, out, 0, n)
                return impl
    else:
        def rows_at(x, a, y, b, out, o, n):
            whole = n // width * width
            for i in range(0, whole, width):
                step(x, a + i, y, b + i, out, o + i)
            for j in range(whole, n):
                out[o + j] = scalar(x[a + j], y[b + j])
        rows_at = register_jitable(inline="always")(rows_at)

        if offsets:
            def typer(x, a, y, b, out, o, n):
                _check_rows(x, y, out)
                return rows_at
        else:
            def typer(x, y, out, n):
                _check_rows(x, y, out)

                def impl(x, y, out, n):
                    rows_at(x, 0, y, 0, out, 0, n)
                return impl
    return typer


for _fn, _fn_at, _name, _arity, _scalar in (
    (vexp, vexp_at, "exp", 1, np.exp), (vlog, vlog_at, "log", 1, np.log), (vexpm1, vexpm1_at, "expm1", 1, np.expm1),
    (vlog1p, vlog1p_at, "log1p", 1, np.log1p), (vpow, vpow_at, "pow", 2, np.power),
):
    overload(_fn, inline="always")(_rows(_name, _arity, _scalar, offsets=False))
    overload(_fn_at, inline="always")(_rows(_name, _arity, _scalar, offsets=True))
