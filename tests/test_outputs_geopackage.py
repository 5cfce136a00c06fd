"""The event GeoPackage: layers, values, no personal data, layer_styles rows QGIS reads."""
from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import numpy as np
import pyogrio
import pytest

from geodisp.outputs import geopackage, i18n, layer_styles, styles
from test_outputs_fixture import sample_result


def _layers(result):
    ov = result.overlay
    return geopackage.build_layers(result.table, result.figures, result.sources.footprint, ov.hazard,
                                   ov.damage_points, ov.shelters, units=result.units, totals=result.estimates.totals)


@pytest.fixture
def written(tmp_path):
    result = sample_result(tmp_path)
    layers, notes = _layers(result)
    sty = layer_styles(layers, result.sources.footprint.classes, "es")
    path = geopackage.write_geopackage(tmp_path / "ev.gpkg", layers, sty, {n: n.upper() for n in layers})
    return result, path, notes


def test_layers_in_order_and_values_kept_raw(written):
    result, path, notes = written
    assert [name for name, _ in pyogrio.list_layers(path)] == ["shelters", "damage_points", "hazard", "units", "states",
                                                               "layer_styles"]
    units = pyogrio.read_dataframe(path, layer="units")
    assert units.crs.to_epsg() == 6372
    assert list(units["cvegeo"]) == ["12001", "12002", "12003", "12004"]
    assert units.loc[0, "displaced"] == 1234.4 and units.loc[0, "displaced_low"] == 900.0
    assert np.isnan(units.loc[3, "displaced"])  # gap stays NULL, not 0
    # the ledger of each unit's displaced figure rides with it
    assert list(units["calculation"].iloc[:3]) == ["housing", "records", "exposure"]
    assert list(units["method"].iloc[:3]) == ["reconciled"] * 3
    assert list(units["modelled"].iloc[:3]) == [False, False, True]
    assert list(units["term"].iloc[:3]) == ["displaced"] * 3
    assert list(units["flag"]) == [False, True, False, False]
    # the reason travels as a code and is written rendered in the run's language
    assert units.loc[1, "flag_reason"] == "las fuentes difieren en más de ×3: Personas evacuadas 30, Desplazados según vivienda 4"
    assert units.loc[0, "sheltered_last_date"] == "2026-10-02"
    # exposed people per class: brute force over the fixture grid
    assert units.loc[0, "exposed_class_2"] == sum(10 * (r + 1) + c for r in range(10) for c in range(5))


def test_states_layer_holds_the_state_totals(written):
    result, path, _ = written
    states = pyogrio.read_dataframe(path, layer="states")
    assert states.crs.to_epsg() == 6372
    assert list(states["cvegeo"]) == ["12"] and states.loc[0, "name"] == "Guerrero"
    units = result.figures[result.figures.metric == "displaced"]
    for part in ("low", "central", "high"):
        column = "displaced" if part == "central" else f"displaced_{part}"
        assert states.loc[0, column] == pytest.approx(units[part].sum())
        observed = "displaced_observed" if part == "central" else f"displaced_observed_{part}"
        assert states.loc[0, observed] == pytest.approx(units.loc[~units.modelled, part].sum())
    assert states.loc[0, "evacuated"] == 830 and bool(states.loc[0, "modelled"])
    assert states.loc[0, "method"] == "sum" and states.loc[0, "role"] == "recommended"
    assert states.area.round().iloc[0] == 300e6  # the union of the four 10 km-high units (30 km wide)


def test_damage_points_carry_no_personal_data(written):
    _, path, _ = written
    pts = pyogrio.read_dataframe(path, layer="damage_points")
    assert set(pts.columns) == {"dwelling_id", "damage_level", "cvegeo", "hazard_class", "record", "geometry"}
    assert list(pts["damage_level"]) == ["destroyed", "severe", "partial", "minor", "destroyed"]


def test_hazard_and_shelters_layers(written):
    _, path, notes = written
    hz = pyogrio.read_dataframe(path, layer="hazard")
    assert list(hz["hazard_class"]) == [1, 2]
    assert list(hz["label"]) == ["64–82 kt", "83–95 kt"]
    assert hz.area.round().tolist() == [100e6, 50e6]  # 10 x 10 km and 5 x 10 km
    sh = pyogrio.read_dataframe(path, layer="shelters")
    assert list(sh["shelter_id"]) == ["S1"]
    assert sh.loc[0, "peak_occupants"] == 250 and sh.loc[0, "last_date"] == "2026-10-02"
    assert notes == [("shelter_no_coordinates", {"id": "S2"})]
    assert i18n.note_text(notes[0]) == "Albergue S2: sin coordenadas, no se dibuja (sus personas sí cuentan en las cifras)."


def test_geopackage_version_1_3_and_layer_styles_match_table_and_geometry_column(written):
    _, path, _ = written
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 10300
    geom = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    rows = con.execute("SELECT f_table_name, f_geometry_column, useAsDefault, styleQML, description FROM layer_styles").fetchall()
    assert con.execute("SELECT data_type FROM gpkg_contents WHERE table_name='layer_styles'").fetchone() == ("attributes",)
    con.close()
    assert {r[0] for r in rows} == {"units", "damage_points", "hazard", "shelters", "states"}
    for table, geom_col, default, qml, description in rows:
        assert geom_col == geom[table] and default == 1 and description == table.upper()
        root = ET.fromstring(qml.split("\n", 1)[1])
        assert root.tag == "qgis" and root.find("renderer-v2") is not None
    renderers = {r[0]: ET.fromstring(r[3].split("\n", 1)[1]).find("renderer-v2").get("type") for r in rows}
    assert renderers == {"units": "graduatedSymbol", "damage_points": "categorizedSymbol", "hazard": "categorizedSymbol",
                         "shelters": "categorizedSymbol", "states": "graduatedSymbol"}


def test_missing_inputs_mean_missing_layers_with_a_reason(tmp_path):
    result = sample_result(tmp_path, shelters=False, damage=False)
    layers, notes = _layers(result)
    assert list(layers) == ["hazard", "units", "states"]
    assert notes == [("no_shelters", {}), ("no_damage_points", {})]
    assert i18n.note_text(notes[0], "en") == "Shelters layer not written: no shelter records."


def test_hazard_layer_from_class_raster_matches_polygons(tmp_path):
    result = sample_result(tmp_path)
    fp = result.sources.footprint
    from_raster = geopackage.hazard_layer(fp.classes, None, result.overlay.hazard)
    from_vector = geopackage.hazard_layer(fp.classes, fp.vector)
    assert list(from_raster["hazard_class"]) == [1, 2]
    for a, b in zip(from_raster.geometry, from_vector.geometry):
        assert a.symmetric_difference(b).area < 1e-3


def test_units_style_classes_and_labels(tmp_path):
    result = sample_result(tmp_path)
    values = result.table["displaced"].tolist()  # 1234.4, 56, 0, NaN
    breaks = styles.displaced_breaks(values)
    ranges = styles.displaced_ranges(breaks, "es")
    assert [r.label for r in ranges][:2] == ["Sin datos", "0"]
    idx = styles.classify(values, ranges)
    assert idx[3] == 0 and idx[2] == 1 and idx[0] == len(ranges) - 1 and 2 <= idx[1] < idx[0]
    qml = styles.units_style(["cvegeo", "name", "displaced"], breaks, "en").qml()
    root = ET.fromstring(qml.split("\n", 1)[1])
    assert [r.get("label") for r in root.iter("range")][:2] == ["No data", "0"]
    aliases = {a.get("field"): a.get("name") for a in root.iter("alias")}
    assert aliases["displaced"] == "People displaced (central)"


def test_shipped_default_styles_are_what_the_code_writes(tmp_path):
    from pathlib import Path

    from geodisp.outputs import write_default_styles
    shipped = Path(__file__).resolve().parents[1] / "layers" / "styles"
    written = write_default_styles(tmp_path)
    for name, path in written.items():
        assert (shipped / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), f"{path.name} is stale: regenerate with geodisp.outputs.write_default_styles('layers/styles')"


def test_text_lists_and_missing_values_are_written_as_text_or_null(tmp_path):
    import pandas as pd

    result = sample_result(tmp_path)
    table = result.table.copy()
    table["evidence"] = [["housing", "records"], None, pd.NA, "exposure"]
    layer = geopackage.units_layer(table)
    path = geopackage.write_geopackage(tmp_path / "t.gpkg", {"units": layer}, {})
    back = pyogrio.read_dataframe(path, layer="units")["evidence"]
    assert [None if pd.isna(v) else v for v in back] == ["['housing', 'records']", None, None, "exposure"]
    pts = result.overlay.damage_points.copy()
    pts["hazard_class"] = [2, None, 1, 1, 1]
    assert list(geopackage.damage_points_layer(pts)["hazard_class"]) == [2, 0, 1, 1, 1]
