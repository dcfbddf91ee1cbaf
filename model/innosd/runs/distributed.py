"""Run an ensemble's chunks on a Dask cluster, with results identical to a local run.

Only the simulation is distributed. Everything random (parameter draws, a sensitivity
design) is drawn once, locally, by the caller; :func:`innosd.runs.ensemble.run_ensemble` splits
the runs into chunks of consecutive run numbers, a :class:`DaskEvaluator` simulates each chunk
on a worker, and the chunks are put back together in run order. A run's numbers depend only
on its own inputs, so the result is the one a local run gives::

    from innosd.runs.distributed import DaskEvaluator, cluster
    with cluster(workers=4) as client:           # or cluster(scheduler="tcp://host:8786")
        ds = run_ensemble(model, params, n, settings, evaluator=DaskEvaluator(client))

Dask is imported only inside the functions here, so nothing about Dask is needed unless a
cluster is asked for. The compiled model travels as its declarations and is compiled once per
worker (:func:`innosd.core.engine.compiled`); workers of a remote scheduler need the same
version of ``innosd`` installed.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Iterator

from ..core.equations import ModelError
from .ensemble import CHUNK, run_chunk


def n_workers(client) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # a client without scheduler info: assume one worker
        return 1


class DaskEvaluator:
    """Simulates an ensemble's chunks on ``client``'s workers (see the module docstring)."""

    def __init__(self, client):
        self.client = client

    def chunk_size(self, n: int) -> int:
        """Two chunks per worker (so a slow worker does not hold the rest up), at most ``CHUNK`` runs."""
        return max(1, min(CHUNK, math.ceil(n / (2 * n_workers(self.client)))))

    def __call__(self, model, parts, settings, outputs, arrays):
        [remote_model] = self.client.scatter([model], broadcast=True, hash=False)
        futures = []
        for lo, hi, sub in parts:
            [data] = self.client.scatter([sub], hash=False)  # one object per chunk, not one per array
            futures.append(self.client.submit(run_chunk, remote_model, data, lo, hi, settings, outputs, arrays,
                                              pure=False))
        return self.client.gather(futures)


@contextmanager
def cluster(workers: int | None = None, scheduler: str | None = None, *, processes: bool = True,
            threads_per_worker: int = 1) -> Iterator[object]:
    """A Dask client: ``workers`` starts a LocalCluster of that many processes, ``scheduler``
    connects to a running scheduler (``tcp://host:port``); with neither, yields ``None``
    (run locally). The cluster started here is closed on exit."""
    if workers is not None and scheduler is not None:
        raise ModelError("give either --workers (start a local cluster) or --scheduler (connect), not both")
    if workers is None and scheduler is None:
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ModelError("distributed runs need Dask: pip install 'innosd[distributed]'") from None
    if scheduler is not None:
        if "://" not in scheduler and ":" not in scheduler:
            raise ModelError(f"--scheduler {scheduler!r} is not an address; expected e.g. tcp://host:8786")
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ModelError(f"cannot connect to the Dask scheduler at {scheduler}: "
                             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        try:
            yield client
        finally:
            client.close()
        return
    if workers < 1:
        raise ModelError(f"--workers must be at least 1, got {workers}")
    import logging
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with LocalCluster(n_workers=workers, processes=processes, threads_per_worker=threads_per_worker,
                      dashboard_address=None) as lc, Client(lc) as client:
        yield client
