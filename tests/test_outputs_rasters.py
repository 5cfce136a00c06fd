"""COG rasters on the population grid: values checked against brute-force loops."""
from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
import rasterio

from geodisp.outputs import event_cells, rasters, write_event_rasters
from test_outputs_fixture import CELL, X0, Y0, codes_array, hazard_array, population_array, sample_result


@pytest.fixture
def written(tmp_path):
    result = sample_result(tmp_path)
    return write_event_rasters(result, tmp_path / "out", blocksize=16)


def test_displaced_raster_sums_to_each_unit_figure_and_follows_population(written):
    paths, notes = written
    assert notes == []
    with rasterio.open(paths["displaced_raster"]) as src:
        arr = src.read(1)
        assert src.crs.to_epsg() == 6372
        # units 12001 and 12002 (cols 0-19) have a non-zero figure: the raster spans them, on the grid
        assert (src.height, src.width) == (10, 20)
        assert tuple(src.transform)[:6] == (CELL, 0.0, X0, 0.0, -CELL, Y0)
        top = float(src.tags()[rasters.COLOUR_TAG])
    codes, pop = codes_array()[:, :20], population_array()[:, :20]
    for code, value in {1: 1234.4, 2: 56.0}.items():
        assert np.nansum(arr[codes == code]) == pytest.approx(value, rel=1e-6)
    unit_pop = sum(pop[r, c] for r in range(10) for c in range(10))  # brute force: cell people / unit people
    assert arr[3, 4] == pytest.approx(1234.4 * pop[3, 4] / unit_pop, rel=1e-6)
    positive = arr[np.isfinite(arr) & (arr > 0)]
    assert top == pytest.approx(float(np.quantile(positive, 0.98)), rel=1e-6)  # every cell sampled on a tiny grid


def test_exposed_raster_bands_match_brute_force(written):
    paths, _ = written
    pop, hz, codes = population_array(), hazard_array(), codes_array()
    with rasterio.open(paths["exposed_raster"]) as src:
        assert src.descriptions == ("exposed_class_1", "exposed_class_2")
        assert src.width == 15 and tuple(src.transform)[:6] == (CELL, 0.0, X0, 0.0, -CELL, Y0)  # class cells: cols 0-14
        bands = src.read()
    for k in (1, 2):
        for code in (1, 2, 3):
            brute = sum(pop[r, c] for r in range(10) for c in range(30) if hz[r, c] == k and codes[r, c] == code)
            assert np.nansum(bands[k - 1][codes[:, :15] == code]) == pytest.approx(brute, rel=1e-6)


def test_rasters_are_cloud_optimized(written):
    paths, _ = written
    for name, overviews in (("displaced_raster", [2]), ("exposed_raster", [])):  # 10 x 20 and 10 x 15 cells
        with rasterio.open(paths[name]) as src:
            assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
            assert src.profile["tiled"] and src.block_shapes[0] == (16, 16)
            assert src.overviews(1) == overviews
            assert np.isnan(src.nodata)
            assert src.tags()["units"] == "people per cell"


def test_overview_factors_stop_when_one_block_holds_the_raster():
    assert rasters.overview_factors(10, 30, 16) == [2]
    assert rasters.overview_factors(10, 16, 16) == []
    assert rasters.overview_factors(22080, 38400, 512) == [2, 4, 8, 16, 32, 64, 128]


def test_colour_top_without_tag_reads_a_bounded_overview(tmp_path, written):
    paths, _ = written
    plain = tmp_path / "plain.tif"
    with rasterio.open(paths["displaced_raster"]) as src:
        profile, values = src.profile, src.read(1)
    profile.update(driver="GTiff")
    with rasterio.open(plain, "w", **profile) as dst:
        dst.write(values, 1)
    assert rasters.colour_ramp_top(plain, max_cells=10**6) == pytest.approx(float(np.quantile(values[values > 0], 0.98)))


def _with(result, units=None, codes=None, exposed=None, table=None):
    """The hand-built result with some of its parts replaced (stage results are frozen)."""
    zones = result.overlay.zones
    if codes is not None:
        zones = SimpleNamespace(codes=codes, keys=zones.keys)
    sources = replace(result.sources, units=units if units is not None else result.sources.units)
    overlay = replace(result.overlay, zones=zones, exposed=exposed if exposed is not None else result.overlay.exposed)
    estimates = replace(result.estimates, table=table if table is not None else result.estimates.table)
    return replace(result, sources=sources, overlay=overlay, estimates=estimates)


def test_population_not_covering_every_unit_is_noted_not_a_crash(tmp_path):
    """The unit with the highest code lies off the raster (its code never appears; the
    old writer indexed past the end): its figure is named in the notes, the rest drawn."""
    from shapely.affinity import translate

    result = sample_result(tmp_path)
    units, exposed, table = result.units.copy(), result.overlay.exposed.copy(), result.table.copy()
    off = units.cvegeo == "12004"
    units.loc[off, "geometry"] = translate(units.geometry[off].iloc[0], 1e6, 0)
    exposed.loc[exposed.cvegeo == "12004", "people"] = 0.0
    table.loc[table.cvegeo == "12004", "displaced"] = 42.0
    codes = result.overlay.zones.codes
    result = _with(result, units=units, codes=codes.where(codes != 4, 0), exposed=exposed, table=table)
    paths, notes = write_event_rasters(result, tmp_path / "out", blocksize=16)
    assert notes == [("unit_not_drawn", {"key": "12004", "value": "42"})]
    with rasterio.open(paths["displaced_raster"]) as src:
        assert np.nansum(src.read(1)) == pytest.approx(1234.4 + 56.0, rel=1e-6)


def test_raster_covering_no_unit_writes_nothing_and_says_so(tmp_path):
    result = sample_result(tmp_path)
    units = result.units.copy()
    units["geometry"] = units.geometry.translate(1e6, 0)
    result = _with(result, units=units, codes=result.overlay.zones.codes * 0)
    paths, notes = write_event_rasters(result, tmp_path / "out", blocksize=16)
    assert paths == {} and notes == [("no_unit_cells", {})]


def test_grid_mismatch_stops_loudly(tmp_path):
    result = sample_result(tmp_path)
    result = _with(result, codes=result.overlay.zones.codes[:, :20])
    with pytest.raises(ValueError, match="zone raster is not on the population grid"):
        event_cells(result)
