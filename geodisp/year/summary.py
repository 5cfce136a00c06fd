"""What the year needs from one event's run, as plain frames, and how it is kept on disk.

An :class:`EventSummary` is cut from a finished run (``from_result``): the event's
figure rows for its units, household sizes, shelter and evacuation reports (keys,
dates and counts only: no names, no raw values), unit names, the footprint outline
and counts of records rejected for want of a municipio or a date. It is saved
beside the event's own outputs (``events/<id>/year/``) with the fingerprint of the
event's inputs, so a rerun of the year reuses it when nothing changed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import geopandas as gpd
import pandas as pd

from geodisp.io import atomic_path
from geodisp.model.vocab import MEXICO_CRS

#: Outline simplification of event footprints in the year's GeoPackage, in metres.
FOOTPRINT_TOLERANCE_M = 100.0
SUMMARY_VERSION = 1

_UNIT_REASON = re.compile(r"municipio|unit|localidad|AGEB|state|key", re.IGNORECASE)
_DATE_REASON = re.compile(r"date", re.IGNORECASE)


@dataclass(frozen=True)
class EventSummary:
    """One event, as the year layer sees it."""

    meta: dict[str, Any]  # event_id, name, hazard_type, start, end, glide, where, year_end
    figures: pd.DataFrame
    household: pd.DataFrame
    shelters: pd.DataFrame
    evacuations: pd.DataFrame
    names: pd.DataFrame
    footprint: gpd.GeoDataFrame
    record_issues: dict[str, dict[str, int]] = field(default_factory=dict)
    fingerprint: dict[str, Any] = field(default_factory=dict)

    @property
    def event_id(self) -> str:
        return str(self.meta["event_id"])

    def start(self) -> dt.date:
        return dt.date.fromisoformat(str(self.meta["start"]))

    def end(self) -> Optional[dt.date]:
        return dt.date.fromisoformat(str(self.meta["end"])) if self.meta.get("end") else None


@dataclass(frozen=True)
class EventFailure:
    """An event whose run failed: the year goes on without it and says it is incomplete."""

    event_id: str
    where: str
    kind: str  # "input" (bad input, exit 2) or "internal" (a defect)
    message: str


def record_issues(rejects: pd.DataFrame | None, evacuations: pd.DataFrame | None) -> dict[str, dict[str, int]]:
    """Per records source: records rejected for their municipio (``unit``), rows without a date (``date``).

    Counts only: reasons may quote a cell, and nothing raw leaves the event.
    """
    out: dict[str, dict[str, int]] = {}
    if rejects is not None and len(rejects):
        for source in ("evacuations", "shelters"):
            reasons = rejects.loc[rejects["source"] == source, "reason"].astype(str)
            out.setdefault(source, {"unit": 0, "date": 0})
            out[source]["unit"] += int(reasons.str.contains(_UNIT_REASON).sum())
            out[source]["date"] += int((~reasons.str.contains(_UNIT_REASON) & reasons.str.contains(_DATE_REASON)).sum())
    if evacuations is not None and len(evacuations) and "date" in evacuations:
        out.setdefault("evacuations", {"unit": 0, "date": 0})
        out["evacuations"]["date"] += int(pd.to_datetime(evacuations["date"]).isna().sum())
    return out


def footprint_outline(footprint: Any, units: gpd.GeoDataFrame, figures: pd.DataFrame, event_id: str, hazard_type: str) -> gpd.GeoDataFrame:
    """The event's footprint as one simplified (multi)polygon in EPSG:6372.

    A vector footprint is dissolved; a raster footprint (never loaded whole) is
    drawn as the units with people exposed, and says so in ``outline``.
    """
    vector = getattr(footprint, "vector", None)
    if vector is not None and len(vector):
        geom = vector.to_crs(MEXICO_CRS).geometry.union_all()
        outline = "footprint"
    else:
        hit = figures.loc[(figures["metric"] == "exposed") & (pd.to_numeric(figures["central"], errors="coerce") > 0), "cvegeo"]
        geom = units.loc[units["cvegeo"].isin(set(hit)), "geometry"].to_crs(MEXICO_CRS).union_all()
        outline = "exposed_units"
    geom = geom.simplify(FOOTPRINT_TOLERANCE_M) if geom is not None else None
    return gpd.GeoDataFrame({"event_id": [event_id], "hazard_type": [hazard_type], "outline": [outline]},
                            geometry=[geom], crs=MEXICO_CRS)


def unit_rows(figures: pd.DataFrame, level: str) -> pd.DataFrame:
    """The figure rows of the event's own units: never totals (state, national, event rows of the
    figure ledger, whose ``level`` says so) nor people outside every unit."""
    keep = figures["cvegeo"].astype(str).str.isdigit()
    if "level" in figures.columns:
        keep &= figures["level"].astype(str) == level
    return figures[keep].reset_index(drop=True)


def from_result(result: Any, where: str, year_end: dict[str, Any], fingerprint: dict[str, Any]) -> EventSummary:
    """Cut the summary out of a finished run (``geodisp.run``'s ``Result``)."""
    ev, src = result.event.event, result.sources
    figures = unit_rows(result.figures, result.event.boundaries.level)
    units = result.units
    household = src.household.reset_index() if "cvegeo" not in src.household.columns else src.household
    shelters = (src.shelters[["cvegeo", "shelter_id", "date", "occupants"]].copy() if src.shelters is not None
                else pd.DataFrame({"cvegeo": [], "shelter_id": [], "date": pd.Series(dtype="datetime64[ns]"), "occupants": []}))
    evac = (src.evacuations[["cvegeo", "date", "people", "households"]].copy() if src.evacuations is not None
            else pd.DataFrame({"cvegeo": [], "date": pd.Series(dtype="datetime64[ns]"), "people": [], "households": []}))
    names = units.loc[units["cvegeo"].isin(set(figures["cvegeo"])), ["cvegeo", "name"]].reset_index(drop=True)
    records = result.event.records
    meta = {
        "event_id": ev.id, "name": ev.name, "hazard_type": ev.hazard_type,
        "start": ev.start.isoformat(), "end": ev.end.isoformat() if ev.end else None, "glide": ev.glide,
        "where": where, "year_end": year_end,
        "has_evacuations": records.evacuations is not None, "has_shelters": records.shelters is not None,
        "has_damage": result.event.damage is not None, "has_facilities": bool(result.event.facilities),
        "zone_cache": str(result.overlay.zones.cache),  # "reused" when the year's shared zone raster served it
    }
    return EventSummary(
        meta=meta, figures=figures, household=household[["cvegeo", "household_size"]].copy(),
        shelters=shelters, evacuations=evac, names=names,
        footprint=footprint_outline(src.footprint, units, figures, ev.id, ev.hazard_type),
        record_issues=record_issues(result.rejects, src.evacuations),
        fingerprint=fingerprint,
    )


_TABLES = ("figures", "household", "shelters", "evacuations", "names")


def save(summary: EventSummary, folder: str | Path) -> Path:
    """Write the summary under ``folder`` (parquet tables, a GeoParquet footprint, meta.json last)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in _TABLES:
        frame = getattr(summary, name)
        with atomic_path(folder / f"{name}.parquet") as tmp:
            frame.to_parquet(tmp, index=False)
    with atomic_path(folder / "footprint.parquet") as tmp:
        summary.footprint.to_parquet(tmp, index=False)
    meta = {"version": SUMMARY_VERSION, "meta": summary.meta, "record_issues": summary.record_issues,
            "fingerprint": summary.fingerprint}
    with atomic_path(folder / "meta.json") as tmp:  # last: its presence means the rest is complete
        tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return folder


def load(folder: str | Path) -> Optional[EventSummary]:
    """The summary saved in ``folder``, or None when there is none (or it is from another version)."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("version") != SUMMARY_VERSION:
            return None
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
        footprint = gpd.read_parquet(folder / "footprint.parquet")
    except (OSError, ValueError, KeyError):
        return None
    for name in ("figures", "household", "shelters", "evacuations", "names"):
        if "cvegeo" in tables[name]:
            tables[name]["cvegeo"] = tables[name]["cvegeo"].astype(str)
    return EventSummary(meta=meta["meta"], footprint=footprint, record_issues=meta.get("record_issues", {}),
                        fingerprint=meta.get("fingerprint", {}), **tables)
