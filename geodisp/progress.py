"""Per-task progress of the Dask work in progress, on whichever scheduler runs it.

``task_progress(report)`` calls ``report(done, total)`` as tasks finish:

- on Dask's local schedulers (threads, synchronous) through a ``dask.callbacks.Callback``,
  once per finished task;
- on a ``dask.distributed`` scheduler (``--workers N`` or ``--scheduler ADDR``), which
  never calls local callbacks, by asking the scheduler for its task counts every
  ``interval`` seconds from a background thread (``Client.run_on_scheduler``): done are
  the tasks in memory, released or erred, total every task the scheduler holds. The
  small function sent is pickled by value, so the scheduler needs no geodisp installed.

The client is looked up at each poll, so progress can be entered before the run makes
or connects its client. The callers render the counts in the chosen language.
"""
from __future__ import annotations

import contextlib
import sys
import threading
from typing import Any, Callable, Iterator

#: ``report(done, total)``.
TaskReport = Callable[[int, int], None]

#: Scheduler task states that count as finished.
DONE_STATES: tuple[str, ...] = ("memory", "released", "erred")


def local_tasks(report: TaskReport) -> Any:
    """A Dask callback reporting each finished task of the compute in progress (threaded and
    synchronous schedulers), so the bar moves chunk by chunk during the overlay and the rasters."""
    from dask.callbacks import Callback

    class TaskProgress(Callback):
        def _start_state(self, dsk: Any, state: dict) -> None:
            self.total = sum(len(state[k]) for k in ("ready", "waiting", "running", "finished"))
            report(0, self.total)

        def _posttask(self, key: Any, result: Any, dsk: Any, state: dict, worker_id: Any) -> None:
            report(len(state["finished"]), self.total)

    return TaskProgress()


def scheduler_task_counts(dask_scheduler: Any) -> dict[str, int]:
    """Run on the scheduler: how many of its tasks are in each state (summed over task groups, not tasks)."""
    counts: dict[str, int] = {}
    for group in list(dask_scheduler.task_groups.values()):
        for state, n in group.states.items():
            if state != "forgotten" and n:
                counts[state] = counts.get(state, 0) + n
    return counts


def done_and_total(counts: dict[str, int]) -> tuple[int, int]:
    """``(done, total)`` from a scheduler's task counts by state."""
    return sum(counts.get(s, 0) for s in DONE_STATES), sum(counts.values())


class SchedulerTasks:
    """While entered, poll the current ``distributed`` client's scheduler and report its task counts
    whenever they change (nothing when computations run without a distributed client)."""

    def __init__(self, report: TaskReport, interval: float = 0.5) -> None:
        self.report, self.interval = report, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="geodisp-progress", daemon=True)

    def __enter__(self) -> "SchedulerTasks":
        _pickle_by_value()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def poll(self) -> tuple[int, int] | None:
        """The scheduler's ``(done, total)`` now; None without a distributed client or when it does not answer."""
        from geodisp.cluster import current_client

        client = current_client()
        if client is None or getattr(client, "status", "") != "running":
            return None
        try:
            return done_and_total(client.run_on_scheduler(scheduler_task_counts))
        except Exception:  # a scheduler gone is reported by the cluster watchdog, not by progress
            return None

    def _loop(self) -> None:
        last = None
        while not self._stop.wait(self.interval):
            now = self.poll()
            if now is not None and now[1] > 0 and now != last:
                last = now
                self.report(*now)


def _pickle_by_value() -> None:
    """Send :func:`scheduler_task_counts` by value, so a scheduler without geodisp can run it."""
    try:
        import cloudpickle

        if __name__ not in cloudpickle.list_registry_pickle_by_value():
            cloudpickle.register_pickle_by_value(sys.modules[__name__])
    except (ImportError, AttributeError, ValueError):
        pass


@contextlib.contextmanager
def task_progress(report: TaskReport, interval: float = 0.5) -> Iterator[None]:
    """Report finished tasks of every Dask computation inside, local or distributed."""
    with local_tasks(report), SchedulerTasks(report, interval):
        yield
