"""Shared pytest set-up."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# pyam's unit registry (iam_units -> pint) keeps a disk cache of parsed unit files under the
# user's cache folder, keyed by file content; an entry written by another virtualenv names that
# venv's files, and once that venv is gone `import pyam` fails with FileNotFoundError (seen on
# this machine: a cache pointing at a deleted worktree). The suite uses a cache of its own, so
# the result never depends on what other installs left in ~/.cache.
os.environ["IAM_UNITS_CACHE"] = _IAM_CACHE = tempfile.mkdtemp(prefix="mfgbase-test-iam-units-")
atexit.register(shutil.rmtree, _IAM_CACHE, ignore_errors=True)

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


def pytest_report_header(config):
    """Load (or, on a new machine, compile) the numba kernel once, and say how long it took."""
    from model import indicators, kernel  # noqa: F401  (indicators compiles its own block)

    return f"model kernel (numba): ready in {kernel.compile_seconds():.1f} s (compiled once per machine, then cached)"


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every pyplot figure a test leaves open, so figures cannot pile up across tests."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless Chromium, installed with apt-get when missing (root + apt).

    Skips only when installing is impossible here; fails when an install attempt fails.
    """
    from tests.support.browser import can_install_chromium, ensure_chromium

    path, reason = ensure_chromium(install=True)
    if path is None:
        possible, why = can_install_chromium()
        if not possible:
            pytest.skip(f"headless Chromium unavailable: {why}")
        pytest.fail(f"could not install Chromium: {reason}")
    return path
