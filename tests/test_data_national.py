"""National real comparators (model/national.py) and the scenario values that use them."""

from __future__ import annotations

import pytest
import yaml

from model.errors import DataError
from model.national import load_1994_concordance, national_real_output_growth
from model.observations import load_observations, value
from model.paths import PROJECT_ROOT
from model.sectors import SECTOR_IDS


@pytest.fixture(scope="module")
def growth():
    return national_real_output_growth(load_observations(), load_1994_concordance(sector_ids=SECTOR_IDS))


def test_growth_by_hand_for_one_sector(growth):
    obs = load_observations()
    ind = "industrial_sales_value_current_above_size"
    nominal = (value(obs, ind, 2002, "china", "纺织业") / value(obs, ind, 2000, "china", "纺织业")) ** 0.5
    price = (value(obs, "retail_price_index", 2001) * value(obs, "retail_price_index", 2002) / 1e4) ** 0.5
    assert growth["textiles"] == pytest.approx(nominal / price - 1)
    # machinery = general (普通机械) + special equipment (专用设备) in the 1994 classification
    m0 = value(obs, ind, 2000, "china", "普通机械制造业") + value(obs, ind, 2000, "china", "专用设备制造业")
    m1 = value(obs, ind, 2002, "china", "普通机械制造业") + value(obs, ind, 2002, "china", "专用设备制造业")
    assert growth["machinery"] == pytest.approx((m1 / m0) ** 0.5 / price - 1)
    assert len(set(growth.round(4))) == len(growth)  # no shared value


def test_baseline_scenario_uses_the_computed_comparators(growth):
    doc = yaml.safe_load((PROJECT_ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"))
    spec = doc["assumptions"]["china_output_growth"]
    assert spec["values"] == pytest.approx(growth["all"], abs=5e-4)
    assert set(spec["sectors"]) == set(SECTOR_IDS)
    for s, v in spec["sectors"].items():
        assert v == pytest.approx(growth[s], abs=5e-4), s


def test_concordance_must_cover_every_sector(tmp_path):
    c = load_1994_concordance()
    c[c.model_sector != "textiles"].to_csv(tmp_path / "gbt4754_1994_industries.csv", index=False)
    with pytest.raises(DataError, match="without an industry"):
        load_1994_concordance(tmp_path, SECTOR_IDS)
