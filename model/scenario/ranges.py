"""Numbers of a scenario file against their allowed ranges (the scenario side of the one number
validator, ``model.safeio.ranges``).

- ``parameters.<name>`` (a number, or ``default`` / ``sectors`` values): finite and inside the
  parameter's [low, high] of ``calibration/priors.yaml``;
- ``uncertainty.inputs``: for a parameter, ``low`` / ``high`` / ``mean`` inside its prior range;
  for a lever or assumption with ``op: set``, inside the range of the path's mode
  (``model.scenario.registry``); with ``op: scale``, ``low`` and ``high`` >= 0 and the scaled
  path not wholly outside that range (the sensitivity adapter holds partly scaled-out values at
  the bound: a coverage of 100 % scaled by 1.25 stays 100 %; a factor of 1e12 is refused).

Lever and assumption path values themselves are checked by the loader (``_check_names``).
"""

from __future__ import annotations

from pathlib import Path

from model.errors import InputError
from model.safeio.ranges import check_number
from model.scenario.schema import ScenarioFile, SectorParameter


def _collect(errors: list[str], value, where: str, low, high, unit) -> None:
    try:
        check_number(value, where, low, high, unit)
    except InputError as exc:
        errors.append(str(exc))


def _path_values(spec: ScenarioFile, section: str, name: str) -> tuple[str | None, list[float]]:
    path = getattr(getattr(spec, section), name, None)
    if path is None:
        return None, []
    vals = path.values
    return path.mode, list(vals.values()) if isinstance(vals, dict) else [vals]


def range_errors(path: Path, spec: ScenarioFile, params) -> list[str]:
    """Messages for every number of ``spec`` outside its allowed range (``params``: ParameterSet)."""
    errors: list[str] = []
    for pname, pval in spec.parameters.items():
        if pname not in params:
            continue  # reported as unknown by the loader
        ps = params[pname]
        where = f"{path}: parameters.{pname}"
        if isinstance(pval, SectorParameter):
            if pval.default is not None:
                _collect(errors, pval.default, f"{where}.default", ps.low, ps.high, ps.unit)
            for sec, x in pval.sectors.items():
                _collect(errors, x, f"{where}.sectors.{sec}", ps.low, ps.high, ps.unit)
        else:
            _collect(errors, pval, where, ps.low, ps.high, ps.unit)
    if not spec.uncertainty:
        return errors
    inputs = spec.registry.inputs
    for i, u in enumerate(spec.uncertainty.inputs):
        section, _, name = u.path.partition(".")
        where = f"{path}: uncertainty.inputs.{i}"
        given = {k: getattr(u, k) for k in ("low", "high", "mean") if getattr(u, k) is not None}
        if section == "parameters" and name in params:
            ps = params[name]
            for k, v in given.items():
                _collect(errors, v, f"{where}.{k} ({u.path})", ps.low, ps.high, ps.unit)
        elif section in ("levers", "assumptions") and name in inputs and inputs[name].section == section:
            inp = inputs[name]
            mode, values = _path_values(spec, section, name)
            mode = mode or inp.default_mode
            if mode not in inp.modes:
                continue  # reported by the loader
            ms = inp.modes[mode]
            if u.op == "set":
                for k, v in given.items():
                    _collect(errors, v, f"{where}.{k} ({u.path}, mode {mode})", ms.low, ms.high, ms.unit)
            else:
                for k in ("low", "high"):
                    if k not in given:
                        continue
                    if given[k] < 0:
                        errors.append(f"{where}.{k}: a scale factor must be >= 0, got {given[k]:g}")
                        continue
                    scaled = [x * given[k] for x in values if x != 0]
                    if scaled and not any(ms.low <= v <= ms.high for v in scaled):
                        errors.append(
                            f"{where}.{k}: scaling {u.path} by {given[k]:g} takes every value of the path "
                            f"outside its allowed range {ms.low:g} to {ms.high:g} {ms.unit} (mode {mode})"
                        )
    return errors
