"""The compiled core: one loop over runs, years and sectors calling the equation functions.

``simulate_runs`` projects every run of a block (docs/model.md, blocks A-H): for each run it
keeps that run's state (a few KB: its sector paths) in cache and steps through the years, calling
the small functions of ``model.equations``, ``model.instruments`` and ``model.energy_equations``
for one sector (or the province) at a time. Those functions are the only statement of the
equations: numba compiles them into this loop (``register_jitable``), and from Python they still
broadcast over numpy arrays. Runs are independent, so the parallel variant spreads them over
threads (``prange``); small blocks take the serial one (no thread start-up).

A run's sector state lives in one flat scratch vector ``z`` of rows of SECTOR_LANES numbers at
offsets that are compile-time constants (``W_*``, ``D_*``, ``Z_*``): the compiler then sees that
the rows do not overlap and steps the sector loops of a year in SIMD lanes (with rows at run-time
strides it could not, and ran them one sector at a time). Each year's state is stored into the
outputs at the end of the year (``_store_year``). exp, log, expm1, log1p and power are taken a row
at once (the year's sectors, or a run's years) through ``model.vecmath`` (glibc's libmvec SIMD
functions where available). ``simulate_run(r, o, ...)`` reads run r of the inputs and writes output
slot o: o = r for a projection, or one reused slot when only the indicators are kept
(``model.indicators.simulate_with_indicators(keep_projection=False)``).

Inputs are packed by :func:`pack_parameters` and :func:`pack_drivers` (called by
``model.core.simulate``): base-year sector constants ``bs`` (NB, S) and scalars ``bc``; the
parameters flat in ``pb`` with ``pm[j] = (offset, run stride, sector stride, per-sector flag)``,
so a parameter is one value per run (R,) or one per run and sector (R, S) without copies to a
common shape; the drivers flat in ``db`` with ``dm[j] = (offset, run stride, year stride, sector
stride, sectors)``, so a path is shared by all runs or given per run, province-wide or per
sector. Outputs: ``ots`` (NTS, R, T, S) and ``ot`` (NT, R, T), the layout (run, year, sector) of
``model.core.Projection``.

Compilation: ``cache=True`` writes the machine code next to this file (``__pycache__``), so a
machine compiles once (``compile_seconds`` reports it). Numba checks only the source of the file
that holds a cached function, not of the functions it calls; the cache locator below adds the
sources of the equation modules to that check, so editing an equation recompiles the kernel.
``NUMBA_DISABLE_JIT=1`` runs the same code as plain Python (slow; for mutation testing and
debugging on a few runs).
"""

from __future__ import annotations

import hashlib
import operator
import os
import time
from pathlib import Path

import numba
import numpy as np
from numba import prange
from numba.core import caching
from numba.extending import register_jitable

from model import energy_equations as eeq
from model import equations as eq
from model import instruments as ins
from model import vecmath as vm

KERNEL_FILE = os.path.abspath(__file__)
#: the files of cached functions that call the equations or the kernel (model.indicators fuses its
#: pass with simulate_run): their cache stamp covers the sources of all of STAMPED_FILES too
STAMPED_FILES = (KERNEL_FILE, os.path.join(os.path.dirname(KERNEL_FILE), "indicators.py"))
EQUATION_MODULES = (eq, ins, eeq)

# ----------------------------------------------------------------------------- cache validity


def _sources_stamp() -> str:
    """Hash of the sources of the equation modules, the vector maths and STAMPED_FILES, and of the
    vector maths chosen on this machine (part of the cache validity stamp of STAMPED_FILES)."""
    h = hashlib.sha256()
    for path in (*[mod.__file__ for mod in (*EQUATION_MODULES, vm)], *STAMPED_FILES):
        h.update(Path(path).read_bytes())
    h.update(vm.VARIANT.encode())
    return h.hexdigest()


_EQUATIONS_STAMP = _sources_stamp()


def _dependent_locator(base: type) -> type:
    class Locator(base):
        """numba cache locator of STAMPED_FILES whose stamp also covers the equation modules."""

        def get_source_stamp(self):
            return (super().get_source_stamp(), _EQUATIONS_STAMP)

        @classmethod
        def from_function(cls, py_func, py_file):
            if os.path.abspath(py_file) not in STAMPED_FILES:
                return None
            return super().from_function(py_func, py_file)

    Locator.__name__ = Locator.__qualname__ = f"Equations{base.__name__}"
    return Locator


def _install_locators() -> None:
    classes = caching.CacheImpl._locator_classes
    if any(getattr(c, "__name__", "").startswith("Equations") for c in classes):
        return
    for base in (caching.UserWideCacheLocator, caching.InTreeCacheLocator, caching.UserProvidedCacheLocator):
        classes.insert(classes.index(base), _dependent_locator(base))


_install_locators()

for _mod in EQUATION_MODULES:  # every equation function becomes callable from compiled code
    for _name, _fn in vars(_mod).items():
        if callable(_fn) and getattr(_fn, "__module__", None) == _mod.__name__ and not isinstance(_fn, type):
            register_jitable(error_model="numpy")(_fn)

jit = numba.njit(cache=True, error_model="numpy")  # division by zero gives inf/nan, as numpy
#: helpers of simulate_run inlined into it by numba (no call, no reference counting of their arrays)
inline = numba.njit(cache=True, error_model="numpy", inline="always")

# ----------------------------------------------------------------------------- layout
#: base-year sector constants (rows of bs)
BASE_SECTOR = ("value_added", "gross_output", "sales", "capital", "labour", "investment", "export_delivery", "rd",
               "energy", "china_gross_output", "high_tech", "alpha_k_relative", "delta_k_relative", "electricity_mfg")
#: base-year scalars (bc)
BASE_SCALAR = ("china_export_delivery", "fdi_actually_used", "top_firms_anchor_count", "local_fiscal_expenditure_2003",
               "above_size_firms_2003", "electricity_other", "power_capacity", "has_power", "has_alpha_relative",
               "has_delta_relative")
#: parameters the core reads (rows of pm)
PARAMETERS = (
    "alpha_k", "delta_k", "base_value_added_factor", "base_investment_factor", "base_export_delivery_factor",
    "base_energy_factor", "fdi_promotion_reference", "fdi_promotion_elasticity", "fdi_manufacturing_share",
    "tfp_growth", "rd_return", "mu_absorptive", "gamma_f", "invest_accelerator", "invest_profitability",
    "renovation_leverage", "renovation_uplift_max", "fdi_crowding_out", "rd_intensity_drift",
    "rd_tax_price_elasticity", "rd_adjustment_speed", "rd_fund_additionality", "rd_intensity_ceiling_multiple",
    "rd_intensity_zj_relative", "rd_hightech_multiplier", "eta_p", "kappa", "eta_y", "aeei", "rebound",
    "retrofit_potential", "retrofit_cost", "retrofit_lifetime", "electricity_intensity_trend", "grid_loss_share",
    "grid_load_factor", "capacity_availability", "curtailment_pass_through", "pareto_zeta",
    "private_top500_entry_2003", "bass_p", "bass_q", "erp_subsidy_max_dp", "erp_cost_scale",
    "clean_production_2003", "key_polluters_count", "audit_implementation_rate", "audit_cost",
    "erp_share_2003_above_size", "erp_ceiling", "erp_share_2003_large_medium", "informatized_2003_large_medium",
    "informatization_ceiling", "small_giants_2003", "brands_2003", "key_parks_2003", "national_bases_2003",
    "centre_share_threshold", "capacity_cost",
)
#: province drivers (dt) and sector drivers (dts), names of model.core.DRIVERS
DRIVERS_T = (
    "renovation_grants", "rd_special_fund", "rd_tax_credit", "fdi_promotion", "informatization_subsidy",
    "clean_production_audits", "power_capacity_growth", "new_brands", "new_key_parks", "new_national_bases",
    "new_small_giants", "fdi_external_growth", "fiscal_expenditure_growth", "programme_budget_share",
    "world_demand_growth", "china_share_drift", "china_tfp_growth", "exchange_rate", "power_purchases",
    "other_electricity_growth", "output_price_inflation", "investment_price_inflation",
)
DRIVERS_TS = ("large_project_investment", "large_project_completion", "efficiency_spending", "labour_growth",
              "china_output_growth", "relative_export_price_growth")
#: outputs (run, year, sector) and (run, year), in the order of Projection.values
OUTPUTS_TS = ("value_added", "gross_output", "sales", "capital", "investment", "investment_fdi", "investment_domestic",
              "labour", "tfp", "rd", "rd_own", "rd_intensity", "foreign_capital_share", "export_delivery", "energy",
              "energy_intensity", "energy_at_2003_intensity", "china_gross_output", "retrofit_stock")
OUTPUTS_T = (
    "china_export_delivery", "fdi_actually_used", "fdi_manufacturing_nominal", "investment_nominal",
    "investment_price_index", "output_price_index", "sales_nominal", "firms_over_10bn", "small_giants",
    "erp_above_size", "erp_large_medium", "informatized_large_medium", "clean_production",
    "clean_production_audits_done", "electricity_demand_mfg", "electricity_demand_other", "power_capacity",
    "power_peak_demand", "power_supply_peak", "power_shortfall", "power_curtailment", "curtailed_value_added",
    "cost_efficiency_spending", "cost_clean_production_audits", "effort_power_capacity", "investment_power_nominal",
    "brands", "key_parks", "national_bases", "national_centres", "rd_tax_price", "cost_renovation_grants",
    "cost_rd_special_fund", "cost_rd_tax_credit", "cost_fdi_promotion", "cost_informatization_subsidy",
    "budget_envelope",
)
FIRM_SIZE_THRESHOLD_100M_YUAN = 100.0  # 10 bn yuan, the plan's threshold (task 17)
POWER_CAPACITY_GROWTH_HIGH = 0.5  # top of the registry range of power_capacity growth: effort = g / this


def _index(names: tuple[str, ...]) -> dict[str, int]:
    return {n: i for i, n in enumerate(names)}


_B, _C, _P = _index(BASE_SECTOR), _index(BASE_SCALAR), _index(PARAMETERS)
_DT, _DS, _OS, _OT = _index(DRIVERS_T), _index(DRIVERS_TS), _index(OUTPUTS_TS), _index(OUTPUTS_T)

# module constants are compile-time constants for numba
B_VA, B_GO, B_SALES, B_K, B_L, B_INV, B_XD, B_RD, B_E, B_CNGO, B_HT, B_AREL, B_DREL, B_EL = range(len(BASE_SECTOR))
(C_XDCN, C_FDI, C_ANCHOR, C_FISCAL, C_FIRMS, C_ELOTHER, C_CAP, C_HASPOWER, C_HASAREL,
 C_HASDREL) = range(len(BASE_SCALAR))
(P_ALPHA, P_DELTA, P_BVA, P_BINV, P_BXD, P_BE, P_PROMREF, P_PROMEL, P_FDISHARE, P_LAM, P_RDRET, P_MU, P_GAMMA,
 P_BACC, P_BPI, P_LEV, P_UPMAX, P_CROWD, P_DRIFT, P_EPSR, P_SPEED, P_ADDIT, P_CEIL, P_RDREL, P_HTMULT, P_ETAP,
 P_KAPPA, P_ETAY, P_AEEI, P_REBOUND, P_POT, P_RCOST, P_RLIFE, P_ELTREND, P_LOSS, P_LF, P_AVAIL, P_PASS, P_ZETA,
 P_ENTRY, P_BASSP, P_BASSQ, P_ERPDP, P_ERPCS, P_CLEAN0, P_NKEY, P_IMPL, P_AUDITCOST, P_ERP0, P_ERPCEIL, P_ERPLM0,
 P_INFO0, P_INFOCEIL, P_SG0, P_BR0, P_KP0, P_NB0, P_CENTRE, P_CAPCOST) = range(len(PARAMETERS))
(D_GRANTS, D_FUND, D_CREDIT, D_PROMO, D_ERPSUB, D_AUDITS, D_CAPG, D_BRANDS, D_PARKS, D_BASES, D_GIANTS, D_FDIG,
 D_FISCALG, D_BUDGETSHARE, D_WORLD, D_CNDRIFT, D_CNTFP, D_XRATE, D_PURCH, D_OTHERG, D_OUTPI,
 D_INVPI) = range(len(DRIVERS_T))
DS_LPSPEND, DS_LPDONE, DS_EFFSPEND, DS_LABOURG, DS_CNGOG, DS_RELPRICE = range(len(DRIVERS_T), len(DRIVERS_T) + len(DRIVERS_TS))
(O_VA, O_GO, O_SALES, O_K, O_INV, O_INVFDI, O_INVDOM, O_LABOUR, O_TFP, O_RD, O_RDOWN, O_RDINT, O_FSHARE, O_XD,
 O_ENERGY, O_EINT, O_EFROZEN, O_CNGO, O_RETRO) = range(len(OUTPUTS_TS))
(T_XDCN, T_FDIUSD, T_FDINOM, T_INVNOM, T_PINV, T_POUT, T_SALESNOM, T_FIRMS, T_GIANTS, T_ERP, T_ERPLM, T_INFO,
 T_CLEAN, T_AUDITS, T_ELMFG, T_ELOTHER, T_CAP, T_PEAK, T_SUPPLY, T_SHORT, T_CURT, T_LOSTVA, T_COSTEFF,
 T_COSTAUDIT, T_EFFCAP, T_INVPOWER, T_BRANDS, T_PARKS, T_BASES, T_CENTRES, T_TAXPRICE, T_COSTGRANTS, T_COSTFUND,
 T_COSTCREDIT, T_COSTPROMO, T_COSTERP, T_BUDGET) = range(len(OUTPUTS_T))

#: sector lanes of a row of the run scratch: S <= SECTOR_LANES sectors, a multiple of LANE_MULTIPLE
#: so that the vector maths (model.vecmath) takes whole rows; 16 holds the registry's 15 sectors
SECTOR_LANES = 16
LANE_MULTIPLE = 8  # a multiple of every vector width of model.vecmath (2, 4, 8)
if SECTOR_LANES % LANE_MULTIPLE:
    raise ValueError(f"SECTOR_LANES ({SECTOR_LANES}) must be a multiple of LANE_MULTIPLE ({LANE_MULTIPLE})")
# the run scratch z: rows of SECTOR_LANES numbers, flat; the names are their offsets. W_*: parameters,
# base-year ratios and carried values (W_ARG*/W_VAL*: a row's arguments and values for the vector
# maths); D_*: this year's sector drivers; Z_*: the state, last year's value until this year's replaces it
(W_ALPHA, W_KEEP, W_LAM, W_RDRET, W_MU, W_GAMMA, W_ETAP, W_KAPPA, W_ERET, W_REBOUND, W_POT, W_CENTRE, W_W, W_S2VA,
 W_G2VA, W_KBEFORE, W_RATE0, W_KF, W_RHO, W_RHO0, W_EAUTO, W_ELAUTO, W_GEXP, W_GREF, W_DOM, W_DLOGA,
 W_SAVING, W_LOGVA, W_LOGMPK0, W_LOGK, W_XSURV, W_FUND, W_FUNDCAP, W_ARG, W_VAL, W_ARG2, W_VAL2, W_INVFDI0,
 W_INVDOM0,
 D_LPSPEND, D_LPDONE, D_EFFSPEND, D_LABOURG, D_RELPRICE,
 Z_INVFDI, Z_INVDOM, Z_INV, Z_K, Z_FSHARE, Z_VA, Z_SALES, Z_RD, Z_RDOWN, Z_XD, Z_EINT, Z_ENERGY, Z_RETRO, Z_LOGL,
 Z_LOGA) = range(0, 59 * SECTOR_LANES, SECTOR_LANES)
RUN_SECTOR_ROWS = 59 * SECTOR_LANES
#: parameters read per sector and the rows they go to (alpha_k, delta_k and aeei are then made into
#: alpha_k clipped, the capital kept (1 - delta) and the intensity retention exp(-aeei) in place)
SECTOR_PARAMETERS = (P_ALPHA, P_DELTA, P_LAM, P_RDRET, P_MU, P_GAMMA, P_ETAP, P_KAPPA, P_AEEI, P_REBOUND, P_POT,
                     P_CENTRE)
SECTOR_PARAMETER_ROWS = (W_ALPHA, W_KEEP, W_LAM, W_RDRET, W_MU, W_GAMMA, W_ETAP, W_KAPPA, W_ERET, W_REBOUND, W_POT,
                         W_CENTRE)
#: the state rows stored into the outputs at the end of each year
STATE_OUTPUTS = (O_VA, O_SALES, O_K, O_INV, O_INVFDI, O_INVDOM, O_RD, O_RDOWN, O_FSHARE, O_XD, O_ENERGY, O_EINT,
                 O_RETRO)
STATE_ROWS = (Z_VA, Z_SALES, Z_K, Z_INV, Z_INVFDI, Z_INVDOM, Z_RD, Z_RDOWN, Z_FSHARE, Z_XD, Z_ENERGY, Z_EINT,
              Z_RETRO)
# year rows of the run scratch, after the sector rows: YEAR_LANES numbers a row (T <= YEAR_LANES),
# arguments and values of the vector maths of every year at once, province paths the recursion
# reads, and (from Y_DRIVERS) the run's province drivers, one row each (_yd)
YEAR_LANES = 16
(Y_ARG, Y_EXPO, Y_VAL, Y_ARG2, Y_VAL2, Y_FDIEXT, Y_TAXPRICE, Y_TAXTARGET, Y_RDX, Y_RDMULT, Y_DLNXDCN, Y_DLNTFPCN,
 Y_PSUB, Y_DRIVERS) = range(RUN_SECTOR_ROWS, RUN_SECTOR_ROWS + 14 * YEAR_LANES, YEAR_LANES)
# path rows (T, SECTOR_LANES) after the year rows: year t, sector i at PATH_* + t * SECTOR_LANES + i
PATH_ROW = YEAR_LANES * SECTOR_LANES
(PATH_LOGL, PATH_LOGA, PATH_CN, PATH_TFPLOG, PATH_TFP, PATH_LABOUR) = range(
    Y_DRIVERS + len(DRIVERS_T) * YEAR_LANES, Y_DRIVERS + len(DRIVERS_T) * YEAR_LANES + 6 * PATH_ROW, PATH_ROW)
RUN_SCRATCH = PATH_LABOUR + PATH_ROW


def _yd(j):
    """Offset of the row of province driver j (DRIVERS_T) in the run scratch (year t at + t)."""
    return Y_DRIVERS + j * YEAR_LANES


def _driver_rows(db, dm, r, z, n_t):
    """The province drivers of run r (DRIVERS_T) into their year rows of the run scratch z: one
    gather a run, after which driver j of year t is z[_yd(j) + t] (no layout lookups in the loops)."""
    for j in range(len(DRIVERS_T)):
        at, year_stride, row = dm[j, 0] + r * dm[j, 1], dm[j, 2], _yd(j)
        for t in range(n_t):
            z[row + t] = db[at + t * year_stride]


def _sector_driver(dm, j, r):
    """Where sector driver j of run r is in db: (offset of year 0 and sector 0, year stride, sector
    stride); sector i of year t is db[offset + t * year stride + i * sector stride]. Taken once a
    run, so that the loops over years and sectors read no layout."""
    return dm[j, 0] + r * dm[j, 1], dm[j, 2], dm[j, 3]


def _sum_sectors(z, row, n_s):
    """z[row] + ... + z[row + n_s - 1] in four interleaved partial sums (a short latency chain)."""
    a0, a1, a2, a3 = 0.0, 0.0, 0.0, 0.0
    i = 0
    while i + 4 <= n_s:
        a0 += z[row + i]
        a1 += z[row + i + 1]
        a2 += z[row + i + 2]
        a3 += z[row + i + 3]
        i += 4
    while i < n_s:
        a0 += z[row + i]
        i += 1
    return (a0 + a1) + (a2 + a3)


def _param_row(pb, pm, j, r, z, row, n_s):
    """Parameter j of run r for each of the n_s sectors into z[row:row + n_s]."""
    at, sector_stride = pm[j, 0] + r * pm[j, 1], pm[j, 2]
    for i in range(n_s):
        z[row + i] = pb[at + i * sector_stride]


def _par(pb, pm, j, r, i):
    """Parameter j of run r for sector i: one value per run, or per run and sector."""
    return pb[pm[j, 0] + r * pm[j, 1] + i * pm[j, 2]]


def _after0(t):
    """0 in the base year, 1 after: growth and instruments start in 2004."""
    return 0.0 if t == 0 else 1.0


def _store_year(o, t, n_s, z, ots):
    """Year t of a run: the state rows of ``z`` into its outputs (slot o of ``ots``), ln L and ln A
    into their path rows; each row a contiguous copy of S numbers."""
    for k in range(len(STATE_OUTPUTS)):
        row, out = STATE_ROWS[k], STATE_OUTPUTS[k]
        for i in range(n_s):
            ots[out, o, t, i] = z[row + i]
    for i in range(n_s):
        z[PATH_LOGL + t * SECTOR_LANES + i] = z[Z_LOGL + i]
        z[PATH_LOGA + t * SECTOR_LANES + i] = z[Z_LOGA + i]


def simulate_run(r, o, bs, bc, pb, pm, db, dm, ots, ot, z):
    """Project run r of the inputs (docs/model.md, blocks A-H) into output slot o: ots[:, o] and ot[:, o]
    (o = r, or a small reused buffer when only the run's indicators are kept).

    ``z`` (RUN_SCRATCH,) is this run's sector state, flat in rows of SECTOR_LANES numbers at
    offsets that are compile-time constants: parameters and base-year ratios (``W_*``), this year's
    drivers (``D_*``) and the state (``Z_*``), updated in place lane by lane as the years pass and
    stored into ``ots`` at the end of each year. With constant offsets the compiler sees that rows
    do not overlap and steps the sector loops in SIMD lanes (the loops over lanes compute on the
    padding too, never read back; a sum over the S sectors is taken in four interleaved partial
    sums, ``_row_sum``). exp, log, expm1, log1p and power of a row are taken at once
    (``model.vecmath``, the ``*_at`` forms on offsets into ``z``). The year rows of ``z``
    (``Y_*``, T numbers each) hold the province paths and the arguments of the powers of every
    year, taken at once; the ``PATH_*`` rows hold, by year and sector, ln L, ln A, China's output
    index, TFP and labour.
    """
    n_t = ot.shape[2]
    n_s = bs.shape[1]
    has_power = bc[C_HASPOWER] > 0.5
    # --- parameters, by sector where they may differ (patterned: province value x base pattern)
    for k in range(len(SECTOR_PARAMETERS)):
        _param_row(pb, pm, SECTOR_PARAMETERS[k], r, z, SECTOR_PARAMETER_ROWS[k], n_s)
    patterned_alpha = pm[P_ALPHA, 3] == 0 and bc[C_HASAREL] > 0.5
    patterned_delta = pm[P_DELTA, 3] == 0 and bc[C_HASDREL] > 0.5
    for i in range(n_s):
        a = z[W_ALPHA + i]
        if patterned_alpha:
            a = bs[B_AREL, i] * a
        z[W_ALPHA + i] = min(max(a, 0.05), 0.95)
        d = z[W_KEEP + i]  # delta_k until here
        if patterned_delta:
            d = bs[B_DREL, i] * d
        z[W_KEEP + i] = 1.0 - min(max(d, 0.0), 1.0)
        z[W_ERET + i] = eeq.retention_exponent(z[W_ERET + i])  # aeei until here
    beta_acc, beta_pi = _par(pb, pm, P_BACC, r, 0), _par(pb, pm, P_BPI, r, 0)
    leverage, uplift_max, crowding = _par(pb, pm, P_LEV, r, 0), _par(pb, pm, P_UPMAX, r, 0), _par(pb, pm, P_CROWD, r, 0)
    drift, eps_r, speed = _par(pb, pm, P_DRIFT, r, 0), _par(pb, pm, P_EPSR, r, 0), _par(pb, pm, P_SPEED, r, 0)
    additionality, ceiling_m = _par(pb, pm, P_ADDIT, r, 0), _par(pb, pm, P_CEIL, r, 0)
    retro_cost, retro_life = _par(pb, pm, P_RCOST, r, 0), _par(pb, pm, P_RLIFE, r, 0)
    eta_y, ht_mult = _par(pb, pm, P_ETAY, r, 0), _par(pb, pm, P_HTMULT, r, 0)
    vm.vexp_at(z, W_ERET, z, W_ERET, SECTOR_LANES)  # eeq.intensity_retention of every sector

    # --- province paths: prices, budget, instruments, FDI (block I-2); maths of year rows at once
    _driver_rows(db, dm, r, z, n_t)
    prom_ref, prom_el = _par(pb, pm, P_PROMREF, r, 0), _par(pb, pm, P_PROMEL, r, 0)
    fiscal_index = 1.0
    fdi_index = 1.0
    for t in range(n_t):
        after = _after0(t)
        if t == 0:
            ot[T_PINV, o, 0] = 1.0
            ot[T_POUT, o, 0] = 1.0
        else:
            ot[T_PINV, o, t] = eq.growth_index(ot[T_PINV, o, t - 1], z[_yd(D_INVPI) + t] * after)
            ot[T_POUT, o, t] = eq.growth_index(ot[T_POUT, o, t - 1], z[_yd(D_OUTPI) + t] * after)
            fiscal_index = eq.growth_index(fiscal_index, z[_yd(D_FISCALG) + t])
            fdi_index = eq.growth_index(fdi_index, z[_yd(D_FDIG) + t] * after)
        z[Y_FDIEXT + t] = bc[C_FDI] * fdi_index
        ot[T_BUDGET, o, t] = ins.budget_envelope(bc[C_FISCAL], fiscal_index, z[_yd(D_BUDGETSHARE) + t])
        z[Y_ARG + t] = ins.fdi_promotion_base((z[_yd(D_PROMO) + t] / ot[T_POUT, o, t]) * after, prom_ref)
        z[Y_EXPO + t] = prom_el
        z[Y_ARG2 + t] = z[_yd(D_WORLD) + t]
        z[Y_DLNTFPCN + t] = z[_yd(D_CNTFP) + t]
    vm.vpow_at(z, Y_ARG, z, Y_EXPO, z, Y_VAL, n_t)  # ins.fdi_promotion_multiple of every year
    vm.vlog1p_at(z, Y_ARG2, z, Y_VAL2, n_t)  # ln(1 + world demand growth) of eq.china_export_log_growth
    vm.vlog1p_at(z, Y_DLNTFPCN, z, Y_DLNTFPCN, n_t)  # ln(1 + China's TFP growth)
    fdi_share, n_eff = _par(pb, pm, P_FDISHARE, r, 0), dm[DS_EFFSPEND, 4]
    eff_at, eff_year, eff_sector = _sector_driver(dm, DS_EFFSPEND, r)
    xd_cn_log = 0.0
    for t in range(n_t):
        after = _after0(t)
        fdi_usd = eq.fdi_actually_used(z[Y_FDIEXT + t], z[Y_VAL + t])
        ot[T_FDIUSD, o, t] = fdi_usd
        ot[T_FDINOM, o, t] = eq.fdi_manufacturing_nominal(fdi_usd, fdi_share, z[_yd(D_XRATE) + t])
        tax_price = ins.tax_price(z[_yd(D_CREDIT) + t] * after)
        ot[T_TAXPRICE, o, t] = tax_price
        z[Y_TAXPRICE + t] = tax_price
        z[Y_EXPO + t] = eps_r
        ot[T_COSTGRANTS, o, t] = z[_yd(D_GRANTS) + t] * after
        ot[T_COSTFUND, o, t] = z[_yd(D_FUND) + t] * after
        ot[T_COSTPROMO, o, t] = z[_yd(D_PROMO) + t] * after
        ot[T_EFFCAP, o, t] = z[_yd(D_CAPG) + t] * after / POWER_CAPACITY_GROWTH_HIGH
        dln_xd_cn = eq.china_export_log_growth_by_log(eta_y, z[Y_VAL2 + t], z[_yd(D_CNDRIFT) + t])
        z[Y_DLNXDCN + t] = dln_xd_cn
        if t > 0:
            xd_cn_log += dln_xd_cn * after
        z[Y_ARG2 + t] = xd_cn_log
        spend = 0.0
        for i in range(n_eff):
            spend += db[eff_at + t * eff_year + i * eff_sector]
        ot[T_COSTEFF, o, t] = spend * after
    vm.vexp_at(z, Y_ARG2, z, Y_VAL2, n_t)  # exp of the cumulative growth of eq.china_export_delivery
    for t in range(n_t):
        ot[T_XDCN, o, t] = eq.china_export_delivery_by_factor(bc[C_XDCN], z[Y_VAL2 + t])
    vm.vpow_at(z, Y_TAXPRICE, z, Y_EXPO, z, Y_TAXTARGET, n_t)  # ins.tax_price_target of every year
    # I-3: the tax-price response adjusts partially (x[2003] = 1), the trend is not lagged:
    # ins.rd_intensity_multiple of every year in its parts (exp and expm1 of year rows)
    tax_response = 1.0
    for t in range(n_t):
        if t > 0:
            tax_response = ins.adjust_intensity(tax_response, z[Y_TAXTARGET + t], speed)
        z[Y_VAL2 + t] = tax_response
        z[Y_ARG + t] = drift * float(t)
    vm.vexp_at(z, Y_ARG, z, Y_VAL, n_t)
    room = ceiling_m - 1.0
    for t in range(n_t):
        excess = ins.rd_intensity_excess(z[Y_VAL + t], z[Y_VAL2 + t])
        z[Y_RDX + t] = excess
        z[Y_ARG + t] = -ins.saturation_exponent(excess, room)
    vm.vexpm1_at(z, Y_ARG, z, Y_VAL, n_t)
    for t in range(n_t):
        z[Y_RDMULT + t] = 1.0 + ins.saturate_by_fill(z[Y_RDX + t], room, -z[Y_VAL + t])

    # --- base-year state (t = 0); the logs of a row of sectors at once
    inv_total, sales_total, va_total = 0.0, 0.0, 0.0
    for i in range(n_s):
        inv_total += bs[B_INV, i]
        sales_total += bs[B_SALES, i]
    norm_den, rd_sales = 0.0, 0.0
    for i in range(n_s):
        mult = eq.hightech_multiple(bs[B_HT, i], ht_mult)
        norm_den += mult * bs[B_SALES, i]
    fdi_real0 = eq.deflate(ot[T_FDINOM, o, 0], ot[T_PINV, o, 0])
    for i in range(n_s):
        z[W_W + i] = bs[B_INV, i] / inv_total
        z[W_S2VA + i] = bs[B_SALES, i] / bs[B_VA, i]
        z[W_G2VA + i] = bs[B_GO, i] / bs[B_VA, i]
        mult = eq.hightech_multiple(bs[B_HT, i], ht_mult)
        rho0 = eq.rd_intensity_2003(bs[B_RD, i], bs[B_SALES, i], _par(pb, pm, P_RDREL, r, i), mult,
                                    sales_total / norm_den)
        z[W_RHO0 + i] = rho0
        z[W_RHO + i] = rho0
        rd_sales += rho0 * bs[B_SALES, i]
        inv_fdi0 = eq.fdi_funded_investment(z[W_W + i], fdi_real0)
        inv0 = bs[B_INV, i] * _par(pb, pm, P_BINV, r, i)
        inv_dom0 = eq.base_domestic_investment(inv0, inv_fdi0)
        investment0 = inv_dom0 + inv_fdi0
        capital0 = bs[B_K, i]
        z[Z_INVFDI + i] = inv_fdi0
        z[Z_INVDOM + i] = inv_dom0
        z[W_INVFDI0 + i] = inv_fdi0
        z[W_INVDOM0 + i] = inv_dom0
        z[Z_INV + i] = investment0
        z[Z_K + i] = capital0
        k_before = (capital0 - investment0) / z[W_KEEP + i]
        z[W_KBEFORE + i] = k_before
        z[W_RATE0 + i] = investment0 / k_before
        z[W_KF + i] = eq.foreign_capital_2003(capital0, inv_fdi0, investment0)
        z[Z_FSHARE + i] = eq.foreign_capital_share(z[W_KF + i], capital0)
        va0 = bs[B_VA, i] * _par(pb, pm, P_BVA, r, i)
        z[Z_VA + i] = va0
        z[Z_SALES + i] = va0 * z[W_S2VA + i]
        z[Z_LOGL + i] = bs[B_L, i]  # their logs below
        z[W_LOGVA + i] = va0
        z[W_LOGK + i] = capital0
        z[Z_RDOWN + i] = rho0 * z[Z_SALES + i]
        z[Z_RD + i] = z[Z_RDOWN + i]
        z[Z_XD + i] = bs[B_XD, i] * _par(pb, pm, P_BXD, r, i)
        intensity0 = bs[B_E, i] * _par(pb, pm, P_BE, r, i) / va0
        z[Z_EINT + i] = intensity0
        z[Z_ENERGY + i] = intensity0 * va0
        z[Z_RETRO + i] = 0.0
        z[W_EAUTO + i] = intensity0
        z[W_GEXP + i] = 0.0
        z[W_GREF + i] = 0.0
        if has_power:
            z[W_ELAUTO + i] = bs[B_EL, i] / va0
    vm.vlog_at(z, Z_LOGL, z, Z_LOGL, SECTOR_LANES)
    vm.vlog_at(z, W_LOGVA, z, W_LOGVA, SECTOR_LANES)
    vm.vlog_at(z, W_LOGK, z, W_LOGK, SECTOR_LANES)
    for i in range(n_s):
        z[W_LOGMPK0 + i] = z[W_LOGVA + i] - z[W_LOGK + i]
        z[Z_LOGA + i] = eq.log_tfp_residual(z[W_LOGVA + i], z[W_ALPHA + i], z[W_LOGK + i], z[Z_LOGL + i])
    ac_ref = eq.absorptive_capacity_2003(rd_sales, sales_total)
    _store_year(o, 0, n_s, z, ots)

    # --- power block (E, task 22): paths of other demand and capacity; the 2003 balance
    el_trend, loss, lf = _par(pb, pm, P_ELTREND, r, 0), _par(pb, pm, P_LOSS, r, 0), _par(pb, pm, P_LF, r, 0)
    avail, pass_through = _par(pb, pm, P_AVAIL, r, 0), _par(pb, pm, P_PASS, r, 0)
    capacity_cost = _par(pb, pm, P_CAPCOST, r, 0)
    el_factor = np.exp(el_trend)  # electricity intensity trend, per year
    other_index, cap_index = 1.0, 1.0
    for t in range(n_t):
        ot[T_ELMFG, o, t] = 0.0
        ot[T_PEAK, o, t] = 0.0
        ot[T_SUPPLY, o, t] = 0.0
        ot[T_SHORT, o, t] = 0.0
        ot[T_CURT, o, t] = 0.0
        ot[T_LOSTVA, o, t] = 0.0
        ot[T_ELOTHER, o, t] = 0.0
        ot[T_CAP, o, t] = 0.0
        ot[T_INVPOWER, o, t] = 0.0
        if has_power:
            if t > 0:
                other_index = eq.growth_index(other_index, z[_yd(D_OTHERG) + t])
                cap_index = eq.growth_index(cap_index, z[_yd(D_CAPG) + t])
            ot[T_ELOTHER, o, t] = bc[C_ELOTHER] * other_index
            ot[T_CAP, o, t] = bc[C_CAP] * cap_index
            if t > 0:
                ot[T_INVPOWER, o, t] = (ot[T_CAP, o, t] - ot[T_CAP, o, t - 1]) * capacity_cost / 1e4 * ot[T_PINV, o, t]
            else:
                ot[T_INVPOWER, o, t] = 0.0 * capacity_cost / 1e4 * ot[T_PINV, o, t]
    if has_power:
        d_mfg = 0.0
        for i in range(n_s):
            d_mfg += z[W_ELAUTO + i] * z[Z_VA + i]
        _power_year(o, 0, d_mfg, z[_yd(D_PURCH) + 0] * _after0(0), ot, avail, loss, lf)

    # --- the year recursion (blocks I-1, A, B, C, E, I-3, D): loops over SECTOR_LANES lanes of
    # the state rows, last year's values replaced by this year's lane by lane; sums over the n_s sectors
    lp_at, lp_year, lp_sector = _sector_driver(dm, DS_LPSPEND, r)
    done_at, done_year, done_sector = _sector_driver(dm, DS_LPDONE, r)
    labour_at, labour_year, labour_sector = _sector_driver(dm, DS_LABOURG, r)
    price_at, price_year, price_sector = _sector_driver(dm, DS_RELPRICE, r)
    for t in range(1, n_t):
        for i in range(n_s):  # the year's sector drivers
            z[D_LPSPEND + i] = db[lp_at + t * lp_year + i * lp_sector]
            z[D_LPDONE + i] = db[done_at + t * done_year + i * done_sector]
            z[D_EFFSPEND + i] = db[eff_at + t * eff_year + i * eff_sector]
            z[D_LABOURG + i] = db[labour_at + t * labour_year + i * labour_sector]
            z[D_RELPRICE + i] = db[price_at + t * price_year + i * price_sector]
        grants_real = eq.deflate(z[_yd(D_GRANTS) + t], ot[T_PINV, o, t])
        fund_real = eq.deflate(z[_yd(D_FUND) + t], ot[T_POUT, o, t])
        fdi_real = eq.deflate(ot[T_FDINOM, o, t], ot[T_PINV, o, t])
        inv_price_t = ot[T_PINV, o, t]
        rd_multiple = z[Y_RDMULT + t]  # ins.rd_intensity_multiple, every year at once above
        dln_xd_china = z[Y_DLNXDCN + t]  # eq.china_export_log_growth
        dln_tfp_china_t = z[Y_DLNTFPCN + t]
        # I-1 investment: accelerator + profitability, renovation grants, FDI crowding-out
        for i in range(SECTOR_LANES):  # ins.profitability_factor from ln MPK[t-1] = ln VA[t-1] - ln K[t-1]
            z[W_ARG + i] = ins.profitability_exponent(z[W_LOGVA + i] - z[W_LOGK + i] - z[W_LOGMPK0 + i], beta_pi)
        vm.vexp_at(z, W_ARG, z, W_VAL, SECTOR_LANES)
        for i in range(SECTOR_LANES):
            z[W_DOM + i] = ins.accelerator_investment(
                z[W_INVDOM0 + i], z[Z_K + i], z[W_KBEFORE + i], z[W_GEXP + i], z[W_GREF + i],
                z[W_RATE0 + i], beta_acc, z[W_VAL + i])
        dom_total = _sum_sectors(z, W_DOM, n_s)
        uplift = ins.renovation_uplift(grants_real, dom_total, leverage, uplift_max)
        for i in range(SECTOR_LANES):
            dom = z[W_DOM + i] * (1.0 + uplift)
            inv_fdi = eq.fdi_funded_investment(z[W_W + i], fdi_real)
            inv_dom = ins.crowd_out(dom, inv_fdi, z[W_INVFDI0 + i], crowding)
            z[Z_INVFDI + i] = inv_fdi
            z[Z_INVDOM + i] = inv_dom
            z[Z_INV + i] = eq.total_investment(inv_dom, inv_fdi, z[D_LPSPEND + i])
            capital = eq.perpetual_inventory(z[W_KEEP + i], z[Z_K + i], inv_dom + inv_fdi + z[D_LPDONE + i])
            z[Z_K + i] = capital
            kf = eq.perpetual_inventory(z[W_KEEP + i], z[W_KF + i], inv_fdi)
            z[W_KF + i] = kf
            fshare = eq.foreign_capital_share(kf, capital)
            # C: TFP, rate-of-return form on last year's R&D, FDI spillover x absorptive capacity
            dlog_a = eq.tfp_log_growth(
                z[W_LAM + i], z[W_RDRET + i], z[Z_RD + i], z[Z_VA + i], z[W_GAMMA + i],
                fshare - z[Z_FSHARE + i], z[W_MU + i], eq.absorptive_gap(z[W_RHO + i], ac_ref))
            z[Z_FSHARE + i] = fshare
            z[W_DLOGA + i] = dlog_a
            z[Z_LOGA + i] = z[Z_LOGA + i] + dlog_a
            z[W_ARG + i] = capital
            z[W_ARG2 + i] = z[D_LABOURG + i]
        vm.vlog_at(z, W_ARG, z, W_LOGK, SECTOR_LANES)
        vm.vlog1p_at(z, W_ARG2, z, W_VAL2, SECTOR_LANES)  # eq.log_growth of labour
        for i in range(SECTOR_LANES):
            # A: value added = A K^alpha L^(1-alpha), in logs
            log_labour = eq.log_labour(z[Z_LOGL + i], z[W_VAL2 + i])
            z[Z_LOGL + i] = log_labour
            z[W_ARG + i] = eq.log_value_added(z[Z_LOGA + i], z[W_ALPHA + i], z[W_LOGK + i], log_labour)
        vm.vexp_at(z, W_ARG, z, W_VAL, SECTOR_LANES)
        for i in range(SECTOR_LANES):
            va = z[W_VAL + i]
            z[Z_VA + i] = va
            # E: retrofit stock on the autonomous trend (eeq.retrofit_step in its parts)
            e_auto = eeq.autonomous_intensity(z[W_EAUTO + i], z[W_ERET + i])
            z[W_EAUTO + i] = e_auto
            x_surv = eeq.retrofit_survivors(z[Z_RETRO + i], retro_life)
            z[W_XSURV + i] = x_surv
            z[W_ARG + i] = -eeq.retrofit_exponent(
                x_surv, eq.deflate(z[D_EFFSPEND + i], inv_price_t), z[W_POT + i] * e_auto * va, retro_cost)
        vm.vexpm1_at(z, W_ARG, z, W_VAL, SECTOR_LANES)
        for i in range(SECTOR_LANES):
            retrofit = eeq.retrofit_by_fill(z[W_XSURV + i], -z[W_VAL + i])
            z[Z_RETRO + i] = retrofit
            saving = eeq.retrofit_intensity(1.0, retrofit, z[W_POT + i], z[W_REBOUND + i])
            z[W_SAVING + i] = saving
            z[Z_EINT + i] = z[W_EAUTO + i] * saving
        # E, task 22: electricity demand, peak balance, rationing curtails value added
        if has_power:
            for i in range(SECTOR_LANES):
                z[W_ELAUTO + i] = z[W_ELAUTO + i] * el_factor
                z[W_ARG2 + i] = z[W_ELAUTO + i] * z[W_SAVING + i] * z[Z_VA + i]
            d_mfg = _sum_sectors(z, W_ARG2, n_s)
            kappa_t = _power_year(o, t, d_mfg, z[_yd(D_PURCH) + t] * _after0(t), ot, avail, loss, lf)
            potential_va = _sum_sectors(z, Z_VA, n_s)
            for i in range(SECTOR_LANES):
                z[Z_VA + i] = eeq.curtail(z[Z_VA + i], kappa_t, pass_through)
            va_total = _sum_sectors(z, Z_VA, n_s)
            ot[T_LOSTVA, o, t] = potential_va - va_total
        for i in range(SECTOR_LANES):
            z[W_ARG + i] = z[Z_VA + i]
        vm.vlog_at(z, W_ARG, z, W_VAL, SECTOR_LANES)
        for i in range(SECTOR_LANES):
            log_value_added = z[W_VAL + i]
            g = log_value_added - z[W_LOGVA + i]  # after any curtailment
            z[W_LOGVA + i] = log_value_added
            z[W_GEXP + i] = g
            if t == 1:
                z[W_GREF + i] = g  # the growth firms were investing for
            z[Z_SALES + i] = eq.fixed_ratio(z[Z_VA + i], z[W_S2VA + i])
        sales_total = _sum_sectors(z, Z_SALES, n_s)
        # I-3 R&D: own intensity = 2003 intensity x multiple; the fund adds with additionality
        for i in range(SECTOR_LANES):
            rho = z[W_RHO0 + i] * rd_multiple
            z[W_RHO + i] = rho
            rd_own = eq.own_rd(rho, z[Z_SALES + i])
            z[Z_RDOWN + i] = rd_own
            fund_i = eq.fund_by_sales(fund_real, z[Z_SALES + i], sales_total)
            cap = ins.fund_absorption_cap(rd_own)
            z[W_FUND + i] = fund_i
            z[W_FUNDCAP + i] = cap
            z[W_ARG + i] = -ins.saturation_exponent(fund_i, cap)
            z[W_ARG2 + i] = z[D_RELPRICE + i]
        vm.vexpm1_at(z, W_ARG, z, W_VAL, SECTOR_LANES)
        vm.vlog1p_at(z, W_ARG2, z, W_VAL2, SECTOR_LANES)  # eq.relative_price_log_change
        for i in range(SECTOR_LANES):
            # ins.fund_induced_rd in its parts: theta saturate(F_i, own R&D)
            z[Z_RD + i] = z[Z_RDOWN + i] + additionality * ins.saturate_by_fill(
                z[W_FUND + i], z[W_FUNDCAP + i], -z[W_VAL + i])
            # D: export delivery relative to China's, capped at sales
            z[W_ARG + i] = eq.export_delivery_log_growth(
                dln_xd_china, z[W_ETAP + i], z[W_VAL2 + i], z[W_KAPPA + i], z[W_DLOGA + i], dln_tfp_china_t)
        vm.vexp_at(z, W_ARG, z, W_VAL, SECTOR_LANES)
        for i in range(SECTOR_LANES):
            z[Z_XD + i] = eq.export_delivery_by_factor(z[Z_XD + i], z[W_VAL + i], z[Z_SALES + i])
            # E: energy use at the year's intensity and (curtailed) value added
            z[Z_ENERGY + i] = eq.energy_use(z[Z_EINT + i], z[Z_VA + i])
        _store_year(o, t, n_s, z, ots)

    # --- derived sector paths, province totals and the counters (F, G, H)
    zeta = _par(pb, pm, P_ZETA, r, 0)
    n0 = eq.firms_above_threshold_from_anchor(bc[C_ANCHOR], _par(pb, pm, P_ENTRY, r, 0), zeta, FIRM_SIZE_THRESHOLD_100M_YUAN)
    p, q = _par(pb, pm, P_BASSP, r, 0), _par(pb, pm, P_BASSQ, r, 0)
    erp = min(max(_par(pb, pm, P_ERP0, r, 0), 0.0), 1.0)
    erp_lm = min(max(_par(pb, pm, P_ERPLM0, r, 0), 0.0), 1.0)
    info = min(max(_par(pb, pm, P_INFO0, r, 0), 0.0), 1.0)
    clean = min(max(_par(pb, pm, P_CLEAN0, r, 0), 0.0), 1.0)
    giants, brands, parks, bases = 0.0, 0.0, 0.0, 0.0
    erp_ceiling, info_ceiling = _par(pb, pm, P_ERPCEIL, r, 0), _par(pb, pm, P_INFOCEIL, r, 0)
    n_key, implementation, audit_cost = _par(pb, pm, P_NKEY, r, 0), _par(pb, pm, P_IMPL, r, 0), _par(pb, pm, P_AUDITCOST, r, 0)
    giants0, brands0 = _par(pb, pm, P_SG0, r, 0), _par(pb, pm, P_BR0, r, 0)
    parks0, bases0 = _par(pb, pm, P_KP0, r, 0), _par(pb, pm, P_NB0, r, 0)
    cn_at, cn_year, cn_sector = _sector_driver(dm, DS_CNGOG, r)
    # G: the informatization subsidy raises the innovation coefficient (task 10): ins.bass_subsidy_p
    # of every year in its parts (expm1 of a year row)
    max_dp, cost_scale = _par(pb, pm, P_ERPDP, r, 0), _par(pb, pm, P_ERPCS, r, 0)
    for t in range(n_t):
        z[Y_ARG + t] = -ins.bass_subsidy_exponent(z[_yd(D_ERPSUB) + t] * _after0(t), cost_scale)
    vm.vexpm1_at(z, Y_ARG, z, Y_VAL, n_t)
    for t in range(n_t):
        z[Y_PSUB + t] = ins.bass_subsidy_p_by_fill(p, max_dp, -z[Y_VAL + t])
    sales_2003 = 0.0
    for i in range(n_s):
        sales_2003 += ots[O_SALES, o, 0, i]
    # labour and the TFP index of every year: exp of the (T, SECTOR_LANES) paths, flat, at once
    for t in range(n_t):
        for i in range(n_s):
            z[PATH_TFPLOG + t * SECTOR_LANES + i] = z[PATH_LOGA + t * SECTOR_LANES + i] - z[PATH_LOGA + i]
    vm.vexp_at(z, PATH_TFPLOG, z, PATH_TFP, n_t * SECTOR_LANES)
    vm.vexp_at(z, PATH_LOGL, z, PATH_LABOUR, n_t * SECTOR_LANES)
    for t in range(n_t):
        after = _after0(t)
        inv_sum, sales_sum, rd_own_sum, centres = 0.0, 0.0, 0.0, 0.0
        for i in range(n_s):
            if t > 0:
                z[PATH_CN + t * SECTOR_LANES + i] = eq.growth_index(
                    z[PATH_CN + (t - 1) * SECTOR_LANES + i], db[cn_at + t * cn_year + i * cn_sector] * after)
            else:
                z[PATH_CN + t * SECTOR_LANES + i] = 1.0
            va = ots[O_VA, o, t, i]
            go = eq.fixed_ratio(va, z[W_G2VA + i])
            cn_go = bs[B_CNGO, i] * z[PATH_CN + t * SECTOR_LANES + i]
            ots[O_GO, o, t, i] = go
            ots[O_CNGO, o, t, i] = cn_go
            ots[O_EFROZEN, o, t, i] = eq.energy_use(ots[O_EINT, o, 0, i], va)
            ots[O_LABOUR, o, t, i] = z[PATH_LABOUR + t * SECTOR_LANES + i]
            ots[O_TFP, o, t, i] = z[PATH_TFP + t * SECTOR_LANES + i]
            ots[O_RDINT, o, t, i] = ots[O_RD, o, t, i] / ots[O_SALES, o, t, i]
            centres += eq.national_centre(go, cn_go, z[W_CENTRE + i])
            inv_sum += ots[O_INV, o, t, i]
            sales_sum += ots[O_SALES, o, t, i]
            rd_own_sum += ots[O_RDOWN, o, t, i]
        ot[T_CENTRES, o, t] = centres
        ot[T_INVNOM, o, t] = inv_sum * ot[T_PINV, o, t]
        ot[T_SALESNOM, o, t] = sales_sum * ot[T_POUT, o, t]
        z[Y_ARG + t] = eq.top_tail_growth(sales_sum, sales_2003, ot[T_POUT, o, t])
        z[Y_EXPO + t] = zeta
        ot[T_COSTCREDIT, o, t] = z[_yd(D_CREDIT) + t] * after * rd_own_sum * ot[T_POUT, o, t]
        # G: diffusion
        subsidy = z[_yd(D_ERPSUB) + t] * after
        if t > 0:
            erp_prev = erp
            erp = ins.bass_ceiling(erp, z[Y_PSUB + t], q, erp_ceiling)
            erp_lm = ins.bass_ceiling(erp_lm, z[Y_PSUB + t], q, erp_ceiling)
            info = ins.bass_ceiling(info, z[Y_PSUB + t], q, info_ceiling)
            ot[T_COSTERP, o, t] = ins.erp_subsidy_cost(subsidy, erp, erp_prev, bc[C_FIRMS])
            clean, done = eeq.clean_production_step(clean, z[_yd(D_AUDITS) + t], n_key, implementation, p, q)
        else:
            ot[T_COSTERP, o, t] = ins.erp_subsidy_cost(subsidy, erp, erp, bc[C_FIRMS])
            done = 0.0
        ot[T_ERP, o, t] = erp
        ot[T_ERPLM, o, t] = erp_lm
        ot[T_INFO, o, t] = info
        ot[T_CLEAN, o, t] = clean
        ot[T_AUDITS, o, t] = done
        ot[T_COSTAUDIT, o, t] = done * audit_cost / 1e4
        # counters: designations add up (small giants, brands, key parks, national bases)
        giants += z[_yd(D_GIANTS) + t] * after
        brands += z[_yd(D_BRANDS) + t] * after
        parks += z[_yd(D_PARKS) + t] * after
        bases += z[_yd(D_BASES) + t] * after
        ot[T_GIANTS, o, t] = eq.designation_count(giants0, giants)
        ot[T_BRANDS, o, t] = eq.designation_count(brands0, brands)
        ot[T_PARKS, o, t] = eq.designation_count(parks0, parks)
        ot[T_BASES, o, t] = eq.designation_count(bases0, bases)
    vm.vpow_at(z, Y_ARG, z, Y_EXPO, z, Y_VAL, n_t)  # the growth factor G^zeta of eq.firms_over_threshold, every year
    for t in range(n_t):
        ot[T_FIRMS, o, t] = eq.firms_over_threshold_by_factor(n0, z[Y_VAL + t])


def _power_year(o, t, d_mfg, purchases, ot, avail, loss, lf):
    """Block E, task 22: peak balance of year t (outputs in slot o) from this year's manufacturing
    demand and power purchases; returns kappa."""
    capacity = ot[T_CAP, o, t]
    peak, supply, short, _unserved, kappa = eeq.power_balance(
        d_mfg, ot[T_ELOTHER, o, t], capacity, purchases, avail, loss, lf)
    ot[T_ELMFG, o, t] = d_mfg
    ot[T_PEAK, o, t] = peak
    ot[T_SUPPLY, o, t] = supply
    ot[T_SHORT, o, t] = short
    ot[T_CURT, o, t] = kappa
    return kappa


def scratch(n_s, n_t):
    """The run scratch ``z`` of simulate_run for S = ``n_s`` sectors and T = ``n_t`` years."""
    if n_s > SECTOR_LANES:
        raise ValueError("the compiled core takes at most SECTOR_LANES (16) sectors")
    if n_t > YEAR_LANES:
        raise ValueError("the compiled core takes at most YEAR_LANES (16) years")
    return np.zeros(RUN_SCRATCH)  # padding lanes are computed on but never read back


def _block(start, stop, bs, bc, pb, pm, db, dm, ots, ot):
    z = scratch(bs.shape[1], ot.shape[2])
    for r in range(start, stop):
        simulate_run(r, r, bs, bc, pb, pm, db, dm, ots, ot, z)


def simulate_serial(bs, bc, pb, pm, db, dm, ots, ot):
    """Every run of the block, one after the other."""
    _block(0, ot.shape[1], bs, bc, pb, pm, db, dm, ots, ot)


def simulate_parallel(bs, bc, pb, pm, db, dm, ots, ot, chunk):
    """Every run of the block, ``chunk`` runs per task spread over numba's threads."""
    n_r = ot.shape[1]
    n_chunks = (n_r + chunk - 1) // chunk
    for c in prange(n_chunks):
        _block(c * chunk, min((c + 1) * chunk, n_r), bs, bc, pb, pm, db, dm, ots, ot)


# Compiled by assignment, not by decorators, so that mutmut (which skips decorated functions)
# mutates these loops too; tools/mutation.sh runs them as Python (NUMBA_DISABLE_JIT=1).
_driver_rows = inline(_driver_rows)
_yd = jit(_yd)
_sector_driver = jit(_sector_driver)
_sum_sectors = inline(_sum_sectors)
_param_row = inline(_param_row)
_par = jit(_par)
_after0 = jit(_after0)
_store_year = inline(_store_year)
simulate_run = jit(simulate_run)
_power_year = inline(_power_year)
scratch = jit(scratch)
_block = jit(_block)
simulate_serial = jit(simulate_serial)
simulate_parallel = numba.njit(cache=True, parallel=True, error_model="numpy")(simulate_parallel)


_PARAM_META: dict = {}
_DRIVER_META: dict = {}
_GET_PARAMETERS = operator.itemgetter(*PARAMETERS)
_GET_DRIVERS = operator.itemgetter(*DRIVERS_T, *DRIVERS_TS)


def _arrays_and_shapes(inputs, get: operator.itemgetter, kind: str) -> tuple[tuple, tuple]:
    """The arrays ``get(inputs)`` (as numpy arrays) and their shapes; a missing name is refused.

    ``get`` is the itemgetter of the names (one C call for all of them, 2x cheaper than a loop).
    """
    try:
        arrays = get(inputs)
    except KeyError as exc:
        raise ValueError(f"{kind} {exc.args[0]!r} missing from the core's inputs") from None
    try:
        shapes = tuple([a.shape for a in arrays])
    except AttributeError:  # not all numpy arrays
        arrays = tuple([np.asarray(a) for a in arrays])
        shapes = tuple([a.shape for a in arrays])
    return arrays, shapes


_F64 = np.dtype(np.float64)
_DTYPE = operator.attrgetter("dtype")


def _flat(arrays: tuple) -> np.ndarray:
    """The values of ``arrays`` one after the other in one new float64 vector (unit: theirs).

    Float64 C-contiguous arrays are joined byte for byte through their buffers (``bytearray.join``,
    about 3x cheaper than ``np.concatenate`` for 59 one-value arrays, bit for bit the same values);
    any other array (integers, strided or broadcast views) goes through ``np.concatenate``, which
    casts and copies element by element.
    """
    if list(map(_DTYPE, arrays)).count(_F64) == len(arrays):
        try:
            return np.frombuffer(bytearray().join(arrays), dtype=np.float64)
        except TypeError:  # a view that is not C-contiguous has no plain buffer
            pass
    return np.concatenate(arrays, axis=None, dtype=np.float64)


def pack_parameters(params, n_runs: int, n_sectors: int) -> tuple[np.ndarray, np.ndarray]:
    """PARAMETERS of ``params`` (each (R,) or (R, S)) flat in one array, and their layout ``pm``."""
    arrays, shapes = _arrays_and_shapes(params, _GET_PARAMETERS, "parameter")
    key = (shapes, n_runs, n_sectors)
    meta = _PARAM_META.get(key)
    if meta is None:
        meta = np.zeros((len(PARAMETERS), 4), dtype=np.int64)
        offset = 0
        for j, (name, shape) in enumerate(zip(PARAMETERS, shapes, strict=True)):
            if shape == (n_runs,):
                meta[j] = (offset, 1, 0, 0)
            elif shape == (n_runs, n_sectors):
                meta[j] = (offset, n_sectors, 1, 1)
            else:
                raise ValueError(f"parameter {name!r}: shape {shape}; the core takes ({n_runs},) or "
                                 f"({n_runs}, {n_sectors})")
            offset += int(np.prod(shape))
        if len(_PARAM_META) > 64:
            _PARAM_META.clear()
        _PARAM_META[key] = meta
    return _flat(arrays), meta


def pack_drivers(drivers, n_runs: int, n_sectors: int, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """DRIVERS_T ((1 | R, T)) and DRIVERS_TS ((1 | R, T) or (1 | R, T, 1 | S)) flat, and their layout."""
    arrays, shapes = _arrays_and_shapes(drivers, _GET_DRIVERS, "driver")
    key = (shapes, n_runs, n_sectors, n_years)
    meta = _DRIVER_META.get(key)
    if meta is None:
        names = DRIVERS_T + DRIVERS_TS
        meta = np.zeros((len(names), 5), dtype=np.int64)
        offset = 0
        for j, (name, shape) in enumerate(zip(names, shapes, strict=True)):
            sector = j >= len(DRIVERS_T)
            ok = len(shape) in ((2, 3) if sector else (2,)) and shape[0] in (1, n_runs) and shape[1] == n_years
            if ok and len(shape) == 3:
                ok = shape[2] in (1, n_sectors)
            if not ok:
                allowed = (f"(1 | {n_runs}, {n_years}) or (1 | {n_runs}, {n_years}, 1 | {n_sectors})" if sector
                           else f"(1 | {n_runs}, {n_years})")
                raise ValueError(f"driver {name!r}: shape {shape}; the core takes {allowed}")
            s = shape[2] if len(shape) == 3 else 1
            run_stride = n_years * s if shape[0] > 1 else 0
            meta[j] = (offset, run_stride, s, 1 if s > 1 else 0, s)
            offset += int(np.prod(shape))
        if len(_DRIVER_META) > 64:
            _DRIVER_META.clear()
        _DRIVER_META[key] = meta
    return _flat(arrays), meta


def compile_seconds() -> float:
    """Time to make the kernel callable (compile or load from cache) on two tiny runs, seconds."""
    t0 = time.perf_counter()
    warm_up()
    return time.perf_counter() - t0


def warm_up() -> None:
    """Compile (or load from the cache) both kernel variants for the standard argument types."""
    s, t = 2, 8
    bs = np.ones((len(BASE_SECTOR), s))
    bc = np.zeros(len(BASE_SCALAR))
    pb, pm = pack_parameters({name: np.full(1, 0.5) for name in PARAMETERS}, 1, s)
    db, dm = pack_drivers({name: np.zeros((1, t)) for name in DRIVERS_T + DRIVERS_TS}, 1, s, t)
    ots = np.empty((len(OUTPUTS_TS), 1, t, s))
    ot = np.empty((len(OUTPUTS_T), 1, t))
    simulate_serial(bs, bc, pb, pm, db, dm, ots, ot)
    simulate_parallel(bs, bc, pb, pm, db, dm, ots, ot, 1)
