"""Staging and publishing a run's outputs: the one place that moves files into the output folder.

A run writes every file into a staging folder inside the output folder; only when
all of them (and the manifest) are complete are they moved onto their final names,
so a run that fails or is killed part-way leaves the previous run's outputs as
they were. Files the previous run wrote and this one did not are removed, so the
folder never mixes two runs.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator, Mapping


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A fresh staging folder inside ``out_dir`` (same file system, so moves are renames); removed on exit."""
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def previous_outputs(out_dir: Path) -> set[Path]:
    """Files the previous run in ``out_dir`` wrote, as listed in its manifest."""
    manifest = out_dir / "manifest.json"
    if not manifest.exists():
        return set()
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError):
        return set()
    return {out_dir / entry["file"] for entry in listed.values() if isinstance(entry, dict) and "file" in entry}


def publish(staged: Path, out_dir: Path, written: Mapping[str, Path]) -> dict[str, Path]:
    """Move every staged file onto its final name (one rename each); return the final paths by name.

    The manifest is moved last, so a manifest in ``out_dir`` always describes
    complete files. Files the previous run wrote and this one did not are removed.
    """
    previous = previous_outputs(out_dir)
    final: dict[str, Path] = {}
    for name in sorted(written, key=lambda n: n == "manifest"):
        target = out_dir / Path(written[name]).relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(written[name], target)
        final[name] = target
    for stale in previous - set(final.values()):
        if stale.resolve().is_relative_to(out_dir.resolve()) and stale.is_file():
            stale.unlink()
    return final
