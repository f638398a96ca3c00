"""Ctrl-C for the command line: delivered where it can be raised, never lost, never a traceback.

Python raises ``KeyboardInterrupt`` at whatever bytecode runs when SIGINT arrives. In the first
second of ``mfgbase run`` that is usually inside an import (numpy, pandas, scipy), where it does
harm: in a weak-reference callback of the import lock it is *ignored* and printed as a traceback
("Exception ignored in ... _get_module_lock"); pandas turns it into "Unable to import required
dependency numpy", which the command line would report as a bug; and a swallowed interrupt lets
the run go on as if Ctrl-C had not been pressed.

:func:`deliver_outside_imports` installs a SIGINT handler that raises ``KeyboardInterrupt`` only
when no frame of the interrupted stack belongs to the import system; otherwise it re-delivers the
signal ``RETRY_S`` seconds later (the import has usually finished by then). An interrupt that
still lands in a context that cannot raise (a ``__del__`` or a weak-reference callback) is caught
by ``sys.unraisablehook`` and re-delivered the same way. So Ctrl-C always ends the command at a
point where the command line's own ``except KeyboardInterrupt`` reports it in one line.

Standard library only: this module is imported before anything heavy is.
"""

from __future__ import annotations

import _thread
import signal
import sys
import threading
from types import FrameType

RETRY_S = 0.02  # seconds between re-deliveries of a deferred Ctrl-C
_IMPORT_FILES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")

__all__ = ["RETRY_S", "deliver_outside_imports", "ignore_from_now_on", "restore"]

_saved: tuple | None = None


def _in_import(frame: FrameType | None) -> bool:
    """True when any frame of the stack from ``frame`` down belongs to the import machinery."""
    while frame is not None:
        if frame.f_code.co_filename in _IMPORT_FILES:
            return True
        frame = frame.f_back
    return False


def _redeliver_later() -> None:
    timer = threading.Timer(RETRY_S, _thread.interrupt_main)
    timer.daemon = True
    timer.start()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    if _in_import(frame):
        _redeliver_later()
        return
    raise KeyboardInterrupt


def _on_unraisable(unraisable) -> None:
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _redeliver_later()  # it could not be raised where it landed: raise it a moment later
        return
    sys.__unraisablehook__(unraisable)


def deliver_outside_imports() -> bool:
    """Install the handler (main thread only); True if this call installed it, False if it already was
    (or this is not the main thread). Undo with :func:`restore`."""
    global _saved
    if _saved is not None or threading.current_thread() is not threading.main_thread():
        return False
    _saved = (signal.getsignal(signal.SIGINT), sys.unraisablehook)
    signal.signal(signal.SIGINT, _on_sigint)
    sys.unraisablehook = _on_unraisable
    return True


def ignore_from_now_on() -> None:
    """The command has finished: ignore Ctrl-C (a deferred re-delivery then does nothing)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def restore() -> None:
    """Put back the SIGINT handler and unraisable hook that were there before."""
    global _saved
    if _saved is None:
        return
    handler, hook = _saved
    _saved = None
    signal.signal(signal.SIGINT, handler)
    sys.unraisablehook = hook
