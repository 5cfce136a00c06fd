"""Validate the coordinates typed into field forms: parse, check, fix only the unambiguous.

What arrives: decimal degrees ('17.55', '-99,5'), degrees-minutes-seconds strings
(`17°33'12.5"N`, '99 30 15 W', "17d33m12s"), empty cells, text, (0, 0) from a GPS
that never got a fix, and latitude/longitude typed into each other's column.

Mexico's latitude is always positive (about 14.5 to 32.7 N) and its longitude always
negative (about 86.7 to 118.4 W, islands included), so the two ranges do not overlap:
a pair that lies outside Mexico as given but inside when swapped can only be a swap,
and is fixed. A longitude typed without its minus sign (99.5 for -99.5) is only a
*candidate* fix here (``lon_sign``): the reader confirms it when the negated point
falls in the study area (the boundaries layer, within the declared state) and
rejects the record otherwise. 'S/C', 'sin coordenadas' and the like are missing.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from geodisp.sources.tables import is_missing, normalise_text

#: Generous bounding box of Mexico including its Pacific islands (lon_min, lat_min, lon_max, lat_max).
MEXICO_BBOX: tuple[float, float, float, float] = (-118.9, 14.3, -86.5, 33.0)

_DMS = re.compile(
    r"""^\s*(?P<h1>[NSEWO])?\s*
    (?P<deg>[-+]?\d+(?:[.,]\d+)?)
    (?:\s*(?:°|º|d|deg)\s*|\s*:\s*|\s+|(?=[NSEWO]|$))
    (?:(?P<min>\d+(?:[.,]\d+)?)
       (?:\s*(?:'|′|m|min)\s*|\s*:\s*|\s+|(?=[NSEWO]|$))
       (?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:"|″|''|s|sec)?\s*)?
    )?
    (?P<h2>[NSEWO])?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


#: Cell texts meaning "no coordinates" (normalised: lower case, no accents or punctuation).
MISSING_COORDINATES: frozenset[str] = frozenset(
    {"s c", "sc", "sin coordenadas", "sin coordenada", "sin coord", "sin ubicacion", "sin dato", "sin datos",
     "no disponible", "no aplica", "n a", "nd", "n d", "s d", "pendiente"}
)


def missing_coordinate(values: pd.Series) -> pd.Series:
    """True where a coordinate cell is empty or says there are none ('S/C', 'sin coordenadas')."""
    return is_missing(values) | values.astype(str).map(normalise_text).isin(MISSING_COORDINATES)


def is_dms(value: object) -> bool:
    """True when a cell is a degrees-minutes-seconds string rather than a decimal number."""
    text = "" if value is None else str(value).strip()
    if not text:
        return False
    try:
        float(text.replace(",", "."))
        return False
    except ValueError:
        return bool(_DMS.match(text)) and not math.isnan(parse_coordinate(text))


def parse_coordinate(value: object) -> float:
    """A coordinate cell → decimal degrees; NaN when empty or not a coordinate.

    Accepts decimals with a point or comma, and DMS with °/'/" or spaces, with the
    hemisphere letter before or after (N, S, E, W, and Spanish O for oeste).
    """
    if value is None:
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value) if np.isfinite(value) else math.nan
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        return float(text.replace(",", "."))
    except ValueError:
        pass
    match = _DMS.match(text)
    if not match:
        return math.nan
    deg = float(match["deg"].replace(",", "."))
    minutes = float(match["min"].replace(",", ".")) if match["min"] else 0.0
    seconds = float(match["sec"].replace(",", ".")) if match["sec"] else 0.0
    if minutes >= 60 or seconds >= 60:
        return math.nan
    value_deg = abs(deg) + minutes / 60 + seconds / 3600
    hemisphere = (match["h1"] or match["h2"] or "").upper()
    negative = deg < 0 or str(match["deg"]).startswith("-") or hemisphere in ("S", "W", "O")
    return -value_deg if negative else value_deg


def in_mexico(lon: np.ndarray | float, lat: np.ndarray | float) -> np.ndarray:
    """True where (lon, lat) falls inside :data:`MEXICO_BBOX`."""
    x0, y0, x1, y1 = MEXICO_BBOX
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def check_lonlat(lon: pd.Series, lat: pd.Series, allow_swap: bool = True) -> pd.DataFrame:
    """Validate parsed longitude/latitude (decimal degrees, NaN where unparsed).

    Returns a frame on the same index with ``lon``, ``lat`` (swapped back where the
    swap is unambiguous; negated where ``lon_sign``), ``coords_swapped`` and
    ``lon_sign`` (bool: a positive longitude whose negation lies in Mexico, to be
    confirmed by the caller) and ``reason`` (a message code, None when usable:
    ``missing_coordinates``, ``zero_coordinates`` or ``outside_mexico``).
    Unparseable text must be detected by the caller, which still has the raw cells.
    ``allow_swap=False`` for coordinates that came from a projected CRS, where a
    swap would have been caught by the projection, not by the ranges.
    """
    lon = lon.astype(float)
    lat = lat.astype(float)
    reason = pd.Series([None] * len(lon), index=lon.index, dtype=object)
    missing = lon.isna() | lat.isna()
    zero = ~missing & (lon == 0) & (lat == 0)
    inside = pd.Series(in_mexico(lon, lat), index=lon.index)
    swapped = ~missing & ~zero & ~inside & pd.Series(in_mexico(lat, lon), index=lon.index)
    if not allow_swap:
        swapped[:] = False
    sign = ~missing & ~zero & ~inside & ~swapped & (lon > 0) & pd.Series(in_mexico(-lon, lat), index=lon.index)
    if not allow_swap:
        sign[:] = False
    reason[missing] = "missing_coordinates"
    reason[zero] = "zero_coordinates"
    reason[~missing & ~zero & ~inside & ~swapped & ~sign] = "outside_mexico"
    out_lon = lon.where(~swapped, lat).where(~sign, -lon)
    out_lat = lat.where(~swapped, lon)
    return pd.DataFrame(
        {"lon": out_lon, "lat": out_lat, "coords_swapped": swapped.astype(bool), "lon_sign": sign.astype(bool),
         "reason": reason}
    )
