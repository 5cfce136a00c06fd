"""Read INEGI Marco Geoestadístico boundaries: any spelling, any encoding, one clean layer.

Accepted: shapefile (also zipped), GeoPackage, GeoJSON, anything GDAL reads. Fields
in the official upper case (CVEGEO, CVE_ENT, CVE_MUN, CVE_LOC, CVE_AGEB, NOMGEO) or
the lower-case web spelling (cvegeo, cve_agee, cve_agem, cve_loc, nom_agem, nom_loc).

What comes out: ``cvegeo`` as a zero-padded string, ``level`` inferred from the key
length (2 ent, 5 mun, 9 loc, 13 ageb), ``name``, the parent keys ``cve_ent`` and
``cve_mun`` (None above their level), the other attributes lower-cased, valid
geometries in EPSG:6372.

What is rejected, each with its feature number: empty geometry, missing or malformed
key, key of another level than the layer's, a state key outside 01-32, an identical
copy of an earlier feature (same key and geometry).
What is repaired and reported in ``Read.notes`` and the boolean column
``geometry_repaired``: invalid geometries (``shapely.make_valid``, polygon parts kept),
a unit split into several features by an editing cut (same key, different pieces:
unioned into one unit with the first feature's attributes, never summed), names
garbled by an encoding mix-up (UTF-8 read as latin-1, or a .cpg naming the wrong
encoding). In a layer that also holds coarser units, units whose parent is missing
are listed per parent level, also when no unit of that level is in the layer.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodisp.model.errors import InputError
from geodisp.sources.messages import Message
from geodisp.sources.personal import quote
from geodisp.sources.points import listed_columns
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.sources.tables import fix_text_columns, normalise_header
from geodisp.sources.vector import polygon_parts, read_vector
from geodisp.model.vocab import LEVEL_KEY_LENGTH, LEVELS, MEXICO_CRS

SOURCE = "boundaries"
#: Key part columns for each level, official and web spellings.
_PARTS: dict[str, tuple[str, ...]] = {
    "ent": ("cve_ent", "cve_agee"),
    "mun": ("cve_mun", "cve_agem"),
    "loc": ("cve_loc",),
    "ageb": ("cve_ageb",),
}
_NAME_FIELDS = ("nomgeo", "nom_ageb", "nom_loc", "nom_agem", "nom_mun", "nom_agee", "nom_ent", "nombre", "name")


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lookup = {normalise_header(c): c for c in frame.columns}
    for name in names:
        if name in lookup:
            return lookup[name]
    return None


def _as_code(values: pd.Series) -> pd.Series:
    """Key cells as text: integers that lost their zeros come back as '1001', not '1001.0'."""
    def one(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, (int, np.integer)) or (isinstance(v, (float, np.floating)) and float(v).is_integer()):
            return str(int(v))
        text = str(v).strip()
        return text or None
    return values.map(one)


def _keys(frame: pd.DataFrame, key_field: str | None, path: str) -> pd.Series:
    """CVEGEO keys: from the key field, or built from the CVE_* part columns."""
    if key_field is not None:
        column = _column(frame, (normalise_header(key_field),))
        if column is None:
            raise InputError.coded("input_key_field_missing", file=path, field=key_field, fields=listed_columns(frame))
    else:
        column = _column(frame, ("cvegeo",))
    if column is not None:
        keys = _as_code(frame[column])
        # numbers lost their zeros: pad to the shortest level length that fits the longest key
        longest = int(keys.dropna().str.len().max() or 0)
        width = min((n for n in LEVEL_KEY_LENGTH.values() if n >= longest), default=longest)
        if not pd.api.types.is_numeric_dtype(frame[column]):
            # text keys one digit short of a level (state 01-09 lost its zero on a trip
            # through a spreadsheet) are padded; any other length is kept and rejected
            short = keys.str.len().isin([n - 1 for n in LEVEL_KEY_LENGTH.values()]) & keys.str.isdigit()
            return keys.where(~short.fillna(False).astype(bool), "0" + keys)
        return keys.where(keys.isna(), keys.str.zfill(width))
    parts = []
    for lvl in LEVELS:
        column = _column(frame, _PARTS[lvl])
        if column is None:
            break
        part = _as_code(frame[column])
        width = LEVEL_KEY_LENGTH[lvl] - (LEVEL_KEY_LENGTH[LEVELS[LEVELS.index(lvl) - 1]] if lvl != "ent" else 0)
        # a part column may already hold the whole key (cve_mun '12001' in some files)
        full = LEVEL_KEY_LENGTH[lvl]
        part = part.map(lambda v, w=width, f=full: None if v is None else (v[-w:] if len(v) == f else v.zfill(w)))
        parts.append(part)
    if not parts:
        raise InputError.coded("input_no_key_field", file=path, fields=listed_columns(frame))
    keys = parts[0]
    for part in parts[1:]:
        keys = keys + part
    return keys


def _dominant_level(keys: pd.Series) -> str | None:
    lengths = keys.dropna().str.len()
    by_level = {lvl: int((lengths == n).sum()) for lvl, n in LEVEL_KEY_LENGTH.items()}
    if not any(by_level.values()):
        return None
    # the finest level present is the layer's level; coarser rows are parents
    return [lvl for lvl in LEVELS if by_level[lvl]][-1]


def _repair(geoms: gpd.GeoSeries) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Make geometries valid, keeping polygonal parts; return them and which were repaired."""
    invalid = ~geoms.is_valid.to_numpy()
    if invalid.any():
        fixed = shapely.make_valid(geoms.values[invalid])
        fixed = [polygon_parts(g) for g in fixed]
        geoms = geoms.copy()
        geoms.iloc[np.flatnonzero(invalid)] = fixed
    return geoms, invalid


def read_boundaries(
    path: str | Path,
    layer: str | int | None = None,
    level: str | None = None,
    key_field: str | None = None,
    name_field: str | None = None,
) -> Read:
    """Read INEGI units; ``Read(GeoDataFrame, rejects)`` as described in the module docstring.

    ``level`` asks for a level: the layer's own level is checked against it, and a
    finer layer is dissolved up to it (:func:`dissolve_to`); a coarser layer is an
    error. ``key_field``/``name_field`` override the detected fields.
    """
    if level is not None and level not in LEVEL_KEY_LENGTH:
        raise InputError.coded("input_unknown_level", file=path, level=level, levels=", ".join(LEVELS))
    vector = read_vector(path, layer)
    raw, notes = vector.frame, list(vector.notes)
    if raw.crs is None:
        raise InputError.coded("input_boundaries_no_crs", file=path)
    raw = fix_text_columns(raw)
    raw = raw.reset_index(drop=True)
    records = [f"feature {i}" for i in range(len(raw))]

    keys = _keys(raw, key_field, str(path))
    layer_level = _dominant_level(keys)
    if layer_level is None:
        raise InputError.coded("input_no_known_key", file=path)
    reasons = pd.Series([None] * len(raw), dtype=object)
    valid_key = keys.notna() & keys.str.fullmatch(r"\d+").fillna(False).astype(bool)
    for i in np.flatnonzero(keys.isna()):
        reasons.iloc[i] = Message("key_missing")
    for i in np.flatnonzero(keys.notna() & ~valid_key):
        reasons.iloc[i] = Message("key_malformed", value=quote(keys.iloc[i]))
    ok = reasons.isna()
    state = keys.str[:2]
    for i in np.flatnonzero(ok & ~state.isin([f"{i:02d}" for i in range(1, 33)])):
        reasons.iloc[i] = Message("key_state_unknown", state=state.iloc[i], key=keys.iloc[i])
    ok = reasons.isna()
    width = LEVEL_KEY_LENGTH[layer_level]
    other = ok & (keys.str.len() != width)
    coarser = {k for k in keys[other] if len(k) in LEVEL_KEY_LENGTH.values() and len(k) < width}
    for i in np.flatnonzero(other):
        reasons.iloc[i] = Message("key_wrong_level", key=keys.iloc[i], level=layer_level, width=width)
    empty = (raw.geometry.isna() | raw.geometry.is_empty).to_numpy()
    for i in np.flatnonzero(reasons.isna().to_numpy() & empty):
        reasons.iloc[i] = Message("empty_geometry")
    geometry = raw.geometry.copy()
    pieces = _same_key(keys, geometry, reasons, records)
    if pieces:
        notes.append(Message("parts_unioned", records=[f"{k} ({', '.join(r)})" for k, r in pieces.items()]))
    ok = reasons.isna().to_numpy()
    rejected = ~ok & (reasons != _UNIONED).to_numpy()
    rejects = rejects_frame(SOURCE, str(path), [records[i] for i in np.flatnonzero(rejected)], list(reasons[rejected]))
    raw = raw.set_geometry(geometry)

    units = raw.loc[ok].copy()
    units.columns = [c if c == raw.geometry.name else normalise_header(c) for c in units.columns]
    units = units.set_geometry(raw.geometry.name)
    if units.geometry.name != "geometry":
        units = units.rename_geometry("geometry")
    name_column = _column(units, (normalise_header(name_field),)) if name_field else _column(units, _NAME_FIELDS)
    if name_field and name_column is None:
        raise InputError.coded("input_name_field_missing", file=path, field=name_field, fields=listed_columns(raw))
    units["cvegeo"] = keys[ok].to_numpy()
    units["level"] = layer_level
    units["name"] = units[name_column].astype(object) if name_column else None
    units["cve_ent"] = units["cvegeo"].str[:2]
    units["cve_mun"] = units["cvegeo"].str[:5] if width >= 5 else None
    units["cve_mun"] = units["cve_mun"].astype(object)
    units["record"] = [records[i] for i in np.flatnonzero(ok)]

    if coarser:
        notes += _orphans(list(units["cvegeo"]), coarser, layer_level)

    units = units.to_crs(MEXICO_CRS)
    geoms, repaired = _repair(units.geometry)
    units = units.set_geometry(geoms)
    units["geometry_repaired"] = repaired
    if repaired.any():
        notes.append(Message("geometry_repaired", count=int(repaired.sum()), records=[
            f"{k} ({r})" for k, r in zip(units["cvegeo"][repaired], units["record"][repaired])
        ]))
    front = ["cvegeo", "level", "name", "cve_ent", "cve_mun"]
    rest = [c for c in units.columns if c not in front and c not in ("geometry", "cvegeo")]
    units = units[front + rest + ["geometry"]].reset_index(drop=True)

    if level is not None and level != layer_level:
        if LEVELS.index(level) > LEVELS.index(layer_level):
            raise InputError.coded("input_level_not_in_layer", file=path, level=level, layer_level=layer_level)
        units = dissolve_to(units, level)
        notes.append(Message("dissolved", source=layer_level, level=level))
    return Read(units, concat_rejects(rejects), tuple(notes))


def _same_key(keys: pd.Series, geometry: gpd.GeoSeries, reasons: pd.Series, records: list[str]) -> dict[str, list[str]]:
    """Features sharing a key: an identical copy is rejected; a piece is unioned into the first feature.

    An editing cut can split a unit into several features with the same key and the
    same attributes; the unit is their union, with the first feature's attributes
    (never summed, which would count the unit twice). Returns key → records unioned;
    ``geometry`` and ``reasons`` are updated in place.
    """
    ok = reasons.isna().to_numpy()
    first_of: dict[str, int] = {}
    pieces: dict[str, list[int]] = {}
    for i in np.flatnonzero(ok & keys.duplicated(keep=False).to_numpy()):
        k = keys.iloc[i]
        if k not in first_of:
            first_of[k] = i
            continue
        first = first_of[k]
        same = geometry.iloc[i].equals(geometry.iloc[first]) or any(
            geometry.iloc[i].equals(geometry.iloc[j]) for j in pieces.get(k, [])
        )
        if same:
            reasons.iloc[i] = Message("identical_duplicate", record=records[first])
        else:
            pieces.setdefault(k, []).append(i)
    for k, parts in pieces.items():
        first = first_of[k]
        geometry.iloc[first] = shapely.union_all([geometry.iloc[j] for j in [first, *parts]])
        for j in parts:
            reasons.iloc[j] = _UNIONED
    return {k: [records[first_of[k]]] + [records[j] for j in parts] for k, parts in pieces.items()}


#: Marks a piece unioned into its unit's first feature: used, not rejected (dropped from the rejects below).
_UNIONED = "unioned"


def _orphans(keys: list[str], coarser: set[str], layer_level: str) -> list:
    """Notes on units whose parent at each coarser level is missing, that level present in the layer or not."""
    notes = []
    finer = LEVELS.index(layer_level)
    for lvl in LEVELS[:finer]:
        width = LEVEL_KEY_LENGTH[lvl]
        missing = sorted(k for k in keys if k[:width] not in coarser)
        if missing:
            notes.append(Message("orphan_units", count=len(missing), level=lvl, keys=missing))
    return notes


def dissolve_to(units: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Dissolve units to a coarser ``level``: geometries unioned, numeric attributes summed.

    Numeric attributes are summed (population and dwelling counts add up); text
    attributes other than the keys are dropped because they describe the children.
    ``name`` is None: the children's file does not carry the parents' names.
    """
    width = LEVEL_KEY_LENGTH[level]
    frame = units.copy()
    frame["cvegeo"] = frame["cvegeo"].str[:width]
    numeric = [
        c for c in frame.columns
        if c not in ("geometry", "geometry_repaired") and pd.api.types.is_numeric_dtype(frame[c])
    ]
    sums = frame.groupby("cvegeo", sort=True)[numeric].sum(min_count=1) if numeric else None
    geoms = frame.groupby("cvegeo", sort=True)["geometry"].agg(lambda g: shapely.union_all(g.values))
    out = gpd.GeoDataFrame({"cvegeo": geoms.index}, geometry=list(geoms.values), crs=units.crs)
    out["level"] = level
    out["name"] = None
    out["cve_ent"] = out["cvegeo"].str[:2]
    out["cve_mun"] = (out["cvegeo"].str[:5] if width >= 5 else None)
    out["cve_mun"] = out["cve_mun"].astype(object)
    if sums is not None:
        out = out.merge(sums.reset_index(), on="cvegeo", how="left")
    geometry = out.pop("geometry")
    out = gpd.GeoDataFrame(out, geometry=geometry.values, crs=units.crs)
    return out
