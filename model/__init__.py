"""mfgbase: scenario model of Zhejiang manufacturing and the 2004 Advanced Manufacturing Base plan.

Public API::

    from model import load_scenario, load_model, run_scenario
    result = run_scenario("scenarios/plan-2004.yaml")
    result.scorecard()

The names are imported on first use (PEP 562), so ``import model.cli`` stays light and the
``mfgbase`` command answers Ctrl-C cleanly even while numpy and pandas are still loading.
"""

from __future__ import annotations

import importlib

_API = {
    "evaluate": "model.run",
    "load_model": "model.run",
    "run_scenario": "model.run",
    "load_scenario": "model.scenario",
}

__all__ = ["evaluate", "load_model", "load_scenario", "run_scenario"]


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'model' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
