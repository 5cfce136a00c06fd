"""Damaged-housing points and counts: every defect used or rejected with its reason; no personal data out."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodisp.model.errors import InputError
from geodisp.sources.damage import read_damage, read_damage_counts
from geodisp.sources.messages import render_rejects


def reasons_en(rejects: pd.DataFrame) -> dict[str, str]:
    """Record → reason rendered in English from its code."""
    rendered = render_rejects(rejects, "en")
    return dict(zip(rendered["record"], rendered["reason"]))


def notes_en(notes: tuple) -> str:
    return " ".join(n.render("en") for n in notes)

HEADER = "folio;nombre_jefe;curp;telefono;latitud;longitud;nivel_daño;observaciones"
ROWS = [
    "F1;Juan Pérez;PEGJ800101HGRRRN09;744 123 4567;17.55;-99.50;Pérdida total;techo caído",
    "F2;Ana López;LOAA900202MGRPNN01;744 222 3333;-99.50;17.56;daño parcial;",
    "F3;Luis Ruiz;RULL700303HGRZSS02;744 333 4444;;;menor;",
    "F4;Eva Díaz;DIAE850404MGRZVV03;744 444 5555;0;0;menor;",
    "F5;Raúl Sosa;SOSR750505HGRSLL04;744 555 6666;abc;-99.5;menor;",
    "F6;Iván Gil;GIGI650606HGRLVV05;744 666 7777;40.4;-3.7;menor;",
    "F7;Noé Paz;PAZN600707HGRZZZ06;744 777 8888;17°33'00\"N;99°30'00\"W;severo;",
    "F8;Sara Luna;LUNS950808MGRNRR07;744 888 9999;17.57;-99.52;xyz;",
    "F1;Juan Pérez;PEGJ800101HGRRRN09;744 123 4567;17.58;-99.50;Pérdida total;techo caído",
    "F10;Juan Pérez;PEGJ800101HGRRRN09;744 123 4567;17.550000001;-99.5000000;pérdida total;Techo caído",
    "F11;Otro Dueño;OTDU800101HGRRRN09;744 123 4568;17.55;-99.50;pérdida total;techo caído",
    "F12;Ema Ríos;RIOE990909MGRSSS08;744 999 0000;17.6;-99.6;3;",
    "F13;Gil Mar;MARG010101HGRRLL09;744 000 1111;17.59;-99.49;;",
]


def write_csv(path: Path, encoding: str = "latin-1") -> Path:
    path.write_bytes(("\n".join([HEADER, *ROWS]) + "\n").encode(encoding))
    return path


def test_csv_semicolon_latin1_every_defect(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "censo.csv")
    points, rejects, notes = read_damage(path)
    assert list(points["record"]) == ["row 1", "row 2", "row 7", "row 11", "row 12"]
    assert list(points["dwelling_id"]) == ["F1", "F2", "F7", "F11", "F12"]
    assert list(points["damage_level"]) == ["destroyed", "partial", "severe", "destroyed", "severe"]
    assert list(points["coords_swapped"]) == [False, True, False, False, False]
    assert reasons_en(rejects) == {
        "row 3": "missing coordinates",
        "row 4": "zero coordinates (0, 0)",
        "row 5": "unreadable coordinates in column 'latitud' ('abc')",
        "row 6": "coordinates outside Mexico",
        "row 8": "unknown damage level 'xyz' in column 'nivel_daño'",
        "row 9": "duplicate of row 1",
        "row 10": "duplicate of row 1",
        "row 13": "missing damage level",
    }
    assert len(points) + len(rejects) == len(ROWS)
    assert points.crs.to_epsg() == 6372
    expected = gpd.GeoSeries([Point(-99.50, 17.56), Point(-99.5, 17.55)], crs="EPSG:4326").to_crs("EPSG:6372")
    assert points.geometry.iloc[1].distance(expected.iloc[0]) < 1e-6  # swapped back
    assert points.geometry.iloc[2].distance(expected.iloc[1]) < 1e-6  # DMS parsed
    assert "latitude and longitude swapped and fixed in 1 record: row 2" in notes_en(notes)
    assert "degree-minute-second coordinates parsed in 1 record: row 7" in notes_en(notes)


def test_no_personal_data_anywhere(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "censo.csv")
    points, rejects, notes = read_damage(path)
    assert list(points.columns) == ["dwelling_id", "damage_level", "damage_label", "record", "coords_swapped", "geometry"]
    everything = points.drop(columns="geometry").to_csv() + rejects.to_csv() + " ".join(notes)
    for secret in ("Pérez", "PEGJ800101HGRRRN09", "744 123 4567", "López", "Juan"):
        assert secret not in everything
    notes = notes_en(notes)
    assert "'nombre_jefe' (by its name)" in notes and "'curp'" in notes and "'telefono'" in notes


def test_personal_detected_by_content(tmp_path: Path) -> None:
    pd.DataFrame(
        {
            "id": ["PEGJ800101HGRRRN09", "LOAA900202MGRPNN01"],  # a CURP used as the folio
            "contacto_x": ["ana@example.mx", ""],
            "obs": ["(744) 123-4567", "ok"],
            "lat": ["17.5", "17.6"], "lon": ["-99.5", "-99.6"], "damage": ["minor", "destroyed"],
        }
    ).to_csv(tmp_path / "d.csv", index=False)
    points, rejects, notes = read_damage(tmp_path / "d.csv")
    assert rejects.empty
    assert list(points["dwelling_id"]) == ["row 1", "row 2"]
    notes = notes_en(notes)
    assert "'id' (holds CURP values)" not in notes  # the mapped id column is kept, its personal cells redacted
    assert "2 cells of column 'id' holding personal data were redacted: row 1, row 2" in notes
    assert "'contacto_x' (holds e-mail values)" in notes and "'contacto_x' (holds e-mail values)" in notes
    assert "'obs' (holds phone values)" in notes
    assert "PEGJ" not in points.to_csv()


def test_utf8_comma_same_result(tmp_path: Path) -> None:
    text = "\n".join([HEADER, *ROWS]).replace(";", ",") + "\n"
    (tmp_path / "u.csv").write_text(text, encoding="utf-8-sig")
    a, ra, notes = read_damage(tmp_path / "u.csv")
    b, rb, notes = read_damage(write_csv(tmp_path / "l.csv"))
    assert list(a["record"]) == list(b["record"]) and list(ra["reason"]) == list(rb["reason"])
    assert list(a["damage_label"]) == list(b["damage_label"])
    assert a.loc[0, "damage_label"] == "Pérdida total"


def test_xlsx_english_headers_and_level_override(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"ID": ["a", "b", "c"], "Lat": [17.5, 17.6, 17.7], "Lon": [-99.5, -99.6, -99.7], "Estado": ["colapsó", "leve", "quemada"]}
    )
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    points, rejects, notes = read_damage(
        tmp_path / "d.xlsx", columns={"level": "estado"}, levels={"Colapsó": "destroyed"}
    )
    assert list(points["damage_level"]) == ["destroyed", "minor"]
    assert list(reasons_en(rejects).values()) == ["unknown damage level 'quemada' in column 'Estado'"]
    with pytest.raises(InputError, match="'ruina' is not one of"):
        read_damage(tmp_path / "d.xlsx", columns={"level": "estado"}, levels={"x": "ruina"})


def test_xy_columns_need_crs_and_are_reprojected(tmp_path: Path) -> None:
    pt = gpd.GeoSeries([Point(-99.5, 17.5)], crs="EPSG:4326").to_crs("EPSG:32614").iloc[0]
    pd.DataFrame({"x": [pt.x], "y": [pt.y], "nivel": ["total"]}).to_csv(tmp_path / "xy.csv", index=False)
    with pytest.raises(InputError, match="need a crs; they look like UTM metres"):
        read_damage(tmp_path / "xy.csv")
    points, rejects, notes = read_damage(tmp_path / "xy.csv", crs="EPSG:32614")
    expected = gpd.GeoSeries([Point(-99.5, 17.5)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    assert points.geometry.iloc[0].distance(expected) < 1e-3 and rejects.empty


def test_geojson_points_geometry_checks_and_boundaries(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"folio": ["a", "b", "c", "d", "e"], "nivel_dano": ["total", "menor", "menor", "menor", "parcial"]},
        geometry=[Point(-99.5, 17.5), Point(17.55, -99.55), box(-99.6, 17.5, -99.5, 17.6), None, Point(-98.0, 17.5)],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    units = gpd.GeoDataFrame({"cvegeo": ["12001"]}, geometry=[box(-99.7, 17.4, -99.4, 17.7)], crs="EPSG:4326").to_crs("EPSG:6372")
    points, rejects, notes = read_damage(tmp_path / "d.geojson", boundaries=units)
    assert list(points["dwelling_id"]) == ["a", "b"]
    assert list(points["coords_swapped"]) == [False, True]
    assert reasons_en(rejects) == {
        "feature 2": "not a point (Polygon)",
        "feature 3": "missing coordinates",
        "feature 4": "outside the boundaries",
    }


def test_shapefile_and_gpkg_projected(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"folio": ["a", "b"], "dano": ["4", "0"]}, geometry=[Point(-99.5, 17.5), Point(-99.4, 17.4)], crs="EPSG:4326"
    ).to_crs("EPSG:6372")
    frame.to_file(tmp_path / "d.shp")
    frame.to_file(tmp_path / "d.gpkg", layer="viviendas")
    for path, layer in ((tmp_path / "d.shp", None), (tmp_path / "d.gpkg", "viviendas")):
        points, rejects, notes = read_damage(path, layer=layer)
        assert list(points["damage_level"]) == ["destroyed", "none"] and rejects.empty
        assert points.geometry.iloc[0].distance(frame.geometry.iloc[0]) < 1e-6


def test_missing_level_column_is_error(tmp_path: Path) -> None:
    pd.DataFrame({"lat": [17.5], "lon": [-99.5]}).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(InputError, match="d.csv: no damage level column"):
        read_damage(tmp_path / "d.csv")


def units_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"cvegeo": ["12001", "12002", "12003", "13001"], "name": ["Acapulco de Juárez", "Ahuacuotzingo", "San Marcos", "San Marcos"]},
        geometry=[box(0, 0, 1, 1)] * 4,
        crs="EPSG:6372",
    )


def test_counts_wide_layout(tmp_path: Path) -> None:
    text = (
        "Municipio,Pérdida total,Daño grave,Daño medio,Daño menor,Total\n"
        "ACAPULCO DE JUAREZ,120,\"1,300\",*,40,\n"
        "12002,5,0,N/D,-1,\n"
        "Acapulko,1,1,1,1,\n"
        "san marcos,2,2,2,2.5,\n"
    )
    (tmp_path / "w.csv").write_text(text, encoding="utf-8")
    counts, rejects, notes = read_damage_counts(tmp_path / "w.csv", boundaries=units_frame(), state="12")
    assert counts.to_dict("records") == [
        {"cvegeo": "12001", "damage_level": "destroyed", "dwellings": 120},
        {"cvegeo": "12001", "damage_level": "severe", "dwellings": 1300},
        {"cvegeo": "12001", "damage_level": "minor", "dwellings": 40},
        {"cvegeo": "12002", "damage_level": "destroyed", "dwellings": 5},
        {"cvegeo": "12002", "damage_level": "severe", "dwellings": 0},
        {"cvegeo": "12003", "damage_level": "destroyed", "dwellings": 2},
        {"cvegeo": "12003", "damage_level": "severe", "dwellings": 2},
        {"cvegeo": "12003", "damage_level": "partial", "dwellings": 2},
    ]
    reasons = reasons_en(rejects)
    assert reasons["row 1, 'Daño medio'"] == "missing dwellings"
    assert reasons["row 2, 'Daño medio'"] == "missing dwellings"
    assert reasons["row 2, 'Daño menor'"] == "negative dwellings ('-1')"
    assert reasons["row 4, 'Daño menor'"] == "fractional dwellings ('2.5')"
    assert reasons["row 3, 'Pérdida total'"] == "unknown municipio name 'Acapulko' (closest: 12001 Acapulco de Juárez)"
    assert len(rejects) == 4 + 4  # all four cells of the unknown name
    assert notes_en(notes) == "total columns ignored (row sums): 'Total'"


def test_counts_long_layout_and_ambiguous_name(tmp_path: Path) -> None:
    pd.DataFrame(
        {
            "cve_mun": ["12001", "1001", "12001", "12001", "San Marcos"],
            "nivel_dano": ["pérdida total", "total", "daño total", "pérdida total", "parcial"],
            "viviendas": ["10", "3", "7", "10", "4"],
        }
    ).to_csv(tmp_path / "l.csv", index=False)
    counts, rejects, notes = read_damage_counts(tmp_path / "l.csv", boundaries=units_frame())
    assert counts.to_dict("records") == [{"cvegeo": "12001", "damage_level": "destroyed", "dwellings": 17}]
    assert reasons_en(rejects) == {
        "row 2": "unknown municipio key '01001'",
        "row 4": "duplicate of row 1",
        "row 5": "ambiguous municipio name 'San Marcos' (matches: 12003 San Marcos, 13001 San Marcos)",
    }


def test_zipped_csv_and_zipped_shapefile(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "csv.zip", "w") as zf:
        zf.writestr("censo.csv", ("\n".join([HEADER, *ROWS]) + "\n").encode("latin-1"))
    points, rejects, notes = read_damage(tmp_path / "csv.zip")
    assert len(points) == 5 and len(rejects) == 8
    frame = gpd.GeoDataFrame({"folio": ["a"], "dano": ["parcial"]}, geometry=[Point(-99.5, 17.5)], crs="EPSG:4326")
    frame.to_file(tmp_path / "pts.shp")
    with zipfile.ZipFile(tmp_path / "shp.zip", "w") as zf:
        for f in tmp_path.glob("pts.*"):
            zf.write(f, f.name)
    points, rejects, notes = read_damage(tmp_path / "shp.zip")
    assert list(points["damage_level"]) == ["partial"] and rejects.empty


def test_counts_without_boundaries_keys_only(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("cvegeo;pérdida total;daño menor\n1001;3;4\nAguascalientes;1;1\n", encoding="utf-8")
    counts, rejects, notes = read_damage_counts(tmp_path / "c.csv")
    assert counts.to_dict("records") == [
        {"cvegeo": "01001", "damage_level": "destroyed", "dwellings": 3},
        {"cvegeo": "01001", "damage_level": "minor", "dwellings": 4},
    ]
    assert set(reasons_en(rejects).values()) == {"a municipio name cannot be matched without a boundaries layer"}


def test_counts_key_and_name_columns(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "clave,nombre_municipio,pérdida total\n12001,,3\n,Ahuacuotzingo,2\n,,1\n", encoding="utf-8"
    )
    counts, rejects, notes = read_damage_counts(tmp_path / "c.csv", columns={"unit": "clave"}, boundaries=units_frame())
    assert counts.to_dict("records") == [
        {"cvegeo": "12001", "damage_level": "destroyed", "dwellings": 3},
        {"cvegeo": "12002", "damage_level": "destroyed", "dwellings": 2},
    ]
    assert reasons_en(rejects) == {"row 3, 'pérdida total'": "missing municipio"}
