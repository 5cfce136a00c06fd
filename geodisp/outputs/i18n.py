"""The language a person reads: one validated :class:`Language` object handed to every writer.

``language("es")`` checks the code once and returns a ``Language`` that renders the
writers' catalogue (``geodisp.outputs.catalogue``), field aliases, vocabulary codes,
dates and numbers, and the readers' reject and note codes (``geodisp.sources.messages``,
when present). Writers take the object, never a bare ``lang`` string, so a language
is validated in one place and every text comes from one catalogue.

Messages travel through tables as codes with parameters (:class:`Message`, written
``code?name=value&...`` in a cell) and are rendered at the edge, in the chosen language.
Column names in tables and layers are stable codes and are *not* translated; their
aliases are.
"""
from __future__ import annotations

import datetime as dt
import importlib
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from geodisp.model.messages import PLURALS, Message, encode, is_one, split  # noqa: F401  (is_one re-exported)
from geodisp.outputs.catalogue import CATALOGUE, LANGS

DEFAULT_LANG = LANGS[0]

#: The catalogue by language (``MESSAGES["es"]["map_title"]``).
MESSAGES: dict[str, dict[str, str]] = {lang: {k: v[i] for k, v in CATALOGUE.items()} for i, lang in enumerate(LANGS)}

#: Field aliases (what QGIS shows instead of a column code), ``column: (es, en)``.
#: Pattern columns (``exposed_class_<n>``, ``*_low``, ``displaced_<group>``...) are
#: built by :meth:`Language.field_alias`.
_ALIASES: dict[str, tuple[str, str]] = {
    "fid": ("Identificador interno", "Internal identifier"),
    "cvegeo": ("Clave geoestadística (CVEGEO)", "Geostatistical key (CVEGEO)"),
    "name": ("Nombre", "Name"),
    "level": ("Nivel", "Level"),
    "displaced": ("Personas desplazadas (central)", "People displaced (central)"),
    "displaced_low": ("Personas desplazadas (mínimo)", "People displaced (low)"),
    "displaced_high": ("Personas desplazadas (máximo)", "People displaced (high)"),
    "evacuated": ("Personas evacuadas", "People evacuated"),
    "evacuated_households": ("Hogares (familias) evacuados, como se reportaron",
                             "Households (families) evacuated, as reported"),
    "sheltered_peak": ("Personas en albergues (máximo)", "People in shelters (peak)"),
    "sheltered_person_days": ("Personas-día en albergues", "Person-days in shelters"),
    "sheltered_last_date": ("Última fecha con reporte de albergues", "Last date with a shelter report"),
    "households_affected": ("Hogares afectados", "Households affected"),
    "households_displaced": ("Hogares desplazados", "Households displaced"),
    "displaced_housing": ("Desplazados según vivienda", "Displaced, housing method"),
    "displaced_exposure": ("Desplazados según exposición", "Displaced, exposure method"),
    "exposed": ("Personas expuestas (total)", "People exposed (total)"),
    "method": ("Método", "Method"),
    "source": ("Fuente", "Source"),
    "decided_by": ("Cifra decidida por", "Figure decided by"),
    "flag": ("Alerta", "Flag"),
    "flag_reason": ("Motivo de la alerta", "Flag reason"),
    "decided_source": ("Fuente de la cifra decidida", "Source of the decided figure"),
    "evidence": ("Evidencia", "Evidence"),
    "modelled": ("Cifra modelada", "Modelled figure"),
    "forecast": ("Pronóstico (cifra anticipatoria)", "Forecast (anticipatory figure)"),
    "term": ("Término (IDMC)", "Term (IDMC)"),
    "category": ("Categoría (flujo o stock)", "Category (flow or stock)"),
    "role": ("Papel de la cifra", "Role of the figure"),
    "quantifier": ("Cuantificador", "Quantifier"),
    "reported_unit": ("Unidad reportada", "Reported unit"),
    "household_size": ("Tamaño del hogar", "Household size"),
    "calculation": ("Cálculo", "Calculation"),
    "start_date": ("Fecha de inicio", "Start date"),
    "end_date": ("Fecha de fin", "End date"),
    "start_date_accuracy": ("Precisión de la fecha de inicio", "Start date accuracy"),
    "end_date_accuracy": ("Precisión de la fecha de fin", "End date accuracy"),
    "reported": ("Cifra en la unidad reportada", "Figure in the reported unit"),
    "evacuations": ("Registros de evacuación", "Evacuation records"),
    "shelters": ("Registros de albergues", "Shelter records"),
    "damage": ("Registros de daños a la vivienda", "Housing damage records"),
    "in_footprint": ("Dentro de la huella de la amenaza", "In the hazard footprint"),
    "detail": ("Detalle", "Detail"),
    "central_rounded": ("Central redondeada (como IDMC)", "Central rounded (as IDMC)"),
    "model_ratio": ("Modelo ÷ cifra recomendada", "Model ÷ recommended figure"),
    "displaced_observed": ("Personas desplazadas, observado (central)", "People displaced, observed (central)"),
    "dwelling_id": ("Identificador de vivienda", "Dwelling identifier"),
    "damage_level": ("Nivel de daño", "Damage level"),
    "damage_label": ("Daño", "Damage"),
    "hazard_class": ("Clase de amenaza", "Hazard class"),
    "label": ("Etiqueta", "Label"),
    "lower": ("Intensidad mínima", "Lower intensity"),
    "upper": ("Intensidad máxima", "Upper intensity"),
    "shelter_id": ("Identificador de albergue", "Shelter identifier"),
    "peak_occupants": ("Ocupación máxima", "Peak occupancy"),
    "capacity": ("Capacidad reportada", "Reported capacity"),
    "over_capacity": ("Sobrecupo (ocupación mayor que la capacidad)", "Over capacity (occupants above capacity)"),
    "over_capacity_dates": ("Fechas con sobrecupo", "Dates over capacity"),
    "last_date": ("Última fecha reportada", "Last date reported"),
    "occupants_last_date": ("Ocupación en la última fecha", "Occupancy on last date"),
    "record": ("Registro de origen", "Source record"),
    "dwellings_destroyed": ("Viviendas destruidas", "Dwellings destroyed"),
    "dwellings_severe": ("Viviendas con daño severo", "Dwellings with severe damage"),
    "dwellings_partial": ("Viviendas con daño parcial", "Dwellings with partial damage"),
    "dwellings_minor": ("Viviendas con daño menor", "Dwellings with minor damage"),
    "metric": ("Métrica", "Metric"),
    "event_id": ("Identificador del evento", "Event identifier"),
    "event_name": ("Nombre del evento", "Event name"),
    "glide": ("Número GLIDE", "GLIDE number"),
    "hazard_category": ("Categoría de amenaza (IDMC)", "Hazard category (IDMC)"),
    "hazard_type": ("Tipo de amenaza (IDMC)", "Hazard type (IDMC)"),
    "hazard_subtype": ("Subtipo de amenaza (IDMC)", "Hazard subtype (IDMC)"),
    "iso3": ("País (ISO 3166-1 alfa-3)", "Country (ISO 3166-1 alpha-3)"),
    "admin1_name": ("Entidad", "State"),
    "admin1_code": ("Clave de entidad", "State code"),
    "admin2_name": ("Municipio", "Municipality"),
    "admin2_code": ("Clave de municipio", "Municipality code"),
    "people": ("Personas (central)", "People (central)"),
    "people_low": ("Personas (mínimo)", "People (low)"),
    "people_high": ("Personas (máximo)", "People (high)"),
    "households": ("Hogares (central)", "Households (central)"),
    "dwellings": ("Viviendas (central)", "Dwellings (central)"),
    "date": ("Fecha de la estimación", "Date of the estimate"),
    "figure": ("Cifra (central)", "Figure (central)"),
    "figure_low": ("Cifra (mínimo)", "Figure (low)"),
    "figure_high": ("Cifra (máximo)", "Figure (high)"),
    "low": ("Mínimo", "Low"),
    "central": ("Central", "Central"),
    "high": ("Máximo", "High"),
    "unit": ("Unidad de medida", "Unit of measure"),
    "reason": ("Motivo", "Reason"),
    "reason_code": ("Código del motivo", "Reason code"),
    "file": ("Archivo", "File"),
    # the year layers (geodisp year)
    "events": ("Eventos (flujos)", "Events (flows)"),
    "stock": ("Stock al 31 de diciembre", "Stock on 31 December"),
    "outline": ("Contorno", "Outline"),
    "cve_ent": ("Clave de estado", "State key"),
    "stock_low": ("Stock al 31 de diciembre (mínimo)", "Stock on 31 December (low)"),
    "stock_high": ("Stock al 31 de diciembre (máximo)", "Stock on 31 December (high)"),
}
FIELD_ALIASES: dict[str, dict[str, str]] = {lang: {k: v[i] for k, v in _ALIASES.items()} for i, lang in enumerate(LANGS)}

_PATTERNS: dict[str, tuple[str, str]] = {
    "exposed_class_": ("Personas expuestas, clase {n}", "People exposed, class {n}"),
    "dwellings_": ("Viviendas: {level}", "Dwellings: {level}"),
    "displaced_": ("Personas desplazadas: {group}", "People displaced: {group}"),
    "facilities_": ("Equipamientos: {kind}", "Facilities: {kind}"),
    "facilities_class_": ("Equipamientos: {kind}, clase {n}", "Facilities: {kind}, class {n}"),
    "_low": ("{base} (mínimo)", "{base} (low)"),
    "_high": ("{base} (máximo)", "{base} (high)"),
    "other": ("Campo «{code}»", "Field “{code}”"),
}

_MONTHS: dict[str, tuple[str, ...]] = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a catalogue language, else raise naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    return lang


# --------------------------------------------------------------------------- messages as data


#: A note on something not written: a catalogue key (``note_...``) and its values.
Note = tuple[str, dict]


def note(what: str, /, **values: object) -> Note:
    """A note for the report, translated only when shown (see :meth:`Language.note`)."""
    if f"note_{what}" not in CATALOGUE:
        raise KeyError(f"no message note_{what}")
    return (what, values)


def _readers_render() -> Any:
    """The readers' ``render(code, params, lang)`` (``geodisp.sources.messages``), or None."""
    try:
        module = importlib.import_module("geodisp.sources.messages")
    except ImportError:
        return None
    return getattr(module, "render", None)


# --------------------------------------------------------------------------- the language object


@dataclass(frozen=True)
class Language:
    """A validated catalogue language; everything a writer shows a person goes through it."""

    code: str = DEFAULT_LANG

    def __post_init__(self) -> None:
        check_lang(self.code)

    def __str__(self) -> str:
        return self.code

    # -- catalogue ---------------------------------------------------------
    def t(self, key: str, /, **values: object) -> str:
        """The message ``key``, ``{placeholders}`` filled from ``values``."""
        text = MESSAGES[self.code][key]
        return PLURALS.vformat(text, (), values) if values else text

    def has(self, key: str) -> bool:
        return key in CATALOGUE

    def note(self, n: Note) -> str:
        """A note on something not written, in this language."""
        key, values = n
        return self.t(f"note_{key}", **values)

    def term(self, prefix: str, code: Any) -> str:
        """A vocabulary code (``hazard_<code>``, ``method_<code>``, ``role_<code>``); the code when unknown."""
        key = f"{prefix}_{code}"
        return self.t(key) if key in CATALOGUE else str(code)

    def damage_label(self, level: str) -> str:
        """Readable name of a damage level code (``destroyed``, ``severe``...)."""
        return self.term("damage", level)

    def bool(self, value: Any) -> str:
        """``sí`` / ``no`` (``yes`` / ``no``)."""
        return self.t("yes" if bool(value) else "no")

    def message(self, message: Any, params: Mapping[str, Any] | None = None) -> str:
        """Render a message: a :class:`Message`, a cell ``code?name=value``, or a code and ``params``.

        The writers' catalogue is tried first, then the readers' catalogue
        (``geodisp.sources.messages.render``); text that is neither (older free text)
        is returned as it is.
        """
        if message is None or (isinstance(message, float) and math.isnan(message)):
            return ""
        if callable(getattr(message, "render", None)) and hasattr(message, "code"):  # a reader's Message renders itself
            return str(message.render(self.code))
        if isinstance(message, tuple) and len(message) == 2 and isinstance(message[1], Mapping):
            message, params = message
        msg = message if isinstance(message, Message) else Message.parse(str(message)) if params is None else Message(str(message), dict(params))
        for key in (msg.code, f"note_{msg.code}"):
            if key in CATALOGUE:
                return self.t(key, **self._params(msg.params))
        render = _readers_render()
        if render is not None:
            try:
                return str(render(msg.code, dict(msg.params), self.code))
            except KeyError:
                pass
        return str(message)

    def messages(self, cell: Any) -> str:
        """Render a cell of several messages (``geodisp.model.messages.join``), each in this language, joined by ``; ``."""
        return "; ".join(self.message(m) for m in split(cell))

    def _params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Parameters made readable: ``figures`` (``metric:value;...``) becomes aliased metrics and counts;
        ``metric`` its alias, ``damage`` a damage level's name, ``hazard`` a hazard type's name,
        ``weights`` (``level:low/central/high,...``) named levels, ``choices`` (``a|b|c``) quoted and
        joined with the language's "or", ``size_source``
        (``census:<key>``, ``parent:<key>``, ``default``, comma-separated) said in words."""
        out = dict(params)
        if "metric" in out:
            out["metric"] = self.field_alias(str(out["metric"]))
        if "damage" in out:
            out["damage"] = self.damage_label(str(out["damage"]))
        if "hazard" in out:
            out["hazard"] = self.term("hazard", out["hazard"]) if out["hazard"] else "–"
        if "weights" in out:
            out["weights"] = ", ".join(f"{self.damage_label(level)} {values}" for level, _, values in
                                       (w.partition(":") for w in str(out["weights"]).split(",") if w))
        if "choices" in out:
            items = [f"'{c}'" for c in str(out["choices"]).split("|") if c]
            out["choices"] = (", ".join(items[:-1]) + f" {self.t('word_or')} " + items[-1]) if len(items) > 1 else "".join(items)
        if "size_source" in out:
            out["size_source"] = ", ".join(self._size_source(s.strip()) for s in str(out["size_source"]).split(",") if s.strip())
        if "figures" in out:
            parts = []
            for item in str(out["figures"]).split(";"):
                metric, _, value = item.partition(":")
                if metric:
                    parts.append(f"{self.field_alias(metric)} {self.number(float(value), rounded=False) if value else '–'}")
            out["figures"] = ", ".join(parts)
        return out

    def _size_source(self, source: str) -> str:
        kind, _, key = source.partition(":")
        return self.t(f"calc_size_{kind}", key=key) if f"calc_size_{kind}" in CATALOGUE else source

    # -- fields --------------------------------------------------------------
    def field_alias(self, column: str) -> str:
        """The alias QGIS shows for a layer column; every column gets one in this language."""
        i = LANGS.index(self.code)
        if column in _ALIASES:
            return _ALIASES[column][i]
        pat = {k: v[i] for k, v in _PATTERNS.items()}
        for suffix in ("_low", "_high"):
            if column.endswith(suffix) and len(column) > len(suffix):
                return pat[suffix].format(base=self.field_alias(column[: -len(suffix)]))
        m = re.fullmatch(r"exposed_class_(\d+)", column)
        if m:
            return pat["exposed_class_"].format(n=m.group(1))
        m = re.fullmatch(r"facilities_(.+?)_class_(\d+)", column)
        if m:
            return pat["facilities_class_"].format(kind=m.group(1).replace("_", " "), n=m.group(2))
        if column.startswith("facilities_"):
            return pat["facilities_"].format(kind=column[len("facilities_"):].replace("_", " "))
        if column.startswith("dwellings_"):
            return pat["dwellings_"].format(level=self.damage_label(column[len("dwellings_"):]))
        if column.startswith("displaced_") and f"group_{column[len('displaced_'):]}" in CATALOGUE:
            return pat["displaced_"].format(group=self.t(f"group_{column[len('displaced_'):]}"))
        return pat["other"].format(code=column)

    # -- numbers and dates ---------------------------------------------------
    def number(self, value: Any, rounded: bool = True) -> str:
        """A number as shown to people (``rounding.format_number``)."""
        from geodisp.outputs.rounding import format_number

        return format_number(value, self.code, rounded=rounded)

    def count(self, value: Any) -> str:
        """An observed count, exact, with thousands separators; ``–`` when missing."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return f"{int(round(float(value))):,}"

    def date(self, day: dt.date | None) -> str:
        """``22 de octubre de 2025`` / ``22 October 2025``."""
        if day is None:
            return "–"
        return self.t("date_long", d=day.day, month=_MONTHS[self.code][day.month - 1], year=day.year)

    def date_range(self, start: dt.date | None, end: dt.date | None) -> str:
        """``22 al 25 de octubre de 2025`` / ``22–25 October 2025``; one date when ``end`` is none or the same."""
        if start is None:
            return self.date(end)
        if end is None or end == start:
            return self.date(start)
        months = _MONTHS[self.code]
        if (start.year, start.month) == (end.year, end.month):
            return self.t("date_range_same_month", d1=start.day, d2=end.day, month=months[start.month - 1], year=start.year)
        if start.year == end.year:
            return self.t("date_range_same_year", d1=start.day, m1=months[start.month - 1], d2=end.day, m2=months[end.month - 1], year=start.year)
        return self.t("date_range", date1=self.date(start), date2=self.date(end))

    def local_time(self, when: dt.datetime) -> str:
        """``1 de diciembre de 2026, 16:30 (hora local, UTC-06:00)``."""
        when = when if when.tzinfo is not None else when.astimezone()
        offset = when.strftime("%z") or "+0000"
        return self.t("local_time", date=self.date(when.date()), time=when.strftime("%H:%M"), offset=f"{offset[:3]}:{offset[3:]}")


def language(lang: "str | Language | None" = None) -> Language:
    """The validated language: a ``Language`` as it is, a code checked once, None for Spanish."""
    if isinstance(lang, Language):
        return lang
    return Language(DEFAULT_LANG if lang is None else str(lang))


def pretty_label(text: Any) -> str:
    """A class label as typeset: ``>=83 kt`` → ``≥83 kt``, ``<=`` → ``≤``, ``-`` between numbers → ``–``."""
    s = str(text).replace(">=", "≥").replace("<=", "≤")
    return re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", s)


# --------------------------------------------------------------------------- thin functional forms


def t(key: str, lang: "str | Language" = DEFAULT_LANG, /, **values: object) -> str:
    """``language(lang).t(key, **values)``."""
    return language(lang).t(key, **values)


def note_text(n: Note, lang: "str | Language" = DEFAULT_LANG) -> str:
    """The note in ``lang``."""
    return language(lang).note(n)


def term(prefix: str, code: str, lang: "str | Language" = DEFAULT_LANG) -> str:
    """A translated vocabulary code; the code when unknown."""
    return language(lang).term(prefix, code)


def damage_label(level: str, lang: "str | Language" = DEFAULT_LANG) -> str:
    """Readable name of a damage level code."""
    return language(lang).damage_label(level)


def field_alias(column: str, lang: "str | Language" = DEFAULT_LANG) -> str:
    """The alias QGIS shows for a layer column."""
    return language(lang).field_alias(column)
