"""Strict JSON for every file mfgbase writes (RFC 8259: no NaN, no Infinity).

``to_json`` turns numpy scalars and arrays into Python values, paths and other objects into
text, and non-finite floats into ``null`` (a missing value), then serialises with
``allow_nan=False`` so a NaN can never slip through into a manifest.
"""

from __future__ import annotations

import json
import math
from pathlib import PurePath

import numpy as np


def jsonable(obj):
    """A copy of ``obj`` made of dict/list/str/int/float/bool/None, every float finite."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = sorted(obj, key=str) if isinstance(obj, set | frozenset) else obj
        return [jsonable(v) for v in items]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        x = float(obj)
        return x if math.isfinite(x) else None
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, PurePath):
        return str(obj)
    return str(obj)


def to_json(obj, **kwargs) -> str:
    """``json.dumps`` of ``jsonable(obj)`` with ``allow_nan=False`` (strict JSON)."""
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(jsonable(obj), allow_nan=False, **kwargs)
