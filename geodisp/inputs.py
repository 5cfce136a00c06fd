"""Read every source an event names, with the event's options, into plain data.

The one place that maps event-file sections onto the ``geodisp.sources`` readers.
A reader that cannot open or understand its file raises ``InputError`` naming the
source and the file; records it can read but not use go to the rejects table.
"""
from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd
import xarray as xr

from geodisp.config.event import Event, HazardConfig
from geodisp.model.errors import InputError
from geodisp.model.rejects import Read, concat_rejects, empty_rejects
from geodisp.sources import (
    boundaries,
    census,
    damage,
    facilities,
    hazard,
    layouts,
    population,
    records,
    shakemap,
    track,
)


@contextlib.contextmanager
def reading(source: str, path: Path | None) -> Iterator[None]:
    """Turn a reader's failure on a file into an ``InputError`` naming the source and file."""
    try:
        yield
    except InputError as exc:
        if str(exc).startswith(f"{source}:"):
            raise
        raise InputError(f"{source}: {exc}", [f"{source}: {p}" for p in exc.problems]) from exc
    except (OSError, ValueError, KeyError, TypeError, LookupError) as exc:
        raise InputError(f"{source}: {path}: {exc}") from exc
    except Exception as exc:  # GDAL/rasterio/pyogrio errors have their own classes
        module = type(exc).__module__.split(".")[0]
        if module in ("rasterio", "pyogrio", "fiona", "pyproj", "shapely", "openpyxl", "zipfile", "xarray", "rioxarray"):
            raise InputError(f"{source}: {path}: {exc}") from exc
        raise


def _count(source: str, path: Path | None, used: int, rejects: pd.DataFrame) -> dict[str, Any]:
    rejected = int(len(rejects))
    return {"source": source, "file": str(path) if path else "", "read": used + rejected, "used": used, "rejected": rejected}


def source_notes(sources: dict[str, Any]) -> list[str]:
    """What the readers repaired or dropped without rejecting a record, prefixed by source.

    Readers keep these in ``frame.attrs["notes"]`` (for a footprint, on its
    ``classes`` table, since a Footprint is frozen).
    """
    notes: list[str] = []
    for name, data in sources.items():
        holder = getattr(data, "classes", data)
        for note in getattr(holder, "attrs", {}).get("notes", []) or []:
            notes.append(f"{name}: {note}")
    return notes


def read_footprint(h: HazardConfig, like: xr.DataArray) -> Read:
    """The hazard section's footprint, through the reader its file calls for; ``Read(Footprint, rejects)``.

    A ``track`` goes to the track reader (wind swath on the population grid
    ``like``); a ShakeMap grid.xml to the ShakeMap reader; any other file to the
    footprint reader, with the class field, bins, labels and units of its agency
    layout when its native fields are recognised (NHC wind swath, Copernicus EMS
    flood delineation, ShakeMap contours; ``geodisp.sources.layouts``). What the
    event file says always wins over the layout's defaults.
    """
    if h.track is not None:
        return track.read_track(h.track, format=h.format, storm=h.storm, model=h.model, forecast=h.forecast,
                                bins=h.bins, labels=h.labels, units=h.units, like=like)
    if h.format in (None, "shakemap") and shakemap.is_grid_xml(h.path):
        return shakemap.read_shakemap(h.path, field=h.field, bins=h.bins, labels=h.labels, units=h.units,
                                      forecast=h.forecast, like=like)
    field, bins, labels, units = h.field, h.bins, h.labels, h.units
    raster = Path(h.path).suffix.lower() in hazard.RASTER_SUFFIXES
    if h.format == "shakemap" and raster:  # an MMI GeoTIFF
        layout = layouts.Layout("shakemap", "", layouts.MMI_BINS, layouts.MMI_LABELS, "MMI")
    else:
        layout = layouts.recognise(h.path, h.layer, h.format)
        if h.format is not None and layout is None:
            raise InputError(f"{h.path}: not a {h.format} file: its native fields are not there")
    if layout is not None and field is None:
        field = layout.field or None
        if bins is None and labels is None:
            bins, labels = layout.bins, layout.labels
        units = units or layout.units
    footprint, rejects = hazard.read_hazard(h.path, layer=h.layer, field=field, bins=bins, labels=labels, units=units)
    if h.forecast:
        footprint = dataclasses.replace(footprint, forecast=True)
    return Read(footprint, rejects)


def read_sources(event: Event) -> tuple[dict[str, Any], pd.DataFrame, list[dict[str, Any]]]:
    """Read all inputs; return ``(sources, rejects, counts)``.

    ``sources`` keys: units, population, census, household, footprint, damage,
    damage_counts, evacuations, shelters, facilities (all files in one frame).
    ``counts`` has one row per source with records read, used and rejected
    (damage points are counted again after the overlay, which may reject points
    outside every unit).
    """
    out: dict[str, Any] = {}
    all_rejects: list[pd.DataFrame] = []
    counts: list[dict[str, Any]] = []

    def take(source: str, path: Path | None, read: Callable[[], Any], size: Callable[[Any], int] = len) -> Any:
        with reading(source, path):
            data, rejects = read()
        all_rejects.append(rejects)
        counts.append(_count(source, path, size(data), rejects))
        return data

    b = event.boundaries
    units = take(
        "boundaries", b.path,
        lambda: boundaries.read_boundaries(b.path, layer=b.layer, level=b.level, key_field=b.key_field, name_field=b.name_field),
    )
    if len(units) == 0:
        raise InputError(f"boundaries: {b.path}: no usable units at level {b.level!r}")
    out["units"] = units

    with reading("population", event.population.path):
        out["population"] = population.open_population(event.population.path, chunks=event.overlay.chunk_size)

    h = event.hazard
    out["footprint"] = take(
        "hazard", h.path or h.track,
        lambda: read_footprint(h, like=out["population"]),
        size=lambda fp: len(fp.vector) if fp.vector is not None else int(fp.classes.attrs.get("records", 1)),
    )

    c = event.census
    out["census"] = None
    if c.path is not None:
        out["census"] = take("census", c.path, lambda: census.read_census(c.path))
    keys = list(units["cvegeo"])
    out["household"] = census.household_sizes(out["census"], keys, default=c.household_size)

    d = event.damage
    out["damage"] = out["damage_counts"] = None
    if d is not None:
        cols = dict(d.columns) or None
        if d.format == "points":
            out["damage"] = take(
                "damage", d.path,
                lambda: damage.read_damage(d.path, columns=cols, levels=dict(d.levels) or None, crs=d.crs, layer=d.layer, boundaries=units),
            )
        else:
            out["damage_counts"] = take(
                "damage", d.path,
                lambda: damage.read_damage_counts(d.path, columns=cols, levels=dict(d.levels) or None, boundaries=units),
            )

    r = event.records
    out["evacuations"] = out["shelters"] = None
    if r.evacuations is not None:
        out["evacuations"] = take("evacuations", r.evacuations, lambda: records.read_evacuations(r.evacuations, units, state=r.state))
    if r.shelters is not None:
        out["shelters"] = take("shelters", r.shelters, lambda: records.read_shelters(r.shelters, units, state=r.state))

    found = []
    for i, f in enumerate(event.facilities):
        found.append(take(
            f"facilities[{i}]", f.path,
            lambda f=f: facilities.read_facilities(f.path, kind=f.kind, type_field=f.type_field, name_field=f.name_field,
                                                   columns=dict(f.columns) or None, crs=f.crs, layer=f.layer, boundaries=units),
        ))
    out["facilities"] = None
    if found:  # pandas keeps attrs through concat only when they are equal: carry every file's notes
        out["facilities"] = pd.concat(found, ignore_index=True)
        out["facilities"].attrs["notes"] = [n for frame in found for n in frame.attrs.get("notes", [])]

    rejects = concat_rejects(*all_rejects) if all_rejects else empty_rejects()
    return out, rejects, counts
