"""Facility points (schools, health centres...): any points file with a type and a name.

SEGOB reports displacement to the health and education sectors, so facilities are
counted per unit and hazard class. A facility file is read like a damaged-housing
file (CSV, XLSX, GeoJSON, shapefile, GeoPackage; latitud/longitud, lat/lon or x/y
with a CRS), with the same coordinate checks. The type comes from a fixed
``kind`` for the whole file (``kind: escuela``) or from a column (``tipo``,
``type`` by default). Names are kept for the map layer, never copied to figures;
personal columns (a director's phone, say) are dropped.

Rejected: missing / unreadable / (0, 0) / outside-Mexico coordinates, a non-point
geometry, a missing type, and (when ``boundaries`` is given) points outside them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import geopandas as gpd
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.model.vocab import MEXICO_CRS
from geodisp.sources.personal import strip_personal
from geodisp.sources.points import (
    COORDINATE_COLUMNS,
    column_roles,
    inside_units,
    point_coordinates,
    read_records,
)
from geodisp.sources.tables import find_column, is_missing

SOURCE = "facilities"
TYPE_COLUMNS = ("tipo", "type", "clase", "tipo_establecimiento", "nivel", "category")
NAME_COLUMNS = ("nombre", "name", "nom_estab", "nombre_escuela", "nombre_unidad", "nombre_de_la_unidad", "nombre_ct")


def _column(frame: pd.DataFrame, given: str | None, defaults: tuple[str, ...], what: str, path: Path) -> str | None:
    if given is None:
        return find_column(frame, defaults)
    column = find_column(frame, [given])
    if column is None:
        raise InputError(f"{path}: {what} column '{given}' not found; columns are {list(frame.columns)}")
    return column


def read_facilities(
    path: str | Path,
    kind: str | None = None,
    type_field: str | None = None,
    name_field: str | None = None,
    columns: Mapping[str, str] | None = None,
    crs: str | None = None,
    layer: str | int | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Read:
    """Read facility points; ``Read(GeoDataFrame[facility_id, name, type, record, geometry], rejects)``.

    ``kind`` gives every point the same type; otherwise ``type_field`` (or a column
    named like ``tipo``) holds it. ``columns`` maps ``lat``/``lon``/``x``/``y`` to
    the file's headers, as for damaged housing.
    """
    path = Path(path)
    frame, geometry, records = read_records(path, layer)
    found = column_roles(frame, columns, ("lat", "lon", "x", "y"), path, COORDINATE_COLUMNS)
    type_col = None if kind is not None else _column(frame, type_field, TYPE_COLUMNS, "type", path)
    if kind is None and type_col is None:
        raise InputError(f"{path}: no facility type column (looked for {list(TYPE_COLUMNS)}); set type_field or kind")
    name_col = _column(frame, name_field, NAME_COLUMNS, "name", path)
    keep = [found[r] for r in found] + [c for c in (type_col, name_col) if c is not None]
    frame, notes = strip_personal(frame, keep=keep, public=[c for c in (name_col,) if c is not None])

    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    x, y, xy_crs, _ = point_coordinates(path, frame, geometry, found, crs, reasons)
    if type_col is not None:
        no_type = reasons.isna() & is_missing(frame[type_col])
        reasons[no_type] = "missing facility type"
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), index=frame.index, crs=xy_crs).to_crs(MEXICO_CRS)
    ok = reasons.isna()
    if boundaries is not None and ok.any():
        outside = ok.copy()
        outside[ok] = ~inside_units(points[ok], boundaries)
        reasons[outside] = "outside the boundaries"
        ok = reasons.isna()

    record_of = pd.Series(records, index=frame.index)
    types = pd.Series(kind, index=frame.index) if kind is not None else frame[type_col].str.strip()
    names = frame[name_col].str.strip() if name_col is not None else pd.Series("", index=frame.index)
    data = gpd.GeoDataFrame(
        {
            "facility_id": [f"{path.stem}:{r}" for r in record_of[ok]],
            "name": names[ok].to_numpy(),
            "type": types[ok].to_numpy(),
            "record": record_of[ok].to_numpy(),
        },
        geometry=points[ok].to_numpy(),
        crs=MEXICO_CRS,
    )
    return Read(data, concat_rejects(rejects_frame(SOURCE, str(path), list(record_of[~ok]), list(reasons[~ok]))), tuple(notes))
