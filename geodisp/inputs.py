"""Read every source an event names, with the event's options, into plain data.

The one place that maps event-file sections onto the ``geodisp.sources`` readers.
A reader that cannot open or understand its file raises ``InputError`` naming the
source and the file; records it can read but not use go to the rejects table.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd

from geodisp.config.event import Event
from geodisp.model.errors import InputError
from geodisp.model.rejects import concat_rejects, empty_rejects
from geodisp.sources import (
    boundaries,
    census,
    damage,
    facilities,
    hazard,
    population,
    records,
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


def read_sources(
    event: Event, problems: list[str] | None = None
) -> tuple[dict[str, Any], pd.DataFrame, list[dict[str, Any]]]:
    """Read all inputs; return ``(sources, rejects, counts)``.

    ``sources`` keys: units, population, census, household, footprint, damage,
    damage_counts, evacuations, shelters, facilities (all files in one frame).
    ``counts`` has one row per source with records read, used and rejected
    (damage points are counted again after the overlay, which may reject points
    outside every unit).

    With ``problems`` (a list, as ``geodisp validate`` passes), a source that cannot
    be read adds its problems there, each prefixed by its YAML path, and reading
    goes on with the next source (None in its place); without it, the first
    problem raises ``InputError``.
    """
    out: dict[str, Any] = {}
    all_rejects: list[pd.DataFrame] = []
    counts: list[dict[str, Any]] = []

    def take(source: str, path: Path | None, read: Callable[[], Any], size: Callable[[Any], int] = len,
             yaml_path: str | None = None) -> Any:
        try:
            with reading(source, path):
                data, rejects = read()
        except InputError as exc:
            if problems is None:
                raise
            where = yaml_path or source
            problems.extend(f"{where}: {p.removeprefix(source + ': ')}" for p in exc.problems)
            return None
        all_rejects.append(rejects)
        counts.append(_count(source, path, size(data), rejects))
        return data

    b = event.boundaries
    units = take(
        "boundaries", b.path,
        lambda: boundaries.read_boundaries(b.path, layer=b.layer, level=b.level, key_field=b.key_field, name_field=b.name_field),
    )
    if units is not None and len(units) == 0:
        raise InputError(f"boundaries: {b.path}: no usable units at level {b.level!r}")
    out["units"] = units
    if units is None:  # only when collecting problems: nothing else can be placed without units
        return out, empty_rejects(), counts

    try:
        with reading("population", event.population.path):
            out["population"] = population.open_population(event.population.path, chunks=event.overlay.chunk_size)
            out["population"].attrs["notes"] = population.coverage_notes(out["population"], units)
    except InputError as exc:
        if problems is None:
            raise
        problems.extend(exc.problems)

    h = event.hazard
    out["footprint"] = take(
        "hazard", h.path,
        lambda: hazard.read_hazard(h.path, layer=h.layer, field=h.field, bins=h.bins, labels=h.labels),
        size=lambda fp: len(fp.vector) if fp.vector is not None else 1,
    )
    if h.units and out["footprint"] is not None and out["footprint"].units is None:
        object.__setattr__(out["footprint"], "units", h.units)

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
                lambda: damage.read_damage(d.path, columns=cols, levels=dict(d.levels) or None, crs=d.crs,
                                           layer=d.layer, sheet=d.sheet, boundaries=units),
            )
        else:
            out["damage_counts"] = take(
                "damage", d.path,
                lambda: damage.read_damage_counts(d.path, columns=cols, levels=dict(d.levels) or None, state=d.state,
                                                  layer=d.layer, sheet=d.sheet, boundaries=units, places=out["census"]),
            )

    r = event.records
    out["evacuations"] = out["shelters"] = None
    if r.evacuations is not None:
        e = r.evacuations
        out["evacuations"] = take(
            "evacuations", e.path,
            lambda: records.read_evacuations(e.path, sheet=e.sheet, columns=dict(e.columns) or None, unit=e.unit,
                                             state=r.state, boundaries=units, places=out["census"]),
            yaml_path="records.evacuations",
        )
    if r.shelters is not None:
        sh = r.shelters
        out["shelters"] = take(
            "shelters", sh.path,
            lambda: records.read_shelters(sh.path, sheet=sh.sheet, columns=dict(sh.columns) or None, state=r.state,
                                          boundaries=units, places=out["census"]),
            yaml_path="records.shelters",
        )

    found = []
    for i, f in enumerate(event.facilities):
        found.append(take(
            f"facilities[{i}]", f.path,
            lambda f=f: facilities.read_facilities(f.path, kind=f.kind, type_field=f.type_field, name_field=f.name_field,
                                                   columns=dict(f.columns) or None, crs=f.crs, layer=f.layer,
                                                   sheet=f.sheet, boundaries=units),
        ))
    found = [frame for frame in found if frame is not None]
    out["facilities"] = None
    if found:  # pandas keeps attrs through concat only when they are equal: carry every file's notes
        out["facilities"] = pd.concat(found, ignore_index=True)
        out["facilities"].attrs["notes"] = [n for frame in found for n in frame.attrs.get("notes", [])]

    rejects = concat_rejects(*all_rejects) if all_rejects else empty_rejects()
    return out, rejects, counts
