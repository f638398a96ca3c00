"""File access of scenario loading: the one place that opens scenario YAML and follows ``extends``.

A scenario file is read with the strict loader (``model.safeio.safe_yaml``: no duplicate keys,
aliases or anchors; at most ``SCENARIO_LIMIT`` bytes; regular files only, so a FIFO or a device
never hangs or floods a run).

``extends:`` may name only a regular ``.yaml`` / ``.yml`` file inside an allowed folder tree:

- the folder of the scenario file given to mfgbase (and its sub-folders),
- the project's ``scenarios/`` folder (``model.paths.SCENARIOS_DIR``),
- folders the user allows: ``load_scenario(..., extends_roots=[...])`` or the environment
  variable ``MFGBASE_EXTENDS_PATH`` (folders separated by ``os.pathsep``).

Anything else (an absolute path or ``../`` leading elsewhere, a symlink pointing outside, a
device, a FIFO, a symlink loop) is refused before a byte of it is read, so its content never
reaches an error message.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from model.errors import InputError
from model.paths import SCENARIOS_DIR
from model.safeio.files import KIB, resolve_existing
from model.safeio.safe_yaml import load_mapping
from model.safeio.text import quoted, shown, shown_path

SCENARIO_LIMIT = 256 * KIB  # bytes; the largest shipped scenario is ~10 KB
EXTENDS_SUFFIXES = (".yaml", ".yml")
EXTENDS_ENV = "MFGBASE_EXTENDS_PATH"
MAX_CHAIN = 16  # extends levels


def read_scenario_yaml(path: Path, error: type[Exception]) -> dict:
    """Parse one scenario file into a mapping, or raise ``error`` naming the file."""
    return load_mapping(path, "scenario file", SCENARIO_LIMIT, error)


def allowed_roots(top_file: Path, extra: Iterable[str | os.PathLike] | None = None) -> tuple[Path, ...]:
    """Folders ``extends`` may reach from ``top_file`` (all resolved)."""
    roots = [top_file.parent, SCENARIOS_DIR]
    roots += [p for p in os.environ.get(EXTENDS_ENV, "").split(os.pathsep) if p]
    roots += list(extra or ())
    out = []
    for r in roots:
        try:
            rp = Path(r).expanduser().resolve(strict=True)
        except (OSError, RuntimeError):
            continue  # a root that does not exist allows nothing
        if rp.is_dir() and rp not in out:
            out.append(rp)
    return tuple(out)


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


def extends_target(ref: object, from_file: Path, roots: tuple[Path, ...], error: type[Exception]) -> Path:
    """The file ``extends: ref`` in ``from_file`` names, after every safety check."""
    where = f"{shown_path(from_file)}: extends"
    if not isinstance(ref, str) or not ref.strip():
        raise error(f"{where}: expected the name of a scenario file (text), got {shown(ref, 60)}")
    if "\0" in ref:
        raise error(f"{where}: invalid file name")
    if not ref.endswith(EXTENDS_SUFFIXES):
        raise error(f"{where}: {quoted(ref)} is not a .yaml file; extends names a scenario YAML file")
    candidate = from_file.parent / ref
    if not os.path.lexists(candidate):
        raise error(f"{where}: file {quoted(ref)} not found (looked for {shown_path(candidate)})")
    try:
        target = resolve_existing(candidate, "extends target")
    except InputError as exc:
        raise error(f"{where}: {quoted(ref)}: {str(exc).rpartition(': ')[2]}") from None
    if not _inside(target, roots):
        allowed = ", ".join(shown_path(r) for r in roots)
        raise error(
            f"{where}: {quoted(ref)} is outside the allowed scenario folders ({allowed}); "
            f"add its folder to {EXTENDS_ENV} to allow it"
        )
    if not target.is_file():
        raise error(f"{where}: {quoted(ref)} is not a regular file")
    if target.suffix not in EXTENDS_SUFFIXES:
        raise error(f"{where}: {quoted(ref)} points to a file that is not .yaml")
    return target
