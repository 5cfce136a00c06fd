"""A real ``dask scheduler`` whose workers, or itself, go away: the run ends with exit 1 and
one clear line, never a hang or a page of asyncio tracebacks."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geodisp.demo import DemoFiles

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], log, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=tmp_path)


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=10)


def _wait_for_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("dask scheduler did not start")
            time.sleep(0.2)


@pytest.fixture()
def scheduler(tmp_path):
    port = _free_port()
    log = open(tmp_path / "dask.log", "w")
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", "--no-show"], log, tmp_path)]
    try:
        _wait_for_port(port, procs[0])
        yield f"tcp://127.0.0.1:{port}", procs, log
    finally:
        _stop(procs)
        log.close()


def _geodisp(event: Path, out: Path, scheduler: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "geodisp.cli", "run", str(event), "--out", str(out), "--scheduler", scheduler, "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
    )


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_losing_every_worker_times_out_with_exit_1(small_demo: DemoFiles, scheduler, tmp_path: Path) -> None:
    address, procs, log = scheduler
    worker = _start(["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"], log, tmp_path)
    procs.append(worker)
    from distributed import Client

    with Client(address, timeout=30) as c:  # the worker joins, then dies: the scheduler has none left
        c.wait_for_workers(1, timeout=30)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        deadline = time.time() + 30
        while c.scheduler_info()["workers"] and time.time() < deadline:
            time.sleep(0.2)
    run = _geodisp(small_demo.event, tmp_path / "out", address, GEODISP_NO_WORKERS_TIMEOUT="5")
    try:
        _, stderr = run.communicate(timeout=240)  # the old code waited here forever
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 1, stderr
    line = _one_line(stderr)
    assert "no Dask worker" in line and address in line and "GEODISP_NO_WORKERS_TIMEOUT" in line


def test_losing_the_scheduler_prints_one_line(small_demo: DemoFiles, scheduler, tmp_path: Path) -> None:
    address, procs, log = scheduler
    procs.append(_start(["worker", address, "--nthreads", "1", "--no-dashboard"], log, tmp_path))
    out = tmp_path / "out"
    run = _geodisp(small_demo.event, out, address)
    try:
        # the scheduler goes as soon as the overlay, which runs on it, has started
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and run.poll() is None:
            logs = list((out / "logs").glob("*.log")) if (out / "logs").is_dir() else []
            if logs and "stage overlay: start" in logs[0].read_text():
                os.killpg(procs[0].pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        _, stderr = run.communicate(timeout=240)
    finally:
        if run.poll() is None:
            run.kill()
    if run.returncode == 0:
        pytest.skip("the overlay finished before the scheduler was killed")
    assert run.returncode == 1, stderr
    line = _one_line(stderr)
    assert "Dask scheduler" in line and address in line
