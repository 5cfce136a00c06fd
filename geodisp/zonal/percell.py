"""Per-cell outputs on the population grid, as lazy labelled Dask arrays.

The crosstab sums people per unit; the per-cell outputs keep them where they live,
on the population raster's own grid (same cells, never resampled). Nothing here
computes cells: every array is a Dask graph that the writer
(``geodisp.outputs.rasters``) streams block by block, so a national grid is bounded
by the chunk size as the overlay is.

- ``exposed``: people per cell on each hazard class, one band per class: the
  cell's people on its own class, 0 on the other classes, NaN where the population
  is nodata. Cropped to the cells of any class inside the units' window (outside
  it every band is 0), so band ``k`` summed over a unit is its people on class
  ``k`` in the crosstab.
- ``spread(cells, values)``: each unit's value spread over its cells in proportion
  to population (cell people / the unit's people on the grid), NaN outside every
  unit and in units without a value, so a unit's cells sum to its value. Cropped to
  the window of the units whose value is not zero (the others sum to 0 either way).

A cell belongs to the unit and class burnt at its centre, as in the crosstab.
Windows come from the units' bounding boxes (no pass over the grid); the hazard
window from one pass of two 1-D reductions over the class raster.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import dask
import dask.array as da
import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr
from affine import Affine
from pyproj import Transformer

from geodisp.zonal.grid import Grid, as_2d, on_grid_chunks

#: Cell type of the per-cell outputs (people per cell); whoever sums cells uses float64.
CELL_DTYPE = np.dtype("float32")

Window2D = tuple[slice, slice]


@dataclass(frozen=True)
class CellRaster:
    """A lazy per-cell raster on a window of the population grid.

    ``data``: (band, y, x) float32 Dask-backed DataArray; ``transform``: the window's
    (its upper-left cell is ``window``'s first row and column of the grid); ``bands``:
    one description per band.
    """

    data: xr.DataArray
    window: Window2D
    transform: Affine
    crs: Any
    bands: tuple[str, ...]


@dataclass(frozen=True)
class PerCell:
    """What the per-cell outputs of a run are made from; the overlay stage's product.

    ``population`` and ``codes``: the population and zone rasters (full grid, lazy);
    ``keys``: zone code (1..n) → cvegeo; ``unit_people``: people per cvegeo on the
    grid (the crosstab's float64 sums), the denominators of ``spread``;
    ``unit_windows``: per cvegeo the rows ``row0:row1`` and columns ``col0:col1`` of
    the grid its bounding box spans (empty when it lies off the grid); ``exposed``:
    people per class, None without hazard classes or when no class cell lies in a unit.
    """

    population: xr.DataArray
    codes: xr.DataArray
    keys: pd.Series
    unit_people: pd.Series
    unit_windows: pd.DataFrame
    grid: Grid
    exposed: CellRaster | None


def unit_windows(units: gpd.GeoDataFrame, grid: Grid) -> pd.DataFrame:
    """Per unit (index cvegeo) the grid rows ``row0:row1`` and columns ``col0:col1`` its
    bounding box spans, clipped to the grid; ``row0 == row1`` when it lies off the grid.

    Boxes are reprojected with densified edges, so a window holds every cell whose
    centre can lie in the unit (a superset: cells of other units are inside too).
    """
    if units.crs is None:
        raise ValueError("units have no CRS")
    b = units.geometry.bounds.to_numpy()
    if units.crs != grid.crs:
        to_grid = Transformer.from_crs(units.crs, grid.crs, always_xy=True)
        b = np.array([to_grid.transform_bounds(*row, densify_pts=21) if np.isfinite(row).all() else (np.nan,) * 4 for row in b])
    inv = ~grid.transform
    cols_a, rows_a = inv * (b[:, 0], b[:, 1])
    cols_b, rows_b = inv * (b[:, 2], b[:, 3])
    row0 = np.floor(np.minimum(rows_a, rows_b))
    row1 = np.ceil(np.maximum(rows_a, rows_b))
    col0 = np.floor(np.minimum(cols_a, cols_b))
    col1 = np.ceil(np.maximum(cols_a, cols_b))
    frame = pd.DataFrame({
        "row0": np.clip(np.nan_to_num(row0, nan=0), 0, grid.height), "row1": np.clip(np.nan_to_num(row1, nan=0), 0, grid.height),
        "col0": np.clip(np.nan_to_num(col0, nan=0), 0, grid.width), "col1": np.clip(np.nan_to_num(col1, nan=0), 0, grid.width),
    }, index=pd.Index(units["cvegeo"].astype(str).to_numpy(), name="cvegeo")).astype("int64")
    empty = (frame["row0"] >= frame["row1"]) | (frame["col0"] >= frame["col1"])
    frame.loc[empty, ["row1", "col1"]] = frame.loc[empty, ["row0", "col0"]].to_numpy()
    return frame


def union_window(windows: pd.DataFrame) -> Window2D | None:
    """The smallest window holding every non-empty window of ``windows``; None if none."""
    w = windows[(windows["row1"] > windows["row0"]) & (windows["col1"] > windows["col0"])]
    if w.empty:
        return None
    return slice(int(w["row0"].min()), int(w["row1"].max())), slice(int(w["col0"].min()), int(w["col1"].max()))


def nonzero_window(arr: Any) -> Window2D | None:
    """Rows and columns of the smallest window holding every non-zero cell of ``arr``.

    ``arr`` may be NumPy or Dask: only two 1-D reductions are computed (one pass)."""
    inside = arr != 0
    rows_any, cols_any = dask.compute(inside.any(axis=1), inside.any(axis=0))
    rows, cols = np.flatnonzero(np.asarray(rows_any)), np.flatnonzero(np.asarray(cols_any))
    if rows.size == 0:
        return None
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _offset(outer: Window2D, inner: Window2D) -> Window2D:
    """``inner`` (relative to ``outer``) as a window of the whole grid."""
    return (slice(outer[0].start + inner[0].start, outer[0].start + inner[0].stop),
            slice(outer[1].start + inner[1].start, outer[1].start + inner[1].stop))


def _labelled(data: da.Array, window: Window2D, grid: Grid, like: xr.DataArray, bands: Sequence[Any], name: str) -> xr.DataArray:
    rows, cols = window
    out = xr.DataArray(data, dims=("band", "y", "x"), name=name,
                       coords={"band": list(bands), "y": like["y"].values[rows], "x": like["x"].values[cols]})
    out.attrs["units"] = "people per cell"
    return out


def _exposed_block(p: np.ndarray, h: np.ndarray, classes: tuple[int, ...]) -> np.ndarray:
    out = np.zeros((len(classes),) + p.shape, dtype=CELL_DTYPE)
    for i, k in enumerate(classes):
        np.copyto(out[i], p, where=h == k, casting="unsafe")
    out[:, np.isnan(p)] = np.nan
    return out


def exposed_cells(population: xr.DataArray, hazard: xr.DataArray, classes: Sequence[int], window: Window2D) -> CellRaster | None:
    """People per cell on each hazard class over the class cells inside ``window``
    (lazy, float32, one band per class in ``classes`` order); None when no cell of
    ``window`` has a class."""
    pop, hz = as_2d(population, "population"), as_2d(hazard, "hazard raster")
    grid = Grid.of(pop, "population")
    grid.check_same(Grid.of(hz, "hazard raster"), "the hazard raster")
    rows, cols = window
    h = on_grid_chunks(hz, grid)
    inner = nonzero_window(h[rows, cols])
    if inner is None:
        return None
    win = _offset(window, inner)
    p = on_grid_chunks(pop, grid)[win]
    classes = tuple(int(k) for k in classes)
    data = da.map_blocks(_exposed_block, p, h[win], classes=classes, new_axis=0, chunks=((len(classes),),) + p.chunks,
                         dtype=CELL_DTYPE, meta=np.array((), dtype=CELL_DTYPE))
    return CellRaster(_labelled(data, win, grid, pop, classes, "exposed"), win, grid.window_transform(win[0].start, win[1].start),
                      grid.crs, tuple(f"exposed_class_{k}" for k in classes))


def per_cell(
    population: xr.DataArray,
    codes: xr.DataArray,
    keys: pd.Series,
    units: gpd.GeoDataFrame,
    unit_people: Mapping[str, float],
    hazard: xr.DataArray | None = None,
    classes: Sequence[int] | None = None,
) -> PerCell | None:
    """The per-cell arrays of a run; None when the population grid covers no unit.

    ``codes``/``keys``: the zone raster (``Zones.codes``/``Zones.keys``); ``units``:
    the boundaries (cvegeo, geometry); ``unit_people``: people per cvegeo from the
    crosstab; ``hazard``/``classes``: the class raster and the classes to band.
    """
    pop = as_2d(population, "population")
    grid = Grid.of(pop, "population")
    zone = as_2d(codes, "zone raster")
    grid.check_same(Grid.of(zone, "zone raster"), "the zone raster")
    windows = unit_windows(units, grid)
    window = union_window(windows)
    if window is None:
        return None
    people = pd.Series({str(k): float(v) for k, v in dict(unit_people).items()}, dtype="float64")
    exposed = exposed_cells(pop, hazard, classes, window) if hazard is not None and classes else None
    return PerCell(pop, zone, keys, people, windows, grid, exposed)


def _spread_block(p: np.ndarray, z: np.ndarray, factor: np.ndarray) -> np.ndarray:
    people = np.where(np.isnan(p), np.float32(0), p)
    return (people * factor[z])[np.newaxis].astype(CELL_DTYPE)


def spread(cells: PerCell, values: Mapping[str, float], name: str = "displaced") -> tuple[CellRaster | None, dict[str, float]]:
    """Each unit's value spread over its cells in proportion to population (lazy, float32).

    A cell's share is its people over its unit's people (``cells.unit_people``), so a
    unit's cells sum to its value. NaN outside every unit and in units whose value is
    missing or NaN; nodata cells inside a unit hold 0. The raster spans the units
    whose value is not zero (None when there are none). Also returns the units whose
    non-zero value could not be placed (no populated cell of theirs on the grid), by
    cvegeo, so the caller can say so.
    """
    n = int(cells.keys.index.max()) if len(cells.keys) else 0
    factor = np.full(n + 1, np.nan)
    not_drawn: dict[str, float] = {}
    drawn: list[str] = []
    for code, key in cells.keys.items():
        value = values.get(key)
        if value is None or not np.isfinite(value):
            continue
        people = float(cells.unit_people.get(key, 0.0))
        if value == 0:
            factor[code] = 0.0
        elif np.isfinite(people) and people > 0:
            factor[code] = value / people
            drawn.append(key)
        else:
            not_drawn[key] = float(value)
    window = union_window(cells.unit_windows.loc[cells.unit_windows.index.intersection(drawn)])
    if window is None:
        return None, not_drawn
    grid = cells.grid
    p, z = on_grid_chunks(cells.population, grid)[window], on_grid_chunks(cells.codes, grid)[window]
    data = da.map_blocks(_spread_block, p, z, factor=factor, new_axis=0, chunks=((1,),) + p.chunks,
                         dtype=CELL_DTYPE, meta=np.array((), dtype=CELL_DTYPE))
    out = _labelled(data, window, grid, cells.population, [name], name)
    return CellRaster(out, window, grid.window_transform(window[0].start, window[1].start), grid.crs, (name,)), not_drawn


