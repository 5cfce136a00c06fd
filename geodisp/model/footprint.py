"""The hazard footprint: ordered intensity classes as polygons or a class raster.

Both hazard readers (vector polygons, raster intensity) produce this one type, and
the overlay consumes only this type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import geopandas as gpd
import pandas as pd
import xarray as xr

CLASS_COLUMNS = ["hazard_class", "label", "lower", "upper"]


@dataclass(frozen=True)
class Footprint:
    """Hazard classes and where they apply.

    ``classes``: one row per class, ``hazard_class`` 1..n ordered by intensity
    (0 always means outside every class and is not listed), ``label``, and the
    intensity bounds ``lower``/``upper`` (NaN when the source is categorical).
    ``vector``: non-overlapping polygons with ``hazard_class`` (overlaps resolved to
    the highest class), or None. ``raster``: uint8 classes (0 outside), or None.
    Exactly one of ``vector`` and ``raster`` is set.
    """

    classes: pd.DataFrame
    vector: Optional[gpd.GeoDataFrame] = None
    raster: Optional[xr.DataArray] = None
    field: Optional[str] = None
    units: Optional[str] = None
    source: Optional[str] = None

    def __post_init__(self) -> None:
        if (self.vector is None) == (self.raster is None):
            raise ValueError("a Footprint has exactly one of vector or raster")
        missing = set(CLASS_COLUMNS) - set(self.classes.columns)
        if missing:
            raise ValueError(f"Footprint.classes lacks columns {sorted(missing)}")

    @property
    def n_classes(self) -> int:
        return int(len(self.classes))

    def label_of(self, hazard_class: int) -> str:
        """The label of a class; class 0 is 'not exposed'."""
        if hazard_class == 0:
            return "not exposed"
        row = self.classes.loc[self.classes["hazard_class"] == hazard_class]
        return str(row["label"].iloc[0])
