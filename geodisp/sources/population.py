"""Open a population raster (people per cell) lazily, as it is: never resampled.

WorldPop (EPSG:4326), GHS-POP (Mollweide, ESRI:54009) and HRSL GeoTIFF/COG files
are read window by window (one Dask chunk per window) as float32: nodata and
negative cells (some products write -99999 or -3.4e38 without declaring it) become
NaN so that sums skip them. Cells stay float32 (a cell's people need no more, and
reading them so is about twice as fast as rioxarray's masked float64); whoever sums
cells does so in float64 (the crosstab does) so that totals over millions of cells
do not lose people. A raster without a CRS cannot be overlaid on boundaries and is
an error, as is a raster with more than one band (which band holds people?).
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import rioxarray  # noqa: F401  (registers the .rio accessor)
import shapely
import xarray as xr

from geodisp.sources.messages import Message
from geodisp.sources.raster import open_float32


def open_population(path: str | Path, chunks: int = 1024) -> xr.DataArray:
    """People per cell as a lazy float32 DataArray (y, x), NaN where nodata or negative.

    ``chunks`` is the Dask block size in cells along each axis. The result keeps the
    file's grid, transform and CRS (``.rio.crs``), its name is the file stem and
    ``encoding["source"]`` the file.
    """
    path = Path(path)
    people = open_float32(path, chunks, "population", "people_per_cell", "hint_worldpop")
    people = people.rio.write_nodata(np.nan, encoded=False)
    people.name = path.stem
    return people


def coverage_notes(population: xr.DataArray, units: gpd.GeoDataFrame) -> list[Message]:
    """Notes listing units the population raster does not cover, wholly or in part.

    Compares each unit with the raster's extent (in the raster's CRS; no cell is
    read). A unit wholly outside gets no people from the overlay: it is listed, never
    silently zero; one partly outside gets only the people of its covered part.
    """
    x0, y0, x1, y1 = population.rio.bounds()
    extent = shapely.box(x0, y0, x1, y1)
    geoms = units.to_crs(population.rio.crs).geometry
    outside = ~geoms.intersects(extent)
    partly = ~outside & ~geoms.within(extent)
    notes = []
    if outside.any():
        notes.append(Message("units_uncovered", count=int(outside.sum()), keys=list(units["cvegeo"][outside])))
    if partly.any():
        notes.append(Message("units_partly_covered", count=int(partly.sum()), keys=list(units["cvegeo"][partly])))
    return notes
