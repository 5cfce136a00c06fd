"""Hazard intensities read from class labels: "34-49 kt", "VII", "0.5-1.5 m", "Category 3".

A footprint whose classes come from a class field carries no numeric bounds, only
labels. When the labels state intensities, the exposure method uses them to pick
each class's rate from the intensity table instead of ranking the classes, which
silently gives the wrong rates when the classes do not span the table.

:func:`parse_label` reads one label; :func:`label_bounds` reads a footprint's
classes, and gives a bare threshold ("34", "50", "64" as in wind swaths) the next
class's threshold as its upper bound.
"""
from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple, Optional

import pandas as pd


class Bounds(NamedTuple):
    """Intensity bounds read from a label (NaN where open) and their unit (None if not said)."""

    lower: float
    upper: float
    units: Optional[str]


#: Unit spellings in labels → the unit names ``UNIT_FACTORS`` knows.
_UNITS: dict[str, str] = {
    "kt": "kt", "kts": "kt", "kn": "kt", "knot": "kt", "knots": "kt", "nudos": "kt", "nudo": "kt",
    "m/s": "m/s", "ms-1": "m/s", "mps": "m/s",
    "km/h": "km/h", "kmh": "km/h", "kph": "km/h", "km/hr": "km/h",
    "mph": "mph",
    "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "metros": "m", "metro": "m",
    "cm": "cm", "ft": "ft", "feet": "ft",
    "mmi": "mmi", "mercalli": "mmi",
}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12}
#: Saffir-Simpson categories (US National Hurricane Center), 1-minute sustained wind in kt.
SAFFIR_SIMPSON_KT: dict[str, tuple[float, float]] = {
    "ts": (34.0, 64.0), "1": (64.0, 83.0), "2": (83.0, 96.0), "3": (96.0, 113.0), "4": (113.0, 137.0),
    "5": (137.0, math.nan),
}

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"\s*(kts?|kn|knots?|nudos?|m/s|ms-1|mps|km/hr?|kmh|kph|mph|metres?|meters?|metros?|m|cm|ft|feet|mmi)?"
_RANGE = re.compile(rf"^{_NUMBER}{_UNIT}\s*(?:-|to|a|hasta)\s*{_NUMBER}{_UNIT}$")
_AT_LEAST = re.compile(rf"^(?:>=?|more than|at least|mas de|mayor (?:a|que)|desde)\s*{_NUMBER}{_UNIT}$")
_PLUS = re.compile(rf"^{_NUMBER}{_UNIT}\s*(?:\+|or more|y mas|o mas)$")
_BELOW = re.compile(rf"^(?:<=?|less than|below|menos de|menor (?:a|que)|hasta)\s*{_NUMBER}{_UNIT}$")
_SINGLE = re.compile(rf"^{_NUMBER}{_UNIT}$")
_ROMAN_RE = re.compile(r"^(?:mmi|mercalli|intensidad|intensity)?\s*([ivx]+)(?:\s*(?:-|to|a)\s*([ivx]+))?\+?$")
_CATEGORY = re.compile(r"^(?:saffir[- ]simpson\s*)?(?:category|categoria|cat\.?|h)\s*([1-5])$")
_STORM = re.compile(r"^(?:tropical storm|tormenta tropical|ts|tt)$")


def _plain(label: str) -> str:
    """Lower case, no accents, one spacing; dashes and >= / <= signs in ASCII."""
    text = str(label)
    for sign, ascii_sign in (("≥", ">="), ("≤", "<="), ("–", "-"), ("—", "-"), ("−", "-")):
        text = text.replace(sign, ascii_sign)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.strip().lower())


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _unit(*found: Optional[str]) -> Optional[str]:
    units = {_UNITS[u] for u in found if u}
    if len(units) > 1:
        return None
    return units.pop() if units else None


def parse_label(label: object) -> Optional[Bounds]:
    """The intensity bounds a class label states, or None when it states none.

    A bare number ("34 kt") is a threshold: its lower bound, upper NaN.
    Roman numerals are Modified Mercalli intensities; "Category 3" (Saffir-Simpson)
    and "tropical storm" are wind ranges in kt.
    """
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return None
    text = _plain(str(label))
    if not text:
        return None
    if m := _RANGE.match(text):
        units = _unit(m.group(2), m.group(4))
        if m.group(2) and m.group(4) and units is None:
            return None  # two different units: not a range we can read
        return Bounds(_num(m.group(1)), _num(m.group(3)), units)
    if m := (_AT_LEAST.match(text) or _PLUS.match(text)):
        return Bounds(_num(m.group(1)), math.nan, _unit(m.group(2)))
    if m := _BELOW.match(text):
        return Bounds(math.nan, _num(m.group(1)), _unit(m.group(2)))
    if m := _SINGLE.match(text):
        return Bounds(_num(m.group(1)), math.nan, _unit(m.group(2)))
    if m := _CATEGORY.match(text):
        lower, upper = SAFFIR_SIMPSON_KT[m.group(1)]
        return Bounds(lower, upper, "kt")
    if _STORM.match(text):
        return Bounds(*SAFFIR_SIMPSON_KT["ts"], "kt")
    if m := _ROMAN_RE.match(text):
        first = _ROMAN.get(m.group(1).upper())
        last = _ROMAN.get(m.group(2).upper()) if m.group(2) else first
        if first is None or last is None:
            return None
        return Bounds(float(first), float(last) + 1.0, "mmi")
    return None


def label_bounds(classes: pd.DataFrame, units: Optional[str] = None) -> pd.DataFrame:
    """``hazard_class``, ``lower``, ``upper``, ``units`` read from each class's label.

    Classes whose labels state nothing get NaN bounds. Labels that are only
    numbers count as intensities only when ``units`` (the footprint's unit) says
    what they measure and they are not the class numbers themselves ("1", "2",
    "3"). A bare threshold takes the next class's lower bound as its upper bound
    when the next class states one in the same unit, so "34", "50", "64" kt read
    as 34-50, 50-64 and 64 or more.
    """
    ordered = classes.sort_values("hazard_class").reset_index(drop=True)
    parsed = [parse_label(v) for v in ordered["label"]]
    numbers_only = [b is not None and b.units is None for b in parsed]
    class_numbers = [str(v).strip() == str(int(c)) for v, c in zip(ordered["label"], ordered["hazard_class"])]
    parsed = [
        None if b is None or (bare and (units is None or all(class_numbers))) else
        (b._replace(units=units) if bare else b)
        for b, bare in zip(parsed, numbers_only)
    ]
    rows = []
    for i, (cls, bounds) in enumerate(zip(ordered["hazard_class"], parsed)):
        if bounds is None:
            rows.append((int(cls), math.nan, math.nan, None))
            continue
        lower, upper, units = bounds
        nxt = parsed[i + 1] if i + 1 < len(parsed) else None
        if math.isnan(upper) and nxt is not None and not math.isnan(nxt.lower) and nxt.units == units \
                and nxt.lower > lower:
            upper = nxt.lower
        rows.append((int(cls), lower, upper, units))
    return pd.DataFrame(rows, columns=["hazard_class", "lower", "upper", "units"])
