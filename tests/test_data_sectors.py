"""Tests of the sector table and its concordances."""

from __future__ import annotations

import pandas as pd
import pytest

from model.errors import DataError
from model.observations import load_observations
from model.sectors import (
    MANUFACTURING_IO_CODES,
    SECTOR_IDS,
    ceads_to_sector,
    io_code_to_sector,
    load_sectors,
)


def test_fifteen_sectors_in_contract_order():
    assert SECTOR_IDS == (
        "textiles", "apparel", "leather", "chemicals", "pharmaceuticals", "chemical_fibres",
        "plastics", "nonmetallic_minerals", "ferrous_metals", "metal_products", "machinery",
        "transport_equipment", "electrical_machinery", "electronics_telecom",
        "other_manufacturing",
    )


def test_every_io_code_mapped_once():
    m = io_code_to_sector(load_sectors())
    assert sorted(m) == list(MANUFACTURING_IO_CODES)


def test_ceads_names_exist_in_observations():
    obs = load_observations()
    names = set(obs[(obs.indicator == "co2_scope1_ceads") & (obs.year == 2003)].sector)
    assert set(ceads_to_sector(load_sectors())) <= names


def test_flags():
    s = load_sectors().set_index("id")
    assert set(s.index[s.high_tech == 1]) == {"pharmaceuticals", "electronics_telecom"}
    assert s.loc["chemical_fibres", "traditional"] == 1


def _write(tmp_path, df):
    p = tmp_path / "sectors.csv"
    df.to_csv(p, index=False)
    return p


def test_rejects_duplicate_io_code(tmp_path):
    df = load_sectors().astype(str)
    df.loc[1, "io2002_codes"] = "028;023"
    with pytest.raises(DataError, match=r"row 3, column 'io2002_codes'.*023"):
        load_sectors(_write(tmp_path, df))


def test_rejects_duplicate_id_and_bad_flag(tmp_path):
    df = load_sectors().astype(str)
    df.loc[2, "id"] = "textiles"
    with pytest.raises(DataError, match="duplicate id"):
        load_sectors(_write(tmp_path, df))
    df = load_sectors().astype(str)
    df.loc[0, "high_tech"] = "yes"
    with pytest.raises(DataError, match=r"row 2, column 'high_tech'"):
        load_sectors(_write(tmp_path, df))


def test_rejects_unmapped_code(tmp_path):
    df = load_sectors().astype(str)
    df.loc[14, "io2002_codes"] = df.loc[14, "io2002_codes"].replace(";084", "")
    with pytest.raises(DataError, match="084"):
        load_sectors(_write(tmp_path, pd.DataFrame(df)))
