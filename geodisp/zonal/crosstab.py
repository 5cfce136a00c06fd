"""People per (unit, hazard class): one Dask pass over the population raster.

``hazard_raster`` burns a footprint onto the population grid (or aligns a class
raster to it); ``crosstab`` then reads population, zone and hazard chunk by chunk and
accumulates people into (zone code × class) bins (``numpy.bincount``): one pass,
memory bounded by the chunk size, both cores busy on whatever Dask scheduler is
current (a ``geodisp.cluster.client`` or, without one, the threaded scheduler).
Within a chunk, runs of equal (zone, class) are summed first and then binned.

Cell assignment: a cell's people go to the unit and class whose polygons contain
the cell's centre (see ``geodisp.zonal.grid``). NaN cells (nodata) hold nobody and
are skipped; every other cell is counted exactly once, so the table's total equals
the raster's NaN-skipping total (people outside every unit under ``OUTSIDE_KEY``).
"""
from __future__ import annotations

import hashlib
from typing import NamedTuple

import dask
import dask.array as da
import numpy as np
import pandas as pd
import shapely
import xarray as xr
from rasterio.enums import Resampling

from geodisp.model.footprint import Footprint
from geodisp.model.vocab import LEVEL_KEY_LENGTH, OUTSIDE_KEY
from geodisp.zonal.grid import Grid, as_2d, burn, on_grid_chunks
from geodisp.zonal.zones import Zones

TABLE_COLUMNS = ["cvegeo", "hazard_class", "people"]
#: Classes assumed for a hazard raster that does not say how many it has.
_MAX_CLASS = 255


def hazard_raster(footprint: Footprint, like: xr.DataArray) -> xr.DataArray:
    """The footprint's classes (uint8, 0 = outside every class) on ``like``'s grid and chunks.

    Vector footprints are reprojected to the grid and burnt by cell centre, lowest
    class first, so the highest class wins any overlap. A class raster on another
    grid is aligned to the population grid with nearest-neighbour (classes are
    categories; the population raster itself is never resampled); its nodata cells
    become class 0. Pass ``footprint.n_classes`` to ``crosstab`` to size its table.
    """
    like = as_2d(like, "population")
    grid = Grid.of(like, "population")
    n = footprint.n_classes
    if n > _MAX_CLASS:
        raise ValueError(f"a footprint has at most {_MAX_CLASS} classes, this one has {n}")
    if footprint.vector is not None:
        data = _burn_vector(footprint, grid)
    else:
        data = _align_raster(footprint, like, grid)
    return grid.data_array(data, "hazard_class", like)


def _burn_vector(footprint: Footprint, grid: Grid) -> da.Array:
    vec = footprint.vector
    if vec.crs is None:
        raise ValueError(f"hazard footprint {footprint.source or ''} has no CRS".replace("  ", " "))
    classes = vec["hazard_class"].to_numpy()
    n = footprint.n_classes
    bad = np.flatnonzero((classes < 1) | (classes > n))
    if bad.size:
        raise ValueError(
            f"hazard footprint {footprint.source or ''}: feature {int(bad[0])} has hazard_class "
            f"{classes[bad[0]]}, outside 1..{n}"
        )
    projected = vec if vec.crs == grid.crs else vec.to_crs(grid.crs)
    order = np.argsort(classes, kind="stable")  # highest class burnt last, wins overlaps
    geoms = projected.geometry.to_numpy()[order]
    values = classes[order].astype("uint8")
    h = hashlib.sha256(grid.token().encode())
    for g, v in zip(shapely.to_wkb(geoms), values):
        h.update((g or b"") + bytes([int(v)]))
    return burn(geoms, values, grid, "uint8", name=f"hazard-{h.hexdigest()[:16]}")


def _align_raster(footprint: Footprint, like: xr.DataArray, grid: Grid) -> da.Array:
    r = as_2d(footprint.raster, "hazard raster")
    if r.rio.crs is None:
        raise ValueError(f"hazard raster {footprint.source or ''} has no CRS")
    if not Grid.of(r, "hazard raster").same_grid(grid):
        r = r.rio.reproject_match(like, resampling=Resampling.nearest)
    nodata = r.rio.nodata
    if nodata is not None and not (isinstance(nodata, float) and np.isnan(nodata)):
        r = r.where(r != nodata, 0)
    r = r.fillna(0)
    data = r.data if isinstance(r.data, da.Array) else da.from_array(np.asarray(r.data))
    return data.astype("uint8").rechunk((grid.row_chunks, grid.col_chunks))


def _block_counts(p: np.ndarray, z: np.ndarray, h: np.ndarray, n_units: int, n_classes: int) -> np.ndarray:
    """People per (zone code × class) bin, then cells per zone code, in one chunk.

    Shaped (1, 1, bins + n_units + 1); the cell counts (nodata cells included) tell
    which units cover no cell centre at all.

    Zones and classes come in long runs along a row, so the chunk is cut into runs of
    equal (zone, class, nodata), each run summed with ``np.add.reduceat`` and the run
    sums binned: a few times faster than a per-cell ``bincount`` with weights, and
    exact in the same sense (every valid cell added once; NaN runs dropped).
    """
    width = n_classes + 1
    nbins = (n_units + 1) * width
    out = np.zeros(nbins + n_units + 1)
    pr, zr, hr = p.ravel(), z.ravel(), h.ravel()
    nan = np.isnan(pr)
    if nan.all() and not zr.any():  # sea: no people, no unit
        return out.reshape(1, 1, -1)
    change = zr[1:] != zr[:-1]
    change |= hr[1:] != hr[:-1]
    change |= nan[1:] != nan[:-1]
    starts = np.flatnonzero(change)
    starts += 1
    starts = np.concatenate(([0], starts))
    lengths = np.diff(np.append(starts, zr.size))
    out[nbins:] = np.bincount(zr[starts], weights=lengths, minlength=n_units + 1)[: n_units + 1]
    keep = ~nan[starts]
    sums = np.add.reduceat(pr, starts, dtype=np.float64)[keep]  # float32 cells, float64 sums
    zs, hs = zr[starts][keep], hr[starts][keep]
    if zs.size and int(zs.max()) > n_units:
        raise ValueError(f"zone code {int(zs.max())} beyond the {n_units} units of the key table")
    if hs.size and int(hs.max()) > n_classes:
        raise ValueError(f"hazard class {int(hs.max())} beyond the footprint's {n_classes} classes")
    key = zs.astype(np.intp) * width + hs
    out[:nbins] += np.bincount(key, weights=sums, minlength=nbins)
    return out.reshape(1, 1, -1)


class Crosstab(NamedTuple):
    """The crosstab's table and the units that cover no cell centre (so hold nobody in it)."""

    table: pd.DataFrame
    uncovered: tuple[str, ...]


def crosstab(population: xr.DataArray, zones: Zones, hazard: xr.DataArray, n_classes: int | None = None) -> Crosstab:
    """People per (unit, hazard class) as a tidy table ``cvegeo, hazard_class, people``.

    Every unit of ``zones.keys`` gets one row per class 0..``n_classes`` (zeros
    included), and ``cvegeo == OUTSIDE_KEY`` holds people on cells outside every
    unit. Without ``n_classes`` the table keeps classes up to the highest seen.
    ``Crosstab.uncovered`` lists the units that cover no cell centre at all. Population,
    zone and hazard rasters must share one grid (GridMismatchError otherwise); the
    zone and hazard chunks are aligned to the population's. Computes on the current
    Dask client, or the threaded scheduler when there is none.
    """
    pop = as_2d(population, "population")
    grid = Grid.of(pop, "population")
    codes = as_2d(zones.codes, "zone raster")
    hz = as_2d(hazard, "hazard raster")
    grid.check_same(Grid.of(codes, "zone raster"), "the zone raster")
    grid.check_same(Grid.of(hz, "hazard raster"), "the hazard raster")
    n_units = len(zones.keys)
    known = n_classes is not None
    n_classes = int(n_classes) if known else _MAX_CLASS

    p = on_grid_chunks(pop, grid)
    z = on_grid_chunks(codes, grid)
    h = on_grid_chunks(hz, grid)
    if not np.issubdtype(z.dtype, np.integer) or not np.issubdtype(h.dtype, np.integer):
        raise ValueError(f"zone and hazard rasters must be integer, got {z.dtype} and {h.dtype}")
    if p.dtype not in (np.float32, np.float64):
        p = p.astype(np.float64)  # cells are read as they are; sums are float64 (below)
    nbins = (n_units + 1) * (n_classes + 1)
    parts = da.map_blocks(
        _block_counts,
        p,
        z,
        h,
        n_units=n_units,
        n_classes=n_classes,
        new_axis=2,
        chunks=(tuple(1 for _ in p.chunks[0]), tuple(1 for _ in p.chunks[1]), (nbins + n_units + 1,)),
        dtype=np.float64,
        meta=np.array((), dtype=np.float64),
    )
    (totals,) = dask.compute(parts.sum(axis=(0, 1), split_every=8))
    totals = np.asarray(totals)
    counts = totals[:nbins].reshape(n_units + 1, n_classes + 1)
    cells = totals[nbins:]
    if not known:  # unknown class count: keep classes up to the highest seen
        seen = np.flatnonzero(counts.any(axis=0))
        counts = counts[:, : int(seen.max()) + 1 if seen.size else 1]
    return Crosstab(_table(counts, zones.keys), tuple(zones.keys[cells[1:] == 0].tolist()))


def uncovered_people(population: xr.DataArray, units, keys: list[str]) -> pd.DataFrame:
    """Coverage-fraction people (exactextract) for units that cover no cell centre.

    ``crosstab`` gives such units (small islands, tiny localities) zero people and
    lists them in ``Crosstab.uncovered``; this gives each the sum of the cells
    it overlaps weighted by the fraction of each cell it covers, so they are never
    silently zero. Returns ``cvegeo``, ``people``, ``method``. These people are also
    counted in the crosstab under the unit (or OUTSIDE_KEY) owning those cell
    centres: report them beside the table, do not add them to it.
    """
    from exactextract import exact_extract

    cols = ["cvegeo", "people", "method"]
    chosen = units[units["cvegeo"].isin(keys)]
    if chosen.empty:
        return pd.DataFrame(columns=cols)
    pop = as_2d(population, "population")
    chosen = chosen.to_crs(pop.rio.crs)
    res = exact_extract(pop, chosen[["cvegeo", "geometry"]], "sum", include_cols=["cvegeo"], output="pandas")
    return pd.DataFrame(
        {"cvegeo": res["cvegeo"].astype(str), "people": res["sum"].astype(float),
         "method": "coverage fraction (exactextract): covers no cell centre"},
        columns=cols,
    )


def _table(counts: np.ndarray, keys: pd.Series) -> pd.DataFrame:
    """Units in key order, then OUTSIDE_KEY; one row per class."""
    n_cls = counts.shape[1]
    labels = keys.tolist() + [OUTSIDE_KEY]
    ordered = np.vstack([counts[1:], counts[:1]])
    return pd.DataFrame(
        {
            "cvegeo": np.repeat(np.array(labels, dtype=object), n_cls),
            "hazard_class": np.tile(np.arange(n_cls, dtype=np.int64), len(labels)),
            "people": ordered.ravel(),
        },
        columns=TABLE_COLUMNS,
    )


def rollup(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """Sum a crosstab table to ``level`` ("ent", "mun", ...) by cutting keys to that prefix.

    ``OUTSIDE_KEY`` rows stay as they are. Keys shorter than the level are an error.
    """
    if level not in LEVEL_KEY_LENGTH:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVEL_KEY_LENGTH)}")
    n = LEVEL_KEY_LENGTH[level]
    keys = table["cvegeo"].astype(str)
    outside = keys == OUTSIDE_KEY
    short = ~outside & (keys.str.len() < n)
    if short.any():
        raise ValueError(
            f"cannot roll up to {level}: key {keys[short].iloc[0]!r} is coarser than {level}"
        )
    cut = keys.where(outside, keys.str[:n])
    out = (
        table.assign(cvegeo=cut)
        .groupby(["cvegeo", "hazard_class"], sort=True)["people"]
        .sum()
        .reset_index()
    )
    last = out["cvegeo"] == OUTSIDE_KEY
    return pd.concat([out[~last], out[last]], ignore_index=True)[TABLE_COLUMNS]
