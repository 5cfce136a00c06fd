"""The GIDD table as HDX reads it: HXL hashtags that say what each number counts.

One ``figure`` column mixes people, households and dwellings, and a hashtag row has one
tag per column, so no tag could say what is counted. ``by_unit`` spreads the figures
into one column group per unit of measure, each tagged for what it counts (people:
``#affected+idps+ind``; households: ``#affected+idps+hh``; dwellings, which are not
people: ``#indicator+dwellings``), with ``+min`` / ``+max`` for the low and high ends.
"""
from __future__ import annotations

import pandas as pd

#: Unit of measure -> (column stem, HXL hashtag of the central figure).
UNIT_COLUMNS: dict[str, tuple[str, str]] = {
    "people": ("people", "#affected+idps+ind"),
    "households": ("households", "#affected+idps+hh"),
    "dwellings": ("dwellings", "#indicator+dwellings+num"),
}
FIGURE_PARTS = (("figure", ""), ("figure_low", "+min"), ("figure_high", "+max"))


def value_columns() -> dict[str, str]:
    """The per-unit value columns and their hashtags, in order."""
    out = {}
    for stem, tag in UNIT_COLUMNS.values():
        for part, suffix in FIGURE_PARTS:
            out[f"{part.replace('figure', stem)}"] = tag + suffix
    return out


def by_unit(gidd: pd.DataFrame) -> pd.DataFrame:
    """``gidd`` with ``figure`` / ``figure_low`` / ``figure_high`` spread into ``people``,
    ``people_low``, ..., ``dwellings_high`` by the row's ``unit`` (empty where another unit)."""
    out = gidd.copy()
    cols = list(out.columns)
    at = cols.index("figure") if "figure" in cols else len(cols)
    for unit, (stem, _) in UNIT_COLUMNS.items():
        mine = out["unit"] == unit
        for part, _ in FIGURE_PARTS:
            out[part.replace("figure", stem)] = out[part].where(mine)
    new = list(value_columns())
    rest = [c for c in cols if c not in ("figure", "figure_low", "figure_high")]
    return out[rest[:at] + new + rest[at:]]


def hashtags(table: pd.DataFrame, base: dict[str, str]) -> dict[str, str]:
    """Hashtags of every column: the per-unit value columns' own, the others' from ``base``."""
    return {**base, **value_columns()}
