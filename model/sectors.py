"""The model's manufacturing sectors (``calibration/sectors.csv``).

Columns: ``id, name_en, name_zh, gbt4754_2002, high_tech, traditional, heavy_chemical,
io2002_codes, ceads_sectors``. Multi-valued cells are ``;``-separated strings in the file
(2-digit GB/T 4754-2002 industries; 3-digit codes of the national 2002 122-sector IO table;
snake_case CEADs sector names, GB/T 4754-1994 based). Flags are 0/1.

Concordance rules checked by ``load_sectors``:
- ids unique, flags in {0, 1};
- every IO manufacturing code ``013``-``084`` (``MANUFACTURING_IO_CODES``) maps to exactly one
  sector; no mining (007-012) or utility (085-087) code maps to any sector;
- every GB/T 4754-2002 manufacturing division 13-43 (except 38, not used in 2002; see note)
  appears in exactly one sector.

Sector order (the row order of the file) is the order of every per-sector array in the model;
``SECTOR_IDS`` is computed from the file at import.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.errors import DataError
from model.paths import CALIBRATION_DIR
from model.safeio.tables import read_csv

MINING_IO_CODES: tuple[str, ...] = tuple(f"{i:03d}" for i in range(7, 13))
MANUFACTURING_IO_CODES: tuple[str, ...] = tuple(f"{i:03d}" for i in range(13, 85))
UTILITIES_IO_CODES: tuple[str, ...] = tuple(f"{i:03d}" for i in range(85, 88))
#: GB/T 4754-2002 manufacturing divisions 13-43; 38 does not exist in the 2002 edition.
MANUFACTURING_GBT_DIVISIONS: tuple[int, ...] = tuple(i for i in range(13, 44) if i != 38)
FLAGS: tuple[str, ...] = ("high_tech", "traditional", "heavy_chemical")
COLUMNS: tuple[str, ...] = (
    "id", "name_en", "name_zh", "gbt4754_2002", *FLAGS, "io2002_codes", "ceads_sectors",
)


def split_codes(cell: object) -> list[str]:
    """Split a ``;``-separated cell into stripped, non-empty strings."""
    return [c.strip() for c in str(cell).split(";") if c.strip()]


def load_sectors(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the sector table; return it in file order (index 0..S-1).

    Raises ``DataError`` naming the file, row and column of the first violation.
    """
    p = Path(path) if path is not None else CALIBRATION_DIR / "sectors.csv"
    df = read_csv(p, "sector table")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{p}: missing column(s) {missing}; required {list(COLUMNS)}")
    dup = df.id.duplicated()
    if dup.any():
        i = int(dup.idxmax())
        raise DataError(f"{p}, row {i + 2}, column 'id': duplicate id {df.id[i]!r}")
    for f in FLAGS:
        bad = ~df[f].isin(["0", "1"])
        if bad.any():
            i = int(bad.idxmax())
            raise DataError(f"{p}, row {i + 2}, column '{f}': {df[f][i]!r}; allowed 0 or 1")
        df[f] = df[f].astype(int)
    seen: dict[str, int] = {}
    for i, cell in enumerate(df.io2002_codes):
        for c in split_codes(cell):
            if c not in MANUFACTURING_IO_CODES:
                raise DataError(
                    f"{p}, row {i + 2}, column 'io2002_codes': {c!r} is not a manufacturing "
                    f"IO code; allowed 013-084"
                )
            if c in seen:
                raise DataError(
                    f"{p}, row {i + 2}, column 'io2002_codes': IO code {c} already mapped "
                    f"at row {seen[c] + 2}; each code maps to one sector"
                )
            seen[c] = i
    unmapped = sorted(set(MANUFACTURING_IO_CODES) - set(seen))
    if unmapped:
        raise DataError(f"{p}, column 'io2002_codes': IO manufacturing codes {unmapped} unmapped")
    gseen: dict[int, int] = {}
    for i, cell in enumerate(df.gbt4754_2002):
        for c in split_codes(cell):
            d = int(c)
            if d not in MANUFACTURING_GBT_DIVISIONS or d in gseen:
                raise DataError(
                    f"{p}, row {i + 2}, column 'gbt4754_2002': {c!r} unknown or mapped twice; "
                    f"allowed each of {list(MANUFACTURING_GBT_DIVISIONS)} once"
                )
            gseen[d] = i
    if set(gseen) != set(MANUFACTURING_GBT_DIVISIONS):
        raise DataError(
            f"{p}, column 'gbt4754_2002': divisions "
            f"{sorted(set(MANUFACTURING_GBT_DIVISIONS) - set(gseen))} unmapped"
        )
    return df[list(COLUMNS)].reset_index(drop=True)


def io_code_to_sector(sectors: pd.DataFrame) -> dict[str, str]:
    """Map each IO manufacturing code to its sector id."""
    return {c: r.id for r in sectors.itertuples() for c in split_codes(r.io2002_codes)}


def gbt_to_sector(sectors: pd.DataFrame) -> dict[int, str]:
    """Map each GB/T 4754-2002 2-digit division (int) to its sector id."""
    return {int(c): r.id for r in sectors.itertuples() for c in split_codes(r.gbt4754_2002)}


def ceads_to_sector(sectors: pd.DataFrame) -> dict[str, str]:
    """Map each CEADs snake_case sector name to its sector id."""
    return {c: r.id for r in sectors.itertuples() for c in split_codes(r.ceads_sectors)}


SECTOR_IDS: tuple[str, ...] = tuple(load_sectors().id)
