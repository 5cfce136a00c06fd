"""Figures CSV/XLSX and the GIDD-style table with its HXL row, read back from disk."""
from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pandas as pd
import pytest

from geodisp.outputs import tables
from test_outputs_fixture import NAMES, sample_result


@pytest.fixture
def result(tmp_path):
    return sample_result(tmp_path)


def test_gidd_csv_has_hxl_row_and_one_row_per_positive_figure(result, tmp_path):
    gidd = tables.gidd_table(result.figures, result.event, NAMES, date(2026, 11, 1))
    path = tables.write_csv(tmp_path / "gidd.csv", tables.with_hxl_row(gidd, tables.GIDD_HXL))
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == tables.GIDD_COLUMNS
    assert rows[1][rows[0].index("figure")] == "#affected+num"
    assert all(tag.startswith("#") for tag in rows[1])
    body = [dict(zip(rows[0], r)) for r in rows[2:]]
    # displaced 12001, 12002 (12003 is 0, 12004 has none); evacuated x2; shelters x1; destroyed x2
    assert [(r["term"], r["admin2_code"]) for r in body] == [
        ("displaced", "12001"), ("displaced", "12002"), ("evacuated", "12001"), ("evacuated", "12002"),
        ("in_shelters", "12001"), ("destroyed_housing", "12001"), ("destroyed_housing", "12002")]
    first = body[0]
    assert first["figure"] == "1234.4" and first["figure_low"] == "900.0" and first["unit"] == "people"  # raw, not rounded
    assert (first["event_id"], first["iso3"], first["admin1_name"], first["admin1_code"]) == ("MX-2026-000123", "MEX", "Guerrero", "12")
    assert (first["hazard_category"], first["hazard_type"], first["start_date"], first["end_date"]) == ("Weather related", "Storm", "2026-10-01", "2026-10-05")
    assert first["admin2_name"] == "Acapulco de Juárez" and first["date"] == "2026-11-01"
    assert body[-1]["unit"] == "dwellings"


def test_figures_csv_and_xlsx_keep_raw_values_and_keys_as_text(result, tmp_path):
    fig = tables.figures_table(result.figures, NAMES)
    csv_path = tables.write_csv(tmp_path / "f.csv", fig, encoding="utf-8-sig")
    back = pd.read_csv(csv_path, dtype={"cvegeo": str}, encoding="utf-8-sig")
    assert list(back.columns) == tables.FIGURE_TABLE_COLUMNS
    pd.testing.assert_frame_equal(back[["cvegeo", "metric", "low", "central", "high"]],
                                  result.figures[["cvegeo", "metric", "low", "central", "high"]].reset_index(drop=True))
    xlsx = tables.write_xlsx(tmp_path / "f.xlsx", {"figures": fig, "gidd": tables.with_hxl_row(tables.gidd_table(result.figures, result.event, NAMES, date(2026, 11, 1)), tables.GIDD_HXL)},
                             frozen_rows={"gidd": 2})
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["figures", "gidd"]
    assert wb["figures"].freeze_panes == "A2" and wb["gidd"].freeze_panes == "A3"  # header (and HXL row) stay in view
    ws = wb["figures"]
    assert [c.value for c in ws[1]] == tables.FIGURE_TABLE_COLUMNS
    assert ws["A2"].value == "12001" and ws["E4"].value == 1234.4
    assert wb["gidd"]["N2"].value == "#affected+num"


def test_households_displaced_is_the_displaced_term_in_households(result):
    fig = pd.DataFrame({"cvegeo": ["12001", "12001"], "metric": ["households_displaced", "households_affected"], "low": [1.0, 5.0],
                        "central": [2.0, 5.0], "high": [3.0, 5.0], "unit": ["households"] * 2, "method": ["m"] * 2, "source": ["s"] * 2})
    rows = tables.gidd_table(fig, result.event, NAMES, date(2026, 11, 1))
    assert rows[["term", "unit", "figure"]].values.tolist() == [["displaced", "households", 2.0]]


def test_entidad_level_units_have_no_admin2(result):
    fig = pd.DataFrame({"cvegeo": ["12"], "metric": ["displaced"], "low": [1.0], "central": [2.0], "high": [3.0],
                        "unit": ["people"], "method": ["m"], "source": ["s"]})
    row = tables.gidd_table(fig, result.event, {}, date(2026, 11, 1)).iloc[0]
    assert (row["admin1_code"], row["admin1_name"], row["admin2_code"]) == ("12", "Guerrero", "")
