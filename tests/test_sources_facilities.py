"""Facility points: which rows are used, which are rejected and why; counts per unit and class."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodisp.model.errors import InputError
from geodisp.estimators.sectoral import facility_figures
from geodisp.zonal.points import assign_points
from geodisp.sources.facilities import read_facilities
from geodisp.model.footprint import Footprint
from geodisp.sources.messages import reasons_by_record


@pytest.fixture()
def units() -> gpd.GeoDataFrame:
    """Two municipios side by side around Acapulco, in EPSG:4326 then projected."""
    geo = gpd.GeoDataFrame(
        {"cvegeo": ["12001", "12002"], "name": ["A", "B"]},
        geometry=[box(-100.0, 16.5, -99.5, 17.5), box(-99.5, 16.5, -99.0, 17.5)],
        crs="EPSG:4326",
    )
    return geo.to_crs("EPSG:6372")


def _csv(path: Path) -> Path:
    rows = [
        ("Escuela Benito Juárez", "Escuela", "16.9", "-99.8", "7441234567"),   # row 1: A
        ("Centro de Salud Norte", "Centro de Salud", "17.2", "-99.2", "7447654321"),  # row 2: B
        ("Escuela 2", "Escuela", "", "-99.2", ""),                             # row 3: missing coordinates
        ("Escuela 3", "", "17.0", "-99.7", ""),                                # row 4: missing type
        ("Escuela 4", "Escuela", "-99.3", "17.1", ""),                         # row 5: swapped, fixed: B
        ("Escuela 5", "Escuela", "19.5", "-99.2", ""),                         # row 6: outside the boundaries
        ("Escuela 6", "Escuela", "0", "0", ""),                                # row 7: (0, 0)
    ]
    frame = pd.DataFrame(rows, columns=["nombre", "tipo", "latitud", "longitud", "telefono_director"])
    frame.to_csv(path, index=False, encoding="latin-1", sep=";")
    return path


def test_rows_used_and_rejected_with_reasons(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    data, rejects, notes = read_facilities(_csv(tmp_path / "f.csv"), boundaries=units)
    assert list(data["record"]) == ["row 1", "row 2", "row 5"]
    assert list(data["type"]) == ["Escuela", "Centro de Salud", "Escuela"]
    assert data["name"].iloc[0] == "Escuela Benito Juárez"
    assert data.crs == "EPSG:6372"
    assert reasons_by_record(rejects, "en") == {
        "row 3": "missing coordinates",
        "row 4": "missing facility type",
        "row 6": "outside the boundaries",
        "row 7": "zero coordinates (0, 0)",
    }
    assert "telefono_director" not in data.columns
    assert any("telefono_director" in n for n in list(notes))


def test_fixed_kind_from_a_geopackage(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    path = tmp_path / "salud.gpkg"
    gpd.GeoDataFrame({"nombre": ["H1", "H2"]}, geometry=[Point(-99.9, 17.0), Point(-99.1, 17.0)],
                     crs="EPSG:4326").to_file(path, layer="salud")
    data, rejects, notes = read_facilities(path, kind="hospital", boundaries=units)
    assert list(data["type"]) == ["hospital", "hospital"] and len(rejects) == 0


def test_no_type_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    pd.DataFrame({"nombre": ["x"], "lat": ["17"], "lon": ["-99.5"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"f\.csv: no facility type column"):
        read_facilities(path)


def test_counts_per_unit_and_hazard_class(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    data, _, notes = read_facilities(_csv(tmp_path / "f.csv"), boundaries=units)
    # class 1 covers the eastern municipio only
    footprint = Footprint(
        classes=pd.DataFrame({"hazard_class": [1], "label": ["x"], "lower": [float("nan")], "upper": [float("nan")]}),
        vector=gpd.GeoDataFrame({"hazard_class": [1]}, geometry=[units.geometry.iloc[1].buffer(-100)], crs=units.crs),
    )
    points, rejects, notes = assign_points(data, units, footprint, source="facilities")
    assert len(rejects) == 0
    figures = facility_figures(points).set_index(["cvegeo", "metric"])["central"]
    assert figures[("12001", "facilities_escuela")] == 1
    assert figures[("12002", "facilities_escuela")] == 1
    assert figures[("12002", "facilities_centro_de_salud")] == 1
    assert figures[("12002", "facilities_escuela_class_1")] == 1
    assert ("12001", "facilities_escuela_class_1") not in figures.index
