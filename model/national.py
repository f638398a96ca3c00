"""National comparators for the national-centre test (model/baseyear.py R12, scenario files).

``national_real_output_growth(obs, calibration_dir) -> pd.Series`` (model sectors + ``"all"``):
the mean annual growth of national above-size industrial sales (工业销售产值, current prices)
2000-2002 by industry — the years that share one classification (GB/T 4754-1994; 2003 uses the
2002 edition) — aggregated to model sectors through ``calibration/gbt4754_1994_industries.csv``
and deflated by the mean annual change of Zhejiang's retail price index over the same years,
the model's own output-price measure (the data hold no national industrial price index or
constant-price series by sector: the only constant-price figure is national above-size gross
output in 2001 at 1990 prices, one year):

    g_real_i = ((S_i,2002 / S_i,2000)^(1/2)) / (P_2001 P_2002 / 100^2)^(1/2) - 1.

Unit: fraction per year (real). Used as ``china_output_growth`` in the scenario files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.errors import DataError
from model.observations import series, value
from model.paths import CALIBRATION_DIR

CONCORDANCE_1994 = "gbt4754_1994_industries.csv"
YEARS = (2000, 2002)


def load_1994_concordance(calibration_dir: str | Path | None = None,
                          sector_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``nbs_label_1994, model_sector, note``; every model sector (if given) covered."""
    p = Path(calibration_dir or CALIBRATION_DIR) / CONCORDANCE_1994
    if not p.exists():
        raise DataError(f"{p}: file not found")
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    if list(df.columns) != ["nbs_label_1994", "model_sector", "note"]:
        raise DataError(f"{p}: columns must be nbs_label_1994, model_sector, note")
    if df.nbs_label_1994.duplicated().any():
        raise DataError(f"{p}: an industry appears twice")
    if sector_ids is not None:
        bad = sorted(set(df.model_sector) - set(sector_ids))
        miss = sorted(set(sector_ids) - set(df.model_sector))
        if bad or miss:
            raise DataError(f"{p}: unknown sectors {bad}, sectors without an industry {miss}")
    return df


def national_real_output_growth(obs: pd.DataFrame, concordance: pd.DataFrame) -> pd.Series:
    """Real growth by model sector and for all manufacturing (``"all"``), fraction per year."""
    y0, y1 = YEARS
    ind = "industrial_sales_value_current_above_size"
    s0 = pd.Series({r.nbs_label_1994: value(obs, ind, y0, "china", r.nbs_label_1994)
                    for r in concordance.itertuples()})
    s1 = pd.Series({r.nbs_label_1994: value(obs, ind, y1, "china", r.nbs_label_1994)
                    for r in concordance.itertuples()})
    by = concordance.set_index("nbs_label_1994").model_sector
    a0, a1 = s0.groupby(by).sum(), s1.groupby(by).sum()
    a0["all"], a1["all"] = s0.sum(), s1.sum()
    rpi = series(obs, "retail_price_index")
    price = 1.0
    for y in range(y0 + 1, y1 + 1):
        price *= float(rpi[y]) / 100.0
    n = y1 - y0
    return (a1 / a0) ** (1.0 / n) / price ** (1.0 / n) - 1.0
