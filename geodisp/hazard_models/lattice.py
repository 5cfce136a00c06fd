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
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

import dask
import dask.array as da
import numpy as np
from affine import Affine
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


def _weights(start: int, size: int, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the index of the node before it (within the block's node range) and its fraction to the next."""
    pos = np.arange(start, start + size) / step
    base = np.floor(pos)
    return (base - start // step).astype(np.intp), (pos - base).astype("float32")


def interpolate(nodes: np.ndarray, start_row: int, start_col: int, h: int, w: int, step: int) -> np.ndarray:
    """Bilinear values (float32) of cells ``h`` x ``w`` from the nodes ``_node_range`` gives for them.

    A NaN node makes every cell between it and its neighbours NaN.
    """
    return _interpolate_window(nodes, start_row, start_col, step, 0, h, 0, w)


def bins_of(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """How many ``edges`` are at or below each value (0..len(edges)), 255 for NaN (uint8)."""
    out = np.zeros(values.shape, dtype="uint8")
    for edge in edges:
        np.add(out, values >= np.float64(edge), out=out, casting="unsafe")
    out[np.isnan(values)] = 255
    return out


def _class_of_bin(bins: np.ndarray, n_edges: int) -> np.ndarray:
    """Bin counts -> classes: 1..n inside the edges, 0 below, at or above the last edge, or NaN (255)."""
    return np.where((bins == 0) | (bins >= n_edges), 0, bins).astype("uint8")


def interpolate_classes(nodes: np.ndarray, start_row: int, start_col: int, h: int, w: int, step: int,
                        edges: np.ndarray) -> np.ndarray:
    """Classes (uint8) of the bilinear cell values, without interpolating where the answer is known.

    A cell's value is a weighted mean of its four nodes, so when the four lie in one
    class interval (intervals are convex) every cell between them is in that class,
    and when one is NaN every cell between them is NaN (class 0). Only cells between
    nodes of different bins are interpolated and classified one by one. Equal, cell
    for cell, to classifying ``interpolate``'s values.
    """
    node_bins = bins_of(nodes.astype("float32", copy=False), edges)
    corners = np.stack([node_bins[:-1, :-1], node_bins[:-1, 1:], node_bins[1:, :-1], node_bins[1:, 1:]])
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    uniform = _class_of_bin(lo, len(edges))
    lattice = np.where(hi == 255, 0, np.where(lo == hi, uniform, 254)).astype("uint8")  # 254: nodes disagree
    i0, _ = _weights(start_row, h, step)
    j0, _ = _weights(start_col, w, step)
    cells = lattice[i0][:, j0]
    mixed = lattice == 254
    if mixed.any():  # the cells between disagreeing nodes, band by band of lattice rows
        bands = np.flatnonzero(np.diff(i0, prepend=-1))  # first cell row of each lattice row present
        parts_r, parts_c = [], []
        for start, stop in zip(bands, np.append(bands[1:], h)):
            cols = np.flatnonzero(mixed[i0[start]][j0])
            if cols.size:
                parts_r.append(np.repeat(np.arange(start, stop), cols.size))
                parts_c.append(np.tile(cols, stop - start))
        rows, cols = np.concatenate(parts_r), np.concatenate(parts_c)
        values = _interpolate_at(nodes, start_row, start_col, step, rows, cols)
        cells[rows, cols] = _class_of_bin(bins_of(values, edges), len(edges))
    return cells


def _interpolate_at(nodes: np.ndarray, start_row: int, start_col: int, step: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``interpolate``'s values at the block's cells ``(rows, cols)`` only, with the same arithmetic (bit for bit)."""
    i0, fr = _weights(start_row, int(rows.max()) + 1 if rows.size else 0, step)
    j0, fc = _weights(start_col, int(cols.max()) + 1 if cols.size else 0, step)
    i, j = i0[rows], j0[cols]
    r, c = fr[rows], fc[cols]
    n = nodes.astype("float32", copy=False)
    top = n[i, j] * (1 - c) + n[i, j + 1] * c
    bottom = n[i + 1, j] * (1 - c) + n[i + 1, j + 1] * c
    return top * (1 - r) + bottom * r


def _interpolate_window(nodes: np.ndarray, start_row: int, start_col: int, step: int,
                        r_lo: int, r_hi: int, c_lo: int, c_hi: int) -> np.ndarray:
    """``interpolate`` restricted to rows ``r_lo:r_hi`` and columns ``c_lo:c_hi`` of the block."""
    i0, fr = _weights(start_row, r_hi, step)
    j0, fc = _weights(start_col, c_hi, step)
    i0, fr, j0, fc = i0[r_lo:], fr[r_lo:], j0[c_lo:], fc[c_lo:]
    nodes = nodes.astype("float32", copy=False)
    across = nodes[:, j0] * (1 - fc) + nodes[:, j0 + 1] * fc
    return across[i0] * (1 - fr)[:, None] + across[i0 + 1] * fr[:, None]


def _nodes(model: tuple[_LonLat, Evaluate], payload: Any, r0: int, c0: int, h: int, w: int) -> np.ndarray:
    lonlat, evaluate = model
    lat, lon = lonlat.at(_node_range(r0, h, lonlat.step), _node_range(c0, w, lonlat.step))
    return np.asarray(evaluate(lat, lon, payload), dtype="float32")


def _cells(nodes: np.ndarray, r0: int, c0: int, h: int, w: int, step: int, floor: float) -> np.ndarray:
    values = interpolate(nodes, r0, c0, h, w, step)
    if floor > 0:
        values[values < floor] = 0
    return values


def _lonlat_box(lonlat: _LonLat, rows: np.ndarray, cols: np.ndarray) -> tuple[float, float, float, float]:
    """(south, north, west, east) of the nodes ``rows`` x ``cols``, from points along its outline."""
    edge_r = np.unique(np.linspace(rows[0], rows[-1], 9).round().astype(int))
    edge_c = np.unique(np.linspace(cols[0], cols[-1], 9).round().astype(int))
    lat_a, lon_a = lonlat.at(edge_r, np.array([cols[0], cols[-1]]))
    lat_b, lon_b = lonlat.at(np.array([rows[0], rows[-1]]), edge_c)
    lat = np.concatenate([lat_a.ravel(), lat_b.ravel()])
    lon = np.concatenate([lon_a.ravel(), lon_b.ravel()])
    return float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max())


@dataclass(frozen=True)
class LatticeField:
    """A field on the population grid, lazily: ``values`` (float32) and, given class edges,
    ``classes`` (uint8), both from the same node tasks. ``window``: ``(row_off, col_off,
    height, width)`` of the chunks that have a task (None when none has); outside it
    both are 0."""

    values: da.Array
    classes: Optional[da.Array]
    window: Optional[tuple[int, int, int, int]]


def lattice_field(grid: Grid, step: int, evaluate: Evaluate, select: Select, name: str,
                  edges: Optional[Sequence[float]] = None, floor: float = 0.0) -> LatticeField:
    """The field on every cell of ``grid`` (one node task per non-empty chunk, lazily).

    ``values``: the bilinear field, with values below ``floor`` set to 0 (``floor``
    must not exceed the first edge, so that classes are those of ``values``).
    ``classes``: ``values`` classified by lower-inclusive ``edges`` (0 outside),
    computed without interpolating where the nodes agree. ``name`` must identify the
    content (a hash of the inputs): it keys the tasks.
    """
    if edges is not None and floor > edges[0]:
        raise ValueError(f"floor {floor} above the first class edge {edges[0]}")
    lonlat = _LonLat(grid, step)
    # shipped once per worker, not once per chunk (and tokenised once, not per task)
    shared = dask.delayed((lonlat, evaluate), name=f"{name}-model", traverse=False)
    edge_array = np.asarray(edges, dtype="float64") if edges is not None else None
    zeros: dict[tuple[int, int, str], da.Array] = {}

    def zero(h: int, w: int, dtype: str) -> da.Array:
        if (h, w, dtype) not in zeros:
            zeros[h, w, dtype] = da.zeros((h, w), dtype=dtype, chunks=(h, w))
        return zeros[h, w, dtype]

    values_out: list[list[da.Array]] = []
    classes_out: list[list[da.Array]] = []
    r_lo = c_lo = math.inf
    r_hi = c_hi = -math.inf
    for i, j, r0, c0, h, w in grid.blocks():
        if j == 0:
            values_out.append([])
            classes_out.append([])
        box = _lonlat_box(lonlat, _node_range(r0, h, step), _node_range(c0, w, step))
        payload = select(*box)
        if payload is None:
            values_out[-1].append(zero(h, w, "float32"))
            classes_out[-1].append(zero(h, w, "uint8"))
            continue
        nodes = dask.delayed(_nodes, pure=True)(shared, payload, r0, c0, h, w, dask_key_name=f"{name}-nodes-{i}-{j}")
        cells = dask.delayed(_cells, pure=True)(nodes, r0, c0, h, w, step, floor, dask_key_name=f"{name}-values-{i}-{j}")
        values_out[-1].append(da.from_delayed(cells, shape=(h, w), dtype="float32"))
        if edge_array is not None:
            cls = dask.delayed(interpolate_classes, pure=True)(nodes, r0, c0, h, w, step, edge_array,
                                                               dask_key_name=f"{name}-classes-{i}-{j}")
            classes_out[-1].append(da.from_delayed(cls, shape=(h, w), dtype="uint8"))
        r_lo, c_lo = min(r_lo, r0), min(c_lo, c0)
        r_hi, c_hi = max(r_hi, r0 + h), max(c_hi, c0 + w)
    window = None if math.isinf(r_lo) else (int(r_lo), int(c_lo), int(r_hi - r_lo), int(c_hi - c_lo))
    return LatticeField(da.block(values_out), da.block(classes_out) if edge_array is not None else None, window)


def node_grid(grid: Grid, step: int, chunk: int = 1024) -> Grid:
    """The lattice as a grid of its own: one cell per node, centred on the node.

    Node ``m`` sits at the centre of the population grid's cell ``m * step``; this
    grid's cell ``m`` has the same centre (cell size ``step`` times the grid's), so
    resampling it bilinearly reproduces ``interpolate``.
    """
    shift = (step - 1) / 2
    transform = grid.transform @ Affine.translation(-shift, -shift) @ Affine.scale(step)
    h, w = -(-grid.height // step), -(-grid.width // step)
    rows = tuple(min(chunk, h - r) for r in range(0, h, chunk))
    cols = tuple(min(chunk, w - c) for c in range(0, w, chunk))
    return Grid(grid.crs, transform, h, w, rows, cols)


def node_field(grid: Grid, step: int, evaluate: Evaluate, select: Select, name: str, floor: float = 0.0) -> da.Array:
    """The field at the lattice nodes of ``grid`` (on ``node_grid(grid, step)``), lazily; below ``floor`` 0."""
    return lattice_field(node_grid(grid, step), 1, evaluate, select, name=f"{name}-nodegrid", floor=floor).values

