"""Rounding for display: what a person reads is rounded, what a table keeps is raw.

Rule (stated in every report through ``i18n`` key ``rounding_note``): values below
1,000 are shown to the nearest 10, values from 1,000 up to the nearest 100. A total
is rounded from the raw total, never summed from rounded parts, so a rounded total
may differ from the sum of the rounded rows shown beside it, and that is intended.
"""
from __future__ import annotations

import math
from typing import Iterable

#: Values at or above this are rounded to ``LARGE_STEP``; below it to ``SMALL_STEP``.
THRESHOLD = 1000
SMALL_STEP = 10
LARGE_STEP = 100


def display_step(value: float) -> int:
    """The rounding step for ``value``: 10 below 1,000, 100 from 1,000 up."""
    return LARGE_STEP if abs(value) >= THRESHOLD else SMALL_STEP


def round_display(value: float | None) -> int | None:
    """``value`` rounded to its display step, half away from zero; None for NaN/None.

    Half away from zero (not Python's banker's rounding) so 25 shows as 30, as
    people expect from a printed table.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    step = display_step(value)
    q = abs(value) / step
    rounded = int(math.floor(q + 0.5)) * step
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
