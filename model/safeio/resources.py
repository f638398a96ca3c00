"""Resource caps of the command line: workers, memory, scheduler addresses.

- ``cap_workers``: never more local worker processes than CPUs this process may use
  (``os.sched_getaffinity``), with a note saying so;
- ``design_rows`` / ``study_bytes`` / ``check_memory``: a study whose estimated memory exceeds
  what the machine has available (``MemAvailable`` of ``/proc/meminfo``, and the cgroup limit
  if lower) is refused before anything is allocated;
- ``check_scheduler``: a dask scheduler address is parsed and a TCP connection tried with a
  short timeout, so a closed port or a garbage address is reported in seconds.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

from model.errors import InputError
from model.safeio.text import quoted

SCHEDULER_TIMEOUT_S = 3.0
SCHEDULER_SCHEMES = ("tcp", "tls")
#: bytes per stored float; the estimate counts the input matrix X, the outputs Y and one
#: working copy of each (sampling fills X in place; the analysis resamples Y).
FLOAT_BYTES = 8
COPIES = 2


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def cap_workers(requested: int | None) -> tuple[int | None, str | None]:
    """(workers to start, note or None): at most the number of usable CPUs."""
    if requested is None:
        return None, None
    cpus = usable_cpus()
    if requested > cpus:
        return cpus, f"--workers {requested} capped at {cpus}: this machine has {cpus} usable CPU core(s)"
    return requested, None


def design_rows(method: str, n: int, d: int) -> int:
    """Upper bound of the model runs of a design (see model/sensitivity/sampling.py's table)."""
    n, d = int(n), int(d)
    if method == "sobol":
        base = 1 << max(0, (n - 1).bit_length())
        return base * (2 * d + 2)
    if method == "morris":
        return n * (d + 1)
    if method == "fast":
        return n * d
    return n


def study_bytes(method: str, n: int, d: int, outputs: int) -> int:
    """Estimated bytes of a study: rows x (inputs + outputs) floats, ``COPIES`` times."""
    return design_rows(method, n, d) * (d + outputs) * FLOAT_BYTES * COPIES


def available_memory() -> int | None:
    """Bytes this process can still get: min(MemAvailable, cgroup limit - usage); None if unknown."""
    avail = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                avail = int(line.split()[1]) * 1024
                break
    except (OSError, ValueError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text(encoding="ascii").strip())
        if limit != "max":
            room = int(limit) - used
            avail = room if avail is None else min(avail, room)
    except (OSError, ValueError):
        pass
    return avail


def _gib(x: float) -> str:
    return f"{x / 2**30:,.1f} GiB"


def check_memory(needed: int, what: str, error: type[Exception] = InputError) -> None:
    """Raise ``error`` if ``needed`` bytes exceed the available memory."""
    avail = available_memory()
    if avail is not None and needed > avail:
        raise error(f"{what} needs about {_gib(needed)} of memory; this machine has {_gib(avail)} available")


def check_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT_S, error: type[Exception] = InputError) -> None:
    """Refuse a malformed or unreachable dask scheduler address within ``timeout`` seconds."""
    text = address.strip()
    parts = urlsplit(text if "://" in text else f"tcp://{text}")
    shown = quoted(address, 100)
    allowed = "allowed tcp://host:port (e.g. tcp://127.0.0.1:8786)"
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEDULER_SCHEMES or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise error(f"--scheduler: {shown} is not a scheduler address; {allowed}")
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except socket.gaierror:
        raise error(f"--scheduler: {shown}: unknown host {quoted(parts.hostname, 60)}") from None
    except TimeoutError:
        raise error(f"--scheduler: {shown}: no answer within {timeout:g} s (is `dask scheduler` running there?)") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise error(f"--scheduler: {shown}: cannot connect ({reason}); is `dask scheduler` running there?") from None
