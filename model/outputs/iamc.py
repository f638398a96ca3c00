"""IAMC export of a run's projection: the long format the scenario community shares (pyam).

    >>> from model import run_scenario
    >>> from model.outputs.iamc import to_iamc
    >>> df = to_iamc(run_scenario("scenarios/plan-2004.yaml"))   # model, scenario, region, variable, unit, year, value
    >>> import pyam; pyam.IamDataFrame(df)                      # loads as is

Rows: every projection variable and every plan indicator, every year 2003-2010. ``region``
is ``Zhejiang``; a sector's value is the variable ``<Variable>|<sector id>`` (IAMC's ``|``
hierarchy), the province total (where one exists) the variable itself. Values are exported
unscaled in the unit named in the ``unit`` column (``model.scenario.units``: e.g.
``100m CNY_2003`` = 100 million yuan at 2003 prices, ``1`` = a ratio). ``mfgbase run --format
iamc`` writes the same table as ``projection_iamc.csv`` (the wide layout pyam reads from file).
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import pandas as pd

from model.scenario.units import unit_info

COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
REGION = "Zhejiang"


def model_name() -> str:
    try:
        return f"mfgbase {metadata.version('mfgbase')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "mfgbase"


def _variable(name: str) -> str:
    return name.replace("_", " ").capitalize()


def to_iamc(result, scenario: str | None = None) -> pd.DataFrame:
    """The run's projection and indicators in IAMC long format (columns :data:`COLUMNS`).

    ``scenario`` defaults to the scenario's id (its file name without ``.yaml``).
    """
    proj = result.projection_frame()
    ind = result.indicator_frame()
    var = proj["variable"].map(_variable)
    proj_var = var.where(proj["sector"] == "all", var + "|" + proj["sector"].astype(str))
    frames = [
        pd.DataFrame({"variable": proj_var, "unit": proj["unit"], "year": proj["year"], "value": proj["value"]}),
        pd.DataFrame({"variable": "Indicator|" + ind["indicator"].map(_variable), "unit": ind["unit"],
                      "year": ind["year"], "value": ind["value"]}),
    ]
    df = pd.concat(frames, ignore_index=True)
    df["unit"] = df["unit"].map(lambda u: unit_info(str(u)).iamc)
    df.insert(0, "region", REGION)
    df.insert(0, "scenario", scenario or result.scenario.id)
    df.insert(0, "model", model_name())
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    return df[COLUMNS].dropna(subset=["value"]).reset_index(drop=True)


def iamc_wide(df: pd.DataFrame) -> pd.DataFrame:
    """IAMC long -> the wide file layout (one column per year), as pyam and the IAMC templates use."""
    wide = df.pivot_table(index=COLUMNS[:5], columns="year", values="value", aggfunc="first", sort=False)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def write_iamc(result, path: str | os.PathLike) -> Path:
    """Write the run's IAMC table (wide layout, UTF-8 with BOM) to ``path``."""
    from model.outputs.tables import write_csv

    return write_csv(iamc_wide(to_iamc(result)), path)
