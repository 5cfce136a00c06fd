"""Read hazard footprints, vector or raster, into one :class:`Footprint` of ordered classes.

Vector footprints (NHC wind swaths 34/50/64 kt, Copernicus EMS flood extents,
evacuation zones) are polygons with a class field or a numeric intensity field:

- ``bins`` given: the field is numeric and classified by the bin edges,
  lower-inclusive (``bins[i-1] <= v < bins[i]`` is class i); use ``inf`` as the last
  edge for an open top class. Values outside the edges are rejected.
- no ``bins``: the field holds classes, as labels or as class numbers 1..n; ``labels``
  gives the labels lowest intensity first. Without ``labels`` a numeric field's
  distinct values are the classes in numeric order (34 < 50 < 64 kt). Labels match
  ignoring case and accents. Unknown values are rejected, never guessed.
- no ``field``: every polygon is one class (``labels[0]`` or 'exposed').

Overlapping polygons resolve to the highest class: each class keeps only the area
not covered by a higher one, so the result has one dissolved, non-overlapping
geometry per class, in EPSG:6372.

Raster footprints (ShakeMap MMI, flood depth, wind speed) are classified by
``bins`` the same way, lazily on Dask chunks, on the raster's own grid (class 0 =
below the first edge, at or above the last, or nodata); the number of cells above
the last edge is listed in ``Read.notes``.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import dask.array as da
import geopandas as gpd
import numpy as np
import pandas as pd
import rioxarray  # noqa: F401
import shapely
import xarray as xr

from geodisp.model.errors import InputError
from geodisp.model.footprint import Footprint, class_table, classify, edge_labels
from geodisp.model.footprint import format_edge as _fmt
from geodisp.sources.points import listed_columns
from geodisp.sources.raster import band_units, open_band
from geodisp.model.rejects import Read, empty_rejects, rejects_frame
from geodisp.sources.tables import find_column, normalise_text, to_number
from geodisp.sources.vector import polygon_parts, read_vector
from geodisp.model.vocab import MEXICO_CRS
from geodisp.sources.messages import Message

__all__ = ["Footprint", "read_hazard", "classify"]

SOURCE = "hazard"
RASTER_SUFFIXES = (".tif", ".tiff", ".vrt", ".img", ".asc", ".nc", ".grd", ".bil")


def read_hazard(
    path: str | Path,
    layer: str | int | None = None,
    field: str | None = None,
    bins: Sequence[float] | None = None,
    labels: Sequence[str] | None = None,
    units: str | None = None,
    chunks: int = 1024,
) -> Read:
    """Read a hazard footprint file; ``Read(Footprint, rejects)``.

    Rasters are recognised by their suffix (.tif, .vrt, .nc...) and need ``bins``.
    ``units`` ("kt", "MMI", "m") is recorded for provenance and picks intensity-based
    rates; when given it wins over a raster's own ``units`` tag, which is the fallback.
    """
    path = Path(path)
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    edges = _check_bins(path, bins, labels)
    if path.suffix.lower() in RASTER_SUFFIXES:
        if edges is None:
            raise InputError.coded("input_raster_needs_bins", file=path)
        return _read_raster(path, edges, _labels(edges, labels), units, chunks)
    return _read_vector(path, layer, field, edges, labels, units)


def _check_bins(path: Path, bins: Sequence[float] | None, labels: Sequence[str] | None) -> list[float] | None:
    if bins is None:
        return None
    edges = [float(b) for b in bins]
    if len(edges) < 2 or any(b >= a for a, b in zip(edges[1:], edges[:-1])):
        raise InputError.coded("input_bins_increasing", file=path, bins=list(bins))
    if labels is not None and len(labels) != len(edges) - 1:
        raise InputError.coded("input_bins_labels", file=path, edges=len(edges), classes=len(edges) - 1, labels=len(labels))
    return edges


def _shown(value: object, limit: int = 40) -> str:
    """A footprint's class or intensity cell for a reason (footprints carry no personal data), cut short."""
    text = repr(str(value).strip())
    return text if len(text) <= limit else text[: limit - 2] + "…'"


def _labels(edges: list[float], labels: Sequence[str] | None) -> list[str]:
    return [str(x) for x in labels] if labels is not None else edge_labels(edges)


def _class_table(labels: list[str], edges: list[float] | None) -> pd.DataFrame:
    return class_table(edges, labels)


def _read_raster(path: Path, edges: list[float], labels: list[str], units: str | None, chunks: int) -> Read:
    if len(labels) > 255:
        raise InputError.coded("input_too_many_classes", file=path)
    intensity = open_band(path, chunks, "hazard", "intensity")
    data = intensity.data
    classes = data.map_blocks(classify, edges, dtype="uint8") if isinstance(data, da.Array) else classify(data, edges)
    out = xr.DataArray(classes, coords=intensity.coords, dims=intensity.dims, name="hazard_class")
    out = out.rio.write_crs(intensity.rio.crs).rio.write_transform(intensity.rio.transform()).rio.write_nodata(0)
    above = int((intensity >= edges[-1]).sum().compute()) if not math.isinf(edges[-1]) else 0
    table = _class_table(labels, edges)
    notes = [Message("cells_above_last_edge", count=above, edge=_fmt(edges[-1]))] if above else []
    units = units or band_units(path)
    return Read(Footprint(classes=table, raster=out, field=None, units=units, source=str(path)), empty_rejects(), tuple(notes))


def _read_vector(
    path: Path, layer: str | int | None, field: str | None, edges: list[float] | None,
    labels: Sequence[str] | None, units: str | None,
) -> Read:
    read = read_vector(path, layer)
    frame = read.frame.reset_index(drop=True)
    where = {"file": path, "layer": Message("input_layer_named", layer=layer) if layer is not None else ""}
    if len(frame) == 0:
        raise InputError.coded("input_hazard_empty", **where)
    if frame.crs is None:
        raise InputError.coded("input_hazard_no_crs", **where)
    records = [f"feature {i}" for i in range(len(frame))]
    reasons = pd.Series([None] * len(frame), dtype=object)

    empty = (frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    for i in np.flatnonzero(empty):
        reasons[i] = Message("empty_geometry")
    polygonal = frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    for i in np.flatnonzero(~empty & ~polygonal):
        reasons[i] = Message("not_a_polygon", kind=frame.geometry.geom_type.iloc[i])

    if field is None:
        label_list = [str(labels[0])] if labels else ["exposed"]
        cls = pd.Series(1, index=frame.index)
        table = _class_table(label_list, None)
    else:
        column = find_column(frame, [field])
        if column is None:
            raise InputError.coded("input_field_missing", file=path, field=field, fields=listed_columns(frame))
        raw = frame[column]
        if edges is not None:
            cls, why = _by_bins(raw, edges)
            table = _class_table(_labels(edges, labels), edges)
        else:
            cls, why, label_list = _by_labels(path, column, raw, labels)
            table = _class_table(label_list, None)
        for i in why.index[reasons.isna() & why.notna()]:
            reasons[i] = why[i]

    ok = reasons.isna().to_numpy()
    if not ok.any():
        raise InputError.coded("input_hazard_none_usable", **where, n=len(frame), reason=reasons.iloc[0])
    rejects = rejects_frame(SOURCE, str(path), [records[i] for i in np.flatnonzero(~ok)], list(reasons[~ok]))
    used = gpd.GeoDataFrame({"hazard_class": cls[ok].astype(int).to_numpy()}, geometry=frame.geometry[ok].values, crs=frame.crs)
    used = used.to_crs(MEXICO_CRS)
    used["geometry"] = [polygon_parts(g) for g in shapely.make_valid(used.geometry.values)]
    vector = _resolve_overlaps(used)
    return Read(Footprint(classes=table, vector=vector, field=field, units=units, source=str(path)), rejects, read.notes)


def _by_bins(raw: pd.Series, edges: list[float]) -> tuple[pd.Series, pd.Series]:
    values = to_number(raw.astype(str)) if not pd.api.types.is_numeric_dtype(raw) else raw.astype(float)
    cls = pd.Series(classify(values.to_numpy(), edges).astype(int), index=raw.index)
    why = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    for i in raw.index[values.isna()]:
        given = str(raw[i]).strip() not in ("", "None", "nan")
        why[i] = Message("intensity_not_numeric", value=_shown(raw[i])) if given else Message("intensity_missing")
    for i in raw.index[values.notna() & (values < edges[0])]:
        why[i] = Message("intensity_below", value=f"{values[i]:g}", edge=_fmt(edges[0]))
    for i in raw.index[values.notna() & (values >= edges[-1])]:
        why[i] = Message("intensity_above", value=f"{values[i]:g}", edge=_fmt(edges[-1]))
    return cls, why


def _by_labels(
    path: Path, column: str, raw: pd.Series, labels: Sequence[str] | None
) -> tuple[pd.Series, pd.Series, list[str]]:
    text = raw.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else (f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)).strip())
    if labels is None:
        numbers = to_number(text)
        if (numbers.isna() & (text != "")).any():
            raise InputError.coded("input_hazard_text_classes", file=path, field=column,
                                   classes=sorted(set(text[numbers.isna() & (text != "")]))[:10])
        label_list = [f"{v:g}" for v in sorted(numbers.dropna().unique())]
    else:
        label_list = [str(x) for x in labels]
    by_label = {normalise_text(lab): i + 1 for i, lab in enumerate(label_list)}
    cls = pd.Series(0, index=raw.index)
    why = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    for i, value in text.items():
        key = normalise_text(value)
        if not value:
            why[i] = Message("class_missing")
        elif key in by_label:
            cls[i] = by_label[key]
        elif value.isdigit() and 1 <= int(value) <= len(label_list):
            cls[i] = int(value)
        else:
            why[i] = Message("class_unknown", value=_shown(value), classes=label_list)
    return cls, why, label_list


def _resolve_overlaps(used: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One geometry per class, each minus every higher class: no overlaps, highest wins."""
    rows, geoms = [], []
    covered = shapely.Polygon()
    for hazard_class in sorted(used["hazard_class"].unique(), reverse=True):
        union = shapely.union_all(used.geometry[used["hazard_class"] == hazard_class].values)
        own = polygon_parts(shapely.difference(union, covered))
        covered = shapely.union(covered, union)
        if not own.is_empty:
            rows.append(int(hazard_class))
            geoms.append(own)
    out = gpd.GeoDataFrame({"hazard_class": rows}, geometry=geoms, crs=used.crs)
    return out.sort_values("hazard_class").reset_index(drop=True)
