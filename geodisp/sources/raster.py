"""One band of a raster file, opened lazily on Dask chunks with its checks in one place.

Shared by the population and hazard readers.
"""
from __future__ import annotations

from pathlib import Path

import rasterio
import rioxarray  # noqa: F401  (registers the .rio accessor)
import xarray as xr

from geodisp.model.errors import InputError


def open_band(path: str | Path, chunks: int, name: str, what: str, crs_hint: str = "") -> xr.DataArray:
    """The one band of a raster as a lazy, masked (y, x) DataArray; InputError naming the file otherwise.

    ``name`` ("population", "hazard") and ``what`` the band should hold ("people per
    cell", "intensity") are for the messages; ``crs_hint`` ends the no-CRS message.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    try:
        # lock=False: each thread reads through its own GDAL handle, so chunks decode in parallel
        raw = rioxarray.open_rasterio(path, chunks={"band": 1, "y": chunks, "x": chunks}, masked=True, lock=False)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"{path}: cannot read as a raster ({exc})") from exc
    if raw.rio.crs is None:
        raise InputError(f"{path}: the {name} raster has no CRS{crs_hint}")
    if raw.sizes.get("band", 1) != 1:
        raise InputError(f"{path}: expected one band of {what}, found {raw.sizes['band']}")
    return raw.squeeze("band", drop=True)
