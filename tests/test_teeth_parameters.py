"""Every parameter of calibration/priors.yaml moves the outputs it should.

Each parameter is moved up by 10 % of its prior range from its model default (the fitted
value where calibrated; down instead when up would leave the range, and the expected signs
flip with it) in the test world (``tests/teeth_world.py``). The table gives the
outputs that must move, the sign (+1, -1, 0 = unchanged to 1e-12) and, where the equations
give one, the exact value of the moved run (derivation in the comment). A new parameter in
priors.yaml fails ``test_every_prior_has_a_row`` until it has a row here or an INERT entry.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from model.paths import CALIBRATION_DIR
from tests.teeth_world import OUTPUTS, WORLD, WORLD_DRIVERS, Y07, Move

W = WORLD_DRIVERS
PRIORS = yaml.safe_load((CALIBRATION_DIR / "priors.yaml").read_text(encoding="utf-8"))["parameters"]
STEP_SHARE = 0.10  # move = 10 % of the prior range


def _centres(o, threshold):
    """national centres = sectors whose 2007 gross output / China's exceeds the threshold"""
    share = o.proj["gross_output"][o.run, Y07] / o.proj["china_gross_output"][o.run, Y07]
    return float((share > threshold).sum())


# parameter -> tuple of (output, sign, exact(base Outputs, step) or None)
PARAM_EFFECTS: dict[str, tuple] = {
    # A: VA growth = dln A + alpha dln K + (1 - alpha) dln L; K grows faster than L here
    "alpha_k": (("va", +1, None), ("va_2003", 0, None)),
    # B: K_t = (1 - delta) K_{t-1} + I_t
    "delta_k": (("capital", -1, None), ("va", -1, None)),
    # C: dln A = lambda + ...; in 2004 the R&D stock term does not depend on lambda
    "tfp_growth": (("tfp_2004", +1, lambda o, s: o["tfp_2004"] * np.exp(s)), ("va", +1, None)),
    # C: rate-of-return form dln A = lambda + rho_R RD[t-1] / VA[t-1] (+ spillover): in 2004
    # each sector's ln TFP gains step x RD_2003 / VA_2003 of that sector
    "rd_return": (("tfp_2004", +1, None), ("tfp", +1, None), ("va_2003", 0, None)),
    # I-3: desired intensity exp(g t) (1 - c)^eps (capped) -> own R&D moves toward it
    "rd_intensity_drift": (("rd_own_2004", +1, None), ("rd_ratio", +1, None), ("rd_ratio_2003", 0, None)),
    # a less negative elasticity: weaker response to the credit (c > 0 in the test world)
    "rd_tax_price_elasticity": (("rd_own_2004", -1, None), ("rd_ratio", -1, None)),
    # faster adjustment toward a desired intensity above the current one
    "rd_adjustment_speed": (("rd_own_2004", +1, None), ("rd_ratio", +1, None)),
    # the fund's R&D: theta x saturate(F_i, own_i) -> linear in theta
    "rd_fund_additionality": (("rd_2004", +1, lambda o, s: o["rd_own_2004"] + (o["rd_2004"] - o["rd_own_2004"])
                               * (o.p("rd_fund_additionality") + s) / o.p("rd_fund_additionality")),
                              ("rd_own_2004", 0, None)),
    # a higher ceiling leaves more of the desired rise in place
    "rd_intensity_ceiling_multiple": (("rd_own_2004", +1, None), ("rd_ratio", +1, None)),
    # I-2: FDI x (1 + P / P_ref)^eps with P > 0 in the test world
    "fdi_promotion_elasticity": (("fdi_usd", +1, None), ("fdi_share", +1, None)),
    "fdi_promotion_reference": (("fdi_usd", -1, None), ("fdi_share", -1, None)),
    # crowding-out: D = D* - kappa (I^F_t - I^F_2003), FDI-funded investment rising here
    "fdi_crowding_out": (("domestic_investment_2004", -1, lambda o, s: o["domestic_investment_2004"]
                          - s * (o.var("investment_fdi", 1) - o.var("investment_fdi", 0))), ("capital", -1, None)),
    # I-1 accelerator: in 2004 expected growth equals the reference growth (no effect); later
    # output growth slows below 2004's, so a stronger accelerator invests less
    "invest_accelerator": (("domestic_investment_2004", 0, None), ("capital", -1, None)),
    # profitability: MPK falls below its 2003 level as capital outgrows output -> less investment
    "invest_profitability": (("domestic_investment_2004", 0, None), ("capital", -1, None)),
    # renovation grants (G > 0 in the test world): uplift saturate(lambda G / D, u_max)
    "renovation_leverage": (("domestic_investment_2004", +1, None), ("capital", +1, None)),
    "renovation_uplift_max": (("domestic_investment_2004", +1, None),),
    # base-year R&D intensity scales with the relative factor; the high-tech multiplier
    # shifts R&D towards high-tech sectors keeping the province average
    "rd_intensity_zj_relative": (("rd_ratio_2003", +1, lambda o, s: o["rd_ratio_2003"] * (o.p("rd_intensity_zj_relative") + s)
                                  / o.p("rd_intensity_zj_relative")),),
    "rd_hightech_multiplier": (("rd_ratio_hightech_2003", +1, None), ("rd_ratio_2003", 0, None)),
    # C: spillover gamma_f x d(foreign share) x (1 + mu (100 rho - ref)); the share rises here
    "gamma_f": (("tfp_2004", +1, None), ("tfp", +1, None)),
    # absorptive capacity amplifies spillovers where R&D intensity is above average (high-tech)
    "mu_absorptive": (("tfp_hightech", +1, None), ("va_2003", 0, None)),
    # FDI in yuan = USD x manufacturing share x exchange rate
    "fdi_manufacturing_share": (("fdi_yuan_2004", +1, lambda o, s: o["fdi_yuan_2004"] * (o.p("fdi_manufacturing_share") + s)
                                 / o.p("fdi_manufacturing_share")), ("fdi_share", +1, None)),
    # FDI reading a = national foreign-funding share x relative factor x (c_t / c_2003)
    "fdi_funding_relative": (("fdi_share_a", +1, lambda o, s: o["fdi_share_a"] * (o.p("fdi_funding_relative") + s)
                              / o.p("fdi_funding_relative")), ("fdi_share", 0, None)),
    # D: China's export delivery ~ (1 + world demand)^eta_y, Zhejiang's alike: share unchanged
    "eta_y": (("china_xd_2004", +1, lambda o, s: o["china_xd_2004"] * (1 + W["world_demand_growth"]) ** s),
              ("xd", +1, None), ("xd_share", 0, None)),
    # D: dln XD -= eta_p (dln p_rel + logistics share x dln(1 + logistics change)), both > 0 here
    "eta_p": (("xd_2004", -1, lambda o, s: o["xd_2004"] * np.exp(-s * np.log1p(W["relative_export_price_growth"]))),),
    # D: dln XD += kappa (dln A - dln A_china); Zhejiang TFP grows, China's does not here
    "kappa": (("xd", +1, None), ("xd_share", +1, None)),
    # E: e = e_auto (1 - (1 - b) p x), e_auto_t = e_auto_{t-1} exp(-aeei); the retrofit stock x
    # bought by fixed spending depends on the potential p e_auto VA, so aeei has no closed form here
    "aeei": (("energy_2004", -1, None), ("va", 0, None), ("energy_intensity_change", -1, None)),
    "rebound": (("energy_2004", +1, None), ("retrofit_2004", 0, None)),
    # larger potential: same savings bought are a smaller share of it, the cap is further away
    "retrofit_potential": (("retrofit_2004", -1, None), ("energy_2004", -1, None)),
    # dearer retrofits: fewer savings for the same spending, same cost
    "retrofit_cost": (("retrofit_2004", -1, None), ("energy_2004", +1, None), ("cost_retrofit_2004", 0, None)),
    # a longer life retires less of the stock; nothing retires in the first year
    "retrofit_lifetime": (("retrofit_2004", 0, None), ("retrofit", +1, None), ("energy", -1, None)),
    # clean production: one audited firm in N u of the remaining ones; F1 as in the inputs table
    "key_polluters_count": (("clean_2004", -1, None), ("audits_2004", 0, None)),
    "audit_implementation_rate": (("clean_2004", +1, lambda o, s: o["clean_2004"] + (
        1 - o.p("bass_p") - o.p("bass_q") * o["clean_2003"]) * s * o["audits_2004"] / o.p("key_polluters_count")),),
    "audit_cost": (("cost_audits_2004", +1, lambda o, s: o["cost_audits_2004"] + s * o["audits_2004"] / 1e4),
                   ("clean", 0, None)),
    # task 22: mfg demand = electricity intensity (trend g) x VA; peak = C (1 + loss) / (8760 LF)
    "electricity_intensity_trend": (("el_demand_2004", +1, lambda o, s: o["el_demand_2004"] * np.exp(s)),
                                    ("peak_2004", +1, None), ("va", 0, None)),
    "grid_loss_share": (("peak_2004", +1, lambda o, s: o["peak_2004"] * (1 + o.p("grid_loss_share") + s)
                         / (1 + o.p("grid_loss_share"))), ("va", 0, None)),
    "grid_load_factor": (("peak_2004", -1, lambda o, s: o["peak_2004"] * o.p("grid_load_factor")
                          / (o.p("grid_load_factor") + s)), ("shortfall_2003", -1, None)),
    "capacity_availability": (("supply_2004", +1, lambda o, s: (o["supply_2004"] - W["power_purchases"])
                               * (o.p("capacity_availability") + s) / o.p("capacity_availability") + W["power_purchases"]),
                              ("shortfall_2003", -1, None)),
    "capacity_cost": (("invest_power_2004", +1, lambda o, s: o["invest_power_2004"] * (o.p("capacity_cost") + s)
                       / o.p("capacity_cost")),),
    # F: n_t / n_2003 = (top-tail growth)^zeta, growth > 1 here
    # F: n_2003 = 183 x (entry / 100)^zeta, and n_2007 = n_2003 x growth^zeta
    "private_top500_entry_2003": (("firms", +1, lambda o, s: o["firms"] * (
        (o.p("private_top500_entry_2003") + s) / o.p("private_top500_entry_2003")) ** o.p("pareto_zeta")),
        ("firms_growth", 0, None)),
    "pareto_zeta": (("firms_growth", +1, lambda o, s: o["firms_growth"] ** ((o.p("pareto_zeta") + s) / o.p("pareto_zeta"))),),
    # G: F_2004 = F0 + (p + policy + q F0)(1 - F0)
    # G: Bass with a ceiling m: F1 = F0 + (p + dp(s) + q F0 / m)(m - F0)
    "erp_ceiling": (("erp_2004", +1, None), ("erp", +1, None), ("informatized", 0, None)),
    "informatization_ceiling": (("informatized_2004", +1, None), ("erp", 0, None)),
    "erp_subsidy_max_dp": (("erp_2004", +1, None), ("informatized_2004", +1, None)),
    "erp_cost_scale": (("erp_2004", -1, None), ("informatized_2004", -1, None)),
    "bass_p": (("erp_2004", +1, lambda o, s: o["erp_2004"] + s * (o.p("erp_ceiling") - o["erp_2003"])),
               ("clean", +1, None), ("informatized", +1, None)),
    "bass_q": (("erp_2004", +1, lambda o, s: o["erp_2004"] + s * o["erp_2003"] / o.p("erp_ceiling")
                * (o.p("erp_ceiling") - o["erp_2003"])),),
    "erp_share_2003_above_size": (("erp_2003", +1, lambda o, s: o["erp_2003"] + s), ("erp", +1, None),
                                  ("erp_lm", 0, None)),
    "erp_share_2003_large_medium": (("erp_lm_2003", +1, lambda o, s: o["erp_lm_2003"] + s), ("erp", 0, None)),
    "informatized_2003_large_medium": (("informatized_2003", +1, lambda o, s: o["informatized_2003"] + s),),
    "clean_production_2003": (("clean_2003", +1, lambda o, s: o["clean_2003"] + s), ("clean", +1, None)),
    # counters: N_2007 = N_2003 + additions
    "brands_2003": (("brands", +1, lambda o, s: o["brands"] + s),),
    "key_parks_2003": (("parks", +1, lambda o, s: o["parks"] + s),),
    "national_bases_2003": (("bases", +1, lambda o, s: o["bases"] + s),),
    "small_giants_2003": (("giants", +1, lambda o, s: o["giants"] + s),),
    # H: a higher threshold counts no more sectors; exact count from the projected shares
    "centre_share_threshold": (("centres", None, lambda o, s: _centres(o, o.p("centre_share_threshold") + s)),),
    # base-year multipliers scale the derived 2003 figure
    "base_export_delivery_factor": (("xd_2003", +1, lambda o, s: o["xd_2003"] * (1 + s)),),
    # domestic investment 2003 = base investment x factor - FDI-funded part (not floored here)
    "base_investment_factor": (("domestic_investment_2003", +1, lambda o, s: o["domestic_investment_2003"]
                                + s * WORLD.model.base.investment.sum()), ("capital", +1, None)),
    "base_value_added_factor": (("va_2003", +1, lambda o, s: o["va_2003"] * (1 + s)),),
    "base_energy_factor": (("energy_2003", +1, lambda o, s: o["energy_2003"] * (1 + s)),),
}

#: parameters that move nothing the model computes, with the reason. Empty: every one acts.
INERT: dict[str, str] = {
    "curtailment_pass_through": "acts only when the power supply is short of the peak; the test world has ample "
                                "supply (capacity +40 %/yr). tests/test_energy_power.py moves it in a shortage world.",
}


def _direction(name: str) -> int:
    """+1, or -1 when moving up by the step would leave the prior range."""
    up = WORLD.model.parameters.defaults()[name] + STEP_SHARE * (PRIORS[name]["high"] - PRIORS[name]["low"])
    return 1 if up <= PRIORS[name]["high"] else -1


def _step(name: str) -> float:
    return _direction(name) * STEP_SHARE * (PRIORS[name]["high"] - PRIORS[name]["low"])


def _move(name: str) -> Move:
    def apply(params, drivers, i, base):
        params[name][i] += _step(name)

    return Move(name, apply)


NAMES = sorted(PARAM_EFFECTS)




def test_every_prior_has_a_row():
    assert set(PRIORS) - set(PARAM_EFFECTS) - set(INERT) == set(), "add a row to PARAM_EFFECTS (or INERT)"
    assert set(PARAM_EFFECTS) - set(PRIORS) == set(), "row for a parameter priors.yaml no longer has"
    assert not set(PARAM_EFFECTS) & set(INERT)


def test_moves_stay_in_the_prior_range():
    defaults = WORLD.model.parameters.defaults()
    for name, effects in PARAM_EFFECTS.items():
        assert PRIORS[name]["low"] <= defaults[name] + _step(name) <= PRIORS[name]["high"], name
        assert any(e[1] for e in effects) or any(e[2] for e in effects), name
        for out, _, _ in effects:
            assert out in OUTPUTS, (name, out)


@pytest.mark.parametrize("name", NAMES)
def test_parameter_moves_its_outputs(name):
    base, (run,) = WORLD.run([_move(name)])
    for out, sign, exact in PARAM_EFFECTS[name]:
        b, m = base[out], run[out]
        if sign == 0:
            assert m == pytest.approx(b, rel=1e-12, abs=1e-12), f"{name} should leave {out} unchanged"
        elif sign is not None:
            sign *= _direction(name)
            assert np.sign(m - b) == sign and abs(m - b) > 1e-9 * max(abs(b), 1.0), \
                f"{name}: {out} {b} -> {m}, expected sign {sign:+d}"
        if exact is not None:
            assert m == pytest.approx(exact(base, _step(name)), rel=1e-9), f"{name}: {out} magnitude"


def test_centre_threshold_counts_fewer_sectors_when_raised():
    lo, hi = PRIORS["centre_share_threshold"]["low"], PRIORS["centre_share_threshold"]["high"]
    base = WORLD.base
    assert _centres(base, lo) >= _centres(base, hi)
    assert base["centres"] == _centres(base, base.p("centre_share_threshold"))
