"""Exposure-based displacement: people exposed per hazard class x displacement rate(class).

    displaced_exposure(unit) = sum over classes c >= 1 of people(unit, c) x rate(c)

Rates come from a step table per hazard type (``params.RATE_TABLES``) or the
event file. A class gets its rate in one of three ways, in this order:

1. ``methods.exposure.class_rates`` names the class number: that rate.
2. The class has numeric intensity bounds, or its label states them ("34-49 kt",
   "VII", "0.5-1.5 m", "Category 3"; see ``intensity``), and the table has an
   intensity unit they can be converted to: the class's representative intensity is the
   midpoint of its bounds (the lower bound for an open-ended top class, the
   upper bound for an open-ended bottom class); the rate is the table row with
   the largest ``start`` at or below it (within 1%, see ``ROUNDING_TOLERANCE``).
3. Otherwise by rank: class i of n takes row ceil(i x m / n) of the table's m
   rows (for an intensity table, of its m rows with a non-zero rate), so the
   top class takes the top row. Whenever a class takes its rate by rank,
   ``class_rates`` marks it (``by_rank``) and the run's notes and report say so.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np
import pandas as pd

from geodisp.config.methods import RATE_TABLES, UNIT_FACTORS, ExposureMethod, RateTable
from geodisp.estimators.figures import FLOW_NOTE, concat_figures, empty_figures, figure_rows
from geodisp.estimators.intensity import label_bounds
from geodisp.model.messages import encode, join
from geodisp.model.vocab import OUTSIDE_KEY

#: A value this close below a threshold reaches it: published thresholds are rounded
#: separately in each unit (137 kt is given as 252 km/h, which converts to 136.1 kt).
ROUNDING_TOLERANCE = 0.01

RATE_COLUMNS = ["hazard_class", "label", "low", "central", "high", "basis", "by_rank", "rate_source"]


def _unit_factor(from_units: Optional[str], table_units: str) -> Optional[float]:
    """Factor converting ``from_units`` into ``table_units``; None if not convertible."""
    if table_units == "rank":
        return None
    if from_units is None:
        return 1.0  # bounds assumed to be in the table's units (said in the basis)
    return UNIT_FACTORS.get(table_units, {}).get(from_units.strip().lower())


def _representative(lower: float, upper: float) -> float:
    lo_ok = lower is not None and np.isfinite(lower)
    hi_ok = upper is not None and np.isfinite(upper)
    if lo_ok and hi_ok:
        return (lower + upper) / 2.0
    if lo_ok:
        return lower
    if hi_ok:
        return upper
    return math.nan


def _rank_rows(table: RateTable) -> list[int]:
    """Rows classes are ranked onto: all rows of a rank table; the non-zero rows otherwise."""
    if table.units == "rank":
        return list(range(len(table.steps)))
    rows = [i for i, s in enumerate(table.steps) if s.high > 0 or s.central > 0 or s.low > 0]
    return rows or list(range(len(table.steps)))


def _rate_source(table: RateTable) -> str:
    """Where a rate table comes from, as a message: a built-in table's reference, else the table's own text."""
    builtin = next((k for k, t in RATE_TABLES.items() if t is table), None)
    if builtin is not None:
        return f"calc_rates_{builtin}"
    return encode("calc_rates_text", text=table.source)


def class_rates(
    classes: pd.DataFrame,
    hazard_type: Optional[str],
    params: Optional[ExposureMethod] = None,
    intensity_units: Optional[str] = None,
) -> pd.DataFrame:
    """The displacement rate (low, central, high) of each hazard class, with its basis.

    ``classes``: ``hazard_class`` (1..n by intensity), ``label``, ``lower``,
    ``upper``. ``intensity_units``: the unit of ``lower``/``upper`` (e.g. the
    Footprint's ``units``); ``params.intensity_units`` wins when set.
    Returns ``hazard_class, label, low, central, high, basis, by_rank, rate_source``
    (``rate_source``: where the rates come from, a message code for the calculation).
    """
    params = params or ExposureMethod()
    missing = {"hazard_class", "label", "lower", "upper"} - set(classes.columns)
    if missing:
        raise ValueError(f"hazard classes table lacks columns {sorted(missing)}")
    table = params.table(hazard_type)
    units = params.intensity_units or intensity_units
    ordered = classes.sort_values("hazard_class").reset_index(drop=True)
    from_labels = label_bounds(ordered, units).set_index("hazard_class")
    n = len(ordered)
    rank_rows = _rank_rows(table)
    out = []
    for i, row in ordered.iterrows():
        cls = int(row["hazard_class"])
        label = str(row["label"])
        if cls in params.class_rates:
            r = params.class_rates[cls]
            out.append((cls, label, r.low, r.central, r.high, "methods.exposure.class_rates in the event file", False,
                        "calc_rates_class_rates"))
            continue
        rep = _representative(pd.to_numeric(row["lower"], errors="coerce"), pd.to_numeric(row["upper"], errors="coerce"))
        rep_units, read = units, ""
        if not np.isfinite(rep):
            parsed = from_labels.loc[cls]
            rep = _representative(parsed["lower"], parsed["upper"])
            if np.isfinite(rep):
                rep_units = parsed["units"] or units
                read = f" read from the class label {label!r}"
        factor = _unit_factor(rep_units, table.units)
        if factor is not None and np.isfinite(rep):
            value = rep * factor
            idx = max([j for j, s in enumerate(table.steps) if s.start <= value * (1 + ROUNDING_TOLERANCE) + 1e-9], default=0)
            step = table.steps[idx]
            assumed = "" if rep_units else f" (bounds taken to be in {table.units}: the footprint gives no unit)"
            basis = (
                f"intensity {value:.4g} {table.units}{read}{assumed} -> table row from {step.start:g} "
                f"{table.units} ({step.label}); {table.source}"
            )
            out.append((cls, label, step.low, step.central, step.high, basis, False, _rate_source(table)))
            continue
        idx = rank_rows[max(0, math.ceil((i + 1) * len(rank_rows) / n) - 1)]
        step = table.steps[idx]
        why = "no intensity in the bounds or the label" if not np.isfinite(rep) else (
            "rank table" if table.units == "rank" else f"intensity in {rep_units!r}, not convertible to {table.units}")
        basis = f"by rank ({why}): class {i + 1} of {n} -> table row {step.label!r}; {table.source}"
        out.append((cls, label, step.low, step.central, step.high, basis, True, _rate_source(table)))
    return pd.DataFrame(out, columns=RATE_COLUMNS)


def _hazard_type_of(classes: pd.DataFrame, hazard_type: Optional[str]) -> Optional[str]:
    if hazard_type is not None:
        return hazard_type
    if "hazard_type" in classes.columns:
        kinds = classes["hazard_type"].dropna().unique()
        if len(kinds) > 1:
            raise ValueError(f"hazard classes mix hazard types {sorted(kinds)}")
        if len(kinds) == 1:
            return str(kinds[0])
    return None


def exposure_figures(
    exposed: Optional[pd.DataFrame],
    classes: Optional[pd.DataFrame],
    hazard_type: Optional[str] = None,
    params: Optional[ExposureMethod] = None,
    source: str = "population x hazard footprint",
    intensity_units: Optional[str] = None,
) -> pd.DataFrame:
    """Figures from the overlay's people per (unit, hazard class).

    ``exposed``: ``cvegeo``, ``hazard_class`` (0 = not exposed), ``people``;
    rows keyed ``vocab.OUTSIDE_KEY`` (people outside every unit) get their own
    figures under that key, kept apart from the units by ``reconcile`` and
    ``figures.rollup``. Returns ``exposed_class_<n>`` (each class), ``exposed``
    (all classes >= 1) and ``displaced_exposure``.
    """
    if exposed is None or len(exposed) == 0 or classes is None or len(classes) == 0:
        return empty_figures()
    missing = {"cvegeo", "hazard_class", "people"} - set(exposed.columns)
    if missing:
        raise ValueError(f"exposure table lacks columns {sorted(missing)}")
    frame = exposed[["cvegeo", "hazard_class", "people"]].copy()
    frame["cvegeo"] = frame["cvegeo"].astype(str)
    frame["hazard_class"] = frame["hazard_class"].astype(int)
    frame["people"] = pd.to_numeric(frame["people"], errors="coerce").fillna(0.0).astype("float64")
    if (frame["people"] < 0).any():
        bad = frame.loc[frame["people"] < 0].iloc[0]
        raise ValueError(f"negative people ({bad['people']}) for {bad['cvegeo']} class {bad['hazard_class']}")
    known = set(classes["hazard_class"].astype(int))
    unknown = sorted(set(frame["hazard_class"]) - known - {0})
    if unknown:
        raise ValueError(f"exposure table has hazard classes {unknown} not in the footprint's classes {sorted(known)}")

    kind = _hazard_type_of(classes, hazard_type)
    rates = class_rates(classes, kind, params, intensity_units).set_index("hazard_class")
    table = frame.groupby(["cvegeo", "hazard_class"])["people"].sum().unstack("hazard_class")
    cls_list = [int(c) for c in rates.index]
    table = table.reindex(columns=sorted(set(cls_list) | {0})).fillna(0.0)
    keys = table.index

    parts = []
    for c in cls_list:
        n = table[c].to_numpy()
        label = rates.loc[c, "label"]
        parts.append(figure_rows(keys, f"exposed_class_{c}", n, n, n, "people",
                                 encode("calc_exposed_class", n=c, label=label), source))
    total = table[cls_list].sum(axis=1).to_numpy()
    parts.append(figure_rows(keys, "exposed", total, total, total, "people",
                             "calc_exposed", source))
    people = table[cls_list].to_numpy()
    disp = {part: people @ rates.loc[cls_list, part].to_numpy(dtype="float64") for part in ("low", "central", "high")}
    rate_parts = [
        encode("calc_class_rate", n=c, label=rates.loc[c, "label"], low=f"{rates.loc[c, 'low']:g}",
               central=f"{rates.loc[c, 'central']:g}", high=f"{rates.loc[c, 'high']:g}")
        for c in cls_list
    ]
    method = join(encode("calc_displaced_exposure", hazard=kind or ""), *rate_parts,
                  *dict.fromkeys(rates["rate_source"]), FLOW_NOTE)
    methods = [method if k != OUTSIDE_KEY else join(method, "calc_outside_cells") for k in keys]
    parts.append(figure_rows(keys, "displaced_exposure", disp["low"], disp["central"], disp["high"], "people",
                             methods, source))
    return concat_figures(parts)
