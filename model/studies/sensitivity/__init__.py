"""Sensitivity and uncertainty study of a scenario: the mfgbase side of :mod:`model.uq`.

* :mod:`.adapter` - scenario ``uncertainty:`` block -> ``Problem`` + columns; the picklable
  ``ModelFunction`` f(X) -> Y that carries the resolved scenario inputs
* :mod:`.study`   - ``study(scenario, method, n, seed, ...) -> SensitivityStudy`` (tidy frames)

Writing a study's folder is :func:`model.outputs.write_study`; the command is
``mfgbase sensitivity`` (:mod:`model.commands.sensitivity`).
"""

from .adapter import (
    FAMILY_LABELS,
    Column,
    ModelFunction,
    UncertaintyError,
    YearSlice,
    build_problem,
)
from .study import METHODS, MODEL_CHUNK, SensitivityStudy, StudyError, make_evaluator, study

__all__ = [
    "FAMILY_LABELS",
    "METHODS",
    "MODEL_CHUNK",
    "Column",
    "ModelFunction",
    "SensitivityStudy",
    "StudyError",
    "UncertaintyError",
    "YearSlice",
    "build_problem",
    "make_evaluator",
    "study",
]
