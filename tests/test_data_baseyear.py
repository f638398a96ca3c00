"""Tests of the 2003 base year."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model.baseyear import SECTOR_FIELDS, BaseYear, build_base_year
from model.errors import DataError
from model.observations import load_observations, value
from model.sectors import SECTOR_IDS


@pytest.fixture(scope="module")
def base() -> BaseYear:
    return build_base_year()


@pytest.fixture(scope="module")
def obs():
    return load_observations()


def test_shapes_and_order(base):
    assert base.sectors == SECTOR_IDS
    for f in SECTOR_FIELDS:
        arr = getattr(base, f)
        assert arr.shape == (len(SECTOR_IDS),) and arr.dtype == np.float64
        assert np.all(np.isfinite(arr)) and np.all(arr > 0), f
        assert not arr.flags.writeable


def test_frozen(base):
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.fdi_actually_used = 1.0  # type: ignore[misc]


def test_scalars(base):
    assert base.fdi_actually_used == pytest.approx(49.8055)
    assert base.key_firms_count == 301 and base.key_firms_output == pytest.approx(2954.9)
    assert base.st_to_rd_ratio == pytest.approx(1467.8 / 720.8)
    assert 0.1 < base.rd_growth_presample < 0.35
    assert base.china_export_delivery > base.export_delivery.sum()


def test_value_added_sums_to_manufacturing_total(base, obs):
    prov = base.provenance
    assert base.value_added.sum() < value(obs, "industry_va", 2003)
    io = obs[obs.indicator == "io2002_value_added"]
    codes = io.note.str.extract(r"IO sector (\d{3})", expand=False)
    va = io.value.groupby(codes).sum()
    mfg = va[[f"{i:03d}" for i in range(13, 85)]].sum()
    ind = va[[f"{i:03d}" for i in range(7, 88)]].sum()
    assert base.value_added.sum() == pytest.approx(4381.0 * mfg / ind)
    assert set(prov[prov.field == "value_added"].status) == {"anchored", "derived"}


def test_splits_preserve_totals(base, obs):
    xd_total = 2661.0 * 1.2 + 553.8
    assert base.export_delivery.sum() == pytest.approx(xd_total)
    assert np.all(base.export_delivery <= base.sales)
    assert base.investment.sum() < value(obs, "gross_fixed_capital_formation", 2003)
    e_ind = value(obs, "final_energy_consumption_lbl", 2003, sector="industry") * 100
    assert base.energy.sum() < e_ind
    assert base.rd.sum() == pytest.approx(base.sales.sum() * 0.0075)
    assert np.all(base.sales < base.gross_output) and np.all(base.value_added < base.gross_output)


def test_provenance_covers_every_field_and_sector(base):
    prov = base.provenance
    assert list(prov.columns) == ["field", "sector", "value", "unit", "status", "rule", "sources"]
    for f in SECTOR_FIELDS:
        p = prov[prov.field == f]
        assert tuple(p.sector) == SECTOR_IDS, f
        np.testing.assert_allclose(p.value.to_numpy(), getattr(base, f))
    for f in ("china_export_delivery", "fdi_actually_used", "st_to_rd_ratio",
              "key_firms_count", "key_firms_output", "rd_growth_presample"):
        assert (prov.field == f).sum() == 1, f
    assert prov.status.isin(["real", "anchored", "derived", "yearbook"]).all()
    assert prov.sources.str.len().gt(0).all() and prov.rule.str.len().gt(0).all()


def test_assumptions_change_results(base):
    b2 = build_base_year(xd_to_io_exports_ratio=0.8, use_news_anchors=False,
                         gross_output_rule="io_ratio")
    assert b2.china_export_delivery == pytest.approx(0.8 * base.china_export_delivery)
    assert b2.value_added.sum() == pytest.approx(base.value_added.sum())
    assert b2.gross_output.sum() < base.gross_output.sum()
    assert (b2.provenance.status == "derived").sum() > (base.provenance.status == "derived").sum()
    with pytest.raises(DataError, match="unknown assumption"):
        build_base_year(no_such_thing=1)
