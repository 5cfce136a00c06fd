"""Publishing a run: the output folder's lock, the whole-run swap under kills, stale staging, signals.

The kill test is a real ``SIGKILL``: a child process publishes a finished run while
every call that changes the folder's names (rename, replace, symlink, unlink, rmdir,
mkdir) counts itself; the child kills itself just before call number k, for every k
until a publish completes. After each kill the folder must show exactly one whole
run through ``latest``: every file of the previous run, or every file of the new one.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest

from geodisp import publish
from geodisp.publish import OutputFolderBusy

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from geodisp import publish
    staging, out, k = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    calls = [0]
    def counted(fn):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] == k:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return call
    for name in ("rename", "replace", "symlink", "unlink", "rmdir", "mkdir"):
        setattr(os, name, counted(getattr(os, name)))
    with publish.lock(out):
        publish.publish(staging, out, keep=2)
    print(calls[0])
    """
)


def _fake_run(folder: Path, tag: str, files: int) -> dict[str, str]:
    """A finished run's files (a manifest listing them); returns name -> sha256."""
    folder.mkdir(parents=True)
    digests = {}
    for i in range(files):
        name = f"sub/{tag}_{i}.txt" if i % 3 == 0 else f"{tag}_{i}.txt"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{tag} file {i}\n" * (i + 1), encoding="utf-8")
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps({"run": tag, "outputs": {n: {"file": n} for n in digests}}))
    return digests


def _whole_run(out: Path) -> str:
    """Which run ``latest`` shows, after checking every file it lists is there with its content."""
    run = publish.latest(out)
    assert run is not None and run.is_dir(), os.listdir(out)
    manifest = json.loads((run / "manifest.json").read_text())
    listed = {n for n in manifest["outputs"]}
    present = {p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file()} - {"manifest.json"}
    assert present == listed, (present ^ listed)
    for name in listed:
        assert (run / name).read_text().startswith(manifest["run"]), name
    return manifest["run"]


def _prepare(template: Path) -> str:
    """An output folder whose latest run is A (an older run R before it, and files an
    older geodisp left at the top) with run B staged; returns B's staging folder name."""
    out = template / "out"
    for tag, files in (("R", 3), ("A", 7)):
        staging = publish.staging_dir(out, publish.new_run_id())
        shutil.rmtree(staging)
        _fake_run(staging, tag, files)
        publish.publish(staging, out, keep=5)
    (out / "old_figures.csv").write_text("legacy")
    (out / "manifest.json").write_text(json.dumps({"outputs": {"figures": {"file": "old_figures.csv"}}}))
    staged = publish.staging_dir(out, publish.new_run_id())
    shutil.rmtree(staged)
    _fake_run(staged, "B", 8)
    return staged.name


def test_a_kill_at_every_step_of_the_publish_leaves_one_whole_run(tmp_path: Path) -> None:
    template = tmp_path / "template"
    staged_name = _prepare(template)
    shown_after_kill = []
    for k in range(1, 200):
        work = tmp_path / f"k{k}"
        shutil.copytree(template, work, symlinks=True)
        out = work / "out"
        assert _whole_run(out) == "A"
        staged = out / "runs" / staged_name
        proc = subprocess.run([sys.executable, "-c", KILLER, str(staged), str(out), str(k)],
                              capture_output=True, text=True, timeout=60)
        shown = _whole_run(out)
        if proc.returncode == 0:
            assert shown == "B"
            assert not (out / "old_figures.csv").exists() and not (out / "manifest.json").exists()
            break
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        shown_after_kill.append(shown)
        with publish.lock(out):  # the next run's start clears what the killed one left
            publish.clean_stale(out)
        assert _whole_run(out) == shown
        assert not [p for p in (out / "runs").iterdir() if p.name.startswith(publish.STAGING_PREFIX)]
        assert not list(out.glob(".latest-*"))
        shutil.rmtree(work)
    else:
        pytest.fail("the publish never completed")
    # kills landed before the swap (A shown) and after it (B shown), at every step in between
    assert shown_after_kill[0] == "A" and shown_after_kill[-1] == "B"
    assert shown_after_kill == sorted(shown_after_kill)  # once B is shown, never A again
    assert len(shown_after_kill) >= 8
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert len(runs) == 2 and publish.latest(out).name == runs[-1]


@contextlib.contextmanager
def held_by_another_process(out: Path) -> Iterator[subprocess.Popen]:
    """Another process holding ``out``'s lock for the block; it is killed (SIGKILL) at the end."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from geodisp import publish\n"
         "with publish.lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)", str(out)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_second_run_on_the_same_folder_exits_2_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with held_by_another_process(out) as holder:
        with pytest.raises(OutputFolderBusy, match="another geodisp run") as info:
            with publish.lock(out):
                pass
        assert str(out) in str(info.value) and str(holder.pid) in str(info.value)
    with publish.lock(out):  # released when its holder died, even by SIGKILL
        pass


def test_stale_staging_folders_are_removed_at_the_next_start(tmp_path: Path) -> None:
    out = tmp_path / "out"
    left = publish.staging_dir(out, publish.new_run_id())
    (left / "half.gpkg").write_bytes(b"x" * 10)
    with publish.lock(out):
        removed = publish.clean_stale(out)
    assert removed == [left] and not left.exists()


def test_published_runs_are_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    staging = publish.staging_dir(out, publish.new_run_id())
    (staging / "rejects.csv").write_text("source,file,record,reason\n")
    os.chmod(staging / "rejects.csv", 0o644)
    final = publish.publish(staging, out)
    assert (final / "rejects.csv").stat().st_mode & 0o777 == 0o600
    assert final.stat().st_mode & 0o777 == 0o700


def test_write_alone_takes_the_folder_lock_a_run_takes(tmp_path: Path) -> None:
    """``geodisp.write`` called on its own (a notebook) holds the same lock as ``geodisp run``:
    with another process holding the folder, it raises before writing anything; once the
    holder is gone it writes."""
    import geodisp
    from test_outputs_fixture import sample_result

    result = sample_result(tmp_path)
    out = tmp_path / "out"
    with held_by_another_process(out):
        with pytest.raises(OutputFolderBusy, match="another geodisp run"):
            geodisp.write(result, out)
        assert sorted(p.name for p in out.iterdir()) == [publish.LOCK]  # nothing written
    paths = geodisp.write(result, out)
    assert paths["geopackage"].is_file() and paths["rejects"].is_file()
