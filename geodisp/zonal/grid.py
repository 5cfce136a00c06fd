"""The population grid and lazy, chunk-by-chunk rasterisation onto it.

Everything in the overlay happens on the population raster's own grid: vectors are
reprojected to it and burnt into it, never the other way round, so people are
conserved. ``Grid`` describes that grid (CRS, transform, shape, Dask chunks);
``burn`` rasterises polygons onto it one chunk at a time, so memory is bounded by
the chunk size, and chunks that no polygon's bounding box touches are plain
``zeros`` (no task, nothing to read or rasterise).

Cell assignment: a cell belongs to a polygon when the cell's *centre* is inside it
(GDAL's rasterisation rule, ``all_touched=False``). Where polygons overlap or a
centre lies exactly on a shared edge, the polygon burnt *last* wins; callers choose
the order (see ``zones`` and ``crosstab``).
"""
from __future__ import annotations

import itertools
import math
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import dask
import dask.array as da
import numpy as np
import rasterio.features
import shapely
import xarray as xr
from affine import Affine
from rasterio.crs import CRS


class GridMismatchError(ValueError):
    """Two rasters that must share one grid (CRS, transform, shape) do not."""


def as_2d(arr: xr.DataArray, what: str = "raster") -> xr.DataArray:
    """Drop a length-1 ``band`` dimension; refuse anything that is not (y, x)."""
    if "band" in arr.dims:
        if arr.sizes["band"] != 1:
            raise ValueError(f"{what} has {arr.sizes['band']} bands; the overlay needs one")
        arr = arr.isel(band=0, drop=True)
    if arr.ndim != 2:
        raise ValueError(f"{what} must be 2-D (y, x), has dims {arr.dims}")
    return arr


@dataclass(frozen=True)
class Grid:
    """A raster grid: CRS, affine transform, shape and Dask chunking (rows, cols)."""

    crs: CRS
    transform: Affine
    height: int
    width: int
    row_chunks: tuple[int, ...]
    col_chunks: tuple[int, ...]

    @classmethod
    def of(cls, arr: xr.DataArray, what: str = "raster") -> "Grid":
        """The grid of a rioxarray DataArray (CRS required)."""
        arr = as_2d(arr, what)
        crs = arr.rio.crs
        if crs is None:
            raise ValueError(f"{what} has no CRS; set one (rio.write_crs) before the overlay")
        h, w = arr.shape
        if arr.chunks is not None:
            rows, cols = (tuple(c) for c in arr.chunks)
        else:
            rows, cols = (h,), (w,)
        return cls(CRS.from_user_input(crs), arr.rio.transform(), h, w, rows, cols)

    def token(self) -> str:
        """Text that identifies the grid (not its chunking), for content hashes."""
        t = self.transform
        coeffs = ",".join(repr(float(v)) for v in (t.a, t.b, t.c, t.d, t.e, t.f))
        return f"{self.crs.to_wkt()}|{coeffs}|{self.height}x{self.width}"

    def same_grid(self, other: "Grid") -> bool:
        """True when CRS, shape and transform agree (to 1e-9 of a cell)."""
        if (self.height, self.width) != (other.height, other.width):
            return False
        if self.crs != other.crs:
            return False
        tol = 1e-9 * max(abs(self.transform.a), abs(self.transform.e))
        return all(
            abs(a - b) <= tol for a, b in zip(self.transform[:6], other.transform[:6])
        )

    def describe(self) -> str:
        t = self.transform
        return (
            f"{self.height}x{self.width} cells, origin ({t.c}, {t.f}), "
            f"cell ({t.a}, {t.e}), CRS {self.crs.to_string()}"
        )

    def check_same(self, other: "Grid", what: str) -> None:
        """Raise GridMismatchError naming ``what`` when ``other`` is not this grid."""
        if not self.same_grid(other):
            raise GridMismatchError(
                f"{what} is not on the population grid: population is "
                f"{self.describe()}; {what} is {other.describe()}. Build it with "
                "like=population (zone_raster / hazard_raster)"
            )

    def blocks(self) -> Iterator[tuple[int, int, int, int, int, int]]:
        """(i, j, row_off, col_off, height, width) of every chunk, row-major."""
        r0 = 0
        for i, h in enumerate(self.row_chunks):
            c0 = 0
            for j, w in enumerate(self.col_chunks):
                yield i, j, r0, c0, h, w
                c0 += w
            r0 += h

    def window_transform(self, row_off: int, col_off: int) -> Affine:
        return self.transform @ Affine.translation(col_off, row_off)

    def window_bounds(self, row_off: int, col_off: int, h: int, w: int) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of a window, in the grid's CRS."""
        t = self.window_transform(row_off, col_off)
        xs = [t.c, t.c + t.a * w]
        ys = [t.f, t.f + t.e * h]
        return min(xs), min(ys), max(xs), max(ys)

    def coords(self) -> dict[str, np.ndarray]:
        """Cell-centre coordinates ``y`` and ``x`` (for a north-up grid)."""
        t = self.transform
        return {
            "y": t.f + t.e * (np.arange(self.height) + 0.5),
            "x": t.c + t.a * (np.arange(self.width) + 0.5),
        }

    def data_array(self, data, name: str, like: xr.DataArray | None = None) -> xr.DataArray:
        """Wrap a (y, x) array on this grid as a rioxarray DataArray with CRS and transform."""
        if like is not None:
            like = as_2d(like)
            coords = {"y": like["y"].values, "x": like["x"].values}
        else:
            coords = self.coords()
        out = xr.DataArray(data, dims=("y", "x"), coords=coords, name=name)
        out = out.rio.write_crs(self.crs)
        return out.rio.write_transform(self.transform)



def on_grid_chunks(arr: xr.DataArray, grid: "Grid") -> da.Array:
    """The array's data as a Dask array on the grid's chunks (wrapped or rechunked as needed)."""
    data = arr.data
    if not isinstance(data, da.Array):
        data = da.from_array(np.asarray(data), chunks=(grid.row_chunks, grid.col_chunks))
    if data.chunks != (grid.row_chunks, grid.col_chunks):
        data = data.rechunk((grid.row_chunks, grid.col_chunks))
    return data


def bounds_hit(bounds: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Indices of the rows of ``bounds`` (xmin, ymin, xmax, ymax) that overlap ``box``."""
    xmin, ymin, xmax, ymax = box
    hit = (bounds[:, 0] <= xmax) & (bounds[:, 2] >= xmin) & (bounds[:, 1] <= ymax) & (bounds[:, 3] >= ymin)
    return np.flatnonzero(hit)


def burn_window(
    geoms: np.ndarray,
    values: np.ndarray,
    bounds: np.ndarray,
    transform: Affine,
    row_off: int,
    col_off: int,
    h: int,
    w: int,
    dtype: str,
) -> np.ndarray:
    """Rasterise the polygons that touch one window; later polygons win ties.

    ``geoms``, ``values`` and ``bounds`` are parallel arrays in burn order.
    """
    win_t = transform @ Affine.translation(col_off, row_off)
    xs = [win_t.c, win_t.c + win_t.a * w]
    ys = [win_t.f, win_t.f + win_t.e * h]
    idx = bounds_hit(bounds, (min(xs), min(ys), max(xs), max(ys)))
    out = np.zeros((h, w), dtype=dtype)
    if idx.size == 0:
        return out
    # Clip to the window plus a one-cell margin: GDAL's scanline fill costs rows × edges
    # per polygon, and no cell centre of the window changes sides by the clip.
    mx, my = abs(win_t.a), abs(win_t.e)
    clipped = shapely.clip_by_rect(geoms[idx], min(xs) - mx, min(ys) - my, max(xs) + mx, max(ys) + my)
    keep = ~shapely.is_empty(clipped)
    if not keep.any():
        return out
    shapes = zip(clipped[keep], values[idx][keep].tolist())
    return rasterio.features.rasterize(
        shapes, out_shape=(h, w), transform=win_t, fill=0, out=out, all_touched=False
    )


def _burn_task(payload: tuple, transform: Affine, row_off: int, col_off: int, h: int, w: int, dtype: str) -> np.ndarray:
    geoms, values, bounds = payload
    return burn_window(geoms, values, bounds, transform, row_off, col_off, h, w, dtype)


def burn(
    geoms: np.ndarray,
    values: np.ndarray,
    grid: Grid,
    dtype: str,
    name: str,
) -> da.Array:
    """Lazily rasterise polygons (already in the grid's CRS) onto every chunk of ``grid``.

    ``geoms`` and ``values`` are in burn order (the last polygon wins overlaps).
    ``name`` must identify the content (a hash): it keys the payload in the graph,
    so the geometries are shipped once per worker, not once per chunk.
    """
    geoms = np.asarray(geoms, dtype=object)
    values = np.asarray(values)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms, values = geoms[keep], values[keep]
    bounds = shapely.bounds(geoms) if len(geoms) else np.zeros((0, 4))
    payload = dask.delayed((geoms, values, bounds), name=f"{name}-payload", traverse=False)
    rows = []
    for i, j, r0, c0, h, w in grid.blocks():
        if j == 0:
            rows.append([])
        if bounds_hit(bounds, grid.window_bounds(r0, c0, h, w)).size == 0:
            block = da.zeros((h, w), dtype=dtype, chunks=(h, w))
        else:
            task = dask.delayed(_burn_task, pure=True)(
                payload, grid.transform, r0, c0, h, w, dtype, dask_key_name=f"{name}-{i}-{j}"
            )
            block = da.from_delayed(task, shape=(h, w), dtype=dtype)
        rows[-1].append(block)
    return da.block(rows)


def code_dtype(n: int) -> str:
    """The smallest unsigned dtype that holds codes 0..n."""
    for dt in ("uint8", "uint16", "uint32"):
        if n <= np.iinfo(dt).max:
            return dt
    raise ValueError(f"too many codes: {n}")


def ceil_div(a: int, b: int) -> int:
    return int(math.ceil(a / b))


def cores() -> int:
    """Usable cores of this process (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def stream_blocks(parts: Sequence[Any], ahead: int | None = None) -> Iterator[Any]:
    """Compute Dask objects on the current scheduler and yield their results in order.

    At most ``ahead`` are in flight at once (default: the worker threads, or cores,
    plus one), so memory holds a few results whatever the number of parts, and the
    consumer (a file writer) overlaps with the computing. On a distributed client
    they run on its workers; without one, a thread per core computes each part with
    the synchronous scheduler.
    """
    from geodisp.cluster import current_client

    todo = iter(parts)
    client = current_client()
    if client is not None:
        n = ahead or sum(client.nthreads().values()) + 1
        pending: deque = deque(client.compute(p) for p in itertools.islice(todo, n))
        while pending:
            fut = pending.popleft()
            done = fut.result()
            fut.release()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(client.compute(nxt))
            yield done
        return
    n = ahead or cores() + 1
    with ThreadPoolExecutor(cores()) as pool:
        pending = deque(pool.submit(p.compute, scheduler="sync") for p in itertools.islice(todo, n))
        while pending:
            done = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(nxt.compute, scheduler="sync"))
            yield done
