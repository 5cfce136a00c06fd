"""The last line of defence for personal data: a copy of a run's result fit to write.

Readers drop personal columns, and reasons name columns, never values. What readers
must keep can still carry personal data typed where it does not belong: a folio that
is a phone number, a shelter name with the person in charge and their phone, a
facility name with a director's e-mail, a phone typed into a unit's name.
``redact_result`` scans every text column of every table a writer may read, with the
detectors of :mod:`geodisp.sources.personal`:

- ids (``dwelling_id``, ``shelter_id``, ``facility_id``): a value holding a CURP, RFC,
  e-mail, phone or a person's name is replaced by the record name (``row 12``);
- official unit names (``name`` in units, figures and per-unit tables): CURP, RFC,
  e-mail and phone are cut out, never person names (municipios are named after people);
- every other text (shelter and facility names, labels, reasons, records, notes):
  embedded data and person names are cut out and ``[…]`` marks the cut.

Values with nothing personal are returned as they were, so figures never change.
"""
from __future__ import annotations

import dataclasses
import weakref
from typing import Any

import pandas as pd

from geodisp.sources.personal import scrub_series, scrub_text

#: Id columns: a value with personal data becomes the record name.
ID_COLUMNS = frozenset({"dwelling_id", "shelter_id", "facility_id", "id", "folio"})
#: Columns of codes and numbers geodisp makes itself: never scanned.
CODE_COLUMNS = frozenset({
    "cvegeo", "geometry", "metric", "unit", "term", "damage_level", "hazard_class", "level", "method",
    "cve_ent", "cve_mun", "decided_by", "source", "file", "date",
})
#: Results already redacted (by id, checked against a weak reference): writing twice scans once.
_DONE: dict[int, weakref.ref] = {}


def redact_frame(frame: Any, official_names: bool = False) -> Any:
    """``frame`` (a DataFrame or GeoDataFrame) with its text columns redacted; the frame itself when nothing changes."""
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return frame
    out = None
    fallback = frame["record"].astype(str) if "record" in frame.columns else None
    for column in frame.columns:
        values = frame[column]
        if column in CODE_COLUMNS or not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        kind = "id" if column in ID_COLUMNS else "official" if (column == "name" and official_names) else "text"
        redacted = scrub_series(values, kind, fallback)
        if redacted is not values and not redacted.equals(values):
            out = frame.copy() if out is None else out
            out[column] = redacted
    return frame if out is None else out


def redact_stage(obj: Any, official_names: bool = False) -> Any:
    """A frozen stage result (``Sources``, ``Overlay``, ``Estimates``) with every frame field
    redacted (``dataclasses.replace``); the read stage applies it, so no figure, column or
    label is ever derived from a personal value (a person's name typed as a facility type)."""
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, pd.DataFrame):
            official = official_names or f.name in ("units", "table", "figures", "gaps", "household", "census")
            new = redact_frame(value, official_names=official and f.name not in ("shelters", "facilities", "damage"))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type) and f.name == "footprint":
            new = redact_stage(value, official_names=False)
        elif f.name == "notes" and isinstance(value, (tuple, list)):
            new = type(value)(scrub_text(n) if isinstance(n, str) else n for n in value)
        else:
            continue
        if new is not value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def redact_result(result: Any) -> Any:
    """``result`` (a ``geodisp.model.stages.Result``) with personal data redacted from every table a writer reads."""
    ref = _DONE.get(id(result))
    if ref is not None and ref() is result:
        return result
    for key in [k for k, r in _DONE.items() if r() is None]:  # results no longer alive
        del _DONE[key]
    clean = dataclasses.replace(
        result,
        sources=redact_stage(result.sources, official_names=False),
        overlay=redact_stage(result.overlay, official_names=False),
        estimates=redact_stage(result.estimates, official_names=True),
    )
    _DONE[id(clean)] = weakref.ref(clean)
    return clean
