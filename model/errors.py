"""Exception hierarchy of mfgbase.

``MfgbaseError`` is the base of every error the package raises on purpose;
``InputError`` flags bad user input (a file, a value, an output path): the command line
reports it in one message and exits 2. ``DataError`` flags a calibration or yearbook file that
breaks its contract (the message names the file, the row, the column and what is allowed).
"""

from __future__ import annotations


class MfgbaseError(Exception):
    """Base class of all mfgbase errors."""


class InputError(MfgbaseError, ValueError):
    """Bad user input: file, field or value outside what is allowed (CLI exit code 2)."""


class DataError(MfgbaseError):
    """A data file (calibration table, yearbook table) is malformed or inconsistent."""


class InvalidInput(InputError):
    """Bad user input on the command line (exit code 2)."""
