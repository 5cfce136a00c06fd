"""One band of a raster file, opened lazily on Dask chunks with its checks in one place.

Shared by the population and hazard readers: ``open_band`` (rioxarray, masked, the
file's values) for class and intensity rasters, ``open_float32`` (plain windowed
float32 reads, faster) for the population.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import dask.array as da
import numpy as np
import rasterio
import rioxarray  # noqa: F401  (registers the .rio accessor)
import xarray as xr
from rasterio.windows import Window

from geodisp.model.errors import InputError


def open_band(path: str | Path, chunks: int, name: str, what: str, crs_hint: str = "") -> xr.DataArray:
    """The one band of a raster as a lazy, masked (y, x) DataArray; InputError naming the file otherwise.

    ``name`` ("population", "hazard") and ``what`` the band should hold ("people_per_cell",
    "intensity") are words of the readers' catalogue (``TERMS``) for the messages;
    ``crs_hint`` (a ``hint_...`` word) ends the no-CRS message.
    """
    path = Path(path)
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    try:
        # lock=False: each thread reads through its own GDAL handle, so chunks decode in parallel
        raw = rioxarray.open_rasterio(path, chunks={"band": 1, "y": chunks, "x": chunks}, masked=True, lock=False)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError.coded("input_not_raster", file=path, error=str(exc)) from exc
    if raw.rio.crs is None:
        raise InputError.coded("input_raster_no_crs", file=path, what=name, hint=crs_hint)
    if raw.sizes.get("band", 1) != 1:
        raise InputError.coded("input_raster_bands", file=path, band=what, n=raw.sizes["band"])
    return raw.squeeze("band", drop=True)


def band_units(path: str | Path) -> str | None:
    """The unit the raster file states for its band: GDAL's band unit type, else a ``units`` tag
    (band, then dataset); None when it states none."""
    with rasterio.open(path) as src:
        unit = src.units[0] if src.units else None
        tags = {**src.tags(), **src.tags(1)}
    return unit or tags.get("units") or tags.get("UNITS") or None


class BandWindows:
    """Band 1 of a raster file as an array-like whose slices are windowed float32 reads.

    What Dask needs to read a raster chunk by chunk without rioxarray's masked
    float64 chain: each ``[rows, cols]`` reads that window as float32, with cells
    equal to ``nodata`` and negative cells as NaN. Each read opens the file (cheap
    next to decoding a chunk), so it holds no GDAL handle, needs no lock and pickles
    to distributed workers as a path.
    """

    dtype = np.dtype("float32")
    ndim = 2

    def __init__(self, path: str | Path, height: int, width: int, nodata: float | None) -> None:
        self.path, self.nodata, self.shape = str(path), nodata, (height, width)

    def __getitem__(self, key: tuple[slice, slice]) -> np.ndarray:
        rows, cols = key
        r0, r1, _ = rows.indices(self.shape[0])
        c0, c1, _ = cols.indices(self.shape[1])
        with rasterio.open(self.path) as src:
            out = src.read(1, window=Window(c0, r0, c1 - c0, r1 - r0), out_dtype=self.dtype)
        if self.nodata is not None and not np.isnan(self.nodata):
            out[out == np.float32(self.nodata)] = np.nan
        out[out < 0] = np.nan
        return out


def open_float32(path: str | Path, chunks: int, name: str, what: str, crs_hint: str = "") -> xr.DataArray:
    """The one band of a raster as a lazy float32 (y, x) DataArray read in windows.

    Cell-centre ``y``/``x`` coordinates, ``.rio.crs`` and ``.rio.transform()`` as
    rioxarray gives them; NaN where nodata or negative. InputError naming the file
    when it is missing, unreadable, has no CRS or more than one band. ``encoding["source"]``
    is the file (where xarray's own readers put it), so a consumer that reads windows itself
    (exactextract) can open the file instead of computing the array.
    """
    path = Path(path)
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    try:
        with rasterio.open(path) as src:
            crs, t, count, height, width, nodata = src.crs, src.transform, src.count, src.height, src.width, src.nodata
    except rasterio.errors.RasterioIOError as exc:
        raise InputError.coded("input_not_raster", file=path, error=str(exc)) from exc
    if crs is None:
        raise InputError.coded("input_raster_no_crs", file=path, what=name, hint=crs_hint)
    if count != 1:
        raise InputError.coded("input_raster_bands", file=path, band=what, n=count)
    stat = path.stat()
    token = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{chunks}".encode()).hexdigest()[:16]
    data = da.from_array(BandWindows(path, height, width, nodata), chunks=(chunks, chunks), lock=False, asarray=False,
                         fancy=False, name=f"{name}-{token}", meta=np.array((), dtype=BandWindows.dtype))
    coords = {"y": t.f + t.e * (np.arange(height) + 0.5), "x": t.c + t.a * (np.arange(width) + 0.5)}
    out = xr.DataArray(data, dims=("y", "x"), coords=coords).rio.write_crs(crs).rio.write_transform(t)
    out.encoding["source"] = str(path)
    return out
