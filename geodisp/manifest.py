"""The run manifest: which inputs, which parameters, how many rows, how long.

Every figure a run writes can be traced to the exact bytes it came from: each input
is listed with its path, size and SHA-256, beside the geodisp version and the
parameters in force.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .io import atomic_path


def sha256(path: Path, block: int = 1 << 20) -> str:
    """SHA-256 of a file, or of every file in a folder (shapefile sets, zarr) in name order."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        with f.open("rb") as fh:
            while chunk := fh.read(block):
                digest.update(chunk)
    return digest.hexdigest()


def describe_file(path: Path) -> dict[str, Any]:
    """Path, size in bytes and SHA-256 of one input."""
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    return {"path": str(path), "bytes": int(size), "sha256": sha256(path)}


def build_manifest(
    event: Any,
    counts: pd.DataFrame,
    timings: dict[str, float],
    outputs: dict[str, Path],
    out_dir: Path,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest as a plain mapping (JSON-ready); output files are listed relative to ``out_dir``."""
    inputs = {name: describe_file(path) for name, path in event.input_paths().items()}
    if event.source_file is not None:
        inputs["event_file"] = describe_file(Path(event.source_file))
    return {
        "geodisp_version": __version__,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "event": event.event.model_dump(mode="json"),
        "inputs": inputs,
        "parameters": event.model_dump(mode="json", exclude={"event"}),
        "rows": counts.to_dict(orient="records"),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "outputs": {name: {"file": Path(p).relative_to(out_dir).as_posix()} for name, p in outputs.items()},
        "figures_are": "flows: displacements, not distinct people (as in IDMC's GIDD)",
        **(extra or {}),
    }


def write_manifest(manifest: dict[str, Any], path: Path) -> Path:
    """Write the manifest as indented UTF-8 JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path
