"""Plan indicators, each computed as numerator / denominator from a Projection.

Definition switches (MODEL.md §3) select between readings where the statistics are ambiguous:

- ``rd_definition``: ``strict`` (R&D经费) or ``st_activities`` (科技活动经费 = R&D x the national
  large & medium firms' S&T-to-R&D ratio).
- ``fdi_reading``: ``c`` (manufacturing FDI actually used x exchange rate / manufacturing fixed
  investment, both nominal) or ``a`` (investment funded by foreign capital / investment: the
  national funding-source share, scaled by ``fdi_funding_relative``, moving with reading c).
  Reading ``b`` (investment of foreign-invested enterprises) needs data we do not have.
- ``erp_denominator``: ``above_size`` (all above-size enterprises) or ``large_medium``.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass

import numba
import numpy as np
from numba.extending import register_jitable

from model import core
from model import kernel as k
from model.core import Projection

SWITCHES: dict[str, tuple[str, ...]] = {
    "rd_definition": ("strict", "st_activities"),
    "fdi_reading": ("c", "a"),
    "erp_denominator": ("above_size", "large_medium"),
}
# Indicators whose value depends on each switch (reported side by side on the scorecard).
SWITCH_INDICATORS: dict[str, tuple[str, ...]] = {
    "rd_definition": ("rd_sales_ratio", "rd_sales_ratio_hightech"),
    "fdi_reading": ("fdi_share",),
    "erp_denominator": ("erp_share",),
}
DEFAULT_SWITCHES = {"rd_definition": "strict", "fdi_reading": "c", "erp_denominator": "above_size"}


@dataclass(frozen=True)
class IndicatorInfo:
    unit: str
    label_en: str
    label_zh: str
    numerator_en: str
    denominator_en: str


INDICATORS: dict[str, IndicatorInfo] = {
    "rd_sales_ratio": IndicatorInfo("ratio", "Manufacturing R&D / sales", "制造业研发投入占销售收入比重", "R&D expenditure (100m yuan)", "sales revenue (100m yuan)"),
    "rd_sales_ratio_hightech": IndicatorInfo("ratio", "High-tech R&D / sales", "高技术产业研发投入占销售收入比重", "high-tech R&D (100m yuan)", "high-tech sales (100m yuan)"),
    "xd_share_china": IndicatorInfo("ratio", "Export delivery value, share of China", "出口交货值占全国比重", "Zhejiang export delivery value (100m yuan)", "China export delivery value (100m yuan)"),
    "fdi_share": IndicatorInfo("ratio", "FDI share of manufacturing investment", "制造业直接利用外资占总投入比重", "manufacturing FDI (100m yuan, nominal)", "manufacturing investment (100m yuan, nominal)"),
    "firms_over_10bn": IndicatorInfo("count", "Firms with sales > 10 bn yuan", "销售收入超100亿元企业数", "firms", "1"),
    "small_giants": IndicatorInfo("count", '"Small giant" enterprises', '"小型巨人"企业数', "firms", "1"),
    "energy_intensity": IndicatorInfo("tce_per_10k_yuan", "Energy per 10k yuan manufacturing value added (2003 prices)", "万元制造业增加值能耗(2003年价)", "energy (10k tce)", "value added (100m yuan)"),
    "power_curtailment": IndicatorInfo("ratio", "Manufacturing electricity not served (rationing)", "制造业缺电(有序用电)比例", "unserved manufacturing electricity (100m kWh)", "manufacturing electricity demand (100m kWh)"),
    "energy_intensity_change": IndicatorInfo("ratio", "Change in energy per unit of value added since 2003", "万元增加值能耗较2003年变化", "energy per value added minus its 2003 level (tce per 10k yuan)", "2003 energy per value added (tce per 10k yuan)"),
    "clean_production": IndicatorInfo("ratio", "Key polluters on clean production", "重点污染企业实施清洁生产比例", "firms on clean production (share)", "key polluting firms (share)"),
    "erp_share": IndicatorInfo("ratio", "Enterprises with ERP-based systems", "推进ERP的企业比例", "adopters (share)", "enterprises (share)"),
    "informatized_large_medium": IndicatorInfo("ratio", "Informatized large & medium enterprises", "基本实现信息化的大中型企业比例", "informatized (share)", "large & medium enterprises (share)"),
    "key_parks": IndicatorInfo("count", "Key industrial parks", "重点工业园区数", "parks", "1"),
    "brands": IndicatorInfo("count", "Well-known brand products", "名牌产品数", "brands", "1"),
    "national_centres": IndicatorInfo("count", "National manufacturing centres", "全国性制造中心数", "sectors above the national-share threshold", "1"),
    "national_bases": IndicatorInfo("count", "National industrial bases", "全国重要产业基地数", "bases", "1"),
    "hightech_output_share": IndicatorInfo("ratio", "High-tech share of manufacturing output", "高技术产业产值比重", "high-tech gross output (100m yuan)", "gross output (100m yuan)"),
    "manufacturing_value_added": IndicatorInfo("100m_yuan_2003", "Manufacturing value added (2003 prices)", "制造业增加值(2003年价)", "value added (100m yuan)", "1"),
}


@dataclass(frozen=True)
class Indicator:
    """numerator / denominator, each (R, T) (units: ``INDICATORS[name]``).

    ``compute`` builds them with ``_of_block``: the two arrays are views of its output block,
    made on first read.
    """

    numerator: np.ndarray
    denominator: np.ndarray

    def __getattr__(self, name: str) -> np.ndarray:
        """numerator or denominator of an indicator built by ``_of_block``: both made on the
        first read and kept (Python calls this only for attributes not yet in the instance)."""
        row = self.__dict__.get("_row")
        if row is None or name not in _FIELDS:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        block, i = row
        self.__dict__.update(numerator=block[0, i], denominator=block[1, i])
        return self.__dict__[name]

    def __reduce__(self):
        """Pickled and copied as ``Indicator(numerator, denominator)``, without compute's block."""
        return type(self), (self.numerator, self.denominator)

    @property
    def value(self) -> np.ndarray:
        return self.numerator / self.denominator


_FIELDS = ("numerator", "denominator")


def check_switches(switches: Mapping[str, str]) -> dict[str, str]:
    out = dict(DEFAULT_SWITCHES)
    for key, val in switches.items():
        if key not in SWITCHES:
            raise ValueError(f"unknown definition switch {key!r}; allowed: {', '.join(SWITCHES)}")
        if val not in SWITCHES[key]:
            raise ValueError(f"switch {key}={val!r}; allowed: {', '.join(SWITCHES[key])}")
        out[key] = val
    return out


NAMES = tuple(INDICATORS)
(I_RD, I_RD_HT, I_XD, I_FDI, I_FIRMS, I_GIANTS, I_EI, I_CURT, I_EI_CHANGE, I_CLEAN, I_ERP, I_INFO, I_PARKS, I_BRANDS,
 I_CENTRES, I_BASES, I_HT_OUTPUT, I_VA) = range(len(NAMES))


def indicator_paths(rd, sales, xd, energy, va, go, xd_china, fdi_nominal, investment_nominal, firms, giants,
                    curtailment, electricity_mfg, clean, erp, informatized, parks, brands, centres, bases,
                    high_tech, rd_scale, fdi_a0, fdi_reading_a, num, den):
    """Numerator and denominator of every indicator of one run, by year (``num``, ``den`` (NI, T)).

    Sector paths (T, S): R&D, sales, export delivery, energy, value added, gross output
    (100m_yuan_2003, energy 10k_tce); province paths (T,) as named in VARIABLES; ``high_tech``
    (S,) 1 for high-tech sectors; ``rd_scale`` 1 (strict R&D) or the S&T-to-R&D ratio;
    ``fdi_a0`` the 2003 reading-a share (used when ``fdi_reading_a``); ``erp`` the adoption path
    of the denominator the ``erp_denominator`` switch picks. Ratios to a count are x / 1.
    """
    n_t, n_s = rd.shape
    fdi_c0 = fdi_nominal[0] / investment_nominal[0]
    ei0 = 0.0
    for t in range(n_t):
        rd_all, rd_ht, sales_all, sales_ht, xd_all, e_all, va_all, go_all, go_ht = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
        for i in range(n_s):
            rd_all += rd[t, i]
            sales_all += sales[t, i]
            xd_all += xd[t, i]
            e_all += energy[t, i]
            va_all += va[t, i]
            go_all += go[t, i]
            if high_tech[i] > 0.5:
                rd_ht += rd[t, i]
                sales_ht += sales[t, i]
                go_ht += go[t, i]
        num[I_RD, t], den[I_RD, t] = rd_scale * rd_all, sales_all
        num[I_RD_HT, t], den[I_RD_HT, t] = rd_scale * rd_ht, sales_ht
        num[I_XD, t], den[I_XD, t] = xd_all, xd_china[t]
        if fdi_reading_a:  # reading a: national funding-source share, moving with reading c
            c = fdi_nominal[t] / investment_nominal[t]
            num[I_FDI, t] = fdi_a0 * c / fdi_c0 * investment_nominal[t]
        else:
            num[I_FDI, t] = fdi_nominal[t]
        den[I_FDI, t] = investment_nominal[t]
        num[I_FIRMS, t], den[I_FIRMS, t] = firms[t], 1.0
        num[I_GIANTS, t], den[I_GIANTS, t] = giants[t], 1.0
        num[I_EI, t], den[I_EI, t] = e_all, va_all
        # no power block (tiny test bases): 0 / 1
        num[I_CURT, t] = curtailment[t] * electricity_mfg[t]
        den[I_CURT, t] = electricity_mfg[t] if electricity_mfg[t] > 0 else 1.0
        ei = e_all / va_all
        if t == 0:
            ei0 = ei
        num[I_EI_CHANGE, t], den[I_EI_CHANGE, t] = ei - ei0, ei0
        num[I_CLEAN, t], den[I_CLEAN, t] = clean[t], 1.0
        num[I_ERP, t], den[I_ERP, t] = erp[t], 1.0
        num[I_INFO, t], den[I_INFO, t] = informatized[t], 1.0
        num[I_PARKS, t], den[I_PARKS, t] = parks[t], 1.0
        num[I_BRANDS, t], den[I_BRANDS, t] = brands[t], 1.0
        num[I_CENTRES, t], den[I_CENTRES, t] = centres[t], 1.0
        num[I_BASES, t], den[I_BASES, t] = bases[t], 1.0
        num[I_HT_OUTPUT, t], den[I_HT_OUTPUT, t] = go_ht, go_all
        num[I_VA, t], den[I_VA, t] = va_all, 1.0


register_jitable(error_model="numpy")(indicator_paths)


def _indicators_of_run(r, o, ots, ot, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium, out):
    """indicator_paths of run r, whose outputs are in slot o of the kernel's output blocks, into
    ``out[:, :, r]`` (out: (2, NI, R, T))."""
    erp_row = k.T_ERPLM if erp_large_medium else k.T_ERP
    indicator_paths(
        ots[k.O_RD, o], ots[k.O_SALES, o], ots[k.O_XD, o], ots[k.O_ENERGY, o], ots[k.O_VA, o], ots[k.O_GO, o],
        ot[k.T_XDCN, o], ot[k.T_FDINOM, o], ot[k.T_INVNOM, o], ot[k.T_FIRMS, o], ot[k.T_GIANTS, o],
        ot[k.T_CURT, o], ot[k.T_ELMFG, o], ot[k.T_CLEAN, o], ot[erp_row, o], ot[k.T_INFO, o], ot[k.T_PARKS, o],
        ot[k.T_BRANDS, o], ot[k.T_CENTRES, o], ot[k.T_BASES, o], high_tech, rd_scale, fdi_a0[r], fdi_reading_a,
        out[0, :, r], out[1, :, r])


def _indicator_block(ots, ot, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium, out):
    """indicator_paths for every run of the kernel's output blocks into ``out`` (2, NI, R, T)."""
    for r in range(ots.shape[1]):
        _indicators_of_run(r, r, ots, ot, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium, out)


def _fused_block(start, stop, kernel_in, ots, ot, keep, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium,
                 out):
    """Runs start..stop-1: each run projected by the kernel, then its indicators while it is in cache.

    ``keep``: run r's outputs in slot r of ``ots``, ``ot`` (the projection is returned); else every
    run's outputs in the one slot of a buffer of this block (20 KB, in cache) and only the
    indicators leave it.
    """
    bs, bc, pb, pm, db, dm = kernel_in
    z = k.scratch(bs.shape[1], ot.shape[2])
    if keep:
        run_ots, run_ot = ots, ot
    else:
        run_ots = np.empty((ots.shape[0], 1, ots.shape[2], ots.shape[3]))
        run_ot = np.empty((ot.shape[0], 1, ot.shape[2]))
    for r in range(start, stop):
        o = r if keep else 0
        k.simulate_run(r, o, bs, bc, pb, pm, db, dm, run_ots, run_ot, z)
        _indicators_of_run(r, o, run_ots, run_ot, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium, out)


def _fused_serial(kernel_in, ots, ot, keep, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium, out):
    _fused_block(0, out.shape[2], kernel_in, ots, ot, keep, high_tech, rd_scale, fdi_a0, fdi_reading_a,
                 erp_large_medium, out)


def _fused_parallel(kernel_in, ots, ot, keep, high_tech, rd_scale, fdi_a0, fdi_reading_a, erp_large_medium, out,
                    chunk):
    n_r = out.shape[2]
    for c in numba.prange((n_r + chunk - 1) // chunk):
        _fused_block(c * chunk, min((c + 1) * chunk, n_r), kernel_in, ots, ot, keep, high_tech, rd_scale, fdi_a0,
                     fdi_reading_a, erp_large_medium, out)


# compiled by assignment, not by decorators, so that mutation testing (tools/mutation.sh: mutmut
# leaves decorated functions alone) mutates these loops too; with NUMBA_DISABLE_JIT=1 they stay
# Python. Their cache stamp covers model/kernel.py and the equations (kernel.STAMPED_FILES).
_indicators_of_run = numba.njit(cache=True, error_model="numpy")(_indicators_of_run)
_indicator_block = numba.njit(cache=True, error_model="numpy")(_indicator_block)
_fused_block = numba.njit(cache=True, error_model="numpy")(_fused_block)
_fused_serial = numba.njit(cache=True, error_model="numpy")(_fused_serial)
_fused_parallel = numba.njit(cache=True, parallel=True, error_model="numpy")(_fused_parallel)


#: projection variables indicator_paths reads (through _indicator_block)
_READS = ("rd", "sales", "export_delivery", "energy", "value_added", "gross_output", "china_export_delivery",
          "fdi_manufacturing_nominal", "investment_nominal", "firms_over_10bn", "small_giants", "power_curtailment",
          "electricity_demand_mfg", "clean_production", "erp_above_size", "erp_large_medium",
          "informatized_large_medium", "key_parks", "brands", "national_centres", "national_bases")
_GET_READS = operator.itemgetter(*_READS)


def _blocks(proj: Projection) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's output blocks behind ``proj`` (stacked afresh if its values were replaced)."""
    blocks = proj.blocks
    if blocks is not None:
        ots, ot, views = blocks
        if all(map(operator.is_, _GET_READS(proj.values), _GET_READS(views))):  # compared in C
            return ots, ot
    r, n_t = proj.n_runs, len(proj.years)
    s = len(proj.sectors)
    ots = np.stack([np.broadcast_to(proj.values[n], (r, n_t, s)) for n in k.OUTPUTS_TS])
    ot = np.stack([np.broadcast_to(proj.values[n], (r, n_t)) for n in k.OUTPUTS_T])
    return ots, ot


def compute(
    proj: Projection,
    params: Mapping[str, np.ndarray],
    hightech: np.ndarray,
    st_to_rd_ratio: float,
    foreign_funding_share_china: float,
    switches: Mapping[str, str] | None = None,
) -> dict[str, Indicator]:
    """All plan indicators of a projection (``indicator_paths``). ``hightech`` is the boolean sector mask."""
    settings = _settings(proj.n_runs, params, hightech, st_to_rd_ratio, foreign_funding_share_china, switches)
    ots, ot = _blocks(proj)
    out = np.empty((2, len(NAMES), ots.shape[1], ot.shape[2]))
    _indicator_block(ots, ot, *settings, out)
    return _of_block(out)


def simulate_with_indicators(
    base: core.ModelBase,
    params: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
    hightech: np.ndarray,
    st_to_rd_ratio: float,
    foreign_funding_share_china: float,
    switches: Mapping[str, str] | None = None,
    keep_projection: bool = True,
) -> tuple[Projection | None, dict[str, Indicator]]:
    """``core.simulate`` and ``compute`` in one compiled pass, the same values bit for bit.

    Each run's indicators are computed right after the kernel wrote the run, while its outputs
    are in cache, instead of in a second pass over outputs that no longer are (docs/performance.md).
    With ``keep_projection=False`` the projection is not kept (None is returned in its place):
    each run's outputs are written to a small buffer that stays in cache and only the indicators
    reach memory (~3 KB a run instead of ~24 KB), the form for studies that read indicators only.
    """
    r = np.shape(params["alpha_k"])[0]
    kernel_in, ots, ot = core.kernel_inputs(base, params, drivers, slots=None if keep_projection else 1)
    settings = _settings(r, params, hightech, st_to_rd_ratio, foreign_funding_share_china, switches)
    out = np.empty((2, len(NAMES), r, ot.shape[2]))
    keep = bool(keep_projection)
    if r >= core.PARALLEL_MIN_RUNS:
        _fused_parallel(kernel_in, ots, ot, keep, *settings, out, core.PARALLEL_CHUNK)
    else:
        _fused_serial(kernel_in, ots, ot, keep, *settings, out)
    return (core.projection_of(base, ots, ot) if keep else None), _of_block(out)


def _settings(r, params, hightech, st_to_rd_ratio, foreign_funding_share_china, switches) -> tuple:
    """What the indicator pass of R = ``r`` runs takes besides the outputs: (high-tech mask as
    float64, R&D scale, reading-a 2003 share per run (zeros when not read), reading a?, ERP over
    large and medium firms?)."""
    sw = check_switches(switches or {})
    rd_scale = float(st_to_rd_ratio) if sw["rd_definition"] == "st_activities" else 1.0
    reading_a = sw["fdi_reading"] == "a"
    if reading_a:
        a0 = foreign_funding_share_china * np.asarray(params["fdi_funding_relative"], dtype=np.float64)
        a0 = np.ascontiguousarray(np.broadcast_to(a0, (r,)))
    else:
        a0 = _ZEROS.get(r)
        if a0 is None:
            a0 = _ZEROS.setdefault(r, np.zeros(r)) if r <= 4096 else np.zeros(r)
    ht = np.asarray(hightech, dtype=np.float64)
    return ht, rd_scale, a0, reading_a, sw["erp_denominator"] == "large_medium"


def _of_block(out: np.ndarray) -> dict[str, Indicator]:
    """Indicator ``name`` = ``Indicator(out[0, i], out[1, i])`` for the i-th of NAMES, each
    making its two views when first read (``Indicator.__getattr__``).

    Built without the frozen ``__init__`` and without the 36 views (most callers read a few
    indicators); with this, ``compute`` for one run costs 7.4 us, was 12 (CPU time, 3 Dec 2026).
    """
    new = object.__new__
    inds = {}
    for i, name in enumerate(NAMES):
        ind = new(Indicator)
        ind.__dict__["_row"] = (out, i)
        inds[name] = ind
    return inds


_ZEROS: dict[int, np.ndarray] = {}
