"""Small real inputs for the overlay tests, written and read back through GDAL.

Not tests themselves: helpers imported by tests/test_overlay_*.py and
tests/test_cluster.py. The population grid is in EPSG:4326 and the units in
EPSG:6372, so every test also exercises the vector → grid reprojection. The
brute-force reference loops over every cell with shapely, independently of GDAL's
rasteriser.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rioxarray
import shapely
from pyproj import Transformer
from rasterio.transform import from_origin

from geodisp.model.footprint import Footprint
from geodisp.model.vocab import MEXICO_CRS, OUTSIDE_KEY

# A 0.005° grid (about 500 m) over part of the Valle de México.
LON0, LAT0, CELL = -99.40, 19.60, 0.005
HEIGHT, WIDTH = 90, 120
NODATA = -9999.0


def population_array(height: int = HEIGHT, width: int = WIDTH, seed: int = 1) -> np.ndarray:
    """Textured people per cell, with zeros and a block of nodata."""
    rng = np.random.default_rng(seed)
    pop = rng.gamma(0.6, 40.0, size=(height, width))
    pop[rng.random((height, width)) < 0.1] = 0.0
    pop[: height // 9, : width // 8] = NODATA  # a nodata corner
    pop[height // 2, width // 3] = NODATA
    return pop


def write_population(path: Path, pop: np.ndarray, lon0: float = LON0, lat0: float = LAT0, cell: float = CELL, crs: str = "EPSG:4326") -> Path:
    with rasterio.open(
        path, "w", driver="GTiff", height=pop.shape[0], width=pop.shape[1], count=1,
        dtype="float64", crs=crs, transform=from_origin(lon0, lat0, cell, cell), nodata=NODATA,
        tiled=True, blockxsize=16, blockysize=16, compress="DEFLATE",
    ) as dst:
        dst.write(pop, 1)
    return path


def open_population(path: Path, chunks: int | tuple = 32):
    """What geodisp.sources.population.open_population returns: float64, NaN nodata, chunked, 2-D."""
    arr = rioxarray.open_rasterio(path, chunks={"band": 1, "y": chunks, "x": chunks} if isinstance(chunks, int) else chunks, masked=True)
    arr = arr.squeeze("band", drop=True).astype("float64")
    return arr


def _to_6372(geom):
    t = Transformer.from_crs("EPSG:4326", MEXICO_CRS, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def units_frame() -> gpd.GeoDataFrame:
    """Seven units in EPSG:6372 sharing irregular borders, a gap outside all, a tiny one.

    Built as a Voronoi partition of seeds clipped to a hexagon-ish area inside the grid
    (in lon/lat, then densified and projected), so borders are shared exactly.
    """
    rng = np.random.default_rng(7)
    seeds = shapely.points(rng.uniform(-99.35, -98.85, 6), rng.uniform(19.25, 19.55, 6))
    # corners off the cell lattice, so no cell centre lies on an edge (a degenerate tie)
    area = shapely.Polygon([(-99.3617, 19.3013), (-99.2029, 19.5671), (-98.9033, 19.5588), (-98.8211, 19.4019), (-98.9537, 19.2207), (-99.2489, 19.2114)])
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=area)
    parts = [shapely.intersection(c, area) for c in shapely.get_parts(cells)]
    parts = [shapely.segmentize(p, 0.01) for p in parts if not p.is_empty]
    keys = [f"15{n:03d}" for n in (2, 11, 13, 20, 24, 31)][: len(parts)]
    geoms = [_to_6372(p) for p in parts]
    # a tiny unit smaller than a cell, away from every other unit
    tiny = _to_6372(shapely.box(-99.1201, 19.2501, -99.1199, 19.2503))
    keys.append("09005")
    geoms.append(tiny)
    return gpd.GeoDataFrame(
        {"cvegeo": keys, "level": "mun", "name": [f"Unidad {k}" for k in keys]},
        geometry=geoms, crs=MEXICO_CRS,
    )


def footprint_frame() -> Footprint:
    """Three nested classes (overlapping: the highest must win), in EPSG:6372."""
    centre = shapely.Point(-99.08, 19.40)
    rings = [(1, 0.20), (2, 0.12), (3, 0.05)]
    geoms = [_to_6372(shapely.segmentize(centre.buffer(r, quad_segs=16), 0.01)) for _, r in rings]
    vec = gpd.GeoDataFrame({"hazard_class": [c for c, _ in rings]}, geometry=geoms, crs=MEXICO_CRS)
    classes = pd.DataFrame({"hazard_class": [1, 2, 3], "label": ["low", "mid", "high"], "lower": [34.0, 64.0, 96.0], "upper": [64.0, 96.0, np.nan]})
    return Footprint(classes=classes, vector=vec, field="wind", units="kt", source="test")


def roundtrip_gpkg(frame: gpd.GeoDataFrame, path: Path, layer: str) -> gpd.GeoDataFrame:
    frame.to_file(path, layer=layer, driver="GPKG")
    return gpd.read_file(path, layer=layer)


def cell_centres(height: int = HEIGHT, width: int = WIDTH, lon0: float = LON0, lat0: float = LAT0, cell: float = CELL):
    lon = lon0 + cell * (np.arange(width) + 0.5)
    lat = lat0 - cell * (np.arange(height) + 0.5)
    return np.meshgrid(lon, lat)


def brute_force(pop: np.ndarray, units: gpd.GeoDataFrame, footprint: Footprint | None) -> dict[tuple[str, int], float]:
    """People per (cvegeo, class) by testing every cell centre with shapely, one by one."""
    lon, lat = cell_centres(*pop.shape)
    t = Transformer.from_crs("EPSG:4326", MEXICO_CRS, always_xy=True)
    x, y = t.transform(lon.ravel(), lat.ravel())
    ordered = units.sort_values("cvegeo")
    out: dict[tuple[str, int], float] = {}
    for k, (xi, yi, p) in enumerate(zip(x, y, pop.ravel())):
        if p == NODATA or np.isnan(p):
            continue
        pt = shapely.Point(xi, yi)
        key = OUTSIDE_KEY
        for cv, g in zip(ordered["cvegeo"], ordered.geometry):
            if g.covers(pt):
                key = cv
                break
        cls = 0
        if footprint is not None:
            for c, g in zip(footprint.vector["hazard_class"], footprint.vector.geometry):
                if g.covers(pt):
                    cls = max(cls, int(c))
        out[(key, cls)] = out.get((key, cls), 0.0) + float(p)
    return out


def zone_inputs(tmp_path):
    """Population (32-cell chunks), units and a zone-cache folder under ``tmp_path``."""
    path = write_population(tmp_path / "pop.tif", population_array())
    units = roundtrip_gpkg(units_frame(), tmp_path / "units.gpkg", "units")
    return open_population(path, chunks=32), units, tmp_path / "cache"
