"""The overlay on the real Guerrero municipios (../shared/data), against exactextract."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from geodisp.zonal import crosstab, hazard_raster, zone_raster
from geodisp.model.vocab import MEXICO_CRS, OUTSIDE_KEY
from test_overlay_fixtures import NODATA, footprint_frame, open_population, write_population

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "inegi" / "guerrero_municipios_2020.gpkg"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not DATA.exists(), reason=f"real INEGI data not found at {DATA}"),
]


def test_guerrero_conserves_people_and_matches_exactextract(tmp_path):
    from exactextract import exact_extract

    mun = gpd.read_file(DATA, layer="municipios")
    units = gpd.GeoDataFrame({"cvegeo": mun["cvegeo"].astype(str), "level": "mun", "name": mun["nomgeo"]},
                             geometry=mun.geometry.make_valid(), crs=mun.crs).to_crs(MEXICO_CRS)
    assert len(units) == 85
    xmin, ymin, xmax, ymax = mun.total_bounds
    cell = 0.002  # about 210 m: fine against the smallest Guerrero municipios
    h, w = int((ymax - ymin) / cell) + 4, int((xmax - xmin) / cell) + 4
    rng = np.random.default_rng(2)
    yy, xx = np.mgrid[0:h, 0:w]
    pop = (30 + 25 * np.sin(xx / 43.0) * np.cos(yy / 71.0)) * rng.lognormal(-0.2, 0.6, size=(h, w))
    pop[:3, :] = NODATA
    path = write_population(tmp_path / "gro.tif", pop, lon0=xmin - 2 * cell, lat0=ymax + 2 * cell, cell=cell)
    population = open_population(path, chunks=256)
    table, uncovered = crosstab(population, zone_raster(units, population), hazard_raster(footprint_frame(), population))
    assert table["people"].sum() == pytest.approx(pop[pop != NODATA].sum(), rel=1e-9)
    assert uncovered == ()
    ours = table[table.cvegeo != OUTSIDE_KEY].groupby("cvegeo")["people"].sum()
    exact = exact_extract(str(path), units.to_crs("EPSG:4326"), "sum", include_cols=["cvegeo"], output="pandas").set_index("cvegeo")["sum"]
    big = exact[exact >= 1000]
    assert len(big) >= 80
    rel = ((ours.reindex(big.index) - big).abs() / big)
    assert rel.max() < 0.01, rel.sort_values().tail(3).to_dict()
