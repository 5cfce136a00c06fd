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
    # in input errors
    "population": {"es": "población", "en": "population"},
    "hazard": {"es": "amenaza", "en": "hazard"},
    "intensity": {"es": "intensidad", "en": "intensity"},
    "people_per_cell": {"es": "personas por celda", "en": "people per cell"},
    "people_or_households": {"es": "personas u hogares", "en": "people or households"},
    "date": {"es": "fecha", "en": "date"},
    "damage_level": {"es": "nivel de daño", "en": "damage level"},
    "facility_type": {"es": "tipo", "en": "type"},
    "facility_name": {"es": "nombre", "en": "name"},
    "hint_worldpop": {"es": "; asígnele uno (p. ej. EPSG:4326 para WorldPop)", "en": "; set one (e.g. EPSG:4326 for WorldPop)"},
    "hint_utm": {"es": "parecen metros UTM: indique en crs la zona UTM, p. ej. EPSG:32614 (WGS 84 / UTM 14N) o EPSG:6369 (México ITRF2008 / UTM 14N)",
                 "en": "they look like UTM metres: give crs as the UTM zone, e.g. EPSG:32614 (WGS 84 / UTM 14N) or EPSG:6369 (Mexico ITRF2008 / UTM 14N)"},
    "hint_lcc": {"es": "parecen metros de la cónica conforme de Lambert de INEGI: crs: EPSG:6372",
                 "en": "they look like INEGI's Lambert conformal conic metres: crs: EPSG:6372"},
    "hint_crs": {"es": "indique en crs el SRC en que están (p. ej. EPSG:6372, o una zona UTM como EPSG:32614)",
                 "en": "give the CRS they are in as crs (e.g. EPSG:6372, or a UTM zone such as EPSG:32614)"},
}
_TRANSLATED = ("what", "noun", "kind", "why", "band", "hint")

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
    "track_other_storm": {"es": "otro ciclón, {other}: {count} {count:posición|posiciones} desde este registro (hazard.storm es {storm})",
                          "en": "another storm, {other}: {count} {count:fix|fixes} from this record on (hazard.storm is {storm})"},
    "track_not_best": {"es": "{count} {count:línea|líneas} {other} desde este registro: no {count:es una línea|son líneas} de mejor trayectoria (BEST)",
                       "en": "{count} {other} {count:line|lines} from this record on: not {count:a best-track (BEST) line|best-track (BEST) lines}"},
    "track_not_forecast": {"es": "{count} {count:línea|líneas} {other} desde este registro: no {count:es|son} el pronóstico {tech} de las {base} UTC",
                           "en": "{count} {other} {count:line|lines} from this record on: not the {tech} forecast of {base} UTC"},
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
    # ---- input errors (InputError, exit code 2): what is wrong with a file, where; never a raw personal value
    "input_file_not_found": {"es": "{file}: no se encuentra el archivo", "en": "{file}: file not found"},
    "input_no_crs": {"es": "{file}: la capa no tiene SRC (sistema de referencia de coordenadas)", "en": "{file}: the layer has no CRS"},
    # rasters
    "input_not_raster": {"es": "{file}: no se puede leer como ráster ({error})", "en": "{file}: cannot read as a raster ({error})"},
    "input_raster_no_crs": {
        "es": "{file}: el ráster de {what} no tiene SRC (sistema de referencia de coordenadas){hint}",
        "en": "{file}: the {what} raster has no CRS{hint}",
    },
    "input_raster_bands": {
        "es": "{file}: se esperaba una banda de {band}; tiene {n}", "en": "{file}: expected one band of {band}, found {n}",
    },
    # tables
    "input_empty_file": {"es": "{file}: archivo vacío", "en": "{file}: empty file"},
    "input_table_limit_setting": {
        "es": "GEODISP_MAX_TABLE_MB: se esperaba un número de megabytes, no {value}",
        "en": "GEODISP_MAX_TABLE_MB: expected a number of megabytes, got {value}",
    },
    "input_table_too_big": {
        "es": "{file}: {size} bytes, más que los {limit} bytes que geodisp lee como una tabla; divídala o aumente el límite con GEODISP_MAX_TABLE_MB",
        "en": "{file}: {size} bytes, larger than the {limit} bytes geodisp reads as one table; split it, or set GEODISP_MAX_TABLE_MB to raise the limit",
    },
    "input_zip_member_too_big": {
        "es": "{file}: {size} bytes sin comprimir, más que los {limit} bytes que geodisp lee como una tabla; divídala o aumente el límite con GEODISP_MAX_TABLE_MB",
        "en": "{file}: uncompressed {size} bytes, larger than the {limit} bytes geodisp reads as one table; split it, or set GEODISP_MAX_TABLE_MB to raise the limit",
    },
    "input_zip_tables": {
        "es": "{file}: se esperaba una sola tabla dentro del zip; contiene {n} ({names})",
        "en": "{file}: expected one table inside the zip, found {n} ({names})",
    },
    "input_field_too_long": {
        "es": "{file}: línea {line}: un campo de más de {limit} caracteres, más de lo que cabe en una celda; ¿es una tabla?",
        "en": "{file}: line {line}: a field longer than the {limit} characters a table cell may hold; is this a table?",
    },
    "input_cell_too_long": {
        "es": "{file}: línea {line}, columna {column}: un campo de {length} caracteres, más que los {limit} que caben en una celda; ¿es una tabla?",
        "en": "{file}: line {line}, column {column}: a field of {length} characters, longer than the {limit} a table cell may hold; is this a table?",
    },
    "input_old_excel": {
        "es": "{file}: formato antiguo de Excel (.xls); guárdelo como .xlsx (Excel: Guardar como > Libro de Excel)",
        "en": "{file}: old Excel format (.xls); save it as .xlsx (Excel: Save As > Excel Workbook)",
    },
    "input_not_spreadsheet": {
        "es": "{file}: no se puede leer como hoja de cálculo ({error})", "en": "{file}: cannot read as a spreadsheet ({error})",
    },
    "input_no_sheet": {"es": "{file}: no hay una hoja '{sheet}'; las hojas son {sheets}", "en": "{file}: no sheet '{sheet}'; the sheets are {sheets}"},
    "input_sheet_ambiguous": {
        "es": "{file}: tiene {n} hojas ({sheets}) y {usable} de ellas {usable:tiene|tienen} un encabezado reconocible; indique cuál leer con 'sheet:'",
        "en": "{file}: holds {n} sheets ({sheets}) and {usable} of them {usable:has|have} a recognisable header; name the one to read with 'sheet:'",
    },
    "input_not_csv": {
        "es": "{file}: no se puede leer como CSV ({error}; ¿una línea tiene más campos que el encabezado?)",
        "en": "{file}: cannot parse as CSV ({error}; a line has more fields than the header?)",
    },
    "input_empty_table": {"es": "{file}: tabla vacía", "en": "{file}: empty table"},
    "input_no_header": {
        "es": "{file}: no hay fila de encabezado en las primeras {n} líneas: ninguna tiene un nombre de columna conocido "
              "(se buscó {looked}, …); agregue la fila de encabezado o nombre las columnas con 'columns:'",
        "en": "{file}: no header row in the first {n} lines: no line holds a known column name "
              "(looked for {looked}, …); add the header row or name the columns with 'columns:'",
    },
    "input_cannot_decode": {"es": "{file}: no se puede decodificar el texto", "en": "{file}: cannot decode text"},
    # vector layers
    "input_layers_ambiguous": {
        "es": "{file}: tiene {n} capas ({layers}); indique cuál leer (layer)", "en": "{file}: holds {n} layers ({layers}); name the layer to read",
    },
    "input_no_layer": {"es": "{file}: no hay una capa '{layer}'; las capas son {layers}", "en": "{file}: no layer '{layer}'; the layers are {layers}"},
    "input_not_vector": {"es": "{file}: no se puede leer como capa vectorial ({error})", "en": "{file}: cannot read as a vector layer ({error})"},
    # columns of points and tables
    "input_unknown_roles": {
        "es": "{file}: funciones de columna desconocidas en columns: {roles} (conocidas: {known})",
        "en": "{file}: unknown column roles {roles} (known: {known})",
    },
    "input_column_missing": {
        "es": "{file}: no se encuentra la columna '{column}' (columns.{role}); las columnas son {columns}",
        "en": "{file}: column '{column}' (columns.{role}) not found; the columns are {columns}",
    },
    "input_role_missing": {
        "es": "{file}: no hay columna de {what} (se buscó {looked}); las columnas son {columns}; indique columns.{role}",
        "en": "{file}: no {what} column (looked for {looked}); the columns are {columns}; set columns.{role}",
    },
    "input_latlon_crs": {
        "es": "{file}: las columnas de latitud/longitud necesitan un SRC geográfico; se dio {crs}",
        "en": "{file}: latitude/longitude columns need a geographic crs, got {crs}",
    },
    "input_xy_need_crs": {
        "es": "{file}: las columnas X/Y '{x}', '{y}' no son grados dentro de México y necesitan un crs; {hint}",
        "en": "{file}: X/Y columns '{x}', '{y}' are not degrees inside Mexico and need a crs; {hint}",
    },
    "input_no_coordinates": {
        "es": "{file}: no hay columnas de coordenadas (se buscó latitud/longitud, lat/lon, x/y); las columnas son {columns}; "
              "indique columns.lat y columns.lon, o columns.x y columns.y",
        "en": "{file}: no coordinate columns (looked for latitud/longitud, lat/lon, x/y); the columns are {columns}; "
              "set columns.lat and columns.lon, or columns.x and columns.y",
    },
    "input_no_unit_column": {
        "es": "{file}: no hay columna de municipio (claves: {keys}; nombres: {names}); las columnas son {columns}; indique {key_setting} o {name_setting}",
        "en": "{file}: no municipio column (keys: {keys}; names: {names}); the columns are {columns}; set {key_setting} or {name_setting}",
    },
    "input_facility_column_missing": {
        "es": "{file}: no se encuentra la columna de {what} '{column}' ({setting}); las columnas son {columns}",
        "en": "{file}: {what} column '{column}' ({setting}) not found; the columns are {columns}",
    },
    "input_no_facility_type": {
        "es": "{file}: no hay columna de tipo de establecimiento (se buscó {looked}); las columnas son {columns}; indique type_field o kind",
        "en": "{file}: no facility type column (looked for {looked}); the columns are {columns}; set type_field or kind",
    },
    "input_census_no_keys": {
        "es": "{file}: no hay columnas de clave (CVEGEO, o ENTIDAD/CVE_ENT con MUN, LOC, AGEB)",
        "en": "{file}: no key columns (CVEGEO, or ENTIDAD/CVE_ENT with MUN, LOC, AGEB)",
    },
    # damage
    "input_damage_level_override": {
        "es": "levels: '{label}': '{level}' no es uno de los niveles de daño {levels}",
        "en": "levels: '{label}': '{level}' is not one of the damage levels {levels}",
    },
    "input_damage_unknown_columns": {
        "es": "{file}: {n:la columna|las columnas} {columns} {n:tiene|tienen} conteos pero no {n:es un nivel|son niveles} de daño "
              "(etiquetas conocidas: {known}, …; en singular o plural); asígne{n:la|las} un nivel en el archivo de evento con "
              "levels: <columna>: <nivel> ({levels})",
        "en": "{file}: {n:column|columns} {columns} {n:holds|hold} counts but {n:is not a damage level|are not damage levels} "
              "(known labels include {known}, …; singular or plural); map {n:it|them} in the event file with "
              "levels: <column>: <level> ({levels})",
    },
    "input_damage_layout": {
        "es": "{file}: no hay formato largo (columnas de unidad, nivel y conteo) ni columnas de nivel de daño; las columnas son {columns}",
        "en": "{file}: neither a long layout (unit, level and count columns) nor damage-level columns found; the columns are {columns}",
    },
    # boundaries
    "input_key_field_missing": {
        "es": "{file}: no se encuentra el campo de clave '{field}' (campos: {fields})", "en": "{file}: key field '{field}' not found (fields: {fields})",
    },
    "input_no_key_field": {
        "es": "{file}: no hay campo de clave (CVEGEO, o CVE_ENT/CVE_MUN/...) entre {fields}",
        "en": "{file}: no key field (CVEGEO, or CVE_ENT/CVE_MUN/...) among {fields}",
    },
    "input_unknown_level": {"es": "{file}: nivel desconocido '{level}' (uno de {levels})", "en": "{file}: unknown level '{level}' (one of {levels})"},
    "input_boundaries_no_crs": {
        "es": "{file}: la capa no tiene SRC; los límites lo necesitan (INEGI usa EPSG:6372)",
        "en": "{file}: the layer has no CRS; boundaries need one (INEGI uses EPSG:6372)",
    },
    "input_no_known_key": {
        "es": "{file}: ninguna clave CVEGEO de longitud conocida (2, 5, 9 o 13 dígitos)",
        "en": "{file}: no CVEGEO key of a known length (2, 5, 9 or 13 digits)",
    },
    "input_name_field_missing": {
        "es": "{file}: no se encuentra el campo de nombre '{field}' (campos: {fields})", "en": "{file}: name field '{field}' not found (fields: {fields})",
    },
    "input_level_not_in_layer": {
        "es": "{file}: se pidió el nivel '{level}' pero la capa tiene unidades de nivel '{layer_level}'",
        "en": "{file}: asked for level '{level}' but the layer holds '{layer_level}' units",
    },
    # hazard footprints
    "input_raster_needs_bins": {
        "es": "{file}: una huella ráster necesita 'bins' (límites de clase, del menor al mayor)",
        "en": "{file}: a raster footprint needs 'bins' (class edges, lowest first)",
    },
    "input_bins_increasing": {
        "es": "{file}: 'bins' debe tener al menos dos límites crecientes; se dio {bins}",
        "en": "{file}: bins must be at least two increasing edges, got {bins}",
    },
    "input_bins_labels": {
        "es": "{file}: {edges} límites forman {classes} {classes:clase|clases} pero se {labels:dio|dieron} {labels} {labels:etiqueta|etiquetas}",
        "en": "{file}: {edges} bin edges make {classes} {classes:class|classes} but {labels} {labels:label was|labels were} given",
    },
    "input_too_many_classes": {"es": "{file}: a lo sumo 255 clases de amenaza", "en": "{file}: at most 255 hazard classes"},
    "input_layer_named": {"es": ", capa '{layer}'", "en": ", layer '{layer}'"},
    "input_hazard_empty": {
        "es": "{file}{layer}: la capa de amenaza no tiene elementos; una huella vacía reportaría cero personas expuestas",
        "en": "{file}{layer}: the hazard layer holds no features; an empty footprint would report zero people exposed",
    },
    "input_hazard_no_crs": {"es": "{file}{layer}: la capa de la huella no tiene SRC", "en": "{file}{layer}: the footprint layer has no CRS"},
    "input_field_missing": {"es": "{file}: no se encuentra el campo '{field}' (campos: {fields})", "en": "{file}: field '{field}' not found (fields: {fields})"},
    "input_hazard_none_usable": {
        "es": "{file}{layer}: {n:el único elemento de amenaza no es utilizable|ninguno de los {n} elementos de amenaza es utilizable} "
              "(primer motivo: {reason}); una huella vacía reportaría cero personas expuestas",
        "en": "{file}{layer}: {n:the only hazard feature is not usable|none of the {n} hazard features is usable} "
              "(first reason: {reason}); an empty footprint would report zero people exposed",
    },
    "input_hazard_text_classes": {
        "es": "{file}: el campo '{field}' tiene clases de texto {classes}; indique 'labels' en orden, de menor a mayor intensidad",
        "en": "{file}: field '{field}' holds text classes {classes}; give 'labels' in order, lowest intensity first",
    },
    # ShakeMaps
    "input_shakemap_no_grid": {
        "es": "{file}: no tiene el elemento <grid_data>: no es un grid.xml de ShakeMap", "en": "{file}: no <grid_data> element: not a ShakeMap grid.xml",
    },
    "input_shakemap_bad_xml": {
        "es": "{file}: el encabezado del ShakeMap no es XML válido ({error})", "en": "{file}: the ShakeMap header is not valid XML ({error})",
    },
    "input_shakemap_header": {
        "es": "{file}: al encabezado del ShakeMap le faltan los elementos grid_specification o grid_field",
        "en": "{file}: the ShakeMap header lacks grid_specification or grid_field elements",
    },
    "input_shakemap_field": {
        "es": "{file}: el campo '{field}' no está en la malla del ShakeMap (campos: {fields})",
        "en": "{file}: field '{field}' not in the ShakeMap grid (fields: {fields})",
    },
    "input_shakemap_spec": {
        "es": "{file}: a grid_specification le falta nlon, nlat, lon_min, lat_max o los espaciamientos",
        "en": "{file}: grid_specification lacks nlon, nlat, lon_min, lat_max or spacings",
    },
    "input_shakemap_line_fields": {
        "es": "{file}: línea {line}: {n} {n:valor|valores}, el encabezado declara {fields} campos",
        "en": "{file}: line {line}: {n} {n:value|values}, the header declares {fields} fields",
    },
    "input_shakemap_too_many_points": {
        "es": "{file}: más puntos de malla que nlon x nlat = {size}", "en": "{file}: more grid points than nlon x nlat = {size}",
    },
    "input_shakemap_not_number": {"es": "{file}: línea {line}: {field} no es un número", "en": "{file}: line {line}: {field} is not a number"},
    "input_shakemap_points": {
        "es": "{file}: {n} {n:punto|puntos} de malla, el encabezado declara nlon x nlat = {size}",
        "en": "{file}: {n} grid {n:point|points}, the header declares nlon x nlat = {size}",
    },
    "input_shakemap_needs_bins": {
        "es": "{file}: el campo {field} necesita 'bins' (límites de clase en {units}, del menor al mayor)",
        "en": "{file}: field {field} needs 'bins' (class edges in {units}, lowest first)",
    },
    "input_shakemap_format": {"es": "{file}: un grid.xml de ShakeMap leído como '{format}'", "en": "{file}: a ShakeMap grid.xml read as '{format}'"},
    # storm tracks
    "input_track_empty": {"es": "{file}: el archivo de trayectoria está vacío", "en": "{file}: the track file is empty"},
    "input_hurdat2_fix_first": {
        "es": "{file}: línea {line}: una posición antes de cualquier encabezado de ciclón (¿es HURDAT2?)",
        "en": "{file}: line {line}: a fix before any storm header (is this HURDAT2?)",
    },
    "input_hurdat2_no_fixes": {"es": "{file}: no hay posiciones en el archivo HURDAT2", "en": "{file}: no fixes found in the HURDAT2 file"},
    "input_atcf_no_lines": {"es": "{file}: no hay líneas en el archivo ATCF", "en": "{file}: no lines found in the ATCF file"},
    "input_not_ibtracs": {"es": "{file}: no es un CSV de IBTrACS: faltan las columnas {columns}", "en": "{file}: not an IBTrACS CSV: columns {columns} missing"},
    "input_track_columns": {
        "es": "{file}: no se encuentran columnas de la trayectoria: {missing} (columnas: {columns})",
        "en": "{file}: track columns not found: {missing} (columns: {columns})",
    },
    "input_track_storms": {
        "es": "{file}: el archivo contiene {n} ciclones ({storms}); indique uno en hazard.storm",
        "en": "{file}: the file holds {n} storms ({storms}); name one with hazard.storm",
    },
    "input_track_storm_ambiguous": {
        "es": "{file}: varios ciclones se llaman '{storm}' ({ids}); indique la clave en hazard.storm",
        "en": "{file}: several storms are named '{storm}' ({ids}); give the id in hazard.storm",
    },
    "input_track_storm_not_found": {
        "es": "{file}: no se encuentra el ciclón '{storm}' (ciclones: {storms})", "en": "{file}: storm '{storm}' not found (storms: {storms})",
    },
    "input_track_no_usable_fix": {
        "es": "{file}: ninguna posición utilizable en la trayectoria ({n} {n:rechazada|rechazadas})",
        "en": "{file}: no usable fix in the track ({n} rejected)",
    },
    "input_track_format": {
        "es": "{file}: '{format}' no es un formato de trayectoria ({formats})", "en": "{file}: '{format}' is not a track format ({formats})",
    },
    "input_track_has_forecast": {
        "es": "{file}: la trayectoria tiene posiciones pronosticadas (anticipación > 0); indique hazard.forecast: true",
        "en": "{file}: the track has forecast positions (lead time > 0); set hazard.forecast: true",
    },
    "input_atcf_no_forecast": {
        "es": "{file}: no hay líneas de pronóstico (solo {techs}); ¿es un b-deck? indique hazard.forecast: false",
        "en": "{file}: no forecast lines (only {techs}); is this a b-deck? set hazard.forecast: false",
    },
    "input_atcf_techniques": {
        "es": "{file}: varias técnicas de pronóstico ({techs}) y ninguna OFCL; deje una en el archivo",
        "en": "{file}: several forecast techniques ({techs}) and no OFCL; keep one in the file",
    },
    "input_atcf_no_best": {
        "es": "{file}: no hay líneas BEST; para un pronóstico a-deck indique hazard.forecast: true",
        "en": "{file}: no BEST lines; for an a-deck forecast set hazard.forecast: true",
    },
    "input_wind_model": {
        "es": "{file}: modelo de viento desconocido '{model}' (modelos: {models})", "en": "{file}: unknown wind model '{model}' (models: {models})",
    },
    "input_track_units": {
        "es": "{file}: el viento de una trayectoria está en nudos; los límites (bins) también deben estarlo (units: '{units}')",
        "en": "{file}: a track's wind is in kt; bins must be in kt too (units: '{units}')",
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
        if callable(getattr(value, "render", None)):  # a message as a parameter (a reject reason quoted in an error)
            value = value.render(lang)
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
_RECORD = re.compile(r"\b(row|feature|line) (\d+)")
_RECORD_WORDS = {"row": {"es": "fila", "en": "row"}, "feature": {"es": "elemento", "en": "feature"},
                 "line": {"es": "línea", "en": "line"}}


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
