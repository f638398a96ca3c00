"""Zhejiang's own 2002 input-output table aggregated to the model's sectors.

Two data files in ``calibration/`` hold the concordances (checked by the loaders):

- ``gbt4754_2002_divisions.csv`` — ``division, scope, name_zh, nbs_label, ceads_sector,
  nbs_energy_label``: the 39 two-digit industries of the national 2003 above-size tables
  (GB/T 4754-2002), their scope (mining / manufacturing / utilities), the sector label they
  carry in ``observations.csv``, and for the divisions inside a split IO sector the CEADs
  Zhejiang sector and the label of the national energy-by-industry series.
- ``io2002_zhejiang_concordance.csv`` — ``io_sector, io_name_zh, scope, model_sector,
  gbt4754_2002, split, note``: each of the 42 sectors of Zhejiang's 2002 IO table, one row per
  (IO sector, model sector) piece. ``split = whole``: the IO sector belongs to one model sector.
  ``split = derived``: the IO sector covers several model sectors (IO 08 = GB/T 18 + 19;
  IO 12 = 26-30; IO 14 = 32 + 33) and is divided by a split key per division — the only
  derived step. Key (``split_key``): Zhejiang's output of division d is taken as its energy use
  divided by the national energy intensity of d,
      key_d = national 2003 sales_d x (Zhejiang CEADs 2003 energy CO2_d / national 2003 energy_d),
  i.e. the national 2003 two-digit structure tilted by how much energy Zhejiang's division d
  uses relative to the nation's. Pure national weights would give every piece of one IO sector
  the same Zhejiang share of China's output; the tilt carries Zhejiang's own (CEADs) sector
  information. Assumes Zhejiang's energy intensity relative to the nation is the same for the
  pieces of one IO sector; CEADs counts fuel combustion only (scope 1), the national series all
  energy (incl. electricity).

Rules checked: every IO sector of the table appears; manufacturing pieces name a model sector
and GB/T divisions that ``calibration/sectors.csv`` assigns to that sector; every manufacturing
division appears in exactly one piece; a split IO sector has >= 2 pieces, a whole one exactly 1.

Money in 100m_yuan (the table's 10k_yuan / 1e4), current 2002 producer prices.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import DataError
from model.observations import value
from model.paths import CALIBRATION_DIR
from model.sectors import MANUFACTURING_GBT_DIVISIONS, gbt_to_sector, split_codes

CONCORDANCE_FILE = "io2002_zhejiang_concordance.csv"
DIVISIONS_FILE = "gbt4754_2002_divisions.csv"
SPLITS = ("whole", "derived")
SCOPES = ("mining", "manufacturing", "utilities", "non_industry")
INDUSTRY_SCOPES = ("mining", "manufacturing", "utilities")

#: Zhejiang IO 2002 columns read, indicator -> short name.
IO_COLUMNS: dict[str, str] = {
    "io2002_gross_output": "go", "io2002_value_added": "va", "io2002_va_compensation": "comp",
    "io2002_va_net_production_taxes": "tax", "io2002_va_depreciation": "dep",
    "io2002_va_operating_surplus": "surplus", "io2002_net_outflow": "net_outflow",
    "io2002_gfcf": "gfcf",
}


def load_divisions(calibration_dir: str | Path | None = None) -> pd.DataFrame:
    """The GB/T 4754-2002 division table (``division`` as int)."""
    p = Path(calibration_dir or CALIBRATION_DIR) / DIVISIONS_FILE
    if not p.exists():
        raise DataError(f"{p}: file not found")
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = ["division", "scope", "name_zh", "nbs_label", "ceads_sector", "nbs_energy_label"]
    if list(df.columns) != need:
        raise DataError(f"{p}: columns must be {need}, got {list(df.columns)}")
    bad = df[~df.scope.isin(INDUSTRY_SCOPES)]
    if len(bad):
        raise DataError(f"{p}, row {bad.index[0] + 2}, column 'scope': {bad.scope.iloc[0]!r}; "
                        f"allowed: {list(INDUSTRY_SCOPES)}")
    df["division"] = df.division.astype(int)
    mfg = sorted(df.division[df.scope == "manufacturing"])
    if mfg != list(MANUFACTURING_GBT_DIVISIONS) or df.division.duplicated().any():
        raise DataError(f"{p}: manufacturing divisions must be {list(MANUFACTURING_GBT_DIVISIONS)} "
                        f"once each, got {mfg}")
    return df


def load_concordance(sectors: pd.DataFrame, calibration_dir: str | Path | None = None
                     ) -> pd.DataFrame:
    """The Zhejiang IO 2002 -> model-sector concordance (rules in the module docstring).

    Adds a column ``divisions`` (list of int).
    """
    p = Path(calibration_dir or CALIBRATION_DIR) / CONCORDANCE_FILE
    if not p.exists():
        raise DataError(f"{p}: file not found")
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = ["io_sector", "io_name_zh", "scope", "model_sector", "gbt4754_2002", "split", "note"]
    if list(df.columns) != need:
        raise DataError(f"{p}: columns must be {need}, got {list(df.columns)}")
    df["divisions"] = [[int(c) for c in split_codes(x)] for x in df.gbt4754_2002]
    g2s = gbt_to_sector(sectors)
    seen: list[int] = []
    for i, r in df.iterrows():
        where = f"{p}, row {int(i) + 2}"
        if r.scope not in SCOPES:
            raise DataError(f"{where}, column 'scope': {r.scope!r}; allowed: {list(SCOPES)}")
        if r.scope != "manufacturing":
            if r.model_sector or r.split:
                raise DataError(f"{where}: only manufacturing rows take model_sector and split")
            continue
        if r.model_sector not in set(sectors.id):
            raise DataError(f"{where}, column 'model_sector': {r.model_sector!r} is not a sector "
                            f"of sectors.csv")
        if r.split not in SPLITS:
            raise DataError(f"{where}, column 'split': {r.split!r}; allowed: {list(SPLITS)}")
        if not r.divisions:
            raise DataError(f"{where}, column 'gbt4754_2002': a manufacturing row needs divisions")
        wrong = [d for d in r.divisions if g2s.get(d) != r.model_sector]
        if wrong:
            raise DataError(f"{where}: divisions {wrong} are not in sector {r.model_sector!r} of "
                            f"sectors.csv")
        seen += r.divisions
    if sorted(seen) != list(MANUFACTURING_GBT_DIVISIONS):
        raise DataError(f"{p}: every manufacturing division {list(MANUFACTURING_GBT_DIVISIONS)} "
                        f"must appear exactly once; got {sorted(seen)}")
    mfg = df[df.scope == "manufacturing"]
    for io, g in mfg.groupby("io_sector"):
        kinds = set(g.split)
        if len(kinds) > 1 or (kinds == {"whole"} and len(g) != 1) or (
                kinds == {"derived"} and len(g) < 2):
            raise DataError(f"{p}: IO sector {io}: 'whole' needs one row, 'derived' at least two")
    return df


def national_2003_by_division(obs: pd.DataFrame, divisions: pd.DataFrame, indicator: str
                              ) -> pd.Series:
    """A national 2003 above-size figure by GB/T division (index division int), 100m_yuan."""
    out = {int(r.division): value(obs, indicator, 2003, region="china", sector=r.nbs_label)
           for r in divisions.itertuples()}
    return pd.Series(out, name=indicator)


def split_key(obs: pd.DataFrame, concordance: pd.DataFrame, divisions: pd.DataFrame,
              national_sales_2003: pd.Series) -> pd.Series:
    """The split key (module docstring) for every division of a split IO sector (index int)."""
    need = sorted({d for r in concordance.itertuples() if r.split == "derived" for d in r.divisions})
    dv = divisions.set_index("division")
    key = {}
    for d in need:
        ce, en = dv.loc[d, "ceads_sector"], dv.loc[d, "nbs_energy_label"]
        if not ce or not en:
            raise DataError(f"{DIVISIONS_FILE}: division {d} is in a split IO sector and needs "
                            f"ceads_sector and nbs_energy_label")
        co2 = value(obs, "co2_scope1_ceads", 2003, "zhejiang", ce)
        energy = value(obs, "energy_consumption_nbs2016vintage", 2003, "china", en)
        key[d] = float(national_sales_2003[d]) * co2 / energy
    return pd.Series(key, name="split_key")


def zhejiang_io_pieces(obs: pd.DataFrame, concordance: pd.DataFrame,
                       key: pd.Series) -> pd.DataFrame:
    """Zhejiang IO 2002 columns (``IO_COLUMNS``, 100m_yuan) for every concordance row.

    Split rows get their IO sector's figures x weight w = key of the row's divisions / key of
    all the IO sector's divisions (column ``weight``; 1 for whole rows; ``key`` from
    ``split_key``). Columns: io_sector, scope, model_sector, split, divisions, weight, + IO.
    """
    z = obs[(obs.region == "zhejiang") & obs.indicator.isin(list(IO_COLUMNS)) & (obs.year == 2002)]
    t = z.assign(col=z.indicator.map(IO_COLUMNS), v=z.value / 1e4).pivot(
        index="sector", columns="col", values="v")
    miss = sorted(set(concordance.io_sector) - set(t.index))
    if miss:
        raise DataError(f"observations: Zhejiang IO 2002 has no rows for {miss}")
    rows = concordance.copy()
    split = (rows.split == "derived").to_numpy()
    rows["key"] = [float(key.reindex(d).sum()) if s else np.nan
                   for d, s in zip(rows.divisions, split, strict=True)]
    tot = rows.groupby("io_sector").key.transform("sum")
    rows["weight"] = np.where(split, rows.key / tot, 1.0)
    for c in IO_COLUMNS.values():
        rows[c] = t.loc[rows.io_sector, c].to_numpy() * rows.weight.to_numpy()
    return rows


def by_model_sector(pieces: pd.DataFrame, sector_ids: tuple[str, ...]) -> pd.DataFrame:
    """Sum the manufacturing pieces per model sector (sector order); adds ``derived_go_share``,
    the share of each sector's IO gross output that comes from split (derived) pieces."""
    m = pieces[pieces.scope == "manufacturing"]
    cols = list(IO_COLUMNS.values())
    out = m.groupby("model_sector")[cols].sum().reindex(list(sector_ids))
    der = m[m.split == "derived"].groupby("model_sector").go.sum()
    out["derived_go_share"] = (der.reindex(list(sector_ids)).fillna(0.0) / out.go).to_numpy()
    return out


def scope_totals(pieces: pd.DataFrame) -> pd.DataFrame:
    """IO columns summed by scope (each IO sector counted once)."""
    cols = list(IO_COLUMNS.values())
    return pieces.groupby("scope")[cols].sum()
