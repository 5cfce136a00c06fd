"""Shelter (albergue) occupancy summed per unit: peak, person-days, last reported date.

An aggregation of the shelters reader's records, kept out of the reader so that
reading stays reading.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def summarise_shelters(shelters: pd.DataFrame) -> pd.DataFrame:
    """Per ``cvegeo``: ``shelters``, ``peak_occupants``, ``person_days``, ``first_date``, ``last_date``,
    ``occupants_last_date``.

    Each shelter's occupancy is a step series: a report holds from its date until the
    shelter's next report, and the shelter counts as closed after its last report.
    A municipio's occupancy on a day is the sum over its open shelters; the peak is the
    highest such day and person-days the sum over days. So a shelter reported on
    several dates is never added up as if each report were new people.

    A report of one date only (a governor's bulletin: people in shelters per
    municipio that day) gives peak and last-date figures and no person-days (NaN):
    one date says nothing about how long people stayed. ``shelters`` is the number of shelters the
    reports give (largest per date) when they give it, else the distinct shelters.

    Example: A reports 100 on 1 Oct and 50 on 3 Oct, B reports 30 on 2 Oct. Daily
    totals are 100, 130, 50: peak 130, person-days 280, last date 3 Oct with 50.
    """
    columns = ["cvegeo", "shelters", "peak_occupants", "person_days", "first_date", "last_date", "occupants_last_date"]
    if shelters.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).set_index("cvegeo")
    daily = _daily_occupancy(shelters)
    per_day = daily.groupby(["cvegeo", "date"])["occupants"].sum().reset_index()
    given = shelters["shelters"] if "shelters" in shelters else pd.Series(np.nan, index=shelters.index)
    single = shelters["date"].nunique() == 1  # a bulletin: one date for the whole report
    rows = []
    for key, days in per_day.groupby("cvegeo", sort=True):
        last = days["date"].max()
        own = shelters["cvegeo"] == key
        stated = given[own].groupby(shelters.loc[own, "date"]).sum(min_count=1).max()
        rows.append(
            {
                "cvegeo": key,
                "shelters": int(stated) if pd.notna(stated) else int(shelters.loc[own, "shelter_id"].nunique()),
                "peak_occupants": float(days["occupants"].max()),
                "person_days": np.nan if single else float(days["occupants"].sum()),
                "first_date": days["date"].min(),
                "last_date": last,
                "occupants_last_date": float(days.loc[days["date"] == last, "occupants"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns).set_index("cvegeo")


def _daily_occupancy(shelters: pd.DataFrame) -> pd.DataFrame:
    """One row per shelter and day from its first to its last report, carrying each report forward."""
    parts = []
    for (key, shelter), reports in shelters.groupby(["cvegeo", "shelter_id"], sort=True):
        series = reports.set_index("date")["occupants"].sort_index()
        days = pd.date_range(series.index.min(), series.index.max(), freq="D")
        filled = series.reindex(days).ffill()
        parts.append(pd.DataFrame({"cvegeo": key, "shelter_id": shelter, "date": days, "occupants": filled.to_numpy()}))
    return pd.concat(parts, ignore_index=True)
