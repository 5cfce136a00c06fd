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

import pandas as pd

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
    r"fracc\.?|fraccionamiento|barrio|mz\.?|manzana|lote|lt\.?)\s[^0-9]{0,40}?(?:\d+|s/n)\b)|domicilio conocido",  # no capture groups: pandas warns on them
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


def find_personal(
    frame: pd.DataFrame, keep: list[str] | tuple[str, ...] = (), public: list[str] | tuple[str, ...] = ()
) -> dict[str, str]:
    """Columns of ``frame`` holding personal data → why ('header', or what content).

    ``public`` columns (a shelter's name, which is often a public building's address)
    are exempt from the header and address tests, not from CURP, e-mail or phone.
    """
    found: dict[str, str] = {}
    for column in frame.columns:
        if column == "geometry":
            continue
        if column not in keep and column not in public and personal_header(column):
            found[column] = "header"
            continue
        kind = personal_content(frame[column], address=column not in public)
        if kind:
            found[column] = kind
    return found


def strip_personal(
    frame: pd.DataFrame, keep: list[str] | tuple[str, ...] = (), public: list[str] | tuple[str, ...] = ()
) -> tuple[pd.DataFrame, list[str]]:
    """Drop personal columns; return the stripped frame and a note per dropped column.

    The notes name the column and why, never any value.
    """
    found = find_personal(frame, keep, public)
    notes = [
        f"dropped personal column '{column}' ({'by its name' if why == 'header' else f'holds {why} values'})"
        for column, why in found.items()
    ]
    return frame.drop(columns=list(found)), notes
