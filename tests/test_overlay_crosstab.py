"""Crosstab: conservation, brute-force agreement, chunk-size determinism, exactextract, rollup."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rasterio
import rioxarray
import shapely
from rasterio.transform import from_origin

from geodisp.zonal import GridMismatchError, crosstab, hazard_raster, rollup, zone_raster
from geodisp.model.footprint import Footprint
from geodisp.model.vocab import OUTSIDE_KEY
from test_overlay_fixtures import (
    CELL, LAT0, LON0, NODATA, brute_force, footprint_frame, open_population,
    population_array, roundtrip_gpkg, units_frame, write_population,
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("crosstab")
    pop = population_array()
    path = write_population(d / "pop.tif", pop)
    units = roundtrip_gpkg(units_frame(), d / "units.gpkg", "units")
    fp = footprint_frame()
    fp = Footprint(classes=fp.classes, vector=roundtrip_gpkg(fp.vector, d / "hazard.gpkg", "hazard"), source="hazard.gpkg")
    return pop, path, units, fp


@pytest.fixture(scope="module")
def reference(inputs):
    pop, _, units, fp = inputs
    return brute_force(pop, units, fp)


def _as_dict(table: pd.DataFrame) -> dict:
    return {(k, int(c)): p for k, c, p in table.itertuples(index=False) if p != 0}


def test_matches_brute_force_and_conserves(inputs, reference):
    pop, path, units, fp = inputs
    population = open_population(path, chunks=32)
    table = crosstab(population, zone_raster(units, population), hazard_raster(fp, population), n_classes=fp.n_classes).table
    assert list(table.columns) == ["cvegeo", "hazard_class", "people"]
    # every unit and outside, classes 0..3, zeros included
    assert len(table) == (len(units) + 1) * 4
    assert set(table.loc[table.cvegeo == "09005", "people"]) == {0.0}  # covers no cell centre
    expected = reference
    got = _as_dict(table)
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9), key
    total = pop[pop != NODATA].sum()
    assert table["people"].sum() == pytest.approx(total, rel=1e-9)
    assert float(population.sum().compute()) == pytest.approx(total, rel=1e-12)
    # all classes present, people outside every unit exist (the gap and the edges)
    assert set(table.loc[table.people > 0, "hazard_class"]) == {0, 1, 2, 3}
    assert table.loc[table.cvegeo == OUTSIDE_KEY, "people"].sum() > 0


@pytest.mark.parametrize("chunks", [7, 16, 45, (90, 120)])
def test_same_result_whatever_the_chunk_size(inputs, reference, chunks):
    pop, path, units, fp = inputs
    c = {"band": 1, "y": chunks[0], "x": chunks[1]} if isinstance(chunks, tuple) else chunks
    population = open_population(path, chunks=c)
    table = crosstab(population, zone_raster(units, population), hazard_raster(fp, population), n_classes=fp.n_classes).table
    got = _as_dict(table)
    assert set(got) == set(reference)
    for key, value in reference.items():
        assert got[key] == pytest.approx(value, rel=1e-9)


def test_hazard_class_raster_on_another_grid_is_aligned_by_cell(tmp_path, inputs):
    pop, path, units, _ = inputs
    # a coarser 0.02° class raster, offset so no population cell centre sits on its edges
    lon0, lat0, cell = LON0 - 0.013, LAT0 + 0.011, 0.02
    classes = np.random.default_rng(3).integers(0, 3, size=(30, 40)).astype("uint8")
    cpath = tmp_path / "classes.tif"
    with rasterio.open(cpath, "w", driver="GTiff", height=30, width=40, count=1, dtype="uint8",
                       crs="EPSG:4326", transform=from_origin(lon0, lat0, cell, cell), nodata=255) as dst:
        dst.write(classes, 1)
    raster = rioxarray.open_rasterio(cpath).squeeze("band", drop=True)
    fp = Footprint(classes=pd.DataFrame({"hazard_class": [1, 2], "label": ["a", "b"], "lower": [np.nan] * 2, "upper": [np.nan] * 2}), raster=raster)
    population = open_population(path, chunks=32)
    hz = hazard_raster(fp, population)
    assert hz.dtype == np.uint8
    lon = LON0 + CELL * (np.arange(pop.shape[1]) + 0.5)
    lat = LAT0 - CELL * (np.arange(pop.shape[0]) + 0.5)
    col = np.floor((lon - lon0) / cell).astype(int)
    row = np.floor((lat0 - lat) / cell).astype(int)
    expected = classes[np.ix_(row, col)]
    np.testing.assert_array_equal(hz.values, expected)
    table = crosstab(population, zone_raster(units, population), hz, n_classes=2).table
    valid = pop != NODATA
    for c in (0, 1, 2):
        assert table.loc[table.hazard_class == c, "people"].sum() == pytest.approx(pop[valid & (expected == c)].sum(), rel=1e-9)


def test_grid_mismatch_is_a_clear_error(tmp_path, inputs):
    pop, path, units, fp = inputs
    population = open_population(path, chunks=32)
    other = open_population(write_population(tmp_path / "shifted.tif", pop, lon0=LON0 + CELL / 2), chunks=32)
    zones = zone_raster(units, population)
    with pytest.raises(GridMismatchError, match="hazard raster is not on the population grid"):
        crosstab(population, zones, hazard_raster(fp, other), n_classes=fp.n_classes).table
    with pytest.raises(GridMismatchError, match="zone raster"):
        crosstab(population, zone_raster(units, other), hazard_raster(fp, population), n_classes=fp.n_classes).table


def test_rollup_sums_by_key_prefix(inputs):
    pop, path, units, fp = inputs
    population = open_population(path, chunks=32)
    table = crosstab(population, zone_raster(units, population), hazard_raster(fp, population), n_classes=fp.n_classes).table
    ent = rollup(table, "ent")
    assert set(ent["cvegeo"]) == {"09", "15", OUTSIDE_KEY}
    for c in range(4):
        part = table[(table.cvegeo.str.startswith("15")) & (table.hazard_class == c)]["people"].sum()
        assert ent.loc[(ent.cvegeo == "15") & (ent.hazard_class == c), "people"].item() == pytest.approx(part, rel=1e-12)
    assert ent["people"].sum() == pytest.approx(table["people"].sum(), rel=1e-12)
    with pytest.raises(ValueError, match="coarser than ageb"):
        rollup(table, "ageb")


def test_totals_within_one_percent_of_exactextract_on_a_fine_grid(tmp_path):
    from exactextract import exact_extract

    # the same area at 0.00125° (about 130 m): 360 × 480 cells, smooth population
    h, w, cell = 360, 480, CELL / 4
    yy, xx = np.mgrid[0:h, 0:w]
    rng = np.random.default_rng(11)
    pop = 20 + 15 * np.sin(xx / 37.0) * np.cos(yy / 23.0) + rng.gamma(2.0, 3.0, size=(h, w))
    path = write_population(tmp_path / "fine.tif", pop, cell=cell)
    units = roundtrip_gpkg(units_frame(), tmp_path / "units.gpkg", "units")
    population = open_population(path, chunks=128)
    table = crosstab(population, zone_raster(units, population), hazard_raster(footprint_frame(), population)).table
    ours = table[table.cvegeo != OUTSIDE_KEY].groupby("cvegeo")["people"].sum()
    exact = exact_extract(str(path), units.to_crs("EPSG:4326"), "sum", include_cols=["cvegeo"], output="pandas").set_index("cvegeo")["sum"]
    big = exact[exact >= 1000]
    assert len(big) == 6
    rel = (ours.reindex(big.index) - big).abs() / big
    assert rel.max() < 0.01, rel.to_dict()
    # the tiny unit covers no cell centre: zero for us, a fractional share for exactextract
    assert ours["09005"] == 0 and 0 < exact["09005"] < 100


def test_units_covering_no_cell_centre_are_reported_with_coverage_people(inputs):
    from geodisp.zonal.crosstab import uncovered_people

    pop, path, units, fp = inputs
    population = open_population(path, chunks=32)
    table, uncovered = crosstab(population, zone_raster(units, population), hazard_raster(fp, population), n_classes=fp.n_classes)
    assert uncovered == ("09005",)
    got = uncovered_people(population, units, list(uncovered))
    # the 0.0002° × 0.0002° box straddles cells (69, 55) and (69, 56): 0.0008 of each
    expected = (pop[69, 55] + pop[69, 56]) * 0.0008
    assert got["cvegeo"].tolist() == ["09005"]
    assert got["people"].iloc[0] == pytest.approx(expected, rel=0.01)
    assert got["method"].iloc[0].startswith("coverage fraction")


def test_uncovered_units_take_their_coverage_share_from_the_cells_owners(inputs, reference):
    """A unit covering no cell centre is never zero: it takes the coverage fraction of each cell it
    overlaps, in that cell's class, from the unit owning the cell; the table's total is unchanged."""
    from geodisp.zonal.uncovered import give_uncovered_their_share

    pop, path, units, fp = inputs
    population = open_population(path, chunks=32)
    zones = zone_raster(units, population)
    hz = hazard_raster(fp, population)
    result = crosstab(population, zones, hz, n_classes=fp.n_classes)
    table, uncovered = give_uncovered_their_share(result, population, zones, hz, units)
    # the 0.0002° box straddles cells (69, 55) and (69, 56), covering 0.0008 of each (hand-worked above)
    cells = [(69, 55), (69, 56)]
    share = {c: pop[c] * 0.0008 for c in cells}
    assert uncovered["cvegeo"].tolist() == ["09005"]
    assert uncovered["people"].iloc[0] == pytest.approx(sum(share.values()), rel=1e-6)
    assert uncovered["method"].iloc[0].startswith("coverage fraction")
    codes, classes = zones.codes.values, hz.values
    key_of = dict(zip(zones.keys.index, zones.keys))
    before, after = _as_dict(result.table), _as_dict(table)
    expected = dict(before)
    for (r, c), people in share.items():
        owner = key_of.get(int(codes[r, c]), OUTSIDE_KEY)
        cls = int(classes[r, c])
        expected[("09005", cls)] = expected.get(("09005", cls), 0.0) + people
        expected[(owner, cls)] -= people
    assert set(after) == set(expected)
    for key, value in expected.items():
        assert after[key] == pytest.approx(value, rel=1e-6, abs=1e-9), key
    assert table["people"].sum() == pytest.approx(result.table["people"].sum(), rel=1e-12)
    assert list(table["cvegeo"]) == list(result.table["cvegeo"])  # same rows, same order
