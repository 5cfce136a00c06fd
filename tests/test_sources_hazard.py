"""Hazard footprints: vector classes (labels, numbers, bins), overlaps to the highest class, raster bins."""
from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from geodisp.model.errors import InputError
from geodisp.sources.hazard import Footprint, read_hazard
from geodisp.sources.messages import reasons_by_record

# squares centred on one point in EPSG:6372 (metres), so areas are exact
CX, CY = 2_800_000.0, 800_000.0


def centred(half: float):
    return box(CX - half, CY - half, CX + half, CY + half)


def test_wind_radii_nested_overlaps_resolve_to_highest(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"RADII": [34.0, 50.0, 64.0, 40.0, None]},
        geometry=[centred(3000), centred(2000), centred(1000), centred(500), centred(100)],
        crs="EPSG:6372",
    )
    path = tmp_path / "wsp.gpkg"
    frame.to_file(path)
    fp, rejects, notes = read_hazard(path, field="radii", labels=["34", "50", "64"], units="kt")
    assert isinstance(fp, Footprint) and fp.raster is None and fp.units == "kt"
    assert list(fp.classes["label"]) == ["34", "50", "64"]
    assert fp.classes["lower"].isna().all()
    areas = dict(zip(fp.vector["hazard_class"], fp.vector.area))
    assert areas[3] == pytest.approx(2000.0**2)
    assert areas[2] == pytest.approx(4000.0**2 - 2000.0**2)
    assert areas[1] == pytest.approx(6000.0**2 - 4000.0**2)
    assert fp.vector.area.sum() == pytest.approx(fp.vector.union_all().area)  # no overlaps
    assert reasons_by_record(rejects, "en") == {
        "feature 3": "unknown class '40' (classes: 34, 50, 64)",
        "feature 4": "missing class",
    }


def test_numeric_classes_without_labels_in_numeric_order(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"radii": [64, 34, 50]}, geometry=[centred(1000), centred(3000), centred(2000)], crs="EPSG:6372")
    path = tmp_path / "wsp.geojson"
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    fp, rejects, notes = read_hazard(path, field="radii")
    assert list(fp.classes["label"]) == ["34", "50", "64"] and rejects.empty
    assert fp.vector.crs.to_epsg() == 6372
    inner = fp.vector.set_index("hazard_class").geometry[3]
    assert inner.area == pytest.approx(2000.0**2, rel=1e-6)  # round trip through 4326


def test_text_labels_accents_and_class_numbers(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"nivel": ["ALTA", "Media", "1", "muy alta", "Baja"], "id": range(5)},
        geometry=[centred(1000), centred(2000), centred(3000), centred(500), box(0, 0, 10, 10)],
        crs="EPSG:6372",
    )
    path = tmp_path / "zones.gpkg"
    frame.to_file(path)
    fp, rejects, notes = read_hazard(path, field="NIVEL", labels=["Baja", "Media", "Álta"])
    assert list(fp.vector["hazard_class"]) == [1, 2, 3]
    assert fp.vector.set_index("hazard_class").area[1] == pytest.approx(6000.0**2 - 4000.0**2 + 100.0)
    assert list(reasons_by_record(rejects, "en").values()) == ["unknown class 'muy alta' (classes: Baja, Media, Álta)"]
    assert list(rejects["record"]) == ["feature 3"]


def test_text_field_without_labels_is_error(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"nivel": ["alta"]}, geometry=[centred(10)], crs="EPSG:6372")
    frame.to_file(tmp_path / "z.gpkg")
    with pytest.raises(InputError, match="give 'labels' in order"):
        read_hazard(tmp_path / "z.gpkg", field="nivel")
    with pytest.raises(InputError, match="field 'depth' not found"):
        read_hazard(tmp_path / "z.gpkg", field="depth")


def test_numeric_field_with_bins_and_bad_features(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"depth": [0.2, 0.7, 2.0, 5.0, -1.0, None, 1.0]},
        geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10), box(60, 0, 70, 10), box(80, 0, 90, 10), box(100, 0, 110, 10), Point(5, 5)],
        crs="EPSG:6372",
    )
    path = tmp_path / "flood.geojson"
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    fp, rejects, notes = read_hazard(path, field="depth", bins=[0, 0.5, 1.5, math.inf], labels=["low", "mid", "deep"])
    assert list(fp.classes["lower"]) == [0, 0.5, 1.5]
    assert list(fp.classes["upper"]) == [0.5, 1.5, math.inf]
    assert dict(zip(fp.vector["hazard_class"], fp.vector.area.round())) == {1: 100.0, 2: 100.0, 3: 200.0}
    assert reasons_by_record(rejects, "en") == {
        "feature 4": "intensity -1 below the lowest bin edge 0",
        "feature 5": "missing intensity",
        "feature 6": "not a polygon (Point)",
    }


def test_no_field_single_class(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(5, 0, 15, 10)], crs="EPSG:6372")
    frame.to_file(tmp_path / "ems.gpkg")
    fp, rejects, notes = read_hazard(tmp_path / "ems.gpkg", labels=["flooded"])
    assert list(fp.classes["label"]) == ["flooded"]
    assert fp.vector.area.sum() == pytest.approx(150.0)


def mmi_raster(tmp_path: Path) -> tuple[Path, np.ndarray]:
    rng = np.random.default_rng(3)
    data = rng.uniform(3.0, 11.0, size=(25, 17)).astype("float32")
    data[0, :3] = -9999.0
    data[5, 5] = 5.0  # exactly on an edge: lower-inclusive
    data[6, 6] = 10.5  # above the last edge
    path = tmp_path / "mmi.tif"
    with rasterio.open(path, "w", driver="GTiff", height=25, width=17, count=1, dtype="float32",
                       crs="EPSG:4326", nodata=-9999.0, transform=from_origin(-100, 18, 0.01, 0.01)) as dst:
        dst.write(data, 1)
    return path, data


def test_raster_bins_match_brute_force(tmp_path: Path) -> None:
    path, data = mmi_raster(tmp_path)
    edges = [5, 6, 7, 8, 9, 10]
    fp, rejects, notes = read_hazard(path, bins=edges, labels=["V", "VI", "VII", "VIII", "IX"], units="MMI", chunks=8)
    assert fp.vector is None and rejects.empty
    assert fp.raster.dtype == np.uint8
    assert fp.raster.chunks == ((8, 8, 8, 1), (8, 8, 1))
    expected = np.zeros(data.shape, dtype="uint8")
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if v == -9999.0:
                continue
            for k in range(len(edges) - 1):
                if edges[k] <= v < edges[k + 1]:
                    expected[i, j] = k + 1
    np.testing.assert_array_equal(fp.raster.values, expected)
    assert fp.raster.values[5, 5] == 1 and fp.raster.values[6, 6] == 0
    assert fp.raster.rio.crs.to_epsg() == 4326
    assert fp.raster.rio.transform() == from_origin(-100, 18, 0.01, 0.01)
    n_above = int((data >= 10).sum())
    assert [n.render("en") for n in notes] == [
        f"{n_above} cells at or above the last bin edge 10 are outside every class"
    ]
    assert list(fp.classes["hazard_class"]) == [1, 2, 3, 4, 5]


def test_raster_errors(tmp_path: Path) -> None:
    path, _ = mmi_raster(tmp_path)
    with pytest.raises(InputError, match="needs 'bins'"):
        read_hazard(path)
    with pytest.raises(InputError, match="3 bin edges make 2 classes but 3 labels"):
        read_hazard(path, bins=[5, 6, 7], labels=["a", "b", "c"])
    with pytest.raises(InputError, match="increasing"):
        read_hazard(path, bins=[6, 5])
    fp, _, notes = read_hazard(path, bins=[5, 7, math.inf])
    assert list(fp.classes["label"]) == ["5-7", ">=7"]


def test_zip_with_several_shapefiles_needs_layer(tmp_path: Path) -> None:
    import zipfile

    for name, values in (("al092024_radii", [34, 50, 64]), ("al092024_wwlin", [1, 2, 3])):
        gpd.GeoDataFrame({"RADII": values}, geometry=[centred(3000), centred(2000), centred(1000)], crs="EPSG:6372").to_file(tmp_path / f"{name}.shp")
    with zipfile.ZipFile(tmp_path / "nhc.zip", "w") as zf:
        for f in tmp_path.glob("al09*"):
            zf.write(f, f.name)
    with pytest.raises(InputError, match="nhc.zip: holds 2 layers .*name the layer"):
        read_hazard(tmp_path / "nhc.zip", field="RADII")
    fp, rejects, notes = read_hazard(tmp_path / "nhc.zip", layer="al092024_radii", field="RADII")
    assert dict(zip(fp.vector["hazard_class"], fp.vector.area.round())) == {1: 20e6, 2: 12e6, 3: 4e6}


def test_raster_without_crs_is_error(tmp_path: Path) -> None:
    path = tmp_path / "depth.tif"
    with rasterio.open(path, "w", driver="GTiff", height=2, width=2, count=1, dtype="float32",
                       transform=from_origin(0, 2, 1, 1)) as dst:
        dst.write(np.ones((2, 2), dtype="float32"), 1)
    with pytest.raises(InputError, match="depth.tif: the hazard raster has no CRS"):
        read_hazard(path, bins=[0, 1, 2])
    with pytest.raises(InputError, match="absent.tif: file not found"):
        read_hazard(tmp_path / "absent.tif", bins=[0, 1])


def test_an_empty_hazard_layer_is_bad_input_naming_file_and_layer(tmp_path: Path) -> None:
    """Zero people exposed from an empty footprint would be a silent, catastrophic undercount."""
    empty = gpd.GeoDataFrame({"viento_kt": pd.Series([], dtype="float64")}, geometry=[], crs="EPSG:4326")
    empty.to_file(tmp_path / "otis.gpkg", layer="viento")
    with pytest.raises(InputError, match=r"otis.gpkg, layer 'viento': the hazard layer holds no features"):
        read_hazard(tmp_path / "otis.gpkg", layer="viento", field="viento_kt", bins=[34, 64, 200])
    points = gpd.GeoDataFrame({"viento_kt": [50.0]}, geometry=[Point(-99.9, 16.8)], crs="EPSG:4326")
    points.to_file(tmp_path / "pts.gpkg", layer="viento")
    with pytest.raises(InputError, match=r"the only hazard feature is not usable \(first reason: not a polygon"):
        read_hazard(tmp_path / "pts.gpkg", layer="viento", field="viento_kt", bins=[34, 64, 200])
