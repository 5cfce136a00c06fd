"""Displacement estimates: housing-based, exposure-based and Civil Protection
records, reconciled per unit with ranges and provenance. See docs/methods.md.

``estimate_all`` is the one call the pipeline makes; each step is also a plain
function a notebook can call on its own (``housing_figures``,
``exposure_figures``, ``record_figures``, ``reconcile``, ``sectoral_figures``).
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Optional

import pandas as pd

from geodisp.estimate.exposure import class_rates, exposure_figures
from geodisp.estimate.figures import FIGURE_COLUMNS, check_figures, concat_figures, rollup, wide
from geodisp.estimate.housing import housing_figures
from geodisp.estimate.params import MethodsConfig
from geodisp.estimate.reconcile import DECISION_COLUMNS, Reconciled, reconcile
from geodisp.estimate.records import record_figures
from geodisp.estimate.sectoral import facility_figures, sectoral_figures
from geodisp.vocab import OUTSIDE_KEY

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
    """``figures``: the long table; ``table``: one row per unit (wide figures,
    ``name``, ``decided_by``, ``decided_source``, ``evidence``, ``flag``,
    ``flag_reason``); ``gaps``: units with no data of any kind."""

    figures: pd.DataFrame
    table: pd.DataFrame
    gaps: pd.DataFrame


def _sources(sources: Optional[Mapping[str, str]]) -> dict[str, str]:
    out = dict(DEFAULT_SOURCES)
    if sources:
        unknown = sorted(set(sources) - set(DEFAULT_SOURCES))
        if unknown:
            raise ValueError(f"unknown source labels {unknown}; expected some of {sorted(DEFAULT_SOURCES)}")
        out.update({k: str(v) for k, v in sources.items()})
    return out


def _table(figures: pd.DataFrame, decisions: pd.DataFrame, units: Optional[pd.DataFrame]) -> pd.DataFrame:
    """Units (in their order) + any other keys, with decisions and wide figures."""
    per_unit = wide(figures[figures["cvegeo"] != OUTSIDE_KEY])
    info = decisions.merge(per_unit, on="cvegeo", how="outer")
    if units is None:
        return info
    keep = ["cvegeo", "name"] + (["geometry"] if "geometry" in units.columns else [])
    base = units[[c for c in keep if c in units.columns]].copy()
    base["cvegeo"] = base["cvegeo"].astype(str)
    out = base.merge(info, on="cvegeo", how="outer", sort=False)
    order = {k: i for i, k in enumerate(base["cvegeo"])}
    rank = out["cvegeo"].map(order).fillna(len(order)).to_numpy()
    out = out.iloc[rank.argsort(kind="stable")]
    if "geometry" in out.columns:
        out = out[[c for c in out.columns if c != "geometry"] + ["geometry"]]
    return out.reset_index(drop=True)


def estimate_all(
    *,
    units: Optional[pd.DataFrame] = None,
    dwellings: Optional[pd.DataFrame] = None,
    household: Optional[pd.DataFrame] = None,
    exposed: Optional[pd.DataFrame] = None,
    classes: Optional[pd.DataFrame] = None,
    evacuations: Optional[pd.DataFrame] = None,
    shelter_summary: Optional[pd.DataFrame] = None,
    census: Optional[pd.DataFrame] = None,
    facilities: Optional[pd.DataFrame] = None,
    methods: MethodsConfig | Mapping[str, Any] | None = None,
    hazard_type: Optional[str] = None,
    intensity_units: Optional[str] = None,
    sources: Optional[Mapping[str, str]] = None,
) -> Estimates:
    """Every estimate for one event, from whatever inputs exist (any may be None).

    Inputs are the frames described in docs/architecture.md; ``sources`` maps
    ``damage``, ``exposure``, ``evacuations``, ``shelters``, ``census``,
    ``facilities`` to the labels (file names) written in each figure's
    ``source``. Returns ``Estimates(figures, table, gaps)``.
    """
    cfg = methods if isinstance(methods, MethodsConfig) else MethodsConfig.model_validate(dict(methods or {}))
    labels = _sources(sources)
    spread = cfg.housing.resolved_spread()
    parts = [
        housing_figures(dwellings, household, cfg.housing, labels["damage"]),
        exposure_figures(exposed, classes, hazard_type, cfg.exposure, labels["exposure"], intensity_units),
        record_figures(evacuations, shelter_summary, household, cfg.reconcile,
                       labels["evacuations"], labels["shelters"], spread),
        facility_figures(facilities, labels["facilities"]),
    ]
    result = reconcile(concat_figures(parts), units, cfg.reconcile)
    figures = concat_figures([result.figures, sectoral_figures(result.figures, census, cfg.sectoral, labels["census"])])
    check_figures(figures)
    return Estimates(figures, _table(figures, result.decisions, units), result.gaps)
