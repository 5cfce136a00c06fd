"""Read damaged-housing censuses: points with a damage level, or counts per unit.

Points arrive as CSV (comma or semicolon, UTF-8 or latin-1, title lines allowed),
XLSX (title rows, merged cells, several sheets), GeoJSON, shapefile or GeoPackage.
Columns are found by Spanish and English default names (:data:`DEFAULT_COLUMNS`;
``'Lat.'``, ``'LONGITUD_1'``, ``'Folio Censo'`` included), which ``columns``
overrides (keys ``id``, ``lat``, ``lon``, ``x``, ``y``, ``level`` for points;
``unit`` (key), ``name``, ``state``, ``level``, ``count`` for counts; values are the
file's headers). Damage levels are normalised to ``destroyed / uninhabitable / severe /
partial / minor / none`` by :data:`DEFAULT_LEVELS` (singular or plural, 'Daños graves' is
'daño grave'), onto which ``levels`` (the event file's legend) is merged; a numeric
legend replaces the built-in numeric codes entirely. 'N/D', 'pendiente', 'por
verificar' are *not yet assessed* and rejected as such; an unknown value is
rejected, never guessed. In Spanish *inhabitable* means **not** habitable: 'inhabitable',
'vivienda inhabitable', 'no habitable', 'pérdida de habitabilidad' are ``uninhabitable``
(IDMC's uninhabitable housing, counted as destroyed in the central), while 'habitable'
names no damage level and is rejected as unknown.

Each record is either a point or a rejects row, first failing check wins: a total
row, personal data typed into a mapped cell (coordinates, level), missing ('S/C') /
unreadable / (0, 0) / outside-Mexico coordinates, a non-point geometry, missing,
unassessed or unknown damage level, outside the boundaries layer (when given),
then duplicates: the same ``id`` again, or a point within 1 m of an earlier one
with the same attributes ("duplicate of row 4").

Fixed and reported (``Read.notes``, one note per kind with its count): latitude/longitude swapped, a longitude missing its minus
sign when the negated point falls in the boundaries layer (rejected otherwise),
degree-minute-second strings parsed. X/Y columns holding degrees inside Mexico are
read as longitude/latitude; projected X/Y need ``crs``.

Personal columns (names, CURP, phone, e-mail, address) are dropped first, by
:mod:`geodisp.sources.personal`; a column the event maps is never dropped for its
content: a personal value in a coordinate or level cell rejects that row, one in
an id cell is replaced by the record name. Only ``dwelling_id``, ``damage_level``,
``damage_label`` (the level as written), ``record``, ``coords_swapped`` and the
point (EPSG:6372) are returned. Reasons and notes are
:class:`~geodisp.sources.messages.Message` codes; no raw value reaches them
unredacted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import geopandas as gpd
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.model.vocab import DAMAGE_LEVELS, MEXICO_CRS
from geodisp.sources.fields import (
    count_reasons,
    first_reason,
    redact_ids,
    reject_personal_cells,
    reject_summary_rows,
    row_fingerprint,
)
from geodisp.sources.messages import Message
from geodisp.sources.names import UnitResolver, resolve_units, row_states
from geodisp.sources.personal import quote, strip_personal
from geodisp.sources.points import (
    COORDINATE_COLUMNS,
    column_roles,
    inside_units,
    known_names,
    listed_columns,
    missing_role,
    point_coordinates,
    read_records,
)
from geodisp.sources.tables import is_missing, normalise_text, row_names, to_number

SOURCE = "damage"

#: Default header names per role, Spanish and English, matched ignoring case, accents,
#: punctuation and tool suffixes; a trailing ``*`` matches by prefix.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "folio", "id_vivienda", "clave_vivienda", "id_viv", "no_folio", "num_folio", "dwelling_id",
           "folio*"),
    **COORDINATE_COLUMNS,
    "level": (
        "nivel_dano", "nivel_de_dano", "tipo_dano", "tipo_de_dano", "grado_dano", "grado_de_dano",
        "dano", "afectacion", "nivel_afectacion", "tipo_afectacion", "condicion_de_la_vivienda",
        "condicion_vivienda", "condicion", "estado_vivienda", "estado_de_la_vivienda", "estatus_vivienda",
        "cve_dano", "clave_dano", "clave_de_dano", "damage_level", "damage", "damage_grade", "nivel", "level",
    ),
    "unit": ("cvegeo", "clave_municipio", "clave_mun", "cve_mun", "clave_inegi", "unit"),
    "name": ("municipio", "nom_mun", "nombre_municipio", "nomgeo", "mun", "municipality"),
    "state": ("cve_ent", "clave_entidad", "clave_estado", "entidad", "estado", "nom_ent", "entidad_federativa", "state"),
    "count": ("viviendas", "dwellings", "count", "cantidad", "numero", "num_viviendas", "total_viviendas", "conteo"),
}

#: Default damage vocabulary (normalised text → level). Numeric codes rise with
#: severity (0 none … 4 destroyed), as in the EMS-98 damage grades; a numeric legend
#: in the event file (``levels: {1: destroyed, ...}``) replaces them entirely.
DEFAULT_LEVELS: dict[str, str] = {
    **{k: "destroyed" for k in (
        "perdida total", "dano total", "total", "destruida", "destruido", "destruccion total",
        "colapsada", "colapsado", "colapso", "colapso total", "destroyed", "destruction", "4",
    )},
    # Spanish 'inhabitable' = not habitable (uninhabitable), never 'habitable'
    **{k: "uninhabitable" for k in (
        "inhabitable", "vivienda inhabitable", "casa inhabitable", "no habitable", "vivienda no habitable",
        "perdida de habitabilidad", "perdida de la habitabilidad", "sin habitabilidad", "no apta para habitar",
        "no apta para habitarse", "inhabitable temporal", "inhabitable temporalmente", "uninhabitable",
        "unfit for habitation",
    )},
    **{k: "severe" for k in (
        "severo", "dano severo", "grave", "dano grave", "dano mayor", "mayor", "colapso parcial",
        "dano estructural", "severe", "major", "heavy", "3",
    )},
    **{k: "partial" for k in (
        "parcial", "dano parcial", "medio", "dano medio", "moderado", "dano moderado", "perdida parcial",
        "partial", "moderate", "2",
    )},
    **{k: "minor" for k in ("menor", "dano menor", "leve", "dano leve", "minimo", "dano minimo", "minor", "slight", "1")},
    **{k: "none" for k in ("sin dano", "ninguno", "sin afectacion", "no dano", "none", "no damage", "0")},
}
#: Cells meaning the dwelling was not assessed yet (normalised): rejected as such, never guessed.
UNASSESSED: frozenset[str] = frozenset(
    {"n d", "nd", "s d", "sd", "pendiente", "por verificar", "por evaluar", "sin evaluar", "no evaluada",
     "no evaluado", "en proceso", "en revision", "sin dictamen", "sin verificar", "por definir", "no disponible"}
)
#: Words of the damage vocabulary, so labels quoted in reasons are told from people's names.
DAMAGE_WORDS: frozenset[str] = frozenset(
    {w for k in DEFAULT_LEVELS for w in k.split()} | {w for k in UNASSESSED for w in k.split()}
    | {"vivienda", "viviendas", "danos", "perdidas", "totales", "parciales", "graves", "menores", "agua", "techo",
       "muro", "muros", "inundacion", "inundada", "habitable", "afectada", "afectado", "ligero", "fuerte"}
)
#: Words a wide table's header may wrap a damage label in ('Viviendas con daño grave').
_FILLER = frozenset({"viviendas", "vivienda", "con", "num", "numero", "no", "de", "cantidad", "casas", "casa", "n"})
#: Wide-table columns that add up the row: ignored, with a note.
TOTAL_COLUMNS: frozenset[str] = frozenset(
    {"total", "totales", "total viviendas", "total de viviendas", "suma", "total general", "viviendas"}
)


def _singular(word: str) -> str:
    """Spanish plural to singular, enough for damage labels: 'graves' → 'grave', 'totales' → 'total',
    'inhabitables' → 'inhabitable'."""
    if word.endswith("bles"):
        return word[:-1]
    if len(word) > 4 and re.search(r"[lrnd]es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def _without_filler(words: list[str]) -> list[str]:
    """``words`` without the filler a header wraps a label in; 'no' stays where it negates the
    next word ('Viviendas no habitables' is 'no habitable', never 'habitable'), and goes where
    it abbreviates 'número' ('No. de viviendas con daño total')."""
    kept = []
    for i, word in enumerate(words):
        negates = word == "no" and i + 1 < len(words) and words[i + 1] not in _FILLER
        if word not in _FILLER or negates:
            kept.append(word)
    return kept


def _numeric_key(text: str) -> str | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() else None


def _level_key(value: object) -> str:
    text = str(value).strip()
    numeric = _numeric_key(text)
    return numeric if numeric is not None else normalise_text(text)


@dataclass(frozen=True)
class Vocabulary:
    """Damage labels → levels; ``legend`` the event's numeric codes when it gives a numeric legend."""

    levels: dict[str, str]
    legend: tuple[str, ...] | None = None

    def lookup(self, value: object) -> str | None:
        """The level of a label, trying singular forms and without filler words."""
        key = _level_key(value)
        if key in self.levels:
            return self.levels[key]
        if not key or key.isdigit():
            return None
        singular = " ".join(_singular(w) for w in key.split())
        if singular in self.levels:
            return self.levels[singular]
        bare = " ".join(_without_filler(singular.split()))
        return self.levels.get(bare) if bare else None


def damage_vocabulary(levels: Mapping[object, str] | None = None) -> Vocabulary:
    """The default vocabulary with ``levels`` merged on top (keys normalised, values checked).

    Keys may be YAML integers (``{1: destroyed}``). When any key is a number, the
    built-in numeric codes are dropped: the event's legend is the whole legend.
    """
    overrides: dict[str, str] = {}
    for label, level in (levels or {}).items():
        if level not in DAMAGE_LEVELS:
            raise InputError(f"damage level override '{label}': '{level}' is not one of {list(DAMAGE_LEVELS)}")
        overrides[_level_key(label)] = level
    legend = tuple(sorted((k for k in overrides if k.isdigit()), key=int)) or None
    vocab = {k: v for k, v in DEFAULT_LEVELS.items() if not (legend and k.isdigit())}
    vocab.update(overrides)
    return Vocabulary(vocab, legend)


def normalise_levels(values: pd.Series, vocab: Vocabulary, column: str = "") -> tuple[pd.Series, pd.Series]:
    """Damage labels → levels, and a reason (:class:`Message`) where a label is missing, unassessed or unknown."""
    level = values.map(vocab.lookup)
    reason = pd.Series([None] * len(values), index=values.index, dtype=object)
    norm = values.astype(str).map(normalise_text)
    unassessed = norm.isin(UNASSESSED) & level.isna()
    missing = is_missing(values) & ~unassessed
    for i in values.index[missing]:
        reason[i] = Message("damage_level_missing")
    for i in values.index[unassessed]:
        reason[i] = Message("damage_level_unassessed", value=quote(values[i], DAMAGE_WORDS))
    for i in values.index[~missing & ~unassessed & level.isna()]:
        key = _level_key(values[i])
        if vocab.legend and key.isdigit():
            reason[i] = Message("damage_code_not_in_legend", value=key, codes=list(vocab.legend))
        else:
            reason[i] = Message("damage_level_unknown", value=quote(values[i], DAMAGE_WORDS), column=column)
    return level, reason


def read_damage(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    levels: Mapping[object, str] | None = None,
    crs: str | None = None,
    layer: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
) -> Read:
    """Read damaged-housing points; ``Read(GeoDataFrame, rejects)`` (see the module docstring).

    ``crs`` is the CRS of ``x``/``y`` columns (required when they are projected) or of
    ``lat``/``lon`` columns (default EPSG:4326); vector files carry their own.
    ``layer`` names a vector file's layer or a workbook's sheet.
    """
    path = Path(path)
    vocab = damage_vocabulary(levels)
    roles = ("id", "lat", "lon", "x", "y", "level")
    read = read_records(path, layer, known_names(columns, roles, DEFAULT_COLUMNS))
    frame, geometry, records, notes = read.frame, read.geometry, read.names, list(read.notes)
    found = column_roles(frame, columns, roles, path, DEFAULT_COLUMNS)
    if "level" not in found:
        raise missing_role(path, frame, "damage level", "level", DEFAULT_COLUMNS)
    coordinate_roles = [r for r in ("lat", "lon", "x", "y") if r in found]
    mapped = [found[r] for r in found]
    others = [c for c in frame.columns if c not in found.values()]
    fingerprint = row_fingerprint(frame[others + [found["level"]]])
    frame, dropped = strip_personal(frame, keep=mapped)
    notes += dropped
    record_of = pd.Series(records, index=frame.index)

    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reject_summary_rows(frame, [found[r] for r in ("id",) if r in found], [found["level"]], reasons)
    reject_personal_cells(frame, [found[r] for r in coordinate_roles + ["level"]], reasons)
    coords = point_coordinates(path, frame, geometry, found, crs, reasons, boundaries)
    notes += coords.notes
    level, level_reason = normalise_levels(frame[found["level"]], vocab, found["level"])
    first_reason(reasons, level_reason)

    points = gpd.GeoSeries(gpd.points_from_xy(coords.x, coords.y), index=frame.index, crs=coords.crs).to_crs(MEXICO_CRS)
    ok = reasons.isna()
    if boundaries is not None and ok.any():
        outside = ok.copy()
        outside[ok] = ~inside_units(points[ok], boundaries)
        for i in frame.index[outside]:
            reasons[i] = Message("outside_boundaries")
        ok = reasons.isna()

    ids = frame[found["id"]].str.strip() if "id" in found else pd.Series("", index=frame.index)
    if "id" in found:
        ids = redact_ids(ids, record_of, found["id"], notes)
    duplicate_of = _duplicates(points, ids, fingerprint, ok)
    for i, j in duplicate_of.items():
        reasons[i] = Message("duplicate_of", record=record_of[j])
    ok = reasons.isna()

    data = gpd.GeoDataFrame(
        {
            "dwelling_id": ids.where(ids != "", record_of)[ok].astype(str).to_numpy(),
            "damage_level": level[ok].to_numpy(),
            "damage_label": frame.loc[ok, found["level"]].to_numpy(),
            "record": record_of[ok].to_numpy(),
            "coords_swapped": coords.swapped[ok].to_numpy(dtype=bool),
        },
        geometry=points[ok].to_numpy(),
        crs=MEXICO_CRS,
    )
    notes += coords.fix_notes(ok, record_of)
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


def _wide_columns(frame: pd.DataFrame, vocab: Vocabulary, taken: list[str], path: Path, notes: list) -> list[str]:
    """The damage-level columns of a wide count table; any other column of numbers is an error."""
    level_columns, totals, text, unknown = [], [], [], []
    for column in frame.columns:
        if column in taken:
            continue
        key = normalise_text(column)
        numbers = to_number(frame[column])
        is_text = bool((numbers.isna() & ~is_missing(frame[column])).sum() > numbers.notna().sum())
        if key in TOTAL_COLUMNS or key.startswith("total "):
            totals.append(column)
        elif vocab.lookup(column) is not None:
            level_columns.append(column)
        elif is_text:
            text.append(column)
        else:
            unknown.append(column)
    if unknown:
        known = ", ".join(sorted({k for k in vocab.levels if not k.isdigit()})[:12])
        raise InputError(
            f"{path}: columns {', '.join(repr(c) for c in unknown)} hold counts but are not damage levels "
            f"(known labels include {known}, …; singular or plural); map them in the event file with "
            f"levels: {{'<column>': {' | '.join(DAMAGE_LEVELS)}}}"
        )
    if not level_columns:
        raise InputError(
            f"{path}: neither a long layout (unit, level and count columns) nor damage-level columns found; "
            f"the columns are {listed_columns(frame)}"
        )
    if totals:
        notes.append(Message("wide_total_ignored", columns=[repr(c) for c in totals]))
    if text:
        notes.append(Message("text_columns_ignored", columns=[repr(c) for c in text]))
    return level_columns


def read_damage_file(
    path: str | Path,
    format: str = "points",
    layer: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    levels: Mapping[object, str] | None = None,
    crs: str | None = None,
    state: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> Read:
    """The event file's ``damage:`` section, field for field: points or counts by ``format``.

    ``crs`` applies to point coordinates, ``state`` and ``places`` (the census table's
    localities) to name matching in count tables.
    """
    if format == "points":
        return read_damage(path, columns=columns, levels=levels, crs=crs, layer=layer, boundaries=boundaries)
    if format == "counts":
        return read_damage_counts(path, columns=columns, levels=levels, state=state, layer=layer,
                                  boundaries=boundaries, places=places)
    raise ValueError(f"unknown damage format {format!r}")


def read_damage_counts(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    levels: Mapping[object, str] | None = None,
    state: str | int | None = None,
    layer: str | int | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> Read:
    """Read dwellings per unit and damage level; ``Read(DataFrame[cvegeo, damage_level, dwellings], rejects)``.

    Long layout: a unit column, a damage level column and a count column, one row per
    (unit, level). Wide layout: a unit column and one column per damage label
    ('Pérdida total', 'Daños graves', …; a column of numbers that is not a known
    label is an error naming it). The unit is a CVEGEO key or a name matched within
    the row's state (a state column) or ``state``
    (:class:`geodisp.sources.names.UnitResolver`; ``places``, the census table, lets
    a locality typed as a municipio be told apart). Labels mapping to the same level
    are added; rows of one unit that differ in other columns (a localidad column)
    are added too, while a row repeating another whole is rejected as its duplicate.
    Total rows are rejected. Records are ``"row N"`` (long) or
    ``"row N, 'label'"`` (wide); missing ('*', 'N/D', empty), non-numeric
    ('aprox. 40'), negative or fractional counts are rejected.
    """
    path = Path(path)
    vocab = damage_vocabulary(levels)
    roles = ("unit", "name", "state", "level", "count")
    known = known_names(columns, roles, DEFAULT_COLUMNS) + [str(k) for k in (levels or {})] + [k for k in DEFAULT_LEVELS if not k.isdigit()]
    read = read_records(path, layer, known)
    frame, notes = read.frame, list(read.notes)
    found = column_roles(frame, columns, roles, path, DEFAULT_COLUMNS)
    frame, dropped = strip_personal(frame, keep=list(found.values()))
    notes += dropped
    if "unit" not in found and "name" not in found:
        raise InputError(
            f"{path}: no unit column (keys: {', '.join(DEFAULT_COLUMNS['unit'])}; names: "
            f"{', '.join(DEFAULT_COLUMNS['name'])}); the columns are {listed_columns(frame)}; set columns.unit or columns.name"
        )
    resolver = UnitResolver.from_boundaries(boundaries, state, places)
    rows = pd.Series(row_names(frame), index=frame.index)
    unit_columns = [found[r] for r in ("unit", "name", "state") if r in found]
    row_reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reject_summary_rows(frame, unit_columns, [found[r] for r in ("level", "count") if r in found], row_reasons)
    reject_personal_cells(frame, unit_columns + [found[r] for r in ("level",) if r in found], row_reasons)
    states = row_states(frame, found.get("state"), row_reasons)
    keys = resolve_units(_unit_cells(frame, found), states, resolver, row_reasons, notes)
    if "level" in found and "count" in found:
        others = [c for c in frame.columns if c not in found.values()]
        long = pd.DataFrame({"key": keys, "label": frame[found["level"]], "count": frame[found["count"]],
                             "record": rows, "column": found["count"], "rest": row_fingerprint(frame[others])})
        reasons = row_reasons.copy()
        level_column = found["level"]
    else:
        level_columns = _wide_columns(frame, vocab, list(found.values()), path, notes)
        others = [c for c in frame.columns if c not in found.values() and c not in level_columns]
        rest = row_fingerprint(frame[others])
        long = pd.concat(
            [pd.DataFrame({"key": keys, "label": c, "count": frame[c], "record": rows + f", '{c}'", "column": c,
                           "rest": rest}) for c in level_columns],
            ignore_index=True,
        )
        reasons = pd.concat([row_reasons] * len(level_columns), ignore_index=True)
        level_column = ""
    reasons.index = long.index
    level, level_reason = normalise_levels(long["label"], vocab, level_column)
    first_reason(reasons, level_reason)
    count = count_reasons(long["count"], "dwellings", long["column"], reasons)
    ok = reasons.isna()
    seen: dict[tuple, str] = {}
    for i in long.index[ok]:
        key = (long.at[i, "key"], normalise_text(long.at[i, "label"]), long.at[i, "rest"])
        if key in seen:
            reasons[i] = Message("duplicate_of", record=seen[key])
        else:
            seen[key] = long.at[i, "record"]
    ok = reasons.isna()
    used = pd.DataFrame({"cvegeo": long["key"][ok], "damage_level": level[ok], "dwellings": count[ok].astype("int64")})
    data = used.groupby(["cvegeo", "damage_level"], as_index=False, sort=True)["dwellings"].sum()
    order = {lvl: i for i, lvl in enumerate(DAMAGE_LEVELS)}
    data = data.sort_values(["cvegeo", "damage_level"], key=lambda s: s.map(order) if s.name == "damage_level" else s)
    data = data.reset_index(drop=True)
    rejects = rejects_frame(SOURCE, str(path), list(long["record"][~ok]), list(reasons[~ok]))
    return Read(data, concat_rejects(rejects), tuple(notes))
