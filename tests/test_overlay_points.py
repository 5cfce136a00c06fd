"""Points to units and hazard classes: shared borders, rejects, CRS, partitions, sjoin."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import rioxarray
import shapely
from rasterio.transform import from_origin

from geodisp.zonal import assign_points
from geodisp.zonal import points as points_mod
from geodisp.model.footprint import Footprint
from geodisp.model.vocab import MEXICO_CRS
from test_overlay_fixtures import footprint_frame, roundtrip_gpkg, units_frame


def _squares(tmp_path) -> gpd.GeoDataFrame:
    """Three 1 km squares in EPSG:6372: 12002 | 12001 side by side, 12010 below both."""
    x0, y0 = 2_800_000.0, 800_000.0
    geoms = [
        shapely.box(x0 + 1000, y0, x0 + 2000, y0 + 1000),  # 12001, right
        shapely.box(x0, y0, x0 + 1000, y0 + 1000),  # 12002, left
        shapely.box(x0, y0 - 1000, x0 + 2000, y0),  # 12010, below
    ]
    frame = gpd.GeoDataFrame({"cvegeo": ["12001", "12002", "12010"], "level": "mun", "name": ["a", "b", "c"]}, geometry=geoms, crs=MEXICO_CRS)
    return roundtrip_gpkg(frame, tmp_path / "squares.gpkg", "mun")


def _hazard_squares() -> Footprint:
    x0, y0 = 2_800_000.0, 800_000.0
    vec = gpd.GeoDataFrame(
        {"hazard_class": [1, 2]},
        geometry=[shapely.box(x0, y0 - 500, x0 + 2000, y0 + 500), shapely.box(x0 + 1500, y0 - 500, x0 + 2000, y0 + 1000)],
        crs=MEXICO_CRS,
    )
    classes = pd.DataFrame({"hazard_class": [1, 2], "label": ["a", "b"], "lower": [np.nan] * 2, "upper": [np.nan] * 2})
    return Footprint(classes=classes, vector=vec)


def test_shared_borders_outside_and_missing(tmp_path):
    units = _squares(tmp_path)
    x0, y0 = 2_800_000.0, 800_000.0
    pts = gpd.GeoDataFrame(
        {"record": ["row 1", "row 2", "row 3", "row 4", "row 5", "row 6", "row 7"], "damage_level": "destroyed"},
        geometry=[
            shapely.Point(x0 + 1000, y0 + 500),  # on the 12001 | 12002 border
            shapely.Point(x0 + 1000, y0),  # on the corner of all three
            shapely.Point(x0 + 1500, y0),  # on the 12001 / 12010 border, in hazard class 1 and 2's edge
            shapely.Point(x0 + 1800, y0 + 800),  # inside 12001, class 2
            shapely.Point(x0 + 5000, y0),  # outside every unit
            None,  # no geometry
            shapely.Point(x0 + 200, y0 + 900),  # inside 12002, no class
        ],
        crs=MEXICO_CRS,
    )
    got = assign_points(pts, units, _hazard_squares(), source="damage", file="damage.csv")
    kept, rejects, _ = got
    assert kept["record"].tolist() == ["row 1", "row 2", "row 3", "row 4", "row 7"]
    # ties go to the smallest CVEGEO
    assert kept["cvegeo"].tolist() == ["12001", "12001", "12001", "12001", "12002"]
    # highest covering class; boundaries included
    assert kept["hazard_class"].tolist() == [1, 1, 2, 2, 0]
    assert kept.crs == pts.crs and kept["damage_level"].eq("destroyed").all()
    assert rejects["record"].tolist() == ["row 5", "row 6"]
    assert rejects["source"].eq("damage").all() and rejects["file"].eq("damage.csv").all()
    assert rejects["reason_code"].iloc[0] == "outside_every_unit"
    assert rejects["reason"].iloc[0].startswith("fuera de toda unidad (x=")
    assert (rejects["reason_code"].iloc[1], rejects["reason"].iloc[1]) == ("no_geometry", "sin geometría")
    assert len(kept) + len(rejects) == len(pts)


def test_geographic_points_match_sjoin_whatever_the_partition(tmp_path, monkeypatch):
    """20,000 lon/lat points against units in EPSG:6372, checked against geopandas.sjoin."""
    units = roundtrip_gpkg(units_frame(), tmp_path / "units.gpkg", "units")
    rng = np.random.default_rng(5)
    n = 20_000
    lon = rng.uniform(-99.40, -98.80, n)
    lat = rng.uniform(19.15, 19.60, n)
    pts = gpd.GeoDataFrame({"dwelling_id": np.arange(n)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    fp = footprint_frame()
    kept, rejects, notes = assign_points(pts, units, fp)
    # independent reference: sjoin in EPSG:6372, ties to the smallest key
    joined = gpd.sjoin(pts.to_crs(MEXICO_CRS), units[["cvegeo", "geometry"]], predicate="intersects", how="inner")
    expected = joined.groupby(level=0)["cvegeo"].min()
    assert len(kept) == len(expected) and len(rejects) == n - len(expected)
    assert kept["cvegeo"].to_dict() == expected.to_dict()
    hz = gpd.sjoin(pts.to_crs(MEXICO_CRS), fp.vector, predicate="intersects", how="inner").groupby(level=0)["hazard_class"].max()
    expected_class = hz.reindex(kept.index, fill_value=0)
    np.testing.assert_array_equal(kept["hazard_class"].to_numpy(), expected_class.to_numpy())
    assert set(kept["hazard_class"]) == {0, 1, 2, 3}
    assert rejects["record"].str.startswith("feature ").all()
    # smaller partitions, same answer
    monkeypatch.setattr(points_mod, "PARTITION", 1_777)
    kept2, rejects2, notes = assign_points(pts, units, fp)
    pd.testing.assert_frame_equal(kept2, kept)
    pd.testing.assert_frame_equal(rejects2, rejects)


def test_raster_footprint_classes_and_no_crs(tmp_path):
    units = _squares(tmp_path)
    x0, y0 = 2_800_000.0, 800_000.0
    path = tmp_path / "classes.tif"
    classes = np.array([[0, 3], [1, 255]], dtype="uint8")  # 255 is nodata → class 0
    with rasterio.open(path, "w", driver="GTiff", height=2, width=2, count=1, dtype="uint8", crs=MEXICO_CRS,
                       transform=from_origin(x0, y0 + 1000, 1000, 1000), nodata=255) as dst:
        dst.write(classes, 1)
    raster = rioxarray.open_rasterio(path)
    fp = Footprint(classes=pd.DataFrame({"hazard_class": [1, 2, 3], "label": list("abc"), "lower": [np.nan] * 3, "upper": [np.nan] * 3}), raster=raster)
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(x0 + 1500, y0 + 500), shapely.Point(x0 + 500, y0 - 500), shapely.Point(x0 + 1500, y0 - 500), shapely.Point(x0 + 500, y0 + 500)], crs=MEXICO_CRS).to_crs("EPSG:4326")
    kept, rejects, notes = assign_points(pts, units, fp)
    assert kept["hazard_class"].tolist() == [3, 1, 0, 0]
    assert kept["cvegeo"].tolist() == ["12001", "12010", "12010", "12002"]
    assert len(rejects) == 0
    with pytest.raises(ValueError, match="have no CRS"):
        assign_points(pts.set_crs(None, allow_override=True), units, fp)


def test_unit_smaller_than_a_lookup_cell_keeps_its_points():
    """A 3 m unit inside a 100 km one: the lookup grid must not hand its points to the big one."""
    big = shapely.box(0, 0, 100_000, 100_000)
    tiny = shapely.box(50_000, 50_000, 50_003, 50_003)
    units = gpd.GeoDataFrame({"cvegeo": ["01001", "01002"]}, geometry=[big.difference(tiny), tiny], crs=MEXICO_CRS)
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(50_001.5, 50_001.5), shapely.Point(10, 10), shapely.Point(50_003, 50_001)], crs=MEXICO_CRS)
    kept, rejects, notes = assign_points(pts, units, None)
    assert kept["cvegeo"].tolist() == ["01002", "01001", "01001"]  # the shared edge goes to the smaller key
    assert kept["hazard_class"].tolist() == [0, 0, 0] and len(rejects) == 0
