"""Tests of the observations table and its loader."""

from __future__ import annotations

import pandas as pd
import pytest

from model.errors import DataError, MfgbaseError
from model.observations import KEY, KNOWN_UNITS, load_observations, series, value


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return load_observations()


def _write(tmp_path, df: pd.DataFrame):
    p = tmp_path / "obs.csv"
    df.to_csv(p, index=False)
    return p


def test_committed_table_is_valid(obs):
    assert len(obs) > 1000
    assert not obs.duplicated(list(KEY)).any()
    assert set(obs.unit) <= set(KNOWN_UNITS)
    assert obs.source_title.str.len().gt(0).all()


def test_known_duplicates_resolved(obs):
    g = series(obs, "gross_fixed_capital_formation")
    assert g[1999] == pytest.approx(1970.59)
    p = series(obs, "price_index_fixed_asset_investment")
    assert p[1996] == pytest.approx(101.3) and p[1997] == pytest.approx(99.5)


def test_history_series_present(obs):
    assert series(obs, "gdp").index.min() == 1995
    assert series(obs, "gross_fixed_capital_formation").index.min() == 1952
    assert value(obs, "industry_va", 2003) == pytest.approx(4381.0)
    assert series(obs, "gdp").attrs["unit"] == "100m_yuan"


def test_series_missing_raises(obs):
    with pytest.raises(DataError):
        series(obs, "no_such_indicator")
    with pytest.raises(DataError, match="no year"):
        value(obs, "industry_va", 1990)


def test_rejects_duplicate_key(tmp_path, obs):
    bad = pd.concat([obs.head(3), obs.head(1)], ignore_index=True)
    with pytest.raises(DataError) as e:
        load_observations(_write(tmp_path, bad))
    msg = str(e.value)
    assert "obs.csv" in msg and "row 5" in msg and "duplicate key" in msg and "row 2" in msg


def test_rejects_unknown_unit(tmp_path, obs):
    bad = obs.head(3).copy()
    bad.loc[1, "unit"] = "furlongs"
    with pytest.raises(DataError) as e:
        load_observations(_write(tmp_path, bad))
    msg = str(e.value)
    assert "row 3" in msg and "'unit'" in msg and "furlongs" in msg and "100m_yuan" in msg


def test_rejects_missing_source(tmp_path, obs):
    bad = obs.head(3).copy()
    bad.loc[0, "source_title"] = ""
    with pytest.raises(DataError, match=r"row 2, column 'source_title'"):
        load_observations(_write(tmp_path, bad))
    bad = obs.head(3).copy()
    bad.loc[2, "source_url"] = ""
    bad.loc[2, "source_title"] = "some newspaper"
    with pytest.raises(DataError, match=r"row 4, column 'source_url'"):
        load_observations(_write(tmp_path, bad))


def test_table_reference_replaces_url(tmp_path, obs):
    ok = obs.head(2).copy()
    ok.loc[0, "source_url"] = ""
    ok.loc[0, "source_title"] = "中国统计年鉴 表21-38"
    assert len(load_observations(_write(tmp_path, ok))) == 2


def test_rejects_non_numeric_and_missing_column(tmp_path, obs):
    bad = obs.head(2).copy().astype({"value": object})
    bad.loc[1, "value"] = "n/a"
    with pytest.raises(DataError, match=r"row 3, column 'value'"):
        load_observations(_write(tmp_path, bad))
    with pytest.raises(MfgbaseError, match="missing column"):
        load_observations(_write(tmp_path, obs.head(2).drop(columns=["unit"])))
