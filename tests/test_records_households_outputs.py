"""Evacuations reported in households (FAMILIAS): the households as reported and the people they
convert into, with each unit's own census household size, in every output (issue #12, item 7).

Worked by hand (census PROM_OCUP: 12001 3.5, 12002 4.2; records are separate movements):

- 12001: 10 families on 1 Oct and 6 on 2 Oct -> 16 households; people 16 x 3.5 = 56
  (low: the largest per-date total, 10 x 3.5 = 35; high: the sum, 56).
- 12002: 25 families -> 25 households; people 25 x 4.2 = 105.
- 12003: 40 people (a people column), no households figure.
- event: 16 + 25 = 41 households; 56 + 105 + 40 = 201 people.
"""
from __future__ import annotations

import csv
import sqlite3
from dataclasses import replace

import pandas as pd
import pyogrio
import pytest

from geodisp.outputs import write_all
from geodisp.sources.census import household_sizes
from geodisp.sources.records import read_evacuations
from geodisp.stages import estimate
from test_outputs_fixture import sample_result

EVACUATIONS = [
    ["Reporte de evacuaciones, Protección Civil"],
    [],
    ["CVEGEO", "Fecha", "Familias", "Personas"],
    ["12001", "01/10/2026", "10", ""],
    ["12001", "02/10/2026", "6", ""],
    ["12002", "01/10/2026", "25", ""],
    ["12003", "01/10/2026", "", "40"],
]
SIZES = {"12001": 3.5, "12002": 4.2}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hh")
    path = tmp / "evacuaciones.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(EVACUATIONS)
    read = read_evacuations(path)
    assert read.rejects.empty
    base = sample_result(tmp, shelters=False, damage=False)
    census = pd.DataFrame({"prom_ocup": list(SIZES.values())}, index=pd.Index(list(SIZES), name="cvegeo"))
    sources = replace(base.sources, evacuations=read.data, household=household_sizes(census, base.units["cvegeo"]),
                      labels={"records.evacuations": "evacuaciones.csv"}, event_id="MX-2026-000123")
    result = replace(base, sources=sources, estimates=estimate(sources, base.overlay))
    out = tmp / "out"
    return read, result, write_all(result, out, "es"), write_all(result, tmp / "out_en", "en")


def test_the_reader_keeps_households_as_reported(written):
    read = written[0]
    assert read.data["households"].tolist()[:3] == [10, 6, 25]
    assert read.data["people"].isna().tolist() == [True, True, True, False]


def test_figures_csv_has_households_beside_people(written):
    _, _, paths, _ = written
    figs = pd.read_csv(paths["figures_csv"], dtype={"cvegeo": str}, encoding="utf-8-sig")
    f = figs.set_index(["cvegeo", "metric"])
    assert tuple(f.loc[("12001", "evacuated"), ["low", "central", "high"]]) == pytest.approx((35, 56, 56))
    assert tuple(f.loc[("12001", "evacuated_households"), ["low", "central", "high"]]) == (10, 16, 16)
    assert tuple(f.loc[("12002", "evacuated"), ["low", "central", "high"]]) == pytest.approx((105, 105, 105))
    assert tuple(f.loc[("12002", "evacuated_households"), ["low", "central", "high"]]) == (25, 25, 25)
    assert ("12003", "evacuated_households") not in f.index
    assert f.loc[("12003", "evacuated"), "central"] == 40
    hh = f.loc[("12001", "evacuated_households")]
    assert (hh["unit"], hh["reported_unit"], hh["reported"], hh["role"], hh["term"]) == (
        "households", "household", 16, "triangulation", "evacuated")
    people = f.loc[("12002", "evacuated")]
    assert (people["reported_unit"], people["household_size"], people["reported"]) == ("household", 4.2, pytest.approx(25))
    assert "tamaño del hogar (censo de 12002)" in people["calculation"]  # the unit's own census size, in words
    event = f.loc[("MX-2026-000123", "evacuated_households")]
    assert (event["level"], event["central"], event["unit"]) == ("event", 41, "households")
    assert f.loc[("MX-2026-000123", "evacuated"), "central"] == pytest.approx(201)


def test_units_layer_and_workbook_show_households(written):
    _, _, paths, paths_en = written
    units = pyogrio.read_dataframe(paths["geopackage"], layer="units").set_index("cvegeo")
    assert units.loc["12001", "evacuated"] == pytest.approx(56)
    assert units.loc["12001", "evacuated_households"] == 16
    assert units.loc["12002", "evacuated_households"] == 25
    assert pd.isna(units.loc["12003", "evacuated_households"]) and units.loc["12003", "evacuated"] == 40
    cols = list(units.columns)
    assert cols.index("evacuated_households") == cols.index("evacuated_high") + 1  # beside the people figure
    with sqlite3.connect(paths["geopackage"]) as con:
        qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name='units'").fetchone()[0]
    assert 'field="evacuated_households"' in qml and "Hogares (familias) evacuados, como se reportaron" in qml
    with sqlite3.connect(paths_en["geopackage"]) as con:
        qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name='units'").fetchone()[0]
    assert "Households (families) evacuated, as reported" in qml
    sheet = pd.read_excel(paths["figures_xlsx"], sheet_name="units", dtype=str)
    row = sheet[sheet["Clave geoestadística (CVEGEO)"] == "12002"].iloc[0]
    assert float(row["Hogares (familias) evacuados, como se reportaron"]) == 25


def test_gidd_table_carries_households_under_the_hh_tag(written):
    _, _, paths, _ = written
    gidd = pd.read_csv(paths["gidd_hdx_csv"], dtype=str)
    tags, rows = gidd.iloc[0], gidd.iloc[1:]
    assert tags["households"] == "#affected+idps+hh"
    hh = rows[(rows["metric"] == "evacuated_households") & (rows["cvegeo"] == "12001")].iloc[0]
    assert float(hh["households"]) == 16 and pd.isna(hh["people"])
    people = rows[(rows["metric"] == "evacuated") & (rows["cvegeo"] == "12001")].iloc[0]
    assert float(people["people"]) == pytest.approx(56) and pd.isna(people["households"])


def test_report_lists_households_evacuated(written):
    _, _, paths, paths_en = written
    html = paths["report"].read_text(encoding="utf-8")
    assert "Hogares (familias) evacuados, como se reportaron: <span class='total' data-metric='evacuated_households'>41</span> hogares" in html
    assert "data-metric='evacuated'>201</span>" in html
    assert "Households (families) evacuated, as reported" in paths_en["report"].read_text(encoding="utf-8")
