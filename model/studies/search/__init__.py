"""Policy search: which mix of instruments reaches the targets, at what cost (issue #15).

Two canonical problems over a fixed sample of states of the world (sample-average
approximation; the policy is the decision and is never sampled):

* cost-effective: min expected cost s.t. P(all scored targets met | mix) >= alpha (and optional
  per-target floors, a budget cap, locked instruments) - :func:`cheapest_mix`;
* trade-off front: cost against P(all met) - :func:`trade_off_front`;

plus scenario discovery (PRIM boxes, :mod:`.prim`). :func:`search` runs the whole study of a
scenario (``mfgbase search``). Modules: :mod:`.space` (decision variables), :mod:`.problem`
(the vectorised mix problem), :mod:`.score`, :mod:`.optimize`, :mod:`.prim`, :mod:`.study`,
:mod:`.scenario_file`, :mod:`.analytic` (a problem with a closed-form frontier).
"""

from model.studies.search.analytic import AnalyticProblem
from model.studies.search.optimize import Archive, cheapest_mix, trade_off_front
from model.studies.search.prim import PrimBox, prim
from model.studies.search.problem import Constraints, MixOutcome, MixProblem, ModelMixProblem
from model.studies.search.space import (
    Decision,
    DecisionSpace,
    SearchError,
    decision_space,
    parse_locks,
)
from model.studies.search.study import SearchResult, SearchSettings, search

__all__ = [
    "AnalyticProblem", "Archive", "Constraints", "Decision", "DecisionSpace", "MixOutcome", "MixProblem",
    "ModelMixProblem", "PrimBox", "SearchError", "SearchResult", "SearchSettings", "cheapest_mix",
    "decision_space", "parse_locks", "prim", "search", "trade_off_front",
]
