"""Write a hazard footprint: its intensity as a COG and its classes as polygons, window by window.

A modelled footprint (a storm's wind swath, a sampled ShakeMap) lives on the
population grid, lazily; these writers compute it one Dask chunk at a time inside
the footprint's window (the chunks that can be non-zero), so a national grid is
never held in memory. ``geodisp footprint`` and ``geodisp run`` both use them.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

import dask
import dask.array as da
import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.features
import rasterio.shutil
import shapely
import xarray as xr
from affine import Affine
from rasterio.windows import Window

from geodisp.io import atomic_path
from geodisp.model.footprint import Footprint
from geodisp.zonal.grid import as_2d

__all__ = ["write_intensity_cog", "class_polygons", "full_window"]


def full_window(arr: xr.DataArray, window: Optional[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    """``window`` or, when None, the whole grid of ``arr``."""
    h, w = as_2d(arr).shape
    return window if window is not None else (0, 0, h, w)


class _BandWriter:
    """``target[rows, cols] = block`` for ``dask.array.store``: one window write per chunk."""

    def __init__(self, dataset: rasterio.io.DatasetWriter) -> None:
        self.dataset = dataset

    def __setitem__(self, key: tuple[slice, slice], block: np.ndarray) -> None:
        rows, cols = key
        window = Window(cols.start, rows.start, cols.stop - cols.start, rows.stop - rows.start)
        self.dataset.write(np.asarray(block), 1, window=window)


def write_intensity_cog(path: str | Path, intensity: xr.DataArray, window: Optional[tuple[int, int, int, int]],
                        description: str, units: Optional[str], blocksize: int = 512) -> Optional[Path]:
    """Write the intensity inside ``window`` as a Cloud-Optimized GeoTIFF (float32, DEFLATE, overviews).

    Chunks are computed and written one at a time into a tiled GeoTIFF, which GDAL
    then copies into COG layout; None (nothing written) when ``window`` is empty.
    """
    arr = as_2d(intensity, "intensity")
    r0, c0, h, w = full_window(arr, window)
    if h == 0 or w == 0:
        return None
    data = arr.data if isinstance(arr.data, da.Array) else da.from_array(np.asarray(arr.data), chunks=blocksize)
    data = data[r0:r0 + h, c0:c0 + w].astype("float32")
    transform = arr.rio.transform() @ Affine.translation(c0, r0)
    path = Path(path)
    with atomic_path(path) as tmp:
        tiled = tmp.with_name(tmp.name + ".tiles.tif")
        profile = {"driver": "GTiff", "width": w, "height": h, "count": 1, "dtype": "float32", "crs": arr.rio.crs,
                   "transform": transform, "nodata": float("nan"), "tiled": True, "blockxsize": blocksize,
                   "blockysize": blocksize, "compress": "DEFLATE", "BIGTIFF": "IF_SAFER"}
        try:
            with rasterio.open(tiled, "w", **profile) as dst:
                da.store(data, _BandWriter(dst), lock=threading.Lock())
                dst.set_band_description(1, description)
                if units:
                    dst.update_tags(1, units=units)
                    dst.update_tags(units=units)
            rasterio.shutil.copy(tiled, tmp, driver="COG", COMPRESS="DEFLATE", PREDICTOR="2", BLOCKSIZE=str(blocksize),
                                 OVERVIEWS="AUTO", OVERVIEW_RESAMPLING="AVERAGE", BIGTIFF="IF_SAFER")
        finally:
            tiled.unlink(missing_ok=True)
    return path


def _block_polygons(block: np.ndarray, transform: Affine) -> list[tuple[int, shapely.Geometry]]:
    arr = np.asarray(block).astype("uint8")
    if not arr.any():
        return []
    return [(int(v), shapely.geometry.shape(g)) for g, v in rasterio.features.shapes(arr, mask=arr > 0, transform=transform)]


def class_polygons(raster: xr.DataArray, window: Optional[tuple[int, int, int, int]] = None,
                   simplify_cells: float = 0.5) -> gpd.GeoDataFrame:
    """One (multi)polygon per class of a class raster, built chunk by chunk inside ``window``.

    Each chunk is polygonised on its own (GDAL's ``shapes``) and the pieces of a
    class are unioned across chunk seams. Outlines are simplified within
    ``simplify_cells`` of a cell (topology kept), which drops the staircase
    vertices of cell edges. Class 0 (outside) is left out. CRS: the raster's.
    """
    arr = as_2d(raster, "class raster")
    r0, c0, h, w = full_window(arr, window)
    data = arr.data if isinstance(arr.data, da.Array) else da.from_array(np.asarray(arr.data), chunks=2048)
    data = data[r0:r0 + h, c0:c0 + w]
    base = arr.rio.transform()
    tasks = []
    row = 0
    for i, bh in enumerate(data.chunks[0]):
        col = 0
        for j, bw in enumerate(data.chunks[1]):
            t = base @ Affine.translation(c0 + col, r0 + row)
            tasks.append(dask.delayed(_block_polygons)(data.blocks[i, j], t))
            col += bw
        row += bh
    pieces = [p for part in dask.compute(*tasks) for p in part]
    rows, geoms = [], []
    tolerance = simplify_cells * min(abs(base.a), abs(base.e))
    for cls in sorted({c for c, _ in pieces}):
        union = shapely.union_all([g for c, g in pieces if c == cls])
        rows.append(cls)
        geoms.append(shapely.simplify(union, tolerance, preserve_topology=True) if tolerance else union)
    return gpd.GeoDataFrame({"hazard_class": pd.Series(rows, dtype="int64")}, geometry=geoms, crs=arr.rio.crs)


def intensity_name(footprint: Footprint) -> str:
    """The file-name part for a footprint's intensity raster: ``wind_kt``, ``mmi``."""
    name = footprint.intensity.name if footprint.intensity is not None and footprint.intensity.name else "intensity"
    return str(name).lower()
