"""Population raster: lazy, float64, nodata and negatives masked, CRS required, grid untouched."""
from __future__ import annotations

from pathlib import Path

import dask.array as da
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from geodisp.model.errors import InputError
from geodisp.sources.population import open_population


def write(path: Path, data: np.ndarray, crs: str | None, nodata: float | None, transform=None) -> Path:
    profile = dict(
        driver="GTiff", height=data.shape[-2], width=data.shape[-1], count=1 if data.ndim == 2 else data.shape[0],
        dtype=data.dtype, crs=crs, nodata=nodata, transform=transform or from_origin(-100.0, 18.0, 0.01, 0.01),
    )
    with rasterio.open(path, "w", **profile) as dst:
        if data.ndim == 2:
            dst.write(data, 1)
        else:
            dst.write(data)
    return path


def grid() -> np.ndarray:
    data = (np.arange(30 * 20, dtype="float32").reshape(30, 20) % 7) * 1.5
    data[0, 0] = -99999.0  # nodata
    data[3, 4] = -5.0  # undeclared negative fill
    data[10, 10] = 0.0  # a real zero stays zero
    return data


def test_masks_nodata_and_negatives_lazy_float64(tmp_path: Path) -> None:
    data = grid()
    path = write(tmp_path / "worldpop.tif", data, "EPSG:4326", -99999.0)
    people = open_population(path, chunks=8)
    assert isinstance(people.data, da.Array)
    assert people.dtype == np.float64
    assert people.chunks == ((8, 8, 8, 6), (8, 8, 4))
    values = people.values
    assert np.isnan(values[0, 0]) and np.isnan(values[3, 4])
    assert values[10, 10] == 0.0
    expected = sum(float(v) for v in data.ravel() if v >= 0)  # brute-force loop
    assert float(people.sum().compute()) == pytest.approx(expected)
    assert int(np.isnan(values).sum()) == 2
    assert people.rio.crs.to_epsg() == 4326
    assert people.rio.transform() == from_origin(-100.0, 18.0, 0.01, 0.01)
    assert people.shape == (30, 20)


def test_sum_independent_of_chunks(tmp_path: Path) -> None:
    path = write(tmp_path / "p.tif", grid(), "EPSG:4326", -99999.0)
    sums = {c: float(open_population(path, chunks=c).sum().compute()) for c in (3, 7, 1024)}
    assert len(set(sums.values())) == 1


def test_mollweide_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "ghs.tif", grid(), "ESRI:54009", None, transform=from_origin(-9.6e6, 2.2e6, 100, 100))
    people = open_population(path)
    assert "Mollweide" in people.rio.crs.to_wkt()
    assert people.rio.resolution() == (100.0, -100.0)


def test_no_crs_is_error(tmp_path: Path) -> None:
    path = write(tmp_path / "nocrs.tif", grid(), None, None)
    with pytest.raises(InputError, match="nocrs.tif: the population raster has no CRS"):
        open_population(path)


def test_multiband_and_missing_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "two.tif", np.stack([grid(), grid()]), "EPSG:4326", None)
    with pytest.raises(InputError, match="two.tif: expected one band"):
        open_population(path)
    with pytest.raises(InputError, match="file not found"):
        open_population(tmp_path / "absent.tif")


def test_units_outside_the_raster_are_listed_and_the_raster_writer_does_not_crash(tmp_path: Path) -> None:
    """The grid spans lon -100..-99.8, lat 17.7..18.0; 12003 lies east of it, 12002 straddles its edge."""
    import geopandas as gpd
    from shapely.geometry import box

    from geodisp.outputs.rasters import displaced_per_cell
    from geodisp.sources.population import coverage_notes

    population = open_population(write(tmp_path / "pop.tif", grid(), "EPSG:4326", None))
    units = gpd.GeoDataFrame(
        {"cvegeo": ["12001", "12002", "12003"]},
        geometry=[box(-99.95, 17.8, -99.9, 17.9), box(-99.85, 17.8, -99.7, 17.9), box(-99.0, 17.8, -98.9, 17.9)],
        crs="EPSG:4326",
    ).to_crs("EPSG:6372")
    assert [n.render("en") for n in coverage_notes(population, units)] == [
        "1 units outside the population raster's coverage: 12003",
        "1 units only partly covered by the population raster (only the people of the covered part count): 12002",
    ]
    # the unit off the grid has the highest zone code, absent from the cropped window: named, no IndexError
    arr, notes = displaced_per_cell(np.array([[1.0, 3.0]]), np.array([[1, 2]]),
                                    {1: "12001", 2: "12002", 3: "12003"}, {"12001": 4.0, "12002": 6.0, "12003": 9.0})
    assert notes == [("unit_not_drawn", {"key": "12003", "value": "9"})]
    assert arr.tolist() == [[4.0, 6.0]]
