"""Events whose hazard is a track, a forecast track, a ShakeMap grid, an NHC swath or an EMS flood layer, end to end."""
from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
import yaml
from typer.testing import CliRunner

import geodisp
from geodisp.cli import app
from geodisp.config.event import load_event
from geodisp.demo import build_demo
from geodisp.hazard_models import windfield as wf
from geodisp.model.footprint import classify
from geodisp.sources.layouts import EMS_FLOOD_LABELS, MMI_LABELS, NHC_SWATH_LABELS

SMALL = dict(cell_deg=0.006, n_points=800)


@pytest.fixture(scope="module")
def track_demo(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("track-demo"), hazard="track", **SMALL)


def _event_with(files, tmp_path: Path, hazard: dict, name: str = "event.yaml", directory: str | None = "out") -> Path:
    """The demo event with another hazard section, written next to the demo inputs."""
    data = yaml.safe_load(files.event.read_text(encoding="utf-8"))
    data["hazard"] = hazard
    data["output"]["directory"] = directory
    if directory is None:
        del data["output"]["directory"]
    path = files.event.parent / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def track_run(track_demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("track-run")
    return out, geodisp.run(track_demo.event, out=out)


def test_demo_track_event_runs_and_conserves_people(track_demo, track_run):
    out, result = track_run
    fp = result.sources.footprint
    assert fp.intensity is not None and not fp.forecast and fp.units == "kt"
    assert fp.classes["label"].tolist() == wf.SAFFIR_SIMPSON_LABELS
    with rasterio.open(track_demo.population) as src:
        people = src.read(1, masked=True).filled(0).astype("float64")
    classes = fp.raster.data.compute()
    wind = fp.intensity.data.compute()  # at the model lattice's nodes
    exposed = result.overlay.exposed
    assert exposed["people"].sum() == pytest.approx(people.sum(), rel=1e-9)
    by_class = exposed.groupby("hazard_class")["people"].sum()
    for k in range(7):
        assert by_class.get(k, 0.0) == pytest.approx(people[classes == k].sum(), rel=1e-6, abs=1e-6), k
    assert by_class.get(3, 0) + by_class.get(4, 0) > 0  # a major hurricane made landfall on people
    # the wind swath written as a COG, the same values
    cog = result.paths["hazard_raster"]
    assert cog.name == "demo-huracan-2025_wind_kt.tif"
    with rasterio.open(cog) as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        np.testing.assert_array_equal(src.read(1), wind)
        assert src.tags(1)["units"] == "kt"
        # cell m of the COG is centred on node m, the centre of population cell m * k
        with rasterio.open(track_demo.population) as pop:
            k = round(src.transform.a / pop.transform.a)
            assert (src.transform * (0.5, 0.5)) == pytest.approx(pop.transform * (0.5, 0.5))
            assert (src.transform * (3.5, 2.5)) == pytest.approx(pop.transform * (3 * k + 0.5, 2 * k + 0.5))
    assert 120 <= wind.max() <= 130.0 + 1e-3  # landfall at 130 kt
    with rasterio.open(result.paths["displaced_raster"]) as src:  # an observed run carries no forecast marker
        assert "GEODISP_FORECAST" not in src.tags() and src.descriptions == ("displaced",)
    assert openpyxl.load_workbook(result.paths["figures_xlsx"])["units"]["A1"].comment.text == "cvegeo"
    hazard = gpd.read_file(result.paths["geopackage"], layer="hazard")
    assert set(hazard["label"]) <= set(wf.SAFFIR_SIMPSON_LABELS) and len(hazard) >= 3
    counts = result.counts.set_index("source")
    assert counts.loc["hazard", "used"] == 9 and counts.loc["hazard", "rejected"] == 0  # nine HURDAT2 fixes


def test_forecast_track_marks_every_output(track_demo, tmp_path):
    path = _event_with(track_demo, tmp_path, {"track": track_demo.hazard.name, "format": "hurdat2", "forecast": True},
                       name="forecast.yaml", directory=None)
    event = load_event(path)
    assert event.output_dir().name == "demo-huracan-2025_forecast"  # never the observed run's folder
    out = tmp_path / "forecast"
    result = geodisp.run(event, out=out)
    assert result.sources.footprint.forecast
    figures = pd.read_csv(result.paths["figures_csv"])
    assert figures["forecast"].all()
    assert figures["calculation"].str.startswith("PRONÓSTICO (anticipatorio)").all()  # the ledger's method stays a code
    assert "gidd_csv" not in result.paths and not list(out.glob("*_gidd.csv"))
    html = result.paths["report"].read_text(encoding="utf-8")
    assert "PRONÓSTICO: personas que podrían ser desplazadas" in html
    notes = result.paths["notes"].read_text(encoding="utf-8")
    assert "no se escribe la tabla GIDD" in notes
    assert result.manifest["forecast"] is True
    with sqlite3.connect(result.paths["geopackage"]) as con:
        titles = dict(con.execute("SELECT f_table_name, description FROM layer_styles").fetchall())
    assert titles["units"] == "Pronóstico: personas que podrían ser desplazadas por unidad"
    assert titles["hazard"].startswith("Huella pronosticada")
    # the per-cell rasters, their QGIS layer and the workbook's units sheet say so too
    for name in ("displaced_raster", "exposed_raster"):
        with rasterio.open(result.paths[name]) as src:
            assert src.tags()["GEODISP_FORECAST"] == "true"
            assert src.tags()["GEODISP_FORECAST_NOTE"].startswith("PRONÓSTICO: personas que podrían ser desplazadas")
            assert all("pronóstico" in d for d in src.descriptions)
    assert "Pronóstico: personas que podrían ser desplazadas por celda (ráster)" in result.paths["project"].read_text(encoding="utf-8")
    units = openpyxl.load_workbook(result.paths["figures_xlsx"])["units"]
    assert units["A1"].value.startswith("PRONÓSTICO: personas que podrían ser desplazadas")


def _grid_xml(path: Path, lon0: float, lat0: float, step: float = 0.05, n: int = 30) -> Path:
    """A ShakeMap grid.xml (USGS layout) centred on (lon0, lat0): MMI 9 at the centre, falling 1 per 0.15 degree."""
    west, north = lon0 - step * (n - 1) / 2, lat0 + step * (n - 1) / 2
    head = (f'<?xml version="1.0" encoding="US-ASCII" standalone="yes"?>\n'
            f'<shakemap_grid xmlns="http://earthquake.usgs.gov/eqcenter/shakemap" event_id="us7000demo" '
            f'shakemap_id="us7000demo" shakemap_version="2" code_version="4.1" process_timestamp="2025-10-22T00:00:00Z" '
            f'shakemap_originator="us" map_status="RELEASED" shakemap_event_type="ACTUAL">\n'
            f'<event event_id="us7000demo" magnitude="7.1" depth="15" lat="{lat0}" lon="{lon0}" event_timestamp="2025-10-22T00:00:00Z" event_network="us" event_description="demo" />\n'
            f'<grid_specification lon_min="{west}" lat_min="{north - step * (n - 1)}" lon_max="{west + step * (n - 1)}" lat_max="{north}" '
            f'nominal_lon_spacing="{step}" nominal_lat_spacing="{step}" nlon="{n}" nlat="{n}" />\n'
            '<grid_field index="1" name="LON" units="dd" />\n<grid_field index="2" name="LAT" units="dd" />\n'
            '<grid_field index="3" name="PGA" units="pctg" />\n<grid_field index="4" name="PGV" units="cms" />\n'
            '<grid_field index="5" name="MMI" units="intensity" />\n<grid_data>\n')
    rows = []
    for i in range(n):
        for j in range(n):
            lat, lon = north - i * step, west + j * step
            mmi = max(1.0, 9.0 - math.hypot(lat - lat0, lon - lon0) / 0.15)
            rows.append(f"{lon:.4f} {lat:.4f} {mmi * 5:.3f} {mmi * 4:.3f} {mmi:.3f}")
    path.write_text(head + "\n".join(rows) + "\n</grid_data>\n</shakemap_grid>\n", encoding="ascii")
    return path


def _centre(files) -> tuple[float, float]:
    munis = gpd.read_file(files.boundaries).to_crs("EPSG:4326")
    c = shapely.union_all(munis.geometry.values).centroid
    return c.x, c.y


def test_shakemap_event_runs_end_to_end(track_demo, tmp_path):
    lon0, lat0 = _centre(track_demo)
    _grid_xml(track_demo.event.parent / "grid.xml", lon0, lat0)
    path = _event_with(track_demo, tmp_path, {"path": "grid.xml"}, name="sismo.yaml")
    result = geodisp.run(path, out=tmp_path / "sismo")
    fp = result.sources.footprint
    assert fp.classes["label"].tolist() == MMI_LABELS and fp.units == "MMI" and not fp.forecast
    with rasterio.open(track_demo.population) as src:
        people = src.read(1, masked=True).filled(0).astype("float64")
    classes = fp.raster.data.compute()
    by_class = result.overlay.exposed.groupby("hazard_class")["people"].sum()
    for k in range(8):
        assert by_class.get(k, 0.0) == pytest.approx(people[classes == k].sum(), rel=1e-6, abs=1e-6), k
    assert by_class.get(6, 0) > 0  # MMI IX at the epicentre, on land
    assert result.paths["hazard_raster"].name.endswith("_mmi.tif")


def _swath(files, path: Path) -> Path:
    """An NHC cumulative wind swath shapefile (fields RADII, STORMID, BASIN, STORMNUM, STARTDTG, ENDDTG)."""
    lon0, lat0 = _centre(files)
    line = shapely.LineString([(lon0 - 0.8, lat0 - 1.0), (lon0 + 0.2, lat0 + 0.9)])
    rows = [{"RADII": r, "STORMID": "ep992025", "BASIN": "ep", "STORMNUM": 99.0, "STARTDTG": "2025102200",
             "ENDDTG": "2025102412", "geometry": line.buffer(w)} for r, w in ((34.0, 0.9), (50.0, 0.5), (64.0, 0.2))]
    gpd.GeoDataFrame(rows, crs="EPSG:4326").to_file(path)
    return path


#: The styled GeoPackage ``geodisp footprint`` writes for the demo event.
FOOTPRINT_GPKG = "demo-huracan-2025_footprint.gpkg"


def _footprint_layer(event: Path, out: Path, *options: str) -> gpd.GeoDataFrame:
    """``geodisp footprint EVENT --out OUT [options]`` through the CLI (exit 0) and the hazard layer it wrote."""
    res = CliRunner().invoke(app, ["footprint", str(event), "--out", str(out), *options])
    assert res.exit_code == 0, res.output
    return gpd.read_file(out / FOOTPRINT_GPKG, layer="hazard")


def test_nhc_swath_is_recognised_and_footprint_cli_writes_cog_and_styled_gpkg(track_demo, tmp_path):
    _swath(track_demo, track_demo.event.parent / "ep992025_windswath.shp")
    path = _event_with(track_demo, tmp_path, {"path": "ep992025_windswath.shp"}, name="swath.yaml")
    out = tmp_path / "fp"
    layer = _footprint_layer(path, out)
    gpkg = out / FOOTPRINT_GPKG
    assert layer["label"].tolist() == NHC_SWATH_LABELS and (layer["forecast"] == 0).all()
    with sqlite3.connect(gpkg) as con:
        (qml,) = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name='hazard'").fetchone()
    assert "63 kt" in qml  # the class labels, as the style prints them
    with rasterio.open(out / "demo-huracan-2025_hazard_classes.tif") as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert set(np.unique(src.read(1))) <= {0.0, 1.0, 2.0, 3.0}


def test_track_footprint_cli_on_a_forecast(track_demo, tmp_path):
    path = _event_with(track_demo, tmp_path, {"track": track_demo.hazard.name, "forecast": True}, name="f.yaml")
    out = tmp_path / "fp"
    layer = _footprint_layer(path, out, "--lang", "en")
    assert (layer["forecast"] == 1).all() and set(layer["label"]) <= set(wf.SAFFIR_SIMPSON_LABELS)
    with sqlite3.connect(out / FOOTPRINT_GPKG) as con:
        (title,) = con.execute("SELECT description FROM layer_styles WHERE f_table_name='hazard'").fetchone()
    assert title == "Forecast hazard footprint (forecast, not observed)"
    assert (out / "demo-huracan-2025_wind_kt.tif").exists()


def test_ems_flood_layer_is_recognised_and_unknown_classes_rejected(track_demo, tmp_path):
    lon0, lat0 = _centre(track_demo)
    rows = [
        {"event_type": "5-Flood", "obj_desc": "Flooded area", "notation": "Flooded area", "det_method": "Semi-automatic", "geometry": shapely.box(lon0 - 0.2, lat0 - 0.2, lon0, lat0)},
        {"event_type": "5-Flood", "obj_desc": "Flood trace", "notation": "Flood trace", "det_method": "Manual", "geometry": shapely.box(lon0 - 0.3, lat0 - 0.3, lon0 + 0.1, lat0 + 0.1)},
        {"event_type": "5-Flood", "obj_desc": "Not analysed", "notation": "Not analysed", "det_method": "Manual", "geometry": shapely.box(lon0, lat0, lon0 + 0.1, lat0 + 0.1)},
    ]
    ems = track_demo.event.parent / "EMSR999_AOI01_DEL_PRODUCT_observedEventA_r1_v1.shp"
    gpd.GeoDataFrame(rows, crs="EPSG:4326").to_file(ems)
    path = _event_with(track_demo, tmp_path, {"path": ems.name}, name="ems.yaml")
    layer = _footprint_layer(path, tmp_path / "ems")
    assert layer["label"].tolist() == EMS_FLOOD_LABELS
    rejects = pd.read_csv(tmp_path / "ems" / "footprint_rejects.csv", encoding="utf-8-sig")
    assert rejects["record"].tolist() == ["elemento 2"] and "'Not analysed'" in rejects["reason"].iloc[0]  # Spanish by default
    # a flooded area wins over the trace where they overlap: the trace keeps only the rest
    boxes = gpd.GeoSeries([rows[0]["geometry"], rows[1]["geometry"]], crs="EPSG:4326").to_crs("EPSG:6372")
    areas = layer.to_crs("EPSG:6372").area
    assert areas.iloc[0] == pytest.approx(boxes.iloc[1].difference(boxes.iloc[0]).area, rel=1e-3)
    assert areas.iloc[1] == pytest.approx(boxes.iloc[0].area, rel=1e-3)


def test_a_bad_track_is_bad_input(track_demo, tmp_path):
    bad = track_demo.event.parent / "mala.csv"
    bad.write_text("time,lat,lon\n2025-10-22T00:00Z,16.0,-99.0\n")
    path = _event_with(track_demo, tmp_path, {"track": bad.name}, name="bad.yaml")
    res = CliRunner().invoke(app, ["footprint", str(path), "--out", str(tmp_path / "bad")])
    assert res.exit_code == 2
    assert "mala.csv: no se encuentran columnas de la trayectoria: vmax_kt | vmax_kmh | vmax_ms" in res.output  # Spanish by default
    res = CliRunner().invoke(app, ["validate", str(_event_with(track_demo, tmp_path, {"track": bad.name, "path": bad.name}, name="both.yaml"))])
    assert res.exit_code == 2 and "exactamente uno de path" in res.output  # Spanish unless asked otherwise


def test_shakemap_mmi_geotiff_and_contour_polygons_are_classified_by_mmi(track_demo, tmp_path):
    lon0, lat0 = _centre(track_demo)
    # an MMI GeoTIFF (ShakeMap raster product): 8.0 in a box around the centre, 5.0 around it, 2.0 elsewhere
    tif = track_demo.event.parent / "mmi.tif"
    transform = rasterio.transform.from_origin(lon0 - 1.0, lat0 + 1.0, 0.05, 0.05)
    mmi = np.full((40, 40), 2.0, dtype="float32")
    mmi[10:30, 10:30] = 5.0
    mmi[16:24, 16:24] = 8.0
    with rasterio.open(tif, "w", driver="GTiff", height=40, width=40, count=1, dtype="float32", crs="EPSG:4326",
                       transform=transform) as dst:
        dst.write(mmi, 1)
    path = _event_with(track_demo, tmp_path, {"path": tif.name, "format": "shakemap"}, name="mmi.yaml")
    layer = _footprint_layer(path, tmp_path / "mmi")
    assert layer["label"].tolist() == ["V", "VIII"]  # 5.0 is V (4.5-5.5), 8.0 is VIII (7.5-8.5), 2.0 below IV
    # ShakeMap's MMI contour polygons (mi.shp from shape.zip): PARAMVALUE and GRID_CODE
    rings = [{"AREA": 0.0, "PERIMETER": 0.0, "PGAPOL_": i, "PGAPOL_ID": i, "GRID_CODE": i, "PARAMVALUE": v,
              "geometry": shapely.Point(lon0, lat0).buffer(r)} for i, (v, r) in enumerate(((4.1, 0.8), (6.3, 0.4), (7.7, 0.15)))]
    shp = track_demo.event.parent / "mi.shp"
    gpd.GeoDataFrame(rings, crs="EPSG:4326").to_file(shp)
    path = _event_with(track_demo, tmp_path, {"path": shp.name}, name="mi.yaml")
    layer = _footprint_layer(path, tmp_path / "mi")
    assert layer["label"].tolist() == ["IV", "VI", "VIII"]  # 4.1, 6.3 and 7.7 by the MMI bins


def test_the_event_file_chooses_the_wind_model(track_demo, tmp_path):
    from geodisp.sources.track import read_track_table

    fixes = read_track_table(track_demo.event.parent / track_demo.hazard.name)[0]
    winds = {}
    for model in ("holland2008", "willoughby2006"):
        path = _event_with(track_demo, tmp_path, {"track": track_demo.hazard.name, "model": model}, name=f"{model}.yaml")
        res = CliRunner().invoke(app, ["footprint", str(path), "--out", str(tmp_path / model)])
        assert res.exit_code == 0, res.output
        with rasterio.open(tmp_path / model / "demo-huracan-2025_wind_kt.tif") as src:
            winds[model] = src.read(1)
            rows, cols = np.indices(winds[model].shape)
            lon, lat = rasterio.transform.xy(src.transform, rows.ravel(), cols.ravel())  # node centres (EPSG:4326)
        lat, lon = np.reshape(lat, rows.shape), np.reshape(lon, rows.shape)
        # the written swath is the chosen model's, evaluated directly at the nodes
        direct = wf.max_wind(lat, lon, wf.storm_steps(fixes, 27.2 * wf.KT, model=model)) / np.float32(wf.KT)
        direct = np.where(direct >= np.float32(27.2), direct, 0)
        np.testing.assert_allclose(winds[model], direct, rtol=1e-5, atol=1e-3)
    assert np.abs(winds["holland2008"] - winds["willoughby2006"]).max() > 5.0


def test_an_unknown_wind_model_is_bad_input_naming_the_yaml_path(track_demo, tmp_path):
    path = _event_with(track_demo, tmp_path, {"track": track_demo.hazard.name, "model": "rankine"}, name="rankine.yaml")
    res = CliRunner().invoke(app, ["footprint", str(path), "--out", str(tmp_path / "x")])
    assert res.exit_code == 2
    assert "hazard.model" in res.output and "holland2008" in res.output and "willoughby2006" in res.output
