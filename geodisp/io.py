"""Atomic file writing: write to a temporary name beside the target, rename when done.

A run that fails or is killed part-way leaves no half-written file and leaves an
earlier run's file at the same path intact.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; on success rename it onto ``target``.

    The temporary name keeps ``target``'s extension (GDAL picks drivers by it).
    On error the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    ext = suffix if suffix is not None else "".join(target.suffixes[-1:])
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{ext}", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # let the writer create it (GDAL refuses some existing empty files)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        for leftover in (tmp_path, Path(str(tmp_path) + "-journal"), Path(str(tmp_path) + "-wal"), Path(str(tmp_path) + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
