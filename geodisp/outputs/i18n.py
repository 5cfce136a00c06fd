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
        "interrupted": "interrumpido: esta corrida no se publicó; {out}/latest conserva la corrida anterior tal como estaba",
        "interrupted_published": "interrumpido después de publicar: {out}/latest ya es esta corrida, completa",
        "xlsx_rows_cut": "Se muestran las primeras {shown} de {total} filas (límite de una hoja de Excel); todas están en {file}.",
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
        "source_line": "Fuente: {credit}; {sources}. Elaboración: geodisp, {date}.",
        "credit_inegi": "INEGI, Marco Geoestadístico y Censo de Población y Vivienda 2020",
        "credit_synthetic": "datos sintéticos generados en código por la demo de geodisp (no son datos reales)",
        "flow_note": "Las cifras de desplazamiento cuentan desplazamientos (flujos, como en el GIDD de IDMC), no personas distintas.",
        "rounding_note": "Las cifras mostradas están redondeadas: a la decena más cercana por debajo de 1,000 y a la centena más cercana a partir de 1,000. Las tablas conservan los valores sin redondear; los totales se redondean a partir del total sin redondear, no se suman partes redondeadas.",
        # layers
        "layer_units": "Personas desplazadas por unidad",
        "layer_damage_points": "Viviendas dañadas",
        "layer_hazard": "Huella de la amenaza",
        "layer_shelters": "Albergues",
        "layer_displaced_raster": "Personas desplazadas por celda (ráster)",
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
        "units_by_method": "Unidades cuya cifra de desplazamiento se tomó de «{method}»: {n}.",
        "flagged_units": "Unidades con alerta (las fuentes difieren mucho; motivo en la columna flag_reason): {n}: {flags}.",
        "gaps": "Unidades sin datos de ningún tipo: {n}.",
        "rows_read": "leídos",
        "rows_used": "usados",
        "rows_rejected": "rechazados",
        "map_alt": "Mapa de personas desplazadas por unidad",
        "hazard_class_n": "Clase {n}",
        # terms (GIDD table, totals)
        "term_displaced": "Personas desplazadas",
        "term_evacuated": "Personas evacuadas",
        "term_in_shelters": "Personas en albergues (máximo de cada unidad, sumado)",
        "term_destroyed_housing": "Viviendas destruidas",
        "unit_people": "personas",
        "unit_households": "hogares",
        "unit_dwellings": "viviendas",
        "unit_person_days": "personas-día",
        # notes on what was not written (key note_<what>)
        "note_shelter_no_coordinates": "Albergue {id}: sin coordenadas, no se dibuja (sus personas sí cuentan en las cifras).",
        "note_no_shelters": "Capa de albergues no escrita: no hay registros de albergues.",
        "note_shelters_no_coordinates": "Capa de albergues no escrita: ningún albergue tiene coordenadas.",
        "note_no_damage_points": "Capa de viviendas dañadas no escrita: no hay puntos de daño.",
        "note_no_hazard": "Capa de amenaza no escrita: no hay huella de la amenaza.",
        "note_no_units": "Capa de unidades no escrita: no hay tabla por unidad.",
        "note_no_layers": "GeoPackage y proyecto QGIS no escritos: ninguna capa tenía insumos.",
        "note_no_grid": "Rásters no escritos: no hay malla de población o de zonas.",
        "note_no_displaced_raster": "Ráster de desplazados no escrito: no hay cifras de desplazamiento.",
        "note_no_exposed_raster": "Ráster de expuestos no escrito: no hay ráster de clases de amenaza.",
        "note_unit_not_drawn": "Unidad {key}: {value} personas desplazadas no se dibujan en el ráster, ninguna celda poblada en la malla.",
        "note_no_figures": "Tablas de cifras no escritas: no hay cifras.",
        "note_no_map": "Mapa no dibujado: no hay capa de unidades.",
        # hazard types and methods
        "hazard_tropical_cyclone": "Ciclón tropical",
        "hazard_storm_surge": "Marea de tormenta",
        "hazard_flood": "Inundación",
        "hazard_landslide": "Deslizamiento de laderas",
        "hazard_wildfire": "Incendio forestal",
        "hazard_earthquake": "Sismo",
        "hazard_volcanic_eruption": "Erupción volcánica",
        "method_housing": "viviendas dañadas",
        "method_exposure": "población expuesta",
        "method_records": "registros de Protección Civil",
        "method_evacuated": "evacuaciones registradas",
        "method_sheltered_peak": "ocupación de albergues",
        "method_displaced_housing": "viviendas dañadas",
        "method_displaced_exposure": "población expuesta (modelo)",
        "method_none": "ninguna cifra",
        # repr
        "repr_units": "{n} unidades",
        "repr_paths": "Archivos escritos",
    },
    "en": {
        "interrupted": "interrupted: this run was not published; {out}/latest keeps the previous run as it was",
        "interrupted_published": "interrupted after publishing: {out}/latest is this run, whole",
        "xlsx_rows_cut": "The first {shown} of {total} rows are shown (an Excel sheet's limit); {file} holds them all.",
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
        "source_line": "Source: {credit}; {sources}. Produced with geodisp, {date}.",
        "credit_inegi": "INEGI, Marco Geoestadístico and Censo de Población y Vivienda 2020",
        "credit_synthetic": "synthetic data generated in code by the geodisp demo (not real data)",
        "flow_note": "Displacement figures count displacements (flows, as in IDMC's GIDD), not distinct people.",
        "rounding_note": "Figures shown are rounded: to the nearest 10 below 1,000 and to the nearest 100 from 1,000 up. Tables keep the unrounded values; totals are rounded from the unrounded total, not summed from rounded parts.",
        "layer_units": "People displaced by unit",
        "layer_damage_points": "Damaged dwellings",
        "layer_hazard": "Hazard footprint",
        "layer_shelters": "Shelters",
        "layer_displaced_raster": "People displaced per cell (raster)",
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
        "units_by_method": "Units whose displacement figure was taken from “{method}”: {n}.",
        "flagged_units": "Units flagged (sources differ widely; reason in column flag_reason): {n}: {flags}.",
        "gaps": "Units with no data of any kind: {n}.",
        "rows_read": "read",
        "rows_used": "used",
        "rows_rejected": "rejected",
        "map_alt": "Map of people displaced by unit",
        "hazard_class_n": "Class {n}",
        "term_displaced": "People displaced",
        "term_evacuated": "People evacuated",
        "term_in_shelters": "People in shelters (each unit's peak, summed)",
        "term_destroyed_housing": "Dwellings destroyed",
        "unit_people": "people",
        "unit_households": "households",
        "unit_dwellings": "dwellings",
        "unit_person_days": "person-days",
        "note_shelter_no_coordinates": "Shelter {id}: no coordinates, not drawn (its people still count in the figures).",
        "note_no_shelters": "Shelters layer not written: no shelter records.",
        "note_shelters_no_coordinates": "Shelters layer not written: no shelter has coordinates.",
        "note_no_damage_points": "Damaged dwellings layer not written: no damage points.",
        "note_no_hazard": "Hazard layer not written: no hazard footprint.",
        "note_no_units": "Units layer not written: no per-unit table.",
        "note_no_layers": "GeoPackage and QGIS project not written: no layer had its inputs.",
        "note_no_grid": "Rasters not written: no population grid or zone raster.",
        "note_no_displaced_raster": "Displaced raster not written: no displacement figures.",
        "note_no_exposed_raster": "Exposed raster not written: no hazard class raster.",
        "note_unit_not_drawn": "Unit {key}: {value} people displaced not drawn on the raster, no populated cell on the grid.",
        "note_no_figures": "Figure tables not written: no figures.",
        "note_no_map": "Map not drawn: no units layer.",
        "hazard_tropical_cyclone": "Tropical cyclone",
        "hazard_storm_surge": "Storm surge",
        "hazard_flood": "Flood",
        "hazard_landslide": "Landslide",
        "hazard_wildfire": "Wildfire",
        "hazard_earthquake": "Earthquake",
        "hazard_volcanic_eruption": "Volcanic eruption",
        "method_housing": "damaged housing",
        "method_exposure": "exposed population",
        "method_records": "Civil Protection records",
        "method_evacuated": "recorded evacuations",
        "method_sheltered_peak": "shelter occupancy",
        "method_displaced_housing": "damaged housing",
        "method_displaced_exposure": "exposed population (model)",
        "method_none": "no figure",
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


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = MESSAGES[check_lang(lang)][key]
    return text.format(**values) if values else text


#: A note on something not written: a catalogue key (``note_...``) and its values.
Note = tuple[str, dict]


def note(what: str, /, **values: object) -> Note:
    """A note for the report, translated only when shown (see :func:`note_text`)."""
    if f"note_{what}" not in MESSAGES[DEFAULT_LANG]:
        raise KeyError(f"no message note_{what}")
    return (what, values)


def note_text(n: Note, lang: str = DEFAULT_LANG) -> str:
    """The note in ``lang``."""
    key, values = n
    return t(f"note_{key}", lang, **values)


def term(prefix: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """A translated vocabulary code (``hazard_<code>``, ``method_<code>``); the code when unknown."""
    key = f"{prefix}_{code}"
    return t(key, lang) if key in MESSAGES[check_lang(lang)] else str(code)


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
