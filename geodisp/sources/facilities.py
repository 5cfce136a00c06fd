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
from geodisp.sources.fields import reject_personal_cells, reject_summary_rows
from geodisp.sources.messages import Message
from geodisp.sources.personal import redact_text, strip_personal
from geodisp.sources.points import (
    COORDINATE_COLUMNS,
    column_roles,
    inside_units,
    known_names,
    listed_columns,
    point_coordinates,
    read_records,
)
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.sources.tables import find_column, is_missing
from geodisp.model.vocab import MEXICO_CRS

SOURCE = "facilities"
TYPE_COLUMNS = ("tipo", "type", "clase", "tipo_establecimiento", "nivel", "category")
NAME_COLUMNS = ("nombre", "name", "nom_estab", "nombre_escuela", "nombre_unidad", "nombre_de_la_unidad", "nombre_ct")


def _column(frame: pd.DataFrame, given: str | None, defaults: tuple[str, ...], what: str, field: str, path: Path,
            taken: dict[str, str]) -> str | None:
    if given is None:
        return find_column(frame, defaults, exclude=taken.values())
    column = find_column(frame, [given])
    if column is None:
        raise InputError.coded("input_facility_column_missing", file=path, what=what, column=given, setting=field,
                                columns=listed_columns(frame))
    return column


def read_facilities(
    path: str | Path,
    kind: str | None = None,
    type_field: str | None = None,
    name_field: str | None = None,
    columns: Mapping[str, str] | None = None,
    crs: str | None = None,
    layer: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Read:
    """Read facility points; ``Read(GeoDataFrame[facility_id, name, type, record, geometry], rejects)``.

    ``kind`` gives every point the same type; otherwise ``type_field`` (or a column
    named like ``tipo``) holds it. ``columns`` maps ``lat``/``lon``/``x``/``y`` to
    the file's headers, as for damaged housing; ``layer`` names a vector layer or a workbook's sheet.
    Names are public but cut at a contact ('dir.', 'tel.') and scrubbed of phones,
    CURPs and e-mails.
    """
    path = Path(path)
    known = known_names(columns, ("lat", "lon", "x", "y"), COORDINATE_COLUMNS) + [c for c in (type_field, name_field) if c]
    known += list(TYPE_COLUMNS) + list(NAME_COLUMNS)
    read = read_records(path, layer, known)
    frame, geometry, records, notes = read.frame, read.geometry, read.names, list(read.notes)
    found = column_roles(frame, columns, ("lat", "lon", "x", "y"), path, COORDINATE_COLUMNS)
    type_col = None if kind is not None else _column(frame, type_field, TYPE_COLUMNS, "facility_type", "type_field", path, found)
    if kind is None and type_col is None:
        raise InputError.coded("input_no_facility_type", file=path, looked=", ".join(TYPE_COLUMNS), columns=listed_columns(frame))
    name_col = _column(frame, name_field, NAME_COLUMNS, "facility_name", "name_field", path,
                       {**found, **({"type": type_col} if type_col else {})})
    keep = [found[r] for r in found] + [c for c in (type_col,) if c is not None]
    frame, dropped = strip_personal(frame, keep=keep, public=[c for c in (name_col,) if c is not None])
    notes += dropped
    record_of = pd.Series(records, index=frame.index)

    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reject_summary_rows(frame, [c for c in (name_col, type_col) if c], [], reasons)
    reject_personal_cells(frame, [found[r] for r in found] + [c for c in (type_col,) if c], reasons)
    coords = point_coordinates(path, frame, geometry, found, crs, reasons, boundaries)
    notes += coords.notes
    if type_col is not None:
        for i in frame.index[reasons.isna() & is_missing(frame[type_col])]:
            reasons[i] = Message("facility_type_missing")
    points = gpd.GeoSeries(gpd.points_from_xy(coords.x, coords.y), index=frame.index, crs=coords.crs).to_crs(MEXICO_CRS)
    ok = reasons.isna()
    if boundaries is not None and ok.any():
        outside = ok.copy()
        outside[ok] = ~inside_units(points[ok], boundaries)
        for i in frame.index[outside]:
            reasons[i] = Message("outside_boundaries")
        ok = reasons.isna()

    types = pd.Series(kind, index=frame.index) if kind is not None else frame[type_col].str.strip()
    names = frame[name_col].str.strip() if name_col is not None else pd.Series("", index=frame.index)
    cleaned = names.map(redact_text)
    changed = cleaned.map(lambda t: t[1]) & ok
    if changed.any():
        notes.append(Message("personal_cells_redacted", column=name_col, count=int(changed.sum()),
                             records=list(record_of[changed])))
    names = cleaned.map(lambda t: t[0])
    notes += coords.fix_notes(ok, record_of)
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
