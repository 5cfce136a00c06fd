"""Ctrl-C and SIGTERM (what SLURM sends at a time limit) stop a run cleanly: one line on
the terminal, exit 130 or 143, no staging folder left, the previous run untouched."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geodisp import publish
from geodisp.demo import DemoFiles


def _previous_run(out: Path) -> dict[str, bytes]:
    """A finished earlier run in ``out`` (its files, by name)."""
    staging = publish.staging_dir(out, publish.new_run_id())
    (staging / "manifest.json").write_text(json.dumps({"outputs": {"x": {"file": "x.csv"}}}))
    (staging / "x.csv").write_text("a,b\n1,2\n")
    final = publish.publish(staging, out)
    return {p.name: p.read_bytes() for p in final.iterdir()}


def _wait_for(out: Path, text: str, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for log in (out / "logs").glob("geodisp-*.log") if (out / "logs").is_dir() else ():
            if text in log.read_text(encoding="utf-8", errors="replace"):
                return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before '{text}': {proc.communicate()}")
        time.sleep(0.05)
    pytest.fail(f"no '{text}' in the log")


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_prints_one_line_and_leaves_the_previous_run(
    small_demo: DemoFiles, tmp_path: Path, sig: int, code: int
) -> None:
    out = tmp_path / "out"
    before = _previous_run(out)
    proc = subprocess.Popen([sys.executable, "-m", "geodisp.cli", "run", str(small_demo.event), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(out, "stage overlay: start", proc)
        os.kill(proc.pid, sig)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrumpido:"), stderr
    assert {p.name: p.read_bytes() for p in publish.latest(out).iterdir()} == before
    assert [p.name for p in (out / "runs").iterdir() if p.name.startswith(".")] == []
    log = next((out / "logs").glob("geodisp-*.log")).read_text()
    assert ("SIGTERM" if sig == signal.SIGTERM else "Ctrl-C") in log
