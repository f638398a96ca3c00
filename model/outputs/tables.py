"""The one CSV writer of every result folder: UTF-8 with a byte-order mark.

Excel on Windows reads a CSV without a BOM in the local code page, so Chinese text turns into
mojibake when a planner double-clicks ``scorecard.csv``; with the BOM it opens correctly.
pandas (``read_csv``) and Python's ``csv`` with ``encoding="utf-8-sig"`` read it unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

CSV_ENCODING = "utf-8-sig"
BOM = b"\xef\xbb\xbf"


def write_csv(df: pd.DataFrame, path: str | os.PathLike, index: bool = False) -> Path:
    """Write ``df`` to ``path`` as UTF-8 with BOM (no index by default); returns the path."""
    path = Path(path)
    df.to_csv(path, index=index, encoding=CSV_ENCODING)
    return path


def read_csv(path: str | os.PathLike, **kw) -> pd.DataFrame:
    """Read a CSV this module wrote (the BOM is skipped)."""
    return pd.read_csv(path, encoding=CSV_ENCODING, **kw)
