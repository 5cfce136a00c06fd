"""Points (damaged dwellings, shelters) to units and hazard classes.

A point belongs to the unit whose polygon covers it (boundary included). A point on
a border shared by several units (or in an overlap of two polygons) goes to exactly
one: the unit with the smallest CVEGEO, the same tie-break as the zone raster. A
point covered by no unit is rejected with its reason. Its hazard class is the
highest class whose polygon covers it (0 outside the footprint), or the class of the
raster cell it falls in.

For millions of points the exact point-in-polygon test runs only where it must: a
coarse lookup grid (about 8,192 cells on the longer side) stores, for each cell that
no unit boundary crosses (nor touches, with a one-cell margin), the one unit that
covers the whole cell (or none); only points in cells along boundaries are tested
against the polygons; hazard polygons get the same treatment. The points are split
into partitions computed on the current Dask scheduler; the result does not depend
on the partitioning.
"""
from __future__ import annotations

import uuid

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely
from affine import Affine

from geodisp.model.footprint import Footprint
from geodisp.model.rejects import Read, empty_rejects, rejects_frame
from geodisp.sources.messages import Message
from geodisp.zonal.zones import unit_keys

#: Points per Dask partition.
PARTITION = 250_000
#: Cells on the longer side of the lookup grid.
LOOKUP_CELLS = 8192


def _lookup_grid(geoms: np.ndarray, codes: np.ndarray, highest_wins: bool = False) -> tuple[np.ndarray, Affine]:
    """A grid of codes for cells no outline crosses (0: wholly outside all), -1 elsewhere.

    Where polygons overlap the smallest code wins (units), or the highest
    (``highest_wins``: hazard classes).
    """
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    span = max(xmax - xmin, ymax - ymin) or 1.0
    cell = span / LOOKUP_CELLS
    width = max(1, int(np.ceil((xmax - xmin) / cell)) + 2)
    height = max(1, int(np.ceil((ymax - ymin) / cell)) + 2)
    transform = Affine(cell, 0, xmin - cell, 0, -cell, ymax + cell)
    shape = (height, width)
    # Outlines simplified within a quarter cell: with the one-cell margin below, a cell
    # marked as wholly inside (or outside) is so for the true outline too. Fewer vertices
    # make the rasterising (which walks every vertex in Python) several times cheaper.
    simple = shapely.simplify(geoms, cell / 4, preserve_topology=False)
    collapsed = shapely.is_empty(simple) | (shapely.area(simple) == 0)
    geoms = np.where(collapsed, geoms, simple)  # tiny units keep their own outline
    order = np.argsort(codes if highest_wins else -codes, kind="stable")  # the winner burnt last
    dtype = "int16" if codes.size == 0 or codes.max() < np.iinfo(np.int16).max else "int32"
    inside = rasterio.features.rasterize(
        zip(geoms[order], codes[order].tolist()), out_shape=shape, transform=transform, fill=0, dtype=dtype
    )
    edges = rasterio.features.rasterize(
        ((b, 1) for b in shapely.boundary(geoms) if b is not None and not b.is_empty),
        out_shape=shape, transform=transform, fill=0, dtype="uint8", all_touched=True,
    ).astype(bool)
    grown = edges.copy()  # one-cell margin against rounding at cell edges
    grown[1:, :] |= edges[:-1, :]
    grown[:-1, :] |= edges[1:, :]
    grown[:, 1:] |= edges[:, :-1]
    grown[:, :-1] |= edges[:, 1:]
    grown[1:, 1:] |= edges[:-1, :-1]
    grown[1:, :-1] |= edges[:-1, 1:]
    grown[:-1, 1:] |= edges[1:, :-1]
    grown[:-1, :-1] |= edges[1:, 1:]
    inside[grown] = -1
    return inside, transform


def _covering(payload: tuple, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Code of the polygon covering each point (boundary included), 0 for none.

    Looked up in the grid where a cell is wholly inside or outside; tested exactly
    (STRtree) elsewhere. Ties: the smallest code, or the highest with ``highest_wins``.
    """
    codes, lookup, transform, tree, highest_wins = payload
    inv = ~transform
    col = np.floor(inv.a * x + inv.b * y + inv.c).astype(np.int64)
    row = np.floor(inv.d * x + inv.e * y + inv.f).astype(np.int64)
    h, w = lookup.shape
    on_grid = (row >= 0) & (row < h) & (col >= 0) & (col < w)
    out = np.zeros(x.size, dtype=np.int64)  # off the grid: outside every polygon's bounds
    out[on_grid] = lookup[row[on_grid], col[on_grid]]
    exact = np.flatnonzero(out < 0)
    if exact.size:
        pts = shapely.points(x[exact], y[exact])
        p_idx, g_idx = tree.query(pts, predicate="intersects")
        if highest_wins:
            best = np.zeros(exact.size, dtype=np.int64)
            np.maximum.at(best, p_idx, codes[g_idx])
        else:
            best = np.full(exact.size, np.iinfo(np.int64).max)
            np.minimum.at(best, p_idx, codes[g_idx])
            best[best == np.iinfo(np.int64).max] = 0
        out[exact] = best
    return out


def _polygon_payload(geoms: np.ndarray, codes: np.ndarray, highest_wins: bool) -> tuple:
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms, codes = geoms[keep], codes[keep].astype(np.int64)
    if not len(geoms):
        return codes, np.zeros((1, 1), dtype=np.int32), Affine.identity(), shapely.STRtree(geoms), highest_wins
    lookup, transform = _lookup_grid(geoms, codes, highest_wins)
    return codes, lookup, transform, shapely.STRtree(geoms), highest_wins


def _hazard_classes(payload: tuple, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Highest footprint class covering each point (vector) or the cell's class (raster)."""
    kind = payload[0]
    if kind == "vector":
        return _covering(payload[1], x, y)
    _, values, transform = payload
    inv = ~transform
    col = np.floor(inv.a * x + inv.b * y + inv.c).astype(np.int64)
    row = np.floor(inv.d * x + inv.e * y + inv.f).astype(np.int64)
    h, w = values.shape
    ok = (row >= 0) & (row < h) & (col >= 0) & (col < w)
    out = np.zeros(x.size, dtype=np.int64)
    out[ok] = values[row[ok], col[ok]]
    return out


def _assign_part(units_payload: tuple, hazard_payload: tuple, x: np.ndarray, y: np.ndarray, hx: np.ndarray, hy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _covering(units_payload, x, y), _hazard_classes(hazard_payload, hx, hy)


def _hazard_payload(footprint: Footprint) -> tuple:
    if footprint.vector is not None:
        vec = footprint.vector
        if vec.crs is None:
            raise ValueError("hazard footprint has no CRS")
        payload = _polygon_payload(vec.geometry.to_numpy(), vec["hazard_class"].to_numpy(), highest_wins=True)
        return ("vector", payload), vec.crs
    r = footprint.raster
    if "band" in r.dims:
        r = r.isel(band=0, drop=True)
    if r.rio.crs is None:
        raise ValueError("hazard raster has no CRS")
    values = np.asarray(r.values)
    nodata = r.rio.nodata
    values = np.where(np.isnan(values), 0, values) if values.dtype.kind == "f" else values
    if nodata is not None and not np.isnan(nodata):
        values = np.where(values == nodata, 0, values)
    return ("raster", values.astype(np.int64), r.rio.transform()), r.rio.crs


def assign_points(
    points: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    footprint: Footprint | None,
    *,
    source: str = "points",
    file: str = "",
) -> Read:
    """Add ``cvegeo`` (the units' level) and ``hazard_class`` to each point.

    ``points``: GeoDataFrame of points in any CRS (a ``record`` column, when present,
    names rows in the rejects; otherwise ``feature <i>`` by position). ``units``:
    polygons with ``cvegeo``. ``footprint``: a Footprint, or None (class 0 for all).
    Returns ``Read(points_in_units, rejects)``: the kept points keep their columns,
    index and CRS; points with no geometry, non-point geometry or outside every
    unit are in ``rejects`` with the reason.
    """
    if points.crs is None:
        raise ValueError(f"points {file or source} have no CRS")
    if units.crs is None:
        raise ValueError("units have no CRS")
    keys = unit_keys(units)
    code_of = pd.Series(keys.index.to_numpy(), index=keys.to_numpy())
    unit_codes = code_of.loc[units["cvegeo"].to_numpy()].to_numpy()
    units_payload = _polygon_payload(units.geometry.to_numpy(), unit_codes, highest_wins=False)

    geom = points.geometry.to_numpy()
    missing = shapely.is_missing(geom) | shapely.is_empty(geom)
    not_point = ~missing & (shapely.get_type_id(geom) != shapely.GeometryType.POINT)
    usable = ~(missing | not_point)

    pts_u = points.geometry.to_crs(units.crs).to_numpy()
    ux, uy = shapely.get_x(pts_u), shapely.get_y(pts_u)
    if footprint is not None:
        hazard_payload, hazard_crs = _hazard_payload(footprint)
        pts_h = pts_u if hazard_crs == units.crs else points.geometry.to_crs(hazard_crs).to_numpy()
        hx, hy = shapely.get_x(pts_h), shapely.get_y(pts_h)
    else:
        hazard_payload = ("raster", np.zeros((1, 1), dtype=np.int64), Affine.identity())
        hx = hy = np.full(len(points), np.nan)

    idx = np.flatnonzero(usable)
    run = uuid.uuid4().hex[:12]
    up = dask.delayed(units_payload, name=f"points-units-{run}", traverse=False)
    hp = dask.delayed(hazard_payload, name=f"points-hazard-{run}", traverse=False)
    parts = [
        dask.delayed(_assign_part, pure=True)(up, hp, ux[s], uy[s], hx[s], hy[s])
        for s in (idx[i : i + PARTITION] for i in range(0, idx.size, PARTITION))
    ]
    results = dask.compute(*parts)
    codes = np.zeros(len(points), dtype=np.int64)
    classes = np.zeros(len(points), dtype=np.int64)
    if results:
        codes[idx] = np.concatenate([r[0] for r in results])
        classes[idx] = np.concatenate([r[1] for r in results])
    if footprint is None:
        classes[:] = 0

    outside = usable & (codes == 0)
    records = (
        points["record"].astype(str).to_numpy()
        if "record" in points.columns
        else np.array([f"feature {i}" for i in range(len(points))], dtype=object)
    )
    reasons = np.full(len(points), "", dtype=object)
    for i in np.flatnonzero(missing):
        reasons[i] = Message("no_geometry")
    for i in np.flatnonzero(not_point):
        reasons[i] = Message("not_a_point", kind=points.geometry.iloc[i].geom_type)
    crs_name = units.crs.to_string()
    for i in np.flatnonzero(outside):
        reasons[i] = Message("outside_every_unit", x=f"{ux[i]:.1f}", y=f"{uy[i]:.1f}", crs=crs_name)
    bad = missing | not_point | outside
    rejects = rejects_frame(source, file, records[bad], list(reasons[bad])) if bad.any() else empty_rejects()

    kept = points.loc[~bad].copy()
    kept["cvegeo"] = keys.reindex(codes[~bad]).to_numpy()
    kept["hazard_class"] = classes[~bad]
    return Read(kept, rejects)
