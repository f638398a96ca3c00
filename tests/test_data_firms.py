"""The 2003 firm-size anchor (base year R14, core block F) and its priors."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from scipy.optimize import brentq

from model import core
from model.baseyear import build_base_year
from model.observations import load_observations, value
from model.paths import CALIBRATION_DIR

PRIORS = yaml.safe_load((CALIBRATION_DIR / "priors.yaml").read_text(encoding="utf-8"))["parameters"]


def _rank_size_zeta(entry: float, total: float, n: int = 500) -> float:
    """zeta such that sum_r entry (n/r)^(1/zeta) = total (r = 1..n)."""
    r = np.arange(1, n + 1, dtype=float)
    return brentq(lambda z: entry * ((n / r) ** (1.0 / z)).sum() - total, 0.3, 3.0)


def test_pareto_zeta_central_is_the_national_top500_exponent():
    obs = load_observations()
    z = _rank_size_zeta(value(obs, "china_top500_entry_threshold_revenue", 2003, "china"),
                        value(obs, "china_top500_total_revenue", 2003, "china"))
    assert PRIORS["pareto_zeta"]["central"] == pytest.approx(z, abs=0.005)
    assert PRIORS["pareto_zeta"]["low"] < z < PRIORS["pareto_zeta"]["high"]


def test_entry_threshold_prior_bounds_come_from_the_data():
    obs = load_observations()
    p = PRIORS["private_top500_entry_2003"]
    assert p["high"] == value(obs, "china_top500_entry_threshold_revenue", 2003, "china")
    assert p["distribution"] == "loguniform"
    assert p["central"] == pytest.approx(np.sqrt(p["low"] * p["high"]), abs=0.005)


def test_anchor_count_is_the_ranking_figure():
    base = build_base_year()
    assert base.top_firms_anchor_count == 183
    prov = base.provenance.set_index("field")
    assert prov.loc["top_firms_anchor_count", "status"] == "real"


def test_anchor_rule_recovers_an_exact_pareto_population():
    zeta, n, entry = 1.05, 183, 6.0
    sizes = entry * (n / np.arange(1, 100_001)) ** (1 / zeta)  # the tail continued below the anchor
    count = core.firms_above_threshold_from_anchor(n, np.array([entry]), np.array([zeta]), 100.0)[0]
    assert abs(count - (sizes >= 100.0).sum()) < 1.0
    assert count == pytest.approx(n * (entry / 100.0) ** zeta)
