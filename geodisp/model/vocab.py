"""Shared vocabulary: unit levels, damage levels, hazard types, sentinel keys.

One place for the words every stage uses, so sources, overlay, estimate and
outputs agree on spelling and order.
"""
from __future__ import annotations

#: CVEGEO key length for each INEGI level (Marco Geoestadístico).
LEVEL_KEY_LENGTH: dict[str, int] = {"ent": 2, "mun": 5, "loc": 9, "ageb": 13}
#: Levels from coarsest to finest.
LEVELS: tuple[str, ...] = ("ent", "mun", "loc", "ageb")

#: Normalised damage levels, most to least severe. ``uninhabitable``: the damage census
#: declares the dwelling uninhabitable (Spanish "inhabitable", "no habitable", "pérdida de
#: habitabilidad") without calling it destroyed; IDMC's 'uninhabitable housing', which
#: converts into displacements as destroyed housing does.
DAMAGE_LEVELS: tuple[str, ...] = ("destroyed", "uninhabitable", "severe", "partial", "minor", "none")

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

#: INEGI entidad keys → names (Marco Geoestadístico 2020).
STATE_NAMES: dict[str, str] = {
    "01": "Aguascalientes", "02": "Baja California", "03": "Baja California Sur", "04": "Campeche",
    "05": "Coahuila de Zaragoza", "06": "Colima", "07": "Chiapas", "08": "Chihuahua",
    "09": "Ciudad de México", "10": "Durango", "11": "Guanajuato", "12": "Guerrero",
    "13": "Hidalgo", "14": "Jalisco", "15": "México", "16": "Michoacán de Ocampo",
    "17": "Morelos", "18": "Nayarit", "19": "Nuevo León", "20": "Oaxaca", "21": "Puebla",
    "22": "Querétaro", "23": "Quintana Roo", "24": "San Luis Potosí", "25": "Sinaloa",
    "26": "Sonora", "27": "Tabasco", "28": "Tamaulipas", "29": "Tlaxcala",
    "30": "Veracruz de Ignacio de la Llave", "31": "Yucatán", "32": "Zacatecas",
}


def level_of_key(key: str) -> str:
    """Return the level ('ent', 'mun', 'loc', 'ageb') a CVEGEO key belongs to."""
    for level, n in LEVEL_KEY_LENGTH.items():
        if len(key) == n:
            return level
    raise ValueError(f"not a CVEGEO key (length {len(key)}): {key!r}")


def parent_key(key: str, level: str) -> str:
    """The key of ``key``'s ancestor at ``level`` (a prefix of the key)."""
    return key[: LEVEL_KEY_LENGTH[level]]
