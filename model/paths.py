"""Project paths.

All paths resolve relative to the package location (``model/`` lives in the project
root). Set the environment variable ``MFGBASE_ROOT`` to point the package at another
project tree (e.g. a copy of ``calibration/`` in a test or a planner's workspace).

- ``PROJECT_ROOT``    root of the project (``$MFGBASE_ROOT`` or the parent of ``model/``)
- ``CALIBRATION_DIR`` ``PROJECT_ROOT / "calibration"``: sourced data the model reads
- ``SCENARIOS_DIR``   ``PROJECT_ROOT / "scenarios"``: scenario YAML files
- ``RESULTS_DIR``     ``PROJECT_ROOT / "results"``: model outputs
- ``YEARBOOK_DIR``    ``CALIBRATION_DIR / "data"``: planner-supplied yearbook tables
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the project root: ``$MFGBASE_ROOT`` if set, else the parent of ``model/``."""
    env = os.environ.get("MFGBASE_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parent.parent


PROJECT_ROOT: Path = project_root()
CALIBRATION_DIR: Path = PROJECT_ROOT / "calibration"
SCENARIOS_DIR: Path = PROJECT_ROOT / "scenarios"
RESULTS_DIR: Path = PROJECT_ROOT / "results"
YEARBOOK_DIR: Path = CALIBRATION_DIR / "data"
