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
import rioxarray  # noqa: F401  (registers the .rio accessor)
import xarray as xr

from geodisp.sources.raster import open_band


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
