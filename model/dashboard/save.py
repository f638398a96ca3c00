"""Save the dashboard's policy as a scenario file that ``extends:`` the start scenario.

The file holds only what the planner changed: each instrument (``levers:``) and external
assumption (``assumptions:``) as ``values: <v>`` with a ``note``, each behavioural parameter
in ``parameters:``. When an assumption the start scenario samples in its ``uncertainty:`` block
was set, the block is repeated without it (the dashboard holds a set assumption fixed in every
state of the world; the saved file says the same). Safety:

- the name is bounded (:data:`NAME_RE`: letters, digits, ``-``, ``_``; at most 64 characters)
  and the file goes into one folder (the start scenario's, or the one given);
- an existing file is replaced only if mfgbase's dashboard wrote it (its first line carries
  :data:`SIGNATURE`, ``model.outputs.atomic.write_file_atomic``); the start scenario and the files
  it extends are never replaced;
- the text is validated like ``mfgbase validate`` (a hidden check file beside the target,
  removed afterwards) and run: its scorecard must equal the dashboard's central run before the
  file is written (atomically).
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

from model.errors import InputError
from model.outputs.atomic import check_output_file, write_file_atomic
from model.safeio.text import shown_path

SIGNATURE = "# mfgbase dashboard scenario"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class SaveError(InputError):
    """The scenario cannot be saved under that name or there (nothing was written)."""


def check_name(name: str) -> str:
    name = (name or "").strip()
    if name.endswith((".yaml", ".yml")):
        name = name.rsplit(".", 1)[0]
    if not NAME_RE.match(name):
        raise SaveError(f"file name {name[:80]!r}: use 1 to 64 letters, digits, - or _ (starting with a letter or "
                        "digit) / 文件名须为1至64个字母、数字、-或_")
    return name


def _number(x: float) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 1e15 else float(np.format_float_positional(x, precision=12, trim="-"))


def scenario_text(explorer, values: dict[str, float], name: str, extends: str) -> str:
    """The YAML text (signature line first) of the changed controls of ``values``."""
    from model.dashboard.text import with_unit

    changed = explorer.changed(values)
    if not changed:
        raise SaveError("nothing changed: move an instrument first / 尚未改动:请先调整政策工具")
    start = explorer.scenario
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    doc: dict = {
        "extends": extends,
        "name": {"en": f"{start.spec.name.en}, changed on the dashboard ({name})",
                 "zh": f"{start.spec.name.zh}(仪表板调整:{name})"},
        "description": (f"Saved from `mfgbase dashboard` on {when}: {start.path.name} with "
                        f"{len(changed)} input(s) changed (listed below, each with its start value)."),
    }
    for section in ("levers", "assumptions"):
        block = {}
        for key, v in changed.items():
            c = explorer.controls[key]
            if c.section != section:
                continue
            was = with_unit(c.start, c.unit, "en") + (" (mean of a path by year or sector)" if c.start_is_path else "")
            entry = {"values": _number(v),
                     "note": f"set on the dashboard {when}; start scenario {start.path.name}: {was}; "
                             f"now {with_unit(v, c.unit, 'en')} in every year 2004-2010"
                             + (" and every sector" if c.start_is_path else "")}
            if c.mode and len(explorer.inputs.registry[c.name].modes) > 1:
                entry = {"mode": c.mode, **entry}
            block[c.name] = entry
        if block:
            doc[section] = block
    params = {explorer.controls[k].name: _number(v) for k, v in changed.items() if explorer.controls[k].section == "parameters"}
    if params:
        doc["parameters"] = params
    unc = start.raw.get("uncertainty")
    if isinstance(unc, dict) and any(i.get("path") in changed for i in unc.get("inputs", []) or []):
        doc["uncertainty"] = {**unc, "inputs": [i for i in unc["inputs"] if i.get("path") not in changed]}
    head = (f"{SIGNATURE} (written by `mfgbase dashboard`; it may replace this file when saving under the same name).\n"
            f"# Only the inputs changed on the dashboard are set here; everything else comes from {extends}.\n")
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def save_scenario(explorer, values: dict[str, float], name: str, folder: str | Path | None = None) -> Path:
    """Write ``<folder>/<name>.yaml`` (default folder: the start scenario's); returns its path."""
    from model.run import run_scenario
    from model.scenario import ScenarioError, load_scenario

    name = check_name(name)
    start = explorer.scenario
    folder = Path(folder) if folder else start.path.parent
    if not folder.is_dir():
        raise SaveError(f"{shown_path(folder)}: not a folder")
    target = (folder / f"{name}.yaml").absolute()
    if any(target.resolve() == p.resolve() for p in start.chain):
        raise SaveError(f"{shown_path(target)}: is the start scenario or a file it extends; choose another name")
    try:
        check_output_file(target, SIGNATURE)  # refuse a user's file before any work
    except InputError as exc:
        raise SaveError(str(exc)) from None
    extends = os.path.relpath(start.path, folder.resolve())
    text = scenario_text(explorer, values, name, extends)
    check = folder / f".{name}.mfgbase-check-{os.getpid()}-{secrets.token_hex(4)}.yaml"
    try:
        fd = os.open(check, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            saved = load_scenario(check)
        except ScenarioError as exc:
            raise SaveError(f"the saved scenario would not validate: {exc}") from None
        sc = run_scenario(saved, explorer.model).scorecard()
    except OSError as exc:
        raise SaveError(f"{shown_path(folder)}: cannot write there: {exc.strerror}") from None
    finally:
        try:
            os.unlink(check)
        except OSError:
            pass
    central = explorer.evaluate(values)
    mine = np.array([t.value for t in central.targets])
    if not np.allclose(sc["value"].to_numpy(dtype=float), mine, rtol=1e-9, atol=1e-12, equal_nan=True):
        raise SaveError("the saved scenario does not reproduce the dashboard's scorecard; nothing written")
    return write_file_atomic(target, text, SIGNATURE)
