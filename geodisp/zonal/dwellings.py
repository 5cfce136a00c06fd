"""Damaged dwellings per unit and damage level, from placed points and count tables."""
from __future__ import annotations

from typing import Optional

import geopandas as gpd
import pandas as pd

from geodisp.model.vocab import DAMAGE_LEVELS


def dwellings_per_unit(points: Optional[gpd.GeoDataFrame], counts: Optional[pd.DataFrame]) -> pd.DataFrame:
    """Damaged dwellings per (cvegeo, damage_level): points placed in units plus count tables.

    Rows sorted by unit, then by damage level from destroyed to none.
    """
    parts = []
    if points is not None and len(points):
        parts.append(points.groupby(["cvegeo", "damage_level"]).size().rename("dwellings").reset_index())
    if counts is not None and len(counts):
        parts.append(counts[["cvegeo", "damage_level", "dwellings"]])
    if not parts:
        return pd.DataFrame({"cvegeo": pd.Series(dtype=str), "damage_level": pd.Series(dtype=str), "dwellings": pd.Series(dtype=float)})
    table = pd.concat(parts, ignore_index=True).groupby(["cvegeo", "damage_level"], as_index=False)["dwellings"].sum()
    table["damage_level"] = pd.Categorical(table["damage_level"], categories=list(DAMAGE_LEVELS), ordered=True)
    return table.sort_values(["cvegeo", "damage_level"]).reset_index(drop=True).astype({"damage_level": str})
