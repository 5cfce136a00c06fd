"""A track along the Pacific coast making landfall, through the lazy wind swath on a population grid."""
from __future__ import annotations

import math

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
import rioxarray  # noqa: F401
import xarray as xr
from rasterio.transform import from_origin

from geodisp.hazard_models import windfield as wf
from geodisp.hazard_models.lattice import interpolate, interpolate_classes, lattice_step
from geodisp.hazard_models.swath import wind_field, wind_footprint
from geodisp.model.footprint import classify
from geodisp.zonal.grid import Grid

CELL = 0.02  # degrees (about 2.1 km)
WEST, NORTH = -101.5, 18.6
SHAPE = (190, 200)  # rows, cols: 14.8-18.6 N, 101.5-97.5 W


def _coast_lat(lon):
    """A wavy Pacific coast: land north of it."""
    return 16.6 + 0.25 * np.sin((lon + 99.4) * 2.0)


def population(chunks: int = 64) -> xr.DataArray:
    rows, cols = SHAPE
    lon = WEST + (np.arange(cols) + 0.5) * CELL
    lat = NORTH - (np.arange(rows) + 0.5) * CELL
    lon2, lat2 = np.meshgrid(lon, lat)
    rng = np.random.default_rng(7)
    people = rng.gamma(2.0, 20.0, size=SHAPE)
    people = np.where(lat2 > _coast_lat(lon2), people, np.nan)  # sea: nodata
    arr = xr.DataArray(da.from_array(people, chunks=chunks), dims=("y", "x"), coords={"y": lat, "x": lon}, name="people")
    return arr.rio.write_crs("EPSG:4326").rio.write_transform(from_origin(WEST, NORTH, CELL, CELL))


def landfall_track() -> pd.DataFrame:
    """East-north-east along the coast, offshore, then north to landfall at 16.6 N 99.4 W (145 kt), inland and weakening."""
    fixes = [
        ("2023-10-24 00:00", 15.9, -101.2, 110, 950),
        ("2023-10-24 06:00", 16.0, -100.5, 130, 935),
        ("2023-10-24 12:00", 16.3, -99.8, 145, 923),
        ("2023-10-24 14:00", 16.6, -99.4, 145, 923),  # landfall ('L' in HURDAT2)
        ("2023-10-24 18:00", 17.2, -99.2, 90, 965),
        ("2023-10-25 00:00", 17.9, -99.0, 50, 990),
    ]
    frame = pd.DataFrame(fixes, columns=["time", "lat", "lon", "vmax_kt", "pressure_hpa"])
    frame["time"] = pd.to_datetime(frame["time"])
    frame["env_pressure_hpa"] = np.nan
    frame["rmax_km"] = [25.0, 20.0, 15.0, 15.0, 25.0, 40.0]
    for c in wf.RADII_COLUMNS:
        frame[c] = np.nan
    for q in wf.QUADRANTS:  # radii at the first two fixes only (nm x 1.852)
        frame.loc[:1, f"r34_{q}_km"] = [140.0, 150.0]
        frame.loc[:1, f"r64_{q}_km"] = [45.0, 50.0]
    frame["lead_hours"] = 0.0
    frame["record"] = [f"line {i}" for i in range(len(frame))]
    return frame


def cell_centres():
    rows, cols = SHAPE
    lon = WEST + (np.arange(cols) + 0.5) * CELL
    lat = NORTH - (np.arange(rows) + 0.5) * CELL
    lon2, lat2 = np.meshgrid(lon, lat)
    return lat2, lon2


def test_exact_lattice_equals_direct_evaluation_at_cell_centres():
    track = landfall_track()
    wind, _, window = wind_field(track, population(64), floor_kt=27.2, spacing_km=1.0)  # step 1: every cell is a node
    assert lattice_step(Grid.of(population(64)), 1.0) == 1
    lat, lon = cell_centres()
    direct = wf.max_wind(lat, lon, wf.storm_steps(track, 27.2 * wf.KT)) / np.float32(wf.KT)
    direct = np.where(direct >= np.float32(27.2), direct, 0)
    got = wind.data.compute()
    np.testing.assert_allclose(got, direct, rtol=1e-6, atol=1e-5)
    r0, c0, h, w = window
    outside = np.ones(SHAPE, bool)
    outside[r0:r0 + h, c0:c0 + w] = False
    assert not got[outside].any()


def test_the_swath_does_not_depend_on_chunks_and_the_lattice_is_close_to_exact():
    track = landfall_track()
    a, ca, _ = wind_field(track, population(64), floor_kt=27.2, spacing_km=4.5, edges=wf.SAFFIR_SIMPSON_KT)  # nodes every 2 cells
    b, cb, _ = wind_field(track, population(100), floor_kt=27.2, spacing_km=4.5, edges=wf.SAFFIR_SIMPSON_KT)
    with dask.config.set(scheduler="synchronous"):
        va, vb = a.data.compute(), b.data.compute()
        ka, kb = ca.data.compute(), cb.data.compute()
    np.testing.assert_array_equal(va, vb)
    np.testing.assert_array_equal(ka, kb)
    # classes from the nodes (interpolating only between nodes of different classes) = classes of the values
    np.testing.assert_array_equal(ka, classify(va, wf.SAFFIR_SIMPSON_KT))
    exact, _, _ = wind_field(track, population(64), floor_kt=27.2, spacing_km=1.0)
    ve = exact.data.compute()
    both = (va > 0) & (ve > 0)
    error = np.abs(va - ve)[both]
    # measured: 4.5 kt at most (the eye's path, where the swath bends sharply), 0.04 kt on average
    assert error.max() < 5.0 and error.mean() < 0.1
    changed = classify(va, wf.SAFFIR_SIMPSON_KT) != classify(ve, wf.SAFFIR_SIMPSON_KT)
    assert changed.mean() < 0.005


def test_classes_from_nodes_equal_classes_of_interpolated_values():
    rng = np.random.default_rng(3)
    nodes = rng.uniform(0, 260, size=(9, 12)).astype("float32")
    nodes[2, 3] = np.nan
    nodes[5:7, 5:8] = 100.0  # a flat patch: one class between these nodes, no interpolation needed
    # block (row 0, col 0, 24 x 33 cells) uses all nodes; block (6, 9, 12 x 15) node rows 2-6, columns 3-8
    blocks = (((0, 0, 24, 33), nodes), ((6, 9, 12, 15), nodes[2:7, 3:9]))
    for edges in ([34.0, 64.0, 83.0, 96.0, 113.0, 137.0, math.inf], [34.0, 50.0, 64.0, 83.0, 200.0]):  # open and closed top
        edges = np.asarray(edges, dtype="float32")
        for (r0, c0, h, w), block_nodes in blocks:
            values = interpolate(block_nodes, r0, c0, h, w, 3)
            np.testing.assert_array_equal(interpolate_classes(block_nodes, r0, c0, h, w, 3, edges), classify(values, edges))


def test_interpolate_is_bilinear_between_nodes():
    nodes = np.array([[0.0, 3.0, 6.0], [30.0, 33.0, 36.0], [60.0, 63.0, 66.0]])
    cells = interpolate(nodes, 0, 0, 4, 4, 2)  # node every 2 cells: cell i is at node position i / 2
    expected = np.array([[30 * (i / 2) + 3 * (j / 2) for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(cells, expected, rtol=1e-6)


def test_landfall_winds_classes_and_people():
    track = landfall_track()
    pop = population(64)
    fp = wind_footprint(track, pop, forecast=False, source="otis.txt", spacing_km=1.0)
    wind = fp.intensity.data.compute()  # lattice step 1: the nodes are the cell centres
    assert fp.intensity.rio.transform() == pop.rio.transform()
    classes = fp.raster.data.compute()
    np.testing.assert_array_equal(classes, classify(wind, wf.SAFFIR_SIMPSON_KT))
    assert fp.classes["label"].tolist()[-1] == ">=137 kt (cat. 5)"
    lat, lon = cell_centres()
    people = pop.data.compute()
    land = np.isfinite(people)
    k = math.pi / 180 * wf.EARTH_KM
    near_landfall = land & (np.hypot((lon + 99.4) * k * math.cos(math.radians(16.6)), (lat - 16.6) * k) < 40)
    # close to the reported landfall intensity on land (the strongest, right-hand side is still at sea
    # at landfall), and nowhere more than the reported maximum
    assert 130.0 <= wind[near_landfall].max() <= 145.0
    assert wind.max() <= 145.0 + 1e-3
    # inland, 150 km on, the weakening storm (50 kt at the last fix) no longer brings hurricane winds
    far_inland = land & (lat > 17.95)
    assert wind[far_inland].max() < 64.0
    # right of the track (east, land) is windier than the left at the same distance from landfall
    assert classes[land].max() == 6  # category 5 over land at landfall
    # people per class by brute force over the small grid
    for c in range(7):
        assert np.nansum(np.where(classes == c, people, 0)) == pytest.approx(
            float(sum(people[i, j] for i, j in zip(*np.nonzero((classes == c) & land)))), rel=1e-12)


def test_translation_asymmetry_on_the_grid():
    """Moving east-north-east along the coast, the right (south, sea) side is windier than the left (north, land)."""
    track = landfall_track()
    wind, _, _ = wind_field(track, population(64), floor_kt=27.2, spacing_km=1.0)
    w = wind.data.compute()
    lat, lon = cell_centres()
    k = math.pi / 180 * wf.EARTH_KM
    col = int(np.argmin(np.abs(lon[0] + 100.5)))
    south = w[int(np.argmin(np.abs(lat[:, col] - (16.0 - 60 / k)))), col]
    north = w[int(np.argmin(np.abs(lat[:, col] - (16.0 + 60 / k)))), col]
    assert south > north + 4.0
