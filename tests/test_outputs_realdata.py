"""Outputs on real INEGI geometry: the 85 municipios of Guerrero (skips where absent).

A synthetic hurricane hits Acapulco: population spread from each municipio's census
count over its cells on a 2 km grid, three wind classes by distance to the landfall
point, displaced = exposed x a rate per class. Checks that real multipolygons, long
names and many units still give files that add up, open in QGIS and render.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import rioxarray
from rasterio import features
from rasterio.transform import from_origin
from shapely.geometry import Point

from geodisp.outputs import write_all
from geodisp.estimators.figures import concat_figures, figure_rows
from geodisp.model.stages import Estimates, Overlay, Result, Sources
from geodisp.model.footprint import Footprint

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "inegi" / "guerrero_municipios_2020.gpkg"
CELL = 2000.0
RATES = {1: 0.01, 2: 0.05, 3: 0.15}

pytestmark = [pytest.mark.realdata, pytest.mark.skipif(not DATA.exists(), reason=f"real INEGI data not found at {DATA}")]


def _guerrero_result(tmp: Path) -> Result:
    units = pyogrio.read_dataframe(DATA, layer="municipios").to_crs("EPSG:6372")
    units = units.rename(columns={"nomgeo": "name"}).assign(level="mun")[["cvegeo", "level", "name", "cve_ent", "cve_mun", "pob", "geometry"]]
    xmin, ymin, xmax, ymax = units.total_bounds
    x0, y0 = np.floor(xmin / CELL) * CELL, np.ceil(ymax / CELL) * CELL
    width, height = int(np.ceil((xmax - x0) / CELL)), int(np.ceil((y0 - ymin) / CELL))
    transform = from_origin(x0, y0, CELL, CELL)
    codes = features.rasterize(((g, i) for i, g in enumerate(units.geometry, start=1)), out_shape=(height, width), transform=transform, dtype="int32")
    ncells = np.bincount(codes.ravel(), minlength=len(units) + 1)
    per_cell = np.array([0.0] + [p / n if n else 0.0 for p, n in zip(units["pob"], ncells[1:])])
    pop = np.where(codes > 0, per_cell[codes], 0.0)
    with rasterio.open(tmp / "pop.tif", "w", driver="GTiff", width=width, height=height, count=1, dtype="float64", crs="EPSG:6372", transform=transform) as dst:
        dst.write(pop, 1)
    population = rioxarray.open_rasterio(tmp / "pop.tif", chunks={"x": 64, "y": 64}).squeeze("band", drop=True)

    landfall = gpd.GeoSeries([Point(-99.88, 16.86)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    rings = {3: landfall.buffer(30_000), 2: landfall.buffer(60_000), 1: landfall.buffer(100_000)}
    polys = [rings[3], rings[2].difference(rings[3]), rings[1].difference(rings[2])]
    vector = gpd.GeoDataFrame({"hazard_class": [3, 2, 1]}, geometry=polys, crs="EPSG:6372")
    hz = features.rasterize(zip(vector.geometry, vector.hazard_class), out_shape=(height, width), transform=transform, dtype="uint8")
    classes = pd.DataFrame({"hazard_class": [1, 2, 3], "label": ["34–63 kt", "64–95 kt", "96+ kt"], "lower": [34.0, 64.0, 96.0], "upper": [63.0, 95.0, np.nan]})
    footprint = Footprint(classes=classes, vector=vector, field="wind", units="kt")

    like = lambda a: population.copy(data=a).rio.write_crs("EPSG:6372")  # noqa: E731
    rows, crosstab = [], []
    for i, key in enumerate(units["cvegeo"], start=1):
        exposed = {k: float(pop[(codes == i) & (hz == k)].sum()) for k in RATES}
        crosstab += [(key, k, float(pop[(codes == i) & (hz == k)].sum())) for k in (0, *RATES)]
        displaced = sum(exposed[k] * RATES[k] for k in RATES)
        for k, v in exposed.items():
            rows.append((key, f"exposed_class_{k}", v, v, v, "people", "exposure", "WorldPop"))
        if sum(exposed.values()) > 0:
            rows.append((key, "displaced", 0.7 * displaced, displaced, 1.4 * displaced, "people", "exposure", "synthetic rates"))
    # the figure ledger, built as the estimators build it
    figures = concat_figures([figure_rows([k], m, lo, ce, hi, u, calc, src) for k, m, lo, ce, hi, u, calc, src in rows])
    wide = figures.pivot(index="cvegeo", columns="metric", values="central").reset_index()
    wide.columns.name = None
    table = pd.DataFrame(wide).assign(decided_by="exposure", flag=False)
    rng = np.random.default_rng(0)
    pts = gpd.GeoDataFrame({"dwelling_id": [f"V{i}" for i in range(60)], "damage_level": rng.choice(["destroyed", "severe", "partial", "minor"], 60)},
                           geometry=gpd.points_from_xy(landfall.x + rng.normal(0, 8000, 60), landfall.y + rng.normal(0, 8000, 60)), crs="EPSG:6372")
    event = SimpleNamespace(event=SimpleNamespace(id="MX-2026-TEST", name="Huracán de prueba", hazard_type="tropical_cyclone",
                                                  start=date(2026, 10, 1), end=date(2026, 10, 3), glide=None))
    return Result(event=event, sources=Sources(units=units.drop(columns="pob"), population=population, footprint=footprint),
                  overlay=Overlay(zones=SimpleNamespace(codes=like(codes), keys=pd.Series(list(units["cvegeo"]), index=range(1, len(units) + 1))),
                                  hazard=like(hz), damage_points=pts, n_classes=len(RATES),
                                  exposed=pd.DataFrame(crosstab, columns=["cvegeo", "hazard_class", "people"])),
                  estimates=Estimates(figures=figures, table=table, gaps=None))


@pytest.fixture(scope="module")
def guerrero(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("guerrero")
    result = _guerrero_result(tmp)
    return result, write_all(result, tmp / "out")


def test_guerrero_outputs_add_up(guerrero):
    result, paths = guerrero
    units = pyogrio.read_dataframe(paths["geopackage"], layer="units")
    assert len(units) == 85 and units["cvegeo"].str.len().eq(5).all()
    acapulco = units.set_index("cvegeo").loc["12001"]
    assert acapulco["name"] == "Acapulco de Juárez" and acapulco["displaced"] > 0
    with rasterio.open(paths["displaced_raster"]) as src:
        arr = src.read(1)
        win = src.window(*src.bounds)
    with rasterio.open(paths["exposed_raster"]) as src:
        exposed = src.read()
    raw = result.table.set_index("cvegeo")["displaced"]
    assert np.nansum(arr) == pytest.approx(raw.sum(), rel=1e-5)  # people conserved
    for k in (1, 2, 3):
        total = result.figures.loc[result.figures.metric == f"exposed_class_{k}", "central"].sum()
        assert np.nansum(exposed[k - 1]) == pytest.approx(total, rel=1e-5)
    gidd = pd.read_csv(paths["gidd_csv"], skiprows=[1], dtype=str)
    assert set(gidd["term"]) == {"displaced"} and (gidd["admin1_name"] == "Guerrero").all()
    assert len(gidd) == int((raw > 0).sum())
    html = paths["report"].read_text(encoding="utf-8")
    assert "Acapulco de Juárez" in html and "Municipios con más personas desplazadas" in html


@pytest.mark.qgis
def test_guerrero_project_opens_and_renders_in_qgis(guerrero):
    from test_outputs_qgis import _qgis_available, _run_qgis

    reason = _qgis_available()
    if reason:
        pytest.skip(reason)
    _, paths = guerrero
    out = _run_qgis(paths["project"], paths["project"].parent / "qgis_render.png", paths["geopackage"])
    assert all(d["present"] and d["valid"] for d in out["layers"].values())
    assert out["layers"]["Personas desplazadas por unidad"]["count"] == 85
    assert out["colours"].get("ffffff", 0) < 0.9 * sum(out["colours"].values())  # a blank render is all white
