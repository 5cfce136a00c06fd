"""Tables: the figure ledger with its totals (CSV, XLSX) and a GIDD-style table with an
HXL row for HDX.

Tables keep raw, unrounded values and stable lower-case column codes (documented in
docs/outputs.md in Spanish and English); beside the raw central they carry the value
rounded as IDMC publishes it (``central_rounded``, ``figure_rounded``).
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
from geodisp.outputs import i18n
from geodisp.outputs.rounding import round_display


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

#: GIDD table columns and their HXL hashtags (second row of the CSV).
GIDD_HXL: dict[str, str] = {
    "event_id": "#event+id",
    "event_name": "#event+name",
    "glide": "#event+glide",
    "hazard_category": "#cause+category",
    "hazard_type": "#cause+type",
    "hazard_subtype": "#cause+subtype",
    "iso3": "#country+code",
    "level": "#meta+level",
    "admin1_name": "#adm1+name",
    "admin1_code": "#adm1+code",
    "admin2_name": "#adm2+name",
    "admin2_code": "#adm2+code",
    "cvegeo": "#loc+code",
    "metric": "#indicator+code",
    "term": "#indicator+term",
    "category": "#indicator+category",
    "role": "#meta+role",
    "figure": "#affected+num",
    "figure_rounded": "#affected+num+rounded",
    "figure_low": "#affected+num+min",
    "figure_high": "#affected+num+max",
    "unit": "#indicator+unit",
    "reported_unit": "#indicator+unit+reported",
    "household_size": "#household+size",
    "reported": "#affected+num+reported",
    "quantifier": "#indicator+quantifier",
    "start_date": "#date+start",
    "start_date_accuracy": "#date+start+accuracy",
    "end_date": "#date+end",
    "end_date_accuracy": "#date+end+accuracy",
    "modelled": "#meta+modelled",
    "method": "#meta+method",
    "calculation": "#meta+calculation",
    "source": "#meta+source",
    "date": "#date+reported",
}
GIDD_COLUMNS: list[str] = list(GIDD_HXL)

#: Metrics that go to the GIDD table: the recommended figure (and its observed-only
#: total) and the evidence behind it, as IDMC records triangulation figures.
GIDD_METRICS: tuple[str, ...] = ("displaced", "displaced_observed", "evacuated", "evacuated_households", "sheltered_peak",
                                 "displaced_housing", "dwellings_destroyed", "displaced_exposure")

#: Columns of the figures table: the ledger with the name beside the key and the
#: IDMC-rounded central beside the raw one.
FIGURE_TABLE_COLUMNS = ["cvegeo", "name", "level", "metric", "low", "central", "central_rounded", "high"]


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


def level_name(key: str, level: str, names: Mapping[str, str], event_name: str = "",
               lang: "str | i18n.Language" = "es") -> str | None:
    """The name of a ledger row's key: the unit's, the state's, México, the event's."""
    if level == "ent":
        return names.get(key) or STATE_NAMES.get(key)
    if level == "national":
        return "México"
    if level == "event":
        return event_name or None
    if level == "outside":
        return i18n.language(lang).t("name_outside")
    return names.get(key)


#: Ledger columns holding several messages (codes with parameters), rendered in the run's language.
MESSAGE_COLUMNS: tuple[str, ...] = ("calculation", "source")


def in_words(table: pd.DataFrame, lang: "str | i18n.Language") -> pd.DataFrame:
    """``table`` with its message columns (``calculation``) put in words in ``lang``."""
    lang = i18n.language(lang)
    cols = [c for c in MESSAGE_COLUMNS if c in table.columns]
    if not cols:
        return table
    out = table.copy()
    for c in cols:
        out[c] = [lang.messages(v) if isinstance(v, str) else v for v in out[c]]
    return out


def figures_table(figures: pd.DataFrame, names: Mapping[str, str] | None = None,
                  totals: pd.DataFrame | None = None, event_name: str = "", lang: "str | i18n.Language" = "es") -> pd.DataFrame:
    """The ledger (unit rows, then the totals) with ``name`` beside each key and
    ``central_rounded`` (IDMC's display rounding) beside the raw ``central``."""
    out = pd.concat([f for f in (figures, totals) if f is not None and len(f)] or [figures], ignore_index=True)
    names = dict(names or {})
    out["name"] = [level_name(k, lv, names, event_name, lang) for k, lv in zip(out["cvegeo"], out["level"])]
    out["central_rounded"] = [round_display(v) for v in out["central"]]
    return out[FIGURE_TABLE_COLUMNS + [c for c in out.columns if c not in FIGURE_TABLE_COLUMNS]]


def gidd_table(figures: pd.DataFrame, event: Any, names: Mapping[str, str], generated: date,
               totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The GIDD-style table: the recommended ``displaced`` figures and their evidence
    (``GIDD_METRICS``), for units with a figure above zero and for every total
    (state, national, event), with the ledger columns and the IDMC-rounded figure.

    Admin1 is the entidad (first two characters of the key); admin2 the municipio
    (first five) where the row is a municipio or finer. ``date`` is the date these
    estimates were produced.
    """
    ev = {k: v for k, v in event_fields(event).items() if k in GIDD_HXL}
    # a unit whose central is 0 but whose high is not stays: its range is a finding, not nothing
    central, high = pd.to_numeric(figures["central"], errors="coerce"), pd.to_numeric(figures["high"], errors="coerce")
    units = figures[figures["metric"].isin(GIDD_METRICS) & ((central > 0) | (high > 0))]
    tot = totals[totals["metric"].isin(GIDD_METRICS)] if totals is not None and len(totals) else None
    f = pd.concat([x for x in (units, tot) if x is not None], ignore_index=True) if tot is not None else units.copy()
    order = {lv: i for i, lv in enumerate(("event", "national", "ent", "mun", "loc", "ageb"))}
    f = f.assign(_level=f["level"].map(order), _metric=f["metric"].map(list(GIDD_METRICS).index))
    f = f.sort_values(["_level", "_metric", "cvegeo"], kind="stable")
    rows = []
    for rec in f.to_dict("records"):
        key, level = str(rec["cvegeo"]), rec["level"]
        unit_row = level in LEVEL_KEY_LENGTH
        ent = key[: LEVEL_KEY_LENGTH["ent"]] if unit_row else ""
        mun = key[: LEVEL_KEY_LENGTH["mun"]] if unit_row and len(key) >= LEVEL_KEY_LENGTH["mun"] else ""
        rows.append({
            **ev, "iso3": ISO3, "level": level,
            "admin1_name": STATE_NAMES.get(ent, ""), "admin1_code": ent,
            "admin2_name": names.get(mun, "") if mun else "", "admin2_code": mun,
            "cvegeo": key if unit_row or level == "national" else "",
            "figure": rec["central"], "figure_rounded": round_display(rec["central"]),
            "figure_low": rec["low"], "figure_high": rec["high"],
            **{c: rec[c] for c in ("metric", "term", "category", "role", "unit", "reported_unit", "household_size",
                                   "reported", "quantifier", "start_date", "start_date_accuracy", "end_date",
                                   "end_date_accuracy", "modelled", "method", "calculation", "source")},
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
