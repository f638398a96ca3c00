"""Scenario comparison and bilingual reports (``mfgbase compare`` / ``mfgbase diff``).

    >>> from model.compare import compare, diff
    >>> cmp = compare(["scenarios/baseline.yaml", "scenarios/plan-2004.yaml"])  # first = reference
    >>> cmp.levers, cmp.outcomes, cmp.paths, cmp.attribution                  # tidy frames
    >>> cmp.write("results/compare-baseline_vs_plan-2004")
    >>> diff("scenarios/plan-2004.yaml", "scenarios/rd-led.yaml")             # field-by-field
"""

from model.compare.compare import Comparison, compare, folder_name
from model.compare.diff import diff

__all__ = ["Comparison", "compare", "diff", "folder_name"]
