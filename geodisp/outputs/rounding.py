"""Rounding for display, as IDMC publishes its figures; what a table keeps is raw.

IDMC's rule (Helix ``utils.common.round_and_remove_zero``, used for the GIDD's
``*_rounded`` columns): values up to 100 are shown as they are (here: to the whole
person), up to 1,000 to the nearest 10, below 10,000 to the nearest 100, and from
10,000 up to the nearest 1,000. Halves go to the even neighbour, as Python's
``round`` does in Helix: the GIDD publishes 3,250 as 3,200 and 25,185 as 25,000
(HDX export of the GIDD, ``OCHA-DAP/hdx-scraper-idmc-gidd`` test fixtures), so
our rounded figures match IDMC's line by line.

A total is rounded from the raw total, never summed from rounded parts, so a
rounded total may differ from the sum of the rounded rows shown beside it, and
that is intended (stated in every report through ``i18n`` key ``rounding_note``).
"""
from __future__ import annotations

import math
from typing import Iterable

#: (largest value, step) pairs, smallest first: up to 100 to the unit, up to 1,000 to 10,
#: below 10,000 to 100; above that, ``TOP_STEP``.
STEPS: tuple[tuple[float, int, bool], ...] = ((100, 1, True), (1000, 10, True), (10000, 100, False))
TOP_STEP = 1000


def display_step(value: float) -> int:
    """The rounding step for ``value``: 1 up to 100, 10 up to 1,000, 100 below 10,000, else 1,000."""
    size = abs(value)
    for limit, step, inclusive in STEPS:
        if size < limit or (inclusive and size == limit):
            return step
    return TOP_STEP


def round_display(value: float | None) -> int | None:
    """``value`` rounded to its display step, halves to the even neighbour (as IDMC); None for NaN/None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    step = display_step(value)
    rounded = round(abs(value) / step) * step
    return int(math.copysign(rounded, value)) if rounded else 0


def rounded_total(values: Iterable[float | None]) -> int | None:
    """The display total of raw ``values``: sum first (NaN skipped), then round."""
    raw = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not raw:
        return None
    return round_display(math.fsum(raw))


def format_number(value: float | None, lang: str = "es", rounded: bool = True) -> str:
    """A number as shown to people: rounded (unless told not to), with thousands commas.

    Mexican Spanish and English both write thousands with a comma (12,300), so the
    format is the same for both catalogue languages; NaN shows as an en dash.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    shown = round_display(value) if rounded else int(round(value))
    return f"{shown:,}"
