"""``geodisp year`` on the demo year, end to end: threaded, rerun, a failing event, a real
``dask scheduler`` with two ``dask worker`` processes on 127.0.0.1, and the command line.

The demo year is built once at a coarse grid (the same code as ``geodisp demo --year``).
"""
from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from geodisp.cli import app
from geodisp.year.demo import build_demo_year
from geodisp.year.runner import run_year
from test_cluster import real_cluster  # noqa: F401  (the fixture: dask scheduler + 2 workers)
from test_year_tables import HDX_HEADER, HDX_HXL

CELL = 0.012  # coarser than the demo's default: the same events in a fraction of the time


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory):
    return build_demo_year(tmp_path_factory.mktemp("demo-year"), cell_deg=CELL)


@pytest.fixture(scope="module")
def workspace(demo_inputs, tmp_path_factory) -> Path:
    """A copy of the demo inputs and the year run on them (threaded), in one folder tests may copy."""
    ws = tmp_path_factory.mktemp("year-threaded")
    shutil.copytree(demo_inputs.inputs, ws / "inputs")
    return ws


@pytest.fixture(scope="module")
def threaded(workspace):
    return run_year(workspace / "inputs" / "catalogo.yaml", out=workspace / "out")


def national(result, column="central"):
    t = result.tables["totals"]
    return float(t.query("level == 'national' and hazard_type == 'all' and month == 0")[column].iloc[0])


def test_demo_year_runs_every_event_and_writes_the_year(threaded):
    r = threaded
    assert r.complete and len(r.summaries) == 7 and not r.reused
    # the seven events share boundaries and grid: one zone raster, built by its own task, reused by every event
    assert {s.meta["zone_cache"] for s in r.summaries} == {"reused"}
    names = {p.name for p in r.paths.values()}
    for f in ("mex_2024_gidd.csv", "mex_2024.gpkg", "mex_2024.qgs", "mex_2024_report.html", "mex_2024_map.png",
              "mex_2024_monthly.png", "mex_2024_municipio_event.csv", "mex_2024_totals.csv", "mex_2024_gaps.csv",
              "mex_2024_sectoral_people.csv", "mex_2024_sectoral_school_ages.csv", "manifest.json", "mex_2024.xlsx"):
        assert f in names, f
    with open(r.out_dir / "latest" / "mex_2024_gidd.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert ",".join(rows[0]) == HDX_HEADER and ",".join(rows[1]) == HDX_HXL
    manifest = json.loads((r.out_dir / "latest" / "manifest.json").read_text())
    assert manifest["complete"] is True and set(manifest["events"]) == {s.event_id for s in r.summaries}
    assert all(len(e["inputs_sha256"]) >= 4 for e in manifest["events"].values())
    html = (r.out_dir / "latest" / "mex_2024_report.html").read_text(encoding="utf-8")
    assert "data-complete='true'" in html and "id='monthly'" in html and "id='map'" in html
    with sqlite3.connect(r.out_dir / "latest" / "mex_2024.gpkg") as con:
        layers = {n for (n,) in con.execute("select table_name from gpkg_contents")}
        styled = {n for (n,) in con.execute("select f_table_name from layer_styles")}
    assert {"municipios", "events", "states"} <= layers and {"municipios", "events", "states"} <= styled
    assert (r.out_dir / "events" / "huracan-alfa" / "latest" / "manifest.json").exists()  # each event's own outputs


def test_demo_year_rules_and_totals(threaded):
    t = threaded.tables
    events = t["events"].set_index("event_id")
    assert events.loc["inundacion-2023-12", "counts_in_year"] == 2024  # spans 31 Dec 2023: its end year
    assert events.loc["inundacion-2024-12", "counts_in_year"] == 2025  # spans 31 Dec 2024: not in 2024's flows
    assert "inundacion-2024-12" not in set(t["flows"]["event_id"])
    assert events.loc["huracan-alfa", "states"] == "12,20"  # one event, two states
    counted = events[events["counts_in_year"] == 2024]
    states = t["totals"].query("level == 'state' and hazard_type == 'all' and month == 0")
    for c in ("low", "central", "high"):
        assert national(threaded, c) == pytest.approx(states[c].sum(), rel=1e-12)
        assert national(threaded, c) == pytest.approx(counted[f"flow_{c}"].sum(), rel=1e-12)
        assert national(threaded, c) == pytest.approx(t["flows"][c].sum(), rel=1e-12)
    gidd = t["gidd"]
    assert gidd.iloc[-1]["new_displacement"] == round(national(threaded))
    # the stock is not a sum of flows: it is the events' ongoing displacement on 31 Dec
    stock = t["stock"]
    assert national(threaded, "stock_central") == pytest.approx(stock["central"].sum())
    assert national(threaded, "stock_central") < national(threaded)
    dec = stock[stock["event_id"] == "inundacion-2024-12"]
    assert (dec["sheltered"] > 0).any()  # people still in shelters on 31 December
    assert "inundacion-2023-12" not in set(stock["event_id"])  # ended on 31 March
    # two events in one municipio: two rows, and the choropleth counts them
    me = t["municipio_event"]
    both = me[me["flow_central"] > 0].groupby("cvegeo")["event_id"].nunique()
    assert (both >= 2).any()
    mun = t["municipio_year"].set_index("cvegeo")
    key = both[both >= 2].index[0]
    assert mun.loc[key, "displaced"] == pytest.approx(me.loc[me["cvegeo"] == key, "flow_central"].sum())
    gaps = set(t["gaps"]["gap"])
    assert {"hit_without_records", "event_without_records"} <= gaps


def test_rerun_recomputes_only_changed_events_and_a_failing_event_does_not_lose_the_others(threaded, workspace, tmp_path):
    shutil.copytree(workspace, tmp_path / "ws", symlinks=True)  # `latest` stays a pointer, as in a copy that keeps links
    catalogue, out = tmp_path / "ws" / "inputs" / "catalogo.yaml", tmp_path / "ws" / "out"
    again = run_year(catalogue, out=out, write=False)
    assert again.recomputed == [] and len(again.reused) == 7
    pd.testing.assert_frame_equal(again.tables["totals"], threaded.tables["totals"])
    evac = catalogue.parent / "eventos" / "huracan-beta" / "evacuaciones.csv"
    table = pd.read_csv(evac)
    table.loc[0, "personas"] += 1
    table.to_csv(evac, index=False)
    third = run_year(catalogue, out=out, write=False)
    assert not third.failures, [(f.event_id, f.message) for f in third.failures]
    assert third.recomputed == ["huracan-beta"] and len(third.reused) == 6

    (catalogue.parent / "eventos" / "sismo-septiembre" / "huella.gpkg").write_bytes(b"not a geopackage")
    r = run_year(catalogue, out=out)
    assert not r.complete and [f.event_id for f in r.failures] == ["sismo-septiembre"]
    assert r.failures[0].kind == "input" and "huella.gpkg" in r.failures[0].message
    assert len(r.summaries) == 6 and r.recomputed == []
    manifest = json.loads((out / "latest" / "manifest.json").read_text())
    assert manifest["complete"] is False and manifest["events"]["sismo-septiembre"]["status"] == "failed_input"
    assert "data-complete='false'" in (out / "latest" / "mex_2024_report.html").read_text(encoding="utf-8")
    assert "event_failed" in set(r.tables["gaps"]["gap"])
    assert "sismo-septiembre" not in set(r.tables["flows"]["event_id"])


@pytest.mark.slow
def test_separate_process_scheduler_gives_the_threaded_figures(demo_inputs, threaded, real_cluster, tmp_path):  # noqa: F811
    r = run_year(demo_inputs.catalogue, out=tmp_path / "out", scheduler=real_cluster, write=False)  # inputs apart from the threaded run's
    assert r.complete and len(r.summaries) == 7
    cols = ["level", "key", "hazard_type", "month", "low", "central", "high", "stock_low", "stock_central", "stock_high"]
    pd.testing.assert_frame_equal(r.tables["totals"][cols], threaded.tables["totals"][cols], rtol=1e-9)
    pd.testing.assert_frame_equal(r.tables["gidd"], threaded.tables["gidd"])


def test_command_line_lists_every_catalogue_problem_and_exits_2(demo_inputs, tmp_path):
    cat = tmp_path / "cat.yaml"
    cat.write_text(yaml.safe_dump({"year": 2024, "events": ["a.yaml", {"event": {"id": "x"}}]}), encoding="utf-8")
    res = CliRunner().invoke(app, ["year", str(cat)])
    assert res.exit_code == 2
    assert "events[0] (a.yaml)" in res.output and "events[1].event.name" in res.output
    res = CliRunner().invoke(app, ["year", str(demo_inputs.catalogue), "--out", str(tmp_path / "o"), "--scheduler", "localhost:8786"])
    assert res.exit_code == 2 and "no es una dirección de planificador; se espera tcp://HOST:PUERTO" in res.output  # Spanish by default
    assert not (tmp_path / "o" / "events").exists()  # nothing ran


QGIS_SCRIPT = """
import json, sys
from qgis.core import QgsApplication, QgsProject
app = QgsApplication([], False); app.initQgis()
project = QgsProject.instance()
ok = project.read(sys.argv[1])
layers = {l.name(): [l.isValid(), l.renderer().type(), l.featureCount()] for l in project.mapLayers().values()}
print(json.dumps({"read": ok, "crs": project.crs().authid(), "layers": layers}))
app.exitQgis()
"""


def test_qgis_opens_the_year_project_with_its_styled_layers(threaded, tmp_path):
    import os
    import subprocess

    from test_outputs_qgis import QGIS_PYTHON, _qgis_available

    reason = _qgis_available()
    if reason:
        pytest.skip(reason)
    script = tmp_path / "open.py"
    script.write_text(QGIS_SCRIPT, encoding="utf-8")
    proc = subprocess.run([QGIS_PYTHON, str(script), str(threaded.paths["qgs"])], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["read"] is True and out["crs"] == "EPSG:6372"
    layers = out["layers"]
    assert set(layers) == {"Desplazamientos por municipio, 2024", "Huellas de los eventos, 2024", "Desplazamientos por estado, 2024"}
    assert layers["Desplazamientos por municipio, 2024"] == [True, "graduatedSymbol", 24]
    assert layers["Desplazamientos por estado, 2024"] == [True, "singleSymbol", 3]
    assert layers["Huellas de los eventos, 2024"] == [True, "categorizedSymbol", 7]
