"""Tables: the figures (CSV, XLSX) and a GIDD-style event table with an HXL row for HDX.

Tables keep raw, unrounded values and stable lower-case column codes (documented in
docs/outputs.md in Spanish and English); only what a person reads is rounded.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from geodisp.io import atomic_path
from geodisp.model.vocab import ISO3, LEVEL_KEY_LENGTH, STATE_NAMES  # noqa: F401  (STATE_NAMES re-exported)


#: geodisp hazard type → IDMC hazard category, type and sub-type.
HAZARD_TERMS: dict[str, tuple[str, str, str]] = {
    "tropical_cyclone": ("Weather related", "Storm", "Tropical cyclone"),
    "storm_surge": ("Weather related", "Storm", "Storm surge"),
    "flood": ("Weather related", "Flood", "Flood"),
    "landslide": ("Weather related", "Mass movement", "Landslide"),
    "wildfire": ("Weather related", "Wildfire", "Wildfire"),
    "earthquake": ("Geophysical", "Earthquake", "Earthquake"),
    "volcanic_eruption": ("Geophysical", "Volcanic activity", "Volcanic eruption"),
}

#: Figure metric → GIDD term code. Only these metrics go to the GIDD table.
GIDD_TERMS: dict[str, str] = {
    "displaced": "displaced",
    "households_displaced": "displaced",  # the same term counted in households
    "evacuated": "evacuated",
    "sheltered_peak": "in_shelters",
    "dwellings_destroyed": "destroyed_housing",
}

#: GIDD table columns and their HXL hashtags (second row of the CSV).
GIDD_HXL: dict[str, str] = {
    "event_id": "#event+id",
    "event_name": "#event+name",
    "glide": "#event+glide",
    "hazard_category": "#cause+category",
    "hazard_type": "#cause+type",
    "hazard_subtype": "#cause+subtype",
    "start_date": "#date+start",
    "end_date": "#date+end",
    "iso3": "#country+code",
    "admin1_name": "#adm1+name",
    "admin1_code": "#adm1+code",
    "admin2_name": "#adm2+name",
    "admin2_code": "#adm2+code",
    "figure": "#affected+num",
    "figure_low": "#affected+num+min",
    "figure_high": "#affected+num+max",
    "unit": "#indicator+unit",
    "term": "#indicator+term",
    "method": "#meta+method",
    "source": "#meta+source",
    "date": "#date+reported",
}
GIDD_COLUMNS: list[str] = list(GIDD_HXL)

FIGURE_TABLE_COLUMNS = ["cvegeo", "name", "metric", "low", "central", "high", "unit", "method", "source"]


def event_fields(event: Any) -> dict[str, Any]:
    """Event id, name, hazard, dates and GLIDE from ``result.event`` (``.event`` inside)."""
    ev = getattr(event, "event", event)
    hazard = str(getattr(ev, "hazard_type", "") or "")
    category, htype, subtype = HAZARD_TERMS.get(hazard, ("", hazard, ""))
    iso = lambda d: d.isoformat() if d is not None and hasattr(d, "isoformat") else (str(d) if d is not None else "")  # noqa: E731
    return {
        "event_id": str(getattr(ev, "id", "") or ""), "event_name": str(getattr(ev, "name", "") or ""),
        "glide": str(getattr(ev, "glide", "") or ""),
        "hazard_code": hazard,
        "hazard_category": category, "hazard_type": htype, "hazard_subtype": subtype,
        "start_date": iso(getattr(ev, "start", None)), "end_date": iso(getattr(ev, "end", None)),
    }


def figures_table(figures: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The long figures table with each unit's ``name`` beside its key; raw values."""
    out = figures.copy()
    out["name"] = out["cvegeo"].map(dict(names or {}))
    return out[[c for c in FIGURE_TABLE_COLUMNS if c in out.columns] + [c for c in out.columns if c not in FIGURE_TABLE_COLUMNS]]


def gidd_table(figures: pd.DataFrame, event: Any, names: Mapping[str, str], generated: date) -> pd.DataFrame:
    """One row per unit and GIDD term with a figure above zero (raw central, low, high).

    Admin1 is the entidad (first two characters of the key); admin2 the municipio
    (first five) where units are municipios or finer. ``date`` is the date these
    estimates were produced.
    """
    ev = {k: v for k, v in event_fields(event).items() if k in GIDD_HXL}
    f = figures[figures["metric"].isin(list(GIDD_TERMS))].copy()
    # a unit whose central is 0 but whose high is not stays: its range is a finding, not nothing
    f = f[(pd.to_numeric(f["central"], errors="coerce") > 0) | (pd.to_numeric(f["high"], errors="coerce") > 0)]
    f["_order"] = f["metric"].map(list(GIDD_TERMS).index)
    f = f.sort_values(["_order", "cvegeo"], kind="stable")
    rows = []
    for rec in f.itertuples(index=False):
        key = str(rec.cvegeo)
        ent = key[: LEVEL_KEY_LENGTH["ent"]]
        mun = key[: LEVEL_KEY_LENGTH["mun"]] if len(key) >= LEVEL_KEY_LENGTH["mun"] else ""
        rows.append({
            **ev, "iso3": ISO3,
            "admin1_name": STATE_NAMES.get(ent, ""), "admin1_code": ent,
            "admin2_name": names.get(mun, "") if mun else "", "admin2_code": mun,
            "figure": rec.central, "figure_low": rec.low, "figure_high": rec.high,
            "unit": rec.unit, "term": GIDD_TERMS[rec.metric], "method": rec.method, "source": rec.source,
            "date": generated.isoformat(),
        })
    return pd.DataFrame(rows, columns=GIDD_COLUMNS)


def with_hxl_row(table: pd.DataFrame, hxl: Mapping[str, str]) -> pd.DataFrame:
    """``table`` as text with the HXL hashtag row first (under the header)."""
    tags = pd.DataFrame([{c: hxl.get(c, "") for c in table.columns}])
    return pd.concat([tags, table.astype(object)], ignore_index=True)


#: Rows an XLSX sheet holds, header included (Excel's limit).
XLSX_MAX_ROWS = 1_048_576
#: First characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def is_formula_text(value: object) -> bool:
    """True for text a spreadsheet would run as a formula: it starts with ``= + - @``, tab or
    carriage return and is not a plain number (``-12.5`` stays a number)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


def _formula_cells(table: pd.DataFrame) -> dict[str, pd.Series]:
    """Per text column, a mask of the cells :func:`is_formula_text` flags (columns without any left out)."""
    found = {}
    for column in table.columns:
        values = table[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            mask = values.map(is_formula_text).astype(bool)
            if mask.any():
                found[column] = mask
    return found


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with a quote before every text cell (and header) a spreadsheet would run as a
    formula, as OWASP advises for CSV files; numbers are untouched."""
    cells = _formula_cells(table)
    renamed = {c: "'" + c for c in table.columns if is_formula_text(c)}
    if not cells and not renamed:
        return table
    out = table.copy()
    for column, mask in cells.items():
        out[column] = out[column].where(~mask, "'" + out.loc[mask, column].astype(str))
    return out.rename(columns=renamed)


def write_csv(path: str | Path, table: pd.DataFrame, encoding: str = "utf-8") -> Path:
    """Write a CSV atomically (``utf-8-sig`` for files opened in Excel), formulas neutralised."""
    with atomic_path(path) as tmp:
        # CRLF, as RFC 4180 has it: the csv module then quotes any field holding \r or \n
        neutralise_formulas(table).to_csv(tmp, index=False, encoding=encoding, lineterminator="\r\n")
    return Path(path)


def _as_text(ws, frame: pd.DataFrame, first_row: int) -> None:
    """Make every cell of ``frame`` written from ``first_row`` that openpyxl took for a formula a
    quote-prefixed text cell (shown and kept as text, even when edited in Excel)."""
    for i, column in enumerate(frame.columns, start=1):
        if is_formula_text(column):
            _text_cell(ws.cell(row=first_row - 1, column=i))
    for column, mask in _formula_cells(frame).items():
        col = frame.columns.get_loc(column) + 1
        for row in np.flatnonzero(mask.to_numpy()):
            _text_cell(ws.cell(row=first_row + int(row), column=col))


def _text_cell(cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def write_xlsx(
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    frozen_rows: Mapping[str, int] | None = None,
    full_tables: Mapping[str, str] | None = None,
    lang: str = "es",
) -> Path:
    """Write one sheet per frame atomically, header frozen and columns sized to their
    text; geometry columns are dropped. ``frozen_rows`` overrides the rows kept in
    view per sheet (2 for a sheet whose second row is HXL).

    Text that would run as a formula is written as quote-prefixed text. A frame longer
    than a sheet holds (:data:`XLSX_MAX_ROWS`) is cut, and its last row says how many
    rows are shown and which file (``full_tables[sheet]``) holds them all.
    """
    from geodisp.outputs import i18n

    frozen_rows = dict(frozen_rows or {})
    full_tables = dict(full_tables or {})
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                frame = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore")
                total, room = len(frame), XLSX_MAX_ROWS - 2  # the header and the note
                if total > room + 1:
                    frame = frame.iloc[:room]
                frame.to_excel(xl, sheet_name=name[:31], index=False)
                ws = xl.sheets[name[:31]]
                _as_text(ws, frame, first_row=2)
                if len(frame) < total:
                    note = i18n.t("xlsx_rows_cut", lang, shown=len(frame), total=total,
                                  file=full_tables.get(name, "CSV"))
                    _text_cell(ws.cell(row=len(frame) + 2, column=1, value=note))
                ws.freeze_panes = ws.cell(row=frozen_rows.get(name, 1) + 1, column=1)
                for i, col in enumerate(frame.columns, start=1):
                    longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                    ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, longest + 2)
    return Path(path)
