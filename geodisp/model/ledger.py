"""The figure ledger: the columns every figure row carries, their types and vocabularies.

One place for the contract between the estimate stage, the writers and anything built
on top of the figures (the country-year layer). Modelled on IDMC's figure model
(the Helix monitoring platform's ``Figure``: term, category, role, unit and household
size, quantifier, start / end dates with their accuracy, sources, calculation logic),
so a geodisp figure can be compared line by line with IDMC's Global Internal
Displacement Database (GIDD). The columns are documented for people in
docs/outputs.md (Spanish and English) and the rules behind them in docs/methods.md.

A ledger is a ``pandas.DataFrame`` with exactly :data:`LEDGER_COLUMNS`, in that
order, with the dtypes of :data:`LEDGER_DTYPES`; :func:`check_ledger` enforces it.
Dates are ISO text (``YYYY-MM-DD``) or missing, so CSV, XLSX and GeoPackage all
hold the same value.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: IDMC figure terms (Helix ``FIGURE_TERMS``) used by geodisp.
TERMS: tuple[str, ...] = (
    "evacuated", "displaced", "relocated", "sheltered", "in_relief_camp", "destroyed_housing",
    "partially_destroyed_housing", "uninhabitable_housing", "affected",
)
#: Flow categories (counts of displacements) and stock categories (people at a date).
FLOW_CATEGORIES: tuple[str, ...] = ("new_displacement", "pre_emptive_evacuation")
STOCK_CATEGORIES: tuple[str, ...] = ("idps",)
#: ``none``: not a displacement figure (damaged dwellings, exposure, facilities, person-days).
CATEGORIES: tuple[str, ...] = FLOW_CATEGORIES + STOCK_CATEGORIES + ("none",)
#: ``recommended`` figures count toward totals and headlines; ``triangulation`` is evidence only.
ROLES: tuple[str, ...] = ("recommended", "triangulation")
#: The unit the source reported in (Helix ``UNIT``); households convert with ``household_size``.
REPORTED_UNITS: tuple[str, ...] = ("person", "household")
#: How the source qualified its number (Helix ``QUANTIFIER``).
QUANTIFIERS: tuple[str, ...] = ("exact", "approximately", "more_than", "less_than")
#: How precise a date is (Helix ``DATE_ACCURACY``).
DATE_ACCURACIES: tuple[str, ...] = ("day", "week", "month", "year")
#: Units of measure of ``low`` / ``central`` / ``high``.
MEASURES: tuple[str, ...] = ("people", "households", "dwellings", "person_days", "facilities")
#: How a figure was made (short codes; ``calculation`` says it in words, once rendered).
METHODS: tuple[str, ...] = ("records", "housing", "exposure", "reconciled", "census_shares", "count", "sum")
#: Row levels: INEGI unit levels, then the totals above them.
ROW_LEVELS: tuple[str, ...] = ("ageb", "loc", "mun", "ent", "national", "event", "outside")
#: Total levels, finest first (rows computed from the unit rows, never read).
TOTAL_LEVELS: tuple[str, ...] = ("mun", "ent", "national", "event")

#: The ledger's columns and dtypes, in order.
LEDGER_DTYPES: dict[str, str] = {
    "cvegeo": "object",          # unit key (CVEGEO text); MEX national; the event id on event rows
    "level": "object",           # ROW_LEVELS
    "metric": "object",          # displaced, evacuated, dwellings_destroyed, ...
    "low": "float64",
    "central": "float64",
    "high": "float64",
    "unit": "object",            # MEASURES: unit of low / central / high
    "term": "object",            # TERMS
    "category": "object",        # CATEGORIES
    "role": "object",            # ROLES
    "reported_unit": "object",   # REPORTED_UNITS
    "household_size": "float64",  # persons per household used to convert; NaN when reported in persons
    "reported": "float64",       # the central value in reported_unit, before conversion
    "quantifier": "object",      # QUANTIFIERS
    "start_date": "object",      # YYYY-MM-DD or None
    "start_date_accuracy": "object",  # DATE_ACCURACIES or None
    "end_date": "object",
    "end_date_accuracy": "object",
    "method": "object",          # METHODS
    "source": "object",          # input file(s) the figure came from
    "calculation": "object",     # the logic, every weight, rate and size used: message codes with parameters
                                 # (geodisp.model.messages.join), put in words in the run's language by the writers
    "modelled": "bool",          # True: a model's figure (no observed record decided it)
}
LEDGER_COLUMNS: list[str] = list(LEDGER_DTYPES)
#: Columns whose values must come from a vocabulary, and the vocabulary.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "level": ROW_LEVELS, "unit": MEASURES, "term": TERMS, "category": CATEGORIES, "role": ROLES,
    "reported_unit": REPORTED_UNITS, "quantifier": QUANTIFIERS, "method": METHODS,
}
OPTIONAL_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "start_date_accuracy": DATE_ACCURACIES, "end_date_accuracy": DATE_ACCURACIES,
}


def empty_ledger() -> pd.DataFrame:
    """A ledger with no rows and the standard columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in LEDGER_DTYPES.items()})


def as_ledger(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the ledger columns, in order, cast to their dtypes
    (missing text as None, missing flags as False)."""
    missing = [c for c in LEDGER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"figure ledger lacks columns {missing}")
    data = {}
    for column, dtype in LEDGER_DTYPES.items():
        values = frame[column]
        if dtype == "bool":
            data[column] = values.fillna(False).to_numpy(dtype=bool)
        elif dtype == "float64":
            data[column] = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        else:
            arr = values.to_numpy(dtype=object)
            empty = pd.isna(arr)
            if empty.any():
                arr = arr.copy()
                arr[empty] = None
            data[column] = pd.Series(arr, dtype="object")  # plain objects: text and None, never inferred
    return pd.DataFrame(data)


def check_ledger(frame: pd.DataFrame) -> pd.DataFrame:
    """Raise ``ValueError`` naming the first row that breaks the ledger contract; else return ``frame``.

    Checks: columns, text keys, vocabularies, ISO dates, no negative value,
    low <= central <= high where all three exist, a household size wherever a
    figure reported in households is given in people.
    """
    missing = [c for c in LEDGER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"figure ledger lacks columns {missing}")
    if frame.empty:
        return frame

    def fail(mask, what: str):
        row = frame.loc[np.asarray(mask, dtype=bool)].iloc[0]
        raise ValueError(f"figure {row['metric']} for {row['cvegeo']}: {what}")

    fail_keys = ~frame["cvegeo"].map(lambda k: isinstance(k, str))
    if fail_keys.any():
        fail(fail_keys, "the key must be text (CVEGEO with leading zeros)")
    for column, vocab in VOCABULARIES.items():
        bad = ~frame[column].isin(vocab)
        if bad.any():
            fail(bad, f"{column} {frame.loc[bad, column].iloc[0]!r} is not one of {vocab}")
    for column, vocab in OPTIONAL_VOCABULARIES.items():
        bad = frame[column].notna() & ~frame[column].isin(vocab)
        if bad.any():
            fail(bad, f"{column} {frame.loc[bad, column].iloc[0]!r} is not one of {vocab}")
    for column in ("start_date", "end_date"):
        bad = frame[column].notna() & ~frame[column].map(_is_iso_date)
        if bad.any():
            fail(bad, f"{column} must be YYYY-MM-DD")
    values = frame[["low", "central", "high"]]
    if (values < 0).any().any():
        fail((values < 0).any(axis=1), "negative value")
    tol = 1e-9 * np.maximum(1.0, values.abs().max(axis=1))
    disordered = ((values["low"] - values["central"]) > tol) | ((values["central"] - values["high"]) > tol)
    if disordered.any():
        fail(disordered, "not ordered low <= central <= high")
    converted = (frame["reported_unit"] == "household") & (frame["unit"] == "people")
    households = converted & frame["household_size"].isna() & frame["central"].notna()
    if households.any():
        fail(households, "converted from households to people without a household size")
    return frame


def _is_iso_date(value) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and pd.Timestamp(value).strftime("%Y-%m-%d") == value
    except (ValueError, TypeError):
        return False


def iso_date(value) -> str | None:
    """A date-like value as ``YYYY-MM-DD``; None for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")
