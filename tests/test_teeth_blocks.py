"""Equation blocks through ``simulate`` against hand-worked numbers on the tiny two-sector base
(tests/_model_helpers.py: sector a = ordinary, b = high-tech), complementing
tests/test_model_core.py: FDI spillover with absorptive capacity, the R&D feedback in the
second year, the R&D special fund, the level modes, large projects, prices and nominal
variables, the export TFP term, national output, the Bass clips and ceilings, the floor of the
designation counters, per-sector parameters and base-year patterns, driver shapes, the floors
of domestic investment under FDI; then every indicator and the target scoring from the
projection, by hand. Each number below is written out from docs/model.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from model import indicators
from model.targets import Target, first_year_met, load_targets
from tests._model_helpers import neutral_inputs, run_tiny

# tiny base: VA [100, 50], sales [380, 240], K [300, 120], investment [60, 30], R&D [3.8, 2.4]
# (intensity 1 % in both), FDI 2 (100m usd), export delivery [80, 60], energy [200, 20]


def _quiet(**kw):
    """Parameters with every channel not under test switched off (accelerator and profitability
    off: domestic investment D_t = D_2003 K_{t-1} / K_2002; R&D intensity constant)."""
    base = dict(rd_return=0.0, gamma_f=0.0, tfp_growth=0.0, kappa=0.0, eta_p=0.0, delta_k=0.1,
                rd_intensity_zj_relative=1.0, rd_hightech_multiplier=1.0, fdi_manufacturing_share=0.5,
                invest_accelerator=0.0, invest_profitability=0.0, fdi_crowding_out=0.0,
                rd_intensity_drift=0.0, rd_adjustment_speed=1.0, rd_fund_additionality=1.0)
    base.update(kw)
    return neutral_inputs(**base)


K0, I0 = np.array([300.0, 120.0]), np.array([60.0, 30.0])
K2002 = (K0 - I0) / 0.9  # capital at the end of 2002: K_2003 = 0.9 K_2002 + I_2003
FDI0 = np.array([16 / 3, 8 / 3])  # 2003 FDI in yuan: 2 x 0.5 x 8 = 8, split by investment shares
DOM0 = I0 - FDI0


def test_fdi_spillover_scaled_by_absorptive_capacity():
    params, drivers = _quiet(gamma_f=0.1, mu_absorptive=0.5, rd_hightech_multiplier=2.0,
                             rd_intensity_zj_relative=0.8)
    drivers["fdi_external_growth"][:] = 1.0  # FDI doubles in 2004
    p = run_tiny(params, drivers)
    kf0 = K0 * FDI0 / I0  # [26.667, 10.667]
    fs0 = kf0 / K0  # 0.0889 in both
    # 2004: FDI doubles; domestic investment D_2003 K_2003 / K_2002 (accelerator off)
    fdi1 = 2 * FDI0
    inv1 = DOM0 * K0 / K2002 + fdi1
    k1 = 0.9 * K0 + inv1
    fs1 = (0.9 * kf0 + fdi1) / k1
    # intensities: 1 % x 0.8 x [1, 2] x 620 / (380 + 2 x 240) = [0.577 %, 1.153 %]; average 0.8 %
    rho_pct = 100 * 0.01 * 0.8 * np.array([1.0, 2.0]) * 620 / 860
    absorb = 1 + 0.5 * (rho_pct - 0.8)  # [0.888, 1.177]
    expected_ln_tfp = 0.1 * (fs1 - fs0) * absorb
    np.testing.assert_allclose(p["foreign_capital_share"][0, 0], fs0)
    np.testing.assert_allclose(p["foreign_capital_share"][0, 1], fs1)
    np.testing.assert_allclose(np.log(p["tfp"][0, 1]), expected_ln_tfp, rtol=1e-12)
    assert expected_ln_tfp[1] > expected_ln_tfp[0] > 0  # high-tech absorbs more


def test_rd_feedback_in_the_second_year():
    """Rate-of-return form: dln A = lambda + rho_R RD[t-1] / VA[t-1]."""
    params, drivers = _quiet(rd_return=0.2, tfp_growth=0.02, alpha_k=0.5)
    p = run_tiny(params, drivers)
    rd0, va0 = np.array([3.8, 2.4]), np.array([100.0, 50.0])
    ln_a1 = 0.02 + 0.2 * rd0 / va0
    k1 = 0.9 * K0 + DOM0 * K0 / K2002 + FDI0
    va1 = va0 * np.exp(ln_a1) * (k1 / K0) ** 0.5
    sales1 = va1 * np.array([3.8, 4.8])
    rd1 = 0.01 * sales1  # intensity unchanged
    ln_a2 = ln_a1 + 0.02 + 0.2 * rd1 / va1
    np.testing.assert_allclose(p["value_added"][0, 1], va1, rtol=1e-12)
    np.testing.assert_allclose(p["rd"][0, 1], rd1, rtol=1e-12)
    np.testing.assert_allclose(np.log(p["tfp"][0, 2]), ln_a2, rtol=1e-12)


def test_rd_special_fund_spread_by_sales_with_additionality():
    params, drivers = _quiet(rd_fund_additionality=0.6)
    drivers["rd_special_fund"][:] = 12.0
    p = run_tiny(params, drivers)
    sales1 = p["sales"][0, 1]
    own = 0.01 * sales1
    fund_i = 12.0 * sales1 / sales1.sum()  # the sectors share the fund by sales
    # RD = own + theta saturate(F_i, own_i), saturate(x, c) = c (1 - exp(-x / c))
    np.testing.assert_allclose(p["rd"][0, 1], own + 0.6 * own * (1 - np.exp(-fund_i / own)), rtol=1e-12)
    np.testing.assert_allclose(p["rd_own"][0, 1], own, rtol=1e-12)
    assert p["rd"][0, 1].sum() < own.sum() + 0.6 * 12.0  # diminishing returns
    np.testing.assert_allclose(p["cost_rd_special_fund"][0], [0.0] + [12.0] * 7)
    assert p["rd"][0, 0].sum() == pytest.approx(6.2)  # no fund in the base year


def test_accelerator_and_profitability_by_hand():
    params, drivers = _quiet(invest_accelerator=1.0, invest_profitability=0.5, tfp_growth=0.03, alpha_k=0.5)
    p = run_tiny(params, drivers)
    va, k = p["value_added"][0], p["capital"][0]
    r0 = I0 / K2002
    mpk = (va / k) / (va[0] / k[0])
    dom = p["investment_domestic"][0]
    np.testing.assert_allclose(dom[1], DOM0 * K0 / K2002, rtol=1e-12)  # 2004: the observed rate
    g1, g2 = np.log(va[1] / va[0]), np.log(va[2] / va[1])
    # 2005: expected growth = 2004 growth = the reference -> rate r0, profitability scales it
    np.testing.assert_allclose(dom[2], DOM0 * k[1] / K2002 * mpk[1] ** 0.5, rtol=1e-12)
    # 2006: the rate moves with the change of expected growth
    np.testing.assert_allclose(dom[3], DOM0 * k[2] / K2002 * (r0 + g2 - g1) / r0 * mpk[2] ** 0.5, rtol=1e-12)


def test_renovation_grants_crowding_out_and_costs():
    params, drivers = _quiet(renovation_leverage=2.0, renovation_uplift_max=0.2, fdi_crowding_out=0.5)
    drivers["renovation_grants"][:] = 6.0
    drivers["fdi_external_growth"][:] = 0.5
    p = run_tiny(params, drivers)
    d_acc = DOM0 * K0 / K2002
    u = 0.2 * (1 - np.exp(-2.0 * 6.0 / d_acc.sum() / 0.2))
    fdi1 = 1.5 * FDI0
    np.testing.assert_allclose(p["investment_domestic"][0, 1], d_acc * (1 + u) - 0.5 * (fdi1 - FDI0), rtol=1e-12)
    np.testing.assert_allclose(p["cost_renovation_grants"][0], [0.0] + [6.0] * 7)


def test_rd_tax_credit_by_hand():
    params, drivers = _quiet(rd_tax_price_elasticity=-1.0, rd_adjustment_speed=0.5, rd_intensity_ceiling_multiple=3.0)
    drivers["rd_tax_credit"][:] = 0.1
    drivers["output_price_inflation"][:] = 0.02
    p = run_tiny(params, drivers)
    x1 = 1 + 0.5 * (1 / 0.9 - 1)  # lagged tax-price response, long run 1 / (1 - c)
    rho1 = 0.01 * (1 + 2.0 * (1 - np.exp(-(x1 - 1) / 2.0)))  # ceiling 3
    np.testing.assert_allclose(p["rd_intensity"][0, 1], [rho1, rho1], rtol=1e-12)
    x2 = x1 + 0.5 * (1 / 0.9 - x1)
    rho2 = 0.01 * (1 + 2.0 * (1 - np.exp(-(x2 - 1) / 2.0)))
    np.testing.assert_allclose(p["rd_intensity"][0, 2], [rho2, rho2], rtol=1e-12)
    # cost = credit x own R&D x producer price index
    np.testing.assert_allclose(p["cost_rd_tax_credit"][0, 1], 0.1 * p["rd_own"][0, 1].sum() * 1.02, rtol=1e-12)
    assert p["cost_rd_tax_credit"][0, 0] == 0.0


def test_rd_trend_is_not_lagged():
    """Without a credit, own intensity is on its trend exp(g t) from 2004 whatever the adjustment
    speed (the trend is an observed path of actual intensities; only the policy response lags)."""
    for speed in (0.1, 1.0):
        params, drivers = _quiet(rd_intensity_drift=0.05, rd_adjustment_speed=speed, rd_intensity_ceiling_multiple=1e6)
        p = run_tiny(params, drivers)
        t = np.arange(8)
        expected = 0.01 * (1 + (1e6 - 1) * -np.expm1(-np.expm1(0.05 * t) / (1e6 - 1)))
        np.testing.assert_allclose(p["rd_intensity"][0, :, 0], expected, rtol=1e-9)


def test_fdi_promotion_by_hand():
    params, drivers = _quiet(fdi_promotion_reference=4.0, fdi_promotion_elasticity=0.25)
    drivers["fdi_promotion"][:] = 5.0
    drivers["fdi_external_growth"][:] = 0.1
    p = run_tiny(params, drivers)
    mult = (1 + 5.0 / 4.0) ** 0.25
    np.testing.assert_allclose(p["fdi_actually_used"][0, :3], [2.0, 2.2 * mult, 2.42 * mult], rtol=1e-12)
    np.testing.assert_allclose(p["fdi_manufacturing_nominal"][0, 1], 2.2 * mult * 0.5 * 8.0, rtol=1e-12)
    np.testing.assert_allclose(p["cost_fdi_promotion"][0], [0.0] + [5.0] * 7)


def test_large_projects_time_to_build():
    params, drivers = _quiet()
    drivers["large_project_investment"][1:3, 1] = 10.0  # sector b, built 2004-2005
    drivers["large_project_completion"][2, 1] = 20.0  # completed in 2005
    p = run_tiny(params, drivers)
    dom1 = DOM0 * K0 / K2002
    np.testing.assert_allclose(p["investment"][0, 1], dom1 + FDI0 + [0.0, 10.0])
    k1 = 0.9 * K0 + dom1 + FDI0  # under construction: not yet capital
    np.testing.assert_allclose(p["capital"][0, 1], k1)
    dom2 = DOM0 * k1 / K2002
    np.testing.assert_allclose(p["capital"][0, 2], 0.9 * k1 + dom2 + FDI0 + [0.0, 20.0])


def test_informatization_subsidy_and_cost_by_hand():
    params, drivers = _quiet(bass_p=0.01, bass_q=0.4, erp_share_2003_above_size=0.1, erp_ceiling=0.8,
                             erp_subsidy_max_dp=0.05, erp_cost_scale=20.0)
    drivers["informatization_subsidy"][:] = 10.0
    p = run_tiny(params, drivers)
    pp = 0.01 + 0.05 * (1 - np.exp(-10.0 / 20.0))
    f1 = 0.1 + (pp + 0.4 * 0.1 / 0.8) * (0.8 - 0.1)
    assert p["erp_above_size"][0, 1] == pytest.approx(f1)
    # cost = subsidy (10k yuan) x firms (20 000 in the tiny base) x new adopters / 10^4
    assert p["cost_informatization_subsidy"][0, 1] == pytest.approx(10.0 * 20000 * (f1 - 0.1) / 1e4)


def test_prices_and_nominal_variables():
    params, drivers = _quiet()
    drivers["investment_price_inflation"][:] = 0.05
    drivers["output_price_inflation"][:] = 0.02
    p = run_tiny(params, drivers)
    np.testing.assert_allclose(p["investment_price_index"][0, :3], [1.0, 1.05, 1.1025])
    np.testing.assert_allclose(p["output_price_index"][0, :3], [1.0, 1.02, 1.0404])
    # FDI of 8 yuan (nominal) buys 8 / 1.05 real investment in 2004
    np.testing.assert_allclose(p["investment_fdi"][0, 1].sum(), 8.0 / 1.05)
    np.testing.assert_allclose(p["investment_nominal"][0, 1], p["investment"][0, 1].sum() * 1.05)
    np.testing.assert_allclose(p["sales_nominal"][0, 2], p["sales"][0, 2].sum() * 1.0404)


def test_export_delivery_relative_tfp_term():
    params, drivers = _quiet(kappa=1.0, tfp_growth=0.03)
    drivers["china_tfp_growth"][:] = 0.01
    p = run_tiny(params, drivers)
    # dln XD = kappa (dln A - ln 1.01); dln A = 0.03 (no R&D or FDI channel)
    np.testing.assert_allclose(p["export_delivery"][0, 1], np.array([80.0, 60.0]) * np.exp(0.03 - np.log(1.01)))


def test_labour_and_national_output_paths():
    params, drivers = _quiet()
    drivers["labour_growth"][:] = 0.05
    drivers["china_output_growth"][:] = 0.1
    p = run_tiny(params, drivers)
    np.testing.assert_allclose(p["labour"][0, 2], np.array([40.0, 20.0]) * 1.05**2)
    np.testing.assert_allclose(p["china_gross_output"][0, 2], np.array([4000.0, 1000.0]) * 1.21)


def test_base_year_multipliers():
    params, drivers = _quiet(base_value_added_factor=1.1, base_export_delivery_factor=0.9, base_energy_factor=1.2)
    p = run_tiny(params, drivers)
    np.testing.assert_allclose(p["value_added"][0, 0], [110.0, 55.0])
    np.testing.assert_allclose(p["sales"][0, 0], [418.0, 264.0])  # base sales / VA ratios kept
    np.testing.assert_allclose(p["export_delivery"][0, 0], [72.0, 54.0])
    np.testing.assert_allclose(p["energy"][0, 0], [240.0, 24.0])
    np.testing.assert_allclose(p["energy_intensity"][0, 0], [240.0 / 110.0, 24.0 / 55.0])


# ----------------------------------------------- clips, floors, per-sector values, shapes


def _quiet_runs(n: int, **kw):
    """``_quiet`` parameters for ``n`` runs (every parameter (n,)), neutral drivers."""
    params, drivers = _quiet(**kw)
    return {k: np.repeat(v, n, axis=0) for k, v in params.items()}, drivers


def test_bass_shares_are_clipped_to_the_unit_interval_and_stay_put_above_the_ceiling():
    """Block G: F[2003] = clip(F0, 0, 1); F[t] = F[t-1] + (p + q F[t-1] / m) max(m - F[t-1], 0);
    clean production (task 19): F[t] = F[t-1] + u (1 - (1 - h)(1 - phi A / (N u))), u = 1 - F[t-1]."""
    params, drivers = _quiet_runs(3, erp_share_2003_above_size=1.3, erp_share_2003_large_medium=-0.2,
                                  informatized_2003_large_medium=0.95, informatization_ceiling=0.9,
                                  erp_ceiling=0.8, bass_p=0.01, bass_q=0.4, key_polluters_count=500.0,
                                  audit_implementation_rate=0.6, audit_cost=20.0)
    params["clean_production_2003"] = np.array([1.4, -0.3, 0.5])  # above 1 / below 0 / inside
    # run 2: an implementation rate above 1 (outside its prior range) would push the share past 1
    params["audit_implementation_rate"][2], params["key_polluters_count"][2] = 1.5, 50.0
    drivers["clean_production_audits"][:] = 50.0
    p = run_tiny(params, drivers)
    # 1.3 -> 1.0, above the ceiling 0.8: no further adoption, and never pulled down to it
    np.testing.assert_array_equal(p["erp_above_size"][:, :], 1.0)
    # 0.95 above its ceiling 0.9: stays at 0.95
    np.testing.assert_array_equal(p["informatized_large_medium"][:, :], 0.95)
    # -0.2 -> 0: F1 = p m = 0.008; F2 = 0.008 + (0.01 + 0.4 x 0.008 / 0.8)(0.8 - 0.008) = 0.019088
    np.testing.assert_allclose(p["erp_large_medium"][0, :3], [0.0, 0.008, 0.019088], rtol=1e-12)
    # clean production 1.4 -> 1.0: no firm left to audit (u = 0): 1.0 throughout, no audits, no cost
    np.testing.assert_array_equal(p["clean_production"][0], 1.0)
    np.testing.assert_array_equal(p["clean_production_audits_done"][0], 0.0)
    np.testing.assert_array_equal(p["cost_clean_production_audits"][0], 0.0)
    # -0.3 -> 0: u = 1, A = 50 of N = 500, h = p = 0.01: F1 = 1 - 0.99 (1 - 0.6 x 50 / 500) = 0.0694
    assert p["clean_production"][1, 0] == 0.0
    assert p["clean_production"][1, 1] == pytest.approx(0.0694, rel=1e-12)
    assert p["clean_production_audits_done"][1, 1] == 50.0
    assert p["cost_clean_production_audits"][1, 1] == pytest.approx(50.0 * 20.0 / 1e4)  # 10k yuan per audit
    # u = 0.5, A = min(50, 25) = 25, h = 0.01 + 0.4 x 0.5 = 0.21: 0.5 + 0.5 (1 + 0.79 x 0.5) > 1 -> 1
    assert p["clean_production_audits_done"][2, 1] == 25.0
    np.testing.assert_array_equal(p["clean_production"][2, 1:], 1.0)


def test_designation_counts_are_floored_at_zero():
    """Block G: N[t] = max(N[2003] + sum_{j=2004..t} a[j], 0); additions given for 2003 are ignored."""
    params, drivers = _quiet(brands_2003=15.0, key_parks_2003=3.0, national_bases_2003=2.0, small_giants_2003=10.0)
    drivers["new_brands"][:] = [99.0, -10.0, -10.0, 30.0, 0.0, 0.0, 0.0, 0.0]
    drivers["new_key_parks"][:] = -1.0
    drivers["new_national_bases"][:] = -5.0
    drivers["new_small_giants"][:] = 2.0
    p = run_tiny(params, drivers)
    # 15, 5, then 15 - 20 = -5 -> 0, then 15 + 10 = 25: the floor is on the running total
    np.testing.assert_array_equal(p["brands"][0], [15.0, 5.0, 0.0, 25.0, 25.0, 25.0, 25.0, 25.0])
    np.testing.assert_array_equal(p["key_parks"][0], [3.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(p["national_bases"][0], [2.0] + [0.0] * 7)
    np.testing.assert_array_equal(p["small_giants"][0], 10.0 + 2.0 * np.arange(8))


def _per_sector_by_hand(alpha, keep, lam):
    """2004 capital, TFP and value added of the tiny base with the accelerator off."""
    k2002 = (K0 - I0) / keep
    k1 = keep * K0 + DOM0 * K0 / k2002 + FDI0
    va1 = np.array([100.0, 50.0]) * np.exp(lam) * (k1 / K0) ** alpha  # labour flat
    return k1, va1


def test_per_sector_parameters_and_base_year_patterns():
    """Per-sector values (R, S) are used as given; a province-wide value of a patterned parameter
    (alpha_k, delta_k) is spread by the base year's pattern: alpha_i = alpha x rel_i."""
    from tests._model_helpers import tiny_base

    params, drivers = _quiet(tfp_growth=np.array([[0.01, 0.05]]), delta_k=np.array([[0.1, 0.2]]), alpha_k=0.5)
    p = run_tiny(params, drivers, base=tiny_base(alpha_k_relative=np.array([0.8, 1.2])))
    k1, va1 = _per_sector_by_hand(np.array([0.4, 0.6]), np.array([0.9, 0.8]), np.array([0.01, 0.05]))
    np.testing.assert_allclose(np.log(p["tfp"][0, 1]), [0.01, 0.05], rtol=1e-12)
    np.testing.assert_allclose(p["capital"][0, 1], k1, rtol=1e-12)
    np.testing.assert_allclose(p["value_added"][0, 1], va1, rtol=1e-12)
    # a per-sector alpha_k is not multiplied by the pattern; a province-wide delta_k is
    params, drivers = _quiet(alpha_k=np.array([[0.3, 0.7]]), delta_k=0.1, tfp_growth=0.02)
    base = tiny_base(alpha_k_relative=np.array([0.8, 1.2]), delta_k_relative=np.array([1.0, 2.0]))
    p = run_tiny(params, drivers, base=base)
    k1, va1 = _per_sector_by_hand(np.array([0.3, 0.7]), np.array([0.9, 0.8]), 0.02)
    np.testing.assert_allclose(p["capital"][0, 1], k1, rtol=1e-12)
    np.testing.assert_allclose(p["value_added"][0, 1], va1, rtol=1e-12)


def test_driver_shapes_province_paths_and_runs():
    """Drivers broadcast: a sector driver given as one province-wide path (Rd, T) or (Rd, T, 1),
    per-run paths (Rd = R) and one path shared by R runs (Rd = 1); a path without its run axis
    is refused with the shapes the core takes."""
    from model import core
    from model.run import with_runs
    from tests._model_helpers import tiny_base

    params, drivers = _quiet()
    drivers["labour_growth"][:] = 0.05
    drivers["fdi_external_growth"][:] = 0.2
    ref = run_tiny(params, drivers)
    np.testing.assert_allclose(ref["labour"][0, 3], np.array([40.0, 20.0]) * 1.05**3, rtol=1e-12)
    np.testing.assert_allclose(ref["fdi_actually_used"][0, :3], [2.0, 2.4, 2.88], rtol=1e-12)
    for shape in ((1, 8), (1, 8, 1)):  # one province-wide path for every sector
        d = with_runs(drivers)
        d["labour_growth"] = np.full(shape, 0.05)
        alt = core.simulate(tiny_base(), params, d)
        for v in ("labour", "investment", "capital", "value_added", "fdi_actually_used", "export_delivery"):
            np.testing.assert_allclose(alt[v], ref[v], rtol=1e-14, err_msg=v)
    d = with_runs(drivers)
    d["fdi_external_growth"] = np.full(8, 0.2)  # no run axis
    with pytest.raises(ValueError, match=r"driver 'fdi_external_growth': shape \(8,\); the core takes \(1"):
        core.simulate(tiny_base(), params, d)
    # two runs, each with its own paths (Rd = R = 2)
    params2, drivers2 = _quiet_runs(2)
    d2 = with_runs(drivers2)
    d2["fdi_external_growth"] = np.repeat(np.array([[0.1], [0.5]]), 8, axis=1)
    d2["labour_growth"] = np.repeat(np.array([[[0.0, 0.1]], [[0.2, 0.0]]]), 8, axis=1)
    two = core.simulate(tiny_base(), params2, d2)
    np.testing.assert_allclose(two["fdi_actually_used"][:, 1], [2.2, 3.0], rtol=1e-12)
    np.testing.assert_allclose(two["labour"][:, 1], [[40.0, 22.0], [48.0, 20.0]], rtol=1e-12)
    # two runs whose parameters differ, sharing one path (Rd = 1)
    params3, drivers3 = _quiet_runs(2)
    params3["delta_k"] = np.array([0.1, 0.2])
    three = run_tiny(params3, drivers3)
    for i, keep in enumerate((0.9, 0.8)):
        k1, _ = _per_sector_by_hand(0.5, keep, 0.0)
        np.testing.assert_allclose(three["capital"][i, 1], k1, rtol=1e-12)


def test_domestic_investment_floors_when_fdi_exceeds_investment():
    """Base year: I^dom[0] = max(I[0] - I^FDI[0], 0.1 I[0]); later years, crowding-out:
    I^dom[t] = max(D*[t] - kappa (I^FDI[t] - I^FDI[0]), 0.1 D*[t])."""
    from tests._model_helpers import tiny_base

    params, drivers = _quiet()
    p = run_tiny(params, drivers, base=tiny_base(fdi_actually_used=30.0))
    fdi = 30.0 * 0.5 * 8.0 * np.array([2 / 3, 1 / 3])  # [80, 40] yuan > investment [60, 30]
    dom0 = 0.1 * I0
    np.testing.assert_allclose(p["investment_fdi"][0, 0], fdi, rtol=1e-12)
    np.testing.assert_allclose(p["investment_domestic"][0, 0], dom0, rtol=1e-12)
    np.testing.assert_allclose(p["investment"][0, 0], dom0 + fdi, rtol=1e-12)
    k2002 = (K0 - dom0 - fdi) / 0.9
    dom1 = dom0 * K0 / k2002  # the 2003 rate on the 2003 stock
    np.testing.assert_allclose(p["investment_domestic"][0, 1], dom1, rtol=1e-12)
    np.testing.assert_allclose(p["capital"][0, 1], 0.9 * K0 + dom1 + fdi, rtol=1e-12)
    # FDI x 21 in 2004 with full crowding-out: D* - (I^FDI[1] - I^FDI[0]) < 0 -> 0.1 D*
    params, drivers = _quiet(fdi_crowding_out=1.0)
    drivers["fdi_external_growth"][:] = 20.0
    p = run_tiny(params, drivers)
    d_star = DOM0 * K0 / K2002
    assert (d_star - 20.0 * FDI0 < 0).all()
    np.testing.assert_allclose(p["investment_domestic"][0, 1], 0.1 * d_star, rtol=1e-12)
    np.testing.assert_allclose(p["investment_fdi"][0, 1], 21.0 * FDI0, rtol=1e-12)


# --------------------------------------------------------------------------- indicators


@pytest.fixture(scope="module")
def tiny_run():
    params, drivers = _quiet(gamma_f=0.05, rd_return=0.2, tfp_growth=0.02, fdi_funding_relative=1.5,
                             rd_hightech_multiplier=2.0, erp_share_2003_above_size=0.08,
                             erp_share_2003_large_medium=0.2, invest_accelerator=1.0)
    drivers["fdi_external_growth"][:] = 0.3
    drivers["informatization_subsidy"][:] = 5.0
    drivers["efficiency_spending"][:] = 0.5
    return run_tiny(params, drivers), params


def _compute(tiny_run, **switches):
    p, params = tiny_run
    return indicators.compute(p, params, np.array([False, True]), 1.6, 0.05, switches)


def test_indicators_from_the_projection_by_hand(tiny_run):
    p, _ = tiny_run
    ind = _compute(tiny_run)
    t = 4
    total = lambda v: p[v][0, t].sum()  # noqa: E731
    assert ind["rd_sales_ratio"].value[0, t] == pytest.approx(total("rd") / total("sales"))
    assert ind["rd_sales_ratio_hightech"].value[0, t] == pytest.approx(p["rd"][0, t, 1] / p["sales"][0, t, 1])
    assert ind["xd_share_china"].value[0, t] == pytest.approx(total("export_delivery") / p["china_export_delivery"][0, t])
    assert ind["fdi_share"].value[0, t] == pytest.approx(p["fdi_manufacturing_nominal"][0, t] / p["investment_nominal"][0, t])
    assert ind["energy_intensity"].value[0, t] == pytest.approx(total("energy") / total("value_added"))
    ei = p["energy"][0].sum(axis=1) / p["value_added"][0].sum(axis=1)
    assert ind["energy_intensity_change"].value[0, t] == pytest.approx(ei[t] / ei[0] - 1.0)
    assert ind["energy_intensity_change"].denominator[0, t] == pytest.approx(ei[0])
    assert ind["hightech_output_share"].value[0, t] == pytest.approx(p["gross_output"][0, t, 1] / total("gross_output"))
    assert ind["manufacturing_value_added"].value[0, t] == pytest.approx(total("value_added"))
    assert ind["erp_share"].value[0, t] == pytest.approx(p["erp_above_size"][0, t])
    for name, var in (("firms_over_10bn", "firms_over_10bn"), ("small_giants", "small_giants"),
                      ("clean_production", "clean_production"), ("key_parks", "key_parks"),
                      ("brands", "brands"), ("national_centres", "national_centres"),
                      ("national_bases", "national_bases"),
                      ("informatized_large_medium", "informatized_large_medium")):
        assert ind[name].value[0, t] == pytest.approx(p[var][0, t]), name
        assert ind[name].denominator[0, t] == 1.0
    # no power block on the tiny base: no electricity demand, curtailment 0 over a denominator of 1
    np.testing.assert_array_equal(p["electricity_demand_mfg"][0], 0.0)
    np.testing.assert_array_equal(ind["power_curtailment"].denominator[0], 1.0)
    np.testing.assert_array_equal(ind["power_curtailment"].value[0], 0.0)
    assert set(ind) == set(indicators.INDICATORS)


def test_indicator_switches_by_hand(tiny_run):
    p, _ = tiny_run
    strict, st = _compute(tiny_run), _compute(tiny_run, rd_definition="st_activities")
    np.testing.assert_allclose(st["rd_sales_ratio"].value, 1.6 * strict["rd_sales_ratio"].value)
    np.testing.assert_allclose(st["rd_sales_ratio_hightech"].value, 1.6 * strict["rd_sales_ratio_hightech"].value)
    # reading a: national share 0.05 x relative 1.5 in 2003, moving with reading c
    a = _compute(tiny_run, fdi_reading="a")["fdi_share"].value[0]
    c = strict["fdi_share"].value[0]
    np.testing.assert_allclose(a, 0.05 * 1.5 * c / c[0])
    lm = _compute(tiny_run, erp_denominator="large_medium")["erp_share"].value[0]
    np.testing.assert_allclose(lm, p["erp_large_medium"][0])
    assert lm[0] == pytest.approx(0.2) and strict["erp_share"].value[0, 0] == pytest.approx(0.08)
    for bad in ({"fdi_reading": "b"}, {"rd_def": "strict"}):
        with pytest.raises(ValueError, match="allowed"):
            _compute(tiny_run, **bad)
    assert indicators.check_switches({}) == indicators.DEFAULT_SWITCHES


# ------------------------------------------------------------------------------ targets


def _target(value, comparator):
    return Target(1, "x", "x", value, comparator, "ratio", 2007, "", "", "")


def test_target_met_gap_and_first_year():
    hi, lo = _target(0.5, ">="), _target(0.5, "<=")
    x = np.array([0.4, 0.5, 0.6])
    assert hi.met(x).tolist() == [False, True, True]
    assert lo.met(x).tolist() == [True, True, False]
    np.testing.assert_allclose(hi.gap(x), [-0.1, 0.0, 0.1])
    np.testing.assert_allclose(lo.gap(x), [0.1, 0.0, -0.1])
    years = tuple(range(2003, 2011))
    paths = np.array([[0.6, 0.1, 0.2, 0.5, 0.6, 0.7, 0.8, 0.9],   # 2003 met does not count
                      [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.51],
                      [0.0] * 8])
    assert first_year_met(hi, paths, years).tolist() == [2006, 2010, 0]
    assert first_year_met(lo, paths, years).tolist() == [2004, 2004, 2004]


def test_plan_targets_file_and_bad_comparator(tmp_path):
    targets = load_targets()
    assert len(targets) == len({t.target_id for t in targets}) >= 14
    assert all(t.year == 2007 and t.comparator in (">=", "<=") for t in targets)
    assert all(t.indicator in indicators.INDICATORS for t in targets)
    bad = tmp_path / "t.csv"
    from model.paths import CALIBRATION_DIR

    text = (CALIBRATION_DIR / "plan_targets.csv").read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    cells = first.split(",")
    cells[4] = "=="
    bad.write_text("\n".join([header, ",".join(cells), *rest]), encoding="utf-8")
    from model.errors import DataError

    with pytest.raises(DataError, match="row 2, column comparator"):
        load_targets(bad)
    with pytest.raises(DataError, match="not found"):
        load_targets(tmp_path / "missing.csv")


# ------------------------------------------- level modes, fund, large projects from a file


SCENARIO = """\
extends: baseline.yaml
name: {en: Teeth instruments, zh: 政策工具测试}
levers:
  rd_special_fund: {values: 20}
  fdi_promotion: {values: {2004: 0, 2010: 12}}
  large_projects:
    - {name: Teeth project, sector: chemicals, investment_100m_yuan: 90, start_year: 2005, years: 3}
"""


def test_instruments_and_large_projects_from_a_scenario_file(tmp_path):
    """A scenario file's instruments and large projects, resolved and run through the core
    (model.run.run_scenario), give the driver paths and costs the file states."""
    import shutil

    from model.paths import SCENARIOS_DIR
    from model.run import run_scenario

    shutil.copy(SCENARIOS_DIR / "baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "levels.yaml").write_text(SCENARIO, encoding="utf-8")
    res = run_scenario(tmp_path / "levels.yaml")
    p, base = res.projection, res.model.base
    chem = list(base.sectors).index("chemicals")
    lp = np.zeros((8, len(base.sectors)))
    lp[2:5, chem] = 30.0  # 90 over 2005-2007
    done = np.zeros_like(lp)
    done[4, chem] = 90.0  # productive from its completion in 2007
    np.testing.assert_allclose(res.drivers["large_project_investment"][0], lp)
    np.testing.assert_allclose(res.drivers["large_project_completion"][0], done)
    np.testing.assert_allclose(p["cost_rd_special_fund"][0], [0.0] + [20.0] * 7)
    np.testing.assert_allclose(p["cost_fdi_promotion"][0, 1:], np.linspace(0, 12, 7), rtol=1e-12)
    costs = res.costs()
    assert set(costs[costs.kind == "cost"].instrument) >= {"rd_special_fund", "fdi_promotion"}
    b = res.budget()
    np.testing.assert_allclose(b.total_cost, sum(p[k][0] for k in p.values if k.startswith("cost_")))


def _csv_rows():
    import csv

    from model.paths import CALIBRATION_DIR

    with (CALIBRATION_DIR / "plan_targets.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_targets_and_notes_carry_every_field_of_the_csv():
    from model.targets import load_target_notes

    rows = _csv_rows()
    scored = [r for r in rows if (r.get("status") or "scored") == "scored"]
    got = load_targets()
    assert len(got) == len(scored)
    for t, r in zip(got, scored, strict=True):
        assert (t.task, t.target_id, t.indicator, t.value, t.comparator, t.unit, t.year) == (
            int(r["task"]), r["target_id"], r["indicator"], float(r["target"]), r["comparator"], r["unit"], int(r["year"]))
        assert (t.description_en, t.description_zh, t.plan_text_zh) == (r["description_en"], r["description_zh"], r["plan_text_zh"])
    notes = load_target_notes()
    other = [r for r in rows if (r.get("status") or "scored") != "scored"]
    assert len(notes) == len(other)
    for n, r in zip(notes, other, strict=True):
        assert (n.task, n.target_id, n.status, n.note_en, n.note_zh) == (
            int(r["task"]), r["target_id"], r["status"], r["status_note_en"], r["status_note_zh"])
        assert (n.description_en, n.description_zh, n.plan_text_zh) == (r["description_en"], r["description_zh"], r["plan_text_zh"])


def test_unscored_target_without_its_reason_is_refused(tmp_path):
    import csv

    from model.errors import DataError
    from model.targets import load_target_notes

    rows = _csv_rows()
    i = next(k for k, r in enumerate(rows) if (r.get("status") or "scored") != "scored")
    for col in ("status_note_en", "status_note_zh"):
        for blank in ("", "   "):
            bad = [dict(r) for r in rows]
            bad[i][col] = blank
            path = tmp_path / f"{col}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]))
                w.writeheader()
                w.writerows(bad)
            with pytest.raises(DataError, match=rf"{path.name}: row {i + 2}, column {col}: a target that is not scored needs its reason"):
                load_target_notes(path)
    # a notes file read from the path given, not the default
    only = tmp_path / "only.csv"
    with only.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows([r for r in rows if (r.get("status") or "scored") == "scored"])
    assert load_target_notes(only) == []


def test_load_tasks_reads_the_path_given(tmp_path):
    from model.targets import load_tasks

    (tmp_path / "tasks.csv").write_text("task,short_en,role,model\n1,x,target,target: x\n", encoding="utf-8")
    assert load_tasks(tmp_path / "tasks.csv")["task"].tolist() == [1]
    assert len(load_tasks()) == 27


def test_switch_errors_list_what_is_allowed():
    with pytest.raises(ValueError, match="unknown definition switch 'rd_def'; allowed: rd_definition, fdi_reading, erp_denominator"):
        indicators.check_switches({"rd_def": "strict"})
    with pytest.raises(ValueError, match=r"switch fdi_reading='b'; allowed: c, a$"):
        indicators.check_switches({"fdi_reading": "b"})


def _write_targets(path, rows, fieldnames):
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fieldnames)
        w.writeheader()
        w.writerows(rows)


def test_targets_file_without_status_column_scores_every_row(tmp_path):
    from model.targets import load_target_notes

    rows = [{k: v for k, v in r.items() if not k.startswith("status")} for r in _csv_rows()]
    _write_targets(tmp_path / "old.csv", rows, [k for k in rows[0]])
    assert len(load_targets(tmp_path / "old.csv")) == len(rows)
    assert load_target_notes(tmp_path / "old.csv") == []


def test_targets_text_columns_stay_text_and_bad_status_is_refused(tmp_path):
    from model.errors import DataError
    from model.targets import load_target_notes

    rows = [dict(r) for r in _csv_rows()]
    fields = list(rows[0])
    i = next(k for k, r in enumerate(rows) if (r.get("status") or "scored") != "scored")
    rows[0]["plan_text_zh"] = "007"  # numeric-looking text is kept as written
    rows[i].update(status_note_en="0.10", status_note_zh="010", plan_text_zh="1e3")
    _write_targets(tmp_path / "t.csv", rows, fields)
    assert load_targets(tmp_path / "t.csv")[0].plan_text_zh == "007"
    note = load_target_notes(tmp_path / "t.csv")[0]
    assert (note.note_en, note.note_zh, note.plan_text_zh) == ("0.10", "010", "1e3")
    rows[1]["status"] = "bogus"
    _write_targets(tmp_path / "bad.csv", rows, fields)
    with pytest.raises(DataError, match=r"bad.csv: row 3, column status: 'bogus' is not one of \('scored', 'not_supported'\)"):
        load_targets(tmp_path / "bad.csv")


def test_within_band_of_about_targets_by_hand():
    """"About X" (左右): >= X (1 - tol), <= X (1 + tol); the band is tol |X|; tol = 0 is ``met``."""
    def t(value, comparator, tol):
        return Target(1, "x", "x", value, comparator, "count", 2007, "", "", "", tolerance=tol)

    x = np.array([5.9, 6.0, 7.0, 8.0, 10.0, 10.1])
    assert t(8.0, ">=", 0.25).within_band(x).tolist() == [False, True, True, True, True, True]
    assert t(8.0, "<=", 0.25).within_band(x).tolist() == [True, True, True, True, True, False]
    assert t(-8.0, ">=", 0.25).within_band(np.array([-10.5, -10.0])).tolist() == [False, True]
    assert t(-8.0, "<=", 0.25).within_band(np.array([-6.0, -5.5])).tolist() == [True, False]
    for comparator in (">=", "<="):
        np.testing.assert_array_equal(t(8.0, comparator, 0.0).within_band(x), t(8.0, comparator, 0.0).met(x))


def test_targets_read_tolerance_scoring_and_their_texts():
    rows = _csv_rows()
    scored = [r for r in rows if (r.get("status") or "scored") == "scored"]
    got = load_targets()
    assert {r["scoring"] for r in scored} == {"modelled", "decision"}
    assert {float(r["tolerance"]) for r in scored} == {0.0, 0.1}
    for t, r in zip(got, scored, strict=True):
        assert (t.tolerance, t.tolerance_rationale, t.scoring, t.scoring_note) == (
            float(r["tolerance"]), r["tolerance_rationale"], r["scoring"], r["scoring_note"]), t.target_id
        assert t.modelled == (r["scoring"] == "modelled")


def test_optional_target_columns_may_be_blank_or_missing(tmp_path):
    rows = [dict(r) for r in _csv_rows()]
    fields = list(rows[0])
    i = next(k for k, r in enumerate(rows) if (r.get("status") or "scored") == "scored")
    rows[i].update(scoring="", tolerance="", tolerance_rationale="", scoring_note="")
    _write_targets(tmp_path / "blank.csv", rows, fields)
    t = load_targets(tmp_path / "blank.csv")[0]
    assert (t.scoring, t.tolerance, t.tolerance_rationale, t.scoring_note) == ("modelled", 0.0, "", "")
    short = [f for f in fields if f not in ("scoring", "tolerance", "tolerance_rationale", "scoring_note")]
    _write_targets(tmp_path / "short.csv", [{k: r[k] for k in short} for r in rows], short)
    got = load_targets(tmp_path / "short.csv")
    assert all((t.scoring, t.tolerance, t.tolerance_rationale, t.scoring_note) == ("modelled", 0.0, "", "") for t in got)


@pytest.mark.parametrize("column, value, message", [
    ("scoring", "bogus", r"row {row}, column scoring: 'bogus' is not one of \('modelled', 'decision'\)"),
    ("tolerance", "1", r"row {row}, column tolerance: 1 must be in \[0, 1\)"),
    ("tolerance", "-0.1", r"row {row}, column tolerance: value -0.1 out of range; allowed a number from 0 to 1"),
    ("tolerance", "about", r"row {row}, column tolerance: about is not a number; allowed a number from 0 to 1$"),
    ("task", "0", r"row {row}, column task: value 0 out of range; allowed a number from 1 to 27"),
    ("task", "28", r"row {row}, column task: value 28 out of range; allowed a number from 1 to 27"),
    ("task", "x", r"row {row}, column task: x is not a number; allowed a number from 1 to 27$"),
    ("year", "2003", r"row {row}, column year: value 2003 out of range; allowed a number from 2004 to 2010"),
    ("year", "2011", r"row {row}, column year: value 2011 out of range; allowed a number from 2004 to 2010"),
    ("target", "ten", r"row {row}, column target: ten is not a number; allowed a finite number$"),
    ("target", "nan", r"row {row}, column target: nan is not a finite number"),
])
def test_bad_target_cells_get_one_message_naming_row_and_column(tmp_path, column, value, message):
    """The last scored row is broken, so every row before it is read first (as text where a
    column holds a non-number: the numbers of the other rows still read as numbers)."""
    from model.errors import DataError

    rows = [dict(r) for r in _csv_rows()]
    i = max(k for k, r in enumerate(rows) if (r.get("status") or "scored") == "scored")
    rows[i][column] = value
    _write_targets(tmp_path / "bad.csv", rows, list(rows[0]))
    with pytest.raises(DataError, match=r"bad\.csv: " + message.format(row=i + 2)):
        load_targets(tmp_path / "bad.csv")


def test_edge_values_of_target_cells_are_accepted(tmp_path):
    rows = [dict(r) for r in _csv_rows()]
    i = next(k for k, r in enumerate(rows) if (r.get("status") or "scored") == "scored")
    rows[i].update(task="27", year="2010", tolerance="0.99")
    rows[i + 1].update(task="1", year="2004")
    _write_targets(tmp_path / "edge.csv", rows, list(rows[0]))
    got = load_targets(tmp_path / "edge.csv")
    assert (got[0].task, got[0].year, got[0].tolerance) == (27, 2010, 0.99)
    assert (got[1].task, got[1].year) == (1, 2004)


def test_targets_file_errors_name_the_file_and_what_is_missing(tmp_path):
    from model.errors import DataError
    from model.targets import TARGET_COLUMNS

    rows = [{k: v for k, v in r.items() if k != "unit"} for r in _csv_rows()]
    _write_targets(tmp_path / "nounit.csv", rows, list(rows[0]))
    with pytest.raises(DataError, match=r"nounit\.csv: missing column\(s\) \['unit'\]; required \[" +
                       ", ".join(f"'{c}'" for c in TARGET_COLUMNS) + r"\]"):
        load_targets(tmp_path / "nounit.csv")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"empty\.csv: plan targets file is empty"):
        load_targets(tmp_path / "empty.csv")


def test_numeric_looking_text_columns_stay_text_in_every_row(tmp_path):
    """plan_text_zh, status and its notes are read as text even when every cell looks like a number."""
    from model.errors import DataError

    rows = [dict(r) for r in _csv_rows()]
    fields = list(rows[0])
    for k, r in enumerate(rows):
        r["plan_text_zh"] = f"00{k}"
    _write_targets(tmp_path / "t.csv", rows, fields)
    scored = [k for k, r in enumerate(rows) if (r.get("status") or "scored") == "scored"]
    assert [t.plan_text_zh for t in load_targets(tmp_path / "t.csv")] == [f"00{k}" for k in scored]
    for r in rows:
        r["status"] = "1"
    _write_targets(tmp_path / "s.csv", rows, fields)
    with pytest.raises(DataError, match=r"s\.csv: row 2, column status: '1' is not one of"):
        load_targets(tmp_path / "s.csv")
