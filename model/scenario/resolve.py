"""Turn a validated scenario into model inputs: driver paths by year and parameter overrides.

Paths are interpolated linearly between the years given and held flat outside them; the
base year 2003 takes the first given value (it matters only for level-type assumptions such as
the exchange rate). Output arrays have no run dimension: ``(T,)`` or ``(T, S)``.
"""

from __future__ import annotations

import numpy as np

from model.core import DRIVERS, YEARS
from model.scenario.loader import Scenario, ScenarioError
from model.scenario.registry import INPUTS
from model.scenario.schema import PathSpec, SectorParameter

_YEARS = np.asarray(YEARS, dtype=float)


def interpolate(values) -> np.ndarray:
    """Year -> value mapping (or a constant) to a (T,) path over YEARS."""
    if not isinstance(values, dict):
        return np.full(len(YEARS), float(values))
    xs = np.asarray(sorted(values), dtype=float)
    ys = np.asarray([values[int(x)] for x in xs], dtype=float)
    return np.interp(_YEARS, xs, ys)


def neutral_drivers(n_sectors: int) -> dict[str, np.ndarray]:
    """Every driver at its neutral value: zero rates, no levels given (NaN)."""
    out = {}
    for name, dims in DRIVERS.items():
        shape = (len(YEARS), n_sectors) if dims == "ts" else (len(YEARS),)
        fill = np.nan if name.endswith("_level") or name == "exchange_rate" else 0.0
        out[name] = np.full(shape, fill)
    return out


def path_drivers(
    name: str, spec: PathSpec, sector_ids: tuple[str, ...], level_split: np.ndarray | None = None
) -> tuple[str, np.ndarray]:
    """One lever/assumption path -> (driver name, array (T,) or (T, S))."""
    inp = INPUTS[name]
    mode = spec.mode or inp.default_mode
    driver = inp.modes[mode].driver
    base = interpolate(spec.values)
    if inp.dims == "t":
        return driver, base
    arr = np.repeat(base[:, None], len(sector_ids), axis=1)
    if mode == "level" and level_split is not None:
        arr = arr * level_split[None, :]  # province-wide level split by base-year shares
    for sec, vals in spec.sectors.items():
        arr[:, sector_ids.index(sec)] = interpolate(vals)
    return driver, arr


def resolve_drivers(
    scenario: Scenario, sector_ids: tuple[str, ...], investment_share: np.ndarray
) -> dict[str, np.ndarray]:
    """All core drivers for a scenario (no run dimension)."""
    drivers = neutral_drivers(len(sector_ids))
    spec = scenario.spec
    for _, name, val in spec.paths():
        driver, arr = path_drivers(name, val, sector_ids, None)
        drivers[driver] = arr
    lp = np.zeros((len(YEARS), len(sector_ids)))
    done = np.zeros((len(YEARS), len(sector_ids)))
    for proj in spec.levers.large_projects or []:
        j = sector_ids.index(proj.sector)
        per_year = proj.investment_100m_yuan / proj.years
        for y in range(proj.start_year, proj.start_year + proj.years):
            if y in YEARS:
                lp[YEARS.index(y), j] += per_year
        last = proj.start_year + proj.years - 1
        if last in YEARS:  # completed within the horizon: its capital produces from then on
            done[YEARS.index(last), j] += proj.investment_100m_yuan
    drivers["large_project_investment"] = lp
    drivers["large_project_completion"] = done
    if np.isnan(drivers["exchange_rate"]).any():
        raise ScenarioError(
            f"{scenario.path}: assumptions.exchange_rate: required (yuan per USD) — set it here or in a file this one extends"
        )
    return drivers


def resolve_parameters(scenario: Scenario, sector_ids: tuple[str, ...], defaults: dict[str, float]) -> dict:
    """Scenario parameter overrides: name -> float or (S,) array for per-sector values."""
    out: dict[str, float | np.ndarray] = {}
    for name, val in scenario.spec.parameters.items():
        if isinstance(val, SectorParameter):
            vec = np.full(len(sector_ids), defaults[name] if val.default is None else val.default)
            for sec, x in val.sectors.items():
                vec[sector_ids.index(sec)] = x
            out[name] = vec
        else:
            out[name] = float(val)
    return out
