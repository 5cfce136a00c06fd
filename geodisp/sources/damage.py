"""Read damaged-housing censuses: points with a damage level, or counts per unit.

Points arrive as CSV (comma or semicolon, UTF-8 or latin-1), XLSX, GeoJSON,
shapefile or GeoPackage. Columns are found by Spanish and English default names
(:data:`DEFAULT_COLUMNS`), which ``columns`` overrides (keys ``id``, ``lat``,
``lon``, ``x``, ``y``, ``level`` for points; ``unit`` (key), ``name``, ``level``,
``count`` for counts; values are the file's headers).
Damage levels are normalised to ``destroyed / severe / partial / minor / none``
by :data:`DEFAULT_LEVELS`, onto which ``levels`` (the event file's overrides) is merged;
an unknown value is rejected, never guessed.

Each record is either a point or a rejects row, first failing check wins:
missing / unreadable / (0, 0) / outside-Mexico coordinates, a non-point geometry,
missing or unknown damage level, outside the boundaries layer (when given), then
duplicates: the same ``id`` again, or a point within 1 m of an earlier one with the
same attributes ("duplicate of row 4").

Swapped latitude/longitude is fixed when unambiguous (see :mod:`geodisp.sources.coords`):
the row is *used*, so it is not in the rejects; instead the points frame has a boolean
column ``coords_swapped`` and ``Read.notes`` lists the fixed records, so the
fix is visible in the run's summary.

Personal columns (names, CURP, phone, e-mail, address) are dropped first, by
:mod:`geodisp.sources.personal`; only ``dwelling_id``, ``damage_level``,
``damage_label`` (the level as written), ``record``, ``coords_swapped`` and the point
(EPSG:6372) are returned. An ``id`` column holding personal data (a CURP used as
folio) is dropped too, and ``dwelling_id`` falls back to the record name.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import geopandas as gpd
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.model.vocab import DAMAGE_LEVELS, MEXICO_CRS
from geodisp.sources.names import UnitResolver
from geodisp.sources.personal import strip_personal
from geodisp.sources.points import (
    COORDINATE_COLUMNS,
    column_roles,
    inside_units,
    point_coordinates,
    read_records,
)
from geodisp.sources.tables import (
    is_missing,
    normalise_text,
    read_table,
    row_names,
    to_number,
)

SOURCE = "damage"

#: Default header names per role, Spanish and English, matched ignoring case and accents.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "folio", "id_vivienda", "clave_vivienda", "id_viv", "no_folio", "num_folio", "dwelling_id", "clave"),
    **COORDINATE_COLUMNS,
    "level": (
        "nivel_dano", "nivel_de_dano", "tipo_dano", "tipo_de_dano", "grado_dano", "grado_de_dano",
        "dano", "afectacion", "nivel_afectacion", "tipo_afectacion", "damage_level", "damage", "damage_grade",
        "nivel", "level",
    ),
    "unit": ("cvegeo", "clave_municipio", "clave_mun", "cve_mun", "clave_inegi", "unit"),
    "name": ("municipio", "nom_mun", "nombre_municipio", "nomgeo", "mun", "municipality"),
    "count": ("viviendas", "dwellings", "count", "cantidad", "numero", "num_viviendas", "total_viviendas", "conteo"),
}

#: Default damage vocabulary (normalised text → level). Numeric codes rise with
#: severity (0 none … 4 destroyed), as in the EMS-98 damage grades; override them
#: with ``levels`` when a census codes the other way round.
DEFAULT_LEVELS: dict[str, str] = {
    **{k: "destroyed" for k in (
        "perdida total", "dano total", "total", "destruida", "destruido", "destruccion total",
        "colapsada", "colapsado", "colapso", "colapso total", "destroyed", "destruction", "4",
    )},
    **{k: "severe" for k in (
        "severo", "dano severo", "grave", "dano grave", "dano mayor", "mayor", "colapso parcial",
        "severe", "major", "heavy", "3",
    )},
    **{k: "partial" for k in (
        "parcial", "dano parcial", "medio", "dano medio", "moderado", "dano moderado", "partial",
        "moderate", "2",
    )},
    **{k: "minor" for k in ("menor", "dano menor", "leve", "dano leve", "minimo", "dano minimo", "minor", "slight", "1")},
    **{k: "none" for k in ("sin dano", "ninguno", "sin afectacion", "no dano", "none", "no damage", "0")},
}


def damage_vocabulary(levels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The default vocabulary with ``levels`` merged on top (keys normalised, values checked)."""
    vocab = dict(DEFAULT_LEVELS)
    for label, level in (levels or {}).items():
        if level not in DAMAGE_LEVELS:
            raise InputError(f"damage level override '{label}': '{level}' is not one of {list(DAMAGE_LEVELS)}")
        vocab[_level_key(label)] = level
    return vocab


def _level_key(value: object) -> str:
    text = str(value).strip()
    try:
        number = float(text.replace(",", "."))
        if number.is_integer():
            return str(int(number))
    except ValueError:
        pass
    return normalise_text(text)


def normalise_levels(values: pd.Series, vocab: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Damage labels → levels, and a reason where a label is missing or unknown."""
    keys = values.map(_level_key)
    level = keys.map(vocab)
    reason = pd.Series([None] * len(values), index=values.index, dtype=object)
    missing = is_missing(values)
    reason[missing] = "missing damage level"
    unknown = ~missing & level.isna()
    reason[unknown] = [f"unknown damage level '{v}'" for v in values[unknown]]
    return level, reason


def _fingerprint(frame: pd.DataFrame) -> pd.Series:
    """One hash per row of the given columns (personal ones included, then forgotten)."""
    if frame.shape[1] == 0:
        return pd.Series(0, index=frame.index, dtype="uint64")
    return pd.util.hash_pandas_object(frame.map(normalise_text), index=False)


def read_damage(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    levels: Mapping[str, str] | None = None,
    crs: str | None = None,
    layer: str | int | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Read:
    """Read damaged-housing points; ``Read(GeoDataFrame, rejects)`` (see the module docstring).

    ``crs`` is the CRS of ``x``/``y`` columns (required with them) or of ``lat``/``lon``
    columns (default EPSG:4326); vector files carry their own.
    """
    path = Path(path)
    vocab = damage_vocabulary(levels)
    frame, geometry, records = read_records(path, layer)
    found = column_roles(frame, columns, ("id", "lat", "lon", "x", "y", "level"), path, DEFAULT_COLUMNS)
    if "level" not in found:
        raise InputError(f"{path}: no damage level column (looked for {list(DEFAULT_COLUMNS['level'])}); set columns.level")
    coordinate_roles = [r for r in ("lat", "lon", "x", "y") if r in found]
    others = [c for c in frame.columns if c not in found.values()]
    fingerprint = _fingerprint(frame[others + [found["level"]]])
    frame, notes = strip_personal(frame, keep=[found[r] for r in coordinate_roles + ["level"]])
    if "id" in found and found["id"] not in frame.columns:
        notes.append(f"id column '{found['id']}' held personal data; dwelling ids are record names")
        del found["id"]

    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    x, y, xy_crs, swapped = point_coordinates(path, frame, geometry, found, crs, reasons)
    level, level_reason = normalise_levels(frame[found["level"]], vocab)
    reasons[reasons.isna() & level_reason.notna()] = level_reason[reasons.isna() & level_reason.notna()]

    points = gpd.GeoSeries(gpd.points_from_xy(x, y), index=frame.index, crs=xy_crs).to_crs(MEXICO_CRS)

    ok = reasons.isna()
    if boundaries is not None:
        inside = inside_units(points[ok], boundaries)
        outside = ok.copy()
        outside[ok] = ~inside
        reasons[outside] = "outside the boundaries"
        ok = reasons.isna()

    ids = frame[found["id"]].str.strip() if "id" in found else pd.Series("", index=frame.index)
    record_of = pd.Series(records, index=frame.index)
    duplicate_of = _duplicates(points, ids, fingerprint, ok)
    for i, j in duplicate_of.items():
        reasons[i] = f"duplicate of {record_of[j]}"
    ok = reasons.isna()

    data = gpd.GeoDataFrame(
        {
            "dwelling_id": ids.where(ids != "", record_of)[ok].astype(str).to_numpy(),
            "damage_level": level[ok].to_numpy(),
            "damage_label": frame.loc[ok, found["level"]].to_numpy(),
            "record": record_of[ok].to_numpy(),
            "coords_swapped": swapped[ok].to_numpy(dtype=bool),
        },
        geometry=points[ok].to_numpy(),
        crs=MEXICO_CRS,
    )
    if swapped[ok].any():
        notes.append("latitude and longitude swapped and fixed in " + ", ".join(record_of[ok & swapped]))
    rejects = rejects_frame(SOURCE, str(path), list(record_of[~ok]), list(reasons[~ok]))
    return Read(data, concat_rejects(rejects), tuple(notes))


def _duplicates(points: gpd.GeoSeries, ids: pd.Series, fingerprint: pd.Series, ok: pd.Series) -> dict:
    """Later record → earlier record it repeats (same id, or within 1 m with the same attributes)."""
    candidates = list(points.index[ok])
    duplicate_of: dict = {}
    first_by_id: dict[str, object] = {}
    for i in candidates:
        key = ids[i]
        if key:
            if key in first_by_id:
                duplicate_of[i] = first_by_id[key]
                continue
            first_by_id[key] = i
    kept = [i for i in candidates if i not in duplicate_of]
    if len(kept) < 2:
        return duplicate_of
    geoms = points[kept].reset_index(drop=True)
    left, right = geoms.sindex.query(geoms.values, predicate="dwithin", distance=1.0)
    earlier: dict[int, int] = {}
    for a, b in zip(left, right):
        if b < a and fingerprint[kept[a]] == fingerprint[kept[b]]:
            earlier[a] = min(earlier.get(a, a), b)
    for a in sorted(earlier):
        b = earlier[a]
        while kept[b] in duplicate_of:  # point at the first report, not at another repeat
            b = kept.index(duplicate_of[kept[b]])
        duplicate_of[kept[a]] = kept[b]
    return duplicate_of


def _unit_cells(frame: pd.DataFrame, found: dict[str, str]) -> pd.Series:
    """The unit cell of each row: the key column where filled, else the name column."""
    key = frame[found["unit"]] if "unit" in found else pd.Series("", index=frame.index)
    if "name" not in found:
        return key
    return key.where(~is_missing(key), frame[found["name"]])


def read_damage_file(
    path: str | Path,
    format: str = "points",
    layer: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    levels: Mapping[str, str] | None = None,
    crs: str | None = None,
    state: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Read:
    """The event file's ``damage:`` section, field for field: points or counts by ``format``.

    ``crs`` applies to point coordinates and ``state`` to name matching in count tables.
    """
    if format == "points":
        return read_damage(path, columns=columns, levels=levels, crs=crs, layer=layer, boundaries=boundaries)
    if format == "counts":
        return read_damage_counts(path, columns=columns, levels=levels, boundaries=boundaries, state=state, layer=layer)
    raise ValueError(f"unknown damage format {format!r}")


def read_damage_counts(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    levels: Mapping[str, str] | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    state: str | int | None = None,
    layer: str | int | None = None,
) -> Read:
    """Read dwellings per unit and damage level; ``Read(DataFrame[cvegeo, damage_level, dwellings], rejects)``.

    Long layout: a unit column, a damage level column and a count column, one row per
    (unit, level). Wide layout: a unit column and one column per damage label
    ('Pérdida total', 'Daño grave', …). The unit is a CVEGEO key or a name matched
    within ``state`` (:class:`geodisp.sources.names.UnitResolver`). Labels mapping to
    the same level are added. Records are ``"row N"`` (long) or ``"row N, 'label'"``
    (wide); missing ('*', 'N/D', empty), negative or fractional counts are rejected.
    """
    path = Path(path)
    vocab = damage_vocabulary(levels)
    frame = read_table(path, sheet=layer)
    found = column_roles(frame, columns, ("unit", "name", "level", "count"), path, DEFAULT_COLUMNS)
    frame, notes = strip_personal(frame, keep=list(found.values()))
    found = {role: column for role, column in found.items() if column in frame.columns}
    if "unit" not in found and "name" not in found:
        raise InputError(
            f"{path}: no unit column (keys: {list(DEFAULT_COLUMNS['unit'])}, names: {list(DEFAULT_COLUMNS['name'])}); "
            "set columns.unit or columns.name"
        )
    resolver = UnitResolver.from_boundaries(boundaries, state)
    rows = pd.Series(row_names(frame), index=frame.index)
    unit = _unit_cells(frame, found)
    unit_columns = [found[r] for r in ("unit", "name") if r in found]
    if "level" in found and "count" in found:
        long = pd.DataFrame({"unit": unit, "label": frame[found["level"]], "count": frame[found["count"]], "record": rows})
    else:
        # in a wide table a 'Total' column is the row sum, not 'daño total'
        level_columns = [
            c for c in frame.columns if c not in unit_columns and _level_key(c) in vocab and _level_key(c) != "total"
        ]
        if not level_columns:
            raise InputError(
                f"{path}: neither a long layout (unit, level, count columns) nor damage level columns "
                f"({', '.join(sorted(set(DEFAULT_LEVELS))[:8])}, …) found; columns are {list(frame.columns)}"
            )
        ignored = [c for c in frame.columns if c not in level_columns and c not in unit_columns]
        if ignored:
            notes.append(f"ignored columns: {', '.join(ignored)}")
        long = pd.concat(
            [pd.DataFrame({"unit": unit, "label": c, "count": frame[c], "record": rows + f", '{c}'"}) for c in level_columns],
            ignore_index=True,
        )
    reasons = pd.Series([None] * len(long), index=long.index, dtype=object)
    resolved = long["unit"].map(resolver.resolve)
    keys = resolved.map(lambda r: r[0])
    reasons[:] = resolved.map(lambda r: r[1])
    level, level_reason = normalise_levels(long["label"], vocab)
    reasons[reasons.isna() & level_reason.notna()] = level_reason[reasons.isna() & level_reason.notna()]
    count = to_number(long["count"])
    for mask, why in (
        (is_missing(long["count"]), lambda v: "missing count"),
        (count.isna() & ~is_missing(long["count"]), lambda v: f"non-numeric count '{v}'"),
        (count < 0, lambda v: f"negative count {v}"),
        (count.notna() & (count % 1 != 0), lambda v: f"fractional count {v}"),
    ):
        pending = reasons.isna() & mask
        reasons[pending] = [why(v) for v in long["count"][pending]]
    ok = reasons.isna()
    seen: dict[tuple[str, str], str] = {}
    for i in long.index[ok]:
        key = (keys[i], normalise_text(long.at[i, "label"]))
        if key in seen:
            reasons[i] = f"duplicate of {seen[key]}"
        else:
            seen[key] = long.at[i, "record"]
    ok = reasons.isna()
    used = pd.DataFrame({"cvegeo": keys[ok], "damage_level": level[ok], "dwellings": count[ok].astype("int64")})
    data = used.groupby(["cvegeo", "damage_level"], as_index=False, sort=True)["dwellings"].sum()
    order = {lvl: i for i, lvl in enumerate(DAMAGE_LEVELS)}
    data = data.sort_values(["cvegeo", "damage_level"], key=lambda s: s.map(order) if s.name == "damage_level" else s)
    data = data.reset_index(drop=True)
    rejects = rejects_frame(SOURCE, str(path), list(long["record"][~ok]), list(reasons[~ok]))
    return Read(data, concat_rejects(rejects), tuple(notes))
