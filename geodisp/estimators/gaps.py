"""The data-gap list: which units lack which records, telling "reported zero" from "not reported".

As DesInventar's presence flags do, a unit whose source reported 0 is not a unit
the source never mentioned: the first is data (nobody was evacuated), the second
is a gap. For each unit and each kind of record (evacuations, shelters, damaged
housing) the status is:

- ``reported``: at least one record with a count above zero;
- ``reported_zero``: records exist and every count is zero;
- ``not_reported``: no record at all.

The list holds every unit in the hazard footprint (people exposed in a class >= 1)
that misses at least one kind of record, and every unit left without a
``displaced`` figure; ``reason`` says which case it is:

- ``no_figure``: no record, no model figure: the unit has no ``displaced`` figure;
- ``no_records``: no record of any kind; its figure, if any, is the model's;
- ``partial``: some kinds of record are missing;
- ``no_cell_centre`` (added by ``estimate_all``): the unit covers no cell centre
  of the population grid, so its people come from coverage fractions (``detail``).
"""
from __future__ import annotations

from typing import Iterable, Optional

import pandas as pd

GAP_COLUMNS = ["cvegeo", "name", "in_footprint", "evacuations", "shelters", "damage", "displaced", "reason", "detail"]
STATUSES = ("reported", "reported_zero", "not_reported")
REASONS = ("no_figure", "no_records", "partial", "no_cell_centre")
#: Record kinds, in the column order of the gap list.
RECORD_KINDS = ("evacuations", "shelters", "damage")


def presence(frame: Optional[pd.DataFrame], columns: Iterable[str]) -> dict[str, str]:
    """``reported`` / ``reported_zero`` per ``cvegeo`` of ``frame`` from its count ``columns``
    (a row counts as above zero when any of them is); keys absent are not reported."""
    if frame is None or len(frame) == 0:
        return {}
    data = frame.reset_index() if "cvegeo" not in frame.columns else frame
    columns = [c for c in columns if c in data.columns]
    if not columns:
        return {}
    counts = data[columns].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    positive = (counts > 0).any(axis=1).groupby(data["cvegeo"].astype(str).to_numpy()).any()
    return {k: "reported" if v else "reported_zero" for k, v in positive.items()}


def in_footprint(exposed: Optional[pd.DataFrame]) -> set[str]:
    """Keys with people exposed in a hazard class >= 1."""
    if exposed is None or len(exposed) == 0:
        return set()
    hit = exposed[(exposed["hazard_class"].astype(int) > 0) & (pd.to_numeric(exposed["people"], errors="coerce") > 0)]
    return set(hit["cvegeo"].astype(str))


def gap_list(
    keys: Iterable[str],
    names: dict[str, object],
    status: dict[str, dict[str, str]],
    footprint: set[str],
    displaced: dict[str, bool],
) -> pd.DataFrame:
    """The gap list (``GAP_COLUMNS``) for the units ``keys``.

    ``status`` maps each record kind to :func:`presence`'s result; ``displaced``
    maps the keys with a ``displaced`` figure to whether it is modelled.
    """
    rows = []
    for key in keys:
        kinds = {kind: status.get(kind, {}).get(key, "not_reported") for kind in RECORD_KINDS}
        has_figure = key in displaced
        figure = ("modelled" if displaced[key] else "observed") if has_figure else "none"
        missing = [k for k, v in kinds.items() if v == "not_reported"]
        inside = key in footprint
        if not has_figure:
            reason = "no_figure"
        elif not inside or not missing:
            continue
        elif len(missing) == len(RECORD_KINDS):
            reason = "no_records"
        else:
            reason = "partial"
        rows.append({"cvegeo": key, "name": names.get(key), "in_footprint": inside, **kinds,
                     "displaced": figure, "reason": reason, "detail": ""})
    return pd.DataFrame(rows, columns=GAP_COLUMNS).astype({"cvegeo": "object", "in_footprint": bool})
