"""Point records from tables or vector layers: attributes as text, coordinates checked.

Shared by the readers of point inputs (damaged housing, facilities), so that readers
never import readers: opening a table or layer as records, finding columns by role,
reading coordinates in any declared CRS (swapped latitude/longitude fixed), and the
inside-the-boundaries test.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geodisp.model.errors import InputError
from geodisp.sources.coords import check_lonlat, parse_coordinate
from geodisp.sources.tables import (
    TABLE_SUFFIXES,
    find_column,
    is_missing,
    read_table,
    row_names,
    to_number,
)
from geodisp.sources.vector import read_vector

#: Default header names of the coordinate roles, Spanish and English, matched ignoring case and accents.
COORDINATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "lat": ("latitud", "lat", "latitude", "y_lat"),
    "lon": ("longitud", "lon", "long", "lng", "longitude", "x_lon"),
    "x": ("x", "este", "easting", "coord_x"),
    "y": ("y", "norte", "northing", "coord_y"),
}


def _is_table(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return True
    if suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            names = [n.lower() for n in zf.namelist()]
        return not any(n.endswith((".shp", ".gpkg", ".geojson", ".json", ".kml", ".fgb")) for n in names)
    return False


def read_records(path: Path, layer: str | int | None) -> tuple[pd.DataFrame, gpd.GeoSeries | None, list[str]]:
    """Attributes as text, the geometry (vector files) and the record names."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if _is_table(path):
        frame = read_table(path, sheet=layer)
        return frame, None, row_names(frame)
    vector = read_vector(path, layer).reset_index(drop=True)
    if vector.crs is None:
        raise InputError(f"{path}: the layer has no CRS")
    attrs = pd.DataFrame(vector.drop(columns=vector.geometry.name))
    attrs = attrs.astype(object).where(attrs.notna(), "").astype(str)
    return attrs, vector.geometry, [f"feature {i}" for i in range(len(vector))]


def column_roles(
    frame: pd.DataFrame, columns: Mapping[str, str] | None, roles: tuple[str, ...], path: Path,
    defaults: Mapping[str, tuple[str, ...]],
) -> dict[str, str]:
    """Role → column of ``frame``: overrides must exist; ``defaults`` (role → header names) are looked up."""
    found: dict[str, str] = {}
    columns = dict(columns or {})
    unknown_roles = set(columns) - set(defaults)
    if unknown_roles:
        raise InputError(f"{path}: unknown column roles {sorted(unknown_roles)} (known: {sorted(defaults)})")
    for role in roles:
        if role in columns:
            column = find_column(frame, [columns[role]])
            if column is None:
                raise InputError(f"{path}: column '{columns[role]}' (for {role}) not found; columns are {list(frame.columns)}")
            found[role] = column
        else:
            column = find_column(frame, defaults[role])
            if column is not None and column not in found.values():
                found[role] = column
    return found


def point_coordinates(
    path: Path, frame: pd.DataFrame, geometry: gpd.GeoSeries | None, found: dict[str, str],
    crs: str | None, reasons: pd.Series,
) -> tuple[pd.Series, pd.Series, pyproj.CRS, pd.Series]:
    """x/y per record in their CRS (lon/lat when geographic), whether swapped; reasons filled in place."""
    index = frame.index
    if geometry is not None:
        geometry = geometry.set_axis(index)
        empty = geometry.isna() | geometry.is_empty
        # a MultiPoint holding one point (some GIS exports) is that point
        geometry = geometry.map(
            lambda g: g.geoms[0] if g is not None and g.geom_type == "MultiPoint" and len(g.geoms) == 1 else g
        )
        kinds = geometry.geom_type.fillna("")
        not_point = ~empty & ~kinds.eq("Point")
        reasons[empty] = "missing coordinates"
        reasons[not_point] = [f"not a point ({k})" for k in kinds[not_point]]
        usable = ~empty & ~not_point
        x = pd.Series(np.nan, index=index)
        y = pd.Series(np.nan, index=index)
        x[usable] = geometry[usable].x
        y[usable] = geometry[usable].y
        geographic = geometry.crs.is_geographic
        src = geometry.crs
    elif "lat" in found and "lon" in found:
        raw_lat, raw_lon = frame[found["lat"]], frame[found["lon"]]
        y = raw_lat.map(parse_coordinate)
        x = raw_lon.map(parse_coordinate)
        bad = (y.isna() & ~is_missing(raw_lat)) | (x.isna() & ~is_missing(raw_lon))
        reasons[bad] = [f"unreadable coordinates ({a!r}, {b!r})" for a, b in zip(raw_lat[bad], raw_lon[bad])]
        src = pyproj.CRS(crs or "EPSG:4326")
        if not src.is_geographic:
            raise InputError(f"{path}: latitude/longitude columns need a geographic crs, got {crs}")
        geographic = True
    elif "x" in found and "y" in found:
        if crs is None:
            raise InputError(f"{path}: x/y columns '{found['x']}', '{found['y']}' need a crs (e.g. EPSG:6372)")
        raw_x, raw_y = frame[found["x"]], frame[found["y"]]
        x, y = to_number(raw_x), to_number(raw_y)
        bad = (x.isna() & ~is_missing(raw_x)) | (y.isna() & ~is_missing(raw_y))
        reasons[bad] = [f"unreadable coordinates ({a!r}, {b!r})" for a, b in zip(raw_x[bad], raw_y[bad])]
        src = pyproj.CRS(crs)
        geographic = src.is_geographic
    else:
        raise InputError(
            f"{path}: no coordinate columns (looked for latitud/longitud, lat/lon, x/y); set columns.lat/lon or x/y"
        )
    if geographic:
        lon, lat = x, y
    else:
        to_geo = pyproj.Transformer.from_crs(src, "EPSG:4326", always_xy=True)
        lon_arr, lat_arr = to_geo.transform(x.to_numpy(), y.to_numpy())
        lon, lat = pd.Series(lon_arr, index=index), pd.Series(lat_arr, index=index)
        lon[x.isna() | y.isna()] = np.nan
        lat[x.isna() | y.isna()] = np.nan
    checked = check_lonlat(lon, lat, allow_swap=geographic)
    pending = reasons.isna() & checked["reason"].notna()
    reasons[pending] = checked["reason"][pending]
    if geographic:
        return checked["lon"], checked["lat"], src, checked["coords_swapped"] & reasons.isna()
    return x, y, src, pd.Series(False, index=index)


def inside_units(points: gpd.GeoSeries, boundaries: gpd.GeoDataFrame) -> np.ndarray:
    """Whether each point intersects some unit of ``boundaries`` (a border point counts as inside)."""
    units = boundaries.to_crs(points.crs) if boundaries.crs != points.crs else boundaries
    hits = units.sindex.query(points.values, predicate="intersects")
    inside = np.zeros(len(points), dtype=bool)
    inside[np.unique(hits[0])] = True
    return inside
