"""Per-task progress on a distributed scheduler: a real ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1 (the fixture of test_cluster), the command line's progress in its log."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import dask
import dask.array as da
import pytest

from geodisp import cluster
from geodisp.demo import DemoFiles
from geodisp.progress import SchedulerTasks, done_and_total, scheduler_task_counts
from test_cluster import real_cluster  # noqa: F401  (the fixture: dask scheduler + 2 workers)


def _slow(block):
    time.sleep(0.02)  # long enough for the poll to see the tasks part-way; nothing is timed
    return block


def test_task_counts_by_state_add_up() -> None:
    class Group:
        def __init__(self, states):
            self.states = states

    class Scheduler:
        task_groups = {"a": Group({"memory": 3, "processing": 2, "forgotten": 7}), "b": Group({"released": 1, "waiting": 4})}

    counts = scheduler_task_counts(Scheduler())
    assert counts == {"memory": 3, "processing": 2, "released": 1, "waiting": 4}  # forgotten tasks left out
    assert done_and_total(counts) == (4, 10)


@pytest.mark.slow
def test_progress_moves_with_a_distributed_scheduler(real_cluster):  # noqa: F811
    """The local Dask callback never fires on a distributed scheduler; the scheduler's own counts do move."""
    seen: list[tuple[int, int]] = []
    blocks = 120
    with cluster.client(scheduler=real_cluster) as c:
        c.wait_for_workers(2, timeout=15)
        with SchedulerTasks(lambda done, total: seen.append((done, total)), interval=0.05) as tasks:
            x = da.ones((blocks * 10,), chunks=10).map_blocks(_slow, dtype=float)
            future = c.compute(x.sum())
            assert future.result() == blocks * 10
            final = tasks.poll()  # the result still held: every task of the graph is done
    assert final is not None and final[0] == final[1] >= blocks
    assert seen, "no progress reported"
    assert any(0 < done < total for done, total in seen), seen  # it moved part-way, not only at the end
    assert all(done <= total for done, total in seen)


@pytest.mark.slow
def test_command_line_progress_reaches_the_log_with_a_scheduler(small_demo: DemoFiles, real_cluster, tmp_path: Path):  # noqa: F811
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "geodisp.cli", "run", str(small_demo.event), "--out", str(out),
                           "--scheduler", real_cluster], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    log = next((out / "logs").glob("geodisp-*.log")).read_text(encoding="utf-8")
    lines = re.findall(r"geodisp: Superposición: (\d+) de (\d+) tareas", log)
    assert lines, log[-3000:]
    counts = [(int(d), int(t)) for d, t in lines]
    assert all(d <= t for d, t in counts) and any(d > 0 for d, _ in counts)
    assert "tasks" not in " ".join(re.findall(r"geodisp: [^\n]*tareas", log))  # in the chosen language
    en = subprocess.run([sys.executable, "-m", "geodisp.cli", "run", str(small_demo.event), "--out", str(tmp_path / "en"),
                         "--scheduler", real_cluster, "--lang", "en", "--quiet"], capture_output=True, text=True, timeout=600)
    assert en.returncode == 0, en.stderr
    log_en = next((tmp_path / "en" / "logs").glob("geodisp-*.log")).read_text(encoding="utf-8")
    assert re.search(r"geodisp: Overlay: \d+ of \d+ tasks", log_en), log_en[-3000:]


def test_progress_with_no_distributed_client_reports_nothing_from_the_scheduler() -> None:
    seen: list[tuple[int, int]] = []
    with dask.config.set(scheduler="threads"), SchedulerTasks(lambda d, t: seen.append((d, t)), interval=0.01) as tasks:
        da.ones((100,), chunks=10).sum().compute()
        assert tasks.poll() is None
    assert seen == []
