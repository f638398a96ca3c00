"""Each equation block of model/core.py against a hand-computed case (docs/model.md)."""

from __future__ import annotations

import numpy as np
import pytest

from model import core
from tests._model_helpers import neutral_inputs, run_tiny, tiny_base


def test_capital_accumulation_and_fdi_investment():
    params, drivers = neutral_inputs(delta_k=0.1, fdi_manufacturing_share=0.5, invest_accelerator=0.0,
                                     invest_profitability=0.0)
    p = run_tiny(params, drivers)
    base = tiny_base()
    # FDI-funded investment: FDI (100m usd) x share x exchange rate, split by investment shares
    fdi_yuan = 2.0 * 0.5 * 8.0
    w = base.investment / base.investment.sum()
    np.testing.assert_allclose(p["investment_fdi"][0, 0], fdi_yuan * w)
    dom0 = base.investment - fdi_yuan * w
    # domestic investment keeps the 2003 investment rate I_2003 / K_2002 on the growing stock
    k2002 = (base.capital - base.investment) / 0.9
    inv1 = dom0 * base.capital / k2002 + fdi_yuan * w
    np.testing.assert_allclose(p["investment"][0, 1], inv1)
    np.testing.assert_allclose(p["capital"][0, 1], 0.9 * base.capital + inv1)
    np.testing.assert_allclose(p["fdi_manufacturing_nominal"][0], fdi_yuan)


def test_cobb_douglas_output_growth_without_rd_or_spillover():
    params, drivers = neutral_inputs(rd_return=0.0, gamma_f=0.0, alpha_k=0.4, tfp_growth=0.03)
    drivers["labour_growth"][:] = 0.05
    p = run_tiny(params, drivers)
    k = p["capital"][0]
    expected = 0.03 + 0.4 * np.log(k[1] / k[0]) + 0.6 * np.log(1.05)
    np.testing.assert_allclose(np.log(p["value_added"][0, 1] / p["value_added"][0, 0]), expected)
    # sales and gross output keep their base-year ratios to value added
    base = tiny_base()
    np.testing.assert_allclose(p["gross_output"][0, 3] / p["value_added"][0, 3], base.gross_output / base.value_added)
    np.testing.assert_allclose(p["sales"][0, 3] / p["value_added"][0, 3], base.sales / base.value_added)


def test_rd_rate_of_return_tfp():
    params, drivers = neutral_inputs(
        gamma_f=0.0, rd_return=0.3, tfp_growth=0.0, rd_intensity_zj_relative=1.0, rd_hightech_multiplier=1.0,
    )
    p = run_tiny(params, drivers)
    base = tiny_base()
    np.testing.assert_allclose(p["rd"][0, 0], base.rd)
    # dln A_2004 = rho_R RD_2003 / VA_2003: the gross return to R&D is the parameter itself
    np.testing.assert_allclose(np.log(p["tfp"][0, 1]), 0.3 * base.rd / base.value_added)


def test_rd_hightech_multiplier_keeps_province_average():
    params, drivers = neutral_inputs(rd_intensity_zj_relative=0.8, rd_hightech_multiplier=3.0)
    p = run_tiny(params, drivers)
    base = tiny_base()
    rho = p["rd"][0, 0] / base.sales
    assert rho[1] == pytest.approx(3.0 * rho[0])
    assert p["rd"][0, 0].sum() / base.sales.sum() == pytest.approx(0.8 * base.rd.sum() / base.sales.sum())


def test_export_delivery_tracks_china_when_no_relative_price_or_tfp_effect():
    params, drivers = neutral_inputs(eta_p=0.0, kappa=0.0, eta_y=2.0)
    drivers["world_demand_growth"][:] = 0.05
    drivers["china_share_drift"][:] = 0.02
    p = run_tiny(params, drivers)
    g = np.exp(2.0 * np.log(1.05) + 0.02)
    np.testing.assert_allclose(p["china_export_delivery"][0, 1], 1000.0 * g)
    np.testing.assert_allclose(p["export_delivery"][0, 1], tiny_base().export_delivery * g)


def test_export_delivery_relative_price_and_cap_at_sales():
    params, drivers = neutral_inputs(eta_p=1.0, kappa=0.0)
    drivers["relative_export_price_growth"][:] = 0.1
    p = run_tiny(params, drivers)
    np.testing.assert_allclose(p["export_delivery"][0, 1], tiny_base().export_delivery / 1.1)
    params, drivers = neutral_inputs(eta_y=3.0)
    drivers["world_demand_growth"][:] = 0.5
    p = run_tiny(params, drivers)
    assert (p["export_delivery"][0] <= p["sales"][0] + 1e-9).all()
    np.testing.assert_allclose(p["export_delivery"][0, -1], p["sales"][0, -1])


def test_energy_intensity_autonomous_trend_and_retrofit_stock():
    params, drivers = neutral_inputs(aeei=0.02, retrofit_potential=0.2, retrofit_cost=2500.0, rebound=0.3,
                                     retrofit_lifetime=15.0)
    p = run_tiny(params, drivers)
    e0 = tiny_base().energy / tiny_base().value_added
    np.testing.assert_allclose(p["energy_intensity"][0, 2], e0 * np.exp(-2 * 0.02))
    # one year of spending 1 (100m yuan, prices flat) buys 1e4 / 2500 = 4 (10k tce/yr) of savings
    # against a potential of 0.2 e_auto VA: x = 1 - exp(-4 / P), e = e_auto (1 - 0.7 * 0.2 x)
    drivers["efficiency_spending"][:] = 1.0
    p = run_tiny(params, drivers)
    e_auto = e0 * np.exp(-0.02)
    pot = 0.2 * e_auto * p["value_added"][0, 1]
    x = 1.0 - np.exp(-4.0 / pot)
    np.testing.assert_allclose(p["retrofit_stock"][0, 1], x)
    np.testing.assert_allclose(p["energy_intensity"][0, 1], e_auto * (1.0 - 0.7 * 0.2 * x))
    np.testing.assert_allclose(p["cost_efficiency_spending"][0, 1], 2.0)  # 1 per sector, 2 sectors


def test_bass_diffusion_one_step():
    params, drivers = neutral_inputs(bass_p=0.01, bass_q=0.4, erp_share_2003_above_size=0.08, erp_ceiling=0.7)
    p = run_tiny(params, drivers)
    f1 = 0.08 + (0.01 + 0.4 * 0.08 / 0.7) * (0.7 - 0.08)
    assert p["erp_above_size"][0, 1] == pytest.approx(f1)


def test_counters_accumulate_from_2004():
    params, drivers = neutral_inputs(brands_2003=50)
    drivers["new_brands"][:] = 10
    p = run_tiny(params, drivers)
    np.testing.assert_allclose(p["brands"][0], 50 + 10 * np.arange(8))


def test_zipf_rank_sum_matches_exact_sum():
    for a in (0.6, 1.0, 1.4, 1.9):
        exact = (np.arange(1, 302, dtype=float) ** -a).sum()
        assert core.zipf_rank_sum(301.0, np.array([a]))[0] == pytest.approx(exact, rel=1e-6)


def test_firms_above_threshold_rank_size_rule():
    # construct an exact rank-size population and check the count is recovered
    zeta, n = 1.2, 301
    s_n = 5.0
    sizes = s_n * (n / np.arange(1, n + 1)) ** (1 / zeta)
    count = core.firms_above_threshold_2003(n, sizes.sum(), np.array([zeta]), threshold=100.0)[0]
    assert count == pytest.approx(n * (s_n / 100.0) ** zeta, rel=1e-3)
    assert abs(count - (sizes > 100.0).sum()) < 1.0


def test_firm_count_grows_with_tail_growth_to_power_zeta():
    params, drivers = neutral_inputs(pareto_zeta=1.5)
    drivers["output_price_inflation"][:] = 0.1
    p = run_tiny(params, drivers)
    total = p["sales"][0].sum(axis=1)
    g = total[1] / total[0] * 1.1  # nominal top-tail growth: real sales x producer prices
    assert p["firms_over_10bn"][0, 1] / p["firms_over_10bn"][0, 0] == pytest.approx(g**1.5)


def test_national_centres_count_sectors_above_threshold():
    params, drivers = neutral_inputs(centre_share_threshold=0.07)
    p = run_tiny(params, drivers)
    share = tiny_base().gross_output / tiny_base().china_gross_output  # 0.1, 0.25
    assert p["national_centres"][0, 0] == (share > 0.07).sum() == 2
    params, drivers = neutral_inputs(centre_share_threshold=0.2)
    assert run_tiny(params, drivers)["national_centres"][0, 0] == 1
