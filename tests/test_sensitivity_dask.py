"""DaskEvaluator: bit-identical to the local run; faults lose or duplicate no sample."""

from __future__ import annotations

import functools

import distributed  # noqa: E402,F401  - a hard dependency (dask[distributed]): no skip
import numpy as np
import pandas as pd
import pytest

from model.uq import DaskEvaluator, LocalEvaluator, run_study, sample  # noqa: E402
from tests.support.testfunctions import (  # noqa: E402
    fault_once,
    ishigami,
    ishigami_problem,
)

CHUNK = 3000


@pytest.fixture(scope="module")
def local_study():
    return run_study(ishigami, ishigami_problem(), "sobol", 4096, seed=9,
                     evaluator=LocalEvaluator(chunk_size=CHUNK))


@pytest.fixture(scope="module")
def threaded_dask():
    with DaskEvaluator(n_workers=2, processes=False, chunk_size=CHUNK, retries=2) as ev:
        yield ev


def test_dask_threads_bit_identical(local_study, threaded_dask):
    res = run_study(ishigami, ishigami_problem(), "sobol", 4096, seed=9, evaluator=threaded_dask)
    assert len(threaded_dask.client.scheduler_info()["workers"]) == 2
    np.testing.assert_array_equal(res.X, local_study.X)
    np.testing.assert_array_equal(res.Y, local_study.Y)  # bit-identical
    pd.testing.assert_frame_equal(res.indices, local_study.indices, check_exact=True)


def test_dask_task_failure_retried(tmp_path, local_study, threaded_dask):
    """Chunk 3 raises once; the keyed task is retried and each chunk is assembled once."""
    X = local_study.X
    marker = tmp_path / "fault"
    f = functools.partial(fault_once, f=ishigami, marker=str(marker), trigger=X[3 * CHUNK, 0])
    Y = threaded_dask.evaluate(f, X)
    assert marker.exists()  # the fault did fire
    assert Y.shape == local_study.Y.shape
    np.testing.assert_array_equal(Y, local_study.Y)


def test_dask_failure_without_retries_raises(tmp_path, local_study):
    X = local_study.X[: 2 * CHUNK]
    f = functools.partial(fault_once, f=ishigami, marker=str(tmp_path / "m"), trigger=None)
    with DaskEvaluator(n_workers=1, processes=False, chunk_size=CHUNK, retries=0) as ev:
        with pytest.raises(RuntimeError, match="injected fault"):
            ev.evaluate(f, X)


@pytest.mark.slow
def test_dask_processes_bit_identical(local_study):
    with DaskEvaluator(n_workers=2, processes=True, chunk_size=CHUNK) as ev:
        res = run_study(ishigami, ishigami_problem(), "sobol", 4096, seed=9, evaluator=ev)
    np.testing.assert_array_equal(res.Y, local_study.Y)
    pd.testing.assert_frame_equal(res.indices, local_study.indices, check_exact=True)


def test_dask_worker_killed_mid_run(tmp_path, local_study):
    """A worker process dies (os._exit) while evaluating chunk 5; the nanny restarts it,
    the scheduler reschedules the lost key, and Y is still complete and identical."""
    X = sample(ishigami_problem(), "sobol", 4096, seed=9).X
    marker = tmp_path / "killed"
    f = functools.partial(fault_once, f=ishigami, marker=str(marker),
                          trigger=X[5 * 1000, 0], mode="exit")
    with DaskEvaluator(n_workers=2, processes=True, chunk_size=1000) as ev:
        before = set(ev.client.scheduler_info()["workers"])
        Y = ev.evaluate(f, X)
        after = set(ev.client.scheduler_info()["workers"])
    assert marker.exists()
    assert before != after  # a worker really died (the restarted one has a new address)
    np.testing.assert_array_equal(Y, local_study.Y)
