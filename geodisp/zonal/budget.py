"""The cell budget: the most raster cells the overlay will read.

The overlay reads every cell of the population raster (people outside every unit are
counted as outside, so none are lost) and every cell of a hazard raster aligned to it.
A small file can claim an enormous grid (a sparse GeoTIFF of 1 MB may declare 10^12
cells), and the overlay would then plan and walk a million chunks while memory grows.
So a raster with more cells than ``overlay.max_cells`` (default 10^10, about three
times a national 1" grid of Mexico's bounding box) is refused before any work, naming
the file, its size, the setting that raises the budget, and a window to clip it to.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import xarray as xr

from geodisp.model.errors import InputError


def check_cell_budget(raster: xr.DataArray, path: str | Path, max_cells: int, yaml_path: str,
                      units: gpd.GeoDataFrame | None = None) -> None:
    """Raise ``InputError`` (exit 2) when ``raster`` has more than ``max_cells`` cells.

    Only the raster's shape is read, never its values. ``units`` (the boundaries) give
    the window to clip to, in the raster's CRS, in the message.
    """
    height, width = int(raster.sizes["y"]), int(raster.sizes["x"])
    cells = height * width
    if cells <= max_cells:
        return
    clip = {}
    if units is not None and raster.rio.crs is not None and len(units):
        left, bottom, right, top = units.to_crs(raster.rio.crs).total_bounds
        clip = {"bounds": f"{left:.6f} {bottom:.6f} {right:.6f} {top:.6f}"}
    raise InputError.coded("err_raster_budget_clip" if clip else "err_raster_budget", file=path, yaml_path=yaml_path,
                           width=f"{width:,}", height=f"{height:,}", cells=f"{cells:,}", budget=f"{max_cells:,}", **clip)
