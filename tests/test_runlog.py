"""Run logs: one file per run however close two runs start, the last N kept, each library warning once."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from geodisp import runlog


def test_two_runs_in_the_same_second_get_two_logs(tmp_path: Path) -> None:
    first = runlog.start(tmp_path)
    second = runlog.start(tmp_path)
    try:
        assert first.path != second.path and first.path.exists() and second.path.exists()
        assert first.path.stat().st_mode & 0o777 == 0o600
    finally:
        second.close()
        first.close()


def test_only_the_newest_logs_are_kept(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    old = [logs / f"geodisp-20200101-0000{i:02d}-000000-1-abcdef.log" for i in range(runlog.KEEP_LOGS + 5)]
    for p in old:
        p.write_text("old run\n")
    (logs / "notes.txt").write_text("not a log: left alone")
    log = runlog.start(tmp_path)
    log.close()
    kept = sorted(p.name for p in logs.glob("geodisp-*.log"))
    assert len(kept) == runlog.KEEP_LOGS and log.path.name in kept
    assert kept[0] == old[6].name  # the six oldest went (five extra plus room for this run's)
    assert (logs / "notes.txt").exists()


def test_a_repeated_library_warning_is_logged_once(tmp_path: Path) -> None:
    """Libraries that wrap each chunk in ``warnings.catch_warnings()`` reset Python's
    once-per-place memory, so the same warning comes back for every chunk."""
    script = textwrap.dedent(
        """
        import logging, sys, warnings
        from geodisp import runlog
        log = runlog.start(sys.argv[1])
        def chunk():
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.warn("invalid value encountered in divide", RuntimeWarning)
        for _ in range(50):
            chunk()
        for _ in range(5):
            logging.getLogger("distributed.worker").warning("Compute Failed for key x")
        logging.getLogger("geodisp").info("stage overlay: start")
        log.close()
        print(log.path)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # nothing on the terminal
    text = Path(proc.stdout.strip()).read_text()
    lines = [line for line in text.splitlines() if "repeated messages" not in line]
    assert sum("RuntimeWarning: invalid value encountered in divide" in l for l in lines) == 1
    assert sum("Compute Failed for key x" in l for l in lines) == 1
    summary = next(line for line in text.splitlines() if "repeated messages" in line)
    assert "49x" in summary and "4x" in summary  # the repeats are counted once, at the end
    assert "stage overlay: start" in text
