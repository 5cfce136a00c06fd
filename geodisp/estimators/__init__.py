"""Displacement estimates: housing-based, exposure-based and Civil Protection
records, reconciled per unit with ranges and provenance. See docs/methods.md.

``estimate_all`` is the one call the pipeline makes; each step is also a plain
function a notebook can call on its own (``housing_figures``,
``exposure_figures``, ``record_figures``, ``reconcile``, ``sectoral_figures``).
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Optional

import pandas as pd

from geodisp.config.methods import MethodsConfig
from geodisp.estimators.exposure import class_rates, exposure_figures
from geodisp.estimators.figures import (
    FIGURE_COLUMNS,
    check_figures,
    concat_figures,
    rollup,
    wide,
)
from geodisp.estimators.housing import housing_figures
from geodisp.estimators.reconcile import DECISION_COLUMNS, Reconciled, reconcile
from geodisp.estimators.records import record_figures
from geodisp.estimators.sectoral import facility_figures, sectoral_figures
from geodisp.model.vocab import OUTSIDE_KEY

#: Source labels used when the caller gives none (the pipeline passes file names).
DEFAULT_SOURCES: dict[str, str] = {
    "damage": "damage",
    "exposure": "population x hazard footprint",
    "evacuations": "evacuations",
    "shelters": "shelters",
    "census": "census",
    "facilities": "facilities",
}

__all__ = [
    "DEFAULT_SOURCES", "Estimates", "FIGURE_COLUMNS", "MethodsConfig", "Reconciled", "class_rates",
    "estimate_all", "exposure_figures", "facility_figures", "housing_figures", "reconcile",
    "record_figures", "rollup", "sectoral_figures", "wide",
]


class Estimates(NamedTuple):
    """``figures``: the long table; ``table``: one row per unit (``cvegeo``,
    ``decided_by``, ``decided_source``, ``evidence``, ``flag``, ``flag_reason``,
    then the wide figures); ``gaps``: units with no data of any kind."""

    figures: pd.DataFrame
    table: pd.DataFrame
    gaps: pd.DataFrame


#: Other spellings of the source labels: the event file's input names.
SOURCE_ALIASES: dict[str, str] = {
    "records.evacuations": "evacuations",
    "records.shelters": "shelters",
    "census.path": "census",
    "damage.path": "damage",
}
#: Input names that label no figure of their own here.
_UNLABELLED = {"boundaries"}


def _sources(labels: Optional[Mapping[str, str]]) -> dict[str, str]:
    """Source labels by figure family, from ``DEFAULT_SOURCES`` keys or the event's input names.

    ``population`` and ``hazard`` combine into the ``exposure`` label.
    """
    out = dict(DEFAULT_SOURCES)
    if not labels:
        return out
    given = {SOURCE_ALIASES.get(k, k): str(v) for k, v in labels.items() if k not in _UNLABELLED}
    if "exposure" not in given and ({"population", "hazard"} & set(given)):
        given["exposure"] = " x ".join(given[k] for k in ("population", "hazard") if k in given)
    given.pop("population", None)
    given.pop("hazard", None)
    unknown = sorted(set(given) - set(DEFAULT_SOURCES))
    if unknown:
        raise ValueError(f"unknown source labels {unknown}; expected some of {sorted(DEFAULT_SOURCES)}")
    out.update(given)
    return out


def _table(figures: pd.DataFrame, decisions: pd.DataFrame, units: Optional[pd.DataFrame]) -> pd.DataFrame:
    """One row per unit (units in their order, then any other keys): decisions + wide figures.

    No name or geometry: the caller joins the table to its units.
    """
    per_unit = wide(figures[figures["cvegeo"] != OUTSIDE_KEY])
    out = decisions.merge(per_unit, on="cvegeo", how="left")
    if units is not None:
        order = {str(k): i for i, k in enumerate(units["cvegeo"])}
        rank = out["cvegeo"].map(order).fillna(len(order)).to_numpy()
        out = out.iloc[rank.argsort(kind="stable")]
    return out.reset_index(drop=True)


def estimate_all(
    *,
    units: Optional[pd.DataFrame] = None,
    dwellings: Optional[pd.DataFrame] = None,
    household: Optional[pd.DataFrame] = None,
    exposed: Optional[pd.DataFrame] = None,
    uncovered: Optional[pd.DataFrame] = None,
    classes: Optional[pd.DataFrame] = None,
    evacuations: Optional[pd.DataFrame] = None,
    shelter_summary: Optional[pd.DataFrame] = None,
    census: Optional[pd.DataFrame] = None,
    facilities: Optional[pd.DataFrame] = None,
    methods: MethodsConfig | Mapping[str, Any] | None = None,
    hazard_type: Optional[str] = None,
    intensity_units: Optional[str] = None,
    source_labels: Optional[Mapping[str, str]] = None,
) -> Estimates:
    """Every estimate for one event, from whatever inputs exist (any may be None).

    Inputs are the frames described in docs/architecture.md (``facilities``:
    points with ``cvegeo``, ``hazard_class``, ``type``). ``intensity_units`` is
    the unit of the class bounds (the Footprint's ``units``). ``source_labels``
    maps ``damage``, ``exposure``, ``evacuations``, ``shelters``, ``census``,
    ``facilities`` (or the event's input names: ``population``, ``hazard``,
    ``records.evacuations``, ``records.shelters`` ...) to the labels written in
    each figure's ``source``. Returns ``Estimates(figures, table, gaps)``;
    ``table`` has one row per unit of ``units``, without name or geometry.
    """
    cfg = methods if isinstance(methods, MethodsConfig) else MethodsConfig.model_validate(dict(methods or {}))
    labels = _sources(source_labels)
    spread = cfg.housing.resolved_spread()
    parts = [
        housing_figures(dwellings, household, cfg.housing, labels["damage"]),
        exposure_figures(exposed, classes, hazard_type, cfg.exposure, labels["exposure"], intensity_units),
        record_figures(evacuations, shelter_summary, household, cfg.reconcile,
                       labels["evacuations"], labels["shelters"], spread),
        facility_figures(facilities, labels["facilities"]),
    ]
    result = reconcile(_state_uncovered(concat_figures(parts), uncovered), units, cfg.reconcile)
    figures = concat_figures([result.figures, sectoral_figures(result.figures, census, cfg.sectoral, labels["census"])])
    check_figures(figures)
    return Estimates(figures, _table(figures, result.decisions, units), _uncovered_gaps(result.gaps, uncovered, units))


#: Figures computed from the crosstab's people, whose method changes for uncovered units.
_EXPOSURE_METRICS = ("exposed", "displaced_exposure")


def _state_uncovered(figures: pd.DataFrame, uncovered: Optional[pd.DataFrame]) -> pd.DataFrame:
    """Exposure figures of units that cover no cell centre say their people come from coverage fractions."""
    if uncovered is None or uncovered.empty or figures.empty:
        return figures
    keys = set(uncovered["cvegeo"])
    metric = figures["metric"].astype(str)
    hit = figures["cvegeo"].isin(keys) & (metric.isin(_EXPOSURE_METRICS) | metric.str.startswith("exposed_class_"))
    out = figures.copy()
    out.loc[hit, "method"] = out.loc[hit, "method"].astype(str) + "; people from coverage fractions (the unit covers no cell centre)"
    return out


def _uncovered_gaps(gaps: pd.DataFrame, uncovered: Optional[pd.DataFrame], units: Optional[pd.DataFrame]) -> pd.DataFrame:
    """The data-gap list with units that cover no cell centre, and the method that gave them people."""
    if uncovered is None or uncovered.empty:
        return gaps
    names = dict(zip(units["cvegeo"], units["name"])) if units is not None and "name" in units.columns else {}
    rows = pd.DataFrame({
        "cvegeo": uncovered["cvegeo"].astype(object),
        "name": [names.get(k) for k in uncovered["cvegeo"]],
        "reason": [f"covers no cell centre of the population grid: {p:.1f} people from coverage fractions (exactextract)"
                   for p in uncovered["people"]],
    })
    return pd.concat([gaps, rows[list(gaps.columns)]], ignore_index=True)
