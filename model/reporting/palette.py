"""One colour per input family, the same in every figure (sensitivity bars and scatters, compare
charts, the dashboard).

Families are the ``family`` of the registry's levers and assumptions
(``model/scenario/registry.py``) and of the parameters (``calibration/priors.yaml``), plus the
two group names the sensitivity adapter uses for whole sections (``levers``, ``assumptions``).
A colour depends only on the family's name - never on which families a figure happens to show
or in which order - so "R&D" is the same orange in every chart a planner compares.

    >>> from model.reporting.palette import family_colour
    >>> family_colour("rd")
    '#ff7f0e'

A family not in the table (a new registry entry, a group named in a scenario's ``uncertainty:``
block) gets a colour from :data:`SPARE_COLOURS` chosen by a hash of its name: stable across
figures, runs and machines (``hashlib``, not Python's salted ``hash``). Add the family to
:data:`FAMILY_COLOURS` to give it a colour of its own (``tests/test_palette.py`` checks that
every registry and priors family is in the table).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

#: family -> colour (matplotlib's tab20, dark tones first: distinguishable, colour-blind friendlier
#: than random hues); each family once
FAMILY_COLOURS: dict[str, str] = {
    "production": "#1f77b4",
    "rd": "#ff7f0e",
    "fdi": "#2ca02c",
    "trade": "#d62728",
    "energy": "#9467bd",
    "power": "#8c564b",
    "firms": "#e377c2",
    "diffusion": "#7f7f7f",
    "counters": "#bcbd22",
    "base_year": "#17becf",
    "investment": "#aec7e8",
    "prices": "#ffbb78",
    "budget": "#98df8a",
    "levers": "#ff9896",
    "assumptions": "#c5b0d5",
}

#: colours for families not in the table (the rest of tab20)
SPARE_COLOURS: tuple[str, ...] = ("#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5")

#: colour of inputs without a family (an ungrouped input)
NO_FAMILY = "#4d4d4d"


def family_colour(family: str | None) -> str:
    """The colour (``#rrggbb``) of ``family``; :data:`NO_FAMILY` for none/empty."""
    if not family:
        return NO_FAMILY
    if family in FAMILY_COLOURS:
        return FAMILY_COLOURS[family]
    digest = hashlib.sha256(family.encode("utf-8")).digest()
    return SPARE_COLOURS[digest[0] % len(SPARE_COLOURS)]


def family_colours(families: Iterable[str | None]) -> dict[str | None, str]:
    """``{family: colour}`` for the families of one figure (each the colour of :func:`family_colour`)."""
    return {f: family_colour(f) for f in families}
