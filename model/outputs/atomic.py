"""Result folders: the one output-path guard and the atomic, race-free folder swap.

Every folder mfgbase writes (``run``, ``sensitivity``, ``compare``, ``calibrate`` reports) goes
through ``atomic_directory``:

1. **Guard** (``check_output_dir``): the target may be missing, or a folder *mfgbase created*,
   recognised by the marker file ``.mfgbase-output`` it writes into each result folder. Any other
   existing path — a folder of the user's files, ``scenarios/``, ``results/`` itself, a plain
   file, a symbolic link, a device, a FIFO — raises ``OutputPathError`` (CLI exit 2) before
   anything is created, moved or deleted.
2. **Write** everything into a temporary sibling ``.<name>.mfgbase-tmp-<pid>-<token>`` (marker
   first, created with mode 0777 & ~umask, i.e. normal permissions).
3. **Swap** under an exclusive ``flock`` on the parent folder (so two processes writing the same
   result never interleave): the guard is checked again, then the new folder takes the target's
   place in one ``renameat2(RENAME_EXCHANGE)`` where the kernel offers it (the target never goes
   missing), else in two renames through ``.<name>.mfgbase-old-<pid>-<token>``. The old
   content is then deleted — it carries the marker, so it is mfgbase's own.
4. **Stale clean-up** (``clean_stale``): temp/old folders of killed runs are removed when their
   name has the pattern above, they hold the marker and their process is dead (or they are older
   than ``STALE_AGE_S``). An old folder whose target went missing is restored instead.

Result folder names derived from file names go through ``safe_name`` (no ``..``, separators or
control characters; at most ``MAX_NAME_BYTES`` bytes).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from model.errors import InputError, MfgbaseError
from model.safeio.files import describe_os_error, file_kind
from model.safeio.text import MAX_NAME_BYTES, safe_name, shown_path

MARKER = ".mfgbase-output"
MARKER_SIGNATURE = "mfgbase result folder"
STALE_AGE_S = 7 * 24 * 3600  # a temp folder this old is stale even if its PID is in use again
_AUX = re.compile(r"^\.(?P<name>.*)\.mfgbase-(?P<kind>tmp|old)-(?P<pid>\d+)-(?P<token>[0-9a-f]{8})$", re.S)


class OutputPathError(InputError):
    """The output path is not something mfgbase may replace (CLI exit 2, nothing touched)."""


class OutputWriteError(MfgbaseError):
    """Writing the result folder failed (disk full, read-only, permissions); earlier results kept."""


# --------------------------------------------------------------------------- names


def default_output_dir(name: str) -> Path:
    """``results/<safe_name(name)>``: the default folder of a command's results."""
    from model.paths import RESULTS_DIR

    return RESULTS_DIR / safe_name(name)


def _aux_name(target: Path, kind: str) -> str:
    raw = target.name.encode("utf-8", "surrogateescape")
    stem = target.name if len(raw) <= MAX_NAME_BYTES else safe_name(target.name)
    return f".{stem}.mfgbase-{kind}-{os.getpid()}-{secrets.token_hex(4)}"


# --------------------------------------------------------------------------- guard


def is_mfgbase_folder(path: Path) -> bool:
    """True if ``path`` is a real folder (not a link) holding mfgbase's marker file."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return False
        mst = os.lstat(path / MARKER)
    except OSError:
        return False
    if not stat.S_ISREG(mst.st_mode) or mst.st_size > 4096:
        return False
    try:
        with open(path / MARKER, encoding="utf-8") as fh:
            return json.loads(fh.read(4096)).get("written_by") == MARKER_SIGNATURE
    except (OSError, ValueError, AttributeError):
        return False


def _describe(mode: int) -> str:
    return file_kind(mode, directory="a folder mfgbase did not create")


def check_output_dir(target: str | os.PathLike) -> Path:
    """Raise OutputPathError unless ``target`` is missing or a result folder mfgbase created.

    Call it before any expensive work (the command fails fast) — ``atomic_directory`` checks
    again before it swaps. The check holds the parent's lock, so a swap by another process in
    the same moment is never mistaken for a foreign folder.
    """
    target = Path(target)
    with ExitStack() as stack:
        try:
            stack.enter_context(_locked(target.parent))
        except (OSError, ValueError):
            pass  # parent missing or unreadable: nothing to race with
        return _check_dir(target)


def _check_dir(target: Path) -> Path:
    """``check_output_dir`` without the lock (the caller holds it)."""
    where = shown_path(target)
    if target.name in ("", ".", "..") or Path(os.path.abspath(target)) == Path("/"):
        raise OutputPathError(f"{where}: not a usable result folder name; choose a new folder")
    try:
        st = os.lstat(target)
    except ValueError:
        raise OutputPathError(f"{where}: invalid folder name") from None
    except FileNotFoundError:
        _check_parent(target)
        return target
    except OSError as exc:
        raise OutputPathError(f"{where}: cannot use as result folder: {describe_os_error(exc)}") from None
    if stat.S_ISDIR(st.st_mode) and is_mfgbase_folder(target):
        return target
    what = _describe(st.st_mode)
    raise OutputPathError(
        f"{where}: already exists and is {what}; mfgbase replaces only result folders it created "
        f"(holding {MARKER}). Nothing was changed: choose a new output folder, or move it away yourself."
    )


def _check_parent(target: Path) -> None:
    parent = target.parent
    for p in (parent, *parent.parents):
        try:
            st = os.stat(p)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputPathError(f"{shown_path(target)}: cannot create result folder: {describe_os_error(exc)}") from None
        if not stat.S_ISDIR(st.st_mode):
            raise OutputPathError(
                f"{shown_path(target)}: cannot create result folder: {shown_path(p)} is not a folder"
            )
        return


# --------------------------------------------------------------------------- swap

_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False if the kernel or fs cannot."""
    if _renameat2 is None:
        return False
    rc = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Exclusive advisory lock on a folder (flock on its descriptor), released on exit."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_marker(folder: Path) -> None:
    info = {"written_by": MARKER_SIGNATURE, "pid": os.getpid(),
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds")}
    (folder / MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def clean_stale(parent: Path, now: float | None = None) -> list[Path]:
    """Remove temp folders of killed mfgbase runs in ``parent``; returns what was removed.

    Only entries whose name matches mfgbase's temp pattern, that are real folders holding the
    marker, and whose process is gone (or that are older than ``STALE_AGE_S``) are touched. An
    ``old`` folder whose result folder went missing (a kill between two renames) is put back.
    Call with the parent locked.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        m = _AUX.match(entry.name)
        if not m or int(m["pid"]) == os.getpid():
            continue
        path = Path(entry.path)
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if _pid_alive(int(m["pid"])) and age < STALE_AGE_S:
            continue
        if not is_mfgbase_folder(path):
            continue
        original = parent / m["name"]
        if m["kind"] == "old" and not os.path.lexists(original):
            os.rename(path, original)  # restore the result a killed swap left aside
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _mkdir_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputWriteError(f"{shown_path(target)}: cannot create its folder: {describe_os_error(exc)}") from None


@contextmanager
def atomic_directory(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` in one atomic swap.

    ``target`` must be missing or a result folder mfgbase created (``check_output_dir``). On an
    exception the temporary folder is removed and ``target`` is left as it was; an ``OSError``
    while writing becomes ``OutputWriteError`` naming the folder.
    """
    target = Path(target)
    check_output_dir(target)
    _mkdir_parent(target)
    parent = target.parent
    tmp = parent / _aux_name(target, "tmp")
    try:
        with _locked(parent):
            _check_dir(target)
            clean_stale(parent)
        os.mkdir(tmp, 0o777)  # the umask gives normal permissions (not mkdtemp's 0700)
        _write_marker(tmp)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputWriteError(f"{shown_path(target)}: cannot write results: {describe_os_error(exc)}") from None
    try:
        yield tmp
        with _locked(parent):
            _check_dir(target)  # again: something may have appeared meanwhile
            leftover = _swap_in(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputWriteError(
            f"{shown_path(target)}: cannot write results ({describe_os_error(exc)}); earlier results are unchanged"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if leftover is not None:
        shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(tmp: Path, target: Path) -> Path | None:
    """Put ``tmp`` at ``target`` (parent locked); return the folder holding the old content."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return None
    if _exchange(tmp, target):
        return tmp  # tmp now holds the previous result
    old = target.parent / _aux_name(target, "old")
    os.rename(target, old)
    os.rename(tmp, target)
    return old


# --------------------------------------------------------------------------- single files


def _signatures(signature: str | tuple[str, ...]) -> tuple[str, ...]:
    return (signature,) if isinstance(signature, str) else tuple(signature)


def check_output_file(target: str | os.PathLike, signature: str | tuple[str, ...]) -> Path:
    """Raise OutputPathError unless ``target`` is missing or a regular file mfgbase wrote.

    A file counts as mfgbase's when its first 64 KB contain ``signature`` (or one of several,
    e.g. the header ``mfgbase calibrate`` writes, or the file's own top-level key). Links,
    devices, FIFOs, folders and other files are refused.
    """
    target = Path(target)
    where = shown_path(target)
    try:
        st = os.lstat(target)
    except ValueError:
        raise OutputPathError(f"{where}: invalid file name") from None
    except FileNotFoundError:
        _check_parent(target)
        return target
    except OSError as exc:
        raise OutputPathError(f"{where}: cannot use as output file: {describe_os_error(exc)}") from None
    if stat.S_ISREG(st.st_mode):
        try:
            with open(target, "rb") as fh:
                head = fh.read(65536)
        except OSError as exc:
            raise OutputPathError(f"{where}: cannot use as output file: {describe_os_error(exc)}") from None
        if any(sig.encode("utf-8") in head for sig in _signatures(signature)):
            return target
        what = "a file mfgbase did not write"
    else:
        what = _describe(st.st_mode)
        what = "a folder" if what.startswith("a folder") else what
    raise OutputPathError(
        f"{where}: already exists and is {what}; mfgbase overwrites only files it wrote. "
        f"Nothing was changed: choose a new output file, or move it away yourself."
    )


def write_file_atomic(target: str | os.PathLike, text: str, signature: str | tuple[str, ...]) -> Path:
    """Write ``text`` to ``target`` via a temp file + rename, after ``check_output_file``.

    ``text`` must itself contain ``signature`` (so the next run recognises the file). The file
    gets normal permissions (0666 & ~umask).
    """
    if not any(sig in text for sig in _signatures(signature)):
        raise ValueError("the text written must carry its signature")
    target = Path(target)
    check_output_file(target, signature)
    _mkdir_parent(target)
    tmp = target.parent / f".{safe_name(target.name)}.mfgbase-file-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        with _locked(target.parent):
            check_output_file(target, signature)
            os.replace(tmp, target)
    except OSError as exc:
        with _suppress_oserror():
            os.unlink(tmp)
        raise OutputWriteError(f"{where_of(target)}: cannot write ({describe_os_error(exc)}); the old file is unchanged") from None
    except BaseException:
        with _suppress_oserror():
            os.unlink(tmp)
        raise
    return target


def where_of(path: Path) -> str:
    return shown_path(path)


@contextmanager
def _suppress_oserror() -> Iterator[None]:
    try:
        yield
    except OSError:
        pass
