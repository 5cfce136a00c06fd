"""Tables: the figures (CSV, XLSX) and a GIDD-style event table with an HXL row for HDX.

Tables keep raw, unrounded values and stable lower-case column codes (documented in
docs/outputs.md in Spanish and English); only what a person reads is rounded.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Mapping

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


def write_csv(path: str | Path, table: pd.DataFrame, encoding: str = "utf-8") -> Path:
    """Write a CSV atomically (``utf-8-sig`` for files opened in Excel)."""
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, encoding=encoding)
    return Path(path)


def write_xlsx(path: str | Path, sheets: Mapping[str, pd.DataFrame], frozen_rows: Mapping[str, int] | None = None) -> Path:
    """Write one sheet per frame atomically, header frozen and columns sized to their
    text; geometry columns are dropped. ``frozen_rows`` overrides the rows kept in
    view per sheet (2 for a sheet whose second row is HXL)."""
    frozen_rows = dict(frozen_rows or {})
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                frame = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore")
                frame.to_excel(xl, sheet_name=name[:31], index=False)
                ws = xl.sheets[name[:31]]
                ws.freeze_panes = ws.cell(row=frozen_rows.get(name, 1) + 1, column=1)
                for i, col in enumerate(frame.columns, start=1):
                    longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                    ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, longest + 2)
    return Path(path)
