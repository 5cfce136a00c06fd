"""``run_year(catalogue)``: every event's stages as Dask tasks, then the year's outputs.

1. The catalogue and every event are validated first (``load_catalogue``): all
   problems at once, exit 2, before any work.
2. Events whose inputs and settings are unchanged since the last run in the same
   output folder (the fingerprint of their inputs' SHA-256, kept beside their
   summary) are not recomputed.
3. The others run as Dask tasks: one task per group of events sharing boundaries
   and population grid builds the zone raster into the shared cache, and those
   events' tasks reuse it. On Dask's threaded scheduler by default; on a local
   cluster of ``workers`` processes; or on the ``tcp://`` scheduler given.
4. An event that fails is reported (``EventFailure``) and the others go on; the
   year's outputs then say the year is incomplete.
5. The year's tables and layers are built from the events' summaries (pure
   functions in ``tables``) and written by ``year.outputs``.

Per-event outputs (each event's own GeoPackage, tables, report, manifest) land in
``<out>/events/<id>/``.
"""
from __future__ import annotations

import contextlib
import logging
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

import dask

from geodisp import cluster
from geodisp.model.errors import InputError
from geodisp.model.messages import Message
from geodisp.year import summary as summaries_io
from geodisp.year.catalogue import Catalogue, CatalogueEvent, load_catalogue
from geodisp.year.summary import EventFailure, EventSummary

log = logging.getLogger("geodisp.year")


@dataclass
class YearResult:
    """What ``run_year`` produced: the summaries, failures, tables and paths written."""

    catalogue: Catalogue
    summaries: list[EventSummary]
    failures: list[EventFailure]
    recomputed: list[str]
    reused: list[str]
    tables: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    out_dir: Optional[Path] = None

    @property
    def complete(self) -> bool:
        """True when every event of the catalogue ran."""
        return not self.failures


def event_dir(out_dir: Path, entry: CatalogueEvent) -> Path:
    return out_dir / "events" / entry.id


def _cache_dir(catalogue: Catalogue, out_dir: Path) -> Path:
    """The zone cache every event shares: the catalogue's, else $GEODISP_CACHE, else ``<out>/cache/zones``."""
    if catalogue.cache_dir is not None:
        return catalogue.cache_dir
    env = os.environ.get("GEODISP_CACHE")
    return Path(env) if env else out_dir / "cache" / "zones"


def _prepared(entry: CatalogueEvent, cache_dir: Path) -> Any:
    """The event with the shared zone cache (its own ``overlay.cache_dir`` is replaced)."""
    overlay = entry.event.overlay.model_copy(update={"cache_dir": cache_dir})
    return entry.event.model_copy(update={"overlay": overlay})


def grid_key(entry: CatalogueEvent) -> tuple:
    """Events with the same key share one zone raster: same boundaries, level and population grid."""
    b = entry.event.boundaries
    return (str(b.path), b.layer, b.level, b.key_field, b.name_field, str(entry.event.population.path),
            entry.event.overlay.chunk_size)


def warm_zones(event: Any) -> str:
    """Build (or find) the zone raster of ``event``'s boundaries on its population grid
    in the shared cache; returns the cache state (``built``, ``reused`` ...)."""
    from geodisp.sources import boundaries, population
    from geodisp.stages import fields
    from geodisp.zonal.zones import zone_raster

    with dask.config.set(scheduler="threads"):
        units = boundaries.read_boundaries(**fields(event.boundaries)).data
        pop = population.open_population(**fields(event.population), chunks=event.overlay.chunk_size)
        zones = zone_raster(units, like=pop, cache_dir=event.overlay.cache_dir)
    return str(zones.cache)


def run_event(event: Any, entry_where: str, year_end: dict, fingerprint: dict, out: str, lang: str,
              _after: Any = None) -> EventSummary | EventFailure:
    """One event's stages (read -> overlay -> estimate -> write) as one task.

    Never raises: a bad input or a defect becomes an ``EventFailure`` so the
    other events of the year go on. Inside the task the event's own Dask work
    runs on the threaded scheduler of the process running the task.
    """
    from geodisp.pipeline import run

    try:
        with dask.config.set(scheduler="threads"):
            result = run(event, out=out, lang=lang)
        return summaries_io.from_result(result, entry_where, year_end, fingerprint)
    except InputError as exc:
        return EventFailure(event.event.id, entry_where, "input", "; ".join(exc.render_problems(lang or "es")))  # the year's language
    except Exception as exc:  # a defect in one event must not lose the others
        log.error("event %s failed\n%s", event.event.id, traceback.format_exc())
        return EventFailure(event.event.id, entry_where, "internal", f"{type(exc).__name__}: {exc}")


def _scheduler(scheduler: Optional[str], workers: Optional[int]) -> contextlib.AbstractContextManager:
    if scheduler is not None or workers is not None:
        if scheduler is not None:
            scheduler = cluster.check_scheduler_address(scheduler)
        return cluster.client(scheduler=scheduler, workers=workers)
    return contextlib.nullcontext()


def compute_events(
    entries: Sequence[CatalogueEvent], out_dir: Path, cache_dir: Path, lang: str,
    fingerprints: dict[str, dict], scheduler: Optional[str] = None, workers: Optional[int] = None,
) -> list[EventSummary | EventFailure]:
    """Run ``entries`` as Dask tasks (zone rasters first, one per shared grid); results in order."""
    if not entries:
        return []
    prepared = {e.id: _prepared(e, cache_dir) for e in entries}
    warm: dict[tuple, Any] = {}
    for e in entries:
        key = grid_key(e)
        if key not in warm:
            warm[key] = dask.delayed(warm_zones, pure=False)(prepared[e.id], dask_key_name=f"zones-{len(warm)}")
    tasks = [
        dask.delayed(run_event, pure=False)(
            prepared[e.id], e.where, e.year_end.model_dump(mode="json"), fingerprints[e.id],
            str(event_dir(out_dir, e)), lang, warm[grid_key(e)], dask_key_name=f"event-{e.id}",
        )
        for e in entries
    ]
    with _scheduler(scheduler, workers) as client:
        if client is None:
            n = workers or max(1, min(len(tasks), len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2))
            results = dask.compute(*tasks, scheduler="threads", num_workers=n)
        else:
            results = client.compute(list(tasks), sync=True)
    return list(results)


def plan(catalogue: Catalogue, out_dir: Path) -> tuple[list[CatalogueEvent], dict[str, EventSummary], dict[str, dict]]:
    """Which events must run: those without a saved summary whose fingerprint matches."""
    to_run: list[CatalogueEvent] = []
    reused: dict[str, EventSummary] = {}
    fingerprints: dict[str, dict] = {}
    for entry in catalogue.events:
        fp = entry.fingerprint()
        fingerprints[entry.id] = fp
        saved = summaries_io.load(event_dir(out_dir, entry) / "year")
        if saved is not None and saved.fingerprint.get("sha256") == fp["sha256"]:
            reused[entry.id] = saved
        else:
            to_run.append(entry)
    return to_run, reused, fingerprints


def year_units(catalogue: Catalogue) -> Any:
    """Municipios of every boundaries layer the events use (each read once; finer levels dissolved to municipios)."""
    import geopandas as gpd
    import pandas as pd

    from geodisp.sources import boundaries
    from geodisp.stages import fields

    seen: dict[tuple, Any] = {}
    for entry in catalogue.events:
        b = entry.event.boundaries
        key = (str(b.path), b.layer, b.level, b.key_field, b.name_field)
        if key in seen:
            continue
        units = boundaries.read_boundaries(**fields(b)).data
        if b.level in ("loc", "ageb"):
            units = boundaries.dissolve_to(units, "mun")
        seen[key] = units[["cvegeo", "name", "geometry"]]
    frames = [u for u in seen.values() if len(u) and u["cvegeo"].str.len().eq(5).all()]
    if not frames:
        return None
    crs = frames[0].crs
    merged = pd.concat([f.to_crs(crs) for f in frames], ignore_index=True).drop_duplicates("cvegeo")
    return gpd.GeoDataFrame(merged, crs=crs).sort_values("cvegeo").reset_index(drop=True)


def run_year(
    catalogue: Catalogue | str | Path,
    out: str | Path | None = None,
    workers: Optional[int] = None,
    scheduler: Optional[str] = None,
    lang: Optional[str] = None,
    write: bool = True,
) -> YearResult:
    """Run a year catalogue end to end and return its summaries, tables and paths.

    ``out`` overrides the output folder (default ``output.directory``, else
    ``layers/year-<year>``). ``scheduler`` (``tcp://HOST:PORT``) runs the events on
    an existing Dask cluster; ``workers`` on a local cluster of that many processes;
    with neither, on Dask's threaded scheduler in this process.
    """
    from geodisp.year import outputs, tables

    if not isinstance(catalogue, Catalogue):
        catalogue = load_catalogue(catalogue)
    lang = lang or catalogue.lang
    if lang not in ("es", "en"):
        raise InputError(Message("cli_unknown_lang", {"value": lang}))
    out_dir = catalogue.output_dir(out)
    cache_dir = _cache_dir(catalogue, out_dir)
    to_run, reused, fingerprints = plan(catalogue, out_dir)
    log.info("year %s: %d event(s) to run, %d unchanged", catalogue.year, len(to_run), len(reused))
    results = compute_events(to_run, out_dir, cache_dir, lang, fingerprints, scheduler, workers)
    by_id: dict[str, EventSummary] = dict(reused)
    failures: list[EventFailure] = []
    for entry, res in zip(to_run, results):
        if isinstance(res, EventFailure):
            failures.append(res)
        else:
            summaries_io.save(res, event_dir(out_dir, entry) / "year")
            by_id[entry.id] = res
    ordered = [by_id[e.id] for e in catalogue.events if e.id in by_id]
    result = YearResult(catalogue, ordered, failures, [e.id for e in to_run if e.id in by_id], sorted(reused), out_dir=out_dir)
    result.tables = tables.year_tables(ordered, failures, catalogue.year)
    result.tables["units_geometry"] = year_units(catalogue)
    if write:
        result.paths = outputs.write_year(result, out_dir, lang)
    return result
