"""IDMC's year rules, as pure functions on figure tables.

- A figure within one calendar year counts in the year its start date falls; one
  spanning two (or more) years counts in the year its end date falls
  (:func:`figure_year`).
- Flows (new displacements) are summed across events: two events hitting one
  municipio in the same year are two flows, never merged (:func:`year_flows`).
- The year-end stock (IDPs on 31 December) comes from displacement that has not
  ended by then: people whose dwelling was destroyed and not rebuilt, people
  still in shelters. It is never the sum of flows (:func:`year_end_stock`).

Every function takes and returns plain frames, so each rule is tested on tables
worked out by hand (tests/test_year_rules.py) and stated in docs/methods.md.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Optional

import numpy as np
import pandas as pd

#: The figure metric that is an event's recommended flow per unit.
FLOW_METRIC = "displaced"
#: The figure metric holding destroyed dwellings per unit.
DESTROYED_METRIC = "dwellings_destroyed"
RANGE = ("low", "central", "high")

FLOW_COLUMNS = ["event_id", "cvegeo", "low", "central", "high", "start_date", "end_date", "modelled", "year", "month"]
STOCK_COLUMNS = ["event_id", "cvegeo", "low", "central", "high", "sheltered", "housing", "basis"]


def _date(value: object) -> Optional[dt.date]:
    """A date from a date, datetime, Timestamp or ISO text; None for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text or text.lower() in ("nat", "nan", "none"):
        return None
    return dt.date.fromisoformat(text[:10])


def figure_year(start: object, end: object = None) -> int:
    """The year a figure counts in: its start date's year, or its end date's year
    when it spans two (or more) calendar years.

    >>> figure_year(dt.date(2023, 12, 28), dt.date(2024, 1, 4))
    2024
    """
    s, e = _date(start), _date(end)
    if s is None:
        raise ValueError("a figure needs a start date to be placed in a year")
    if e is None or e.year == s.year:
        return s.year
    if e < s:
        raise ValueError(f"end {e} is before start {s}")
    return e.year


def count_month(start: object, end: object, year: int) -> int:
    """The month a figure counts in within ``year``: its start month when it starts in
    ``year``; January when it started in an earlier year and counts in ``year`` by
    its end date (its first month inside the year)."""
    s = _date(start)
    return s.month if s is not None and s.year == year else 1


def event_flows(figures: pd.DataFrame, event_id: str, start: object, end: object) -> pd.DataFrame:
    """The recommended flow per unit of one event: ``FLOW_COLUMNS`` without year/month.

    Rows are the ``displaced`` figures of the event's units (keys of digits only:
    rows for people outside every unit and roll-ups are left out). Where the
    figure ledger carries its own ``start_date``/``end_date`` they are used,
    else the event's dates; ``modelled`` is taken from the ledger when present
    (False otherwise). When the ledger has a ``role`` column only
    ``recommended`` rows count.
    """
    f = figures[(figures["metric"] == FLOW_METRIC) & figures["cvegeo"].astype(str).str.isdigit()]
    if "role" in f.columns:
        f = f[f["role"].fillna("recommended").astype(str) == "recommended"]
    out = pd.DataFrame({
        "event_id": event_id,
        "cvegeo": f["cvegeo"].astype(str).to_numpy(),
        **{c: pd.to_numeric(f[c], errors="coerce").to_numpy(dtype=float) for c in RANGE},
    })
    own_start = f["start_date"].to_numpy() if "start_date" in f.columns else [None] * len(f)
    own_end = f["end_date"].to_numpy() if "end_date" in f.columns else [None] * len(f)
    own = [(_date(s), _date(e)) for s, e in zip(own_start, own_end)]
    dates = [(s, e) if s is not None else (_date(start), _date(end)) for s, e in own]
    out["start_date"] = [s for s, _ in dates]
    out["end_date"] = [e for _, e in dates]
    out["modelled"] = f["modelled"].fillna(False).astype(bool).to_numpy() if "modelled" in f.columns else False
    return out


def year_flows(flows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The flows that count in ``year``, with their ``year`` and ``month``.

    ``flows`` has ``event_id, cvegeo, low, central, high, start_date, end_date``
    (one row per event and unit, as :func:`event_flows` makes them). Rows are
    never merged: the same municipio hit by two events keeps two rows (two flows).
    """
    if flows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FLOW_COLUMNS})
    out = flows.copy()
    out["year"] = [figure_year(s, e) for s, e in zip(out["start_date"], out["end_date"])]
    out = out[out["year"] == year].copy()
    out["month"] = [count_month(s, e, year) for s, e in zip(out["start_date"], out["end_date"])]
    if "modelled" not in out.columns:
        out["modelled"] = False
    return out[FLOW_COLUMNS].reset_index(drop=True)


def shelter_occupancy_on(shelters: pd.DataFrame, day: dt.date) -> pd.Series:
    """People in shelters on ``day`` per ``cvegeo``.

    Each shelter's occupancy is a step series (a report holds until the shelter's
    next report) and the shelter counts as closed after its last report, as in
    ``summarise_shelters``. So a shelter is counted on ``day`` only when it has a
    report on or before ``day`` *and* one on or after it; its occupants are those of
    its latest report on or before ``day``.
    """
    if shelters is None or shelters.empty:
        return pd.Series(dtype=float, name="occupants")
    stamp = pd.Timestamp(day)
    rows: dict[str, float] = {}
    dates = pd.to_datetime(shelters["date"])
    frame = shelters.assign(date=dates).dropna(subset=["date"])
    for (key, _), reports in frame.groupby(["cvegeo", "shelter_id"], sort=True):
        reports = reports.sort_values("date")
        if reports["date"].iloc[0] > stamp or reports["date"].iloc[-1] < stamp:
            continue
        occupants = float(reports.loc[reports["date"] <= stamp, "occupants"].iloc[-1])
        rows[str(key)] = rows.get(str(key), 0.0) + occupants
    return pd.Series(rows, dtype=float, name="occupants")


def year_end_stock(
    event_id: str,
    figures: pd.DataFrame,
    household: pd.DataFrame | None,
    shelters: pd.DataFrame | None,
    year: int,
    rebuilt: Mapping[str, float] | None = None,
    ended: object = None,
) -> pd.DataFrame:
    """IDPs on 31 December of ``year`` from one event, per unit (``STOCK_COLUMNS``).

    Two kinds of displacement that has not ended by 31 December are counted:

    - ``housing``: destroyed dwellings not rebuilt (``dwellings_destroyed`` minus
      ``rebuilt[cvegeo]``, never below 0) x the unit's household size;
    - ``sheltered``: people in shelters on 31 December (:func:`shelter_occupancy_on`).

    People in shelters are a subset of those whose homes were lost, so the two are
    not added: ``low`` is the sheltered count (proven still displaced), ``central``
    and ``high`` the larger of the two. When ``ended`` (the date all of the event's
    displacement ended) is on or before 31 December, the stock is 0. An event that
    starts after 31 December has no stock in ``year``. Flows never enter.
    """
    day = dt.date(year, 12, 31)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in STOCK_COLUMNS})
    end = _date(ended)
    if end is not None and end <= day:
        return empty
    units = figures["cvegeo"].astype(str).str.isdigit()
    destroyed = figures[(figures["metric"] == DESTROYED_METRIC) & units]
    housing = pd.Series(pd.to_numeric(destroyed["central"], errors="coerce").to_numpy(dtype=float),
                        index=destroyed["cvegeo"].astype(str)).groupby(level=0).sum()
    if rebuilt:
        done = pd.Series({str(k): float(v) for k, v in rebuilt.items()}, dtype=float)
        housing = (housing - done.reindex(housing.index).fillna(0.0)).clip(lower=0.0)
    if household is not None and len(housing):
        size = household.set_index(household["cvegeo"].astype(str))["household_size"] if "cvegeo" in household.columns \
            else household["household_size"]
        size = size.reindex(housing.index)
        if size.isna().any():
            raise ValueError(f"no household size for units {sorted(size.index[size.isna()])[:5]}")
        housing = housing * size.astype(float)
    elif len(housing):
        raise ValueError("household sizes are needed to turn destroyed dwellings into people")
    sheltered = shelter_occupancy_on(shelters, day) if shelters is not None else pd.Series(dtype=float)
    keys = sorted(set(housing.index[housing > 0]) | set(sheltered.index[sheltered > 0]))
    if not keys:
        return empty
    h = housing.reindex(keys).fillna(0.0).to_numpy()
    s = sheltered.reindex(keys).fillna(0.0).to_numpy()
    central = np.maximum(h, s)
    basis = np.where(h >= s, "destroyed_not_rebuilt", "in_shelters")
    return pd.DataFrame({
        "event_id": event_id, "cvegeo": keys, "low": s, "central": central, "high": central,
        "sheltered": s, "housing": h, "basis": basis,
    })[STOCK_COLUMNS]


def sum_range(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Low, central and high each summed over ``by`` (a total equals the sum of its parts)."""
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*by, *RANGE]})
    return frame.groupby(by, as_index=False, sort=True)[list(RANGE)].sum(min_count=1)
