"""``run(event) -> Result``: the stages in order, nothing else.

event file -> sources (read, normalise, validate) -> overlay (Dask) -> estimate ->
layers. ``geodisp run event.yaml`` on the command line and ``geodisp.run(...)`` in
a notebook are this same call.

Outputs are written into a staging folder inside the output folder and moved into
place only when every file is complete, so a run that fails or is killed part-way
leaves the previous run's outputs as they were.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import geopandas as gpd
import pandas as pd

from geodisp.config.event import Event, load_event
from geodisp.estimators import estimate_all
from geodisp.estimators.forecast import anticipatory
from geodisp.estimators.shelters import summarise_shelters
from geodisp.model.rejects import concat_rejects
from geodisp.model.vocab import DAMAGE_LEVELS
from geodisp.zonal.crosstab import crosstab, hazard_raster
from geodisp.zonal.points import assign_points
from geodisp.zonal.zones import zone_raster

from . import cluster
from .inputs import read_sources, source_notes
from .io import atomic_path
from .manifest import build_manifest, write_manifest
from .outputs import write_all
from .result import Result

log = logging.getLogger("geodisp")

#: Called with a stage name when it starts ("sources", "overlay", "estimate", "layers").
StageHook = Callable[[str], None]


@contextlib.contextmanager
def _stage(name: str, timings: dict[str, float], hook: Optional[StageHook]) -> Iterator[None]:
    if hook is not None:
        hook(name)
    log.info("stage %s: start", name)
    t0 = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - t0
    log.info("stage %s: %.2f s", name, timings[name])


def _dask_context(scheduler: str | None, workers: int | None) -> contextlib.AbstractContextManager:
    """Where the overlay's Dask work runs.

    A scheduler address or a worker count gets a ``distributed`` client (see
    ``geodisp.cluster``); a client already current (a notebook's) is used as it is;
    otherwise Dask's threaded scheduler runs it in this process, which on one
    machine is about twice as fast as a local cluster of processes (BENCHMARKS.md).
    """
    if scheduler is not None or workers is not None or cluster.current_client() is not None:
        return cluster.client(scheduler=scheduler, workers=workers)
    return contextlib.nullcontext()


def default_cache_dir() -> Path:
    """Zone-raster cache: $GEODISP_CACHE, else ~/.cache/geodisp/zones."""
    env = os.environ.get("GEODISP_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "geodisp" / "zones"


def dwellings_per_unit(points: Optional[gpd.GeoDataFrame], counts: Optional[pd.DataFrame]) -> pd.DataFrame:
    """Damaged dwellings per (cvegeo, damage_level) from assigned points and/or count tables."""
    parts = []
    if points is not None and len(points):
        parts.append(points.groupby(["cvegeo", "damage_level"]).size().rename("dwellings").reset_index())
    if counts is not None and len(counts):
        parts.append(counts[["cvegeo", "damage_level", "dwellings"]])
    if not parts:
        return pd.DataFrame({"cvegeo": pd.Series(dtype=str), "damage_level": pd.Series(dtype=str), "dwellings": pd.Series(dtype=float)})
    table = pd.concat(parts, ignore_index=True).groupby(["cvegeo", "damage_level"], as_index=False)["dwellings"].sum()
    table["damage_level"] = pd.Categorical(table["damage_level"], categories=list(DAMAGE_LEVELS), ordered=True)
    return table.sort_values(["cvegeo", "damage_level"]).reset_index(drop=True).astype({"damage_level": str})


def _point_counts(counts: list[dict], source: str, used: int, extra_rejects: int) -> None:
    """After the overlay, points outside every unit move from used to rejected."""
    for row in counts:
        if row["source"] == source:
            row["used"] = used
            row["rejected"] += extra_rejects


def _previous_outputs(out_dir: Path) -> set[Path]:
    """Files the previous run in ``out_dir`` wrote, as listed in its manifest."""
    manifest = out_dir / "manifest.json"
    if not manifest.exists():
        return set()
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError):
        return set()
    return {out_dir / entry["file"] for entry in listed.values() if isinstance(entry, dict) and "file" in entry}


def _publish(staging: Path, out_dir: Path, written: dict[str, Path]) -> dict[str, Path]:
    """Move every staged file onto its final name (one rename each); the caller drops the staging folder.

    Files the previous run wrote and this one did not (a layer whose input is gone)
    are removed, so the folder never mixes two runs.
    """
    previous = _previous_outputs(out_dir)
    final: dict[str, Path] = {}
    for name, path in written.items():
        target = out_dir / Path(path).relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        final[name] = target
    for stale in previous - set(final.values()):
        if stale.resolve().is_relative_to(out_dir.resolve()) and stale.is_file():
            stale.unlink()
    return final


def run(
    event: Event | str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    lang: str | None = None,
    on_stage: Optional[StageHook] = None,
) -> Result:
    """Run one event end to end and return every stage's data and the paths written.

    ``event`` is a validated ``Event`` or the path of an event YAML file. ``out``
    overrides the output folder (default: ``output.directory``, else
    ``layers/<event id>``). ``scheduler`` is a ``tcp://HOST:PORT`` address of a
    running dask.distributed scheduler; ``workers`` starts a local cluster of that
    many processes; with neither, the overlay runs on Dask's threaded scheduler.
    """
    if not isinstance(event, Event):
        event = load_event(event)
    out_dir = event.output_dir(out)
    lang = lang or event.output.lang
    timings: dict[str, float] = {}

    with _stage("sources", timings, on_stage):
        sources, rejects, counts = read_sources(event)
    units = sources["units"]
    result = Result(event=event, units=units, sources=sources, notes=source_notes(sources))

    with _stage("overlay", timings, on_stage):
        footprint, population = sources["footprint"], sources["population"]
        cache_dir = event.overlay.cache_dir or default_cache_dir()
        with _dask_context(scheduler, workers):
            zones = zone_raster(units, like=population, cache_dir=cache_dir)
            hz = hazard_raster(footprint, like=population)
            exposed = crosstab(population, zones, hz)
            points = facility_points = None
            if sources["damage"] is not None:
                points, point_rejects = assign_points(sources["damage"], units, footprint, source="damage")
                _point_counts(counts, "damage", len(points), len(point_rejects))
                rejects = concat_rejects(rejects, point_rejects)
            if sources["facilities"] is not None:
                facility_points, point_rejects = assign_points(sources["facilities"], units, footprint, source="facilities")
                rejects = concat_rejects(rejects, point_rejects)
        shelters = sources["shelters"]
        shelter_summary = summarise_shelters(shelters) if shelters is not None else None
        dwellings = dwellings_per_unit(points, sources["damage_counts"])
        result.overlay = {
            "zones": zones, "hazard": hz, "exposed": exposed, "damage_points": points,
            "dwellings": dwellings, "shelters": shelters, "shelter_summary": shelter_summary,
            "facilities": facility_points,
        }
        result.rejects = rejects
        result.counts = pd.DataFrame(counts)

    with _stage("estimate", timings, on_stage):
        figures, wide, gaps = estimate_all(**estimate_inputs(result))
        if sources["footprint"].forecast:  # anticipatory figures, marked in every output
            figures = anticipatory(figures)
        table = units[["cvegeo", "name", "geometry"]].merge(wide, on="cvegeo", how="left")
        result.figures, result.table, result.gaps = figures, gpd.GeoDataFrame(table, crs=units.crs), gaps

    with _stage("layers", timings, on_stage):
        t_layers = time.perf_counter()
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
        try:
            written = dict(write_all(result, staging, lang=lang))
            written["rejects"] = _write_rejects(rejects, staging / "rejects.csv")
            timings["layers"] = time.perf_counter() - t_layers  # up to the manifest; final figure below
            result.timings = timings
            manifest = build_manifest(event, result.counts, timings, written, staging, extra={"lang": lang, "out_dir": str(out_dir), "notes": result.notes, "forecast": bool(footprint.forecast)})
            written["manifest"] = write_manifest(manifest, staging / "manifest.json")
            result.paths = _publish(staging, out_dir, written)
            result.manifest = manifest
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = sum(timings.values())
    return result


def footprint(event: Event | str | Path, out: str | Path | None = None, lang: str | None = None) -> tuple[dict[str, Path], list[str]]:
    """Read the event's hazard onto its population grid and write the footprint alone (``geodisp footprint``).

    Returns the paths written (the COG, the styled GeoPackage, ``rejects.csv`` when
    the hazard file had rejected records) and the readers' notes. Nothing else of
    the event is read.
    """
    from .inputs import read_footprint, reading
    from .outputs import event_stem
    from .outputs.footprint import write_footprint
    from .sources.population import open_population

    if not isinstance(event, Event):
        event = load_event(event)
    out_dir = event.output_dir(out)
    lang = lang or event.output.lang
    with reading("population", event.population.path):
        population = open_population(event.population.path, chunks=event.overlay.chunk_size)
    h = event.hazard
    with reading("hazard", h.path or h.track):
        fp, rejects = read_footprint(h, like=population)
    classes = hazard_raster(fp, like=population) if fp.intensity is None else None
    paths = write_footprint(fp, classes, out_dir, event_stem(event), lang)
    if len(rejects):
        paths["rejects"] = _write_rejects(rejects, out_dir / "footprint_rejects.csv")
    return paths, source_notes({"hazard": fp})


def estimate_inputs(result: Result) -> dict:
    """The keyword arguments of ``estimate_all`` for a result whose sources and overlay are filled.

    Notebooks use it to re-run only the estimate stage with other parameters.
    """
    sources, overlay, event = result.sources, result.overlay, result.event
    return dict(
        units=result.units,
        dwellings=overlay["dwellings"],
        household=sources["household"],
        exposed=overlay["exposed"],
        classes=sources["footprint"].classes,
        hazard_type=event.event.hazard_type,
        intensity_units=sources["footprint"].units,
        evacuations=sources["evacuations"],
        shelter_summary=overlay["shelter_summary"],
        census=sources["census"],
        facilities=overlay["facilities"],
        methods=event.methods,
        source_labels=_source_labels(event),
    )


def _source_labels(event: Event) -> dict[str, str]:
    """Short provenance labels for each input (file names), used in every figure's ``source``."""
    labels = {name: Path(p).name for name, p in event.input_paths().items()}
    labels.setdefault("census", f"household size {event.census.household_size} (default)")
    facility_files = [labels.pop(k) for k in sorted(labels) if k.startswith("facilities[")]
    if facility_files:
        labels["facilities"] = ", ".join(facility_files)
    return labels


def _write_rejects(rejects: pd.DataFrame, path: Path) -> Path:
    """The rejects table as UTF-8 CSV, atomically."""
    with atomic_path(path) as tmp:
        rejects.to_csv(tmp, index=False, encoding="utf-8")
    return path
