"""`mfgbase levers`: the catalogue comes from the registry, with units, ranges, modes, plan task."""

from __future__ import annotations

import pytest

from model.cli import main
from model.scenario.catalogue import catalogue
from model.scenario.registry import INPUTS
from model.scenario.units import UNITS, with_unit


def test_every_registry_unit_has_display_words():
    units = {ms.unit for inp in INPUTS.values() for ms in inp.modes.values()}
    assert units - set(UNITS) == set()


@pytest.mark.parametrize("value, unit, lang, shown", [
    (0.2, "fraction_per_year", "en", "20 %/yr"), (0.3, "fraction_per_year", "zh", "30 %/年"),
    (1234.56, "100m_yuan_2003", "zh", "1,234.6 亿元(2003年价)"), (0.05, "ratio_of_sales", "en", "5 % of sales"),
    (12, "count_per_year", "en", "12/yr"), (8.27, "yuan_per_usd", "en", "8.27 yuan/USD"),
])
def test_values_are_shown_with_their_unit(value, unit, lang, shown):
    assert with_unit(value, unit, lang) == shown


def test_catalogue_lists_every_input_and_mode_from_the_registry():
    cat = catalogue("en")
    assert len(cat) == sum(len(inp.modes) for inp in INPUTS.values())
    assert set(cat["name"]) == set(INPUTS)
    pw = cat[(cat["name"] == "power_capacity") & cat["mode"].str.startswith("growth")].iloc[0]
    spec = INPUTS["power_capacity"].modes["growth"]
    assert pw["unit"] == "%/yr" and (pw["low"], pw["high"]) == (100 * spec.low, 100 * spec.high)
    assert pw["plan_task"] == INPUTS["power_capacity"].plan_task and pw["sectors"] == "province"


def test_levers_command_prints_the_catalogue_in_both_languages(capsys):
    assert main(["levers", "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    from model.reporting.zh import fullwidth

    assert fullwidth(INPUTS["rd_special_fund"].label_zh) in zh and "%/年" in zh and "规划任务" in zh
    assert main(["levers", "--lang", "en", "--section", "assumptions"]) == 0
    en = capsys.readouterr().out
    assert "yuan/USD" in en and "exchange_rate" in en and "rd_special_fund" not in en
