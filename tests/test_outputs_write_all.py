"""write_all: every file named and written, tolerant of missing inputs, es/en."""
from __future__ import annotations

import pandas as pd
import pyogrio
import pytest
from dataclasses import replace

from geodisp.outputs import write_all
from test_outputs_fixture import sample_result


def test_write_all_names_every_file_it_writes(tmp_path):
    result = sample_result(tmp_path)
    paths = write_all(result, tmp_path / "out", raster_blocksize=16)
    assert set(paths) == {"geopackage", "project", "style_units", "style_damage_points", "style_hazard", "style_shelters", "style_states",
                          "displaced_raster", "exposed_raster", "style_displaced_raster", "style_exposed_raster",
                          "figures_csv", "figures_xlsx", "gidd_csv", "gidd_hdx_csv", "map", "report", "notes"}
    # each raster's .qml sidecar sits beside it with the same base name, so QGIS opens it styled
    assert paths["style_displaced_raster"] == paths["displaced_raster"].with_suffix(".qml")
    assert "singlebandpseudocolor" in paths["style_exposed_raster"].read_text(encoding="utf-8")
    assert all(p.exists() and p.stat().st_size > 0 for p in paths.values())
    assert paths["geopackage"].name == "mx-2026-000123.gpkg"
    leftovers = [p.name for p in (tmp_path / "out").iterdir() if ".part" in p.name]
    assert leftovers == []  # atomic writes leave no temporary file behind


def test_write_all_without_shelters_or_damage_says_so(tmp_path):
    result = sample_result(tmp_path, shelters=False, damage=False)
    result = replace(result, sources=replace(result.sources, notes=("damage: personal columns dropped (propietario, telefono)",)))
    paths = write_all(result, tmp_path / "out", lang="en", raster_blocksize=16)
    assert "style_shelters" not in paths and "style_damage_points" not in paths
    assert [n for n, _ in pyogrio.list_layers(paths["geopackage"])] == ["hazard", "units", "states", "layer_styles"]
    notes = paths["notes"].read_text(encoding="utf-8").splitlines()
    assert notes == ["damage: personal columns dropped (propietario, telefono)",
                     "Shelters layer not written: no shelter records.", "Damaged dwellings layer not written: no damage points."]
    assert "Shelters layer not written" in paths["report"].read_text(encoding="utf-8")


def test_write_all_joins_a_table_without_geometry_to_the_units(tmp_path):
    result = sample_result(tmp_path)
    result = replace(result, estimates=replace(result.estimates, table=pd.DataFrame(result.table.drop(columns=["geometry", "name"]))))  # as estimate_all returns it
    assert not hasattr(result.table, "geometry")
    paths = write_all(result, tmp_path / "out", raster_blocksize=16)
    units = pyogrio.read_dataframe(paths["geopackage"], layer="units")
    assert list(units["name"]) == ["Acapulco de Juárez", "Ahuacuotzingo", "Ajuchitlán del Progreso", "Alcozauca de Guerrero"]
    assert units.loc[0, "displaced"] == 1234.4


def test_write_all_refuses_an_unknown_language(tmp_path):
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        write_all(sample_result(tmp_path), tmp_path / "out", lang="fr")


def test_write_all_without_estimates_still_writes_layers_and_report(tmp_path):
    result = sample_result(tmp_path)
    result = replace(result, estimates=replace(result.estimates, table=None, figures=None, totals=None))
    paths = write_all(result, tmp_path / "out", raster_blocksize=16)
    assert {"geopackage", "project", "exposed_raster", "report", "notes"} <= set(paths)
    assert not {"map", "figures_csv", "gidd_csv", "displaced_raster"} & set(paths)
    assert [n for n, _ in pyogrio.list_layers(paths["geopackage"])] == ["shelters", "damage_points", "hazard", "layer_styles"]
    notes = paths["notes"].read_text(encoding="utf-8")
    assert "Capa de unidades no escrita" in notes and "Tablas de cifras no escritas" in notes and "Mapa no dibujado" in notes


def test_inputs_come_from_a_finished_run_manifest_as_file_names(tmp_path):
    from geodisp.outputs import _inputs

    result = sample_result(tmp_path)
    result = replace(result, manifest={"inputs": {"damage": {"path": "/home/analista/evento/danos.csv", "bytes": 10, "sha256": "ab"},
                                  "population": "/srv/pop/population.tif"}})
    assert _inputs(result) == {"damage": "danos.csv", "population": "population.tif"}
    paths = write_all(result, tmp_path / "out", raster_blocksize=16)
    html = paths["report"].read_text(encoding="utf-8")
    # the page names the kinds of input, never a file name or a folder
    assert "censo de viviendas dañadas, ráster de población" in html
    assert "danos.csv" not in html and "/home/analista" not in html and "/srv/pop" not in html
