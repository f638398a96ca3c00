"""Precision of the calibration outputs and the tolerance used to compare two calibrations.

A least-squares fit repeated on another CPU or BLAS differs in the 10th significant digit
(0.04557166301 vs 0.04557166307): digits far below the statistical uncertainty. The written
files therefore keep only the digits the fit supports, and two fits are compared within a
tolerance, never byte for byte.

Rounding rule (applied when ``parameters.yaml`` and the ``calibrated:`` block are written):

- a standard error keeps ``SE_DIGITS`` = 3 significant digits (0.004557166 -> 0.00456);
- its estimate is rounded to the same decimal place, the last digit of the rounded standard
  error (0.04557166301 ± 0.00456 -> 0.04557): the rounding step is at most 1 % of the SE;
- every other number the fit computes (correlations, s², RMSE, sigmas, back-test errors,
  posterior/prior sd ratios, deflator checks) keeps ``DIAG_DIGITS`` = 4 significant digits;
- inputs copied from ``priors.yaml`` (prior central, sd, bounds) are written as given.

Tolerance rule (``mfgbase calibrate --check`` and the reproducibility tests):

- an estimate (``value``, ``backtest_value``, ``mean`` of the calibrated block) matches when
  ``|a - b| <= SE_TOLERANCE * max(se_a, se_b)``: within 2 % of its standard error (one
  rounding step of at most 1 % of the SE, plus floating-point noise);
- a standard error (``se``, ``backtest_se``, ``sd`` of the calibrated block) matches when
  ``|a - b| <= SE_TOLERANCE * max(a, b)``: within 2 % of itself (one step in its 3rd
  significant digit is at most 1 %);
- any other float matches when ``|a - b| <= REL_TOLERANCE * max(|a|, |b|) + ABS_TOLERANCE``
  (two units in the 4th significant digit);
- strings (sha256 of the inputs, labels, statuses), integers and booleans must be equal, and
  both documents must have the same keys.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

SE_DIGITS = 3
DIAG_DIGITS = 4
SE_TOLERANCE = 0.02
REL_TOLERANCE = 2e-3
ABS_TOLERANCE = 1e-9
#: estimate key -> key of its standard error in the same mapping
SE_OF = {"value": "se", "backtest_value": "backtest_se", "mean": "sd"}
SE_KEYS = frozenset(SE_OF.values())


def round_sig(x: float, digits: int = DIAG_DIGITS) -> float:
    """``x`` rounded to ``digits`` significant digits (0 and non-finite values unchanged)."""
    x = float(x)
    if x == 0.0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def se_decimals(se: float, digits: int = SE_DIGITS) -> int:
    """Decimal place of the last kept digit of the standard error ``se`` (``round`` argument)."""
    se = round_sig(se, digits)
    return digits - 1 - math.floor(math.log10(abs(se)))


def round_estimate(value: float, se: float) -> tuple[float, float]:
    """(value, se) at the precision the standard error justifies.

    ``se`` keeps SE_DIGITS significant digits; ``value`` is rounded to the same decimal place.
    A non-positive or non-finite ``se`` leaves ``value`` at DIAG_DIGITS significant digits.
    """
    value, se = float(value), float(se)
    if not (math.isfinite(se) and se > 0.0):
        return round_sig(value), se
    return round(value, se_decimals(se)), round_sig(se, SE_DIGITS)


def differences(old, new, path: str = "") -> Iterator[str]:
    """Yield one line per difference between two parsed calibration documents beyond the
    tolerance rule of this module (empty: the documents agree)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new), key=str):
            p = f"{path}.{k}" if path else str(k)
            if k not in old or k not in new:
                yield f"{p}: only in {'the fresh fit' if k in new else 'the file'}"
                continue
            if k in SE_OF and _is_float(old[k]) and _is_float(new[k]) and SE_OF[k] in old \
                    and SE_OF[k] in new:
                se = max(abs(float(old[SE_OF[k]])), abs(float(new[SE_OF[k]])))
                if abs(float(old[k]) - float(new[k])) > SE_TOLERANCE * se:
                    yield f"{p}: {old[k]} vs {new[k]} (more than {SE_TOLERANCE:.0%} of se {se})"
                continue
            if k in SE_KEYS and _is_float(old[k]) and _is_float(new[k]):
                a, b = abs(float(old[k])), abs(float(new[k]))
                if abs(a - b) > SE_TOLERANCE * max(a, b):
                    yield f"{p}: {old[k]} vs {new[k]} (standard errors differ by more than {SE_TOLERANCE:.0%})"
                continue
            yield from differences(old[k], new[k], p)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            yield f"{path}: {len(old)} vs {len(new)} items"
            return
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from differences(a, b, f"{path}[{i}]")
    elif _is_float(old) and _is_float(new) and (isinstance(old, float) or isinstance(new, float)):
        a, b = float(old), float(new)
        if not abs(a - b) <= REL_TOLERANCE * max(abs(a), abs(b)) + ABS_TOLERANCE:
            yield f"{path}: {old} vs {new} (relative tolerance {REL_TOLERANCE:g})"
    elif type(old) is not type(new) or old != new:
        yield f"{path}: {old!r} vs {new!r}"


def agree(old, new) -> bool:
    """True when two parsed calibration documents agree within the tolerance rule."""
    return next(differences(old, new), None) is None


def _is_float(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)
