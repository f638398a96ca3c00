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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.core import Projection  # noqa: F401  (the numpy core returns the same class shape)

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
    """numerator / denominator, each (R, T)."""

    numerator: np.ndarray
    denominator: np.ndarray

    @property
    def value(self) -> np.ndarray:
        return self.numerator / self.denominator


def check_switches(switches: Mapping[str, str]) -> dict[str, str]:
    out = dict(DEFAULT_SWITCHES)
    for key, val in switches.items():
        if key not in SWITCHES:
            raise ValueError(f"unknown definition switch {key!r}; allowed: {', '.join(SWITCHES)}")
        if val not in SWITCHES[key]:
            raise ValueError(f"switch {key}={val!r}; allowed: {', '.join(SWITCHES[key])}")
        out[key] = val
    return out


def compute(
    proj: Projection,
    params: Mapping[str, np.ndarray],
    hightech: np.ndarray,
    st_to_rd_ratio: float,
    foreign_funding_share_china: float,
    switches: Mapping[str, str] | None = None,
) -> dict[str, Indicator]:
    """All plan indicators of a projection. ``hightech`` is the boolean sector mask."""
    sw = check_switches(switches or {})
    ones = np.ones_like(proj["firms_over_10bn"])
    rd_scale = st_to_rd_ratio if sw["rd_definition"] == "st_activities" else 1.0

    fdi_c = Indicator(proj["fdi_manufacturing_nominal"], proj["investment_nominal"])
    if sw["fdi_reading"] == "a":
        a0 = foreign_funding_share_china * np.asarray(params["fdi_funding_relative"], dtype=float)
        c = fdi_c.value
        fdi = Indicator(a0[:, None] * c / c[:, :1] * proj["investment_nominal"], proj["investment_nominal"])
    else:
        fdi = fdi_c

    erp = proj["erp_above_size"] if sw["erp_denominator"] == "above_size" else proj["erp_large_medium"]
    energy = proj.total("energy")
    ei = energy / proj.total("value_added")
    return {
        "rd_sales_ratio": Indicator(rd_scale * proj.total("rd"), proj.total("sales")),
        "rd_sales_ratio_hightech": Indicator(
            rd_scale * proj.total("rd", hightech), proj.total("sales", hightech)
        ),
        "xd_share_china": Indicator(proj.total("export_delivery"), proj["china_export_delivery"]),
        "fdi_share": fdi,
        "firms_over_10bn": Indicator(proj["firms_over_10bn"], ones),
        "small_giants": Indicator(proj["small_giants"], ones),
        "energy_intensity": Indicator(energy, proj.total("value_added")),
        "power_curtailment": Indicator(  # no power block (tiny test bases): 0 / 1
            proj["power_curtailment"] * proj["electricity_demand_mfg"],
            np.where(proj["electricity_demand_mfg"] > 0, proj["electricity_demand_mfg"], 1.0),
        ),
        "energy_intensity_change": Indicator(ei - ei[:, :1], np.broadcast_to(ei[:, :1], ei.shape)),
        "clean_production": Indicator(proj["clean_production"], ones),
        "erp_share": Indicator(erp, ones),
        "informatized_large_medium": Indicator(proj["informatized_large_medium"], ones),
        "key_parks": Indicator(proj["key_parks"], ones),
        "brands": Indicator(proj["brands"], ones),
        "national_centres": Indicator(proj["national_centres"], ones),
        "national_bases": Indicator(proj["national_bases"], ones),
        "hightech_output_share": Indicator(
            proj.total("gross_output", hightech), proj.total("gross_output")
        ),
        "manufacturing_value_added": Indicator(proj.total("value_added"), ones),
    }
