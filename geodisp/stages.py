"""The public stages: ``read``, ``overlay``, ``estimate``, ``write``.

Each takes data and returns a frozen, typed result (``geodisp.model.stages``), so a
notebook can stop after any of them, look, change a method and go on; the CLI and
``geodisp.run`` call these same functions in order::

    sources = geodisp.read(event)                    # Sources
    ov = geodisp.overlay(sources)                     # Overlay
    est = geodisp.estimate(sources, ov, event.methods)  # Estimates
    paths = geodisp.write(result, "folder")           # files, each written atomically

The read stage is the one place that maps event-file sections onto the readers in
``geodisp.sources``. Each reader's keywords are its section's field names, so a
section is passed whole (``reader(**fields(section))``) and no setting can be
silently dropped; ``tests/test_config_reaches_readers.py`` proves it field by field.
A reader's ``InputError`` is located at its section's YAML path here; any other
exception is a defect and propagates as it is.
"""
from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Optional

from geodisp.model.errors import InputError
from geodisp.model.stages import Estimates, Overlay, Result, SourceCount, Sources
from geodisp.model.messages import encode

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from geodisp.config.event import Event, HazardConfig
    from geodisp.model.rejects import Read
    from geodisp.config.methods import MethodsConfig

__all__ = ["read", "read_footprint", "overlay", "estimate", "write", "fields", "default_cache_dir"]


def fields(section: Any, *exclude: str) -> dict[str, Any]:
    """A config section's fields as reader keywords (mappings as plain dicts, empty ones as None)."""
    out = {}
    for name in type(section).model_fields:
        if name in exclude:
            continue
        value = getattr(section, name)
        if isinstance(value, Mapping):
            value = dict(value) or None
        out[name] = value
    return out


@contextlib.contextmanager
def located(yaml_path: str) -> Iterator[None]:
    """Locate a reader's ``InputError`` at ``yaml_path`` of the event file; let everything else through."""
    try:
        yield
    except InputError as exc:
        raise exc.at(yaml_path) from exc


class _Reading:
    """Collects each reader's rejects, notes and counts while the read stage runs.

    With ``problems`` (a list, as ``geodisp validate`` passes), a source that cannot
    be read adds its problems there, located at its YAML path, and reading goes on
    (the source is None); without it, the first problem raises.
    """

    def __init__(self, problems: list[str] | None = None) -> None:
        self.rejects: list[pd.DataFrame] = []
        self.notes: list[str] = []
        self.counts: list[SourceCount] = []
        self.problems = problems

    @contextlib.contextmanager
    def located(self, yaml_path: str) -> Iterator[None]:
        try:
            with located(yaml_path):
                yield
        except InputError as exc:
            if self.problems is None:
                raise
            self.problems.extend(exc.problems)

    def take(self, yaml_path: str, path: Path | None, read: Callable[[], Any], size: Callable[[Any], int] = len) -> Any:
        result = None
        with self.located(yaml_path):
            result = read()
        if result is None:
            return None
        data, rejects, notes = result
        self.rejects.append(rejects)
        # a reader's coded notes stay codes (rendered in the run's language by the writers)
        self.notes.extend(n.at(yaml_path) if hasattr(n, "at") else f"{yaml_path}: {n}" for n in notes)
        used, rejected = size(data), int(len(rejects))
        self.counts.append(SourceCount(yaml_path, str(path) if path else "", used + rejected, used, rejected))
        return data


def read(event: "Event | str | Path") -> Sources:
    """Read every input the event names, with the event's options, into ``Sources``.

    ``event`` is a validated ``Event`` or the path of an event file. Raises
    ``InputError`` (located at the section's YAML path) when an input cannot be used
    at all; records that can be read but not used go to ``Sources.rejects``.
    """
    from geodisp.config.event import Event, load_event
    from geodisp.model.rejects import concat_rejects
    from geodisp.outputs.privacy import redact_stage

    if not isinstance(event, Event):
        event = load_event(event)
    r = _Reading()
    parts = _read_inputs(event, r)
    sources = Sources(
        **parts, rejects=concat_rejects(*r.rejects), counts=tuple(r.counts), notes=tuple(r.notes),
        labels=source_labels(event), hazard_type=event.event.hazard_type,
        event_id=event.event.id, start=event.event.start, end=event.event.end,
    )
    return redact_stage(sources)  # ids, names, labels and reasons scanned for personal data (docs/reliability.md)


def check_inputs(event: "Event") -> tuple[list[str], tuple[SourceCount, ...]]:
    """Open every input as the read stage does, collecting every problem instead of stopping at the first.

    Returns the problems (each located at its YAML path) and the record counts of the
    sources that could be read; ``geodisp validate`` is this.
    """
    problems: list[str] = []
    r = _Reading(problems)
    _read_inputs(event, r)
    return problems, tuple(r.counts)


def _read_inputs(event: "Event", r: _Reading) -> dict[str, Any]:
    """Map each event-file section onto its reader; the read stage's pieces (None where absent or unreadable)."""
    import pandas as pd

    from geodisp.sources import boundaries, census, damage, facilities, population, records
    from geodisp.zonal.budget import check_cell_budget

    b = event.boundaries
    units = r.take("boundaries", b.path, lambda: boundaries.read_boundaries(**fields(b)))
    if units is not None and len(units) == 0:
        raise InputError.coded("err_no_usable_units", file=b.path, level=b.level, yaml_path="boundaries")
    if units is None:  # only when collecting problems: nothing else can be placed without units
        return {}

    people = None
    with r.located("population"):
        people = population.open_population(**fields(event.population), chunks=event.overlay.chunk_size)
        check_cell_budget(people, event.population.path, event.overlay.max_cells, "population", units)
        r.notes.extend(n.at("population") for n in population.coverage_notes(people, units))

    h = event.hazard
    footprint = r.take("hazard", h.path or h.track,
                       lambda: read_footprint(**fields(h), chunks=event.overlay.chunk_size, population=people),
                       size=lambda fp: fp.records if fp.records is not None else len(fp.vector) if fp.vector is not None else 1)
    if footprint is not None and getattr(footprint, "raster", None) is not None:
        with r.located("hazard"):
            check_cell_budget(footprint.raster, h.path or h.track, event.overlay.max_cells, "hazard", units)

    c = event.census
    census_table = None
    if c.path is not None:
        census_table = r.take("census", c.path, lambda: census.read_census(**fields(c, "household_size")))
    household = census.household_sizes(census_table, list(units["cvegeo"]), household_size=c.household_size)

    damage_points = damage_counts = None
    d = event.damage
    if d is not None:
        args = fields(d)
        args["state"] = d.state or event.records.state
        data = r.take("damage", d.path, lambda: damage.read_damage_file(**args, boundaries=units, places=census_table))
        damage_points, damage_counts = (data, None) if d.format == "points" else (None, data)

    state = event.records.state
    evacuations = shelters = None
    if event.records.evacuations is not None:
        e = event.records.evacuations
        evacuations = r.take("records.evacuations", e.path,
                             lambda: records.read_evacuations(**fields(e), state=state, boundaries=units,
                                                              places=census_table))
    if event.records.shelters is not None:
        s = event.records.shelters
        shelters = r.take("records.shelters", s.path,
                          lambda: records.read_shelters(**fields(s), state=state, boundaries=units, places=census_table))

    found = [
        r.take(f"facilities[{i}]", f.path, lambda f=f: facilities.read_facilities(**fields(f), boundaries=units))
        for i, f in enumerate(event.facilities)
    ]
    found = [frame for frame in found if frame is not None]
    facility_points = pd.concat(found, ignore_index=True) if found else None

    return dict(
        units=units, population=people, footprint=footprint, household=household, census=census_table,
        damage=damage_points, damage_counts=damage_counts, evacuations=evacuations, shelters=shelters,
        facilities=facility_points,
    )


def read_footprint(path: Optional[Path] = None, track: Optional[Path] = None, format: Optional[str] = None,
                   storm: Optional[str] = None, model: Optional[str] = None, forecast: bool = False,
                   layer: Optional[str] = None, field: Optional[str] = None, bins: Optional[list[float]] = None,
                   labels: Optional[list[str]] = None, units: Optional[str] = None, chunks: int = 1024, *,
                   population: "xr.DataArray | None" = None) -> "Read":
    """The hazard section's footprint, through the reader its file calls for; ``Read(Footprint, rejects, notes)``.

    Keywords are the ``hazard:`` section's fields. A ``track`` goes to the track
    reader (a wind swath on the ``population`` grid); a ShakeMap grid.xml to the
    ShakeMap reader; any other file to the footprint reader, with the class field,
    bins, labels and units of its agency layout when its native fields are
    recognised (NHC wind swath, Copernicus EMS flood delineation, ShakeMap contours
    or MMI GeoTIFF; ``geodisp.sources.layouts``). What the event file says always
    wins over a layout's defaults.
    """
    from geodisp.model.rejects import Read
    from geodisp.sources import hazard, layouts, shakemap
    from geodisp.sources import track as tracks

    like = population
    grid_xml = track is None and path is not None and format in (None, "shakemap") and shakemap.is_grid_xml(path)
    if like is None and (track is not None or grid_xml):
        raise InputError.coded("err_hazard_needs_population", file=path or track, yaml_path="hazard")
    common = dict(bins=bins, labels=labels, units=units, forecast=forecast, format=format)
    if track is not None:
        return tracks.read_track(track, storm=storm, model=model, like=like, **common)
    if grid_xml:
        return shakemap.read_shakemap(path, field=field, like=like, **common)
    if path is None:
        raise InputError.coded("err_hazard_path_or_track", yaml_path="hazard")
    if format == "shakemap" and Path(path).suffix.lower() in hazard.RASTER_SUFFIXES:  # an MMI GeoTIFF
        layout = layouts.Layout("shakemap", "", layouts.MMI_BINS, layouts.MMI_LABELS, "MMI")
    else:
        layout = layouts.recognise(path, layer, format)
        if format is not None and layout is None:
            raise InputError.coded("err_not_format", file=path, format=format, yaml_path="hazard.format")
    if layout is not None and field is None:
        field = layout.field or None
        if bins is None and labels is None:
            bins, labels = layout.bins, layout.labels
        units = units or layout.units
    footprint, rejects, notes = hazard.read_hazard(path, layer=layer, field=field, bins=bins, labels=labels, units=units,
                                                   chunks=chunks)
    if forecast:
        footprint = replace(footprint, forecast=True)
    return Read(footprint, rejects, notes)


def source_labels(event: "Event") -> dict[str, str]:
    """Short provenance labels for each input (file names), used in every figure's ``source``."""
    labels = {name: Path(p).name for name, p in event.input_paths().items()}
    labels.setdefault("census", encode("src_household_size_default", size=event.census.household_size))
    facility_files = [labels.pop(k) for k in sorted(labels) if k.startswith("facilities[")]
    if facility_files:
        labels["facilities"] = ", ".join(facility_files)
    return labels


def default_cache_dir() -> Path:
    """Zone-raster cache: $GEODISP_CACHE, else ~/.cache/geodisp/zones."""
    import os

    env = os.environ.get("GEODISP_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "geodisp" / "zones"


def overlay(
    sources: Sources,
    cache_dir: str | Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
) -> Overlay:
    """People per (unit × hazard class) and points placed in units, with Dask.

    Runs on the given scheduler or worker count (see ``geodisp.cluster.dask_context``),
    else on a client already current (a notebook's), else on Dask's threaded
    scheduler. ``cache_dir`` holds the zone rasters (default: ``default_cache_dir()``).
    """
    from geodisp import cluster
    from geodisp.estimators.shelters import summarise_shelters
    from geodisp.model.rejects import concat_rejects
    from geodisp.zonal.crosstab import crosstab, hazard_raster
    from geodisp.zonal.percell import per_cell
    from geodisp.zonal.dwellings import dwellings_per_unit
    from geodisp.zonal.points import assign_points
    from geodisp.zonal.uncovered import give_uncovered_their_share
    from geodisp.zonal.zones import zone_raster

    units, population, footprint = sources.units, sources.population, sources.footprint
    counts = list(sources.counts)
    rejects = [sources.rejects]
    with cluster.dask_context(scheduler, workers):
        zones = zone_raster(units, like=population, cache_dir=Path(cache_dir) if cache_dir else default_cache_dir())
        hz = hazard_raster(footprint, like=population)
        table = crosstab(population, zones, hz, n_classes=footprint.n_classes)
        exposed, uncovered = give_uncovered_their_share(table, population, zones, hz, units)
        # lazy per-cell arrays; a unit's denominator is its people on cell centres, as the cells hold them
        cells = per_cell(population, zones.codes, zones.keys, units, table.table.groupby("cvegeo")["people"].sum(),
                         hz, list(range(1, footprint.n_classes + 1)))
        points = facility_points = None
        if sources.damage is not None:
            points, point_rejects, _ = assign_points(sources.damage, units, footprint, source="damage")
            counts = _moved_to_rejects(counts, "damage", len(point_rejects))
            rejects.append(point_rejects)
        if sources.facilities is not None:
            facility_points, point_rejects, _ = assign_points(sources.facilities, units, footprint, source="facilities")
            counts = _moved_to_rejects(counts, "facilities", len(point_rejects))
            rejects.append(point_rejects)
    shelter_summary = summarise_shelters(sources.shelters) if sources.shelters is not None else None
    return Overlay(
        zones=zones, hazard=hz, n_classes=footprint.n_classes, exposed=exposed, uncovered=uncovered,
        dwellings=dwellings_per_unit(points, sources.damage_counts), rejects=concat_rejects(*rejects),
        counts=tuple(counts), damage_points=points, facilities=facility_points, shelters=sources.shelters,
        shelter_summary=shelter_summary, cells=cells,
    )


def _moved_to_rejects(counts: list[SourceCount], source: str, n: int) -> list[SourceCount]:
    """Counts with ``n`` of ``source``'s used records moved to rejected (points outside every unit).

    Facility files are counted one by one (``facilities[0]``, ...) but placed together:
    their rejects are moved from the first files with enough used records.
    """
    out = []
    for c in counts:
        if n and (c.source == source or c.source.startswith(f"{source}[")):
            moved = min(n, c.used)
            c = replace(c, used=c.used - moved, rejected=c.rejected + moved)
            n -= moved
        out.append(c)
    return out


def estimate(sources: Sources, overlay: Overlay, methods: "MethodsConfig | Mapping[str, Any] | None" = None) -> Estimates:
    """Every figure of the event from the read and overlay stages, with ``methods`` (defaults when None).

    Re-run it with other methods without reading or overlaying again.
    """
    import geopandas as gpd

    from geodisp.estimators import estimate_all

    est = estimate_all(
        units=sources.units, dwellings=overlay.dwellings, household=sources.household,
        exposed=overlay.exposed, uncovered=overlay.uncovered, classes=sources.footprint.classes,
        hazard_type=sources.hazard_type, intensity_units=sources.footprint.units,
        evacuations=sources.evacuations, shelter_summary=overlay.shelter_summary, census=sources.census,
        facilities=overlay.facilities, methods=methods, source_labels=sources.labels,
        event_id=sources.event_id, start=sources.start, end=sources.end,
    )
    units = sources.units
    table = units[["cvegeo", "name", "geometry"]].merge(est.table, on="cvegeo", how="left")
    figures, totals = est.figures, est.totals
    if sources.footprint.forecast:  # anticipatory figures, marked in every output
        from geodisp.estimators.forecast import anticipatory

        figures, totals = anticipatory(figures), anticipatory(totals)
    return Estimates(figures=figures, table=gpd.GeoDataFrame(table, geometry="geometry", crs=units.crs),
                     gaps=est.gaps, totals=totals, notes=tuple(est.notes))


def write(result: Result, out: str | Path, lang: Optional[str] = None, progress: Optional[Callable[[str], None]] = None) -> dict[str, Path]:
    """Write every output of ``result`` into the folder ``out``; return the paths by name.

    Each file is written atomically (a temporary name, then a rename), and the folder's
    lock (``geodisp.publish.lock``, the one ``geodisp run`` holds) is held while writing,
    so a notebook's write and a run into the same folder never mix their files: the
    second gets ``OutputFolderBusy`` (exit 2). ``geodisp.run`` writes into a staging
    folder and publishes it whole; called on its own, as in a notebook, this writes
    straight into ``out``. ``lang`` defaults to the result's; ``progress`` is called
    with each write step as it starts.
    """
    from geodisp import publish

    with publish.lock(out):
        return write_files(result, Path(out), lang, progress)


def write_files(result: Result, out: Path, lang: Optional[str] = None,
                progress: Optional[Callable[[str], None]] = None) -> dict[str, Path]:
    """``write`` without taking the lock: for a caller that holds it (``pipeline.run``
    writes into a staging folder under the output folder it has locked)."""
    from geodisp.outputs import write_all, write_rejects
    from geodisp.outputs.privacy import redact_result

    lang = lang or result.lang
    result = redact_result(result)  # ids, names, reasons and notes scanned for personal data
    paths = dict(write_all(result, out, lang=lang, progress=progress))
    paths["rejects"] = write_rejects(result.rejects, out / "rejects.csv", lang)
    return paths
