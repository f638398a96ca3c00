"""The R&D priors' data readings (calibration/priors.yaml sources) recomputed from the observations.

The sources of ``rd_intensity_drift``, ``rd_adjustment_speed`` and ``rd_intensity_zj_relative``
quote growth rates and ratios computed from calibration/observations.csv; these tests recompute
them, so a changed observation or a mis-typed figure in a source shows up here.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from model.observations import load_observations, value
from model.paths import CALIBRATION_DIR

PRIORS = yaml.safe_load((CALIBRATION_DIR / "priors.yaml").read_text(encoding="utf-8"))["parameters"]


def _log_rate(a: float, b: float, years: int) -> float:
    return float(np.log(b / a) / years)


@pytest.fixture(scope="module")
def readings() -> dict[str, float]:
    obs = load_observations()

    def v(name, year, region="china", sector="all"):
        return value(obs, name, year, region, sector)

    sales = {y: v("industrial_sales_value_current_above_size", y, sector="all_industry") for y in (2000, 2002, 2003)}
    gerd = {y: v("rd_expenditure_gerd", y) for y in (2000, 2003)}
    return {
        "gerd_over_sales_2000_03": _log_rate(gerd[2000] / sales[2000], gerd[2003] / sales[2003], 3),
        "lme_st_over_sales_2000_02": _log_rate(v("st_expenditure_share_of_sales_large_medium_ind", 2000),
                                               v("st_expenditure_share_of_sales_large_medium_ind", 2002), 2),
        "lme_rd_over_revenue_2001_02": _log_rate(v("lm_industry_rd_to_revenue_pct", 2001, sector="industry_large_medium"),
                                                 v("lm_industry_rd_to_revenue_pct", 2002, sector="industry_large_medium"), 1),
        "lme_rd_over_revenue_2001_03_break": _log_rate(v("lm_industry_rd_to_revenue_pct", 2001, sector="industry_large_medium"),
                                                       v("lm_industry_rd_to_revenue_pct", 2003, sector="industry_large_medium"), 2),
        "lme_rd_over_all_sales_2000_02": _log_rate(v("rd_expenditure_large_medium_ind", 2000) / sales[2000],
                                                   v("rd_expenditure_large_medium_ind", 2002) / sales[2002], 2),
        "gerd_over_gdp_2000_03": _log_rate(v("rd_expenditure_gdp_ratio", 2000), v("rd_expenditure_gdp_ratio", 2003), 3),
        "sales_growth_2000_03": _log_rate(sales[2000], sales[2003], 3),
        "gdp_growth_2000_03": _log_rate(v("gdp", 2000), v("gdp", 2003), 3),
        "zj_relative_2000": v("rd_gdp_ratio_pct", 2000, "zhejiang") / v("rd_expenditure_gdp_ratio", 2000),
    }


def test_drift_source_figures(readings):
    quoted = {"gerd_over_sales_2000_03": 0.010, "lme_st_over_sales_2000_02": 0.024, "lme_rd_over_revenue_2001_02": 0.088,
              "lme_rd_over_revenue_2001_03_break": -0.007, "lme_rd_over_all_sales_2000_02": 0.100,
              "gerd_over_gdp_2000_03": 0.076, "sales_growth_2000_03": 0.170, "gdp_growth_2000_03": 0.105}
    for key, figure in quoted.items():
        assert readings[key] == pytest.approx(figure, abs=0.0006), key


def test_drift_prior_spans_the_readings(readings):
    p = PRIORS["rd_intensity_drift"]
    consistent = [readings["gerd_over_sales_2000_03"], readings["lme_st_over_sales_2000_02"],
                  readings["lme_rd_over_revenue_2001_02"]]
    assert p["low"] < readings["lme_rd_over_revenue_2001_03_break"] < min(consistent)
    assert max(consistent) < p["high"] <= readings["lme_rd_over_all_sales_2000_02"] + 0.0006
    assert min(consistent) < p["central"] < max(consistent)
    # the GDP denominator overstates an R&D / sales trend by the gap between sales and GDP growth
    gap = readings["sales_growth_2000_03"] - readings["gdp_growth_2000_03"]
    assert readings["gerd_over_gdp_2000_03"] - readings["gerd_over_sales_2000_03"] == pytest.approx(gap, abs=0.005)


def test_adjustment_speed_mode_is_the_bgv_ratio():
    p = PRIORS["rd_adjustment_speed"]
    assert p["distribution"] == "triangular"
    assert p["central"] == pytest.approx(0.14 / 1.09, abs=0.005)  # BGV short-run / long-run elasticity
    assert p["low"] < p["central"] < p["high"]


def test_zhejiang_relative_prior_covers_the_all_performer_ratio(readings):
    p = PRIORS["rd_intensity_zj_relative"]
    assert readings["zj_relative_2000"] == pytest.approx(0.67, abs=0.005)
    assert p["low"] < readings["zj_relative_2000"] < p["central"]


def test_fund_additionality_is_symmetric_about_one_for_one():
    p = PRIORS["rd_fund_additionality"]
    assert p["central"] == 1.0 and p["low"] == 0.0
    assert p["high"] - p["central"] == p["central"] - p["low"]
