"""Per-cell arrays (geodisp.zonal.percell) and their streamed COG writer, against brute-force loops."""
from __future__ import annotations

import tracemalloc

import dask.array as da
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from geodisp.outputs import rasters
from geodisp.sources.population import open_population
from geodisp.zonal import percell
from geodisp.zonal.grid import Grid, cores

X0, Y0, CELL = 500_000.0, 2_000_000.0, 100.0


def tiny(tmp_path, shape=(23, 31), seed=0):
    """Random people (some nodata), three units as column bands with a gap, classes 0-3."""
    rng = np.random.default_rng(seed)
    h, w = shape
    pop = rng.gamma(2.0, 3.0, size=shape).astype("float32")
    pop[rng.random(shape) < 0.1] = -9999.0
    path = tmp_path / "pop.tif"
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=1, dtype="float32", crs="EPSG:6372",
                       transform=from_origin(X0, Y0, CELL, CELL), nodata=-9999.0) as dst:
        dst.write(pop, 1)
    bands = {"12001": (0, 9), "12002": (9, 20), "12003": (24, 31)}  # cols 20-23 outside every unit
    codes = np.zeros(shape, dtype="uint8")
    for code, (c0, c1) in enumerate(bands.values(), start=1):
        codes[:, c0:c1] = code
    hz = (rng.integers(0, 4, size=shape) * (np.arange(h)[:, None] < 15)).astype("uint8")  # rows 15+ unclassed
    units = gpd.GeoDataFrame({"cvegeo": list(bands)}, geometry=[box(X0 + c0 * CELL, Y0 - h * CELL, X0 + c1 * CELL, Y0) for c0, c1 in bands.values()], crs="EPSG:6372")
    keys = pd.Series(list(bands), index=pd.RangeIndex(1, 4), name="cvegeo")
    people = np.where(pop < 0, np.nan, pop).astype("float64")
    return path, people, codes, hz, units, keys


def arrays(path, codes, hz, units, keys, people, chunks):
    pop = open_population(path, chunks=chunks)
    grid = Grid.of(pop)
    z = grid.data_array(da.from_array(codes, chunks=chunks), "zone", pop)
    h = grid.data_array(da.from_array(hz, chunks=chunks), "hazard", pop)
    unit_people = {k: float(np.nansum(people[codes == c])) for c, k in keys.items()}
    return percell.per_cell(pop, z, keys, units, unit_people, h, [1, 2, 3])


def test_exposed_and_spread_match_brute_force(tmp_path):
    path, people, codes, hz, units, keys = tiny(tmp_path)
    cells = arrays(path, codes, hz, units, keys, people, chunks=8)
    ex = cells.exposed
    (r, c) = ex.window
    assert (r, c) == (slice(0, 15), slice(0, 31))  # class cells: rows 0-14; units span every column
    got = ex.data.values
    for k in (1, 2, 3):
        for i in range(15):
            for j in range(31):
                want = np.nan if np.isnan(people[i, j]) else (people[i, j] if hz[i, j] == k else 0.0)
                assert got[k - 1, i, j] == pytest.approx(want, nan_ok=True, rel=1e-6)
    values = {"12001": 100.0, "12002": 0.0, "12003": 7.5}
    raster, not_drawn = percell.spread(cells, values)
    assert not_drawn == {}
    assert raster.window == (slice(0, 23), slice(0, 31))  # 12001 and 12003 drawn: cols 0-30
    assert raster.transform == from_origin(X0, Y0, CELL, CELL)
    out = raster.data.values[0]
    unit_people = {c: np.nansum(people[codes == c]) for c in (1, 2, 3)}
    for i in range(23):
        for j in range(31):
            code = codes[i, j]
            if code == 0:
                assert np.isnan(out[i, j])
                continue
            value = values[keys[code]]
            cell = 0.0 if np.isnan(people[i, j]) else people[i, j]
            assert out[i, j] == pytest.approx(value * cell / unit_people[code], rel=1e-6, abs=1e-9)
    for code, key in keys.items():
        assert np.nansum(out[codes == code], dtype="float64") == pytest.approx(values[key], rel=1e-6)


def test_spread_window_is_the_units_with_a_non_zero_figure(tmp_path):
    path, people, codes, hz, units, keys = tiny(tmp_path)
    cells = arrays(path, codes, hz, units, keys, people, chunks=8)
    raster, _ = percell.spread(cells, {"12002": 3.0, "12003": float("nan")})
    assert raster.window == (slice(0, 23), slice(9, 20))
    assert raster.transform == from_origin(X0 + 9 * CELL, Y0, CELL, CELL)
    assert float(np.nansum(raster.data.values, dtype="float64")) == pytest.approx(3.0, rel=1e-6)
    assert percell.spread(cells, {"12001": 0.0}) == (None, {})


def test_identical_whatever_the_chunk_size(tmp_path):
    path, people, codes, hz, units, keys = tiny(tmp_path)
    values = {"12001": 100.0, "12002": 12.0, "12003": 7.5}
    results = []
    for chunks in (4, 7, 64):
        cells = arrays(path, codes, hz, units, keys, people, chunks)
        results.append((cells.exposed.data.values, percell.spread(cells, values)[0].data.values))
    for ex, sp in results[1:]:
        np.testing.assert_array_equal(ex, results[0][0])
        np.testing.assert_array_equal(sp, results[0][1])


def test_written_cogs_hold_the_lazy_arrays_and_the_same_cells_whatever_the_chunks(tmp_path):
    path, people, codes, hz, units, keys = tiny(tmp_path)
    values = {"12001": 100.0, "12002": 12.0, "12003": 7.5}
    files = []
    for chunks in (5, 64):
        cells = arrays(path, codes, hz, units, keys, people, chunks)
        paths, notes = rasters.write_rasters(tmp_path / f"out{chunks}", "ev", cells, values, blocksize=16)
        assert notes == []
        with rasterio.open(paths["displaced_raster"]) as d, rasterio.open(paths["exposed_raster"]) as e:
            files.append((d.read(), e.read(), d.tags()[rasters.COLOUR_TAG]))
    np.testing.assert_array_equal(files[0][0], files[1][0])
    np.testing.assert_array_equal(files[0][1], files[1][1])
    assert files[0][2] == files[1][2]
    np.testing.assert_array_equal(files[0][1], cells.exposed.data.values)


def test_colour_sample_picks_the_same_cells_whatever_the_blocks():
    grid = np.arange(12 * 10, dtype="float32").reshape(12, 10)
    whole = rasters._sample(grid, 0, 0, 10, 7)
    assert whole.tolist() == list(range(0, 120, 7))
    parts = [rasters._sample(grid[r:r + 5, c:c + 4], r, c, 10, 7) for r in range(0, 12, 5) for c in range(0, 10, 4)]
    assert sorted(np.concatenate(parts).tolist()) == whole.tolist()


def test_writer_memory_is_bounded_by_the_chunk_not_the_grid(tmp_path, monkeypatch):
    """numpy allocations while writing a 1,024² grid in 128² chunks stay a small multiple of one chunk."""
    n, chunk = 1024, 128
    rng = np.random.default_rng(1)
    path = tmp_path / "big.tif"
    with rasterio.open(path, "w", driver="GTiff", width=n, height=n, count=1, dtype="float32", crs="EPSG:6372",
                       transform=from_origin(X0, Y0, CELL, CELL), tiled=True, blockxsize=256, blockysize=256) as dst:
        for r in range(0, n, 256):
            dst.write(rng.gamma(2.0, 3.0, size=(256, n)).astype("float32"), 1, window=rasterio.windows.Window(0, r, n, 256))
    pop = open_population(path, chunks=chunk)
    grid = Grid.of(pop)
    codes = da.from_array(np.repeat(np.arange(1, 5, dtype="uint8"), n // 4)[None, :], chunks=(1, chunk))
    codes = grid.data_array(da.broadcast_to(codes, (n, n), chunks=chunk), "zone", pop)
    hz = grid.data_array((codes.data % 3).astype("uint8"), "hazard", pop)
    keys = pd.Series(["1", "2", "3", "4"], index=pd.RangeIndex(1, 5))
    units = gpd.GeoDataFrame({"cvegeo": list(keys)}, geometry=[box(X0 + i * n / 4 * CELL, Y0 - n * CELL, X0 + (i + 1) * n / 4 * CELL, Y0) for i in range(4)], crs="EPSG:6372")
    cells = percell.per_cell(pop, codes, keys, units, {k: 1e6 for k in keys}, hz, [1, 2])
    monkeypatch.setattr(rasters, "SAMPLE_CELLS", 10_000)  # the colour sample is capped; keep it out of the measure
    chunk_bytes = chunk * chunk * 4 * 3  # one chunk of every output band, float32
    grid_bytes = n * n * 4 * 3
    tracemalloc.start()
    try:
        paths, _ = rasters.write_rasters(tmp_path / "out", "big", cells, {k: 10.0 for k in keys}, blocksize=256)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    bound = 2 * (cores() + 4) * chunk_bytes  # blocks in flight (cores + 1) and their temporaries
    assert peak < bound, (peak, chunk_bytes)
    assert bound < grid_bytes / 4 or cores() > 2  # the bound means something on this machine (2 cores)
    with rasterio.open(path) as src:
        total = float(src.read(1).sum(dtype="float64"))
    with rasterio.open(paths["displaced_raster"]) as src:  # each unit's 10 over a denominator of 1e6 people
        assert src.shape == (n, n) and float(np.nansum(src.read(1), dtype="float64")) == pytest.approx(total * 10 / 1e6, rel=1e-5)
