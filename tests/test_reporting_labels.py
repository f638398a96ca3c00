from __future__ import annotations

import pytest

from model.reporting.labels import UI, Label, both, pick, t, ui


def test_pick_and_both():
    lab = Label("Scenario", "情景")
    assert pick(lab, "en") == "Scenario"
    assert pick(lab, "zh") == "情景"
    assert both(lab) == "情景 (Scenario)"
    assert str(lab) == "情景 (Scenario)"
    assert pick("plain", "zh") == "plain"
    assert both(Label("Same", "Same")) == "Same"
    assert both(Label("", "只有中文")) == "只有中文"
    with pytest.raises(ValueError):
        pick(lab, "fr")


def test_ui_table():
    expected = {
        "scenario": ("Scenario", "情景"),
        "target": ("Target", "目标"),
        "met": ("Met", "达成"),
        "missed": ("Missed", "未达成"),
        "reference": ("Reference", "参照情景"),
        "year": ("Year", "年份"),
        "not_by_2010": ("not by 2010", "2010年前未达成"),
    }
    for key, (en, zh) in expected.items():
        assert ui(key) == Label(en, zh)
        assert t(key, "zh") == zh
    assert all(isinstance(v, Label) and v.en and v.zh for v in UI.values())
    with pytest.raises(KeyError, match="known"):
        ui("no-such-key")
