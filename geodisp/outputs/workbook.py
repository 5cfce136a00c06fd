"""How the XLSX reads in Excel: headers in the run's language, frozen, with an autofilter,
and number formats (thousands separators; decimals only where a value is a rate or a size).

Applied to a sheet ``tables.write_xlsx`` has written; the cell values stay raw and the
column codes stay in each header's comment, so nothing is lost for a machine. A forecast
run's sheets of figures open with a banner row above the table (:func:`add_banner`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import range_boundaries, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from geodisp.outputs import i18n

#: Whole numbers with thousands separators (people, households, dwellings are counts).
COUNT_FORMAT = "#,##0"
#: Two decimals, for rates, shares and household sizes.
DECIMAL_FORMAT = "#,##0.00"
#: Columns whose values are fractions or sizes, shown with decimals.
DECIMAL_COLUMNS = re.compile(r"(rate|share|household_size|factor|_ratio)", re.IGNORECASE)
#: The banner row's look: dark red bold text on light red, and the sheet tab in red.
BANNER_FONT = Font(bold=True, color="9C0006")
BANNER_FILL = PatternFill("solid", fgColor="FFC7CE")
BANNER_TAB = "C00000"
#: Column widths are capped at this many characters.
MAX_WIDTH = 50


def number_format(column: str, values: pd.Series) -> str | None:
    """The Excel format of a column: None for text, decimals for rates and sizes, else a count.
    An object column counts as numeric when every value it holds is a number (a sheet whose
    second row is HXL hashtags is passed without that row)."""
    if pd.api.types.is_bool_dtype(values):
        return None
    if not pd.api.types.is_numeric_dtype(values):
        held = values.dropna()
        if not len(held) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in held):
            return None
    return DECIMAL_FORMAT if DECIMAL_COLUMNS.search(column) else COUNT_FORMAT


def format_sheet(ws: Worksheet, frame: pd.DataFrame, lang: "str | i18n.Language", header_rows: int = 1,
                 codes: Sequence[str] | None = None) -> None:
    """Translate the header row (the code kept in a comment), freeze the header rows, add an
    autofilter over the table and set number formats and widths."""
    lang = i18n.language(lang)
    codes = list(codes if codes is not None else frame.columns)
    for i, code in enumerate(codes, start=1):
        cell = ws.cell(row=1, column=i)
        cell.value = lang.field_alias(str(code))
        cell.comment = Comment(str(code), "geodisp")
        fmt = number_format(str(code), frame[code].iloc[header_rows - 1:]) if code in frame.columns else None
        if fmt is not None:
            for row in ws.iter_rows(min_row=header_rows + 1, max_row=ws.max_row, min_col=i, max_col=i):
                row[0].number_format = fmt
        sample = [str(cell.value)] + [str(v) for v in frame[code].head(200)] if code in frame.columns else [str(cell.value)]
        ws.column_dimensions[cell.column_letter].width = min(MAX_WIDTH, max(len(s) for s in sample) + 2)
    ws.freeze_panes = ws.cell(row=header_rows + 1, column=1)
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.auto_filter.ref = ws.dimensions


def add_banner(ws: Worksheet, text: str) -> None:
    """Put ``text`` in a row above a formatted table (merged across it, bold on red, the tab in
    red), keeping the header frozen and the autofilter over the table, one row lower."""
    freeze = ws.freeze_panes
    ref = ws.auto_filter.ref
    ws.insert_rows(1)
    if freeze:
        col, row = range_boundaries(freeze)[:2]
        ws.freeze_panes = ws.cell(row=row + 1, column=col)
    if ref:
        c0, r0, c1, r1 = range_boundaries(ref)
        ws.auto_filter.ref = f"{get_column_letter(c0)}{r0 + 1}:{get_column_letter(c1)}{r1 + 1}"
    cell = ws.cell(row=1, column=1, value=text)
    cell.font, cell.fill = BANNER_FONT, BANNER_FILL
    if ws.max_column > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ws.max_column)
    ws.sheet_properties.tabColor = BANNER_TAB


def format_workbook(path: "str | Path", sheets: Mapping[str, pd.DataFrame], lang: "str | i18n.Language",
                    header_rows: Mapping[str, int] | None = None, banners: Mapping[str, str] | None = None) -> Path:
    """Apply :func:`format_sheet` to every sheet of the workbook ``tables.write_xlsx`` wrote, then
    :func:`add_banner` to the sheets named in ``banners``, atomically."""
    from openpyxl import load_workbook

    from geodisp.io import atomic_path

    header_rows = dict(header_rows or {})
    path = Path(path)
    wb = load_workbook(path)
    for name, frame in sheets.items():
        frame = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore")
        format_sheet(wb[name[:31]], frame, lang, header_rows.get(name, 1))
        if name in (banners or {}):
            add_banner(wb[name[:31]], banners[name])
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
