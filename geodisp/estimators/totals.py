"""Totals at every level: municipio, state (CVE_ENT), national (MEX) and event.

Each level is summed from the level just below it (units -> municipios, when the
units are finer -> states -> national -> event), low, central and high each on
their own, so every total equals the sum of its parts and the low of a total
assumes every part is at its low. A sum over parts that all lack a figure stays
empty, not zero. People outside every unit are never added to a total.

The recommended ``displaced`` figure gets two totals at each level, so no reader
mistakes one for the other:

- ``displaced``: observed + modelled, every unit's recommended figure
  (``modelled`` is True when any part is modelled);
- ``displaced_observed``: only the units whose figure an observed record decided
  (``modelled`` False): the observed headline.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np
import pandas as pd

from geodisp.estimators.figures import FIGURE_COLUMNS, concat_figures, empty_figures, join_sources, metric_ledger
from geodisp.model.ledger import as_ledger
from geodisp.model.vocab import ISO3, LEVEL_KEY_LENGTH, LEVELS

#: Key of the national total.
NATIONAL_KEY = ISO3
#: Metric of the observed-only total of ``displaced``.
OBSERVED_METRIC = "displaced_observed"
#: Key of the event total when the caller gives no event id.
EVENT_KEY = "event"


def _quantifier(values: pd.Series) -> str:
    """The quantifier of a sum: exact only if every part is; 'more than' / 'less than' if every
    part is exact or that; otherwise approximately."""
    kinds = set(values.dropna())
    if kinds <= {"exact"}:
        return "exact"
    for bound in ("more_than", "less_than"):
        if kinds <= {"exact", bound}:
            return bound
    return "approximately"


def _unique(values: pd.Series, default):
    kinds = list(dict.fromkeys(values.dropna()))
    return kinds[0] if len(kinds) == 1 else default


def _first_date(rows: pd.DataFrame, column: str, pick) -> tuple[Optional[str], Optional[str]]:
    dated = rows[rows[column].notna()]
    if dated.empty:
        return None, None
    value = pick(dated[column])
    return value, dated.loc[dated[column] == value, f"{column}_accuracy"].iloc[0]


def aggregate(parts: pd.DataFrame, keys: pd.Series, level: str, names: str) -> pd.DataFrame:
    """Sum ``parts`` (ledger rows) into one row per (key in ``keys``, metric) at ``level``.

    ``names`` says what the parts are, for the calculation ("municipios").
    """
    if parts.empty:
        return empty_figures()
    work = parts.assign(_target=keys.to_numpy())
    rows = []
    for (target, metric), group in work.groupby(["_target", "metric"], sort=True):
        units = group["unit"].unique()
        if len(units) > 1:
            raise ValueError(f"cannot add {metric} in different units {sorted(units)}")
        defaults = metric_ledger(metric)
        sizes = group["household_size"].dropna().unique()
        one_size = (group["reported_unit"] == "household").all() and len(sizes) == 1 and group["household_size"].notna().all()
        start, start_acc = _first_date(group, "start_date", min)
        end, end_acc = _first_date(group, "end_date", max)
        empty = int(group["central"].isna().sum())
        sums = group[["low", "central", "high"]].sum(min_count=1)
        rows.append({
            "cvegeo": target, "level": level, "metric": metric,
            "low": sums["low"], "central": sums["central"], "high": sums["high"], "unit": units[0],
            "term": _unique(group["term"], defaults["term"]),
            "category": _unique(group["category"], defaults["category"]),
            "role": _unique(group["role"], defaults["role"]),
            "reported_unit": "household" if one_size or ((group["reported_unit"] == "household").all()
                                                         and units[0] != "people") else "person",
            "household_size": float(sizes[0]) if one_size else math.nan,
            "reported": math.nan,
            "quantifier": _quantifier(group["quantifier"]),
            "start_date": start, "start_date_accuracy": start_acc, "end_date": end, "end_date_accuracy": end_acc,
            "method": "sum", "source": join_sources(group["source"]),
            "calculation": (f"sum of {len(group)} {names}" + (f" ({empty} without a figure, not counted)" if empty else "")
                            + "; low, central and high each summed"),
            "modelled": bool(group["modelled"].any()),
        })
    out = pd.DataFrame(rows)
    converted = (out["reported_unit"] == "household") & (out["unit"] == "people")
    out["reported"] = np.where(converted, out["central"] / out["household_size"], out["central"])
    return as_ledger(out)


def _observed(unit_rows: pd.DataFrame) -> pd.DataFrame:
    """The observed recommended figures as ``displaced_observed`` parts."""
    rows = unit_rows[(unit_rows["metric"] == "displaced") & ~unit_rows["modelled"]]
    return rows.assign(metric=OBSERVED_METRIC)


def totals(figures: pd.DataFrame, event_id: Optional[str] = None) -> pd.DataFrame:
    """Total rows (ledger columns) for every level above the units: ``mun`` (only when the
    units are finer), ``ent``, ``national`` (``MEX``) and ``event`` (key ``event_id``).

    ``figures`` are the unit rows of the ledger (rows keyed ``outside`` are left out).
    """
    units = figures[figures["level"].isin(LEVELS)]
    if units.empty:
        return empty_figures()
    parts = concat_figures([units, _observed(units)])
    finest = max(LEVEL_KEY_LENGTH[lv] for lv in units["level"].unique())
    out = []
    for level in ("mun", "ent"):
        n = LEVEL_KEY_LENGTH[level]
        if finest <= n:
            continue
        finer = parts[parts["cvegeo"].str.len() > n]
        same = parts[parts["cvegeo"].str.len() <= n]
        summed = aggregate(finer, finer["cvegeo"].str[:n], level, "units" if level == "mun" else "municipios")
        out.append(summed)
        parts = concat_figures([summed, same])
    national = aggregate(parts, pd.Series(NATIONAL_KEY, index=parts.index), "national", "states")
    event = aggregate(national, pd.Series(event_id or EVENT_KEY, index=national.index), "event", "national totals")
    return concat_figures(out + [national, event])


def level_rows(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows of one ``level`` of a ledger (``ent``, ``national``...)."""
    return table[table["level"] == level].reset_index(drop=True)


__all__ = ["EVENT_KEY", "NATIONAL_KEY", "OBSERVED_METRIC", "aggregate", "level_rows", "totals", "FIGURE_COLUMNS"]
