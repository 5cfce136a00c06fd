"""Zone raster: codes, compact dtype, the cache (reuse, staleness), projected grids."""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import shapely

from geodisp.zonal import crosstab, hazard_raster, zone_raster
from test_overlay_fixtures import (
    footprint_frame, open_population, population_array, units_frame, write_population, zone_inputs,
)


@pytest.fixture()
def inputs(tmp_path):
    return zone_inputs(tmp_path)


def test_codes_follow_sorted_keys_in_a_compact_dtype(inputs):
    population, units, _ = inputs
    zones = zone_raster(units.iloc[::-1], population)
    assert zones.keys.tolist() == sorted(units["cvegeo"])
    assert zones.keys.index.tolist() == list(range(1, len(units) + 1))
    assert zones.codes.dtype == np.uint8  # 7 units
    assert zones.codes.shape == population.shape and zones.codes.chunks == population.chunks
    assert zones.codes.rio.crs == population.rio.crs
    assert zones.cache is None
    values = zones.codes.values
    assert set(np.unique(values).tolist()) == {0, 2, 3, 4, 5, 6, 7}  # the tiny unit (code 1, 09005) has no centre


def test_cache_is_built_once_then_reused(inputs):
    population, units, cache = inputs
    first = zone_raster(units, population, cache_dir=cache)
    assert first.cache == "built" and first.path.exists()
    mtime = first.path.stat().st_mtime_ns
    lazy = zone_raster(units, population)
    np.testing.assert_array_equal(first.codes.values, lazy.codes.values)
    second = zone_raster(units, population, cache_dir=cache)
    assert second.cache == "reused" and second.path == first.path
    assert second.path.stat().st_mtime_ns == mtime  # not rewritten
    np.testing.assert_array_equal(second.codes.values, lazy.codes.values)
    # the chunks of a later population open need not match the build's
    other = open_population(first.path.parent.parent / "pop.tif", chunks=45)
    third = zone_raster(units, other, cache_dir=cache)
    assert third.cache == "reused" and third.codes.chunks == other.chunks
    np.testing.assert_array_equal(third.codes.values, lazy.codes.values)
    # crosstab on cached zones equals the lazy one exactly (same cells, same chunks)
    hz = hazard_raster(footprint_frame(), population)
    a = crosstab(population, first, hz).table
    b = crosstab(population, lazy, hz).table
    np.testing.assert_array_equal(a["people"].to_numpy(), b["people"].to_numpy())


def test_edited_boundaries_get_their_own_cache(inputs):
    population, units, cache = inputs
    first = zone_raster(units, population, cache_dir=cache)
    edited = units.copy()
    edited.loc[0, "geometry"] = shapely.affinity.translate(edited.geometry.iloc[0], 600.0, 0.0)
    second = zone_raster(edited, population, cache_dir=cache)
    assert second.cache == "built" and second.path != first.path
    assert not np.array_equal(second.codes.values, first.codes.values)
    np.testing.assert_array_equal(second.codes.values, zone_raster(edited, population).codes.values)
    # a different grid (same boundaries) is a different cache too
    coarse = population.coarsen(x=2, y=2).sum()
    coarse = coarse.rio.write_transform(population.rio.transform() * __import__("affine").Affine.scale(2))
    assert zone_raster(units, coarse, cache_dir=cache).cache == "built"


@pytest.mark.parametrize("damage", ["manifest-keys", "truncated-tif", "other-tif", "no-manifest"])
def test_stale_cache_is_detected_and_rebuilt(inputs, damage):
    population, units, cache = inputs
    good = zone_raster(units, population, cache_dir=cache)
    expected = good.codes.values
    manifest = good.path.with_suffix(".json")
    if damage == "manifest-keys":
        m = json.loads(manifest.read_text())
        m["keys"] = m["keys"][::-1]
        manifest.write_text(json.dumps(m))
    elif damage == "truncated-tif":
        data = good.path.read_bytes()
        good.path.write_bytes(data[: len(data) // 2])
    elif damage == "other-tif":  # a zone raster of other boundaries copied over this one
        other = zone_raster(units.iloc[:3], population, cache_dir=cache)
        good.path.write_bytes(other.path.read_bytes())
    elif damage == "no-manifest":
        manifest.unlink()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = zone_raster(units, population, cache_dir=cache)
    assert again.cache.startswith("rebuilt: "), again.cache
    assert any("stale" in str(w.message) for w in caught)
    np.testing.assert_array_equal(again.codes.values, expected)
    assert zone_raster(units, population, cache_dir=cache).cache == "reused"


def test_projected_population_grid(tmp_path):
    """A Mollweide (ESRI:54009) grid: units are reprojected to it, cell by cell as shapely says."""
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", "ESRI:54009", always_xy=True)
    x0, y0 = t.transform(-99.40, 19.60)
    cell = 500.0
    pop = population_array(80, 100)
    path = write_population(tmp_path / "moll.tif", pop, lon0=round(x0, 1) + 0.37, lat0=round(y0, 1) + 0.29, cell=cell, crs="ESRI:54009")
    population = open_population(path, chunks=40)
    units = units_frame()
    zones = zone_raster(units, population, cache_dir=tmp_path / "cache")
    tr = population.rio.transform()
    xs = tr.c + cell * (np.arange(100) + 0.5)
    ys = tr.f - cell * (np.arange(80) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    moll = units.to_crs("ESRI:54009").sort_values("cvegeo")
    expected = np.zeros(gx.shape, dtype=int)
    for code, g in zip(range(len(moll), 0, -1), moll.geometry.iloc[::-1]):
        expected[shapely.covers(g, shapely.points(gx, gy))] = code
    np.testing.assert_array_equal(zones.codes.values, expected)
    assert expected.max() == len(units)
