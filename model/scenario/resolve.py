"""Turn a validated scenario into model inputs: driver paths by year and parameter overrides.

Paths are interpolated linearly between the years given and held flat outside them; the
base year 2003 takes the first given value (it matters only for level-type assumptions such as
the exchange rate). Output arrays have no run dimension: ``(T,)`` or ``(T, S)``.
"""

from __future__ import annotations

import numpy as np

from model.scenario.loader import Scenario, ScenarioError
from model.scenario.registry import REGISTRY, YEARS, Registry
from model.scenario.schema import PathSpec, SectorParameter

_YEARS = np.asarray(YEARS, dtype=float)


def interpolate(values) -> np.ndarray:
    """Year -> value mapping (or a constant) to a (T,) path over YEARS."""
    if not isinstance(values, dict):
        return np.full(len(YEARS), float(values))
    xs = np.asarray(sorted(values), dtype=float)
    ys = np.asarray([values[int(x)] for x in xs], dtype=float)
    return np.interp(_YEARS, xs, ys)


def neutral_drivers(n_sectors: int, registry: Registry = REGISTRY) -> dict[str, np.ndarray]:
    """Every driver of ``registry`` at its mode's neutral value (e.g. 0 for rates, NaN for levels)."""
    out = {}
    for name, drv in registry.drivers.items():
        shape = (len(YEARS), n_sectors) if drv.dims == "ts" else (len(YEARS),)
        out[name] = np.full(shape, drv.neutral)
    return out


def path_drivers(
    name: str,
    spec: PathSpec,
    sector_ids: tuple[str, ...],
    level_split: np.ndarray | None = None,
    registry: Registry = REGISTRY,
) -> tuple[str, np.ndarray]:
    """One lever/assumption path -> (driver name, array (T,) or (T, S))."""
    inp = registry[name]
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
    """All core drivers for a scenario (no run dimension), from the registry its schema came from."""
    spec = scenario.spec
    registry = spec.registry
    drivers = neutral_drivers(len(sector_ids), registry)
    given = set()
    for _, name, val in spec.paths():
        driver, arr = path_drivers(name, val, sector_ids, None, registry)
        drivers[driver] = arr
        given.add(name)
    for inp in registry:
        if inp.form == "projects":
            projects = getattr(getattr(spec, inp.section), inp.name)
            spend, done = large_project_paths(projects, sector_ids)
            drivers[inp.modes["projects"].driver], drivers[inp.also_fills[0]] = spend, done
        elif inp.required and inp.name not in given:
            raise ScenarioError(
                f"{scenario.path}: {inp.key}: required ({inp.modes[inp.default_mode].unit}) — "
                "set it here or in a file this one extends"
            )
    return drivers


def large_project_paths(projects, sector_ids: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Task 9 projects -> (spending by build year, capital completed by year), each (T, S), 100m_yuan_2003.

    Spending is spread evenly over the build years (time to build); the whole investment enters
    production in the last build year (completion), if that falls within the horizon.
    """
    lp = np.zeros((len(YEARS), len(sector_ids)))
    done = np.zeros((len(YEARS), len(sector_ids)))
    for proj in projects or []:
        j = sector_ids.index(proj.sector)
        per_year = proj.investment_100m_yuan / proj.years
        for y in range(proj.start_year, proj.start_year + proj.years):
            if y in YEARS:
                lp[YEARS.index(y), j] += per_year
        last = proj.start_year + proj.years - 1
        if last in YEARS:  # completed within the horizon: its capital produces from then on
            done[YEARS.index(last), j] += proj.investment_100m_yuan
    return lp, done


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
