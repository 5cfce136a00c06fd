"""``run(event) -> Result``: the stages in order, nothing else.

event file -> sources (read, normalise, validate) -> overlay (Dask) -> estimate ->
layers. ``geodisp run event.yaml`` on the command line and ``geodisp.run(...)`` in
a notebook are this same call.

A run holds the output folder's lock from start to end and writes every output into
a staging folder, published whole as ``<out>/runs/<run id>`` with ``<out>/latest``
pointing at it (``geodisp.publish``), so a run that fails or is killed part-way
leaves the previous run's outputs as they were, and two runs never mix in one folder.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import geopandas as gpd
import pandas as pd

from geodisp.config.event import Event, load_event
from geodisp.estimators import estimate_all
from geodisp.estimators.shelters import summarise_shelters
from geodisp.model.rejects import concat_rejects
from geodisp.model.vocab import DAMAGE_LEVELS
from geodisp.zonal.crosstab import crosstab, hazard_raster
from geodisp.zonal.points import assign_points
from geodisp.zonal.zones import zone_raster

from . import cluster, publish
from .inputs import read_sources, source_notes
from .manifest import build_manifest, write_manifest
from .outputs import write_all
from .outputs.tables import write_csv
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

    The output folder is locked for the whole run (``publish.OutputFolderBusy``, an
    ``InputError``, when another run holds it); the outputs land in
    ``<out>/runs/<run id>`` and ``<out>/latest`` points there (``result.paths``).
    """
    if not isinstance(event, Event):
        event = load_event(event)
    out_dir = event.output_dir(out)
    publish.check_out_dir(out_dir)
    with publish.lock(out_dir):
        publish.clean_stale(out_dir)
        return _run_locked(event, out_dir, workers, scheduler, lang, on_stage)


def _run_locked(event: Event, out_dir: Path, workers: int | None, scheduler: str | None, lang: str | None,
                on_stage: Optional[StageHook]) -> Result:
    """The stages of ``run``, with the output folder's lock held."""
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
        table = units[["cvegeo", "name", "geometry"]].merge(wide, on="cvegeo", how="left")
        result.figures, result.table, result.gaps = figures, gpd.GeoDataFrame(table, crs=units.crs), gaps

    with _stage("layers", timings, on_stage):
        t_layers = time.perf_counter()
        staging = publish.staging_dir(out_dir, publish.new_run_id())
        try:
            written = dict(write_all(result, staging, lang=lang))
            written["rejects"] = _write_rejects(rejects, staging / "rejects.csv")
            timings["layers"] = time.perf_counter() - t_layers  # up to the manifest; final figure below
            result.timings = timings
            run_dir = publish.final_dir(staging)
            extra = {"lang": lang, "out_dir": str(out_dir), "run_dir": str(run_dir), "notes": result.notes,
                     "zone_cache": _zone_cache(result.overlay["zones"])}
            manifest = build_manifest(event, result.counts, timings, written, staging, extra=extra)
            written["manifest"] = write_manifest(manifest, staging / "manifest.json")
            run_dir = publish.publish(staging, out_dir, keep=event.output.keep_runs)
            result.paths = {name: run_dir / Path(path).relative_to(staging) for name, path in written.items()}
            result.manifest = manifest
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = sum(timings.values())
    return result


def _zone_cache(zones) -> dict | None:
    """The zone cache a run used, for the manifest: file, verified SHA-256 and whether it was reused."""
    if getattr(zones, "path", None) is None:
        return None
    return {"file": str(zones.path), "sha256": zones.sha256, "status": zones.cache}


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
    """The rejects table as UTF-8 CSV, atomically, formulas neutralised (``outputs.tables.write_csv``)."""
    return write_csv(path, rejects)
