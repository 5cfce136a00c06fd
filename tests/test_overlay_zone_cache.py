"""The zone cache is verified by content before reuse, and built so that a concurrent reader
never sees half of it."""
from __future__ import annotations

import json
import threading
import warnings

import numpy as np
import pytest
import rasterio

from geodisp.zonal import crosstab, hazard_raster, zone_raster
from geodisp.zonal.zones import file_sha256
from test_overlay_fixtures import (
    footprint_frame, zone_inputs,
)


@pytest.fixture()
def inputs(tmp_path):
    return zone_inputs(tmp_path)


def _people(population, zones) -> dict[str, float]:
    table = crosstab(population, zones, hazard_raster(footprint_frame(), population)).table
    return table.groupby("cvegeo")["people"].sum().to_dict()


def _swap_codes_in_place(tif, a: int, b: int) -> None:
    """Swap two units' codes inside the cached GeoTIFF and give the file back its former size."""
    size = tif.stat().st_size
    with rasterio.open(tif) as src:
        profile, tags, data = src.profile, src.tags(), src.read(1)
    swapped = np.where(data == a, b, np.where(data == b, a, data)).astype(data.dtype)
    profile.update(zstd_level=22)
    with rasterio.open(tif, "w", **profile) as dst:
        dst.update_tags(**tags)
        dst.write(swapped, 1)
    grown = tif.stat().st_size
    assert grown <= size, (grown, size)
    with open(tif, "ab") as fh:  # TIFF readers ignore bytes after the last tile
        fh.write(b"\0" * (size - grown))
    assert tif.stat().st_size == size


def test_a_cache_edited_in_place_is_rebuilt_not_reused(inputs):
    population, units, cache = inputs
    good = zone_raster(units, population, cache_dir=cache)
    expected = _people(population, good)
    keys = good.keys
    _swap_codes_in_place(good.path, 2, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = zone_raster(units, population, cache_dir=cache)
    assert again.cache.startswith("rebuilt: ") and "SHA-256" in again.cache, again.cache
    assert any("stale" in str(w.message) for w in caught)
    got = _people(population, again)
    assert got == pytest.approx(expected, rel=1e-12)
    assert expected[keys[2]] != pytest.approx(expected[keys[3]])  # the swap would have shown
    assert again.sha256 == file_sha256(again.path)


def test_an_edited_tile_map_in_the_sidecar_is_rebuilt(inputs):
    population, units, cache = inputs
    good = zone_raster(units, population, cache_dir=cache)
    sidecar = good.path.with_suffix(".json")
    m = json.loads(sidecar.read_text())
    m["nonempty"] = "00" * (len(m["nonempty"]) // 2)  # every tile 'empty': every person 'outside'
    sidecar.write_text(json.dumps(m))
    again = zone_raster(units, population, cache_dir=cache)
    assert again.cache.startswith("rebuilt: ") and "edited" in again.cache, again.cache
    np.testing.assert_array_equal(again.codes.values, good.codes.values)


def test_a_rebuild_never_leaves_the_pair_missing_for_a_concurrent_reader(inputs):
    population, units, cache = inputs
    good = zone_raster(units, population, cache_dir=cache)
    sidecar = good.path.with_suffix(".json")
    good.path.write_bytes(good.path.read_bytes()[:-10])  # stale: the next call rebuilds
    seen: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append("json" if sidecar.exists() else "no json")
            seen.append("tif" if good.path.exists() else "no tif")

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        again = zone_raster(units, population, cache_dir=cache)
    finally:
        done.set()
        watcher.join()
    assert again.cache.startswith("rebuilt: ")
    assert "no json" not in seen and "no tif" not in seen
