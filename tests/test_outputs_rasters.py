"""COG rasters on the population grid: values checked against a brute-force loop."""
from __future__ import annotations

import numpy as np
import pytest
import rasterio

from geodisp.outputs import rasters
from test_outputs_fixture import CELL, X0, Y0, codes_array, hazard_array, population_array, sample_result


@pytest.fixture
def written(tmp_path):
    result = sample_result(tmp_path)
    zones = result.overlay.zones
    displaced = dict(zip(result.table["cvegeo"], result.table["displaced"]))
    paths, notes = rasters.write_rasters(tmp_path / "out", "ev", result.sources.population, zones.codes, zones.keys,
                                         displaced, result.overlay.hazard, [1, 2], blocksize=16)
    return paths, notes


def test_displaced_raster_sums_to_each_unit_figure_and_follows_population(written):
    paths, notes = written
    assert notes == []
    with rasterio.open(paths["displaced_raster"]) as src:
        arr = src.read(1)
        assert src.crs.to_epsg() == 6372
        assert tuple(src.transform)[:6] == (CELL, 0.0, X0, 0.0, -CELL, Y0)  # same grid as the population
    codes, pop = codes_array(), population_array()
    expected = {1: 1234.4, 2: 56.0, 3: 0.0}
    for code, value in expected.items():
        assert np.nansum(arr[codes == code]) == pytest.approx(value, rel=1e-6)
    # brute force: one cell's share is its people over the unit's people
    unit_pop = sum(pop[r, c] for r in range(10) for c in range(10))
    assert arr[3, 4] == pytest.approx(1234.4 * pop[3, 4] / unit_pop, rel=1e-6)
    assert np.isnan(arr[codes == 4]).all()  # unit with no figure: no data, not zero


def test_exposed_raster_bands_match_brute_force(written):
    paths, _ = written
    pop, hz, codes = population_array(), hazard_array(), codes_array()
    with rasterio.open(paths["exposed_raster"]) as src:
        assert src.descriptions == ("exposed_class_1", "exposed_class_2")
        bands = src.read()
    for k in (1, 2):
        for code in (1, 2, 3):
            brute = sum(pop[r, c] for r in range(10) for c in range(30) if hz[r, c] == k and codes[r, c] == code)
            assert np.nansum(bands[k - 1][codes == code]) == pytest.approx(brute, rel=1e-6)


def test_rasters_are_cloud_optimized(written):
    paths, _ = written
    for path in paths.values():
        with rasterio.open(path) as src:
            assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
            assert src.profile["tiled"] and src.block_shapes[0] == (16, 16)
            assert src.overviews(1) == [2]
            assert np.isnan(src.nodata)


def test_window_crops_to_units_but_stays_on_the_grid():
    codes = np.zeros((6, 8), dtype="int64")
    codes[2:4, 3:7] = 1
    rows, cols = rasters.unit_window(codes)
    assert (rows, cols) == (slice(2, 4), slice(3, 7))


def test_grid_mismatch_stops_loudly(tmp_path):
    result = sample_result(tmp_path)
    zones = result.overlay.zones
    with pytest.raises(ValueError, match="zone raster is not on the population grid"):
        rasters.write_rasters(tmp_path, "ev", result.sources.population, zones.codes[:, :20], zones.keys, {"12001": 1.0}, None, None)


def test_unit_without_populated_cells_is_named_not_dropped():
    pop = np.array([[np.nan, 5.0]])
    codes = np.array([[1, 2]])
    arr, notes = rasters.displaced_per_cell(pop, codes, {1: "12001", 2: "12002"}, {"12001": 10.0, "12002": 3.0})
    assert notes == [("unit_not_drawn", {"key": "12001", "value": "10"})]
    assert arr[0, 1] == 3.0


def test_unit_window_reads_a_dask_grid_by_reductions_only():
    import dask.array as da

    codes = np.zeros((40, 50), dtype="int32")
    codes[5:9, 30:33] = 2
    rows, cols = rasters.unit_window(da.from_array(codes, chunks=(7, 9)))
    assert (rows, cols) == (slice(5, 9), slice(30, 33))


def test_cropped_rasters_stay_on_the_population_grid(tmp_path):
    """Units covering only part of the grid: the COG is a window of the grid, same cells."""
    result = sample_result(tmp_path)
    zones = result.overlay.zones
    codes = zones.codes.where(zones.codes != 1, 0).astype("int32")  # drop unit 12001 (cols 0-9)
    paths, _ = rasters.write_rasters(tmp_path / "out", "ev", result.sources.population, codes, zones.keys,
                                     {"12002": 56.0}, result.overlay.hazard, [1, 2], blocksize=16)
    with rasterio.open(paths["displaced_raster"]) as src:
        assert src.width == 20 and tuple(src.transform)[:6] == (CELL, 0.0, X0 + 10 * CELL, 0.0, -CELL, Y0)
        arr = src.read(1)
    assert np.nansum(arr[:, 0:10]) == pytest.approx(56.0, rel=1e-6)
    with rasterio.open(paths["exposed_raster"]) as src:
        band1 = src.read(1)
    pop, hz = population_array(), hazard_array()
    assert band1[0, 0] == pytest.approx(pop[0, 10]) and hz[0, 10] == 1  # cell (0, 10) of the grid
