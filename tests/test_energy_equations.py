"""Block E equations (model/energy_equations.py): retrofit stock, audits, power balance."""

from __future__ import annotations

import numpy as np
import pytest

from model import energy_equations as E


def _run_retrofits(spend, years=7, potential_share=0.2, cost=2500.0, life=15.0, e_auto=1.0, va=500.0):
    x = np.zeros_like(np.asarray(spend, dtype=float))
    path = []
    for _ in range(years):
        x = E.retrofit_step(x, spend, potential_share * e_auto * va, cost, life)
        path.append(x)
    return np.array(path)


def test_small_spending_buys_savings_at_the_stated_cost():
    # 1 (100m yuan) at 2500 yuan per tce/yr buys 4 (10k tce/yr); potential 0.2 * 1 * 500 = 100
    x = E.retrofit_step(np.zeros(1), np.array([0.01]), np.array([100.0]), 2500.0, 15.0)
    np.testing.assert_allclose(x * 100.0, 1e4 * 0.01 / 2500.0, rtol=1e-3)


def test_full_coverage_cannot_cut_intensity_below_the_technical_potential():
    """Covering 100 % of a sector (any spending, any year) leaves e >= e_auto (1 - p)."""
    spend = np.array([0.0, 1.0, 10.0, 1e3, 1e9])
    x = _run_retrofits(spend)
    assert (x >= 0).all() and (x <= 1.0 + 1e-12).all()
    for rebound in (0.0, 0.3):
        e = E.retrofit_intensity(1.0, x, 0.2, rebound)
        assert (e >= 1.0 - 0.2 - 1e-12).all()
    # the cap binds: enormous spending reaches the potential, and no further
    np.testing.assert_allclose(E.retrofit_intensity(1.0, x[-1, -1], 0.2, 0.0), 0.8, rtol=1e-9)
    # diminishing returns: doubling spending less than doubles the stock
    one = E.retrofit_step(np.zeros(2), np.array([10.0, 20.0]), 100.0, 2500.0, 15.0)
    assert one[1] < 2 * one[0]


def test_retrofits_are_a_stock_that_retires():
    x = _run_retrofits(np.array([5.0]), years=1)[-1]
    later = E.retrofit_step(x, np.array([0.0]), np.array([100.0]), 2500.0, 10.0)
    np.testing.assert_allclose(later, x * 0.9)


def test_clean_production_audits_raise_the_share_and_count_only_real_audits():
    f0 = np.array([0.1, 0.1])
    f1, done = E.clean_production_step(f0, np.array([0.0, 200.0]), 1000.0, 0.8, 0.01, 0.4)
    assert f1[1] > f1[0] > f0[0]
    np.testing.assert_allclose(f1[0], 0.1 + 0.9 * (0.01 + 0.04))
    # more audits than firms left: all remaining firms audited, no more counted
    f2, done2 = E.clean_production_step(np.array([0.9]), np.array([1e6]), 1000.0, 0.8, 0.0, 0.0)
    np.testing.assert_allclose(done2, 100.0)
    np.testing.assert_allclose(f2, 0.9 + 0.1 * 0.8)
    assert (f2 <= 1).all()


def test_unserved_share_is_continuous_and_bounded():
    lf = 0.78
    m = 2 * lf - 1
    s = np.linspace(0, 1, 2001)
    u = E.unserved_share(s, lf)
    assert u[0] == 0 and (np.diff(u) >= -1e-12).all() and u[-1] == pytest.approx(1.0)
    k = np.searchsorted(s, 1 - m)
    assert abs(u[k] - u[k - 1]) < 1e-2
    # by hand: 10 % short at LF 0.78 -> 0.01 / (1 - 0.56^2)
    np.testing.assert_allclose(E.unserved_share(0.1, lf), 0.01 / (1 - 0.56**2))


def test_shortfall_curtails_output_and_ample_supply_does_not():
    demand = np.array([1000.0, 1000.0])
    capacity = np.array([1500.0, 3000.0])  # short / ample
    b = dict(zip(("peak", "supply", "shortfall", "unserved", "curtailment"),
                 E.power_balance(demand, 300.0, capacity, 0.0, 0.9, 0.1, 0.78), strict=True))
    assert b["shortfall"][0] > 0 and b["curtailment"][0] > 0
    assert b["shortfall"][1] == 0 and b["curtailment"][1] == 0
    va = E.curtail(np.array([100.0, 100.0]), b["curtailment"], 0.6)
    assert va[0] < 100.0 and va[1] == 100.0
    np.testing.assert_allclose(b["peak"], 1300 * 1.1 * 1e4 / (8760 * 0.78))


def test_calorific_conversion():
    np.testing.assert_allclose(E.KGCE_PER_KWH, 0.1228, atol=1e-4)
    np.testing.assert_allclose(E.MTCE_TO_100M_KWH, 81.41, atol=0.01)
