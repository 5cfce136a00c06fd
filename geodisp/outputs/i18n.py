"""The one message catalogue for everything a person reads: Spanish first, English second.

Report text, map title / legend / source line, QGIS style labels and field aliases all
come from here, so a translation is one edit in one place. Column names in tables and
layers are stable codes and are *not* translated; their aliases are.
"""
from __future__ import annotations

LANGS: tuple[str, ...] = ("es", "en")
DEFAULT_LANG = "es"

MESSAGES: dict[str, dict[str, str]] = {
    "es": {
        # map
        "map_title": "Personas desplazadas por municipio: {event}",
        "map_title_generic": "Personas desplazadas por unidad: {event}",
        "legend_title": "Personas desplazadas (estimación central)",
        "legend_hazard": "Huella de la amenaza",
        "legend_damage": "Viviendas dañadas",
        "legend_shelters": "Albergues",
        "no_data": "Sin datos",
        "zero": "0",
        "more_than": "más de {value}",
        "up_to": "hasta {value}",
        "range": "{low} – {high}",
        "scale_km": "{value} km",
        "source_line": "Fuente: INEGI, Marco Geoestadístico y Censo de Población y Vivienda 2020; {sources}. Elaboración: geodisp, {date}.",
        "rounding_note": "Las cifras mostradas están redondeadas: a la decena más cercana por debajo de 1,000 y a la centena más cercana a partir de 1,000. Las tablas conservan los valores sin redondear; los totales se redondean a partir del total sin redondear, no se suman partes redondeadas.",
        # layers
        "layer_units": "Personas desplazadas por unidad",
        "layer_damage_points": "Viviendas dañadas",
        "layer_hazard": "Huella de la amenaza",
        "layer_shelters": "Albergues",
        "damage_destroyed": "Destruida",
        "damage_severe": "Daño severo",
        "damage_partial": "Daño parcial",
        "damage_minor": "Daño menor",
        "damage_none": "Sin daño",
        "shelter": "Albergue",
        # report
        "report_title": "Reporte de desplazamiento: {event}",
        "event": "Evento",
        "event_id": "Identificador",
        "hazard_type": "Tipo de amenaza",
        "dates": "Fechas",
        "glide": "GLIDE",
        "totals": "Totales",
        "top_units": "Municipios con más personas desplazadas",
        "top_units_generic": "Unidades con más personas desplazadas",
        "method_notes": "Notas de método",
        "rejects_summary": "Registros rechazados",
        "no_rejects": "Ningún registro de entrada fue rechazado.",
        "inputs": "Insumos",
        "generated": "Generado el {date} con geodisp.",
        "range_low_high": "intervalo {low} – {high}",
        "unit": "Unidad",
        "name": "Nombre",
        "code": "Clave",
        "figure": "Cifra",
        "decided_by": "Decidido por",
        "count": "Registros",
        "reason": "Motivo",
        "source": "Fuente",
        "file": "Archivo",
        "units_by_method": "{n} unidades: cifra de desplazamiento tomada de «{method}».",
        "flagged_units": "{n} unidades con alerta: {flags}.",
        "gaps": "{n} unidades sin datos de ningún tipo.",
        "rows_read": "leídos",
        "rows_used": "usados",
        "rows_rejected": "rechazados",
        "map_alt": "Mapa de personas desplazadas por unidad",
        "hazard_class_n": "Clase {n}",
        # terms (GIDD table, totals)
        "term_displaced": "Personas desplazadas",
        "term_evacuated": "Personas evacuadas",
        "term_in_shelters": "Personas en albergues (máximo)",
        "term_destroyed_housing": "Viviendas destruidas",
        "unit_people": "personas",
        "unit_households": "hogares",
        "unit_dwellings": "viviendas",
        "unit_person_days": "personas-día",
        # repr
        "repr_units": "{n} unidades",
        "repr_paths": "Archivos escritos",
    },
    "en": {
        "map_title": "People displaced by municipality: {event}",
        "map_title_generic": "People displaced by unit: {event}",
        "legend_title": "People displaced (central estimate)",
        "legend_hazard": "Hazard footprint",
        "legend_damage": "Damaged dwellings",
        "legend_shelters": "Shelters",
        "no_data": "No data",
        "zero": "0",
        "more_than": "more than {value}",
        "up_to": "up to {value}",
        "range": "{low} – {high}",
        "scale_km": "{value} km",
        "source_line": "Source: INEGI, Marco Geoestadístico and Censo de Población y Vivienda 2020; {sources}. Produced with geodisp, {date}.",
        "rounding_note": "Figures shown are rounded: to the nearest 10 below 1,000 and to the nearest 100 from 1,000 up. Tables keep the unrounded values; totals are rounded from the unrounded total, not summed from rounded parts.",
        "layer_units": "People displaced by unit",
        "layer_damage_points": "Damaged dwellings",
        "layer_hazard": "Hazard footprint",
        "layer_shelters": "Shelters",
        "damage_destroyed": "Destroyed",
        "damage_severe": "Severe damage",
        "damage_partial": "Partial damage",
        "damage_minor": "Minor damage",
        "damage_none": "No damage",
        "shelter": "Shelter",
        "report_title": "Displacement report: {event}",
        "event": "Event",
        "event_id": "Identifier",
        "hazard_type": "Hazard type",
        "dates": "Dates",
        "glide": "GLIDE",
        "totals": "Totals",
        "top_units": "Municipalities with most people displaced",
        "top_units_generic": "Units with most people displaced",
        "method_notes": "Method notes",
        "rejects_summary": "Rejected records",
        "no_rejects": "No input record was rejected.",
        "inputs": "Inputs",
        "generated": "Generated on {date} with geodisp.",
        "range_low_high": "range {low} – {high}",
        "unit": "Unit",
        "name": "Name",
        "code": "Code",
        "figure": "Figure",
        "decided_by": "Decided by",
        "count": "Records",
        "reason": "Reason",
        "source": "Source",
        "file": "File",
        "units_by_method": "{n} units: displacement figure taken from “{method}”.",
        "flagged_units": "{n} units flagged: {flags}.",
        "gaps": "{n} units with no data of any kind.",
        "rows_read": "read",
        "rows_used": "used",
        "rows_rejected": "rejected",
        "map_alt": "Map of people displaced by unit",
        "hazard_class_n": "Class {n}",
        "term_displaced": "People displaced",
        "term_evacuated": "People evacuated",
        "term_in_shelters": "People in shelters (peak)",
        "term_destroyed_housing": "Dwellings destroyed",
        "unit_people": "people",
        "unit_households": "households",
        "unit_dwellings": "dwellings",
        "unit_person_days": "person-days",
        "repr_units": "{n} units",
        "repr_paths": "Files written",
    },
}

#: Field aliases (what QGIS shows instead of the column code), by language.
#: Per-class and per-level columns are built by :func:`field_alias`.
FIELD_ALIASES: dict[str, dict[str, str]] = {
    "es": {
        "cvegeo": "Clave geoestadística (CVEGEO)",
        "name": "Nombre",
        "level": "Nivel",
        "displaced": "Personas desplazadas (central)",
        "displaced_low": "Personas desplazadas (mínimo)",
        "displaced_high": "Personas desplazadas (máximo)",
        "evacuated": "Personas evacuadas",
        "sheltered_peak": "Personas en albergues (máximo)",
        "sheltered_person_days": "Personas-día en albergues",
        "households_affected": "Hogares afectados",
        "displaced_housing": "Desplazados según vivienda",
        "displaced_exposure": "Desplazados según exposición",
        "method": "Método",
        "source": "Fuente",
        "decided_by": "Cifra decidida por",
        "flag": "Alerta",
        "flag_reason": "Motivo de la alerta",
        "decided_source": "Fuente de la cifra decidida",
        "evidence": "Evidencia",
        "dwelling_id": "Identificador de vivienda",
        "damage_level": "Nivel de daño",
        "damage_label": "Daño",
        "hazard_class": "Clase de amenaza",
        "label": "Etiqueta",
        "lower": "Intensidad mínima",
        "upper": "Intensidad máxima",
        "shelter_id": "Identificador de albergue",
        "peak_occupants": "Ocupación máxima",
        "last_date": "Última fecha reportada",
        "occupants_last_date": "Ocupación en la última fecha",
        "record": "Registro de origen",
        "dwellings_destroyed": "Viviendas destruidas",
        "dwellings_severe": "Viviendas con daño severo",
        "dwellings_partial": "Viviendas con daño parcial",
        "dwellings_minor": "Viviendas con daño menor",
    },
    "en": {
        "cvegeo": "Geostatistical key (CVEGEO)",
        "name": "Name",
        "level": "Level",
        "displaced": "People displaced (central)",
        "displaced_low": "People displaced (low)",
        "displaced_high": "People displaced (high)",
        "evacuated": "People evacuated",
        "sheltered_peak": "People in shelters (peak)",
        "sheltered_person_days": "Person-days in shelters",
        "households_affected": "Households affected",
        "displaced_housing": "Displaced, housing method",
        "displaced_exposure": "Displaced, exposure method",
        "method": "Method",
        "source": "Source",
        "decided_by": "Figure decided by",
        "flag": "Flag",
        "flag_reason": "Flag reason",
        "decided_source": "Source of the decided figure",
        "evidence": "Evidence",
        "dwelling_id": "Dwelling identifier",
        "damage_level": "Damage level",
        "damage_label": "Damage",
        "hazard_class": "Hazard class",
        "label": "Label",
        "lower": "Lower intensity",
        "upper": "Upper intensity",
        "shelter_id": "Shelter identifier",
        "peak_occupants": "Peak occupancy",
        "last_date": "Last date reported",
        "occupants_last_date": "Occupancy on last date",
        "record": "Source record",
        "dwellings_destroyed": "Dwellings destroyed",
        "dwellings_severe": "Dwellings with severe damage",
        "dwellings_partial": "Dwellings with partial damage",
        "dwellings_minor": "Dwellings with minor damage",
    },
}

_PATTERN_ALIASES: dict[str, dict[str, str]] = {
    "es": {
        "exposed_class_": "Personas expuestas, clase {n}",
        "dwellings_": "Viviendas: {level}",
        "_low": "{base} (mínimo)",
        "_high": "{base} (máximo)",
    },
    "en": {
        "exposed_class_": "People exposed, class {n}",
        "dwellings_": "Dwellings: {level}",
        "_low": "{base} (low)",
        "_high": "{base} (high)",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a catalogue language, else raise naming the choices."""
    if lang not in MESSAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = MESSAGES[check_lang(lang)][key]
    return text.format(**values) if values else text


def damage_label(level: str, lang: str = DEFAULT_LANG) -> str:
    """Readable name of a damage level code (``destroyed``, ``severe``...)."""
    key = f"damage_{level}"
    return t(key, lang) if key in MESSAGES[check_lang(lang)] else str(level)


def field_alias(column: str, lang: str = DEFAULT_LANG) -> str:
    """The alias QGIS shows for a layer column; the code itself when none is known."""
    aliases = FIELD_ALIASES[check_lang(lang)]
    if column in aliases:
        return aliases[column]
    patterns = _PATTERN_ALIASES[lang]
    if column.startswith("exposed_class_") and column[len("exposed_class_"):].isdigit():
        return patterns["exposed_class_"].format(n=column[len("exposed_class_"):])
    for suffix in ("_low", "_high"):
        if column.endswith(suffix) and column[: -len(suffix)]:
            base = field_alias(column[: -len(suffix)], lang)
            if base != column[: -len(suffix)]:
                return patterns[suffix].format(base=base)
    if column.startswith("dwellings_"):
        level = column[len("dwellings_"):]
        return patterns["dwellings_"].format(level=damage_label(level, lang))
    return column
