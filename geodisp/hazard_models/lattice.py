"""A smooth field evaluated lazily on the population grid, through a coarse lattice.

Physical hazard fields (a storm's wind swath) vary over kilometres, the population
grid over tens of metres. ``lattice_field`` evaluates the field exactly at the
centres of every ``step``-th cell of the grid (the *lattice nodes*, numbered from
the grid's origin, so they do not depend on the chunking) and gives every cell the
bilinear interpolation of its four surrounding nodes. Each Dask chunk of the
population grid evaluates only the nodes it needs; chunks that ``select`` finds
nothing for are plain zeros with no task at all. The result is identical whatever
the chunk size, and memory is bounded by the chunk size: no whole-grid array is
ever made.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional

import dask
import dask.array as da
import numpy as np
from pyproj import CRS, Transformer

from geodisp.zonal.grid import Grid

#: ``evaluate(lat, lon, payload)`` -> values at lattice nodes (2-D arrays in, same shape out).
Evaluate = Callable[[np.ndarray, np.ndarray, Any], np.ndarray]
#: ``select(south, north, west, east)`` -> the payload a chunk needs, or None when it is empty.
Select = Callable[[float, float, float, float], Optional[Any]]


def cell_km(grid: Grid) -> float:
    """The smaller side of a grid cell, in km, at the grid's centre."""
    t = grid.transform
    crs = CRS.from_user_input(grid.crs.to_wkt())
    if crs.is_geographic:
        lat = t.f + t.e * grid.height / 2
        return min(abs(t.a) * 111.32 * math.cos(math.radians(lat)), abs(t.e) * 110.57)
    factor = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return min(abs(t.a), abs(t.e)) * factor / 1000.0


def lattice_step(grid: Grid, spacing_km: float) -> int:
    """Cells between lattice nodes so that nodes are at most ``spacing_km`` apart (at least 1)."""
    return max(1, int(spacing_km // cell_km(grid)))


class _LonLat:
    """Cell-centre coordinates of lattice nodes in longitude / latitude (degrees)."""

    def __init__(self, grid: Grid, step: int) -> None:
        self.transform, self.step = grid.transform, step
        crs = CRS.from_user_input(grid.crs.to_wkt())
        self.to_lonlat = None if crs.is_geographic else Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def at(self, node_rows: np.ndarray, node_cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lat, lon) 2-D arrays of nodes ``node_rows`` x ``node_cols``."""
        t, k = self.transform, self.step
        cols, rows = np.meshgrid(node_cols * k + 0.5, node_rows * k + 0.5)
        x = t.c + cols * t.a + rows * t.b
        y = t.f + cols * t.d + rows * t.e
        if self.to_lonlat is not None:
            x, y = self.to_lonlat.transform(x, y)
        return np.asarray(y, dtype="float64"), np.asarray(x, dtype="float64")


def _node_range(start: int, size: int, step: int) -> np.ndarray:
    """Node indices whose cells bracket cells ``start .. start + size - 1``."""
    return np.arange(start // step, (start + size - 1) // step + 2)


def interpolate(nodes: np.ndarray, start_row: int, start_col: int, h: int, w: int, step: int) -> np.ndarray:
    """Bilinear values (float32) of cells ``h`` x ``w`` from the nodes ``_node_range`` gives for them."""
    def weights(start: int, size: int) -> tuple[np.ndarray, np.ndarray]:
        pos = np.arange(start, start + size) / step
        base = np.floor(pos)
        return (base - start // step).astype(np.intp), (pos - base).astype("float32")

    i0, fr = weights(start_row, h)
    j0, fc = weights(start_col, w)
    nodes = nodes.astype("float32", copy=False)
    across = nodes[:, j0] * (1 - fc) + nodes[:, j0 + 1] * fc
    return across[i0] * (1 - fr)[:, None] + across[i0 + 1] * fr[:, None]


def _block(lonlat: _LonLat, evaluate: Evaluate, payload: Any, r0: int, c0: int, h: int, w: int) -> np.ndarray:
    rows = _node_range(r0, h, lonlat.step)
    cols = _node_range(c0, w, lonlat.step)
    lat, lon = lonlat.at(rows, cols)
    return interpolate(evaluate(lat, lon, payload), r0, c0, h, w, lonlat.step)


def _lonlat_box(lonlat: _LonLat, rows: np.ndarray, cols: np.ndarray) -> tuple[float, float, float, float]:
    """(south, north, west, east) of the nodes ``rows`` x ``cols``, from points along its outline."""
    edge_r = np.unique(np.linspace(rows[0], rows[-1], 9).round().astype(int))
    edge_c = np.unique(np.linspace(cols[0], cols[-1], 9).round().astype(int))
    lat_a, lon_a = lonlat.at(edge_r, np.array([cols[0], cols[-1]]))
    lat_b, lon_b = lonlat.at(np.array([rows[0], rows[-1]]), edge_c)
    lat = np.concatenate([lat_a.ravel(), lat_b.ravel()])
    lon = np.concatenate([lon_a.ravel(), lon_b.ravel()])
    return float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max())


def lattice_field(grid: Grid, step: int, evaluate: Evaluate, select: Select, name: str) -> tuple[da.Array, Optional[tuple[int, int, int, int]]]:
    """The field on every cell of ``grid`` (float32, lazily, one task per non-empty chunk).

    Returns the Dask array and the window ``(row_off, col_off, height, width)`` of
    the chunks that have a task (None when every chunk is empty): outside it the
    field is 0. ``name`` must identify the content (a hash of the inputs).
    """
    lonlat = _LonLat(grid, step)
    rows_out: list[list[da.Array]] = []
    r_lo = c_lo = math.inf
    r_hi = c_hi = -math.inf
    for i, j, r0, c0, h, w in grid.blocks():
        if j == 0:
            rows_out.append([])
        box = _lonlat_box(lonlat, _node_range(r0, h, step), _node_range(c0, w, step))
        payload = select(*box)
        if payload is None:
            block = da.zeros((h, w), dtype="float32", chunks=(h, w))
        else:
            task = dask.delayed(_block, pure=True)(lonlat, evaluate, payload, r0, c0, h, w,
                                                   dask_key_name=f"{name}-{i}-{j}")
            block = da.from_delayed(task, shape=(h, w), dtype="float32")
            r_lo, c_lo = min(r_lo, r0), min(c_lo, c0)
            r_hi, c_hi = max(r_hi, r0 + h), max(c_hi, c0 + w)
        rows_out[-1].append(block)
    window = None if math.isinf(r_lo) else (int(r_lo), int(c_lo), int(r_hi - r_lo), int(c_hi - c_lo))
    return da.block(rows_out), window
