"""Tables for Excel and HDX: byte-order marks, HXL tags that say what is counted, an XLSX that reads in Spanish."""
from __future__ import annotations

import io
from dataclasses import replace

import pandas as pd

from geodisp.estimators.figures import figure_rows
import pytest
from openpyxl import load_workbook

from geodisp.outputs import write_tables
from test_outputs_fixture import sample_result


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tables")
    result = sample_result(tmp)
    # a unit whose central is 0 but whose high is not: it stays in the GIDD table
    extra = figure_rows(["12003"], "displaced", 0.0, 0.0, 25.0, "people", "exposure", "WorldPop 2020", modelled=True)
    figures = pd.concat([result.figures[~((result.figures["cvegeo"] == "12003") & (result.figures["metric"] == "displaced"))], extra],
                        ignore_index=True)
    result = replace(result, estimates=replace(result.estimates, figures=figures),
                     overlay=replace(result.overlay, rejects=result.rejects.assign(file="/home/analista/eventos/otis/danos.csv")))
    paths, _ = write_tables(result, tmp / "es", lang="es")
    return paths


def test_csvs_for_excel_carry_a_bom_and_the_machine_copy_does_not(tables):
    assert tables["figures_csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert tables["gidd_csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert not tables["gidd_hdx_csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert tables["gidd_csv"].read_bytes()[3:] == tables["gidd_hdx_csv"].read_bytes()


def test_hxl_tags_say_what_is_counted(tables):
    gidd = pd.read_csv(io.StringIO(tables["gidd_hdx_csv"].read_text(encoding="utf-8")), dtype=str)
    tags = gidd.iloc[0].to_dict()
    assert tags["people"] == "#affected+idps+ind" and tags["people_low"] == "#affected+idps+ind+min"
    assert tags["households"] == "#affected+idps+hh"
    assert tags["dwellings"] == "#indicator+dwellings+num" and not tags["dwellings"].startswith("#affected")
    rows = gidd.iloc[1:]
    # each figure sits in the columns of its own unit of measure, and only there
    units = rows[rows["level"] == "mun"]  # the unit rows (the totals come first in the table)
    destroyed = units[units["term"] == "destroyed_housing"]
    assert list(destroyed["dwellings"].astype(float)) == [120.0, 4.0] and destroyed["people"].isna().all()
    evacuated = units[units["term"] == "evacuated"]
    assert list(evacuated["people"].astype(float)) == [800.0, 30.0] and evacuated["dwellings"].isna().all()
    # central 0 but high 25: kept, not dropped as nothing
    zero = rows[(rows["admin2_code"] == "12003") & (rows["term"] == "displaced")]
    assert list(zero[["people", "people_high"]].astype(float).iloc[0]) == [0.0, 25.0]


def test_xlsx_reads_in_spanish_with_frozen_headers_filters_and_number_formats(tables):
    wb = load_workbook(tables["figures_xlsx"])
    ws = wb["figures"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Clave geoestadística (CVEGEO)", "Nombre", "Nivel", "Métrica"]
    assert ws.cell(row=1, column=1).comment.text == "cvegeo"  # the stable code stays beside its Spanish name
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    central = header.index("Central") + 1
    assert ws.cell(row=2, column=central).number_format == "#,##0"
    assert wb["gidd"].freeze_panes == "A3"  # header and HXL row stay in view
    assert wb["gidd"].cell(row=3, column=[c.value for c in wb["gidd"][2]].index("#affected+idps+ind") + 1).number_format == "#,##0"
    rejects = wb["rejects"]
    cols = [c.comment.text for c in rejects[1]]
    files = {rejects.cell(row=r, column=cols.index("file") + 1).value for r in range(2, rejects.max_row + 1)}
    assert files == {"danos.csv"}  # never the analyst's folders
    assert "reason_code" in cols
