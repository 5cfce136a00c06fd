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

A watchdog watches every client this module makes or connects: when the cluster has
had no worker for ``no_workers_timeout`` seconds (:data:`NO_WORKERS_TIMEOUT`, or
``GEODISP_NO_WORKERS_TIMEOUT``) or the scheduler stops answering, the computation is
interrupted and :class:`ClusterLost` raised with one line saying which, instead of
waiting forever. See docs/cluster.md and docs/reliability.md.

No other module creates a client; see docs/cluster.md.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import threading
import time
from typing import TYPE_CHECKING, Iterator

from geodisp.model.errors import InputError

if TYPE_CHECKING:
    from distributed import Client

#: ``scheme://host:port`` of a dask.distributed scheduler (host may be an IPv6 literal in brackets).
_ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})/?$")

#: Environment of local worker processes. GDAL's block cache defaults to 5 % of RAM
#: per process; the overlay reads each tile once, so a small cache keeps worker memory
#: bounded by the chunk size instead.
WORKER_ENV = {"GDAL_CACHEMAX": "64"}


#: Seconds a computation waits on a cluster with no worker before giving up.
NO_WORKERS_TIMEOUT = 120.0
#: Seconds between the watchdog's looks at the cluster.
WATCH_EVERY = 0.5

log = logging.getLogger("geodisp")


class ClusterLost(RuntimeError):
    """The Dask cluster lost every worker, or its scheduler, in the middle of a run (exit code 1)."""


def no_workers_timeout() -> float:
    """:data:`NO_WORKERS_TIMEOUT`, or ``GEODISP_NO_WORKERS_TIMEOUT`` seconds when set."""
    value = os.environ.get("GEODISP_NO_WORKERS_TIMEOUT", "").strip()
    try:
        return float(value) if value else NO_WORKERS_TIMEOUT
    except ValueError:
        raise ValueError(f"GEODISP_NO_WORKERS_TIMEOUT must be a number of seconds, got {value[:20]!r}") from None


class _Watchdog:
    """Interrupts the main thread (as Ctrl-C would) when the cluster has had no worker for
    ``timeout`` seconds or its scheduler stops answering; ``lost`` then says why."""

    def __init__(self, client: Client, timeout: float, address: str) -> None:
        self.client, self.timeout, self.address = client, timeout, address
        self.lost: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="geodisp-cluster-watchdog", daemon=True)

    def __enter__(self) -> "_Watchdog":
        if threading.current_thread() is threading.main_thread():  # only the main thread can be interrupted
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _watch(self) -> None:
        since = time.monotonic()
        while not self._stop.wait(WATCH_EVERY):
            try:
                workers = len(self.client.nthreads())
            except Exception:  # the scheduler is gone (or unreachable)
                self._fire(f"lost the Dask scheduler at {self.address}; the run stopped")
                return
            if workers:
                since = time.monotonic()
            elif time.monotonic() - since > self.timeout:
                self._fire(
                    f"no Dask worker for {self.timeout:g} s on the scheduler at {self.address}; the run stopped "
                    "(start workers, or set GEODISP_NO_WORKERS_TIMEOUT to wait longer)"
                )
                return

    def _fire(self, why: str) -> None:
        if self._stop.is_set():
            return
        self.lost = why
        log.error("cluster: %s", why)
        if hasattr(signal, "pthread_kill"):  # a real signal also wakes a main thread blocked in a wait
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        else:  # Windows
            import _thread

            _thread.interrupt_main()


def _connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` is how distributed reports a scheduler that went away."""
    from distributed.comm.core import CommClosedError

    return isinstance(exc, (CommClosedError, ConnectionError, TimeoutError)) or type(exc).__name__ in (
        "CancelledError", "FutureCancelledError", "AllExit",
    )


@contextlib.contextmanager
def _watched(c: Client, address: str) -> Iterator[Client]:
    """Yield ``c`` under a watchdog; turn an interruption it caused, or a lost connection, into ClusterLost."""
    with _Watchdog(c, no_workers_timeout(), address) as dog:
        try:
            yield c
        except KeyboardInterrupt:
            if dog.lost:
                raise ClusterLost(dog.lost) from None
            raise
        except Exception as exc:
            if dog.lost or _connection_lost(exc):
                raise ClusterLost(dog.lost or f"lost the Dask scheduler at {address}; the run stopped") from exc
            raise


def _default_workers() -> int:
    """One worker per usable core (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def check_scheduler_address(address: str) -> str:
    """``address`` if it is a scheduler address (``tcp://HOST:PORT``); InputError (exit 2) otherwise.

    Checked before any input is read, so a typo costs nothing.
    """
    match = _ADDRESS.match(str(address).strip())
    if match is None or not 0 < int(match.group(3)) < 65536:
        raise InputError.coded("err_scheduler_address", value=repr(str(address)[:80]), yaml_path="--scheduler")
    return str(address).strip()


@contextlib.contextmanager
def dask_context(scheduler: str | None = None, workers: int | None = None) -> Iterator[None]:
    """Where Dask work inside runs.

    A scheduler address or a worker count gets a ``distributed`` client (``client``);
    a client already current (a notebook's) is used as it is; otherwise Dask's
    threaded scheduler runs it in this process, which on one machine is about twice
    as fast as a local cluster of processes (BENCHMARKS.md).
    """
    if scheduler is not None or workers is not None or current_client() is not None:
        with client(scheduler=scheduler, workers=workers):
            yield
    else:
        yield


def current_client() -> "Client | None":
    """The client Dask would use now, or None when computations run without one."""
    try:
        from distributed import default_client

        return default_client()
    except ValueError:
        return None


@contextlib.contextmanager
def client(scheduler: str | None = None, workers: int | None = None) -> Iterator["Client"]:
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
        from distributed import Client

        address = check_scheduler_address(scheduler)
        try:
            connection = Client(address, set_as_default=True)  # waits distributed.comm.timeouts.connect
        except (OSError, TimeoutError) as exc:
            raise InputError.coded("err_scheduler_no_answer", address=address, error=type(exc).__name__,
                                   yaml_path="--scheduler") from None
        try:
            with _watched(connection, address) as c:
                yield c
        finally:
            with contextlib.suppress(Exception):  # a scheduler that is gone cannot be told goodbye
                connection.close(timeout=5)
        return

    found = current_client() if workers is None else None
    if found is not None:
        yield found
        return

    from distributed import Client, LocalCluster

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
    ) as cluster, Client(cluster, set_as_default=True) as c, _watched(c, str(cluster.scheduler_address)) as watched:
        yield watched
