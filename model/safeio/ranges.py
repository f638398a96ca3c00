"""The one number validator: every number that enters the model is finite and in range.

``check_number`` refuses booleans (``values: true`` is not 1.0), text, NaN, infinities and values
outside ``[low, high]``; ``check_array`` does the same for numpy arrays (Python API overrides,
sampled parameter sets). Messages name the field, the value and the allowed range; the error
class is the caller's (``ScenarioError`` for scenario files, ``DataError`` for calibration
files, ``InputError`` for the Python API).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from model.errors import InputError
from model.safeio.text import shown

#: relative slack at the bounds (a sampled or rounded value a few ulps past a bound is inside)
BOUND_SLACK = 1e-9


def _slack(low: float | None, high: float | None) -> float:
    width = abs(high - low) if low is not None and high is not None else 1.0
    return BOUND_SLACK * max(width, 1.0)


def _range_text(low: float | None, high: float | None, unit: str) -> str:
    u = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"a number from {low:g} to {high:g}{u}"
    if low is not None:
        return f"a number >= {low:g}{u}"
    if high is not None:
        return f"a number <= {high:g}{u}"
    return f"a finite number{u}"


def check_number(
    value: object,
    where: str,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
    error: type[Exception] = InputError,
) -> float:
    """``value`` as a float if it is a finite real number in ``[low, high]``; else raise ``error``."""
    allowed = _range_text(low, high, unit)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise error(f"{where}: {shown(value, 60)} is not a number; allowed {allowed}")
    x = float(value)
    if not math.isfinite(x):
        raise error(f"{where}: {x} is not a finite number; allowed {allowed}")
    eps = _slack(low, high)
    if (low is not None and x < low - eps) or (high is not None and x > high + eps):
        raise error(f"{where}: value {x:g} out of range; allowed {allowed}")
    return x


def check_array(
    value: object,
    where: str,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
    error: type[Exception] = InputError,
) -> np.ndarray:
    """``value`` as a float array if every element is finite and in ``[low, high]``."""
    allowed = _range_text(low, high, unit)
    arr = np.asarray(value)
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise error(f"{where}: expected numbers (got {arr.dtype} values); allowed {allowed}")
    arr = arr.astype(float, copy=False)
    bad = ~np.isfinite(arr)
    eps = _slack(low, high)
    if low is not None:
        bad |= arr < low - eps
    if high is not None:
        bad |= arr > high + eps
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        at = f"[{', '.join(map(str, idx))}]" if arr.ndim else ""
        x = float(arr[idx]) if arr.ndim else float(arr)
        n = int(bad.sum())
        more = f" ({n} values)" if n > 1 else ""
        raise error(f"{where}{at}: value {x:g} not finite or out of range{more}; allowed {allowed}")
    return arr
