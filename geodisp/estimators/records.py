"""Civil Protection records: evacuated people and people in shelters, per unit.

- ``evacuated``: people evacuated (a flow of displacements). A row that gives
  only households counts households x the unit's household size (low / high
  from the household-size range). Rows with neither must have been rejected by
  the reader (``geodisp.sources.records``); here they are an error.
  Several rows per unit: ``separate`` (default) sums them, as separate
  movements; ``cumulative`` takes the largest per-date total, as running
  totals. Low is the ``cumulative`` reading and high the ``separate`` one,
  whichever is central, since a records table rarely says which it is.
- ``evacuated_households``: households (families) evacuated as the records
  report them, for units where some record gives households: the figure the
  source gave, beside the people it converts into (``unit`` households,
  ``role`` triangulation, so it is never added to people). Summed over the
  unit's records that give households, with the same ``separate`` /
  ``cumulative`` reading as ``evacuated``.
- ``sheltered_peak``: the largest number of people in the unit's shelters on
  one day (people): a stock at its peak, a lower bound of the flow into shelters.
- ``sheltered_person_days``: occupants summed over shelter-days (person_days).
- ``sheltered_last_date``: people still in shelters on the last reported date
  (a stock at that date, not a flow).

Each figure carries its records' first and last dates (accuracy: day). An
evacuation figure whose records all predate the event's start is a pre-emptive
evacuation; otherwise a new displacement (IDMC counts both as new displacements).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

import numpy as np
import pandas as pd

from geodisp.config.methods import HOUSEHOLD_SIZE_SPREAD, ReconcileMethod
from geodisp.estimators.figures import FLOW_NOTE, concat_figures, empty_figures, figure_rows
from geodisp.estimators.housing import household_sizes_for
from geodisp.model.ledger import iso_date
from geodisp.model.messages import encode, join


def evacuation_people(evacuations: pd.DataFrame, household: Optional[pd.DataFrame],
                      spread: Optional[dict[str, float]] = None) -> pd.DataFrame:
    """People per evacuation row (low, central, high) with how they were counted."""
    missing = {"cvegeo", "date", "people", "households"} - set(evacuations.columns)
    if missing:
        raise ValueError(f"evacuations table lacks columns {sorted(missing)}")
    frame = evacuations.copy()
    frame["cvegeo"] = frame["cvegeo"].astype(str)
    people = pd.to_numeric(frame["people"], errors="coerce").astype("float64")
    households = pd.to_numeric(frame["households"], errors="coerce").astype("float64")
    neither = people.isna() & households.isna()
    if neither.any():
        rec = frame["record"].iloc[int(np.flatnonzero(neither.to_numpy())[0])] if "record" in frame else "?"
        raise ValueError(f"evacuation record {rec}: neither people nor households given (the reader should reject it)")
    negative = (people < 0) | (households < 0)
    if negative.any():
        rec = frame["record"].iloc[int(np.flatnonzero(negative.to_numpy())[0])] if "record" in frame else "?"
        raise ValueError(f"evacuation record {rec}: negative count")
    hh = household_sizes_for(frame["cvegeo"], household, spread or HOUSEHOLD_SIZE_SPREAD).loc[frame["cvegeo"]]
    from_households = people.isna()
    out = pd.DataFrame({"cvegeo": frame["cvegeo"].to_numpy(), "date": frame["date"].to_numpy()})
    for part, size_col in (("low", "household_size_low"), ("central", "household_size"), ("high", "household_size_high")):
        out[part] = np.where(from_households, households.to_numpy() * hh[size_col].to_numpy(), people.to_numpy())
    out["from_households"] = from_households.to_numpy()
    out["households"] = households.to_numpy()
    out["household_size"] = hh["household_size"].to_numpy()
    out["household_size_source"] = hh["household_size_source"].to_numpy()
    return out


def _readings(rows: pd.DataFrame, columns: list[str], separate: bool) -> tuple[pd.Series, pd.Series, pd.Series, pd.DataFrame]:
    """Per unit: the low / central / high of ``columns`` (low, central, high) read as separate movements
    (sum) or running totals (largest per-date total): low the smaller, high the larger reading."""
    summed = rows.groupby("cvegeo", sort=True)[columns].sum()
    per_date = rows.groupby(["cvegeo", "date"], dropna=False)[columns].sum()
    largest = per_date.groupby(level="cvegeo").max().reindex(summed.index)
    low, central, high = columns
    return (np.minimum(largest[low], summed[low]), summed[central] if separate else largest[central],
            np.maximum(largest[high], summed[high]), per_date)


def _evacuated_figures(evacuations, household, params: ReconcileMethod, spread, source: str,
                       start: Optional[object] = None) -> pd.DataFrame:
    rows = evacuation_people(evacuations, household, spread)
    by_unit = rows.groupby("cvegeo", sort=True)
    separate = params.evacuation_records == "separate"
    low, central, high, per_date = _readings(rows, ["low", "central", "high"], separate)
    summed = by_unit[["central"]].sum()
    n_rows = by_unit.size()
    n_hh = by_unit["from_households"].sum()
    n_dates = per_date.groupby(level="cvegeo").size()
    rule = "calc_evac_separate" if params.evacuation_records == "separate" else "calc_evac_running"
    sizes = by_unit["household_size_source"].agg(lambda s: ", ".join(sorted(set(s))))
    methods = [
        join(rule, encode("calc_evac_counts", n=int(n), dates=int(d)),
             encode("calc_evac_households", n=int(h), size_source=sz) if h else None, FLOW_NOTE)
        for n, d, h, sz in zip(n_rows, n_dates.reindex(summed.index), n_hh, sizes)
    ]
    first, last = _date_range(rows, summed.index)
    all_households = by_unit["from_households"].all()
    size = by_unit["household_size"].first()
    begin = pd.Timestamp(start) if start is not None else None
    category = ["pre_emptive_evacuation" if begin is not None and pd.notna(lt) and lt < begin else "new_displacement"
                for lt in last]
    span = _span(first, last)
    people = figure_rows(
        summed.index, "evacuated", low.to_numpy(), central.to_numpy(), high.to_numpy(), "people", methods, source,
        category=category,
        reported_unit=["household" if a else "person" for a in all_households],
        household_size=np.where(n_hh.to_numpy() > 0, size.to_numpy(), np.nan),
        quantifier=["approximately" if h else "exact" for h in n_hh],
        **span,
    )
    return concat_figures([people, _households_figures(rows, separate, source, dict(zip(summed.index, category)))])


def _date_range(rows: pd.DataFrame, keys: pd.Index) -> tuple[pd.Series, pd.Series]:
    """Per unit (in ``keys`` order): the first and last date of ``rows``."""
    dates = pd.to_datetime(rows["date"], errors="coerce")
    return (dates.groupby(rows["cvegeo"]).min().reindex(keys), dates.groupby(rows["cvegeo"]).max().reindex(keys))


def _span(first: Iterable[Any], last: Iterable[Any]) -> dict[str, list]:
    """The ledger's start/end date columns from date-like values (day accuracy where a date is known)."""
    starts, ends = [iso_date(d) for d in first], [iso_date(d) for d in last]
    return dict(start_date=starts, start_date_accuracy=["day" if d else None for d in starts],
                end_date=ends, end_date_accuracy=["day" if d else None for d in ends])


def _households_figures(rows: pd.DataFrame, separate: bool, source: str, category: dict[str, str]) -> pd.DataFrame:
    """``evacuated_households``: the households the records report, as reported, for the units
    where some record gives households (see the module docstring)."""
    given = rows[rows["households"].notna()]
    if given.empty:
        return empty_figures()
    counts = given.assign(low=given["households"], central=given["households"], high=given["households"])
    low, central, high, per_date = _readings(counts, ["low", "central", "high"], separate)
    n_given = given.groupby("cvegeo").size()
    n_all = rows.groupby("cvegeo").size()
    n_dates = per_date.groupby(level="cvegeo").size()
    code = "calc_evac_households_sum" if separate else "calc_evac_households_largest"
    methods = [encode(code, given=int(n_given[k]), n=int(n_all[k]),
                      dates=int(n_dates[k])) for k in central.index]
    return figure_rows(central.index, "evacuated_households", low.to_numpy(), central.to_numpy(), high.to_numpy(),
                       "households", methods, source, category=[category[k] for k in central.index],
                       **_span(*_date_range(given, central.index)))  # the dates of the records giving households


def _shelter_figures(summary: pd.DataFrame, source: str) -> pd.DataFrame:
    frame = summary.reset_index() if "cvegeo" not in summary.columns else summary.copy()
    missing = {"cvegeo", "shelters", "peak_occupants", "person_days", "last_date", "occupants_last_date"} - set(frame.columns)
    if missing:
        raise ValueError(f"shelter summary lacks columns {sorted(missing)}")
    frame["cvegeo"] = frame["cvegeo"].astype(str)
    if frame["cvegeo"].duplicated().any():
        raise ValueError(f"shelter summary has two rows for {frame.loc[frame['cvegeo'].duplicated(), 'cvegeo'].iloc[0]}")
    keys = frame["cvegeo"]
    peak = pd.to_numeric(frame["peak_occupants"], errors="coerce").to_numpy(dtype="float64")
    days = pd.to_numeric(frame["person_days"], errors="coerce").to_numpy(dtype="float64")
    last = pd.to_numeric(frame["occupants_last_date"], errors="coerce").to_numpy(dtype="float64")
    span = _span(frame["first_date"] if "first_date" in frame else [None] * len(frame), frame["last_date"])
    on_last = _span(frame["last_date"], frame["last_date"])  # the last report's day, start and end
    shown = [encode("calc_shelter_last", date=d) if d else "calc_shelter_last_undated" for d in on_last["end_date"]]
    n = frame["shelters"].astype(int).to_numpy()
    return concat_figures([
        figure_rows(keys, "sheltered_peak", peak, peak, peak, "people",
                    [encode("calc_shelter_peak", n=int(k)) for k in n], source, **span),
        figure_rows(keys, "sheltered_person_days", days, days, days, "person_days",
                    [encode("calc_shelter_days", n=int(k)) for k in n], source, **span),
        figure_rows(keys, "sheltered_last_date", last, last, last, "people", shown, source, **on_last),
    ])


def record_figures(
    evacuations: Optional[pd.DataFrame],
    shelter_summary: Optional[pd.DataFrame],
    household: Optional[pd.DataFrame] = None,
    params: Optional[ReconcileMethod] = None,
    evacuation_source: str = "evacuations",
    shelter_source: str = "shelters",
    household_spread: Optional[dict[str, float]] = None,
    start: Optional[object] = None,
) -> pd.DataFrame:
    """Figures from Civil Protection records: ``evacuated``, ``sheltered_peak``,
    ``sheltered_person_days``, ``sheltered_last_date``, each with its source file.
    ``start`` is the event's start date (evacuations all before it are pre-emptive)."""
    params = params or ReconcileMethod()
    parts = []
    if evacuations is not None and len(evacuations):
        parts.append(_evacuated_figures(evacuations, household, params, household_spread, evacuation_source, start))
    if shelter_summary is not None and len(shelter_summary):
        parts.append(_shelter_figures(shelter_summary, shelter_source))
    return concat_figures(parts) if parts else empty_figures()
