"""The figures table: one number per unit and metric, with its range and provenance.

A figure row is ``cvegeo, metric, low, central, high, unit, method, source``:
``unit`` is the unit of measure (people, households, dwellings, person_days,
facilities), ``method`` says how the number was made in words an analyst can
check, ``source`` names the input file or table it came from.

Displacement figures (``displaced*``, ``evacuated``) count displacements, a flow,
as IDMC's GIDD does: one person displaced twice counts twice. Shelter stocks
(``sheltered_last_date``) count people at one date.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from geodisp.model.vocab import ISO3, LEVEL_KEY_LENGTH, LEVELS, OUTSIDE_KEY

FIGURE_COLUMNS: list[str] = ["cvegeo", "metric", "low", "central", "high", "unit", "method", "source"]

#: Units of measure a figure may carry.
MEASURES: tuple[str, ...] = ("people", "households", "dwellings", "person_days", "facilities")

#: Appended to the method of every displacement figure.
FLOW_NOTE = "counts displacements (a flow, as in IDMC's GIDD), not distinct people"

#: Key of the national total in roll-ups.
NATIONAL_KEY = ISO3


def empty_figures() -> pd.DataFrame:
    """A figures table with no rows and the standard columns and dtypes."""
    return pd.DataFrame(
        {
            "cvegeo": pd.Series(dtype="object"),
            "metric": pd.Series(dtype="object"),
            "low": pd.Series(dtype="float64"),
            "central": pd.Series(dtype="float64"),
            "high": pd.Series(dtype="float64"),
            "unit": pd.Series(dtype="object"),
            "method": pd.Series(dtype="object"),
            "source": pd.Series(dtype="object"),
        }
    )


def figure_rows(
    cvegeo: Sequence[str] | pd.Index | pd.Series,
    metric: str | Sequence[str],
    low,
    central,
    high,
    unit: str,
    method: str | Sequence[str],
    source: str | Sequence[str],
) -> pd.DataFrame:
    """Build figure rows; scalars are broadcast over ``cvegeo``."""
    keys = [str(k) for k in cvegeo]
    n = len(keys)
    if unit not in MEASURES:
        raise ValueError(f"unknown unit of measure {unit!r}; expected one of {MEASURES}")
    if n == 0:
        return empty_figures()

    def col(value, numeric: bool):
        if isinstance(value, (str, int, float, np.floating, np.integer)) or value is None:
            return [value] * n
        arr = list(np.asarray(value, dtype="float64")) if numeric else [str(v) for v in value]
        if len(arr) != n:
            raise ValueError(f"expected {n} values, got {len(arr)}")
        return arr

    frame = pd.DataFrame(
        {
            "cvegeo": keys,
            "metric": col(metric, False),
            "low": np.asarray(col(low, True), dtype="float64"),
            "central": np.asarray(col(central, True), dtype="float64"),
            "high": np.asarray(col(high, True), dtype="float64"),
            "unit": unit,
            "method": col(method, False),
            "source": col(source, False),
        }
    )
    return frame.astype({"cvegeo": "object", "metric": "object", "unit": "object", "method": "object", "source": "object"})


def concat_figures(frames: Iterable[pd.DataFrame | None]) -> pd.DataFrame:
    """Concatenate figures tables, keeping the standard columns when all are empty."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty_figures()
    out = pd.concat([f[FIGURE_COLUMNS] for f in frames], ignore_index=True)
    return out


def check_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Raise if ``figures`` breaks the contract; return it unchanged otherwise.

    Checks: the columns, string keys, known units, no negative values, and
    low <= central <= high wherever all three are present.
    """
    missing = [c for c in FIGURE_COLUMNS if c not in figures.columns]
    if missing:
        raise ValueError(f"figures table lacks columns {missing}")
    bad_keys = figures.loc[~figures["cvegeo"].map(lambda k: isinstance(k, str)), "cvegeo"]
    if len(bad_keys):
        raise ValueError(f"figure keys must be CVEGEO strings, got {bad_keys.iloc[0]!r}")
    bad_units = sorted(set(figures["unit"]) - set(MEASURES))
    if bad_units:
        raise ValueError(f"unknown units of measure {bad_units}")
    values = figures[["low", "central", "high"]]
    if (values < 0).any().any():
        row = figures.loc[(values < 0).any(axis=1)].iloc[0]
        raise ValueError(f"negative figure {row['metric']} for {row['cvegeo']}")
    tol = 1e-9 * np.maximum(1.0, values.abs().max(axis=1))
    disordered = ((values["low"] - values["central"]) > tol) | ((values["central"] - values["high"]) > tol)
    if disordered.any():
        row = figures.loc[disordered].iloc[0]
        raise ValueError(
            f"figure {row['metric']} for {row['cvegeo']} is not ordered low <= central <= high: "
            f"{row['low']}, {row['central']}, {row['high']}"
        )
    return figures


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
        columns[m] = pivot["central"][m].to_numpy()
        columns[f"{m}_low"] = pivot["low"][m].to_numpy()
        columns[f"{m}_high"] = pivot["high"][m].to_numpy()
    return pd.concat([out, pd.DataFrame(columns)], axis=1)


def _target_key(key: str, level: str) -> str:
    if key == OUTSIDE_KEY:
        return OUTSIDE_KEY
    if level == "national":
        return NATIONAL_KEY
    n = LEVEL_KEY_LENGTH[level]
    if len(key) < n:
        raise ValueError(f"cannot roll {key!r} up to level {level!r}: the key is coarser than the level")
    return key[:n]


def rollup(figures: pd.DataFrame, level: str) -> pd.DataFrame:
    """Sum figures to a coarser ``level`` ('ent', 'mun', 'loc', 'ageb' or 'national').

    Keys are cut to the level's length (the national key is ``MEX``); low,
    central and high are each summed, so every total equals the sum of its
    parts. Rows for people outside every unit (``OUTSIDE_KEY``) stay on their
    own row and are not added to any total. A sum over parts that are all NaN
    stays NaN.
    """
    if level != "national" and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS + ('national',)}")
    if figures.empty:
        return empty_figures()
    work = figures[FIGURE_COLUMNS].copy()
    work["target"] = [_target_key(k, level) for k in work["cvegeo"]]
    groups = work.groupby(["target", "metric", "unit"], sort=False, dropna=False)
    sums = groups[["low", "central", "high"]].sum(min_count=1)
    parts = groups["cvegeo"].nunique()
    empty = groups["central"].agg(lambda s: int(s.isna().sum()))
    sources = groups["source"].agg(lambda s: "; ".join(sorted(set(map(str, s)))))
    methods = groups["method"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else None)
    out = sums.reset_index().rename(columns={"target": "cvegeo"})
    out["source"] = sources.to_numpy()
    out["method"] = [
        (f"sum of {n} units"
         + (f" ({e} without a figure, not counted)" if e else "")
         + (f"; each: {m}" if m else "; methods differ between units, see the unit rows"))
        if k != OUTSIDE_KEY
        else m or "people outside every unit"
        for k, n, e, m in zip(out["cvegeo"], parts.to_numpy(), empty.to_numpy(), methods.to_numpy())
    ]
    return out[FIGURE_COLUMNS]


def long_with_names(figures: pd.DataFrame, units: pd.DataFrame | None) -> pd.DataFrame:
    """The figures table with the unit ``name`` after ``cvegeo`` (NaN where unknown)."""
    out = figures.copy()
    if units is None or "name" not in units.columns:
        names = pd.Series(dtype="object")
    else:
        names = pd.Series(units["name"].to_numpy(), index=units["cvegeo"].astype(str))
    out.insert(1, "name", out["cvegeo"].map(names))
    out.loc[out["cvegeo"] == OUTSIDE_KEY, "name"] = "outside every unit"
    return out
