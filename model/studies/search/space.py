"""The decision space of a policy search: which instruments are searched, over what range.

**Decision variable** (the definition every part of the search uses): one *level* per
instrument, in the instrument's registry unit, holding in every year 2004-2010 (and in every
sector for per-sector instruments), within the registry range ``[low, high]`` of the mode the
scenario uses. It is what ``model.run.experiments`` means by a policy value and what a
scenario file writes as ``levers: <name>: {values: <level>}`` (a child file's entry replaces
the parent's whole entry, per-sector overrides included).

Searched by default: the instruments that cost yuan (those with a ``cost_<name>`` variable in
the projection). Non-monetary instruments (designations, approvals, power plants, large
projects: measured by an effort index, never priced) keep the scenario's values: a search
over yuan cannot trade them, and pricing them would invent a number. A planner may *lock*
any instrument (costed or not) at a level: a locked instrument is not searched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.errors import InvalidInput


class SearchError(InvalidInput):
    """A search option is invalid (CLI exit 2, nothing written)."""


@dataclass(frozen=True)
class Decision:
    """One instrument of the search: registry name, scenario-file key, driver, unit, range."""

    name: str
    key: str  # levers.<name>
    driver: str  # core driver the level fills
    unit: str
    low: float
    high: float
    label_en: str
    label_zh: str
    costed: bool  # has a yuan cost (cost_<name>)
    scenario_value: float  # the scenario's mean level 2004-2010 (informative; NaN if none)


@dataclass(frozen=True)
class DecisionSpace:
    """Instruments searched (``free``) and locked (``locked`` -> level), in registry order."""

    free: tuple[Decision, ...]
    locked: tuple[tuple[Decision, float], ...]
    held: tuple[str, ...]  # instruments neither searched nor locked: the scenario's paths stay

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.free)

    @property
    def low(self) -> np.ndarray:
        return np.array([d.low for d in self.free], dtype=float)

    @property
    def high(self) -> np.ndarray:
        return np.array([d.high for d in self.free], dtype=float)

    @property
    def dim(self) -> int:
        return len(self.free)

    def clip(self, X: np.ndarray) -> np.ndarray:
        """Levels held inside ``[low, high]`` (rows = mixes)."""
        return np.clip(np.asarray(X, dtype=float), self.low, self.high)


def instrument_decisions(inputs, cost_variables) -> dict[str, Decision]:
    """Every instrument given as a year path of ``inputs`` (a ScenarioInputs), by name.

    ``cost_variables``: names of the projection's cost variables (``cost_<instrument>``).
    """
    out = {}
    for spec in inputs.registry.paths("levers"):
        mode = inputs.modes.get(spec.name, spec.default_mode)
        ms = spec.modes[mode]
        path = np.asarray(inputs.paths.get(spec.name, np.full(1, ms.neutral)), dtype=float)
        value = float(np.mean(path[1:])) if path.size > 1 else float(path[0])
        out[spec.name] = Decision(spec.name, spec.key, ms.driver, ms.unit, float(ms.low), float(ms.high),
                                  spec.label_en, spec.label_zh, f"cost_{spec.name}" in cost_variables, value)
    return out


def parse_locks(items) -> dict[str, float]:
    """``["name=value", ...]`` -> {name: value}; raises SearchError naming the bad item."""
    out: dict[str, float] = {}
    for item in items or ():
        name, sep, text = str(item).partition("=")
        name = name.strip()
        if not sep or not name:
            raise SearchError(f"--lock {item!r}: expected name=value, e.g. --lock rd_special_fund=20")
        try:
            value = float(text)
        except ValueError:
            raise SearchError(f"--lock {name}: {text.strip()!r} is not a number") from None
        if name in out:
            raise SearchError(f"--lock {name}: given twice")
        out[name] = value
    return out


def decision_space(decisions: Mapping[str, Decision], locks: Mapping[str, float] | None = None,
                   search: tuple[str, ...] | None = None) -> DecisionSpace:
    """Free and locked instruments; ``search`` (default: the costed ones) names what is searched.

    Raises :class:`SearchError` for a locked name that is no instrument, a lock outside the
    instrument's range, or nothing left to search.
    """
    locks = dict(locks or {})
    allowed = ", ".join(decisions)
    for name, value in locks.items():
        if name not in decisions:
            raise SearchError(f"--lock {name}: {name!r} is not an instrument; allowed: {allowed}")
        d = decisions[name]
        if not (math.isfinite(value) and d.low <= value <= d.high):
            raise SearchError(f"--lock {name}={value:g}: outside the instrument's range; allowed {d.low:g} to "
                              f"{d.high:g} {d.unit}")
    wanted = search if search is not None else tuple(n for n, d in decisions.items() if d.costed)
    for name in wanted:
        if name not in decisions:
            raise SearchError(f"search: {name!r} is not an instrument; allowed: {allowed}")
    free = tuple(decisions[n] for n in decisions if n in wanted and n not in locks)
    locked = tuple((decisions[n], float(locks[n])) for n in decisions if n in locks)
    held = tuple(n for n in decisions if n not in wanted and n not in locks)
    if not free:
        raise SearchError("every searched instrument is locked: nothing left to search (drop a --lock)")
    return DecisionSpace(free, locked, held)
