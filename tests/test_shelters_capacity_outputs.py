"""Shelters above their capacity: flagged by the reader and shown in the shelters layer and its
style (issue #12, item 8).

The generated file, worked by hand:

- S1, capacity 100: 80 on 1 Oct, 120 on 2 Oct (over), 100 on 3 Oct (at capacity, not over)
  -> capacity 100, peak 120, over capacity on 2026-10-02 only.
- S2, capacity 50: 40 on 1 Oct -> not over.
- S3, no capacity given: 500 on 1 Oct -> capacity NULL, not flagged (nothing to compare with).
"""
from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geodisp.outputs import geopackage, layer_styles
from geodisp.sources.records import read_shelters

QGIS_PYTHON = "/usr/bin/python3"
ROWS = [
    ["id_albergue", "nombre_albergue", "cvegeo", "fecha", "ocupantes", "capacidad", "latitud", "longitud"],
    ["S1", "Escuela Primaria Benito Juárez", "12001", "01/10/2026", "80", "100", "16.86", "-99.88"],
    ["S1", "Escuela Primaria Benito Juárez", "12001", "02/10/2026", "120", "100", "16.86", "-99.88"],
    ["S1", "Escuela Primaria Benito Juárez", "12001", "03/10/2026", "100", "100", "16.86", "-99.88"],
    ["S2", "Auditorio Municipal", "12001", "01/10/2026", "40", "50", "16.87", "-99.89"],
    ["S3", "Casa de la Cultura", "12001", "01/10/2026", "500", "", "16.88", "-99.90"],
]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shelters")
    path = tmp / "albergues.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(ROWS)
    read = read_shelters(path)
    assert read.rejects.empty
    layer, notes = geopackage.shelters_layer(read.data)
    assert notes == []
    out = {}
    for lang in ("es", "en"):
        styles = layer_styles({"shelters": layer}, None, lang)
        out[lang] = geopackage.write_geopackage(tmp / f"shelters_{lang}.gpkg", {"shelters": layer}, styles)
    return read, out


def test_reader_flags_the_report_above_capacity(written):
    read, _ = written
    data = read.data.set_index(["shelter_id", read.data["date"].dt.strftime("%Y-%m-%d")])
    assert data["over_capacity"].to_dict() == {
        ("S1", "2026-10-01"): False, ("S1", "2026-10-02"): True, ("S1", "2026-10-03"): False,
        ("S2", "2026-10-01"): False, ("S3", "2026-10-01"): False}
    assert any(getattr(n, "code", "") == "capacity_exceeded" and n.params["count"] == 1 for n in read.notes)


def test_shelters_layer_shows_capacity_and_over_capacity(written):
    _, paths = written
    sh = pyogrio.read_dataframe(paths["es"], layer="shelters").set_index("shelter_id")
    assert list(sh.columns[:8]) == ["name", "cvegeo", "capacity", "peak_occupants", "over_capacity",
                                    "over_capacity_dates", "last_date", "occupants_last_date"]
    assert sh.loc["S1", ["capacity", "peak_occupants"]].tolist() == [100, 120]
    assert sh["over_capacity"].to_dict() == {"S1": True, "S2": False, "S3": False}
    assert sh.loc["S1", "over_capacity_dates"] == "2026-10-02"
    assert pd.isna(sh.loc["S2", "over_capacity_dates"]) and pd.isna(sh.loc["S3", "over_capacity_dates"])
    assert pd.isna(sh.loc["S3", "capacity"])  # NULL: no capacity given
    assert sh.loc["S1", ["last_date", "occupants_last_date"]].tolist() == ["2026-10-03", 100]


def test_shelters_style_sets_over_capacity_apart_in_both_languages(written):
    _, paths = written
    for lang, legend, alias in (("es", "Albergue con sobrecupo (ocupación mayor que su capacidad)", "Fechas con sobrecupo"),
                                ("en", "Shelter over capacity (occupants above its capacity)", "Dates over capacity")):
        with sqlite3.connect(paths[lang]) as con:
            qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name='shelters'").fetchone()[0]
        root = ET.fromstring(qml.split("\n", 1)[1])
        renderer = root.find("renderer-v2")
        assert renderer.get("type") == "categorizedSymbol" and "over_capacity" in renderer.get("attr")
        labels = {c.get("value"): c.get("label") for c in renderer.iter("category")}
        assert labels["1"] == legend
        assert {a.get("field"): a.get("name") for a in root.iter("alias")}["over_capacity_dates"] == alias


QGIS_CHECK = r'''
import json, sys
from qgis.core import QgsApplication, QgsExpressionContextUtils, QgsVectorLayer, QgsRenderContext
app = QgsApplication([], False); app.initQgis()
lyr = QgsVectorLayer(sys.argv[1] + "|layername=shelters", "shelters", "ogr")
r = lyr.renderer(); ctx = QgsRenderContext()
ctx.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
r.startRender(ctx, lyr.fields())
out = {}
for f in lyr.getFeatures():  # as the layer renderer does: the feature in the context, then its symbol
    ctx.expressionContext().setFeature(f)
    out[f["shelter_id"]] = r.symbolForFeature(f, ctx).color().name()
r.stopRender(ctx)
print("RESULT" + json.dumps([lyr.isValid(), r.type(), out]))
'''


@pytest.mark.qgis
def test_qgis_draws_the_over_capacity_shelter_in_its_own_colour(written, tmp_path):
    if not Path(QGIS_PYTHON).exists():
        pytest.skip(f"{QGIS_PYTHON} not found")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    if subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, env=env).returncode:
        pytest.skip("QGIS Python bindings (Debian python3-qgis) not installed")
    script = tmp_path / "check.py"
    script.write_text(QGIS_CHECK, encoding="utf-8")
    proc = subprocess.run([QGIS_PYTHON, str(script), str(written[1]["es"])], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    valid, kind, colours = json.loads(next(l for l in proc.stdout.splitlines() if l.startswith("RESULT"))[6:])
    assert (valid, kind) == (True, "categorizedSymbol")
    assert colours == {"S1": "#d55e00", "S2": "#0072b2", "S3": "#0072b2"}
