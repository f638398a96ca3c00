"""Provenance of a result folder: what made it (scenario, parameters, seed, code, packages, inputs).

One manifest for every writer: :func:`provenance` (code version, package versions, sha256 of the
scenario files and of calibration/, creation time) is the common part; :func:`build_manifest`
adds a run's scenario, parameters and base year; the comparison and sensitivity writers add
their own settings to :func:`provenance`.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

from model.paths import CALIBRATION_DIR, PROJECT_ROOT

PACKAGES = ("mfgbase", "numpy", "scipy", "pandas", "SALib", "matplotlib", "pydantic", "PyYAML", "dask", "distributed")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def code_version() -> str:
    """git commit of the working tree (with '-dirty' when modified), else the package version."""
    try:
        rev = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        if rev:
            return rev
    except (OSError, subprocess.SubprocessError):
        pass
    return f"mfgbase {package_versions().get('mfgbase', 'unknown')}"


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def input_hashes(scenario_files, calibration_dir: Path | None = None) -> dict[str, str]:
    cdir = Path(calibration_dir or CALIBRATION_DIR)
    files = [*scenario_files, *sorted(p for p in cdir.glob("*") if p.is_file())]
    files += sorted((cdir / "data").glob("*.csv")) if (cdir / "data").exists() else []
    return {str(p): sha256(p) for p in files}


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _base_year_summary(model) -> dict:
    """Which 2003 figures were real, real_io2002 (Zhejiang IO 2002 share), derived or from a planner's yearbook table."""
    prov = model.base_year.provenance
    by_field = {
        field: dict(sorted(group["status"].value_counts().items()))
        for field, group in prov.groupby("field", sort=True)
    }
    return {
        "status_counts": dict(sorted(prov["status"].value_counts().items())),
        "status_by_field": by_field,
        "yearbook_figures": prov.loc[prov["status"] == "yearbook", ["field", "sector"]].to_dict("records"),
        "detail": "base_year_provenance.csv (one row per figure: value, unit, status, rule, sources)",
        "other_inputs": model.sources,
    }


def provenance(scenario_files, calibration_dir: Path | None = None) -> dict:
    """The part of every manifest that says what code and which input files made the folder."""
    return {
        "code_version": code_version(),
        "package_versions": package_versions(),
        "input_files_sha256": input_hashes(scenario_files, calibration_dir),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def build_manifest(result, extra: dict | None = None) -> dict:
    """Manifest of a RunResult (model.run.RunResult)."""
    scen = result.scenario
    params = {k: _jsonable(v[0] if np.ndim(v) >= 1 else v) for k, v in result.params.items()}
    fitted = result.model.parameters.fitted_path
    return {
        "scenario": {
            "id": scen.id,
            "name": scen.spec.name.model_dump(),
            "file": str(scen.path),
            "extends_chain": [str(p) for p in scen.chain],
            "resolved": scen.spec.model_dump(mode="json", exclude_none=True),
        },
        "parameters": params,
        "parameter_source": str(fitted) if fitted else str(result.model.parameters.priors_path),
        "switches": result.switches,
        "seed": scen.spec.seed,
        "n_runs": result.projection.n_runs,
        "base_year": _base_year_summary(result.model),
        **provenance(scen.chain),
        **(extra or {}),
    }
