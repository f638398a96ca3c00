"""Exception hierarchy of mfgbase.

``MfgbaseError`` is the base of every error the package raises on purpose;
``DataError`` flags a calibration or yearbook file that breaks its contract
(the message names the file, the row, the column and what is allowed).
"""

from __future__ import annotations


class MfgbaseError(Exception):
    """Base class of all mfgbase errors."""


class DataError(MfgbaseError):
    """A data file (calibration table, yearbook table) is malformed or inconsistent."""


class InvalidInput(MfgbaseError):
    """Bad user input on the command line (exit code 2)."""
