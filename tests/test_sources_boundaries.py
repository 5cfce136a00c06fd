"""Boundaries reader: spellings, encodings, zips, repairs, rejects, dissolve, real INEGI data."""
from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon, box

from geodisp.model.errors import InputError
from geodisp.sources.boundaries import dissolve_to, read_boundaries
from geodisp.sources.messages import reasons_by_record

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "inegi"


def square(x0: float, y0: float, size: float = 0.1) -> Polygon:
    return box(x0, y0, x0 + size, y0 + size)


def official(tmp_path: Path) -> gpd.GeoDataFrame:
    """Four Guerrero municipios, official upper-case fields, one invalid bowtie, one duplicate."""
    bowtie = Polygon([(-99.6, 17.0), (-99.5, 17.1), (-99.5, 17.0), (-99.6, 17.1)])
    return gpd.GeoDataFrame(
        {
            "CVEGEO": ["12001", "12002", "12003", "12001", "12004"],
            "CVE_ENT": ["12"] * 5,
            "CVE_MUN": ["001", "002", "003", "001", "004"],
            "NOMGEO": ["Acapulco de Juárez", "Ahuacuotzingo", "Ajuchitlán del Progreso", "Acapulco bis", "Alcozauca de Guerrero"],
            "POB": [779566, 26897, 37274, 1, 19239],
        },
        geometry=[square(-99.9, 16.8), square(-99.0, 17.5), bowtie, square(-99.9, 16.8), square(-98.5, 17.4)],
        crs="EPSG:4326",
    )


def test_gpkg_official_fields_duplicate_and_repair(tmp_path: Path) -> None:
    path = tmp_path / "mun.gpkg"
    official(tmp_path).to_file(path, layer="municipios")
    units, rejects, notes = read_boundaries(path, layer="municipios")
    assert list(units["cvegeo"]) == ["12001", "12002", "12003", "12004"]
    assert list(units.columns[:5]) == ["cvegeo", "level", "name", "cve_ent", "cve_mun"]
    assert set(units["level"]) == {"mun"}
    assert units.crs.to_epsg() == 6372
    assert units.geometry.is_valid.all()
    assert list(units["geometry_repaired"]) == [False, False, True, False]
    assert "repaired 1 invalid geometry: 12003 (feature 2)" in [n.render("en") for n in notes]
    assert list(rejects["record"]) == ["feature 3"]
    assert list(reasons_by_record(rejects, "en").values()) == [
        "identical duplicate of feature 0 (same key and geometry)"
    ]
    assert units.loc[0, "pob"] == 779566  # the first feature's attributes, never summed
    assert units.loc[0, "name"] == "Acapulco de Juárez"
    assert units.loc[0, "pob"] == 779566
    # the bowtie's two triangles are kept: each 0.05 x 0.1 / 2 degrees, area > 0
    assert units.geometry.iloc[2].area > 0


def test_area_in_6372_matches_pyproj(tmp_path: Path) -> None:
    path = tmp_path / "mun.geojson"
    official(tmp_path).iloc[[0]].to_file(path, driver="GeoJSON")
    units, _, notes = read_boundaries(path)
    expected = gpd.GeoSeries([square(-99.9, 16.8)], crs="EPSG:4326").to_crs("EPSG:6372").area.iloc[0]
    assert units.area.iloc[0] == pytest.approx(expected)
    # ~0.1 degree square near 17N: about 10.6 km x 11.1 km
    assert 110e6 < units.area.iloc[0] < 125e6


def test_web_spelling_integer_keys_lost_zeros(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"cve_agee": [1, 1, 9], "cve_agem": [1, 2, 15], "nom_agem": ["Aguascalientes", "Asientos", "Cuauhtémoc"]},
        geometry=[square(-102.3, 21.8), square(-102.0, 22.1), square(-99.15, 19.4, 0.05)],
        crs="EPSG:4326",
    )
    path = tmp_path / "web.geojson"
    frame.to_file(path, driver="GeoJSON")
    units, rejects, notes = read_boundaries(path)
    assert list(units["cvegeo"]) == ["01001", "01002", "09015"]
    assert list(units["cve_ent"]) == ["01", "01", "09"]
    assert list(units["name"]) == ["Aguascalientes", "Asientos", "Cuauhtémoc"]
    assert rejects.empty


def test_cvegeo_as_integer_padded(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"CVEGEO": [1001, 12001]}, geometry=[square(-102.3, 21.8), square(-99.9, 16.8)], crs="EPSG:4326")
    path = tmp_path / "int.gpkg"
    frame.to_file(path)
    units, _, notes = read_boundaries(path)
    assert list(units["cvegeo"]) == ["01001", "12001"]
    assert units["cvegeo"].map(type).eq(str).all()


@pytest.mark.parametrize("encoding", ["cp1252", "latin1", "utf-8"])
def test_shapefile_encodings_without_cpg(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "mun.shp"
    official(tmp_path).drop(index=[2, 3]).to_file(path, encoding=encoding)
    (tmp_path / "mun.cpg").unlink(missing_ok=True)  # older INEGI files carry no code page
    units, rejects, notes = read_boundaries(path)
    assert list(units["name"]) == ["Acapulco de Juárez", "Ahuacuotzingo", "Alcozauca de Guerrero"]
    assert rejects.empty


def test_zipped_shapefile(tmp_path: Path) -> None:
    official(tmp_path).drop(index=[3]).to_file(tmp_path / "mun.shp", encoding="utf-8")
    archive = tmp_path / "mun.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in tmp_path.glob("mun.*"):
            if f.suffix != ".zip":
                zf.write(f, f.name)
    units, rejects, notes = read_boundaries(archive)
    assert list(units["cvegeo"]) == ["12001", "12002", "12003", "12004"]
    assert units.loc[2, "name"] == "Ajuchitlán del Progreso"


def test_rejects_each_defect(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"CVEGEO": ["12001", None, "12X02", "33001", "12003", "12", "12004"]},
        geometry=[square(-99.9, 16.8), square(-99, 17), square(-99, 17), square(-99, 17), None, square(-99, 17), square(-98.5, 17.4)],
        crs="EPSG:4326",
    )
    path = tmp_path / "bad.gpkg"
    frame.to_file(path)
    units, rejects, notes = read_boundaries(path)
    assert list(units["cvegeo"]) == ["12001", "12004"]
    assert reasons_by_record(rejects, "en") == {
        "feature 1": "missing key",
        "feature 2": "malformed key '12X02'",
        "feature 3": "unknown state '33' in key '33001'",
        "feature 4": "empty geometry",
        "feature 5": "key '12' is not a mun key (5 digits)",
    }
    assert len(units) + len(rejects) == len(frame)
    assert set(rejects["file"]) == {str(path)}


def test_missing_parent_noted(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"CVEGEO": ["12", "12001", "13001"]},
        geometry=[square(-100, 16.5, 2), square(-99.9, 16.8), square(-98.9, 20)],
        crs="EPSG:4326",
    )
    path = tmp_path / "mixed.gpkg"
    frame.to_file(path)
    units, rejects, notes = read_boundaries(path)
    assert list(units["cvegeo"]) == ["12001", "13001"]
    assert list(reasons_by_record(rejects, "en").values()) == ["key '12' is not a mun key (5 digits)"]
    assert [n.render("en") for n in notes] == [
        "1 unit whose parent (ent) is missing from the layer: 13001"
    ]


def test_no_crs_is_an_error(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"CVEGEO": ["12001"]}, geometry=[square(0, 0)])
    with pytest.warns(UserWarning, match="crs"):
        frame.to_file(tmp_path / "nocrs.shp")  # a shapefile without .prj has no CRS
    from geodisp.model.errors import InputError

    with pytest.raises(InputError, match="nocrs.shp: the layer has no CRS"):
        read_boundaries(tmp_path / "nocrs.shp")


def test_dissolve_to_state_sums_and_unions(tmp_path: Path) -> None:
    path = tmp_path / "mun.gpkg"
    official(tmp_path).drop(index=[3]).to_file(path)
    units, _, notes = read_boundaries(path)
    ent = dissolve_to(units, "ent")
    assert list(ent["cvegeo"]) == ["12"]
    assert ent.loc[0, "pob"] == 779566 + 26897 + 37274 + 19239
    assert ent.area.iloc[0] == pytest.approx(units.area.sum())
    assert ent.loc[0, "cve_mun"] is None
    via_read, _, notes = read_boundaries(path, level="ent")
    assert via_read.loc[0, "pob"] == ent.loc[0, "pob"]


def test_level_finer_than_layer_is_error(tmp_path: Path) -> None:
    path = tmp_path / "mun.gpkg"
    official(tmp_path).drop(index=[3]).to_file(path)
    from geodisp.model.errors import InputError

    with pytest.raises(InputError, match="asked for level 'loc'"):
        read_boundaries(path, level="loc")


@pytest.mark.realdata
@pytest.mark.skipif(not (DATA / "guerrero_municipios_2020.gpkg").exists(), reason="../shared/data/inegi absent")
def test_real_guerrero() -> None:
    units, rejects, notes = read_boundaries(DATA / "guerrero_municipios_2020.gpkg", layer="municipios")
    assert len(units) == 85 and rejects.empty
    assert int(units["pob"].sum()) == 3_540_685
    aca = units.set_index("cvegeo").loc["12001"]
    assert (aca["name"], int(aca["pob"]), int(aca["viv"])) == ("Acapulco de Juárez", 779_566, 224_027)
    assert units.geometry.is_valid.all()


@pytest.mark.realdata
@pytest.mark.skipif(not (DATA / "municipios_2020.gpkg").exists(), reason="../shared/data/inegi absent")
def test_real_national() -> None:
    units, rejects, notes = read_boundaries(DATA / "municipios_2020.gpkg", layer="municipios", level="mun")
    assert len(units) == 2473 and rejects.empty
    assert int(units["pob"].sum()) == 125_832_434
    assert units["cvegeo"].str.len().eq(5).all()
    assert units.geometry.is_valid.all()


@pytest.mark.realdata
@pytest.mark.skipif(not (DATA / "localidades_2020.gpkg").exists(), reason="../shared/data/inegi absent")
def test_real_localidades_two_invalid_repaired() -> None:
    units, rejects, notes = read_boundaries(DATA / "localidades_2020.gpkg", layer="localidades")
    assert len(units) == 50_763 and rejects.empty
    assert set(units["level"]) == {"loc"} and units["cvegeo"].str.len().eq(9).all()
    assert int(units["geometry_repaired"].sum()) == 2 and units.geometry.is_valid.all()
    assert (units["cve_mun"] == units["cvegeo"].str[:5]).all()


def test_key_and_name_field_overrides_and_text_keys_short_of_a_zero(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"CLAVE": ["1001", "01002", "123"], "MUNICIPIO": ["Aguascalientes", "Asientos", "x"], "NOMGEO": ["a", "b", "c"]},
        geometry=[square(-102.3, 21.8), square(-102.0, 22.1), square(-102.0, 22.3)],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "k.gpkg")
    units, rejects, notes = read_boundaries(tmp_path / "k.gpkg", key_field="clave", name_field="MUNICIPIO")
    assert list(units["cvegeo"]) == ["01001", "01002"]
    assert list(units["name"]) == ["Aguascalientes", "Asientos"]
    assert list(reasons_by_record(rejects, "en").values()) == ["key '123' is not a mun key (5 digits)"]
    from geodisp.model.errors import InputError

    with pytest.raises(InputError, match="key field 'cve' not found"):
        read_boundaries(tmp_path / "k.gpkg", key_field="cve")


def test_split_unit_unioned_identical_duplicate_dropped_attributes_not_summed(tmp_path: Path) -> None:
    """An editing cut split 12001 in two; 12002 was pasted twice; dissolving to the state counts each once."""
    left, right = box(-99.9, 16.8, -99.85, 16.9), box(-99.85, 16.8, -99.8, 16.9)
    frame = gpd.GeoDataFrame(
        {"CVEGEO": ["12001", "12002", "12001", "12002"], "NOMGEO": ["Acapulco de Juárez", "Ahuacuotzingo"] * 2,
         "POB": [1000, 50, 1000, 50]},
        geometry=[left, square(-99.0, 17.5), right, square(-99.0, 17.5)],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "cut.gpkg")
    units, rejects, notes = read_boundaries(tmp_path / "cut.gpkg")
    assert list(units["cvegeo"]) == ["12001", "12002"]
    whole = gpd.GeoSeries([box(-99.9, 16.8, -99.8, 16.9)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    assert units.geometry.iloc[0].symmetric_difference(whole).area < 1e-3 * whole.area  # the two pieces, unioned
    assert list(units["pob"]) == [1000, 50]
    assert reasons_by_record(rejects, "en") == {"feature 3": "identical duplicate of feature 1 (same key and geometry)"}
    assert [n.render("en") for n in notes] == [
        "units split into several features, unioned into one (attributes of the first): 12001 (feature 0, feature 2)"
    ]
    state, _, notes = read_boundaries(tmp_path / "cut.gpkg", level="ent")
    assert list(state["pob"]) == [1050]  # each unit once: never summed twice


def test_missing_parent_reported_when_the_parent_level_is_absent(tmp_path: Path) -> None:
    """A localidad layer holding a state feature but no municipio features: every parent municipio is missing."""
    frame = gpd.GeoDataFrame(
        {"CVEGEO": ["12", "120010001", "120020001"]},
        geometry=[square(-100, 16.5, 2), square(-99.9, 16.8), square(-99.0, 17.5)],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "loc.gpkg")
    units, _, notes = read_boundaries(tmp_path / "loc.gpkg")
    assert [n.render("en") for n in notes] == [
        "2 units whose parent (mun) is missing from the layer: 120010001, 120020001"
    ]


def test_cpg_naming_the_wrong_encoding(tmp_path: Path) -> None:
    """The DBF is Windows-1252, the .cpg says UTF-8: GDAL cannot decode it, the other encoding gives Spanish."""
    frame = gpd.GeoDataFrame(
        {"CVEGEO": ["12001", "12002"], "NOMGEO": ["Acapulco de Juárez", "Ñuñoa Peñón"]},
        geometry=[square(-99.9, 16.8), square(-99.0, 17.5)], crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "mun.shp", encoding="cp1252", engine="pyogrio")
    (tmp_path / "mun.cpg").write_text("UTF-8")
    units, rejects, notes = read_boundaries(tmp_path / "mun.shp")
    assert list(units["name"]) == ["Acapulco de Juárez", "Ñuñoa Peñón"] and rejects.empty
    assert [n.render("en") for n in notes] == [
        "the .cpg file names UTF-8 but the text is Windows-1252; read as Windows-1252"
    ]
    # the opposite mix-up: UTF-8 text, .cpg naming 1252 -> repaired mojibake
    frame.to_file(tmp_path / "u.shp", encoding="utf-8", engine="pyogrio")
    (tmp_path / "u.cpg").write_text("1252")
    units, _, notes = read_boundaries(tmp_path / "u.shp")
    assert list(units["name"]) == ["Acapulco de Juárez", "Ñuñoa Peñón"]


def test_a_layer_not_in_the_file_lists_the_layers(tmp_path: Path) -> None:
    official(tmp_path).to_file(tmp_path / "mg.gpkg", layer="municipios")
    with pytest.raises(InputError, match="no layer 'mun'; the layers are municipios"):
        read_boundaries(tmp_path / "mg.gpkg", layer="mun")
