"""Evaluation back-ends: run a vectorised ``f(X: (n, D)) -> Y: (n, K)`` over a design.

All back-ends split ``X`` into the same contiguous row chunks
(:func:`chunk_bounds`), evaluate each chunk independently and assemble the results
in chunk order, so a local and a distributed run with the same ``chunk_size`` give
bit-identical ``Y``.

Back-ends are context managers::

    with DaskEvaluator(n_workers=2, chunk_size=4096) as ev:
        Y = ev.evaluate(f, X)

``f`` must be deterministic and, for :class:`DaskEvaluator` with processes or a
remote scheduler, picklable (a module-level function, a ``functools.partial`` of one, or an
object with ``__call__`` that carries its own data - never a path to re-read in workers).
An object may define ``__dask_tokenize__`` to make task keys cheap.
A 1-D result is treated as one output (K = 1).
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable
from typing import Any

import numpy as np

ModelFn = Callable[[np.ndarray], np.ndarray]

DEFAULT_CHUNK_SIZE = 8192


class EvaluationError(RuntimeError):
    """The function returned something malformed or chunks went missing."""


def chunk_bounds(n_rows: int, chunk_size: int) -> list[tuple[int, int]]:
    """Contiguous ``[start, stop)`` row ranges of at most ``chunk_size`` rows covering ``n_rows``."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    return [(s, min(s + chunk_size, n_rows)) for s in range(0, n_rows, chunk_size)]


def evaluate_chunk(f: ModelFn, X_chunk: np.ndarray, index: int = 0) -> tuple[int, np.ndarray]:
    """Evaluate one chunk and validate the shape; returns ``(index, Y_chunk)`` (float64, 2-D)."""
    Y = np.asarray(f(X_chunk), dtype=np.float64)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != X_chunk.shape[0]:
        raise EvaluationError(
            f"f returned shape {Y.shape} for a chunk of {X_chunk.shape[0]} rows; "
            "expected (rows, K)"
        )
    return index, Y


def _assemble(parts: dict[int, np.ndarray], n_chunks: int, counts: dict[int, int]) -> np.ndarray:
    """Concatenate chunk results by index; every index must be present exactly once."""
    bad = {i: c for i, c in counts.items() if c != 1}
    missing = [i for i in range(n_chunks) if i not in parts]
    if bad or missing or len(parts) != n_chunks:
        raise EvaluationError(
            f"chunk bookkeeping failed: missing={missing}, received more than once={bad}"
        )
    widths = {p.shape[1] for p in parts.values()}
    if len(widths) != 1:
        raise EvaluationError(f"chunks returned different numbers of outputs: {sorted(widths)}")
    return np.concatenate([parts[i] for i in range(n_chunks)], axis=0)


class Evaluator(abc.ABC):
    """Interface of an evaluation back-end (context manager)."""

    chunk_size: int

    def __enter__(self) -> Evaluator:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self) -> None:  # noqa: B027 - optional hook
        """Acquire resources (idempotent)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (idempotent)."""

    @abc.abstractmethod
    def evaluate(self, f: ModelFn, X: np.ndarray) -> np.ndarray:
        """Return ``Y = f(X)`` as float64 array of shape ``(n, K)``."""


class LocalEvaluator(Evaluator):
    """Evaluate in-process, chunk by chunk (bounded peak memory of ``f``).

    Parameters
    ----------
    chunk_size : int
        Rows per call of ``f``.
    progress : bool
        Show a tqdm progress bar (one tick per chunk).
    """

    def __init__(self, chunk_size: int = DEFAULT_CHUNK_SIZE, progress: bool = False) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
        self.chunk_size = int(chunk_size)
        self.progress = progress

    def evaluate(self, f: ModelFn, X: np.ndarray) -> np.ndarray:
        from tqdm.auto import tqdm

        X = np.asarray(X, dtype=np.float64)
        bounds = chunk_bounds(X.shape[0], self.chunk_size)
        parts: dict[int, np.ndarray] = {}
        counts: dict[int, int] = {}
        for i, (a, b) in enumerate(
            tqdm(bounds, desc="evaluate", unit="chunk", disable=not self.progress, leave=False)
        ):
            idx, Y = evaluate_chunk(f, X[a:b], i)
            parts[idx] = Y
            counts[idx] = counts.get(idx, 0) + 1
        return _assemble(parts, len(bounds), counts)


def _worker_malloc_environ() -> dict[str, int]:
    """glibc malloc settings for local worker processes.

    The dask nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in workers, which also switches off
    glibc's dynamic mmap threshold: every numpy temporary above 128 kB is then a fresh
    ``mmap`` with page faults, and vectorised models with many (rows, years, sectors)
    temporaries run about 2x slower in a worker than in the client. A 32 MB mmap threshold
    and 256 MB trim threshold restore the speed (memory is still returned above 256 MB).
    Only applied to clusters this evaluator starts; a user's dask config takes precedence.
    """
    import dask

    env = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    out: dict[str, int] = {}
    if env.get("MALLOC_TRIM_THRESHOLD_") in (None, 65536):
        out["distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"] = 2**28
    if "MALLOC_MMAP_THRESHOLD_" not in env:
        out["distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_"] = 2**25
    return out


class DaskEvaluator(Evaluator):
    """Evaluate chunks as dask.distributed tasks.

    One task per chunk, keyed deterministically by the chunk index and a hash of
    ``(token(f), X_chunk)`` (``sa-chunk-<index>-<token>``), submitted with ``retries``. If a
    worker dies or a task raises, the scheduler re-runs that key; results are
    collected by chunk index and each index must arrive exactly once, so no sample
    is lost or duplicated and ``Y`` is bit-identical to :class:`LocalEvaluator`.

    Parameters
    ----------
    n_workers : int, optional
        Start a ``LocalCluster`` with this many workers (default 2 if neither
        ``n_workers`` nor ``scheduler_address``/``client`` is given).
    scheduler_address : str, optional
        Connect to an existing scheduler (``tcp://host:8786``).
    client : distributed.Client, optional
        Use an existing client (not closed by this evaluator).
    chunk_size : int
        Rows per task.
    processes : bool
        LocalCluster with worker processes (True) or threads in this process (False).
    threads_per_worker : int
    retries : int
        Extra attempts per task after an exception (worker deaths are retried by the
        scheduler up to ``distributed.scheduler.allowed-failures``).
    progress : bool
        tqdm bar over completed chunks.
    cluster_kwargs : dict
        Extra keyword arguments for ``LocalCluster``.
    """

    def __init__(
        self,
        n_workers: int | None = None,
        scheduler_address: str | None = None,
        *,
        client: Any = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        processes: bool = True,
        threads_per_worker: int = 1,
        retries: int = 3,
        progress: bool = False,
        cluster_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if n_workers is not None and scheduler_address is not None:
            raise ValueError("give n_workers or scheduler_address, not both")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
        self.n_workers = n_workers
        self.scheduler_address = scheduler_address
        self.chunk_size = int(chunk_size)
        self.processes = processes
        self.threads_per_worker = threads_per_worker
        self.retries = int(retries)
        self.progress = progress
        self.cluster_kwargs = dict(cluster_kwargs or {})
        self._client = client
        self._own_client = client is None
        self._cluster: Any = None

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (started on first use)."""
        self.start()
        return self._client

    def start(self) -> None:
        if self._client is not None:
            return
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler_address is not None:
            self._client = Client(self.scheduler_address)
        else:
            kw = {
                "n_workers": self.n_workers or 2,
                "threads_per_worker": self.threads_per_worker,
                "processes": self.processes,
                "dashboard_address": ":0",  # random free port, never clashes
            }
            kw.update(self.cluster_kwargs)
            with dask.config.set(_worker_malloc_environ()):
                self._cluster = LocalCluster(**kw)
            self._client = Client(self._cluster)
        self._own_client = True

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def evaluate(self, f: ModelFn, X: np.ndarray) -> np.ndarray:
        from dask.base import tokenize
        from distributed import as_completed
        from tqdm.auto import tqdm

        client = self.client
        X = np.asarray(X, dtype=np.float64)
        bounds = chunk_bounds(X.shape[0], self.chunk_size)
        width = max(6, int(math.log10(max(len(bounds), 1))) + 1)
        f_token = tokenize(f)  # once: f may carry a whole model (it is shipped with each task)
        futures = {}
        for i, (a, b) in enumerate(bounds):
            chunk = X[a:b]
            key = f"sa-chunk-{i:0{width}d}-{tokenize(f_token, chunk)}"
            fut = client.submit(
                evaluate_chunk, f, chunk, i, key=key, pure=True, retries=self.retries
            )
            futures[fut.key] = (i, fut)
        parts: dict[int, np.ndarray] = {}
        counts: dict[int, int] = {}
        bar = tqdm(total=len(bounds), desc="evaluate", unit="chunk", disable=not self.progress)
        try:
            for fut, (idx, Y) in as_completed(
                [v[1] for v in futures.values()], with_results=True
            ):
                expected = futures[fut.key][0]
                if idx != expected:
                    raise EvaluationError(f"task {fut.key} returned chunk {idx}, expected {expected}")
                counts[idx] = counts.get(idx, 0) + 1
                parts[idx] = Y
                bar.update(1)
        finally:
            bar.close()
            for _, fut in futures.values():
                fut.release()
        return _assemble(parts, len(bounds), counts)


def evaluate(
    f: ModelFn, X: np.ndarray, evaluator: Evaluator | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> np.ndarray:
    """Evaluate ``f`` over ``X`` with ``evaluator`` (default: :class:`LocalEvaluator`)."""
    ev = evaluator or LocalEvaluator(chunk_size=chunk_size)
    return ev.evaluate(f, X)
