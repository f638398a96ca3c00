"""Read scenario YAML files: strict validation, ``extends`` inheritance, clear errors.

Inheritance: the child's ``levers.<name>``, ``assumptions.<name>``, ``parameters.<name>`` and
``switches.<name>`` replace the parent's entry of the same name (a whole path, not single
years); every other top-level key (name, description, seed, uncertainty, and the list
``levers.large_projects``) replaces the parent's value. ``extends`` is a path relative to the
file that names it.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from model.errors import InputError
from model.safeio.files import read_text, resolve_existing
from model.safeio.safe_yaml import parse_yaml
from model.safeio.text import shown, shown_path
from model.scenario.files import (
    MAX_CHAIN,
    SCENARIO_LIMIT,
    allowed_roots,
    extends_target,
    read_scenario_yaml,
)
from model.scenario.ranges import range_errors
from model.scenario.registry import INPUTS, SECTOR_PARAMETERS
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
            msg = f"unknown key {loc[-1]!r}{did_you_mean(str(loc[-1]), allowed)}" + (
                f"; allowed: {', '.join(allowed)}" if allowed else "")
        elif err["type"] == "missing":
            msg = "required field is missing"
        value = err.get("input")
        got = "" if err["type"] in ("missing", "extra_forbidden") or isinstance(value, dict) else f" (got {shown(value, 80)})"
        hint = _percent_hint(value, loc) + (fullwidth_hint(str(loc[-1])) if loc else "")
        lines.append((where, msg, got + hint))
    # pydantic reports each branch of a union (number | {year: number}); say it once
    out: dict[str, str] = {}
    for where, msg, got in lines:
        if where in out and "valid" in msg:
            out[where] = f"{path}: {where}: expected a number or a mapping of year: number{got}"
        else:
            out.setdefault(where, f"{path}: {where}: {msg}{got}")
    return "\n".join(out.values())


def did_you_mean(word: str, allowed) -> str:
    """``"; did you mean 'investment'?"`` for the closest allowed name (difflib), else ``""``."""
    close = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}? / 您是否想写 {close[0]!r}\uff1f" if close else ""


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


_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*|\s*\d{4})[ \t]*\uff1a[ \t]*", re.M)
_FULLWIDTH = "\uff1a\uff0c\uff5b\uff5d\uff3b\uff3d"  # full-width : , { } [ ]


def normalise_key_colons(text: str) -> str:
    """Accept a full-width colon after a key (``fdi\uff1a`` -> ``fdi: ``): keys are ASCII names or
    years, so a key followed by ``\uff1a`` can only mean ``:``. Colons inside Chinese notes
    (after a Chinese character) are left as written."""
    return _KEY_FULLWIDTH_COLON.sub(r"\1: ", text)


def fullwidth_hint(line: str) -> str:
    """A plain explanation when a YAML line holds full-width punctuation YAML cannot read."""
    marks = sorted({c for c in line if c in _FULLWIDTH})
    if not marks:
        return ""
    shown = " ".join(marks)
    return (f"; the line contains full-width punctuation {shown}: YAML needs the ASCII forms : , {{ }} [ ] "
            f"(switch the input method to half-width) / 该行含全角标点 {shown}，YAML 须用半角 : , {{ }} [ ]")


def _percent_hint(value, loc) -> str:
    """Explain a value written with a percent sign (``30%``) where percent is not accepted."""
    from model.scenario.units import unit_label

    if isinstance(value, str) and value.strip().endswith(tuple(PERCENT_SIGNS)):
        name = str(loc[1]) if len(loc) > 1 else ""
        if name in INPUTS:
            units = ", ".join(f"{m}: {unit_label(ms.unit)} / {unit_label(ms.unit, 'zh')}"
                              for m, ms in INPUTS[name].modes.items())
            return (f"; {name} is not a percentage ({units}): write a plain number without % "
                    f"/ 该项不是百分数，请写不带 % 的数字")
        return (f"; write percentages as fractions: {value.strip()} -> {_percent_number(value)} "
                f"/ 百分数请写成小数：{value.strip()} 写作 {_percent_number(value)}")
    return ""


PERCENT_SIGNS = "%\uff05"


def _percent_number(text: str) -> str:
    try:
        number = float(text.strip().rstrip(PERCENT_SIGNS).strip())
        return f"{number / 100:g}"
    except ValueError:
        return "0.30"


def _from_percent(v):
    if isinstance(v, str) and v.strip().endswith(tuple(PERCENT_SIGNS)):
        try:
            return float(v.strip().rstrip(PERCENT_SIGNS).strip()) / 100
        except ValueError:
            return v
    if isinstance(v, dict):
        return {k: _from_percent(x) for k, x in v.items()}
    return v


def accept_percentages(doc: dict) -> dict:
    """Values written ``30%`` become 0.30 where the input's unit is a fraction or a share
    (units shown as percent, model.scenario.units); elsewhere they are left for validation,
    which explains how to write them."""
    from model.scenario.units import unit_info

    out = dict(doc)
    for section in ("levers", "assumptions"):
        block = doc.get(section)
        if not isinstance(block, dict):
            continue
        new = dict(block)
        for name, entry in block.items():
            inp = INPUTS.get(name)
            if inp is None or not isinstance(entry, dict):
                continue
            mode = entry.get("mode") or inp.default_mode
            if mode not in inp.modes or unit_info(inp.modes[mode].unit).scale != 100:
                continue
            entry = dict(entry)
            if "values" in entry:
                entry["values"] = _from_percent(entry["values"])
            if isinstance(entry.get("sectors"), dict):
                entry["sectors"] = {k: _from_percent(v) for k, v in entry["sectors"].items()}
            new[name] = entry
        out[section] = new
    return out


def _has_fullwidth_key(doc) -> bool:
    if isinstance(doc, dict):
        return any((isinstance(k, str) and "\uff1a" in k) or _has_fullwidth_key(v) for k, v in doc.items())
    if isinstance(doc, list):
        return any(_has_fullwidth_key(v) for v in doc)
    return False


def read_yaml(path: Path) -> dict:
    """Parse one YAML file into a mapping, or raise ScenarioError naming the file.

    Reading is bounded and strict (``model.scenario.files``): no duplicate keys, aliases or
    anchors, regular files only. A file that fails only because a key is followed by a
    full-width colon (``fdi\uff1a``) is read again with those colons made ASCII; other
    full-width punctuation on the failing line is explained.
    """
    try:
        doc = read_scenario_yaml(path, ScenarioError)
        if not _has_fullwidth_key(doc):
            return doc
        fixed = normalise_key_colons(read_text(path, SCENARIO_LIMIT, "scenario file"))
        again = parse_yaml(fixed, path, ScenarioError)
        return again if isinstance(again, dict) else doc
    except ScenarioError as exc:
        try:
            text = read_text(path, SCENARIO_LIMIT, "scenario file")
        except Exception:  # the first error already says what is wrong with the file
            raise exc from None
        fixed = normalise_key_colons(text)
        if fixed != text:
            doc = parse_yaml(fixed, path, ScenarioError)
            if isinstance(doc, dict):
                return doc
        m = re.search(r" line (\d+), column", str(exc))
        lines = text.splitlines()
        line = lines[int(m.group(1)) - 1] if m and int(m.group(1)) <= len(lines) else ""
        hint = fullwidth_hint(line)
        if not hint:
            raise
        raise ScenarioError(f"{exc}{hint}") from None


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
    doc = accept_percentages(read_yaml(path))
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
    inputs = spec.registry.inputs  # the registry the file's schema was generated from
    for section, name, val in spec.paths():
        inp = inputs[name]
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
                errors.append(f"{path}: {section}.{name}.sectors.{sec}: unknown sector{did_you_mean(sec, sector_ids)}; "
                              f"allowed: {sectors_allowed}")
    for i, proj in enumerate(spec.levers.large_projects or []):
        if proj.sector not in sector_ids:
            errors.append(f"{path}: levers.large_projects.{i}.sector: unknown sector {proj.sector!r}"
                          f"{did_you_mean(proj.sector, sector_ids)}; allowed: {sectors_allowed}")
    for pname, pval in spec.parameters.items():
        if pname not in param_names:
            errors.append(f"{path}: parameters.{pname}: unknown parameter{did_you_mean(pname, param_names)}; "
                          f"allowed: {', '.join(param_names)}")
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
                    errors.append(f"{path}: parameters.{pname}.sectors.{sec}: unknown sector"
                                  f"{did_you_mean(sec, sector_ids)}; allowed: {sectors_allowed}")
    errors += uncertainty_errors(path, spec, param_names)
    if errors:
        raise ScenarioError("\n".join(errors))


def excluded_parameters(exclude) -> set[str]:
    """Parameter names of an ``uncertainty.exclude`` list: ``alpha_k`` or ``parameters.alpha_k``."""
    return {e.removeprefix("parameters.") for e in exclude}


def uncertainty_errors(path: Path, spec: ScenarioFile, param_names: tuple[str, ...]) -> list[str]:
    """Every rule of the ``uncertainty:`` block, checked once here (the sensitivity adapter trusts it).

    inputs: ``parameters.<name>`` (op ``set`` only) or ``assumptions.<name>`` of the scenario's
    registry (a year path), never a lever (a decision, not a state of the world), each path once;
    exclude: parameter names, bare or as ``parameters.<name>``. Numeric ranges: model.scenario.ranges.
    """
    unc = spec.uncertainty
    if not unc:
        return []
    errors: list[str] = []
    inputs = spec.registry.inputs
    for i, u in enumerate(unc.inputs):
        section, _, name = u.path.partition(".")
        where = f"{path}: uncertainty.inputs.{i}.path"
        if section == "levers":
            errors.append(
                f"{where}: {u.path!r} is a lever (a policy decision), not a "
                f"state of the world; set it under levers: and compare policies as scenarios. The "
                f"uncertainty block takes parameters.<name> or assumptions.<name>"
            )
        elif section == "parameters" and name in param_names:
            if u.op != "set":
                errors.append(f"{path}: uncertainty.inputs.{i}.op: {u.path!r}: parameters take op: set "
                              "(the sampled value is the parameter)")
        elif not (section == "assumptions" and name in inputs and inputs[name].section == section
                  and inputs[name].form == "path"):
            errors.append(f"{where}: {u.path!r} names no parameter or assumption; "
                          f"use parameters.<name> or assumptions.<name>")
        elif u.distribution in ("uniform", "triangular") and (u.low is None or u.high is None):
            errors.append(f"{path}: uncertainty.inputs.{i}: {u.path!r}: a {u.distribution} input needs low and high "
                          "(only parameters default to their prior range)")
    seen = [u.path for u in unc.inputs]
    for dup in sorted({p for p in seen if seen.count(p) > 1}):
        errors.append(f"{path}: uncertainty.inputs: {dup!r} is listed more than once")
    for name in unc.exclude:
        if name.removeprefix("parameters.") not in param_names:
            errors.append(f"{path}: uncertainty.exclude: {name!r} is not a parameter; "
                          "write <name> or parameters.<name> of calibration/priors.yaml")
    return errors


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


#: where messages about Python-API lever overrides point (there is no file)
LEVERS_ARGUMENT = "run_scenario(levers=...)"
_ENTRY_KEYS = ("mode", "values", "sectors", "note")


def _lever_entry(name: str, value: object, where: str) -> object:
    """One ``levers=`` value as the scenario-file entry it stands for.

    ``30`` -> ``{values: 30}`` (every year 2004-2010); ``{2004: 0, 2010: 30}`` -> ``{values:
    {...}}``; a mapping with ``values`` (and ``mode``, ``sectors``, ``note``) is the file form;
    ``large_projects`` takes its list of projects as in a file.
    """
    if name == "large_projects" or isinstance(value, str) or not isinstance(value, dict):
        return {"values": value} if name != "large_projects" else value
    if value and all(isinstance(k, int) and not isinstance(k, bool) for k in value):
        return {"values": dict(value)}
    unknown = [k for k in value if k not in _ENTRY_KEYS]
    if unknown:
        raise ScenarioError(f"{where}: levers.{name}: unknown key {unknown[0]!r}"
                            f"{did_you_mean(str(unknown[0]), _ENTRY_KEYS)}; give a number, a mapping "
                            f"year: number, or a mapping with keys {', '.join(_ENTRY_KEYS)}")
    return dict(value)


def _check_lever_numbers(name: str, entry: dict, where: str) -> dict:
    """Every number of one path entry through the one number validator, against its mode's
    registry range, the message stating the unit (code and words)."""
    from model.safeio.ranges import check_number
    from model.scenario.units import with_unit

    inp = INPUTS[name]
    mode = entry.get("mode") or inp.default_mode
    if mode not in inp.modes:
        raise ScenarioError(f"{where}: levers.{name}.mode: {mode!r} not allowed; allowed: {', '.join(inp.modes)}")
    ms = inp.modes[mode]
    unit = f"{ms.unit}, i.e. {with_unit(ms.low, ms.unit)} to {with_unit(ms.high, ms.unit)}"

    def check(v, at: str):
        if isinstance(v, dict):
            return {y: check(x, f"{at}.{y}") for y, x in v.items()}
        return check_number(v, f"{where}: {at}", ms.low, ms.high, unit, ScenarioError)

    out = dict(entry)
    if "values" in out:
        out["values"] = check(out["values"], f"levers.{name}.values")
    if isinstance(out.get("sectors"), dict):
        out["sectors"] = {s: check(v, f"levers.{name}.sectors.{s}") for s, v in out["sectors"].items()}
    return out


def with_levers(scenario: Scenario, levers: dict, where: str = LEVERS_ARGUMENT) -> Scenario:
    """``scenario`` with some lever entries replaced, validated exactly as a child file that
    ``extends`` it and sets ``levers:`` would be (each entry replaces the parent's whole entry,
    mode and per-sector overrides included): names against the registry (with "did you mean"),
    ``30%`` accepted where the unit is a share, every number finite and in its mode's range
    (:func:`model.safeio.ranges.check_number`, message with the unit), then the file schema, the
    name checks and the ranges of :func:`load_scenario`. Raises ScenarioError (an InputError).

        >>> with_levers(load_scenario("scenarios/plan-2004.yaml"),
        ...             {"rd_special_fund": 30, "fdi_promotion": {2004: 0, 2010: 12}})
    """
    from model.parameters import load_parameters
    from model.sectors import SECTOR_IDS

    if not isinstance(levers, dict):
        raise ScenarioError(f"{where}: levers must be a mapping lever name -> value, got {type(levers).__name__}")
    registry = scenario.spec.registry
    allowed = [s.name for s in registry.section("levers")]
    block = {}
    for name, value in levers.items():
        if not isinstance(name, str) or name not in allowed:
            raise ScenarioError(f"{where}: levers.{shown(name, 60)}: unknown lever{did_you_mean(str(name), allowed)}; "
                                f"allowed: {', '.join(allowed)}")
        block[name] = _lever_entry(name, value, where)
    block = accept_percentages({"levers": block})["levers"]
    for name, entry in block.items():
        if registry[name].form == "path":
            block[name] = _check_lever_numbers(name, entry, where)
    merged = merge(scenario.raw, {"levers": block})
    label = Path(where)
    spec = validate_file(label, merged)
    params = load_parameters()
    _check_names(label, spec, tuple(SECTOR_IDS), params.names)
    errors = range_errors(label, spec, params)
    if errors:
        raise ScenarioError("\n".join(errors))
    return Scenario(spec=spec, path=scenario.path, chain=scenario.chain, raw=merged)
