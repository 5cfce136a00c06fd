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

from typing import Optional

import numpy as np
import pandas as pd

from geodisp.estimators.figures import concat_figures, empty_figures, join_sources, metric_ledger
from geodisp.model.ledger import as_ledger
from geodisp.model.messages import encode, join
from geodisp.model.vocab import ISO3, LEVEL_KEY_LENGTH, LEVELS

#: Key of the national total.
NATIONAL_KEY = ISO3
#: Metric of the observed-only total of ``displaced``.
OBSERVED_METRIC = "displaced_observed"
#: Key of the event total when the caller gives no event id.
EVENT_KEY = "event"


def _quantifier(exact: pd.Series, more: pd.Series, less: pd.Series) -> list[str]:
    """The quantifier of each sum from per-group 'all parts are ...' flags: exact only if every part is;
    'more than' / 'less than' if every part is exact or that; otherwise approximately."""
    return ["exact" if e else "more_than" if m else "less_than" if lt else "approximately"
            for e, m, lt in zip(exact, more, less)]


def _unique_or(grouped, column: str, defaults: pd.Series) -> np.ndarray:
    """The group's single value of ``column``, else the metric's default."""
    single = grouped[column].nunique() == 1
    return np.where(single, grouped[column].first(), defaults)


def _date_ends(work: pd.DataFrame, keys: list[str], column: str, first: bool) -> tuple[pd.Series, pd.Series]:
    """Earliest (``first``) or latest date of each group with the accuracy of that date."""
    ordered = work.sort_values(column, ascending=first, na_position="last", kind="stable")
    grouped = ordered.groupby(keys, sort=True)
    return grouped[column].first(), grouped[f"{column}_accuracy"].first()


def aggregate(parts: pd.DataFrame, keys: pd.Series, level: str, names: str) -> pd.DataFrame:
    """Sum ``parts`` (ledger rows) into one row per (key in ``keys``, metric) at ``level``.

    ``names`` says what the parts are, for the calculation: ``units``, ``municipios``, ``states``
    or ``national`` (message ``calc_sum_<names>``).
    """
    if parts.empty:
        return empty_figures()
    by = ["_target", "metric"]
    work = parts.assign(
        _target=keys.to_numpy(), _empty=parts["central"].isna(),
        _exact=parts["quantifier"] == "exact",
        _more=parts["quantifier"].isin(["exact", "more_than"]),
        _less=parts["quantifier"].isin(["exact", "less_than"]),
        _household=parts["reported_unit"] == "household", _nosize=parts["household_size"].isna(),
    )
    g = work.groupby(by, sort=True)
    units = g["unit"].nunique()
    if (units > 1).any():
        target, metric = units.index[int(np.flatnonzero(units.to_numpy() > 1)[0])]
        raise ValueError(f"cannot add {metric} for {target}: its parts are in different units")
    sums = g[["low", "central", "high"]].sum(min_count=1)
    out = sums.reset_index().rename(columns={"_target": "cvegeo"})
    metrics = out["metric"]
    defaults = pd.DataFrame([metric_ledger(m) for m in metrics])
    households = g["_household"].all().to_numpy()
    one_size = households & ~g["_nosize"].any().to_numpy() & (g["household_size"].nunique() == 1).to_numpy()
    out["level"] = level
    out["unit"] = g["unit"].first().to_numpy()
    for column in ("term", "category", "role"):
        out[column] = _unique_or(g, column, defaults[column].to_numpy())
    out["reported_unit"] = np.where(one_size | (households & (out["unit"] != "people").to_numpy()),
                                    "household", "person")
    out["household_size"] = np.where(one_size, g["household_size"].first().to_numpy(), np.nan)
    converted = (out["reported_unit"] == "household") & (out["unit"] == "people")
    out["reported"] = np.where(converted, out["central"] / out["household_size"], out["central"])
    out["quantifier"] = _quantifier(g["_exact"].all(), g["_more"].all(), g["_less"].all())
    out["start_date"], out["start_date_accuracy"] = (s.to_numpy() for s in _date_ends(work, by, "start_date", True))
    out["end_date"], out["end_date_accuracy"] = (s.to_numpy() for s in _date_ends(work, by, "end_date", False))
    out["method"] = "sum"
    out["source"] = g["source"].agg(join_sources).to_numpy()
    n, empty = g.size().to_numpy(), g["_empty"].sum().to_numpy()
    out["calculation"] = [join(encode(f"calc_sum_{names}", n=int(k)), encode("calc_sum_empty", n=int(e)) if e else None,
                               "calc_sum_each") for k, e in zip(n, empty)]
    out["modelled"] = g["modelled"].any().to_numpy()
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
    event = aggregate(national, pd.Series(event_id or EVENT_KEY, index=national.index), "event", "national")
    return concat_figures(out + [national, event])


__all__ = ["EVENT_KEY", "NATIONAL_KEY", "OBSERVED_METRIC", "aggregate", "totals"]
