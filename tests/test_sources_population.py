"""Population raster: lazy float32 windows, nodata and negatives masked, CRS required, grid untouched."""
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


def test_masks_nodata_and_negatives_lazy_float32(tmp_path: Path) -> None:
    data = grid()
    path = write(tmp_path / "worldpop.tif", data, "EPSG:4326", -99999.0)
    people = open_population(path, chunks=8)
    assert isinstance(people.data, da.Array)
    assert people.dtype == np.float32
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


def test_integer_raster_reads_as_float32_with_nodata_masked(tmp_path: Path) -> None:
    data = np.array([[5, -9999, 7], [0, 3, -2]], dtype="int16")
    path = tmp_path / "int.tif"
    with rasterio.open(path, "w", driver="GTiff", width=3, height=2, count=1, dtype="int16", crs="EPSG:4326",
                       transform=from_origin(-100.0, 18.0, 0.01, 0.01), nodata=-9999) as dst:
        dst.write(data, 1)
    values = open_population(path, chunks=2).values
    assert values.dtype == np.float32
    np.testing.assert_array_equal(values, np.array([[5, np.nan, 7], [0, 3, np.nan]], dtype="float32"))


def test_crosstab_sums_float32_cells_in_float64(tmp_path: Path) -> None:
    """A million cells of 1.1 people: summed in float32 the total is off by a tenth of a person."""
    from geodisp.zonal import crosstab, hazard_raster
    from geodisp.zonal.grid import Grid
    from geodisp.zonal.zones import Zones
    from geodisp.model.footprint import Footprint
    import pandas as pd

    n = 1000
    cells = np.full((n, n), 1.1, dtype="float32")
    path = write(tmp_path / "dense.tif", cells, "EPSG:4326", None)
    people = open_population(path, chunks=500)
    grid = Grid.of(people)
    zones = Zones(grid.data_array(da.ones((n, n), dtype="uint8", chunks=500), "zone", people),
                  pd.Series(["12001"], index=pd.RangeIndex(1, 2)))
    fp = Footprint(classes=pd.DataFrame({"hazard_class": [1], "label": ["x"], "lower": [np.nan], "upper": [np.nan]}),
                   raster=grid.data_array(da.zeros((n, n), dtype="uint8", chunks=500), "hazard", people))
    table = crosstab(people, zones, hazard_raster(fp, people)).table
    exact = float(np.float64(np.float32(1.1))) * n * n  # every cell's float32 value, added in float64
    assert table.loc[table.cvegeo == "12001", "people"].sum() == pytest.approx(exact, rel=1e-12)
    assert abs(float(np.add.reduceat(cells.ravel(), [0])[0]) - exact) > 0.05  # what float32 sums would give


def test_units_outside_the_raster_are_listed_and_the_raster_writer_does_not_crash(tmp_path: Path) -> None:
    """The grid spans lon -100..-99.8, lat 17.7..18.0; 12003 lies east of it, 12002 straddles its edge."""
    import geopandas as gpd
    from shapely.geometry import box

    from geodisp.sources.population import coverage_notes

    population = open_population(write(tmp_path / "pop.tif", grid(), "EPSG:4326", None))
    units = gpd.GeoDataFrame(
        {"cvegeo": ["12001", "12002", "12003"]},
        geometry=[box(-99.95, 17.8, -99.9, 17.9), box(-99.85, 17.8, -99.7, 17.9), box(-99.0, 17.8, -98.9, 17.9)],
        crs="EPSG:4326",
    ).to_crs("EPSG:6372")
    assert [n.render("en") for n in coverage_notes(population, units)] == [
        "1 unit outside the population raster's coverage: 12003",
        "1 unit only partly covered by the population raster (only the people of the covered part count): 12002",
    ]
    # the raster writer names such units instead of indexing past the window's codes:
    # tests/test_outputs_rasters.py::test_population_not_covering_every_unit_is_noted_not_a_crash
