"""Scenario comparison and bilingual reports (``mfgbase compare`` / ``mfgbase diff``).

    >>> from model.studies.compare import compare, diff
    >>> from model.outputs import write_comparison
    >>> cmp = compare(["scenarios/baseline.yaml", "scenarios/plan-2004.yaml"])  # first = reference
    >>> cmp.levers, cmp.outcomes, cmp.paths, cmp.attribution                  # tidy frames
    >>> write_comparison(cmp, "results/compare-baseline_vs_plan-2004")
    >>> diff("scenarios/plan-2004.yaml", "scenarios/rd-led.yaml")             # field-by-field
"""

from model.studies.compare.compare import Comparison, compare, folder_name
from model.studies.compare.diff import diff

__all__ = ["Comparison", "compare", "diff", "folder_name"]
