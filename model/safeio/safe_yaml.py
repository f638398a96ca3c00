"""The one YAML loader of mfgbase (scenario files, priors.yaml, parameters.yaml).

On top of PyYAML's safe loader it refuses what a data file never needs and a hostile file uses:

- duplicate keys in a mapping (YAML would silently keep the last one);
- anchors, aliases and merge keys (``&a``, ``*a``, ``<<``): the "billion laughs" expansion;
- nesting deeper than ``MAX_DEPTH`` and files larger than ``limit`` bytes;
- control characters inside text (they would reach the terminal raw).

Errors raise ``error`` (default ``InputError``) with file, line and column; the offending text is
never echoed beyond a short, escaped problem description.
"""

from __future__ import annotations

import os
import re

import yaml

from model.errors import InputError
from model.safeio.files import TEXT_LIMIT, read_text
from model.safeio.text import has_control, shown, shown_path

MAX_DEPTH = 32


class _Refused(yaml.YAMLError):
    def __init__(self, mark, problem: str):
        super().__init__(problem)
        self.problem_mark = mark
        self.problem = problem


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, anchors, merge keys or duplicate keys; bounded depth."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "aliases (*name) are not allowed in mfgbase files")
        if getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, "anchors (&name) are not allowed in mfgbase files")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Refused(key_node.start_mark, "merge keys (<<) are not allowed in mfgbase files")
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:
                    raise _Refused(key_node.start_mark, "a mapping key must be a plain value") from None
                if first is not None:
                    raise _Refused(
                        key_node.start_mark,
                        f"duplicate key {shown(key, 60)} (first given on line {first.line + 1})",
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _construct_str(loader: StrictLoader, node):
    value = loader.construct_scalar(node)
    if has_control(value, allow="\n\t"):
        raise _Refused(node.start_mark, "control characters are not allowed in text")
    return value


StrictLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
# YAML 1.2 floats that PyYAML's 1.1 rules read as text: 1e12, 5E-3, 1.5e3 (exponent without a
# dot, or without a sign)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*[eE][-+]?[0-9]+|[0-9][0-9_]*\.[0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+[eE][-+]?[0-9]+)$"),
    list("-+.0123456789"),
)


def parse_yaml(text: str, source: str | os.PathLike = "<text>", error: type[Exception] = InputError):
    """Parse YAML text with ``StrictLoader``; ``source`` names it in error messages."""
    where = shown_path(source)
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.reader.ReaderError as exc:
        raise error(
            f"{where}: character #x{exc.character:04x} at position {exc.position} is not allowed in YAML "
            f"(control characters and NUL are refused)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}, column {mark.column + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise error(f"{where}:{at} malformed YAML: {shown(problem, 120)}") from None
    except RecursionError:
        raise error(f"{where}: malformed YAML: nested too deeply") from None


def load_yaml(
    path: str | os.PathLike,
    what: str = "YAML file",
    limit: int = TEXT_LIMIT,
    error: type[Exception] = InputError,
):
    """Read (bounded, regular files only) and parse one YAML file."""
    try:
        text = read_text(path, limit, what)
    except InputError as exc:
        if error is InputError or isinstance(exc, error):
            raise
        raise error(str(exc)) from None
    return parse_yaml(text, path, error)


def load_mapping(
    path: str | os.PathLike,
    what: str = "YAML file",
    limit: int = TEXT_LIMIT,
    error: type[Exception] = InputError,
) -> dict:
    """``load_yaml`` that requires a mapping at the top level."""
    doc = load_yaml(path, what, limit, error)
    if not isinstance(doc, dict):
        got = "an empty file" if doc is None else f"a {type(doc).__name__}"
        raise error(f"{shown_path(path)}: expected a mapping of fields at the top level, got {got}")
    return doc
