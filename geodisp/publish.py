"""Publishing a run's outputs: one run per output folder at a time, swapped in whole.

Layout of an output folder (``--out``, ``output.directory`` or ``layers/<event id>``)::

    <out>/latest          -> runs/<run id>   symbolic link, replaced in one rename
    <out>/runs/<run id>/  every file one run wrote (gpkg, qgs, csv, xlsx, tif, report, manifest)
    <out>/runs/.staging-<run id>/   the run being written (removed if the run fails)
    <out>/logs/           one log per run
    <out>/.geodisp.lock   held (flock) while a run works in the folder

Why: a folder of many files cannot be replaced file by file without a moment where it
mixes two runs. Here a run writes every file into its staging folder, renames that
folder to ``runs/<run id>`` (one rename) and then points ``latest`` at it (one more
rename, of a fresh symbolic link onto ``latest``). A kill at any instant therefore
leaves ``latest`` naming either the whole previous run or the whole new one; a kill
before the pointer moves leaves only a staging folder or an unreferenced run folder,
removed at the next start. The last ``keep`` runs are kept (the one ``latest`` names
is never removed), so a QGIS project still open on the previous run keeps working.

Where symbolic links cannot be made (Windows without developer mode) ``latest.txt``,
written atomically, holds the run id instead.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import secrets
import shutil
import stat
from pathlib import Path
from typing import Iterator

from geodisp.model.errors import InputError

RUNS = "runs"
LATEST = "latest"
LATEST_TXT = "latest.txt"
LOCK = ".geodisp.lock"
STAGING_PREFIX = ".staging-"
#: Runs kept in ``runs/`` after a publish (the newest first; ``latest``'s is always kept).
KEEP_RUNS = 2
#: Owner-only modes: outputs may hold records (damage points, shelters, rejects).
FILE_MODE = 0o600
DIR_MODE = 0o700


class OutputFolderBusy(InputError):
    """Another geodisp run holds the output folder's lock (exit code 2)."""


def new_run_id(now: dt.datetime | None = None) -> str:
    """A run id that sorts by start time and is unique across processes: ``20261201T223000.123456Z-3f9a1c``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%S.%f}Z-{secrets.token_hex(3)}"


def _lock_file(fd: int) -> bool:
    """Take an exclusive, non-blocking lock on ``fd``; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


@contextlib.contextmanager
def lock(out_dir: str | os.PathLike) -> Iterator[Path]:
    """Hold the output folder's exclusive lock for the block; ``OutputFolderBusy`` if another run holds it.

    The lock is the operating system's (``flock``), so it is released when the holder
    exits for any reason, even ``kill -9``; the lock file itself is never removed
    (removing it would let two runs lock two different files).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        if not _lock_file(fd):
            holder = ""
            with contextlib.suppress(OSError, ValueError):
                os.lseek(fd, 0, os.SEEK_SET)
                holder = os.read(fd, 64).decode("ascii", "replace").strip()
            raise OutputFolderBusy.coded("err_output_busy_pid" if holder else "err_output_busy", file=out_dir,
                                         **({"pid": holder} if holder else {}))
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, str(os.getpid()).encode("ascii"))  # for the message a second run prints
        yield out_dir
    finally:
        os.close(fd)  # closing releases the lock


def runs_dir(out_dir: Path) -> Path:
    """``<out>/runs``: one folder per finished run."""
    return Path(out_dir) / RUNS


def final_dir(staging: Path) -> Path:
    """Where :func:`publish` will move a staging folder: ``runs/<run id>``."""
    staging = Path(staging)
    return staging.with_name(staging.name[len(STAGING_PREFIX):])


def check_out_dir(out_dir: str | os.PathLike) -> Path:
    """The output folder, checked before any work: its name must be UTF-8 text (it is written
    into the manifest, the QGIS project and the report) and it must not be a file."""
    out_dir = Path(out_dir)
    try:
        str(out_dir).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError.coded("err_out_not_utf8", name=repr(os.fsencode(out_dir)), yaml_path="--out") from None
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError.coded("err_out_is_file", file=out_dir)
    return out_dir


def clean_stale(out_dir: str | os.PathLike) -> list[Path]:
    """Remove what killed runs left (staging folders, half-made pointers); call with the lock held.

    Returns the paths removed.
    """
    out_dir = Path(out_dir)
    removed: list[Path] = []
    runs = runs_dir(out_dir)
    current = latest(out_dir)
    if runs.is_dir():
        for entry in sorted(runs.iterdir()):
            # a staging folder, or a finished run killed before ``latest`` moved to it
            unpublished = current is not None and entry.is_dir() and entry.name > current.name
            if entry.name.startswith(STAGING_PREFIX) or unpublished:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    for entry in out_dir.glob(f".{LATEST}-*"):
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed.append(entry)
    return removed


def staging_dir(out_dir: str | os.PathLike, run_id: str) -> Path:
    """A fresh, owner-only staging folder for ``run_id`` inside ``<out>/runs``."""
    runs = runs_dir(Path(out_dir))
    runs.mkdir(parents=True, exist_ok=True)
    os.chmod(runs, DIR_MODE)
    path = runs / f"{STAGING_PREFIX}{run_id}"
    path.mkdir(mode=DIR_MODE)
    return path


def restrict(folder: Path) -> None:
    """Owner-only modes on ``folder`` and everything in it (files 0600, folders 0700)."""
    for root, dirs, files in os.walk(folder):
        os.chmod(root, DIR_MODE)
        for name in files:
            p = Path(root) / name
            if not p.is_symlink():
                os.chmod(p, FILE_MODE)


def _fsync_tree(folder: Path) -> None:
    """Flush every file and folder of ``folder`` to disk, so a power cut after the swap cannot leave empty files."""
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                fd = os.open(Path(root) / name, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def latest(out_dir: str | os.PathLike) -> Path | None:
    """The folder of the run ``latest`` names, or None before the first run."""
    out_dir = Path(out_dir)
    link = out_dir / LATEST
    if link.is_symlink() or link.is_dir():
        return link.resolve() if link.exists() else None
    txt = out_dir / LATEST_TXT
    if txt.is_file():
        run = runs_dir(out_dir) / txt.read_text(encoding="utf-8").strip()
        return run if run.is_dir() else None
    return None


def _point_latest(out_dir: Path, run: Path) -> None:
    """Point ``<out>/latest`` at ``run`` in one rename (a fresh link moved onto the old one)."""
    target = Path(RUNS) / run.name
    tmp = out_dir / f".{LATEST}-{run.name}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.symlink(target, tmp, target_is_directory=True)
    except (OSError, NotImplementedError):  # no symbolic links here: a pointer file instead
        txt_tmp = out_dir / f".{LATEST}-{run.name}.txt"
        txt_tmp.write_text(run.name + "\n", encoding="utf-8")
        os.replace(txt_tmp, out_dir / LATEST_TXT)
        return
    link = out_dir / LATEST
    if link.is_dir() and not link.is_symlink():
        raise InputError.coded("err_latest_is_folder", file=link)
    os.replace(tmp, link)
    _fsync_dir(out_dir)


def prune(out_dir: str | os.PathLike, keep: int = KEEP_RUNS) -> list[Path]:
    """Remove all but the newest ``keep`` finished runs; never the one ``latest`` names."""
    out_dir = Path(out_dir)
    runs = runs_dir(out_dir)
    if not runs.is_dir():
        return []
    current = latest(out_dir)
    finished = sorted((p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    removed = []
    for old in finished[: max(0, len(finished) - max(1, keep))]:
        if current is not None and old.resolve() == current:
            continue
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


def _legacy_outputs(out_dir: Path) -> list[Path]:
    """Files an older geodisp wrote straight into ``out_dir`` (listed in its top-level manifest.json)."""
    manifest = out_dir / "manifest.json"
    if not manifest.is_file():
        return []
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError, AttributeError):
        return []
    files = [out_dir / e["file"] for e in listed.values() if isinstance(e, dict) and isinstance(e.get("file"), str)]
    root = out_dir.resolve()
    return [f for f in files if f.resolve().is_relative_to(root) and f.is_file()] + [manifest]


def publish(staging: str | os.PathLike, out_dir: str | os.PathLike, keep: int = KEEP_RUNS) -> Path:
    """Make the complete run in ``staging`` the folder's ``latest`` run; return its final folder.

    Steps, each one atomic: flush to disk; rename ``runs/.staging-<id>`` to
    ``runs/<id>``; point ``latest`` at it; then remove runs beyond ``keep`` and files an
    older geodisp left at the top of the folder. Call with the folder's lock held.
    """
    staging, out_dir = Path(staging), Path(out_dir)
    if not staging.name.startswith(STAGING_PREFIX) or staging.parent != runs_dir(out_dir):
        raise ValueError(f"{staging} is not a staging folder of {out_dir}")
    restrict(staging)
    _fsync_tree(staging)
    final = final_dir(staging)
    os.rename(staging, final)
    _fsync_dir(final.parent)
    _point_latest(out_dir, final)
    prune(out_dir, keep)
    for stale in _legacy_outputs(out_dir):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    return final
