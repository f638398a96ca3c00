"""Bounded reads of regular files.

``read_regular(path, limit)`` opens without blocking (a FIFO never hangs), checks that what it
opened is a regular file (never a device, FIFO, socket or directory), and reads at most
``limit`` bytes: a larger file is refused rather than read. Every failure raises
``InputFileError`` with a message naming the file and what is allowed; the file's content is
never part of the message.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from model.errors import InputError
from model.safeio.text import shown_path

KIB = 1024
MIB = 1024 * KIB
#: default bound of one text input (scenario, priors, parameters file)
TEXT_LIMIT = 1 * MIB
#: bound of one data table (observations.csv, yearbook tables)
TABLE_LIMIT = 32 * MIB


class InputFileError(InputError):
    """An input file cannot be read safely (missing, not a regular file, too large, ...)."""


def file_kind(mode: int, directory: str = "a directory") -> str:
    """What a path is, from its ``st_mode``, in words for a message ("a device", ...)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return directory
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def describe_os_error(exc: OSError) -> str:
    """A short reason for an OSError, without the path (the caller names it)."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if exc.errno == errno.ENOENT:
        return "file not found"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a folder"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return exc.strerror or str(exc) or type(exc).__name__


def read_regular(path: str | os.PathLike, limit: int = TEXT_LIMIT, what: str = "file") -> bytes:
    """Read a regular file of at most ``limit`` bytes; raise InputFileError otherwise."""
    where = shown_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputFileError(f"{where}: cannot read {what}: {describe_os_error(exc)}") from None
    except ValueError:  # embedded NUL in the path
        raise InputFileError(f"{where}: cannot read {what}: invalid file name") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputFileError(f"{where}: {what} is {file_kind(st.st_mode)}; expected a regular file")
        if st.st_size > limit:
            raise InputFileError(
                f"{where}: {what} is {st.st_size:,} bytes; at most {limit:,} bytes are read"
            )
        chunks, total = [], 0
        while True:
            try:
                chunk = os.read(fd, min(1 * MIB, limit + 1 - total))
            except OSError as exc:
                raise InputFileError(f"{where}: cannot read {what}: {describe_os_error(exc)}") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while reading (or a lying st_size)
                raise InputFileError(f"{where}: {what} exceeds {limit:,} bytes; refused")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike, limit: int = TEXT_LIMIT, what: str = "file") -> str:
    """``read_regular`` decoded as UTF-8 (a byte-order mark is dropped)."""
    data = read_regular(path, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{shown_path(path)}: {what} is not UTF-8 text (undecodable byte at offset {exc.start}); "
            f"save it as UTF-8"
        ) from None


def resolve_existing(path: str | os.PathLike, what: str = "file") -> Path:
    """``Path.resolve(strict=True)`` with symlink loops and missing files as InputFileError."""
    try:
        return Path(path).resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports symlink loops this way
        raise InputFileError(f"{shown_path(path)}: cannot read {what}: symbolic link loop") from None
    except OSError as exc:
        raise InputFileError(f"{shown_path(path)}: cannot read {what}: {describe_os_error(exc)}") from None
