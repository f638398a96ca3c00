"""Tests of the 2003 base year."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from model.baseyear import SECTOR_FIELDS, STATUSES, BaseYear, build_base_year
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


def _zj_io(obs, indicator: str) -> pd.Series:
    """Zhejiang IO 2002 column by IO sector, 100m_yuan, read straight from observations."""
    r = obs[(obs.indicator == indicator) & (obs.region == "zhejiang") & (obs.year == 2002)]
    return r.set_index("sector").value / 1e4


def _nat03(obs, label: str, indicator="industrial_sales_value_current_above_size") -> float:
    return value(obs, indicator, 2003, region="china", sector=label)


def _key(obs, label: str, ceads: str, energy_label: str) -> float:
    """Split key of a division: national 2003 sales x Zhejiang CEADs CO2 / national energy."""
    return (_nat03(obs, label) * value(obs, "co2_scope1_ceads", 2003, "zhejiang", ceads)
            / value(obs, "energy_consumption_nbs2016vintage", 2003, "china", energy_label))


MFG_IO = [f"{i:02d}" for i in range(6, 23)]
IND_IO = [f"{i:02d}" for i in range(2, 26)]
#: model sectors that are exactly one Zhejiang IO sector (no split)
WHOLE = {"textiles": "07_textiles", "nonmetallic_minerals": "13_nonmetal_mineral_products",
         "metal_products": "15_metal_products", "machinery": "16_general_special_equipment",
         "transport_equipment": "17_transport_equipment",
         "electrical_machinery": "18_electrical_machinery",
         "electronics_telecom": "19_telecom_computer_electronics"}
#: tolerance on sector shares of manufacturing: the rules are exact, so 1e-9 (float rounding)
SHARE_TOL = 1e-9


@pytest.mark.parametrize("field, indicator", [("value_added", "io2002_value_added"),
                                              ("gross_output", "io2002_gross_output")])
def test_reproduces_zhejiang_io_2002_structure(base, obs, field, indicator):
    io = _zj_io(obs, indicator)
    code = io.index.str[:2]
    mfg = io[code.isin(MFG_IO)].sum()
    got = getattr(base, field) / getattr(base, field).sum()
    ids = list(base.sectors)
    for sid, io_sector in WHOLE.items():
        assert got[ids.index(sid)] == pytest.approx(io[io_sector] / mfg, abs=SHARE_TOL), sid
    # IO 08 = apparel + leather, split by national 2003 sales x Zhejiang CEADs CO2 / national
    # energy of GB/T 18 and 19
    k18 = _key(obs, "纺织服装、鞋、帽制造业", "apparel", "纺织服装、服饰业")
    k19 = _key(obs, "皮革、毛皮、羽毛(绒)及其制品业", "leather", "皮革、毛皮、羽毛及其制品和制鞋业")
    ap, le = got[ids.index("apparel")], got[ids.index("leather")]
    assert ap + le == pytest.approx(io["08_apparel_leather_down"] / mfg, abs=SHARE_TOL)
    assert ap / le == pytest.approx(k18 / k19, rel=1e-9)
    # IO 11 + the GB/T 26 piece of IO 12 = chemicals
    k12 = [_key(obs, lab, ce, lab) for lab, ce in [
        ("化学原料及化学制品制造业", "chemicals"), ("医药制造业", "pharmaceuticals"),
        ("化学纤维制造业", "chemical_fibres"), ("橡胶制品业", "rubber"), ("塑料制品业", "plastics")]]
    w26 = k12[0] / sum(k12)
    assert got[ids.index("chemicals")] == pytest.approx(
        (io["11_petroleum_coking"] + w26 * io["12_chemicals"]) / mfg, abs=SHARE_TOL)
    # and the whole manufacturing total (VA: R1 with Zhejiang's own mfg/industry share)
    if field == "value_added":
        ind = io[code.isin(IND_IO)].sum()
        assert base.value_added.sum() == pytest.approx(
            value(obs, "industry_va", 2003) * mfg / ind, rel=1e-9)


def test_export_delivery_denominator_is_the_national_figure(base, obs):
    # chosen scope: manufacturing = GB/T 4754-2002 divisions 13-43 (all industry minus mining
    # 06-11 and utilities 44-46)
    all_ind = value(obs, "export_delivery_value_above_size", 2003, "china", "all_industry")
    assert all_ind == pytest.approx(26941.75165)
    non_mfg = ["煤炭开采和洗选业", "石油和天然气开采业", "黑色金属矿采选业", "有色金属矿采选业",
               "非金属矿采选业", "其他采矿业", "电力、热力的生产和供应业", "燃气生产和供应业",
               "水的生产和供应业"]
    expected = all_ind - sum(_nat03(obs, s, "export_delivery_value_above_size") for s in non_mfg)
    assert base.china_export_delivery == pytest.approx(expected, rel=1e-12)
    assert base.china_export_delivery == pytest.approx(26525.61, abs=0.01)
    share = base.export_delivery.sum() / base.china_export_delivery
    assert 0.13 < share < 0.15  # Zhejiang 2003: about 14 %


def test_provenance_statuses(base):
    p = base.provenance.set_index(["field", "sector"]).status
    for sid in WHOLE:
        assert p["value_added", sid] == "real_io2002", sid
        assert p["gross_output", sid] == "real_io2002", sid
    for sid in ("apparel", "leather", "chemicals", "pharmaceuticals", "chemical_fibres",
                "plastics", "ferrous_metals", "other_manufacturing"):
        assert p["value_added", sid] == "derived", sid  # receives a piece of IO 08/12/14
    assert p["china_export_delivery", "all"] == "real"
    assert (base.provenance[base.provenance.field == "capital"].status == "derived").all()


def test_no_two_sectors_share_a_china_output_share(base):
    share = base.gross_output / base.china_gross_output
    assert len(np.unique(np.round(share, 6))) == len(share)


def test_sector_patterns(base):
    w = base.capital / base.capital.sum()
    assert float(w @ base.delta_k_relative) == pytest.approx(1.0)
    assert np.ptp(base.delta_k_relative) > 0.3 and np.ptp(base.alpha_k_relative) > 0.1
    assert np.all(base.alpha_k_relative > 0.5) and np.all(base.alpha_k_relative < 1.5)
    # depreciation implied by the sector rates is proportional to the IO depreciation split
    dep = base.capital * base.delta_k_relative
    np.testing.assert_allclose(dep / dep.sum(), base.investment / base.investment.sum())


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
    assert prov.status.isin(list(STATUSES)).all()
    assert prov.sources.str.len().gt(0).all() and prov.rule.str.len().gt(0).all()


def test_assumptions_change_results(base):
    b2 = build_base_year(gross_output_rule="io_ratio", depreciation_rate=0.096)
    assert b2.value_added.sum() == pytest.approx(base.value_added.sum())
    assert b2.gross_output.sum() < base.gross_output.sum()
    assert b2.capital.sum() != pytest.approx(base.capital.sum())
    assert (b2.provenance.status == "derived").sum() > (base.provenance.status == "derived").sum()
    with pytest.raises(DataError, match="unknown assumption"):
        build_base_year(no_such_thing=1)
    with pytest.raises(DataError, match="unknown assumption"):
        build_base_year(xd_to_io_exports_ratio=0.8)  # removed: the national figure is in the data
