"""Point records from tables or vector layers: attributes as text, columns by role, coordinates checked.

Shared by the readers of point inputs (damaged housing, facilities) and of record
tables (evacuations, shelters), so that readers never import readers: opening a
table or layer as records (title rows, sheets, merged cells handled by
:func:`geodisp.sources.tables.read_table`), finding columns by role (the event's
names first, then the defaults; an error says what was looked for and what was
found), reading coordinates in any declared CRS, and the inside-the-boundaries test.

Coordinates: 'S/C' and the like are missing; latitude/longitude typed into each
other's column are swapped back; a longitude missing its minus sign is fixed only
when the negated point falls in the boundaries layer (rejected otherwise);
degree-minute-second strings are parsed; X/Y columns holding degrees inside Mexico
are longitude/latitude, projected X/Y need a CRS and the error suggests the kind.
Each fix is reported per kind by the reader (:class:`Coordinates`).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geodisp.model.errors import InputError
from geodisp.model.vocab import MEXICO_CRS
from geodisp.sources.coords import check_lonlat, in_mexico, is_dms, missing_coordinate, parse_coordinate
from geodisp.sources.messages import Message
from geodisp.sources.personal import personal_kind, quote
from geodisp.sources.tables import TABLE_SUFFIXES, find_column, read_table, row_names, to_number
from geodisp.sources.vector import read_vector

#: Default header names of the coordinate roles, Spanish and English, matched ignoring case,
#: accents, punctuation and tool suffixes ('Lat.', 'LONGITUD_1', 'longitud_x').
COORDINATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "lat": ("latitud", "lat", "latitude", "y_lat"),
    "lon": ("longitud", "lon", "long", "lng", "longitude", "x_lon"),
    "x": ("x", "xcoord", "coord_x", "point_x", "este", "easting"),
    "y": ("y", "ycoord", "coord_y", "point_y", "norte", "northing"),
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


def known_names(
    columns: Mapping[str, str] | None, roles: tuple[str, ...], defaults: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """Every header a reader would recognise for ``roles``: the event's names, then the defaults."""
    given = [str(v) for v in (columns or {}).values()]
    return given + [name for role in roles for name in defaults.get(role, ())]


@dataclass(frozen=True)
class Records:
    """Records as read from a table or a vector layer: the attributes as text (``frame``),
    the geometry (vector files; None for tables), each record's name (``names``: ``row N``
    or ``feature N``) and what the reading did (``notes``, for the reader's ``Read.notes``)."""

    frame: pd.DataFrame
    geometry: gpd.GeoSeries | None
    names: list[str]
    notes: tuple[Message, ...] = ()


def read_records(path: Path, layer: str | int | None, known: Iterable[str] = ()) -> Records:
    """Attributes as text, the geometry (vector files), the record names and the reading's notes.

    Tables are read with :func:`read_table`, ``layer`` naming a workbook's sheet and
    ``known`` (the column names the reader would recognise) finding the header row;
    the notes say what the reading did (header line, sheet chosen, cells filled, an
    encoding fallback).
    """
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    if _is_table(path):
        table = read_table(path, sheet=layer, known=known)
        return Records(table.frame, None, row_names(table.frame), table.notes)
    read = read_vector(path, layer)
    vector = read.frame.reset_index(drop=True)
    if vector.crs is None:
        raise InputError.coded("input_no_crs", file=path)
    values = pd.DataFrame(vector.drop(columns=vector.geometry.name))
    values = values.astype(object).where(values.notna(), "").astype(str)
    return Records(values, vector.geometry, [f"feature {i}" for i in range(len(vector))], read.notes)


def listed_columns(frame: pd.DataFrame) -> str:
    """The frame's column names for a message; a header holding personal data is redacted."""
    return ", ".join(quote(c) if personal_kind(c) else repr(str(c)) for c in frame.columns if c != "geometry")


def column_roles(
    frame: pd.DataFrame, columns: Mapping[str, str] | None, roles: tuple[str, ...], path: Path,
    defaults: Mapping[str, tuple[str, ...]],
) -> dict[str, str]:
    """Role → column of ``frame``: the event's names must exist; defaults are looked up.

    A name the event gives that is not in the file is an error listing the columns
    found; each column takes at most one role.
    """
    found: dict[str, str] = {}
    columns = dict(columns or {})
    unknown_roles = set(columns) - set(defaults)
    if unknown_roles:
        raise InputError.coded("input_unknown_roles", file=path, roles=sorted(unknown_roles), known=sorted(defaults))
    for role in roles:
        if role in columns:
            column = find_column(frame, [columns[role]])
            if column is None:
                raise InputError.coded("input_column_missing", file=path, column=columns[role], role=role,
                                       columns=listed_columns(frame))
            found[role] = column
    for role in roles:
        if role not in found:
            column = find_column(frame, defaults[role], exclude=found.values())
            if column is not None:
                found[role] = column
    return found


def missing_role(
    path: Path, frame: pd.DataFrame, what: str, role: str, defaults: Mapping[str, tuple[str, ...]]
) -> InputError:
    """The error for a column that is not there: what was looked for and what was found.

    ``what`` is a word of the readers' catalogue (``TERMS``: "people_or_households", "date"...)."""
    looked = ", ".join(n for n in defaults[role] if not n.endswith("*"))
    return InputError.coded("input_role_missing", file=path, what=what, looked=looked, columns=listed_columns(frame), role=role)


@dataclass
class Coordinates:
    """Per record: x/y in ``crs``, what was fixed (swapped, minus sign, DMS parsed), and notes."""

    x: pd.Series
    y: pd.Series
    crs: pyproj.CRS
    swapped: pd.Series
    lon_sign: pd.Series
    dms: pd.Series
    notes: list

    def fix_notes(self, used: pd.Series, records: pd.Series) -> list[Message]:
        """One note per kind of fix among the ``used`` records, with its count and the records."""
        notes = []
        for code, mask in (("coords_swapped", self.swapped), ("lon_sign_fixed", self.lon_sign), ("dms_parsed", self.dms)):
            fixed = used & mask
            if fixed.any():
                notes.append(Message(code, count=int(fixed.sum()), records=list(records[fixed])))
        return notes


def _projected_hint(x: pd.Series, y: pd.Series) -> str:
    """What kind of CRS projected X/Y values look like (no values quoted): a ``hint_...`` word of the catalogue."""
    x, y = x.dropna(), y.dropna()
    if len(x) and x.between(100_000, 900_000).all() and y.between(1_500_000, 3_700_000).all():
        return "hint_utm"
    if len(x) and x.between(900_000, 4_200_000).all() and y.between(300_000, 2_500_000).all():
        return "hint_lcc"
    return "hint_crs"


def point_coordinates(
    path: Path, frame: pd.DataFrame, geometry: gpd.GeoSeries | None, found: dict[str, str],
    crs: str | None, reasons: pd.Series, boundaries: gpd.GeoDataFrame | None = None,
) -> Coordinates:
    """x/y per record in their CRS (lon/lat when geographic) and what was fixed; reasons filled in place.

    A positive longitude whose negation falls in ``boundaries`` is fixed; without
    boundaries, or when the negated point falls outside them, the record is rejected.
    """
    index = frame.index
    no = pd.Series(False, index=index)
    dms = no.copy()
    notes: list = []
    if geometry is not None:
        geometry = geometry.set_axis(index)
        empty = geometry.isna() | geometry.is_empty
        # a MultiPoint holding one point (some GIS exports) is that point
        geometry = geometry.map(
            lambda g: g.geoms[0] if g is not None and g.geom_type == "MultiPoint" and len(g.geoms) == 1 else g
        )
        kinds = geometry.geom_type.fillna("")
        not_point = ~empty & ~kinds.eq("Point")
        for i in index[empty & reasons.isna()]:
            reasons[i] = Message("missing_coordinates")
        for i in index[not_point & reasons.isna()]:
            reasons[i] = Message("not_a_point", kind=kinds[i])
        usable = ~empty & ~not_point
        x = pd.Series(np.nan, index=index)
        y = pd.Series(np.nan, index=index)
        x[usable] = geometry[usable].x
        y[usable] = geometry[usable].y
        geographic = geometry.crs.is_geographic
        src = geometry.crs
    elif "lat" in found and "lon" in found:
        raw_lat, raw_lon = frame[found["lat"]], frame[found["lon"]]
        absent = missing_coordinate(raw_lat) | missing_coordinate(raw_lon)
        y = raw_lat.map(parse_coordinate).where(~absent)
        x = raw_lon.map(parse_coordinate).where(~absent)
        _unreadable(raw_lon, x, absent, found["lon"], reasons)
        _unreadable(raw_lat, y, absent, found["lat"], reasons)
        dms = (raw_lat.map(is_dms) | raw_lon.map(is_dms)) & ~absent
        src = pyproj.CRS(crs or "EPSG:4326")
        if not src.is_geographic:
            raise InputError.coded("input_latlon_crs", file=path, crs=crs)
        geographic = True
    elif "x" in found and "y" in found:
        raw_x, raw_y = frame[found["x"]], frame[found["y"]]
        absent = missing_coordinate(raw_x) | missing_coordinate(raw_y)
        x, y = to_number(raw_x).where(~absent), to_number(raw_y).where(~absent)
        _unreadable(raw_x, x, absent, found["x"], reasons)
        _unreadable(raw_y, y, absent, found["y"], reasons)
        if crs is None:
            given = x.notna() & y.notna()
            if given.any() and bool(in_mexico(x[given], y[given]).all()):
                notes.append(Message("xy_degrees", x=found["x"], y=found["y"]))
                crs = "EPSG:4326"
            else:
                raise InputError.coded("input_xy_need_crs", file=path, x=found["x"], y=found["y"],
                                       hint=_projected_hint(x[given], y[given]))
        src = pyproj.CRS(crs)
        geographic = src.is_geographic
    else:
        raise InputError.coded("input_no_coordinates", file=path, columns=listed_columns(frame))
    if geographic:
        lon, lat = x, y
    else:
        to_geo = pyproj.Transformer.from_crs(src, "EPSG:4326", always_xy=True)
        lon_arr, lat_arr = to_geo.transform(x.to_numpy(), y.to_numpy())
        lon, lat = pd.Series(lon_arr, index=index), pd.Series(lat_arr, index=index)
        lon[x.isna() | y.isna()] = np.nan
        lat[x.isna() | y.isna()] = np.nan
    checked = check_lonlat(lon, lat, allow_swap=geographic)
    for i in index[reasons.isna() & checked["reason"].notna()]:
        reasons[i] = Message(checked.at[i, "reason"])
    sign = checked["lon_sign"] & reasons.isna()
    if sign.any():
        confirmed = pd.Series(False, index=index)
        if boundaries is not None:
            candidates = gpd.GeoSeries(
                gpd.points_from_xy(checked["lon"][sign], checked["lat"][sign]), index=index[sign], crs="EPSG:4326"
            ).to_crs(MEXICO_CRS)
            confirmed[sign] = inside_units(candidates, boundaries)
        for i in index[sign & ~confirmed]:
            reasons[i] = Message("lon_sign_outside_state")
        sign = sign & confirmed
    if not geographic:
        return Coordinates(x, y, src, no, no, dms, notes)
    return Coordinates(checked["lon"], checked["lat"], src, checked["coords_swapped"] & reasons.isna(),
                       sign & reasons.isna(), dms & reasons.isna(), notes)


def _unreadable(raw: pd.Series, parsed: pd.Series, absent: pd.Series, column: str, reasons: pd.Series) -> None:
    bad = parsed.isna() & ~absent & reasons.isna()
    for i in raw.index[bad]:
        reasons[i] = Message("unreadable_coordinates", column=column, value=quote(raw[i]))


def inside_units(points: gpd.GeoSeries, boundaries: gpd.GeoDataFrame) -> np.ndarray:
    """Whether each point intersects some unit of ``boundaries`` (a border point counts as inside)."""
    units = boundaries.to_crs(points.crs) if boundaries.crs != points.crs else boundaries
    hits = units.sindex.query(points.values, predicate="intersects")
    inside = np.zeros(len(points), dtype=bool)
    inside[np.unique(hits[0])] = True
    return inside
