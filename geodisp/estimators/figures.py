"""Figure rows: one number per unit and metric, with its range and its ledger columns.

A figure row has the columns of the figure ledger (``geodisp.model.ledger``): the
key and level, the metric, low / central / high in their unit of measure, IDMC's
term, category and role, the unit the source reported in with the household size
used to convert it, the quantifier, start / end dates with their accuracy, the
method code, the source, the calculation (message codes with their parameters,
``geodisp.model.messages.join``, put in words in the run's language by the writers)
and whether a model made it.

:func:`figure_rows` fills every ledger column a caller does not give from the
metric's defaults (:func:`metric_ledger`), so each estimator states only what is
particular to its figures.

Displacement figures count displacements, a flow, as IDMC's GIDD does: one person
displaced twice counts twice. Shelter stocks (``sheltered_last_date``) count people
at one date.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from geodisp.model.ledger import (
    LEDGER_COLUMNS,
    MEASURES,
    as_ledger,
    check_ledger,
    empty_ledger,
)
from geodisp.model.vocab import LEVEL_KEY_LENGTH, OUTSIDE_KEY

#: The figure columns are the ledger's.
FIGURE_COLUMNS: list[str] = LEDGER_COLUMNS

#: Said in the calculation of every displacement figure (a message code, ``calc_flow``).
FLOW_NOTE = "calc_flow"

_DAMAGE_TERMS = {
    "destroyed": "destroyed_housing", "uninhabitable": "uninhabitable_housing",
    "severe": "partially_destroyed_housing", "partial": "partially_destroyed_housing",
    "minor": "affected", "none": "affected",
}


def metric_ledger(metric: str) -> dict[str, Any]:
    """Default ledger values of a metric: term, category, role, reported_unit,
    quantifier, method, modelled. Estimators override what a row knows better."""
    base = {"term": "affected", "category": "none", "role": "triangulation", "reported_unit": "person",
            "quantifier": "exact", "method": "count", "modelled": False}
    if metric in ("displaced", "displaced_observed"):
        return {**base, "term": "displaced", "category": "new_displacement", "role": "recommended",
                "method": "reconciled", "quantifier": "approximately"}
    if metric == "displaced_housing":
        return {**base, "term": "destroyed_housing", "category": "new_displacement", "reported_unit": "household",
                "quantifier": "approximately", "method": "housing"}
    if metric == "households_displaced":
        return {**base, "term": "destroyed_housing", "category": "new_displacement", "reported_unit": "household",
                "quantifier": "approximately", "method": "housing"}
    if metric == "displaced_exposure":
        return {**base, "term": "displaced", "category": "new_displacement", "quantifier": "approximately",
                "method": "exposure", "modelled": True}
    if metric.startswith("displaced_"):  # sectoral breakdowns of the recommended figure
        return {**base, "term": "displaced", "category": "new_displacement", "quantifier": "approximately",
                "method": "census_shares"}
    if metric == "evacuated":
        return {**base, "term": "evacuated", "category": "new_displacement", "method": "records"}
    if metric == "evacuated_households":  # the households the records report, beside the people they convert into
        return {**base, "term": "evacuated", "category": "new_displacement", "reported_unit": "household",
                "method": "records"}
    if metric == "sheltered_peak":
        return {**base, "term": "sheltered", "category": "new_displacement", "quantifier": "more_than",
                "method": "records"}
    if metric == "sheltered_last_date":
        return {**base, "term": "sheltered", "category": "idps", "method": "records"}
    if metric == "sheltered_person_days":
        return {**base, "term": "sheltered", "method": "records"}
    if metric.startswith("dwellings_"):
        return {**base, "term": _DAMAGE_TERMS.get(metric[len("dwellings_"):], "affected"),
                "reported_unit": "household", "method": "housing"}
    if metric == "households_affected":
        return {**base, "reported_unit": "household", "method": "housing"}
    if metric == "exposed" or metric.startswith("exposed_class_"):
        return {**base, "method": "exposure", "quantifier": "approximately", "modelled": True}
    return base


def row_level(key: str) -> str:
    """The ledger level of a unit key: its INEGI level by length, ``outside`` for people outside every unit."""
    if key == OUTSIDE_KEY:
        return "outside"
    for level, n in LEVEL_KEY_LENGTH.items():
        if len(key) == n:
            return level
    raise ValueError(f"not a CVEGEO key (length {len(key)}): {key!r}")


def empty_figures() -> pd.DataFrame:
    """A figures table with no rows and the ledger's columns and dtypes."""
    return empty_ledger()


def _column(value: Any, n: int, numeric: bool) -> list:
    if value is None or isinstance(value, (str, bool, int, float, np.floating, np.integer, np.bool_)):
        return [value] * n
    values = list(np.asarray(value, dtype="float64")) if numeric else list(value)
    if len(values) != n:
        raise ValueError(f"expected {n} values, got {len(values)}")
    return values


_NUMERIC = {"low", "central", "high", "household_size", "reported"}


def figure_rows(
    cvegeo: Sequence[str] | pd.Index | pd.Series,
    metric: str,
    low,
    central,
    high,
    unit: str,
    calculation: str | Sequence[str],
    source: str | Sequence[str],
    **ledger: Any,
) -> pd.DataFrame:
    """Figure rows for ``cvegeo``; scalars are broadcast, sequences are one value per key.

    ``ledger`` gives any other ledger column (``term``, ``quantifier``,
    ``household_size``, ``start_date``...); the rest come from
    :func:`metric_ledger`. ``reported`` defaults to the central value divided by
    the household size where the source reported households.
    """
    keys = [str(k) for k in cvegeo]
    n = len(keys)
    if unit not in MEASURES:
        raise ValueError(f"unknown unit of measure {unit!r}; expected one of {MEASURES}")
    unknown = sorted(set(ledger) - set(LEDGER_COLUMNS))
    if unknown:
        raise ValueError(f"unknown ledger columns {unknown}")
    if n == 0:
        return empty_figures()
    values: dict[str, Any] = {"household_size": np.nan, "start_date": None, "start_date_accuracy": None,
                              "end_date": None, "end_date_accuracy": None, **metric_ledger(metric), **ledger}
    frame = pd.DataFrame({
        "cvegeo": keys, "level": [row_level(k) for k in keys], "metric": metric,
        "low": _column(low, n, True), "central": _column(central, n, True), "high": _column(high, n, True),
        "unit": unit, "calculation": _column(calculation, n, False), "source": _column(source, n, False),
    })
    for column, value in values.items():
        if column != "reported":
            frame[column] = _column(value, n, column in _NUMERIC)
    if "reported" in values:
        frame["reported"] = _column(values["reported"], n, True)
    else:
        converted = (frame["reported_unit"] == "household") & (frame["unit"] == "people")
        size = pd.to_numeric(frame["household_size"], errors="coerce")
        frame["reported"] = np.where(converted, frame["central"] / size.where(size > 0), frame["central"])
    return as_ledger(frame)


def concat_figures(frames: Iterable[pd.DataFrame | None]) -> pd.DataFrame:
    """Concatenate figure tables, keeping the ledger's columns and dtypes."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty_figures()
    return as_ledger(pd.concat([f[FIGURE_COLUMNS] for f in frames], ignore_index=True))


def check_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Raise if ``figures`` breaks the ledger contract; return it unchanged otherwise."""
    return check_ledger(figures)


def wide(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per ``cvegeo``: ``<metric>`` (central), ``<metric>_low``, ``<metric>_high``.

    Metrics appear in the order they first occur in ``figures``; a unit without
    a metric has NaN there.
    """
    if figures.empty:
        return pd.DataFrame({"cvegeo": pd.Series(dtype="object")})
    dup = figures.duplicated(["cvegeo", "metric"])
    if dup.any():
        row = figures.loc[dup].iloc[0]
        raise ValueError(f"two figures for {row['metric']} in {row['cvegeo']}")
    metrics = list(dict.fromkeys(figures["metric"]))
    keys = list(dict.fromkeys(figures["cvegeo"]))
    out = pd.DataFrame({"cvegeo": pd.Series(keys, dtype="object")})
    pivot = {
        part: figures.pivot(index="cvegeo", columns="metric", values=part).reindex(index=keys)
        for part in ("central", "low", "high")
    }
    columns = {}
    for m in metrics:
        columns[m] = pivot["central"][m].to_numpy(dtype="float64")
        columns[f"{m}_low"] = pivot["low"][m].to_numpy(dtype="float64")
        columns[f"{m}_high"] = pivot["high"][m].to_numpy(dtype="float64")
    return pd.concat([out, pd.DataFrame(columns)], axis=1)


#: Ledger columns of the recommended ``displaced`` figure carried beside it in per-unit tables.
DISPLACED_LEDGER = ["term", "category", "role", "reported_unit", "household_size", "quantifier", "start_date",
                    "start_date_accuracy", "end_date", "end_date_accuracy", "method", "source", "calculation",
                    "modelled"]


def displaced_ledger(figures: pd.DataFrame, metric: str = "displaced") -> pd.DataFrame:
    """The ledger columns of each key's ``metric`` figure, one row per ``cvegeo``."""
    rows = figures.loc[figures["metric"] == metric, ["cvegeo"] + DISPLACED_LEDGER]
    return rows.drop_duplicates("cvegeo").reset_index(drop=True)


def join_sources(values: Iterable[Any]) -> str:
    """Distinct sources, in first-seen order, joined by '; ' (each part once)."""
    parts: dict[str, None] = {}
    for value in values:
        for part in re.split(r";\s*", str(value)):
            if part:
                parts[part] = None
    return "; ".join(parts)

