"""Run an ensemble's chunks on a Dask cluster, with results identical to a local run.

Only the simulation is distributed.  Everything random (parameter draws, a sensitivity
design) is drawn once, locally, by the caller; the runs are then split into chunks of
consecutive run numbers, each chunk is simulated by :func:`innosd.ensemble.run_ensemble`
on a worker, and the chunks are put back together in run order.  A run's numbers depend
only on its own inputs, so the result is the one ``run_ensemble`` gives locally::

    from innosd.distributed import cluster, run_ensemble_distributed
    with cluster(workers=4) as client:           # or cluster(scheduler="tcp://host:8786")
        ds = run_ensemble_distributed(params, n, client, start=2015, stop=2030)

Dask is imported only inside the functions here, so nothing about Dask is needed unless
a cluster is asked for.  Workers of a remote scheduler need the same version of
``innosd`` installed (the model's code is compiled on each worker once, then cached).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Iterator, Mapping

import numpy as np
import xarray as xr

from ..core.equations import ModelError
from .ensemble import CHUNK, _slice


def split(params: Mapping[str, object], n: int, chunk: int) -> list[tuple[int, int, dict]]:
    """``(lo, hi, params of runs lo..hi-1)`` for consecutive chunks of at most ``chunk`` runs."""
    if chunk < 1:
        raise ModelError(f"chunk must be at least 1 run, got {chunk}")
    return [(lo, min(n, lo + chunk), {k: _slice(v, lo, min(n, lo + chunk), n) for k, v in params.items()})
            for lo in range(0, n, chunk)]


def _run_chunk(params: dict, lo: int, hi: int, run_kw: dict) -> xr.Dataset:
    """Worker side: simulate runs ``lo..hi-1`` in one piece and number them as in the whole."""
    from .ensemble import run_ensemble
    ds = run_ensemble(params, hi - lo, chunk=hi - lo, **run_kw)
    return ds.assign_coords(run=np.arange(lo, hi))


def n_workers(client) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # a client without scheduler info: assume one worker
        return 1


def default_chunk(n: int, client) -> int:
    """Two chunks per worker (so a slow worker does not hold the rest up), at most ``CHUNK`` runs."""
    return max(1, min(CHUNK, math.ceil(n / (2 * n_workers(client)))))


def run_ensemble_distributed(params: Mapping[str, object], n: int, client, *, chunk: int | None = None,
                             **run_kw) -> xr.Dataset:
    """:func:`innosd.ensemble.run_ensemble` with its chunks simulated on ``client``'s workers.

    ``params`` are the ensemble's inputs (scalars, arrays over the ``n`` runs, or Series),
    drawn locally beforehand; ``run_kw`` are run_ensemble's keywords (start, stop, dt,
    method, outputs, save_every).  The result equals ``run_ensemble(params, n, **run_kw)``.
    """
    if n < 1:
        raise ModelError(f"need at least one run, got {n}")
    if "chunk" in run_kw:
        raise ModelError("give chunk once, as run_ensemble_distributed(..., chunk=)")
    chunk = default_chunk(n, client) if chunk is None else int(chunk)
    futures = []
    for lo, hi, sub in split(params, n, chunk):
        [data] = client.scatter([sub], hash=False)  # one object per chunk, not one per array
        futures.append(client.submit(_run_chunk, data, lo, hi, dict(run_kw), pure=False))
    parts = client.gather(futures)
    return parts[0] if len(parts) == 1 else xr.concat(parts, dim="run", combine_attrs="override")


@contextmanager
def cluster(workers: int | None = None, scheduler: str | None = None, *, processes: bool = True,
            threads_per_worker: int = 1) -> Iterator[object]:
    """A Dask client: ``workers`` starts a LocalCluster of that many processes, ``scheduler``
    connects to a running scheduler (``tcp://host:port``); with neither, yields ``None``
    (run locally).  The cluster started here is closed on exit."""
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
