"""mfgbase: scenario model of Zhejiang manufacturing and the 2004 Advanced Manufacturing Base plan.

Public API::

    from model import load_scenario, load_model, run_scenario
    result = run_scenario("scenarios/plan-2004.yaml")
    result.scorecard()
"""

from model.run import evaluate, load_model, run_scenario
from model.scenario import load_scenario

__all__ = ["evaluate", "load_model", "load_scenario", "run_scenario"]
