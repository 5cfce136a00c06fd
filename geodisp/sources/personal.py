"""Find and drop personal data (names, CURP, RFC, phone, e-mail, street address) at read time.

Damage censuses and shelter lists often carry the head of household's name, CURP,
phone and address. geodisp needs none of it, so readers drop those columns before
anything else happens: they never reach a frame, a rejects reason, a log or an output.

A column is personal when its header says so (:data:`PERSONAL_HEADERS`, matched on
normalised header words) or when any of its cells looks like a CURP, an RFC, an
e-mail address or a phone number. Columns the caller needs (coordinates, damage
level, a shelter's name) are passed as ``keep`` and exempt from the header test;
a kept column whose *content* is personal is still dropped, and the caller is told.

Content tests cannot catch every name typed into a free-text column; the second line
of defence is that readers return only the columns their contract lists, so free
text (observaciones) never reaches a frame, a rejects reason or an output.
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

from geodisp.sources.messages import Message
from geodisp.sources.tables import normalise_header

#: Header words that mark a personal column (normalised: lower case, no accents).
PERSONAL_HEADERS: frozenset[str] = frozenset(
    {
        "nombre", "nombres", "apellido", "apellidos", "paterno", "materno", "ap_paterno",
        "ap_materno", "apellido_paterno", "apellido_materno", "jefe_de_familia",
        "jefe_familia", "propietario", "beneficiario", "titular", "responsable",
        "name", "first_name", "last_name", "surname", "full_name", "owner", "contact",
        "curp", "rfc", "ine", "clave_elector", "telefono", "tel", "celular", "movil",
        "phone", "mobile", "correo", "email", "e_mail", "mail", "correo_electronico",
        "domicilio", "direccion", "calle", "numero_exterior", "num_ext", "num_int",
        "numero_interior", "address", "street", "colonia", "codigo_postal", "cp",
        "zip", "zipcode", "postal_code", "fecha_nacimiento", "birth_date", "edad", "age",
        "sexo", "sex", "firma", "signature",
    }
)
#: Header fragments that mark a personal column wherever they appear in the header.
PERSONAL_FRAGMENTS: tuple[str, ...] = (
    "curp", "telefono", "celular", "correo", "email", "domicilio", "direccion", "apellido",
    "phone", "address", "nombre_del_jefe", "nombre_jefe", "nombre_propietario",
    "nombre_beneficiario", "nombre_completo",
)

CURP = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b", re.IGNORECASE)
RFC = re.compile(r"\b[A-Z&Ñ]{4}\d{6}[A-Z0-9]{3}\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# a street word followed by a number or 's/n' ('Calle Morelos 12', 'Av. Juárez #5', 'Domicilio conocido')
ADDRESS = re.compile(
    r"(?:\b(?:calle|c\.|av\.?|avenida|andador|privada|priv\.|callej[oó]n|carretera|km\.?|col\.|colonia|"
    r"fracc\.?|fraccionamiento|barrio|mz\.?|manzana|lote|lt\.?)\s[^0-9]{0,40}?(?:\d+|s/n)\b)|domicilio conocido",
    re.IGNORECASE,
)
# 10-digit Mexican numbers written with separators or a +52 prefix, or 10 bare digits
PHONE = re.compile(
    r"^\s*(\+?52[\s-]?)?(\(?\d{2,3}\)?[\s.-]?\d{3,4}[\s.-]?\d{4})\s*$"
)


def personal_header(name: object) -> bool:
    """True when a column header names personal data."""
    key = normalise_header(name)
    if key in PERSONAL_HEADERS:
        return True
    return any(fragment in key for fragment in PERSONAL_FRAGMENTS)


def personal_content(values: pd.Series, address: bool = True) -> str | None:
    """What personal data a column holds ('CURP', 'RFC', 'e-mail', 'address', 'phone'), or None."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return None
    if text.str.contains(CURP).any():
        return "CURP"
    if text.str.contains(EMAIL).any():
        return "e-mail"
    if text.str.contains(RFC).any():
        return "RFC"
    if address and text.str.contains(ADDRESS).any():
        return "address"
    phone = text.str.match(PHONE)
    # bare numbers: only call them phones when they look like phones (10 digits) in most cells
    digits = text.str.replace(r"\D", "", regex=True)
    has_separators = text.str.contains(r"[\s().+-]") & ~text.str.contains(r"^-?\d+(?:[.,]\d+)?$")
    if (phone & has_separators & digits.str.len().between(10, 12)).any():
        return "phone"
    if (phone & (digits.str.len() == 10)).mean() > 0.5:
        return "phone"
    return None


def personal_kind(value: object) -> str | None:
    """What personal data one cell holds ('CURP', 'RFC', 'e-mail', 'phone', 'address'), or None."""
    text = "" if value is None else str(value).strip()
    if not text or _DECIMAL.fullmatch(text):  # '17.550000001', '-99,5': a number, not a phone
        return None
    if CURP.search(text):
        return "CURP"
    if EMAIL.search(text):
        return "e-mail"
    if RFC.search(text):
        return "RFC"
    if ADDRESS.search(text):
        return "address"
    if PHONE.match(text) and 10 <= len(re.sub(r"\D", "", text)) <= 12:
        return "phone"
    if _EMBEDDED_PHONE.search(text):
        return "phone"
    return None


_DECIMAL = re.compile(r"[+-]?\d+[.,]\d+")
# a phone number inside longer text: 'Albergue DIF, tel. 744 123 4567'
_EMBEDDED_PHONE = re.compile(r"(?<![\d.,])(\+?52[\s-]?)?\(?\d{2,3}\)?[\s.-]\d{3,4}[\s.-]?\d{4}(?![\d.,])")
# words after which a shelter or facility name goes on to name a person or a phone
_CONTACT_MARKERS = re.compile(
    r"[,;(\-–]?\s*\b(resp\.?|responsable|encargad[oa]|contacto|coordinador[a]?|director[a]?|dir\.|a cargo de|tel\.?|tel[eé]fono|cel\.?|celular|"
    r"whatsapp|c\.|profr?a?\.?|lic\.?|ing\.?|sr\.?|sra\.?)(\s|:|$).*$",
    re.IGNORECASE,
)
#: What replaces a personal value wherever a value would be quoted.
REDACTED = "[***]"


def redact_text(value: object) -> tuple[object, bool]:
    """A public name (shelter, facility) without the person or contact it may carry.

    Cuts everything from a contact marker on ('Albergue Escuela 5 - resp. Ana Ruiz
    744 123 4567' → 'Albergue Escuela 5'), then replaces any CURP, RFC, e-mail or
    phone left with :data:`REDACTED`. Returns the text and whether it changed.
    """
    if not isinstance(value, str) or not value.strip():
        return value, False
    text = _CONTACT_MARKERS.sub("", value).strip(" ,;-–(")
    for pattern in (CURP, EMAIL, RFC, _EMBEDDED_PHONE):
        text = pattern.sub(REDACTED, text)
    text = text.strip()
    return text, text != value.strip()


#: Words that carry no meaning of their own in a name or label.
_STOPWORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "e", "en", "con", "sin", "por", "a"})


#: Common Mexican given names and surnames (normalised), the markers of a person's name in free text.
GIVEN_NAMES: frozenset[str] = frozenset("""
    jose juan maria ana luis carlos jorge miguel pedro francisco antonio manuel jesus javier alejandro
    fernando ricardo roberto eduardo sergio raul arturo alberto enrique mario hector oscar rafael daniel
    david martin guadalupe rosa patricia leticia elena laura silvia adriana gabriela veronica monica
    claudia teresa margarita josefina alicia beatriz lucia carmen isabel sofia fernanda andrea diana
    norma sandra yolanda araceli lorena karla alma irma marta martha gloria angelica esperanza raquel
    alejandra mariana valeria ximena xochitl noe ivan gil ema eva sara abel ruben ramon salvador
""".split())
SURNAMES: frozenset[str] = frozenset("""
    hernandez garcia martinez lopez gonzalez perez rodriguez sanchez ramirez cruz flores gomez morales
    vazquez reyes jimenez torres diaz gutierrez ruiz mendoza aguilar ortiz moreno castillo romero alvarez
    mendez chavez rivera juarez ramos dominguez herrera medina castro vargas guzman velazquez munoz rojas
    contreras salazar luna ortega santiago estrada bautista delgado soto nava rios paz sosa mar
""".split())
#: Words that carry no meaning of their own in a name or label.
_STOPWORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "e", "en", "con", "sin", "por", "a"})


def looks_like_name(text: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether free text may be a person's name: two to five words, a given name first or a surname in it.

    Text whose words are all in ``vocabulary`` (the reader's own words: damage terms,
    the official unit names, where 'Pedro Ascencio Alquisiras' is a municipio) is
    not. A heuristic for quoting in messages, never a licence to keep a column.
    """
    words = [normalise_header(w) for w in text.split()]
    if not 2 <= len(words) <= 5 or not all(re.fullmatch(r"[^\W\d_]+\.?", w) for w in text.split()):
        return False
    content = [w for w in words if w not in _STOPWORDS]
    if all(w in vocabulary for w in content):
        return False
    return words[0] in GIVEN_NAMES or any(w in SURNAMES for w in words)


def quote(value: object, vocabulary: frozenset[str] | set[str] = frozenset(), limit: int = 40) -> str:
    """A cell value fit for a message: ``'17.5x'`` quoted, or :data:`REDACTED` when it may be personal.

    Redacted: anything the detectors call personal (CURP, RFC, e-mail, phone,
    address) and text that looks like a person's name (:func:`looks_like_name`, where
    ``vocabulary`` holds the reader's own words, e.g. damage terms). Long values are
    cut to ``limit`` characters.
    """
    text = "" if value is None else str(value).strip()
    if personal_kind(text) or looks_like_name(text, vocabulary):
        return REDACTED
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def personal_cells(values: pd.Series) -> pd.Series:
    """Per cell, what personal data it holds (see :func:`personal_kind`), else None."""
    return values.map(personal_kind)


def find_personal(
    frame: pd.DataFrame, keep: list[str] | tuple[str, ...] = (), public: list[str] | tuple[str, ...] = ()
) -> dict[str, str]:
    """Columns of ``frame`` holding personal data → why ('header', or what content).

    ``keep`` columns (the ones the event maps: coordinates, level, id, unit, name) are
    never listed: their offending cells are the caller's to reject or redact
    (:func:`personal_cells`). ``public`` columns are exempt from the header test too.
    """
    found: dict[str, str] = {}
    for column in frame.columns:
        if column == "geometry" or column in keep or column in public:
            continue
        if personal_header(column):
            found[column] = "header"
            continue
        kind = personal_content(frame[column])
        if kind:
            found[column] = kind
    return found


def strip_personal(
    frame: pd.DataFrame, keep: list[str] | tuple[str, ...] = (), public: list[str] | tuple[str, ...] = ()
) -> tuple[pd.DataFrame, list[Message]]:
    """Drop personal columns other than ``keep``/``public``; return the frame and a note per dropped column.

    The notes name the column and why, never any value.
    """
    found = find_personal(frame, keep, public)
    notes = [
        Message("personal_column_dropped", column=column, why="header") if why == "header"
        else Message("personal_column_content", column=column, kind=why)
        for column, why in found.items()
    ]
    return frame.drop(columns=list(found)), notes


# --- personal data inside the id and name fields geodisp keeps -------------------------

# The last line of defence at the output edge (geodisp.outputs.privacy), the log and the
# terminal: any text, not only a name column, scanned for data embedded anywhere in it.
#: A phone number inside text: 10 digits (optionally +52), in groups separated by spaces, dots or dashes.
PHONE_IN_TEXT = re.compile(r"(?<![\w])(\+?52[\s.-]?)?(\(?\d{2,3}\)?[\s.-]?\d{3,4}[\s.-]?\d{4})(?![\w])")
#: Words that introduce a person in a name field ('resp. María López', 'encargada: ...'); the rest of the part goes.
PERSON_MARKER = re.compile(
    r"\b(resp(?:onsable)?|encargad[oa]|a\s+cargo\s+de|contacto|coordinador(?:a)?|atiende|jef[ea]|director(?:a)?|"
    r"propietari[oa]|due[ñn][oa]|tel(?:[eé]fono)?|cel(?:ular)?|whats(?:app)?|c\.)\b\.?:?\s*[^,;()|/\[\]]*",
    re.IGNORECASE,
)
#: Words of public places: a part starting with one is a place name ('Escuela Benito Juárez'), not a person.
PLACE_WORDS = frozenset(
    """albergue escuela primaria secundaria telesecundaria preparatoria bachillerato jardin kinder preescolar
    centro casa salon auditorio gimnasio unidad deportiva domo iglesia parroquia templo capilla hospital
    clinica hotel palacio dif instituto colegio universidad cbtis cobach conalep cecyt biblioteca mercado
    cancha estadio modulo refugio comisaria comedor plaza parque club cruz bodega municipio municipal
    ejido colonia col fraccionamiento barrio localidad comunidad""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_PARTS = re.compile(r"([,;()|/\[\]]+)")


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower().strip(".")


def _person_run(part: str) -> tuple[int, int] | None:
    """Where a person's name sits in one part of a text: a common given name then two or more
    capitalised words, not after a word of a public place ('Escuela José María Morelos')."""
    words = list(_WORD.finditer(part))
    for i, w in enumerate(words):
        if _fold(w.group()) in PLACE_WORDS:
            return None
        if _fold(w.group()) in GIVEN_NAMES and w.group()[0].isupper():  # the readers' list of given names
            j = i + 1
            while j < len(words) and (words[j].group()[0].isupper() or _fold(words[j].group()) in {"de", "del", "la", "los", "y"}):
                j += 1
            if j - i >= 3:
                return w.start(), words[j - 1].end()
    return None


def scrub_text(value: object, names: bool = True) -> object:
    """``value`` with embedded CURP, RFC, e-mail, phone and (``names``) marked or given-name-led person names
    replaced by :data:`REDACTED`; non-text values are returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    text = CURP.sub(REDACTED, value)
    text = EMAIL.sub(REDACTED, text)
    text = RFC.sub(REDACTED, text)
    text = PHONE_IN_TEXT.sub(REDACTED, text)
    if names:
        text = PERSON_MARKER.sub(REDACTED, text)
        pieces = _PARTS.split(text)
        for k, part in enumerate(pieces):
            span = _person_run(part)
            if span:
                pieces[k] = part[: span[0]] + REDACTED + part[span[1]:]
        text = "".join(pieces)
    return re.sub(rf"(\s*{re.escape(REDACTED)}\s*)+", f" {REDACTED} ", text).strip() if text != value else value


def looks_like_person_name(value: object) -> bool:
    """An id that is only words (two or more, no digit): a person's name typed where a folio belongs."""
    return isinstance(value, str) and not re.search(r"\d", value) and len(_WORD.findall(value)) >= 2


def scrub_id(value: object) -> object | None:
    """An id (folio, clave) with personal data in it → None (the caller falls back to the record name)."""
    if not isinstance(value, str):
        return value
    if scrub_text(value, names=False) != value or looks_like_person_name(value):
        return None
    return value


def scrub_series(values: pd.Series, kind: str = "text", fallback: pd.Series | None = None) -> pd.Series:
    """``values`` with personal data redacted, each distinct value scanned once.

    ``kind``: ``"id"`` (a value holding personal data is replaced by ``fallback``, the
    record name), ``"name"`` (a shelter's or facility's name: embedded data and person
    names redacted), ``"official"`` (an official unit name: CURP, RFC, e-mail and phone
    only, since some municipios are named after people) or ``"text"`` (as ``"name"``).
    """
    if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
        return values
    distinct = pd.unique(values.dropna())
    if kind == "id":
        mapping = {v: scrub_id(v) for v in distinct}
        out = values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
        changed = values.notna() & out.isna()
        if changed.any():
            out = out.astype(object)
            out[changed] = fallback[changed] if fallback is not None else REDACTED
        return out
    names = kind != "official"
    mapping = {v: scrub_text(v, names=names) for v in distinct}
    if all(k is v or k == v for k, v in mapping.items()):
        return values
    return values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
