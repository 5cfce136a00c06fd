"""The hazard footprint: ordered intensity classes as polygons or a class raster.

Every hazard reader (vector polygons, raster intensity, a storm track's wind
swath, a ShakeMap grid) produces this one type, and the overlay consumes only this
type. ``classify`` and ``class_table`` are the one definition of how intensities
become classes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import geopandas as gpd
import numpy as np
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

    ``intensity``: the continuous field the classes come from (wind in kt, MMI),
    lazily, when the footprint was modelled or sampled onto the population grid, at
    the resolution it was computed (its own grid, e.g. the model lattice, whose
    bilinear interpolation the raster's cells were classified from); ``window``:
    ``(row_off, col_off, height, width)`` of the raster outside which it is 0
    (None: anywhere).
    ``forecast``: the hazard has not happened (a forecast track, a scenario
    ShakeMap): figures from it are anticipatory, never observed. ``records``: input
    records it was built from, when not its polygons (a track's fixes).
    """

    classes: pd.DataFrame
    vector: Optional[gpd.GeoDataFrame] = None
    raster: Optional[xr.DataArray] = None
    field: Optional[str] = None
    units: Optional[str] = None
    source: Optional[str] = None
    intensity: Optional[xr.DataArray] = None
    window: Optional[tuple[int, int, int, int]] = None
    forecast: bool = False
    records: Optional[int] = None

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


def classify(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Class of each value for lower-inclusive ``edges``: 1..n inside, 0 outside or NaN.

    The class is the number of edges at or below the value (one comparison pass per
    edge, in the values' own dtype against the edges as float64: no float64 copy of
    a float32 raster), 0 when that is every edge.
    """
    values = np.asarray(values)
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype("float64")
    classes = np.zeros(values.shape, dtype="uint8")
    for edge in edges:
        np.add(classes, values >= np.float64(edge), out=classes, casting="unsafe")
    classes[classes >= len(edges)] = 0
    return classes


def format_edge(x: float) -> str:
    """A class edge as people read it: ``34``, ``6.5``, ``inf``."""
    return "inf" if math.isinf(x) else f"{x:g}"


def edge_labels(edges: Sequence[float]) -> list[str]:
    """``"34-64"`` ... ``">=137"``: labels of the classes between ``edges``."""
    return [f"{format_edge(lo)}-{format_edge(hi)}" if not math.isinf(hi) else f">={format_edge(lo)}"
            for lo, hi in zip(edges[:-1], edges[1:])]


def class_table(edges: Optional[Sequence[float]], labels: Optional[Sequence[str]] = None) -> pd.DataFrame:
    """The ``classes`` table: classes 1..n with labels and bounds.

    With ``edges`` the classes are the intervals between them (labels default to
    the ranges); without, ``labels`` name categorical classes, lowest first.
    """
    edges = [float(e) for e in edges] if edges is not None else None
    if labels is None:
        if edges is None:
            raise ValueError("class_table needs edges or labels")
        labels = edge_labels(edges)
    n = len(labels)
    return pd.DataFrame(
        {
            "hazard_class": np.arange(1, n + 1, dtype="int64"),
            "label": [str(x) for x in labels],
            "lower": edges[:-1] if edges else [np.nan] * n,
            "upper": edges[1:] if edges else [np.nan] * n,
        },
        columns=CLASS_COLUMNS,
    )
