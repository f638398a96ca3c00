"""Bounded, encoding-aware reading of tabular input files (CSV exported from Excel, ``.xlsx``).

``read_table(path)`` returns a DataFrame of strings (``dtype=str``, blanks kept as ``""``):

- CSV (``.csv`` in any letter case): the bytes are read with a size bound (``TABLE_LIMIT``)
  and decoded by ``decode_text``: UTF-8 (with or without BOM), UTF-16 (BOM, or the NUL-byte
  pattern of Excel's "Unicode text"), else GB18030 (a superset of GBK/GB2312, what Chinese Excel
  writes by default);
- Excel (``.xlsx``): the first sheet via openpyxl, after checking the archive's uncompressed size
  (a zip bomb is refused before it is expanded).

Every failure — empty file, undecodable bytes, a broken CSV or workbook — raises ``error``
naming the file and what is allowed, never a traceback and never the file's content.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from pathlib import Path

import pandas as pd

from model.errors import DataError
from model.safeio.files import MIB, TABLE_LIMIT, read_regular
from model.safeio.text import shown, shown_path

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx",)
XLSX_UNCOMPRESSED_LIMIT = 64 * MIB


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of CSV bytes: UTF-8 / UTF-16 / GB18030; raises UnicodeError."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return data.decode("utf-16-le"), "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return data.decode("utf-16-be"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def read_csv(path: str | os.PathLike, what: str = "table", limit: int = TABLE_LIMIT,
             error: type[Exception] = DataError, **read_csv_kwargs) -> pd.DataFrame:
    """``pandas.read_csv`` of a bounded, decoded regular file; every failure is ``error``
    naming the file (``read_csv_kwargs`` as for pandas; default ``dtype=str``, blanks kept)."""
    kwargs = {"dtype": str, "keep_default_na": False} | read_csv_kwargs
    return _read_csv(Path(path), limit, what, error, **kwargs)


def _read_csv(path: Path, limit: int, what: str, error: type[Exception], **kwargs) -> pd.DataFrame:
    kwargs = kwargs or {"dtype": str, "keep_default_na": False}
    data = read_regular(path, limit, what)
    where = shown_path(path)
    try:
        text, _ = decode_text(data)
    except UnicodeError:
        raise error(f"{where}: {what} is not UTF-8, GBK/GB18030 or UTF-16 text; save it as CSV UTF-8") from None
    if "\0" in text:
        raise error(f"{where}: {what} holds NUL characters; expected a text CSV file")
    if not text.strip():
        raise error(f"{where}: {what} is empty; expected a header row and data rows")
    try:
        return pd.read_csv(io.StringIO(text), **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, TypeError) as exc:
        raise error(f"{where}: {what} is not a valid CSV table: {shown(str(exc).splitlines()[0], 120)}") from None


def _read_xlsx(path: Path, limit: int, what: str, error: type[Exception]) -> pd.DataFrame:
    data = read_regular(path, limit, what)
    where = shown_path(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise error(f"{where}: {what} is not an .xlsx workbook (save it as Excel Workbook or CSV UTF-8)") from None
    if expanded > XLSX_UNCOMPRESSED_LIMIT:
        raise error(f"{where}: {what} expands to {expanded:,} bytes; at most {XLSX_UNCOMPRESSED_LIMIT:,} are read")
    try:
        df = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=str, engine="openpyxl")
    except ImportError:
        raise error(f"{where}: reading .xlsx needs the openpyxl package (pip install openpyxl)") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on a broken workbook
        raise error(f"{where}: {what} could not be read as a workbook ({type(exc).__name__})") from None
    if df.empty and not len(df.columns):
        raise error(f"{where}: {what} is empty; expected a header row and data rows")
    return df.fillna("").astype(str)


def read_table(
    path: str | os.PathLike, what: str = "table", limit: int = TABLE_LIMIT, error: type[Exception] = DataError
) -> pd.DataFrame:
    """Read a CSV or .xlsx table as strings (see module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        df = _read_xlsx(path, limit, what, error)
    elif suffix in CSV_SUFFIXES:
        df = _read_csv(path, limit, what, error)
    else:
        raise error(f"{shown_path(path)}: {what}: unsupported file type {shown(suffix)}; use .csv or .xlsx")
    df.columns = [str(c).strip() for c in df.columns]
    return df


def is_table_file(path: Path) -> bool:
    """True for ``*.csv`` / ``*.xlsx`` in any letter case (hidden and lock files ``~$x`` excluded)."""
    name = path.name
    return (path.suffix.lower() in (*CSV_SUFFIXES, *EXCEL_SUFFIXES)
            and not name.startswith((".", "~$")))
