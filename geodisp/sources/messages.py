"""The readers' message catalogue: reject reasons and reader notes as codes plus parameters.

Readers never write sentences: a reject reason or a note is a :class:`Message`, a code
and its parameters, rendered in Spanish or English at the edge with
:func:`render`. Parameters name columns, rows and counts, never raw personal values
(values that are quoted pass through :func:`geodisp.sources.personal.quote` first).

A :class:`Message` is also a ``str`` (its Spanish text), so code that only prints
notes keeps working; writers that know the run's language call ``message.render(lang)``
or :func:`render_rejects`.
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

import pandas as pd

from geodisp.model.messages import PLURALS

LANGS = ("es", "en")
DEFAULT_LANG = "es"
#: How many records a message lists before "and N more".
MAX_LISTED = 20

#: Words used as parameters (what was counted, what kind of unit): translated with the message.
TERMS: dict[str, dict[str, str]] = {
    "people": {"es": "personas", "en": "people"},
    "households": {"es": "hogares", "en": "households"},
    "occupants": {"es": "ocupantes", "en": "occupants"},
    "dwellings": {"es": "viviendas", "en": "dwellings"},
    "capacity": {"es": "capacidad", "en": "capacity"},
    "shelters": {"es": "albergues", "en": "shelters"},
    "count": {"es": "conteo", "en": "count"},
    "state": {"es": "estado", "en": "state"},
    "municipio": {"es": "municipio", "en": "municipio"},
    "localidad": {"es": "localidad", "en": "locality"},
    "AGEB": {"es": "AGEB", "en": "AGEB"},
    "unit": {"es": "unidad", "en": "unit"},
    "header": {"es": "por su nombre", "en": "by its name"},
    "CURP": {"es": "CURP", "en": "CURP"},
    "RFC": {"es": "RFC", "en": "RFC"},
    "e-mail": {"es": "correo electrónico", "en": "e-mail"},
    "phone": {"es": "teléfono", "en": "phone"},
    "address": {"es": "domicilio", "en": "address"},
    "name": {"es": "nombre de persona", "en": "person's name"},
}
_TRANSLATED = ("what", "noun", "kind", "why")

CATALOGUE: dict[str, dict[str, str]] = {
    # ---- reject reasons: coordinates and geometry
    "missing_coordinates": {"es": "sin coordenadas", "en": "missing coordinates"},
    "zero_coordinates": {"es": "coordenadas en cero (0, 0)", "en": "zero coordinates (0, 0)"},
    "outside_mexico": {"es": "coordenadas fuera de México", "en": "coordinates outside Mexico"},
    "unreadable_coordinates": {
        "es": "coordenadas ilegibles en la columna '{column}' ({value})",
        "en": "unreadable coordinates in column '{column}' ({value})",
    },
    "lon_sign_outside_state": {
        "es": "longitud sin signo negativo: con el signo el punto no cae en el área de estudio",
        "en": "longitude missing its minus sign: negated, the point does not fall in the study area",
    },
    "not_a_point": {"es": "no es un punto ({kind})", "en": "not a point ({kind})"},
    "outside_boundaries": {"es": "fuera de las unidades de la capa de límites", "en": "outside the boundaries"},
    "outside_every_unit": {
        "es": "fuera de toda unidad (x={x}, y={y} en {crs})",
        "en": "outside every unit (x={x}, y={y} in {crs})",
    },
    "no_geometry": {"es": "sin geometría", "en": "no geometry"},
    "duplicate_of": {"es": "duplicado de {record}", "en": "duplicate of {record}"},
    "duplicate_shelter_date": {
        "es": "duplicado de {record} (mismo albergue y fecha)",
        "en": "duplicate of {record} (same shelter and date)",
    },
    "personal_data_in_cell": {
        "es": "la columna '{column}' contiene un dato personal ({kind}); registro no usado",
        "en": "column '{column}' holds personal data ({kind}); record not used",
    },
    "summary_row": {
        "es": "fila de totales ({value} en la columna '{column}'), no es un registro",
        "en": "summary row ({value} in column '{column}'), not a record",
    },
    # ---- damage levels
    "damage_level_missing": {"es": "sin nivel de daño", "en": "missing damage level"},
    "damage_level_unassessed": {
        "es": "nivel de daño aún no evaluado ({value})", "en": "damage level not yet assessed ({value})",
    },
    "damage_level_unknown": {
        "es": "nivel de daño desconocido {value} en la columna '{column}'",
        "en": "unknown damage level {value} in column '{column}'",
    },
    "damage_code_not_in_legend": {
        "es": "código de daño {value} fuera de la leyenda del archivo de evento ({codes})",
        "en": "damage code {value} is not in the event file's legend ({codes})",
    },
    # ---- units and names
    "unit_missing": {"es": "sin {noun}", "en": "missing {noun}"},
    "unit_name_ambiguous": {
        "es": "nombre de municipio ambiguo {value} (coincide con: {candidates})",
        "en": "ambiguous municipio name {value} (matches: {candidates})",
    },
    "unit_name_unknown": {
        "es": "nombre de municipio desconocido {value} (parecidos: {candidates})",
        "en": "unknown municipio name {value} (closest: {candidates})",
    },
    "unit_name_is_locality": {
        "es": "{value} es una localidad (de {candidates}), no un municipio",
        "en": "{value} is a locality (of {candidates}), not a municipio",
    },
    "unit_name_other_state": {
        "es": "{value} es un municipio de otro estado ({candidates}), no del estado {state}",
        "en": "{value} is a municipio of another state ({candidates}), not of state {state}",
    },
    "unit_name_without_boundaries": {
        "es": "no se puede identificar el nombre de {noun} sin capa de límites",
        "en": "a {noun} name cannot be matched without a boundaries layer",
    },
    "unit_key_length": {
        "es": "la clave {value} no es una clave de {noun} ({width} dígitos)",
        "en": "key {value} is not a {noun} key ({width} digits)",
    },
    "unit_key_outside_state": {
        "es": "la clave de {noun} '{key}' está fuera del estado {state}",
        "en": "{noun} key '{key}' is outside state {state}",
    },
    "unit_key_unknown": {"es": "clave de {noun} desconocida '{key}'", "en": "unknown {noun} key '{key}'"},
    "state_unknown": {
        "es": "estado desconocido {value} en la columna '{column}'", "en": "unknown state {value} in column '{column}'",
    },
    "state_column_not_states": {
        "es": "la columna '{column}' no contiene estados (p. ej. el estado de un albergue); no se usa para ubicar municipios",
        "en": "column '{column}' does not hold states (e.g. a shelter's status); it is not used to place municipios",
    },
    # ---- counts and dates
    "count_missing": {"es": "sin {what}", "en": "missing {what}"},
    "count_invalid": {
        "es": "{what} no es un número entero válido en la columna '{column}' ({value})",
        "en": "{what} is not a valid whole number in column '{column}' ({value})",
    },
    "count_negative": {"es": "{what} negativo ({value})", "en": "negative {what} ({value})"},
    "count_fractional": {"es": "{what} fraccionario ({value})", "en": "fractional {what} ({value})"},
    "no_people_or_households": {"es": "sin personas ni hogares", "en": "no people or households"},
    "date_missing": {"es": "sin fecha", "en": "missing date"},
    "date_invalid": {
        "es": "fecha imposible o ilegible {value} en la columna '{column}'",
        "en": "impossible or unreadable date {value} in column '{column}'",
    },
    "no_shelter_id_or_name": {"es": "albergue sin clave ni nombre", "en": "no shelter id or name"},
    "facility_type_missing": {"es": "sin tipo de establecimiento", "en": "missing facility type"},
    # ---- boundaries, hazard, census
    "key_missing": {"es": "sin clave", "en": "missing key"},
    "code_malformed": {"es": "código {column} mal formado {value}", "en": "malformed {column} {value}"},
    "key_malformed": {"es": "clave mal formada {value}", "en": "malformed key {value}"},
    "key_state_unknown": {"es": "estado desconocido '{state}' en la clave '{key}'", "en": "unknown state '{state}' in key '{key}'"},
    "key_wrong_level": {
        "es": "la clave '{key}' no es de nivel {level} ({width} dígitos)",
        "en": "key '{key}' is not a {level} key ({width} digits)",
    },
    "empty_geometry": {"es": "geometría vacía", "en": "empty geometry"},
    "identical_duplicate": {
        "es": "duplicado idéntico de {record} (misma clave y geometría)",
        "en": "identical duplicate of {record} (same key and geometry)",
    },
    "not_a_polygon": {"es": "no es un polígono ({kind})", "en": "not a polygon ({kind})"},
    "intensity_missing": {"es": "sin intensidad", "en": "missing intensity"},
    "intensity_not_numeric": {"es": "intensidad no numérica {value}", "en": "non-numeric intensity {value}"},
    "intensity_below": {
        "es": "intensidad {value} por debajo del primer límite {edge}",
        "en": "intensity {value} below the lowest bin edge {edge}",
    },
    "intensity_above": {
        "es": "intensidad {value} igual o mayor que el último límite {edge}",
        "en": "intensity {value} at or above the highest bin edge {edge}",
    },
    "class_missing": {"es": "sin clase", "en": "missing class"},
    "class_unknown": {"es": "clase desconocida {value} (clases: {classes})", "en": "unknown class {value} (classes: {classes})"},
    "census_block_row": {"es": "fila de manzana, más fina que AGEB", "en": "block (manzana) row, finer than AGEB"},
    "census_national_total": {"es": "total nacional, no es una unidad", "en": "national total, not a unit"},
    "duplicate_key": {"es": "clave repetida '{key}' (primera en {record})", "en": "duplicate key '{key}' (first at {record})"},
    # ---- notes
    "personal_column_dropped": {
        "es": "columna personal '{column}' eliminada ({why})",
        "en": "dropped personal column '{column}' ({why})",
    },
    "personal_column_content": {
        "es": "columna personal '{column}' eliminada (contiene {kind})",
        "en": "dropped personal column '{column}' (holds {kind} values)",
    },
    "personal_cells_redacted": {
        "es": "{count} {count:celda|celdas} de la columna '{column}' con datos personales {count:fue ocultada|fueron ocultadas}: {records}",
        "en": "{count} {count:cell|cells} of column '{column}' holding personal data {count:was|were} redacted: {records}",
    },
    "coords_swapped": {
        "es": "latitud y longitud intercambiadas y corregidas en {count} {count:registro|registros}: {records}",
        "en": "latitude and longitude swapped and fixed in {count} {count:record|records}: {records}",
    },
    "lon_sign_fixed": {
        "es": "longitud sin signo negativo corregida en {count} {count:registro|registros} (el punto cae en el área de estudio): {records}",
        "en": "longitude missing its minus sign fixed in {count} {count:record|records} (the point falls in the study area): {records}",
    },
    "dms_parsed": {
        "es": "coordenadas en grados, minutos y segundos leídas en {count} {count:registro|registros}: {records}",
        "en": "degree-minute-second coordinates parsed in {count} {count:record|records}: {records}",
    },
    "xy_degrees": {
        "es": "las columnas X/Y '{x}', '{y}' están en grados dentro de México: leídas como longitud/latitud (EPSG:4326)",
        "en": "X/Y columns '{x}', '{y}' hold degrees inside Mexico: read as longitude/latitude (EPSG:4326)",
    },
    "header_found": {
        "es": "encabezado en la fila {line}{sheet}; los registros se cuentan desde la fila siguiente",
        "en": "header on line {line}{sheet}; records are counted from the line after it",
    },
    "sheet_chosen": {
        "es": "se leyó la hoja '{sheet}', la única con encabezado reconocible (hojas: {sheets})",
        "en": "read sheet '{sheet}', the only one with a recognisable header (sheets: {sheets})",
    },
    "merged_filled": {
        "es": "{count} {count:celda combinada rellenada|celdas combinadas rellenadas} hacia abajo en las columnas {columns}",
        "en": "{count} merged {count:cell|cells} filled down in columns {columns}",
    },
    "name_prefix_matched": {
        "es": "nombres de municipio abreviados identificados: {matches}",
        "en": "shortened municipio names matched: {matches}",
    },
    "capacity_exceeded": {
        "es": "{count} {count:reporte|reportes} con más ocupantes que capacidad (se {count:conserva, marcado|conservan, marcados}): {records}",
        "en": "{count} {count:report|reports} with more occupants than capacity (kept, flagged): {records}",
    },
    "shelter_coords_ignored": {
        "es": "coordenadas ignoradas en {count} {count:registro|registros} (la fila se usa sin ubicación): {records}",
        "en": "coordinates ignored in {count} {count:record|records} (the row is used without a location): {records}",
    },
    "shelter_unit_from_coords": {
        "es": "municipio tomado de las coordenadas en {count} {count:registro|registros}: {records}",
        "en": "municipio taken from the coordinates in {count} {count:record|records}: {records}",
    },
    "shelter_coords_other_unit": {
        "es": "las coordenadas caen en otro municipio que el indicado en {count} {count:registro|registros}: {records}",
        "en": "coordinates fall in another municipio than the stated one in {count} {count:record|records}: {records}",
    },
    "single_date_report": {
        "es": "reporte de una sola fecha ({date}): personas albergadas en esa fecha, sin días-persona",
        "en": "single-date report ({date}): people sheltered on that date, no person-days",
    },
    "households_as_reported": {
        "es": "la columna '{column}' cuenta hogares (familias); se convierten a personas con el tamaño de hogar del censo",
        "en": "column '{column}' counts households (families); converted to people with the census household size",
    },
    "wide_total_ignored": {
        "es": "columnas de totales ignoradas (suma de la fila): {columns}",
        "en": "total columns ignored (row sums): {columns}",
    },
    "text_columns_ignored": {"es": "columnas de texto ignoradas: {columns}", "en": "text columns ignored: {columns}"},
    "geometry_repaired": {
        "es": "{count} {count:geometría inválida reparada|geometrías inválidas reparadas}: {records}", "en": "repaired {count} invalid {count:geometry|geometries}: {records}",
    },
    "parts_unioned": {
        "es": "unidades partidas en varios polígonos, unidas en una (atributos del primero): {records}",
        "en": "units split into several features, unioned into one (attributes of the first): {records}",
    },
    "encoding_fallback": {
        "es": "el archivo .cpg declara {declared} pero el texto es {used}; leído como {used}",
        "en": "the .cpg file names {declared} but the text is {used}; read as {used}",
    },
    "orphan_units": {
        "es": "{count} {count:unidad|unidades} cuya unidad superior ({level}) falta en la capa: {keys}",
        "en": "{count} {count:unit|units} whose parent ({level}) is missing from the layer: {keys}",
    },
    "dissolved": {"es": "unidades {source} disueltas a {level}", "en": "dissolved {source} units to {level}"},
    # ---- storm tracks and ShakeMaps
    "track_bad_time": {"es": "fecha u hora ilegible", "en": "unreadable date or time"},
    "track_bad_position": {"es": "latitud/longitud ausente o fuera de rango", "en": "missing or out-of-range latitude/longitude"},
    "track_no_wind": {"es": "sin viento máximo", "en": "missing maximum wind"},
    "track_wmo_not_1min": {"es": "solo trae un viento OMM que no es sostenido de 1 minuto",
                           "en": "only a WMO wind that is not 1-minute sustained"},
    "track_repeated_time": {"es": "repite la hora de una posición anterior", "en": "repeats the time of an earlier fix"},
    "track_other_storm": {"es": "otro ciclón (hazard.storm es {storm})", "en": "another storm (hazard.storm is {storm})"},
    "track_not_best": {"es": "no es una línea de mejor trayectoria (BEST)", "en": "not a best-track (BEST) line"},
    "track_not_forecast": {"es": "no es el pronóstico {tech} de las {base} UTC", "en": "not the {tech} forecast of {base} UTC"},
    "track_swath": {"es": "campo de viento a partir de {count} {count:posición|posiciones}, de {first} a {last} UTC",
                    "en": "wind swath from {count} {count:fix|fixes}, {first} to {last} UTC"},
    "track_rmax_estimated": {"es": "{count} {count:posición|posiciones} sin radio de viento máximo: estimado (Willoughby et al. 2006)",
                             "en": "{count} {count:fix|fixes} without a radius of maximum wind: estimated (Willoughby et al. 2006)"},
    "track_deficit_estimated": {"es": "{count} {count:posición|posiciones} sin presión central: déficit a partir del viento máximo (Holland 2008)",
                                "en": "{count} {count:fix|fixes} without central pressure: deficit from the maximum wind (Holland 2008)"},
    "shakemap_scenario": {"es": "el ShakeMap {event} es un ESCENARIO, no un sismo observado: las cifras son anticipatorias",
                          "en": "ShakeMap {event} is a SCENARIO, not an observed event: figures are anticipatory"},
    "cells_above_last_edge": {
        "es": "{count} {count:celda|celdas} con intensidad igual o mayor que el último límite {edge} {count:queda|quedan} fuera de toda clase",
        "en": "{count} {count:cell|cells} at or above the last bin edge {edge} {count:is|are} outside every class",
    },
    "units_partly_covered": {
        "es": "{count} {count:unidad cubierta|unidades cubiertas} solo en parte por el ráster de población (cuentan solo las personas de la parte cubierta): {keys}",
        "en": "{count} {count:unit|units} only partly covered by the population raster (only the people of the covered part count): {keys}",
    },
    "units_uncovered": {
        "es": "{count} {count:unidad|unidades} fuera de la cobertura del ráster de población: {keys}",
        "en": "{count} {count:unit|units} outside the population raster's coverage: {keys}",
    },
}


def _listed(values: Any) -> str:
    items = [str(v) for v in values]
    if len(items) > MAX_LISTED:
        return ", ".join(items[:MAX_LISTED]) + f" … (+{len(items) - MAX_LISTED})"
    return ", ".join(items)


def render(code: str, params: Mapping[str, Any] | None = None, lang: str = DEFAULT_LANG) -> str:
    """The text of message ``code`` with ``params`` in ``lang`` ('es' or 'en')."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of {LANGS}")
    entry = CATALOGUE.get(code)
    if entry is None:
        raise KeyError(f"no reader message '{code}'")
    values: dict[str, str] = {}
    for key, value in (params or {}).items():
        if key in _RECORD_PARAMS:
            value = [record_name(v, lang) for v in value] if isinstance(value, (list, tuple)) else record_name(value, lang)
        if isinstance(value, (list, tuple)):
            value = _listed(value)
        elif key in _TRANSLATED and str(value) in TERMS:
            value = TERMS[str(value)][lang]
        values[key] = str(value)
    return PLURALS.vformat(entry[lang], (), _Missing(values))


#: Parameters that name records ('row 12', 'feature 3'), localised when rendered.
_RECORD_PARAMS = frozenset({"record", "records"})
_RECORD = re.compile(r"\b(row|feature) (\d+)")
_RECORD_WORDS = {"row": {"es": "fila", "en": "row"}, "feature": {"es": "elemento", "en": "feature"}}


#: The event file's input sections as a person reads them (the YAML path itself in English).
SECTION_NAMES: dict[str, dict[str, str]] = {
    "boundaries": {"es": "límites", "en": "boundaries"},
    "population": {"es": "población", "en": "population"},
    "hazard": {"es": "amenaza", "en": "hazard"},
    "census": {"es": "censo", "en": "census"},
    "damage": {"es": "viviendas dañadas", "en": "damage"},
    "records.evacuations": {"es": "evacuaciones", "en": "records.evacuations"},
    "records.shelters": {"es": "albergues", "en": "records.shelters"},
    "facilities": {"es": "establecimientos", "en": "facilities"},
}


def section_name(where: str, lang: str = DEFAULT_LANG) -> str:
    """An event-file section (``damage``, ``facilities[1]``) named in ``lang``; unknown ones as written."""
    base, _, index = where.partition("[")
    name = SECTION_NAMES.get(base, {}).get(lang, base)
    return f"{name}[{index}" if index else name


def record_name(record: object, lang: str = DEFAULT_LANG) -> str:
    """A record as an analyst finds it, in ``lang``: ``'row 12'`` → ``'fila 12'`` in Spanish.

    Records are stored as ``"row N"`` (1-based data row after the header) or
    ``"feature N"`` (0-based, GDAL's order) and localised only when read by a person.
    """
    return _RECORD.sub(lambda m: f"{_RECORD_WORDS[m.group(1)][lang]} {m.group(2)}", str(record))


class _Missing(dict):
    def __missing__(self, key: str) -> str:  # a parameter not given renders as empty, never KeyError
        return ""


class Message(str):
    """A code and its parameters that reads as its Spanish text wherever a string is expected.

    ``where`` (a YAML path such as ``damage``, set by :meth:`at`) prefixes the text: as
    written in the string itself (logs, manifest), as the section's name in the
    language :meth:`render` is asked for. The read stage locates each reader's notes this way.
    """

    code: str
    params: dict[str, Any]
    where: str

    def __new__(cls, code: str, /, where: str = "", **params: Any) -> "Message":
        text = render(code, params, DEFAULT_LANG)
        self = super().__new__(cls, f"{where}: {text}" if where else text)  # logs and manifest: the YAML path
        self.code = code
        self.params = params
        self.where = where
        return self

    def __reduce__(self):  # pickles (Dask) and deep copies as code, place and parameters
        return (_rebuild, (self.code, self.where, self.params))

    def at(self, where: str) -> "Message":
        """The same message located at ``where`` (a YAML path)."""
        return Message(self.code, where=where, **self.params)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        text = render(self.code, self.params, lang)
        return f"{section_name(self.where, lang)}: {text}" if self.where else text


def _rebuild(code: str, where: str, params: dict[str, Any]) -> Message:
    return Message(code, where=where, **params)


def render_rejects(rejects: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """A copy of a rejects table with ``reason`` rendered in ``lang`` from ``reason_code`` and ``reason_params``.

    Rows without a catalogue code (reasons from other stages) keep their text.
    """
    out = rejects.copy()
    if "reason_code" not in out or len(out) == 0:
        return out
    params = out["reason_params"] if "reason_params" in out else pd.Series("", index=out.index)
    texts = []
    for code, given, old in zip(out["reason_code"], params, out["reason"]):
        if isinstance(code, str) and code in CATALOGUE:
            texts.append(render(code, json.loads(given) if given else {}, lang))
        else:
            texts.append(old)
    out["reason"] = texts
    return out


def reasons_by_record(rejects: pd.DataFrame, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Record → reason in ``lang``, for one file's rejects (a quick look in a notebook or a test)."""
    rendered = render_rejects(rejects, lang)
    return dict(zip(rendered["record"], rendered["reason"]))
