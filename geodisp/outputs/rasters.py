"""Cloud-Optimized GeoTIFFs on the population grid: displaced people and exposed people.

Both rasters share the population raster's grid exactly (same cell size, same cell
edges, same CRS), cropped to the cells of the event's units so files stay small. Both
hold *people per cell*, so summing cells gives people (nothing is resampled):

- ``displaced``: each unit's central displaced figure spread over its cells in
  proportion to population (a cell's share is its people / the unit's people); NaN
  outside every unit and in units with no figure.
- ``exposed``: one band per hazard class, the people on cells of that class (0 on
  other cells); band ``k`` summed over a unit is that unit's ``exposed_class_k``.

Overviews are averages of people per cell (for display, not for summing).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import rasterio
import xarray as xr
from affine import Affine

from geodisp.io import atomic_path
from geodisp.outputs import i18n


def _values(da: xr.DataArray) -> np.ndarray:
    """The array's values in memory (computes a Dask-backed array once)."""
    return np.asarray(da.data.compute() if hasattr(da.data, "compute") else da.values)


def check_same_grid(a: xr.DataArray, b: xr.DataArray, what: str) -> None:
    """Stop loudly unless ``b`` is on exactly ``a``'s grid."""
    if a.shape != b.shape or not np.allclose(tuple(a.rio.transform())[:6], tuple(b.rio.transform())[:6]):
        raise ValueError(f"{what} is not on the population grid: shape {b.shape} vs {a.shape}, transform {b.rio.transform()} vs {a.rio.transform()}")


def unit_window(codes: Any) -> tuple[slice, slice]:
    """Rows and columns of the smallest window holding every cell of a unit (code > 0).

    ``codes`` may be a NumPy or Dask array: only the two 1-D reductions are computed,
    so a national grid is never loaded whole."""
    inside = codes > 0
    rows_any, cols_any = inside.any(axis=1), inside.any(axis=0)
    if hasattr(rows_any, "compute"):
        rows_any, cols_any = rows_any.compute(), cols_any.compute()
    rows = np.flatnonzero(np.asarray(rows_any))
    cols = np.flatnonzero(np.asarray(cols_any))
    if rows.size == 0:
        raise ValueError("no cell of the population grid lies in any unit")
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def displaced_per_cell(population: np.ndarray, codes: np.ndarray, keys: Mapping[int, str], displaced: Mapping[str, float]) -> tuple[np.ndarray, list[i18n.Note]]:
    """People displaced per cell: each unit's figure spread in proportion to population.

    Returns the array and notes naming units whose figure could not be placed (no
    populated cell on the grid).
    """
    pop = np.where(np.isfinite(population), population, 0.0)
    n = max(int(codes.max()), max(keys, default=0)) + 1  # units off the grid have codes beyond the window's
    unit_pop = np.bincount(codes.ravel(), weights=pop.ravel(), minlength=n)
    factor = np.full(n, np.nan)
    notes = []
    for code, key in keys.items():
        value = displaced.get(key)
        if value is None or not np.isfinite(value):
            continue
        if unit_pop[code] > 0:
            factor[code] = value / unit_pop[code]
        elif value > 0:
            notes.append(i18n.note("unit_not_drawn", key=key, value=f"{value:g}"))
        else:
            factor[code] = 0.0
    out = pop * factor[codes]
    out[codes == 0] = np.nan
    return out, notes


def exposed_per_class(population: np.ndarray, hazard: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """Bands of people per cell by hazard class (``classes`` order); NaN where population is."""
    return np.stack([np.where(hazard == k, population, np.where(np.isnan(population), np.nan, 0.0)) for k in classes])


def write_cog(path: str | Path, bands: np.ndarray, transform: Affine, crs: object, descriptions: Sequence[str], blocksize: int = 512) -> Path:
    """Write ``bands`` (band, row, col) as a COG: tiled, DEFLATE, overviews, NaN nodata."""
    bands = np.asarray(bands, dtype="float32")
    if bands.ndim == 2:
        bands = bands[np.newaxis]
    profile = {
        "driver": "COG", "width": bands.shape[2], "height": bands.shape[1], "count": bands.shape[0],
        "dtype": "float32", "crs": crs, "transform": transform, "nodata": float("nan"),
        "compress": "DEFLATE", "predictor": "2", "blocksize": blocksize,
        "overview_resampling": "AVERAGE", "overviews": "AUTO",
    }
    with atomic_path(path) as tmp:
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.write(bands)
            for i, d in enumerate(descriptions, start=1):
                dst.set_band_description(i, d)
            dst.update_tags(units="people per cell")
    return Path(path)


def write_rasters(
    out_dir: str | Path,
    stem: str,
    population: xr.DataArray,
    codes: xr.DataArray,
    keys: pd.Series,
    displaced: Mapping[str, float] | None,
    hazard: xr.DataArray | None,
    classes: Sequence[int] | None,
    blocksize: int = 512,
) -> tuple[dict[str, Path], list[i18n.Note]]:
    """Write ``<stem>_displaced.tif`` and ``<stem>_exposed.tif`` where their inputs exist."""
    out_dir = Path(out_dir)
    check_same_grid(population, codes, "zone raster")
    if hazard is not None:
        check_same_grid(population, hazard, "hazard raster")
    rows, cols = unit_window(codes.data)
    transform = population.rio.transform() @ Affine.translation(cols.start, rows.start)
    # only the units' window is brought into memory
    pop = _values(population[rows, cols]).astype("float64")
    code = _values(codes[rows, cols]).astype("int64")
    crs = population.rio.crs
    paths: dict[str, Path] = {}
    notes: list[i18n.Note] = []
    if displaced:
        arr, notes = displaced_per_cell(pop, code, dict(keys.items()), displaced)
        paths["displaced_raster"] = write_cog(out_dir / f"{stem}_displaced.tif", arr, transform, crs, ["displaced"], blocksize)
    else:
        notes.append(i18n.note("no_displaced_raster"))
    if hazard is not None and classes:
        bands = exposed_per_class(pop, _values(hazard[rows, cols]), classes)
        paths["exposed_raster"] = write_cog(out_dir / f"{stem}_exposed.tif", bands, transform, crs, [f"exposed_class_{k}" for k in classes], blocksize)
    else:
        notes.append(i18n.note("no_exposed_raster"))
    return paths, notes
