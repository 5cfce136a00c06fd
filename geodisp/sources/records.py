"""Read Civil Protection records: evacuations and shelter (albergue) occupancy, as CSV or XLSX.

Municipios arrive as a CVEGEO key, a municipio number within the state, or a name;
names are matched ignoring case and accents within ``state``
(:class:`geodisp.sources.names.UnitResolver`). An ambiguous or unknown name is
rejected with the candidates listed, never guessed. Personal columns (a shelter
manager's name and phone, evacuees' names) are dropped at read time.

Shelter reports are a time series: the same albergue appears on several dates;
:func:`geodisp.estimators.shelters.summarise_shelters` turns them into peak
occupancy and person-days per municipio without adding up the same people day
after day.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.sources.coords import check_lonlat, missing_coordinate, parse_coordinate
from geodisp.sources.fields import count_reasons, date_reasons, redact_ids, reject_personal_cells, reject_summary_rows
from geodisp.sources.messages import Message
from geodisp.sources.names import UnitResolver, resolve_units, row_states, state_key
from geodisp.sources.personal import redact_text, strip_personal
from geodisp.sources.points import column_roles, known_names, listed_columns, missing_role
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.sources.tables import is_missing, normalise_text, read_table, row_names
from geodisp.model.vocab import MEXICO_CRS

UNIT_KEY_COLUMNS = ("cvegeo", "clave_municipio", "clave_mun", "cve_mun", "cve_municipio", "clave_inegi")
UNIT_NAME_COLUMNS = ("municipio", "nom_mun", "nombre_municipio", "nomgeo", "mun", "municipality")
STATE_COLUMNS = ("cve_ent", "clave_entidad", "clave_estado", "entidad", "estado", "nom_ent", "entidad_federativa", "state")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit_key": UNIT_KEY_COLUMNS,
    "unit_name": UNIT_NAME_COLUMNS,
    "state": STATE_COLUMNS,
    "date": ("fecha", "date", "fecha_reporte", "fecha_de_reporte", "fecha_evacuacion", "fecha_corte", "dia", "fecha*"),
    "people": ("personas", "evacuados", "personas_evacuadas", "poblacion_evacuada", "people", "evacuees",
               "num_personas", "total_personas", "personas_albergadas"),
    "households": ("familias", "hogares", "households", "num_familias", "familias_evacuadas", "familias*"),
    "shelter_id": ("id_albergue", "clave_albergue", "albergue_id", "shelter_id", "id", "clave", "folio"),
    "name": ("nombre_albergue", "nombre_del_albergue", "albergue", "nombre", "shelter", "shelter_name",
             "refugio", "name"),
    "occupants": ("ocupantes", "albergados", "personas_albergadas", "ocupacion", "occupants", "personas",
                  "poblacion_albergada", "albergada*"),
    "capacity": ("capacidad", "capacidad_maxima", "capacidad_instalada", "capacity", "cupo"),
    "shelters": ("albergues", "num_albergues", "numero_de_albergues", "albergues_activos", "albergues_abiertos",
                 "shelters"),
    "lat": ("latitud", "lat", "latitude"),
    "lon": ("longitud", "lon", "long", "lng", "longitude"),
}
EVACUATION_ROLES = ("unit_key", "unit_name", "state", "date", "people", "households")
SHELTER_ROLES = ("unit_key", "unit_name", "state", "shelter_id", "name", "date", "occupants", "capacity", "shelters",
                 "lat", "lon")


def _read(path: Path, layer: str | int | None, columns: Mapping[str, str] | None, roles: tuple[str, ...], state: str | None,
          boundaries: gpd.GeoDataFrame | None, places: pd.DataFrame | None):
    """The table, its column roles, the personal columns dropped, and per-row unit keys and reasons."""
    table = read_table(path, sheet=layer, known=known_names(columns, roles, DEFAULT_COLUMNS))
    frame, notes = table.frame, list(table.notes)
    found = column_roles(frame, columns, roles, path, DEFAULT_COLUMNS)
    if "unit_key" not in found and "unit_name" not in found:
        raise InputError.coded("input_no_unit_column", file=path, keys=", ".join(UNIT_KEY_COLUMNS), names=", ".join(UNIT_NAME_COLUMNS),
                               columns=listed_columns(frame), key_setting="columns.unit_key", name_setting="columns.unit_name")
    public = [found[r] for r in ("name",) if r in found]
    frame, dropped = strip_personal(frame, keep=[c for r, c in found.items() if r != "name"], public=public)
    notes += dropped
    records = pd.Series(row_names(frame), index=frame.index)
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    unit_columns = [found[r] for r in ("unit_key", "unit_name", "state") if r in found]
    value_columns = [found[r] for r in ("people", "households", "occupants", "capacity", "shelters", "date") if r in found]
    reject_summary_rows(frame, unit_columns + [found[r] for r in ("shelter_id", "name") if r in found],
                        value_columns, reasons)
    reject_personal_cells(frame, unit_columns + value_columns, reasons)
    if "state" in found and "state" not in (columns or {}) and not _holds_states(frame[found["state"]]):
        notes.append(Message("state_column_not_states", column=found["state"]))  # 'estado' = 'abierto' is a status
        found = {role: column for role, column in found.items() if role != "state"}
    states = row_states(frame, found.get("state"), reasons)
    resolver = UnitResolver.from_boundaries(boundaries, state, places)
    keys = resolve_units(_unit_cells(frame, found), states, resolver, reasons, notes)
    return frame, found, notes, records, reasons, keys, resolver


def _holds_states(values: pd.Series) -> bool:
    """True when at least half of a found 'state' column's filled cells name a state (key or name)."""
    filled = values[~is_missing(values)]
    if filled.empty:
        return True
    named = 0
    for value in filled:
        try:
            named += state_key(value) is not None
        except ValueError:
            pass
    return named >= 0.5 * len(filled)


def _unit_cells(frame: pd.DataFrame, found: dict[str, str]) -> pd.Series:
    key = frame[found["unit_key"]] if "unit_key" in found else pd.Series("", index=frame.index)
    if "unit_name" not in found:
        return key
    return key.where(~is_missing(key), frame[found["unit_name"]])


def read_evacuations(
    path: str | Path,
    layer: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    unit: Literal["people", "households"] = "people",
    state: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> Read:
    """Evacuation reports; ``Read(DataFrame[cvegeo, date, people, households, record], rejects)``.

    A row needs a municipio and people or households (either may be missing, not
    both); the date is optional (NaT when absent). ``unit: households`` says the
    people column counts households (families): its figures go to ``households`` as
    reported, and the estimate converts them with the unit's census household size.
    A row repeating an earlier one exactly (same municipio, date, people and
    households) is rejected as its duplicate; so are total rows.
    """
    path = Path(path)
    frame, found, notes, records, reasons, keys, _ = _read(
        path, layer, columns, EVACUATION_ROLES, state, boundaries, places
    )
    if unit == "households" and "people" in found and "households" not in found:
        found["households"] = found.pop("people")
        notes.append(Message("households_as_reported", column=found["households"]))
    elif "households" in found and "people" not in found:
        notes.append(Message("households_as_reported", column=found["households"]))
    if "people" not in found and "households" not in found:
        raise missing_role(path, frame, "people_or_households", "people", DEFAULT_COLUMNS)
    empty = pd.Series("", index=frame.index)
    people = count_reasons(frame[found["people"]] if "people" in found else empty, "people",
                           found.get("people", ""), reasons, required=False)
    households = count_reasons(frame[found["households"]] if "households" in found else empty, "households",
                               found.get("households", ""), reasons, required=False)
    for i in frame.index[reasons.isna() & people.isna() & households.isna()]:
        reasons[i] = Message("no_people_or_households")
    dates = (date_reasons(frame[found["date"]], found["date"], reasons, required=False) if "date" in found
             else pd.Series(pd.NaT, index=frame.index))
    ok = reasons.isna()
    data = pd.DataFrame(
        {"cvegeo": keys, "date": dates, "people": people, "households": households, "record": records}
    )
    seen: dict[tuple, str] = {}
    for i in data.index[ok]:
        signature = (data.at[i, "cvegeo"], data.at[i, "date"], data.at[i, "people"], data.at[i, "households"])
        signature = tuple("nan" if isinstance(v, float) and np.isnan(v) else v for v in signature)
        if signature in seen:
            reasons[i] = Message("duplicate_of", record=seen[signature])
        else:
            seen[signature] = records[i]
    ok = reasons.isna()
    out = data[ok].reset_index(drop=True)
    return Read(out, concat_rejects(rejects_frame("evacuations", str(path), list(records[~ok]), list(reasons[~ok]))),
                tuple(notes))


def read_shelters(
    path: str | Path,
    layer: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    state: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> Read:
    """Shelter occupancy reports; ``Read(DataFrame[shelter_id, name, cvegeo, date, occupants, capacity,
    over_capacity, shelters, x, y, record], rejects)``.

    A row needs a municipio (or coordinates inside ``boundaries`` to place it), a
    date and a number of occupants. A shelter id or name identifies the shelter
    (without an id, the normalised name is the id); without either column, a row is the
    municipio's total on that date, as governors' bulletins report it (a file with
    neither column; the id is ``municipio:<key>``); in a file with shelter columns a
    row without both is rejected. ``capacidad`` flags reports
    above capacity (kept, ``over_capacity``); a number-of-shelters column is kept
    in ``shelters``. Coordinates are optional: unusable ones are set to NaN and
    noted rather than costing the row its occupants; ``x``/``y`` are EPSG:6372.
    Shelter names are public but cut at a contact ('resp.', 'tel.') and scrubbed
    of phones, CURPs and e-mails. The same shelter reported twice on one date is
    rejected as a duplicate (first report kept).
    """
    path = Path(path)
    frame, found, notes, records, reasons, keys, resolver = _read(
        path, layer, columns, SHELTER_ROLES, state, boundaries, places
    )
    for role in ("date", "occupants"):
        if role not in found:
            raise missing_role(path, frame, role, role, DEFAULT_COLUMNS)

    x = pd.Series(np.nan, index=frame.index)
    y = pd.Series(np.nan, index=frame.index)
    if "lat" in found and "lon" in found:
        raw_lat, raw_lon = frame[found["lat"]], frame[found["lon"]]
        absent = missing_coordinate(raw_lat) & missing_coordinate(raw_lon)
        checked = check_lonlat(raw_lon.map(parse_coordinate), raw_lat.map(parse_coordinate))
        unusable = ~absent & (checked["reason"].notna() | checked["lon_sign"])
        if unusable.any():
            notes.append(Message("shelter_coords_ignored", count=int(unusable.sum()), records=list(records[unusable])))
        usable = checked["reason"].isna() & ~checked["lon_sign"]
        if (usable & checked["coords_swapped"]).any():
            fixed = usable & checked["coords_swapped"]
            notes.append(Message("coords_swapped", count=int(fixed.sum()), records=list(records[fixed])))
        pts = gpd.GeoSeries(gpd.points_from_xy(checked["lon"], checked["lat"]), index=frame.index, crs="EPSG:4326").to_crs(MEXICO_CRS)
        x[usable] = pts[usable].x
        y[usable] = pts[usable].y
        if boundaries is not None and usable.any():
            located = _locate(pts[usable], boundaries, resolver).reindex(frame.index)
            placed = keys.isna() & located.notna() & pd.Series(_unit_cell_empty(frame, found), index=frame.index)
            placed &= reasons.map(lambda r: r is None or getattr(r, "code", "") == "unit_missing")
            keys[placed] = located[placed]
            reasons[placed] = None
            if placed.any():
                notes.append(Message("shelter_unit_from_coords", count=int(placed.sum()), records=list(records[placed])))
            differs = reasons.isna() & located.notna() & ~placed & (keys != located)
            if differs.any():
                notes.append(Message("shelter_coords_other_unit", count=int(differs.sum()), records=list(records[differs])))

    ids = frame[found["shelter_id"]] if "shelter_id" in found else pd.Series("", index=frame.index)
    if "shelter_id" in found:
        ids = redact_ids(ids, records, found["shelter_id"], notes)
    names = frame[found["name"]] if "name" in found else pd.Series("", index=frame.index)
    cleaned = names.map(redact_text)
    changed = cleaned.map(lambda t: t[1])
    if changed.any():
        notes.append(Message("personal_cells_redacted", column=found["name"], count=int(changed.sum()),
                             records=list(records[changed])))
    names = cleaned.map(lambda t: t[0])
    shelter_id = ids.where(~is_missing(ids), names.map(normalise_text))
    if "shelter_id" not in found and "name" not in found:  # a bulletin: people in shelters per municipio
        shelter_id = keys.map(lambda k: f"municipio:{k}" if k else "")
    else:
        for i in frame.index[reasons.isna() & (shelter_id.str.strip() == "")]:
            reasons[i] = Message("no_shelter_id_or_name")
    dates = date_reasons(frame[found["date"]], found["date"], reasons, required=True)
    occupants = count_reasons(frame[found["occupants"]], "occupants", found["occupants"], reasons)
    capacity = (count_reasons(frame[found["capacity"]], "capacity", found["capacity"], reasons, required=False)
                if "capacity" in found else pd.Series(np.nan, index=frame.index))
    shelters = (count_reasons(frame[found["shelters"]], "shelters", found["shelters"], reasons, required=False)
                if "shelters" in found else pd.Series(np.nan, index=frame.index))
    ok = reasons.isna()
    seen: dict[tuple, str] = {}
    for i in frame.index[ok]:
        signature = (shelter_id[i], dates[i])
        if signature in seen:
            reasons[i] = Message("duplicate_shelter_date", record=seen[signature])
        else:
            seen[signature] = records[i]
    ok = reasons.isna()
    over = ok & capacity.notna() & (occupants > capacity)
    if over.any():
        notes.append(Message("capacity_exceeded", count=int(over.sum()), records=list(records[over])))
    report_dates = dates[ok].dropna().unique()
    if ok.any() and len(report_dates) == 1:
        notes.append(Message("single_date_report", date=str(pd.Timestamp(report_dates[0]).date())))
    data = pd.DataFrame(
        {
            "shelter_id": shelter_id, "name": names.where(names != "", None), "cvegeo": keys, "date": dates,
            "occupants": occupants, "capacity": capacity, "over_capacity": over, "shelters": shelters,
            "x": x, "y": y, "record": records,
        }
    )[ok].reset_index(drop=True)
    return Read(data, concat_rejects(rejects_frame("shelters", str(path), list(records[~ok]), list(reasons[~ok]))),
                tuple(notes))


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
