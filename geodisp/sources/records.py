"""Read Civil Protection records: evacuations and shelter (albergue) occupancy, as CSV or XLSX.

Municipios arrive as a CVEGEO key, a municipio number within the state, or a name;
names are matched ignoring case and accents within ``state``
(:class:`geodisp.sources.names.UnitResolver`). An ambiguous or unknown name is
rejected with the candidates listed, never guessed. Personal columns (a shelter
manager's name and phone, evacuees' names) are dropped at read time.

Shelter reports are a time series: the same albergue appears on several dates.
:func:`summarise_shelters` turns them into peak occupancy and person-days per
municipio without adding up the same people day after day.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.model.vocab import MEXICO_CRS
from geodisp.sources.coords import check_lonlat, parse_coordinate
from geodisp.sources.names import UnitResolver
from geodisp.sources.personal import strip_personal
from geodisp.sources.tables import (
    find_column,
    is_missing,
    normalise_text,
    parse_date,
    read_table,
    row_names,
    to_number,
)

UNIT_KEY_COLUMNS = ("cvegeo", "clave_municipio", "clave_mun", "cve_mun", "cve_municipio", "clave_inegi")
UNIT_NAME_COLUMNS = ("municipio", "nom_mun", "nombre_municipio", "nomgeo", "mun", "municipality")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("fecha", "date", "fecha_reporte", "fecha_de_reporte", "fecha_evacuacion", "dia"),
    "people": ("personas", "evacuados", "personas_evacuadas", "poblacion_evacuada", "people", "evacuees", "num_personas", "total_personas"),
    "households": ("familias", "hogares", "households", "num_familias", "familias_evacuadas"),
    "shelter_id": ("id_albergue", "clave_albergue", "albergue_id", "shelter_id", "id", "clave", "folio"),
    "name": ("nombre_albergue", "nombre_del_albergue", "albergue", "nombre", "shelter", "shelter_name", "refugio", "name"),
    "occupants": ("ocupantes", "albergados", "personas_albergadas", "ocupacion", "occupants", "personas", "poblacion_albergada"),
    "lat": ("latitud", "lat", "latitude"),
    "lon": ("longitud", "lon", "long", "lng", "longitude"),
}


def _columns(frame: pd.DataFrame, roles: tuple[str, ...], columns: Mapping[str, str] | None, path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    columns = dict(columns or {})
    for role in ("unit_key", "unit_name", *roles):
        if role in columns:
            column = find_column(frame, [columns[role]])
            if column is None:
                raise InputError(f"{path}: column '{columns[role]}' (for {role}) not found; columns are {list(frame.columns)}")
        else:
            candidates = {"unit_key": UNIT_KEY_COLUMNS, "unit_name": UNIT_NAME_COLUMNS}.get(role) or DEFAULT_COLUMNS[role]
            column = find_column(frame, candidates)
        if column is not None and column not in found.values():
            found[role] = column
    if "unit_key" not in found and "unit_name" not in found:
        raise InputError(f"{path}: no municipio column (key: {list(UNIT_KEY_COLUMNS)}, name: {list(UNIT_NAME_COLUMNS)})")
    return found


def _units(frame: pd.DataFrame, found: dict[str, str], resolver: UnitResolver) -> tuple[pd.Series, pd.Series]:
    """CVEGEO per row from the key column, else the name column; and a reason where neither resolves."""
    keys = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for i in frame.index:
        key_cell = frame.at[i, found["unit_key"]] if "unit_key" in found else ""
        name_cell = frame.at[i, found["unit_name"]] if "unit_name" in found else ""
        cell = key_cell if str(key_cell).strip() else name_cell
        keys[i], reasons[i] = resolver.resolve(cell)
    return keys, reasons


def _count(values: pd.Series, what: str, reasons: pd.Series, required: bool) -> pd.Series:
    """Numbers of people/households/occupants; reasons for unreadable, negative or fractional cells."""
    number = to_number(values)
    missing = is_missing(values)
    checks = [
        (number.isna() & ~missing, lambda v: f"non-numeric {what} '{v}'"),
        (number < 0, lambda v: f"negative {what} {v}"),
        (number.notna() & (number % 1 != 0), lambda v: f"fractional {what} {v}"),
    ]
    if required:
        checks.insert(0, (missing, lambda v: f"missing {what}"))
    for mask, why in checks:
        pending = reasons.isna() & mask
        reasons[pending] = [why(v) for v in values[pending]]
    return number


def _dates(values: pd.Series, reasons: pd.Series, required: bool) -> pd.Series:
    dates = values.map(parse_date)
    missing = is_missing(values)
    bad = dates.isna() & ~missing
    pending = reasons.isna() & bad
    reasons[pending] = [f"unreadable date '{v}'" for v in values[pending]]
    if required:
        reasons[reasons.isna() & missing] = "missing date"
    return pd.to_datetime(dates)


def read_evacuations(
    path: str | Path,
    boundaries: gpd.GeoDataFrame | None = None,
    state: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    layer: str | int | None = None,
) -> Read:
    """Evacuation reports; ``Read(DataFrame[cvegeo, date, people, households, record], rejects)``.

    A row needs a municipio and people or households (either may be missing, not both);
    the date is optional (NaT when absent). A row repeating an earlier one exactly
    (same municipio, date, people and households) is rejected as its duplicate.
    """
    path = Path(path)
    frame = read_table(path, sheet=layer)
    found = _columns(frame, ("date", "people", "households"), columns, path)
    frame, notes = strip_personal(frame, keep=list(found.values()))
    if "people" not in found and "households" not in found:
        raise InputError(f"{path}: no people or households column (looked for {list(DEFAULT_COLUMNS['people'])})")
    records = pd.Series(row_names(frame), index=frame.index)
    keys, reasons = _units(frame, found, UnitResolver.from_boundaries(boundaries, state))
    empty = pd.Series("", index=frame.index)
    raw_people = frame[found["people"]] if "people" in found else empty
    raw_households = frame[found["households"]] if "households" in found else empty
    people = _count(raw_people, "people", reasons, required=False)
    households = _count(raw_households, "households", reasons, required=False)
    reasons[reasons.isna() & people.isna() & households.isna()] = "no people or households"
    dates = _dates(frame[found["date"]], reasons, required=False) if "date" in found else pd.Series(pd.NaT, index=frame.index)
    ok = reasons.isna()
    data = pd.DataFrame(
        {"cvegeo": keys, "date": dates, "people": people, "households": households, "record": records}
    )
    seen: dict[tuple, str] = {}
    for i in data.index[ok]:
        signature = (data.at[i, "cvegeo"], data.at[i, "date"], data.at[i, "people"], data.at[i, "households"])
        signature = tuple("nan" if isinstance(v, float) and np.isnan(v) else v for v in signature)
        if signature in seen:
            reasons[i] = f"duplicate of {seen[signature]}"
        else:
            seen[signature] = records[i]
    ok = reasons.isna()
    out = data[ok].reset_index(drop=True)
    return Read(out, concat_rejects(rejects_frame("evacuations", str(path), list(records[~ok]), list(reasons[~ok]))), tuple(notes))


def read_shelters(
    path: str | Path,
    boundaries: gpd.GeoDataFrame | None = None,
    state: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    layer: str | int | None = None,
) -> Read:
    """Shelter occupancy reports; ``Read(DataFrame[shelter_id, name, cvegeo, date, occupants, x, y, record], rejects)``.

    A row needs a shelter id or name (without an id, the normalised name is the id),
    a municipio (or coordinates inside ``boundaries`` to place it), a date and a
    number of occupants. Coordinates are optional: unusable ones are set to NaN and
    listed in the notes rather than costing the row its occupants;
    ``x``/``y`` are EPSG:6372. The same shelter reported twice on one date is
    rejected as a duplicate (first report kept).
    """
    path = Path(path)
    frame = read_table(path, sheet=layer)
    found = _columns(frame, ("shelter_id", "name", "date", "occupants", "lat", "lon"), columns, path)
    public = [found[r] for r in ("name", "unit_key", "unit_name") if r in found]
    frame, notes = strip_personal(frame, keep=list(found.values()), public=public)
    if "name" in found and found["name"] not in frame.columns:
        del found["name"]
    for role in ("date", "occupants"):
        if role not in found:
            raise InputError(f"{path}: no {role} column (looked for {list(DEFAULT_COLUMNS[role])})")
    records = pd.Series(row_names(frame), index=frame.index)
    resolver = UnitResolver.from_boundaries(boundaries, state)
    keys, reasons = _units(frame, found, resolver)

    x = pd.Series(np.nan, index=frame.index)
    y = pd.Series(np.nan, index=frame.index)
    if "lat" in found and "lon" in found:
        raw_lat, raw_lon = frame[found["lat"]], frame[found["lon"]]
        checked = check_lonlat(raw_lon.map(parse_coordinate), raw_lat.map(parse_coordinate))
        given = ~(is_missing(raw_lat) & is_missing(raw_lon))
        unusable = given & checked["reason"].notna()
        for i in frame.index[unusable]:
            notes.append(f"{records[i]}: coordinates ignored ({checked.at[i, 'reason']})")
        usable = checked["reason"].isna()
        for i in frame.index[usable & checked["coords_swapped"]]:
            notes.append(f"{records[i]}: latitude and longitude swapped and fixed")
        pts = gpd.GeoSeries(gpd.points_from_xy(checked["lon"], checked["lat"]), index=frame.index, crs="EPSG:4326").to_crs(MEXICO_CRS)
        x[usable] = pts[usable].x
        y[usable] = pts[usable].y
        if boundaries is not None and usable.any():
            located = _locate(pts[usable], boundaries, resolver).reindex(frame.index)
            placed = keys.isna() & located.notna() & _unit_cell_empty(frame, found)
            keys[placed] = located[placed]
            reasons[placed] = None
            for i in frame.index[placed]:
                notes.append(f"{records[i]}: municipio {keys[i]} taken from the coordinates")
            differs = reasons.isna() & located.notna() & ~placed & (keys != located)
            for i in frame.index[differs]:
                notes.append(f"{records[i]}: coordinates fall in {located[i]}, not in the stated municipio {keys[i]}")

    ids = frame[found["shelter_id"]] if "shelter_id" in found else pd.Series("", index=frame.index)
    names = frame[found["name"]] if "name" in found else pd.Series("", index=frame.index)
    shelter_id = ids.where(~is_missing(ids), names.map(normalise_text))
    reasons[reasons.isna() & (shelter_id.str.strip() == "")] = "no shelter id or name"
    dates = _dates(frame[found["date"]], reasons, required=True)
    occupants = _count(frame[found["occupants"]], "occupants", reasons, required=True)
    ok = reasons.isna()
    seen: dict[tuple, str] = {}
    for i in frame.index[ok]:
        signature = (shelter_id[i], dates[i])
        if signature in seen:
            reasons[i] = f"duplicate of {seen[signature]} (same shelter and date)"
        else:
            seen[signature] = records[i]
    ok = reasons.isna()
    data = pd.DataFrame(
        {
            "shelter_id": shelter_id, "name": names.where(names != "", None), "cvegeo": keys, "date": dates,
            "occupants": occupants, "x": x, "y": y, "record": records,
        }
    )[ok].reset_index(drop=True)
    return Read(data, concat_rejects(rejects_frame("shelters", str(path), list(records[~ok]), list(reasons[~ok]))), tuple(notes))


def _unit_cell_empty(frame: pd.DataFrame, found: dict[str, str]) -> np.ndarray:
    empty = np.ones(len(frame), dtype=bool)
    for role in ("unit_key", "unit_name"):
        if role in found:
            empty &= is_missing(frame[found[role]]).to_numpy()
    return empty


def _locate(points: gpd.GeoSeries, boundaries: gpd.GeoDataFrame, resolver: UnitResolver) -> pd.Series:
    """The unit each point falls in (first hit), restricted to the resolver's state."""
    units = boundaries.to_crs(points.crs)
    if resolver.state:
        units = units[units["cvegeo"].str.startswith(resolver.state)]
    units = units.reset_index(drop=True)
    hits = units.sindex.query(points.values, predicate="intersects")
    located = pd.Series([None] * len(points), index=points.index, dtype=object)
    for p, u in zip(hits[0][::-1], hits[1][::-1]):  # reversed so the first hit wins
        located.iloc[p] = units.at[u, "cvegeo"]
    return located


