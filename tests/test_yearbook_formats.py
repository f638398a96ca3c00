"""Yearbook tables as planners save them: .CSV / .xlsx, UTF-8, GBK/GB18030, UTF-16 (in-process)."""

from __future__ import annotations

import pandas as pd
import pytest

from model.errors import DataError, InputError
from model.yearbook import load_yearbook
from tests._bad_input import ROOT

ROW = {"gbt4754_2002": "17", "industry_name_zh": "纺织业", "year": "2003", "source_title": "浙江统计年鉴2004",
       "source_table": "表12-5", "gross_output_100m_yuan": "2500", "value_added_100m_yuan": "560"}


def _frame() -> pd.DataFrame:
    cols = pd.read_csv(ROOT / "calibration" / "yearbook_template.csv", nrows=0).columns
    return pd.DataFrame([{c: ROW.get(c, "") for c in cols}])


@pytest.mark.parametrize("name,encoding", [("zj.csv", "utf-8"), ("ZJ.CSV", "utf-8-sig"), ("zj.csv", "gbk"),
                                           ("zj.csv", "gb18030"), ("zj.csv", "utf-16"), ("zj.xlsx", None)])
def test_formats_and_encodings_are_read(tmp_path, name, encoding):
    if encoding is None:
        _frame().to_excel(tmp_path / name, index=False)
    else:
        _frame().to_csv(tmp_path / name, index=False, encoding=encoding)
    yb = load_yearbook(tmp_path, 2003)
    assert len(yb) == 1 and yb.value_added_100m_yuan.iloc[0] == 560.0 and yb.source_title.iloc[0] == "浙江统计年鉴2004"


@pytest.mark.parametrize("content", [b"", b"   \n", b"\xff\xfe", b"\x00\x01\x02garbage\xff\xff"])
def test_empty_or_binary_files_give_one_message(tmp_path, content):
    (tmp_path / "zj.csv").write_bytes(content)
    with pytest.raises((DataError, InputError), match="zj.csv"):
        load_yearbook(tmp_path, 2003)


def test_broken_workbook(tmp_path):
    (tmp_path / "zj.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataError, match="not an .xlsx workbook|could not be read"):
        load_yearbook(tmp_path, 2003)
