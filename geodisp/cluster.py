"""The one place that makes or finds a ``dask.distributed`` Client.

Every Dask computation in geodisp (the overlay crosstab, point assignment) runs on
whatever client is current, or on Dask's threaded scheduler when there is none.
``client()`` is how the pipeline, the CLI and notebooks get one:

- ``client()``: a ``LocalCluster`` of worker *processes* (one thread each, one per
  core), so the GIL-bound parts of rasterising and point tests use every core; it
  is closed on exit.
- ``client(scheduler="tcp://host:8786")``: connect to an existing cluster (started
  with ``dask scheduler`` / ``dask worker``, dask-jobqueue or dask-kubernetes); only
  the connection is closed on exit, never the cluster.
- ``client()`` inside an existing client (a notebook that made its own): that client
  is found and reused, and left open.

No other module creates a client; see docs/cluster.md.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

from distributed import Client, LocalCluster

#: Environment of local worker processes. GDAL's block cache defaults to 5 % of RAM
#: per process; the overlay reads each tile once, so a small cache keeps worker memory
#: bounded by the chunk size instead.
WORKER_ENV = {"GDAL_CACHEMAX": "64"}


def _default_workers() -> int:
    """One worker per usable core (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def current_client() -> Client | None:
    """The client Dask would use now, or None when computations run without one."""
    try:
        from distributed import default_client

        return default_client()
    except ValueError:
        return None


@contextlib.contextmanager
def client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """Yield a ``distributed.Client`` that is the default for Dask computations inside.

    ``scheduler``: address of an existing scheduler (``tcp://HOST:PORT``); ``workers``
    must then be None (the cluster decides). Without ``scheduler``, a client already
    current is reused when ``workers`` is None; otherwise a ``LocalCluster`` with
    ``workers`` processes (default: one per core), one thread each, is started and
    shut down on exit.
    """
    if scheduler is not None:
        if workers is not None:
            raise ValueError(
                "workers applies to a local cluster only; an existing scheduler "
                f"({scheduler}) has the workers it was started with"
            )
        if not str(scheduler).startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
            raise ValueError(
                f"scheduler must be an address such as tcp://HOST:PORT, got {scheduler!r}"
            )
        with Client(scheduler, set_as_default=True) as c:
            yield c
        return

    found = current_client() if workers is None else None
    if found is not None:
        yield found
        return

    n = workers if workers is not None else _default_workers()
    if n < 1:
        raise ValueError(f"workers must be at least 1, got {n}")
    with LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        memory_limit="auto",
        env=WORKER_ENV,
    ) as cluster, Client(cluster, set_as_default=True) as c:
        yield c
