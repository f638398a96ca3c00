"""Hand-checked values and shape properties of the instrument response functions."""

from __future__ import annotations

import numpy as np
import pytest

from model import instruments as ins


def test_saturate_slope_one_at_zero_bounded_and_concave():
    x = np.array([0.0, 1e-6, 0.5, 1.0, 5.0, 50.0])
    y = ins.saturate(x, 1.0)
    assert y[0] == 0.0
    assert y[1] == pytest.approx(1e-6, rel=1e-5)
    assert y[3] == pytest.approx(1.0 - np.exp(-1.0))
    assert np.all(y <= 1.0) and np.all(np.diff(y[:-1]) > 0)
    assert np.all(np.diff(np.diff(y[2:]) / np.diff(x[2:])) < 0)  # diminishing returns
    assert ins.saturate(-0.2, 1.0) == pytest.approx(-0.2)  # no cap below zero


def test_rd_intensity_multiple_tax_price_elasticity_and_ceiling():
    assert ins.rd_intensity_multiple(3, 0.0, 1.0, 4.0) == pytest.approx(1.0)
    # small credit, elasticity -1: long-run response ~ 1/(1-c) (cap far away)
    x = ins.tax_price_target(0.01, -1.0)
    assert x == pytest.approx(1.0 / 0.99, rel=1e-12)
    assert ins.rd_intensity_multiple(0, 0.0, x, 1e6) == pytest.approx(1.0 / 0.99, rel=1e-6)
    # the ceiling binds: never above M whatever the credit
    assert ins.rd_intensity_multiple(7, 0.1, ins.tax_price_target(0.9, -1.5), 3.0) < 3.0
    # drift alone: exp(g t)
    assert ins.rd_intensity_multiple(2, 0.05, 1.0, 1e6) == pytest.approx(np.exp(0.1), rel=1e-6)


def test_partial_adjustment_of_the_tax_price_response():
    x1 = ins.adjust_intensity(1.0, 1.25, 0.2)
    assert x1 == pytest.approx(1.05)
    assert ins.adjust_intensity(x1, 1.25, 0.2) == pytest.approx(1.05 + 0.2 * 0.2)
    assert ins.adjust_intensity(1.0, 1.25, 1.0) == pytest.approx(1.25)  # phi = 1: at once


def test_fund_additionality_and_diminishing_returns():
    own = np.array([100.0])
    small = ins.fund_induced_rd(np.array([1.0]), own, 0.8)
    assert small == pytest.approx(0.8 * 100 * (1 - np.exp(-0.01)))
    big = ins.fund_induced_rd(np.array([1000.0]), own, 0.8)
    assert big < 0.8 * 100.0  # bounded by theta x own R&D
    assert ins.fund_induced_rd(np.array([5.0]), own, 0.0) == 0.0  # full crowding-out


def test_rate_of_return_tfp():
    assert ins.tfp_growth_rd(0.02, 0.3, 10.0, 200.0) == pytest.approx(0.02 + 0.3 * 0.05)


def test_accelerator_reproduces_base_year_and_responds():
    d = ins.accelerator_investment(50.0, 300.0, 300.0, 0.08, 0.08, 0.15, 1.0, ins.profitability_factor(1.0, 0.5))
    assert d == pytest.approx(50.0)
    faster = ins.accelerator_investment(50.0, 300.0, 300.0, 0.12, 0.08, 0.15, 1.0, ins.profitability_factor(1.0, 0.5))
    assert faster == pytest.approx(50.0 * 0.19 / 0.15)
    less_profit = ins.accelerator_investment(50.0, 300.0, 300.0, 0.08, 0.08, 0.15, 1.0, ins.profitability_factor(0.81, 0.5))
    assert less_profit == pytest.approx(50.0 * 0.9)
    bigger_k = ins.accelerator_investment(50.0, 330.0, 300.0, 0.08, 0.08, 0.15, 1.0, ins.profitability_factor(1.0, 0.5))
    assert bigger_k == pytest.approx(55.0)
    floor = ins.accelerator_investment(50.0, 300.0, 300.0, -5.0, 0.08, 0.15, 1.0, ins.profitability_factor(1.0, 0.5))
    assert floor == pytest.approx(5.0)


def test_renovation_crowding_and_fdi_promotion():
    u = ins.renovation_uplift(10.0, 1000.0, 2.0, 0.15)
    assert u == pytest.approx(0.15 * (1 - np.exp(-0.02 / 0.15)))
    assert ins.renovation_uplift(1e6, 1000.0, 2.0, 0.15) <= 0.15
    assert ins.crowd_out(100.0, 30.0, 10.0, 0.5) == pytest.approx(90.0)
    assert ins.crowd_out(100.0, 1000.0, 10.0, 0.5) == pytest.approx(10.0)
    assert ins.fdi_promotion_multiple(0.0, 5.0, 0.25) == 1.0
    m1, m2 = ins.fdi_promotion_multiple(np.array([5.0, 10.0]), 5.0, 0.25)
    assert m1 == pytest.approx(2**0.25) and (m2 - m1) < (m1 - 1.0)  # rising marginal cost


def test_bass_ceiling_never_exceeds_and_subsidy_saturates():
    p = ins.bass_subsidy_p(0.01, np.array([[0.0, 20.0, 1000.0]]), 0.05, 20.0)
    assert p[0, 0] == 0.01 and p[0, 1] == pytest.approx(0.01 + 0.05 * (1 - np.exp(-1)))
    assert p[0, 2] < 0.06 + 1e-12
    f = [0.1]
    for _ in range(39):
        f.append(ins.bass_ceiling(f[-1], 0.2, 0.7, 0.6))
    assert max(f) <= 0.6 + 1e-12 and f[-1] == pytest.approx(0.6, abs=1e-6)
    assert np.all(np.diff(f) >= 0)
    over = [0.8]
    for _ in range(4):
        over.append(ins.bass_ceiling(over[-1], 0.2, 0.5, 0.6))
    assert np.all(np.array(over) == 0.8)


def test_erp_cost_and_budget_envelope():
    f = np.array([0.10, 0.15, 0.25])
    c = ins.erp_subsidy_cost(np.array([10.0, 10.0]), f[1:], f[:-1], n_firms=20000.0)
    assert c[0] == pytest.approx(10.0 * 20000 * 0.05 / 1e4)
    assert c[1] == pytest.approx(10.0 * 20000 * 0.10 / 1e4)
    assert ins.erp_subsidy_cost(10.0, 0.1, 0.15, 20000.0) == 0.0  # no cost for falling adoption
    index = np.cumprod([1.0, 1.1, 1.1])  # the 2003 growth (0.5) does not count
    b = ins.budget_envelope(100.0, index, np.array([0.05, 0.05, 0.1]))
    np.testing.assert_allclose(b, [5.0, 5.5, 12.1])
    np.testing.assert_allclose(ins.effort_index([0.0, 5.0, 20.0], 10.0), [0.0, 0.5, 1.0])
