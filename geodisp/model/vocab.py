"""Shared vocabulary: unit levels, damage levels, hazard types, sentinel keys.

One place for the words every stage uses, so sources, overlay, estimate and
outputs agree on spelling and order.
"""
from __future__ import annotations

#: CVEGEO key length for each INEGI level (Marco Geoestadístico).
LEVEL_KEY_LENGTH: dict[str, int] = {"ent": 2, "mun": 5, "loc": 9, "ageb": 13}
#: Levels from coarsest to finest.
LEVELS: tuple[str, ...] = ("ent", "mun", "loc", "ageb")

#: Normalised damage levels, most to least severe.
DAMAGE_LEVELS: tuple[str, ...] = ("destroyed", "severe", "partial", "minor", "none")

#: Hazard types, IDMC / IRDR peril terms.
HAZARD_TYPES: tuple[str, ...] = (
    "tropical_cyclone",
    "flood",
    "earthquake",
    "landslide",
    "storm_surge",
    "volcanic_eruption",
    "wildfire",
)

#: Key used in overlay tables for people on cells outside every unit.
OUTSIDE_KEY = "outside"

#: Projected CRS for areas and distances in Mexico (ITRF2008 / LCC).
MEXICO_CRS = "EPSG:6372"

#: Censo 2020 national average occupants per inhabited private dwelling.
NATIONAL_HOUSEHOLD_SIZE = 3.6

ISO3 = "MEX"


def level_of_key(key: str) -> str:
    """Return the level ('ent', 'mun', 'loc', 'ageb') a CVEGEO key belongs to."""
    for level, n in LEVEL_KEY_LENGTH.items():
        if len(key) == n:
            return level
    raise ValueError(f"not a CVEGEO key (length {len(key)}): {key!r}")


def parent_key(key: str, level: str) -> str:
    """The key of ``key``'s ancestor at ``level`` (a prefix of the key)."""
    return key[: LEVEL_KEY_LENGTH[level]]
