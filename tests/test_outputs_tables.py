"""Figures CSV/XLSX and the GIDD-style table with its HXL row, read back from disk."""
from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pandas as pd
import pytest

from geodisp.estimators.figures import figure_rows
from geodisp.model.ledger import LEDGER_COLUMNS
from geodisp.outputs import tables
from test_outputs_fixture import NAMES, sample_result


@pytest.fixture
def result(tmp_path):
    return sample_result(tmp_path)


def test_gidd_csv_has_hxl_row_recommended_figures_evidence_and_totals(result, tmp_path):
    gidd = tables.gidd_table(result.figures, result.event, NAMES, date(2026, 11, 1), result.estimates.totals)
    path = tables.write_csv(tmp_path / "gidd.csv", tables.with_hxl_row(gidd, tables.GIDD_HXL))
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == tables.GIDD_COLUMNS
    assert rows[1][rows[0].index("figure")] == "#affected+num"
    assert all(tag.startswith("#") for tag in rows[1])
    body = [dict(zip(rows[0], r)) for r in rows[2:]]
    # the event, national and state totals first (observed + modelled, then observed), then the units:
    # displaced 12001, 12002 (12003 is 0, 12004 has none); evacuated x2; sheltered x1; destroyed x2
    assert [(r["level"], r["metric"], r["admin2_code"]) for r in body][:6] == [
        ("event", "displaced", ""), ("event", "displaced_observed", ""), ("event", "evacuated", ""),
        ("event", "sheltered_peak", ""), ("event", "dwellings_destroyed", ""), ("national", "displaced", "")]
    units = [(r["term"], r["admin2_code"]) for r in body if r["level"] == "mun"]
    assert units == [
        ("displaced", "12001"), ("displaced", "12002"), ("evacuated", "12001"), ("evacuated", "12002"),
        ("sheltered", "12001"), ("destroyed_housing", "12001"), ("destroyed_housing", "12002")]
    first = next(r for r in body if r["level"] == "mun")
    assert first["figure"] == "1234.4" and first["figure_low"] == "900.0" and first["unit"] == "people"  # raw
    assert first["figure_rounded"] == "1200"  # as IDMC publishes
    assert (first["event_id"], first["iso3"], first["admin1_name"], first["admin1_code"]) == ("MX-2026-000123", "MEX", "Guerrero", "12")
    assert (first["hazard_category"], first["hazard_type"]) == ("Weather related", "Storm")
    assert (first["role"], first["category"], first["quantifier"], first["modelled"]) == (
        "recommended", "new_displacement", "approximately", "False")
    assert first["admin2_name"] == "Acapulco de Juárez" and first["date"] == "2026-11-01"
    event = body[0]
    assert float(event["figure"]) == pytest.approx(1234.4 + 56.0 + 0.0) and event["modelled"] == "True"
    assert float(body[1]["figure"]) == pytest.approx(1234.4 + 56.0)  # 12003's 0 is modelled: not observed
    assert body[-1]["unit"] == "dwellings"


def test_figures_csv_and_xlsx_keep_raw_values_keys_as_text_and_totals(result, tmp_path):
    fig = tables.figures_table(result.figures, NAMES, result.estimates.totals, "Huracán Erin")
    csv_path = tables.write_csv(tmp_path / "f.csv", fig, encoding="utf-8-sig")
    back = pd.read_csv(csv_path, dtype={"cvegeo": str}, encoding="utf-8-sig")
    assert list(back.columns)[:8] == tables.FIGURE_TABLE_COLUMNS
    assert set(LEDGER_COLUMNS) <= set(back.columns)
    units = back[back.level == "mun"].reset_index(drop=True)
    pd.testing.assert_frame_equal(units[["cvegeo", "metric", "low", "central", "high"]],
                                  result.figures[["cvegeo", "metric", "low", "central", "high"]].reset_index(drop=True),
                                  check_dtype=False)
    state = back[(back.level == "ent") & (back.metric == "displaced")].iloc[0]
    assert (state.cvegeo, state["name"], state.central, state.central_rounded) == ("12", "Guerrero", pytest.approx(1290.4), 1300)
    assert back.loc[(back.level == "national"), "name"].iloc[0] == "México"
    assert back.loc[(back.level == "event"), "cvegeo"].iloc[0] == "MX-2026-000123"
    xlsx = tables.write_xlsx(tmp_path / "f.xlsx", {"figures": fig, "gidd": tables.with_hxl_row(tables.gidd_table(result.figures, result.event, NAMES, date(2026, 11, 1)), tables.GIDD_HXL)},
                             frozen_rows={"gidd": 2})
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["figures", "gidd"]
    assert wb["figures"].freeze_panes == "A2" and wb["gidd"].freeze_panes == "A3"  # header (and HXL row) stay in view
    ws = wb["figures"]
    assert [c.value for c in ws[1]][:8] == tables.FIGURE_TABLE_COLUMNS
    assert ws["A2"].value == "12001" and ws["F4"].value == 1234.4
    assert wb["gidd"]["R2"].value == "#affected+num"


def test_entidad_level_units_have_no_admin2(result):
    fig = figure_rows(["12"], "displaced", 1.0, 2.0, 3.0, "people", "m", "s")
    row = tables.gidd_table(fig, result.event, {}, date(2026, 11, 1)).iloc[0]
    assert (row["admin1_code"], row["admin1_name"], row["admin2_code"], row["level"]) == ("12", "Guerrero", "", "ent")
