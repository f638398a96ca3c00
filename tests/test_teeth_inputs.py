"""Every lever and assumption of the registry moves the outputs it should.

For each (input, mode) of ``model/scenario/registry.py`` the table below says how it is moved
in the test world (``tests/teeth_world.py``) and which outputs must change, with which sign
(+1 up, -1 down, 0 exactly unchanged) and, where the equations give one, the exact value the
moved run must reach (hand-derived from docs/model.md; the derivation is the comment).
A new registry input fails ``test_every_registry_input_has_a_row`` until it gets a row (or an
entry in INERT with the reason it moves nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from model import core
from model.scenario.registry import INPUTS
from tests.teeth_world import OUTPUTS, WORLD, WORLD_DRIVERS, Y04, Y05, Move

T = len(core.YEARS)


@dataclass(frozen=True)
class Effect:
    output: str
    sign: int  # +1, -1, or 0 (unchanged to 1e-12)
    exact: object = None  # (base Outputs, step) -> expected value of `output` in the moved run


@dataclass(frozen=True)
class Row:
    step: float  # size of the move (in the mode's unit), or factor for level moves
    effects: tuple[Effect, ...]
    how: str = "add"  # add: driver += step after 2003; level: see _level_move
    why: str = ""
    extra: dict = field(default_factory=dict)


def E(output, sign, exact=None):
    return Effect(output, sign, exact)


def _r(a, b):
    """ratio helper for exact expectations"""
    return a / b


W = WORLD_DRIVERS


def _alpha(o) -> np.ndarray:
    """Sector capital elasticities (S,) of the core: alpha_k x base-year pattern, clipped."""
    return np.clip(o.p("alpha_k") * WORLD.model.base.alpha_k_relative, 0.05, 0.95)

# (input, mode) -> Row. Steps are small moves within the registry range from the test world.
INPUT_EFFECTS: dict[tuple[str, str], Row] = {
    # --- I-1 renovation grants: domestic investment x (1 + saturate(lambda G / D, u_max)); the
    # 2004 accelerator part does not depend on the grant, so 2004 domestic investment rises by
    # D_acc (u(G + s) - u(G)) with D_acc = D_2004 / (1 + u(G))
    ("renovation_grants", "rate"): Row(10.0, (
        E("domestic_investment_2004", +1, lambda o, s: _renovation_2004(o, s)),
        E("capital", +1), E("va", +1),
        E("cost_renovation_grants", +1, lambda o, s: o["cost_renovation_grants"] + s),
    )),
    # --- I-3 special fund: R&D = own + theta saturate(F_i, own_i); own R&D unchanged in 2004
    ("rd_special_fund", "rate"): Row(10.0, (
        E("rd_own_2004", 0), E("rd_2004", +1), E("rd_ratio", +1), E("tfp", +1),
        E("cost_rd_special_fund", +1, lambda o, s: o["cost_rd_special_fund"] + s),
    )),
    # --- I-3 tax credit: lower tax price -> higher desired intensity -> more own R&D
    ("rd_tax_credit", "rate"): Row(0.05, (
        E("rd_own_2004", +1), E("rd_ratio", +1), E("tfp", +1), E("cost_total", +1),
    )),
    # --- I-2 promotion: FDI x (1 + P / P_ref)^eps, in USD
    ("fdi_promotion", "rate"): Row(5.0, (
        E("fdi_usd", +1, lambda o, s: o["fdi_usd"] * ((1 + (W["fdi_promotion"] + s) / 1.02**4 / o.p("fdi_promotion_reference"))
                                                    / (1 + W["fdi_promotion"] / 1.02**4 / o.p("fdi_promotion_reference")))
          ** o.p("fdi_promotion_elasticity")),
        E("fdi_share", +1), E("foreign_capital_share", +1), E("tfp_2004", +1),
    )),
    # --- E retrofit programme: spending buys a retrofit stock; cost = spending (every sector)
    ("efficiency_spending", "rate"): Row(1.0, (
        E("retrofit_2004", +1), E("retrofit", +1), E("energy_2004", -1),
        E("energy_intensity", -1), E("energy_intensity_change", -1), E("el_demand_2004", -1),
        E("cost_retrofit_2004", +1, lambda o, s: o["cost_retrofit_2004"] + s * len(o.world.model.base.sectors)),
        E("va", 0),  # ample supply in the test world: no rationing to relieve
    )),
    # --- E, task 22: capacity grows by g; effort = g / top of range; supply = K avail + purchases
    ("power_capacity", "growth"): Row(0.05, (
        E("capacity_2004", +1, lambda o, s: o["capacity_2004"] * (1 + W["power_capacity_growth"] + s)
          / (1 + W["power_capacity_growth"])),
        E("effort_power_2004", +1, lambda o, s: o["effort_power_2004"] + s / 0.5),
        E("supply_2004", +1), E("invest_power_2004", +1), E("va", 0), E("shortfall", 0),
    )),
    # --- G informatization subsidy raises p for ERP and informatization (Bass with a ceiling m):
    # F1 = F0 + (p + dp(s) + q F0 / m)(m - F0)
    ("informatization_subsidy", "rate"): Row(5.0, (
        E("erp_2004", +1, lambda o, s: o["erp_2004"] + o.p("erp_subsidy_max_dp") * (
            np.exp(-W["informatization_subsidy"] / o.p("erp_cost_scale"))
            - np.exp(-(W["informatization_subsidy"] + s) / o.p("erp_cost_scale"))) * (o.p("erp_ceiling") - o["erp_2003"])),
        E("erp", +1), E("erp_lm", +1), E("informatized", +1), E("cost_total", +1),
    )),
    # --- clean production: F1 = F0 + u (1 - (1 - h)(1 - phi A / (N u))), h = p + q F0, so one
    # more audit adds (1 - h) phi / N; each audit costs audit_cost (10k yuan)
    ("clean_production_audits", "rate"): Row(50.0, (
        E("clean_2004", +1, lambda o, s: o["clean_2004"] + (1 - o.p("bass_p") - o.p("bass_q") * o["clean_2003"])
          * o.p("audit_implementation_rate") * s / o.p("key_polluters_count")),
        E("clean", +1),
        E("audits_2004", +1, lambda o, s: o["audits_2004"] + s),
        E("cost_audits_2004", +1, lambda o, s: o["cost_audits_2004"] + s * o.p("audit_cost") / 1e4),
        E("energy", 0),
    )),
    # --- counters: N_2007 = N_2003 + 4 years of additions
    ("new_brands", "rate"): Row(10.0, (E("brands", +1, lambda o, s: o["brands"] + 4 * s),)),
    ("new_key_parks", "rate"): Row(10.0, (E("parks", +1, lambda o, s: o["parks"] + 4 * s),)),
    ("new_national_bases", "rate"): Row(2.0, (E("bases", +1, lambda o, s: o["bases"] + 4 * s),)),
    ("new_small_giants", "rate"): Row(10.0, (E("giants", +1, lambda o, s: o["giants"] + 4 * s),)),
    # --- power assumptions (task 22): purchases add to firm supply at the peak (not in 2003)
    ("power_purchases", "rate"): Row(100.0, (
        E("supply_2004", +1, lambda o, s: o["supply_2004"] + s), E("shortfall_2003", 0), E("va", 0),
    )),
    ("other_electricity_growth", "rate"): Row(0.05, (
        E("el_other_2004", +1, lambda o, s: o["el_other_2004"] * (1 + W["other_electricity_growth"] + s)
          / (1 + W["other_electricity_growth"])),
        E("peak_2004", +1), E("el_demand_2004", 0), E("va", 0),
    )),
    # --- assumptions
    # FDI without extra promotion grows by (1 + g)
    ("fdi_external_growth", "rate"): Row(0.05, (
        E("fdi_usd", +1, lambda o, s: o["fdi_usd"] * ((1 + W["fdi_external_growth"] + s) / (1 + W["fdi_external_growth"])) ** 4),
        E("fdi_share", +1), E("foreign_capital_share", +1),
    )),
    # budget envelope B = share x E_2003 x prod(1 + g): exact ratios; nothing else moves
    ("fiscal_expenditure_growth", "rate"): Row(0.05, (
        E("budget", +1, lambda o, s: o["budget"] * ((1 + W["fiscal_expenditure_growth"] + s) / (1 + W["fiscal_expenditure_growth"])) ** 4),
        E("va", 0), E("cost_total", 0),
    )),
    ("programme_budget_share", "rate"): Row(0.01, (
        E("budget", +1, lambda o, s: o["budget"] * (W["programme_budget_share"] + s) / W["programme_budget_share"]),
        E("va", 0),
    )),
    # labour: ln VA_i += (1 - alpha_i) ln L -> 2004 VA_i x ((1+l+s)/(1+l))^(1-alpha_i), with
    # alpha_i = alpha_k x the base-year capital-share pattern (model/baseyear.py R6)
    ("labour_growth", "rate"): Row(0.02, (
        E("va_2004", +1, lambda o, s: float((o.proj["value_added"][o.run, Y04] * (
            (1 + W["labour_growth"] + s) / (1 + W["labour_growth"])) ** (1 - _alpha(o))).sum())),
        E("va", +1), E("energy", +1),
    )),
    # world demand moves Zhejiang's and China's export delivery alike: the share is unchanged
    ("world_demand_growth", "rate"): Row(0.05, (
        E("china_xd_2004", +1, lambda o, s: o["china_xd_2004"] * ((1 + W["world_demand_growth"] + s) / (1 + W["world_demand_growth"])) ** o.p("eta_y")),
        E("xd", +1), E("xd_share", 0),
    )),
    ("china_share_drift", "rate"): Row(0.05, (
        E("china_xd_2004", +1, lambda o, s: o["china_xd_2004"] * np.exp(s)),
        E("xd", +1), E("xd_share", 0),
    )),
    # Zhejiang competitiveness falls with China's TFP: dln XD -= kappa dln(1 + china tfp)
    ("china_tfp_growth", "rate"): Row(0.02, (
        E("xd_2004", -1, lambda o, s: o["xd_2004"] * np.exp(-o.p("kappa") * np.log1p(s))),
        E("xd_share", -1), E("va", 0),
    )),
    # national output: China's output x (1 + g); Zhejiang's share of it falls
    ("china_output_growth", "rate"): Row(0.05, (
        E("china_go_2004", +1, lambda o, s: o["china_go_2004"] * (1 + W["china_output_growth"] + s) / (1 + W["china_output_growth"])),
        E("va", 0),
    )),
    ("relative_export_price_growth", "rate"): Row(0.05, (
        E("xd_2004", -1, lambda o, s: o["xd_2004"] * np.exp(-o.p("eta_p") * (
            np.log1p(W["relative_export_price_growth"] + s) - np.log1p(W["relative_export_price_growth"])))),
        E("xd_share", -1),
    )),
    # exchange rate (level, all years): FDI in yuan = USD x share x rate
    ("exchange_rate", "level"): Row(1.0, (
        E("fdi_yuan_2004", +1, lambda o, s: o["fdi_yuan_2004"] * (W["exchange_rate"] + s) / W["exchange_rate"]),
        E("fdi_share", +1),
    ), how="add_all_years"),
    # producer prices: nominal sales = real sales x price index (real sales move a little: the
    # nominal fund and promotion buy less); nominal sales lift the firm-size count
    ("output_price_inflation", "rate"): Row(0.03, (
        E("price_ratio_2004", +1, lambda o, s: o["price_ratio_2004"] * (1 + W["output_price_inflation"] + s)
          / (1 + W["output_price_inflation"])),
        E("sales_nominal_2004", +1), E("firms", +1),
    )),
    # investment prices: the same yuan of FDI buys less real investment; nominal domestic
    # investment rises -> the FDI share of nominal investment falls
    ("investment_price_inflation", "rate"): Row(0.03, (
        E("fdi_investment_2005", -1), E("fdi_share", -1), E("capital", -1),
    )),
}

#: (input, mode) that moves nothing the model computes, with the reason. Empty: every input acts.
INERT: dict[tuple[str, str], str] = {}

#: drivers the core reads that are not registry inputs (scenario `levers.large_projects`)
LARGE_PROJECT_STEP = 50.0  # 100m yuan in 2005 in the first sector


def _renovation_2004(o, s):
    """2004 domestic investment after adding ``s`` to the renovation grants (docs/model.md I-1)."""
    from model.instruments import renovation_uplift

    g_real = (W["renovation_grants"]) / (1 + W["investment_price_inflation"])
    d = o["domestic_investment_2004"]
    # crowding-out subtracts kappa (I^F_2004 - I^F_2003) from D (1 + u): unchanged by the grant
    kf = o.p("fdi_crowding_out") * (o.var("investment_fdi", 1) - o.var("investment_fdi", 0))
    # recover D_acc from D = D_acc (1 + u(G)) - kf, with u evaluated on D_acc: solve by iteration
    lev, cap = o.p("renovation_leverage"), o.p("renovation_uplift_max")
    d_acc = d + kf
    for _ in range(50):
        d_acc = (d + kf) / (1 + renovation_uplift(g_real, d_acc, lev, cap))
    g1 = (W["renovation_grants"] + s) / (1 + W["investment_price_inflation"])
    return float(d_acc * (1 + renovation_uplift(g1, d_acc, lev, cap)) - kf)


def _level_value(key, base, driver):
    raise AssertionError(f"no level rule for {key}")


def _move(key) -> Move:
    name, mode = key
    row = INPUT_EFFECTS[key]
    driver = INPUTS[name].modes[mode].driver

    def apply(params, drivers, i, base):
        if row.how == "add":
            drivers[driver][i, 1:] += row.step
        elif row.how == "add_all_years":
            drivers[driver][i, :] += row.step
        elif row.how == "level":
            drivers[driver][i, Y05:] = _level_value(key, base, driver)[Y05:]
        else:
            raise AssertionError(row.how)

    return Move(f"{name}:{mode}", apply)


def _large_project(params, drivers, i, base):
    """Built in 2005, completed (productive) in 2006: time to build."""
    drivers["large_project_investment"][i, Y05, 0] += LARGE_PROJECT_STEP
    drivers["large_project_completion"][i, Y05 + 1, 0] += LARGE_PROJECT_STEP


KEYS = sorted(INPUT_EFFECTS)


def test_all_moves_stacked_equal_moves_one_by_one():
    """The vectorised core gives each stacked run exactly its single-move result."""
    moves = [_move(k) for k in KEYS] + [Move("large_projects", _large_project)]
    base, runs = WORLD.run(moves)
    for mv, run in zip(moves, runs, strict=True):
        _, (alone,) = WORLD.run([mv])
        for out in ("va", "xd", "energy", "rd_ratio", "fdi_share", "erp", "brands"):
            assert run[out] == pytest.approx(alone[out], rel=1e-12), (mv.label, out)


def test_every_registry_input_has_a_row():
    modes = {(n, m) for n, spec in INPUTS.items() for m in spec.modes}
    assert modes - set(INPUT_EFFECTS) - set(INERT) == set(), "add a row to INPUT_EFFECTS (or INERT with a reason)"
    assert set(INPUT_EFFECTS) - modes == set(), "row for an input the registry no longer has"
    assert not set(INPUT_EFFECTS) & set(INERT)
    for key, reason in INERT.items():
        assert len(reason) > 20, key


def test_every_core_driver_is_moved_by_some_row():
    moved_drivers = {INPUTS[n].modes[m].driver for n, m in INPUT_EFFECTS} | {
        "large_project_investment", "large_project_completion"}
    assert set(core.DRIVERS) - moved_drivers == set()


def test_rows_move_within_the_registry_range_and_name_real_outputs():
    for key, row in INPUT_EFFECTS.items():
        name, mode = key
        spec = INPUTS[name].modes[mode]
        assert any(e.sign != 0 for e in row.effects), key
        for e in row.effects:
            assert e.output in OUTPUTS, (key, e.output)
        if row.how in ("add", "add_all_years"):
            start = WORLD_DRIVERS.get(spec.driver, INPUTS[name].neutral)
            assert spec.low <= start + row.step <= spec.high, key
        else:
            lvl = _level_value(key, WORLD.base, spec.driver)
            assert np.all((lvl >= spec.low) & (lvl <= spec.high)), key


@pytest.mark.parametrize("key", KEYS, ids=[f"{n}:{m}" for n, m in KEYS])
def test_input_moves_its_outputs(key):
    base, (run,) = WORLD.run([_move(key)])
    row = INPUT_EFFECTS[key]
    for e in row.effects:
        b, m = base[e.output], run[e.output]
        if e.sign == 0:
            assert m == pytest.approx(b, rel=1e-12, abs=1e-12), f"{key} should leave {e.output} unchanged"
        else:
            assert np.sign(m - b) == e.sign and abs(m - b) > 1e-9 * max(abs(b), 1.0), \
                f"{key}: {e.output} {b} -> {m}, expected sign {e.sign:+d}"
        if e.exact is not None:
            assert m == pytest.approx(e.exact(base, row.step), rel=1e-9), f"{key}: {e.output} magnitude"


def test_large_projects_add_to_investment_and_capital():
    base, (run,) = WORLD.run([Move("large_projects", _large_project)])
    assert run["large_projects_2005"] == pytest.approx(base["large_projects_2005"] + LARGE_PROJECT_STEP)
    assert run["investment_2005"] == pytest.approx(base["investment_2005"] + LARGE_PROJECT_STEP)
    # time to build: nothing productive while under construction ...
    assert run["capital_2005"] == pytest.approx(base["capital_2005"], rel=1e-12)
    assert run["va_2005"] == pytest.approx(base["va_2005"], rel=1e-12)
    # ... capital and output higher once completed
    assert run["capital"] > base["capital"] and run["va"] > base["va"]
