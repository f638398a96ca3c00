"""Read scenario YAML files: strict validation, ``extends`` inheritance, clear errors.

Inheritance: the child's ``levers.<name>``, ``assumptions.<name>``, ``parameters.<name>`` and
``switches.<name>`` replace the parent's entry of the same name (a whole path, not single
years); every other top-level key (name, description, seed, uncertainty, and the list
``levers.large_projects``) replaces the parent's value. ``extends`` is a path relative to the
file that names it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from model.core import SECTOR_PARAMETERS
from model.errors import InputError
from model.safeio.files import resolve_existing
from model.safeio.text import shown, shown_path
from model.scenario.files import MAX_CHAIN, allowed_roots, extends_target, read_scenario_yaml
from model.scenario.ranges import range_errors
from model.scenario.registry import INPUTS
from model.scenario.schema import ScenarioFile

MERGE_ONE_LEVEL = ("levers", "assumptions", "parameters", "switches")


class ScenarioError(InputError):
    """A scenario file is malformed; the message names file, field, value and what is allowed."""


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: the merged, validated content and the files it came from."""

    spec: ScenarioFile
    path: Path
    chain: tuple[Path, ...]  # this file first, then its ancestors
    raw: dict = field(repr=False, default_factory=dict)  # merged document, as validated

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def name(self):
        return self.spec.name


def _format_validation(path: Path, exc: ValidationError, doc: dict) -> str:
    lines = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in ("float", "dict[int,float]")))]
        where = ".".join(str(p) for p in loc) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            parent = loc[:-1]
            allowed = _allowed_keys(parent)
            msg = f"unknown key {loc[-1]!r}" + (f"; allowed: {', '.join(allowed)}" if allowed else "")
        elif err["type"] == "missing":
            msg = "required field is missing"
        value = err.get("input")
        got = "" if err["type"] in ("missing", "extra_forbidden") or isinstance(value, dict) else f" (got {shown(value, 80)})"
        lines.append((where, msg, got))
    # pydantic reports each branch of a union (number | {year: number}); say it once
    out: dict[str, str] = {}
    for where, msg, got in lines:
        if where in out and "valid" in msg:
            out[where] = f"{path}: {where}: expected a number or a mapping of year: number{got}"
        else:
            out.setdefault(where, f"{path}: {where}: {msg}{got}")
    return "\n".join(out.values())


def _allowed_keys(loc: list) -> list[str]:
    from model.scenario import schema

    model = schema.ScenarioFile
    for part in loc:
        if isinstance(part, int):
            continue
        f = model.model_fields.get(str(part))
        if f is None:
            return []
        ann = f.annotation
        inner = [a for a in getattr(ann, "__args__", (ann,)) if isinstance(a, type)]
        nxt = None
        for a in inner:
            if hasattr(a, "model_fields"):
                nxt = a
            for sub in getattr(a, "__args__", ()):
                if hasattr(sub, "model_fields"):
                    nxt = sub
        if nxt is None:
            if str(part) in ("parameters",):
                return []
            return []
        model = nxt
    return list(model.model_fields)


def read_yaml(path: Path) -> dict:
    """Parse one YAML file into a mapping, or raise ScenarioError naming the file.

    Reading is bounded and strict (``model.scenario.files``): no duplicate keys, aliases or
    anchors, regular files only.
    """
    return read_scenario_yaml(path, ScenarioError)


def validate_file(path: Path, doc: dict) -> ScenarioFile:
    try:
        return ScenarioFile.model_validate(doc)
    except ValidationError as exc:
        raise ScenarioError(_format_validation(path, exc, doc)) from None


def merge(parent: dict, child: dict) -> dict:
    """Child overrides parent; sections in MERGE_ONE_LEVEL merge by entry name."""
    out = dict(parent)
    for key, val in child.items():
        if key == "extends":
            continue
        if key in MERGE_ONE_LEVEL and isinstance(val, dict) and isinstance(parent.get(key), dict):
            out[key] = {**parent[key], **val}
        else:
            out[key] = val
    return out


def _resolve_chain(path: Path, seen: tuple[Path, ...], roots: tuple[Path, ...] = ()) -> tuple[dict, tuple[Path, ...]]:
    if not seen:
        path = Path(path)
        if not os.path.lexists(path):
            raise ScenarioError(f"{shown_path(path)}: file not found")
        try:
            path = resolve_existing(path, "scenario file")
        except InputError as exc:
            raise ScenarioError(str(exc)) from None
    if path in seen:
        cycle = " -> ".join(shown_path(p) for p in (*seen, path))
        raise ScenarioError(f"{shown_path(seen[-1])}: extends: inheritance cycle: {cycle}")
    if len(seen) >= MAX_CHAIN:
        raise ScenarioError(f"{shown_path(seen[0])}: extends: more than {MAX_CHAIN} levels of inheritance")
    doc = read_yaml(path)
    validate_file(path, doc)
    parent_ref = doc.get("extends")
    if not parent_ref:
        return doc, (path,)
    parent_path = extends_target(parent_ref, path, roots, ScenarioError)
    parent_doc, chain = _resolve_chain(parent_path, (*seen, path), roots)
    return merge(parent_doc, doc), (path, *chain)


def _check_names(path: Path, spec: ScenarioFile, sector_ids: tuple[str, ...], param_names: tuple[str, ...]) -> None:
    errors = []
    sectors_allowed = ", ".join(sector_ids)
    for section, name, val in spec.paths():
        inp = INPUTS[name]
        mode = val.mode or inp.default_mode
        if mode not in inp.modes:
            errors.append(f"{path}: {section}.{name}.mode: {mode!r} not allowed; allowed: {', '.join(inp.modes)}")
            continue
        ms = inp.modes[mode]
        series = [("values", val.values)] + [(f"sectors.{k}", v) for k, v in val.sectors.items()]
        for label, vals in series:
            items = vals.items() if isinstance(vals, dict) else [(None, vals)]
            for year, x in items:
                if not ms.low <= x <= ms.high:
                    at = f".{year}" if year is not None else ""
                    errors.append(
                        f"{path}: {section}.{name}.{label}{at}: value {x} out of range; "
                        f"allowed {ms.low} to {ms.high} {ms.unit} (mode {mode})"
                    )
        if val.sectors and inp.dims != "ts":
            errors.append(f"{path}: {section}.{name}.sectors: this input is province-wide only; remove 'sectors'")
        for sec in val.sectors:
            if sec not in sector_ids:
                errors.append(f"{path}: {section}.{name}.sectors.{sec}: unknown sector; allowed: {sectors_allowed}")
    for i, proj in enumerate(spec.levers.large_projects or []):
        if proj.sector not in sector_ids:
            errors.append(f"{path}: levers.large_projects.{i}.sector: unknown sector {proj.sector!r}; allowed: {sectors_allowed}")
    for pname, pval in spec.parameters.items():
        if pname not in param_names:
            errors.append(f"{path}: parameters.{pname}: unknown parameter; allowed: {', '.join(param_names)}")
            continue
        if not isinstance(pval, float | int):
            if pname not in SECTOR_PARAMETERS:
                errors.append(
                    f"{path}: parameters.{pname}: takes a single province-wide number; per-sector values "
                    f"are allowed for: {', '.join(sorted(SECTOR_PARAMETERS))}"
                )
                continue
            for sec in pval.sectors:
                if sec not in sector_ids:
                    errors.append(f"{path}: parameters.{pname}.sectors.{sec}: unknown sector; allowed: {sectors_allowed}")
    if spec.uncertainty:
        for i, u in enumerate(spec.uncertainty.inputs):
            section, _, name = u.path.partition(".")
            if section == "levers":
                errors.append(
                    f"{path}: uncertainty.inputs.{i}.path: {u.path!r} is a lever (a policy decision), not a "
                    f"state of the world; set it under levers: and compare policies as scenarios. The "
                    f"uncertainty block takes parameters.<name> or assumptions.<name>"
                )
                continue
            ok = (section == "parameters" and name in param_names) or (
                section == "assumptions" and name in INPUTS and INPUTS[name].section == section
            )
            if not ok:
                errors.append(
                    f"{path}: uncertainty.inputs.{i}.path: {u.path!r} names no parameter or assumption; "
                    f"use parameters.<name> or assumptions.<name>"
                )
        for name in spec.uncertainty.exclude:
            if name not in param_names:
                errors.append(f"{path}: uncertainty.exclude: {name!r} is not a parameter")
    if errors:
        raise ScenarioError("\n".join(errors))


def load_scenario(path: str | Path, extends_roots: Iterable[str | Path] | None = None) -> Scenario:
    """Load, inherit and validate a scenario file. Raises ScenarioError on any problem.

    ``extends_roots``: extra folders whose ``.yaml`` files ``extends:`` may name (besides the
    file's own folder tree and the project's ``scenarios/``; see ``model.scenario.files``).
    """
    from model.parameters import load_parameters
    from model.sectors import SECTOR_IDS

    path = Path(path)
    roots = allowed_roots(Path(os.path.abspath(path)), extends_roots)
    merged, chain = _resolve_chain(path, (), roots)
    spec = validate_file(path, merged)
    params = load_parameters()
    _check_names(path, spec, tuple(SECTOR_IDS), params.names)
    errors = range_errors(path, spec, params)  # numbers against priors.yaml and the registry
    if errors:
        raise ScenarioError("\n".join(errors))
    return Scenario(spec=spec, path=path.resolve(), chain=chain, raw=merged)
