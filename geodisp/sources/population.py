"""Open a population raster (people per cell) lazily, as it is: never resampled.

WorldPop (EPSG:4326), GHS-POP (Mollweide, ESRI:54009) and HRSL GeoTIFF/COG files
are opened with rioxarray on Dask chunks. Nodata and negative cells (some products
write -99999 or -3.4e38 without declaring it) become NaN so that sums skip them;
values are float64 so that sums over millions of cells do not lose people to
float32 rounding. A raster without a CRS cannot be overlaid on boundaries and is an
error, as is a raster with more than one band (which band holds people?).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
import rioxarray  # noqa: F401  (registers the .rio accessor)
import xarray as xr

from geodisp.errors import InputError


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


def open_population(path: str | Path, chunks: int = 1024) -> xr.DataArray:
    """People per cell as a lazy float64 DataArray (y, x), NaN where nodata or negative.

    ``chunks`` is the Dask block size in cells along each axis. The result keeps the
    file's grid, transform and CRS (``.rio.crs``), and its name is the file stem.
    """
    path = Path(path)
    raw = open_band(path, chunks, "population", "people per cell", "; set one (e.g. EPSG:4326 for WorldPop)")
    people = raw.astype("float64")
    people = people.where(people >= 0)  # NaN stays NaN; negatives become NaN
    people = people.rio.write_crs(raw.rio.crs)
    people = people.rio.write_nodata(np.nan, encoded=False)
    people.name = path.stem
    people.attrs.update({"source": str(path), "units": "people per cell"})
    return people
