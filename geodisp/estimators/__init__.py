"""Displacement estimates: housing-based, exposure-based and Civil Protection
records, reconciled per unit into a figure ledger with ranges, IDMC terms and
provenance, with totals at every level and a data-gap list. See docs/methods.md.

``estimate_all`` is the one call the pipeline makes; each step is also a plain
function a notebook can call on its own (``housing_figures``,
``exposure_figures``, ``record_figures``, ``reconcile``, ``sectoral_figures``,
``totals``, ``gap_list``).
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
    displaced_ledger,
    wide,
)
from geodisp.estimators.gaps import GAP_COLUMNS, gap_list, in_footprint, presence
from geodisp.estimators.housing import housing_figures
from geodisp.estimators.reconcile import DECISION_COLUMNS, Reconciled, reconcile
from geodisp.estimators.records import record_figures
from geodisp.estimators.sectoral import facility_figures, sectoral_figures
from geodisp.estimators.totals import totals
from geodisp.model.ledger import empty_ledger, iso_date
from geodisp.model.messages import join
from geodisp.model.vocab import OUTSIDE_KEY

#: A note for the run's notes and report: a message-catalogue key (``note_<key>``) and its values.
Note = tuple[str, dict]

#: Source labels used when the caller gives none (the pipeline passes file names).
#: Source labels when the event gives none (catalogue codes ``src_*``, put in words by the writers).
DEFAULT_SOURCES: dict[str, str] = {
    "damage": "src_damage",
    "exposure": "src_exposure",
    "evacuations": "src_evacuations",
    "shelters": "src_shelters",
    "census": "src_census",
    "facilities": "src_facilities",
}

__all__ = [
    "DEFAULT_SOURCES", "DECISION_COLUMNS", "Estimates", "FIGURE_COLUMNS", "GAP_COLUMNS", "MethodsConfig",
    "Reconciled", "class_rates", "estimate_all", "exposure_figures", "facility_figures", "gap_list",
    "housing_figures", "reconcile", "record_figures", "sectoral_figures", "totals", "wide",
]


class Estimates(NamedTuple):
    """What the estimate stage returns.

    - ``figures``: the figure ledger of the units (``geodisp.model.ledger``), one
      row per unit and metric, people outside every unit on rows keyed ``outside``;
    - ``table``: one row per unit: the decision (``DECISION_COLUMNS``), the ledger
      columns of its ``displaced`` figure, then the wide figures;
    - ``gaps``: the data-gap list (``GAP_COLUMNS``);
    - ``totals``: ledger rows for the municipio (units finer than municipios),
      state, national and event levels, each the sum of its parts;
    - ``notes``: notes for the run's notes and report (``(key, values)``).
    """

    figures: pd.DataFrame
    table: pd.DataFrame
    gaps: pd.DataFrame
    totals: pd.DataFrame = empty_ledger()
    notes: list = []


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
    """One row per unit (units in their order, then any other keys): decisions, the
    ledger columns of the unit's ``displaced`` figure, then the wide figures.

    No name or geometry: the caller joins the table to its units.
    """
    unit_rows = figures[figures["cvegeo"] != OUTSIDE_KEY]
    ledger = displaced_ledger(unit_rows).drop(columns=["modelled", "quantifier"])
    out = decisions.merge(ledger, on="cvegeo", how="left").merge(wide(unit_rows), on="cvegeo", how="left")
    if units is not None:
        order = {str(k): i for i, k in enumerate(units["cvegeo"])}
        rank = out["cvegeo"].map(order).fillna(len(order)).to_numpy()
        out = out.iloc[rank.argsort(kind="stable")]
    return out.reset_index(drop=True)


def with_event_dates(figures: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Figures whose records carry no dates take the event's (accuracy: day)."""
    out = figures.copy()
    for column, value in (("start_date", start), ("end_date", end if end is not None else start)):
        text = iso_date(value)
        if text is None:
            continue
        empty = out[column].isna()
        out.loc[empty, column] = text
        out.loc[empty, f"{column}_accuracy"] = "day"
    return out


def rank_notes(classes: Optional[pd.DataFrame], hazard_type: Optional[str], params, intensity_units) -> list[Note]:
    """A note whenever hazard classes take their rates by rank (``note_rates_by_rank``)."""
    if classes is None or len(classes) == 0:
        return []
    rates = class_rates(classes, hazard_type, params, intensity_units)
    ranked = rates[rates["by_rank"]]
    if ranked.empty:
        return []
    listed = ", ".join(f"{c} ({lab})" for c, lab in zip(ranked["hazard_class"], ranked["label"]))
    return [("rates_by_rank", {"classes": listed, "hazard": hazard_type or "generic"})]


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
    event_id: Optional[str] = None,
    start: Optional[Any] = None,
    end: Optional[Any] = None,
) -> Estimates:
    """Every estimate for one event, from whatever inputs exist (any may be None).

    Inputs are the frames described in docs/architecture.md (``facilities``:
    points with ``cvegeo``, ``hazard_class``, ``type``; ``uncovered``: units that
    cover no cell centre, ``cvegeo``, ``people``). ``intensity_units`` is
    the unit of the class bounds (the Footprint's ``units``). ``source_labels``
    maps ``damage``, ``exposure``, ``evacuations``, ``shelters``, ``census``,
    ``facilities`` (or the event's input names: ``population``, ``hazard``,
    ``records.evacuations``, ``records.shelters`` ...) to the labels written in
    each figure's ``source``. ``event_id``, ``start`` and ``end`` key the event
    total and date the figures whose records carry no date.

    Returns ``Estimates``: the unit figure ledger, the per-unit table (one row per
    unit of ``units``, without name or geometry), the data-gap list, the totals
    (municipio when the units are finer, state, national, event) and notes.
    """
    cfg = methods if isinstance(methods, MethodsConfig) else MethodsConfig.model_validate(dict(methods or {}))
    labels = _sources(source_labels)
    spread = cfg.housing.resolved_spread()
    parts = [
        housing_figures(dwellings, household, cfg.housing, labels["damage"]),
        exposure_figures(exposed, classes, hazard_type, cfg.exposure, labels["exposure"], intensity_units),
        record_figures(evacuations, shelter_summary, household, cfg.reconcile,
                       labels["evacuations"], labels["shelters"], spread, start),
        facility_figures(facilities, labels["facilities"]),
    ]
    result = reconcile(with_event_dates(_state_uncovered(concat_figures(parts), uncovered), start, end),
                       units, cfg.reconcile)
    figures = concat_figures([result.figures, sectoral_figures(result.figures, census, cfg.sectoral, labels["census"])])
    check_figures(figures)
    keys = [str(k) for k in units["cvegeo"]] if units is not None else list(result.decisions["cvegeo"])
    names = dict(zip(units["cvegeo"].astype(str), units["name"])) if units is not None and "name" in units else {}
    displaced = figures[(figures["metric"] == "displaced") & (figures["cvegeo"] != OUTSIDE_KEY)]
    gaps = gap_list(
        keys, names,
        {"evacuations": presence(evacuations, ["people", "households"]),
         "shelters": presence(shelter_summary, ["peak_occupants"]),
         "damage": presence(dwellings, ["dwellings"])},
        in_footprint(exposed), dict(zip(displaced["cvegeo"], displaced["modelled"])),
    )
    notes = rank_notes(classes, hazard_type, cfg.exposure, intensity_units) if exposed is not None else []
    return Estimates(figures=figures, table=_table(figures, result.decisions, units),
                     gaps=_uncovered_gaps(gaps, uncovered, names), totals=check_figures(totals(figures, event_id)),
                     notes=notes)


#: Figures computed from the crosstab's people, whose calculation changes for uncovered units.
_EXPOSURE_METRICS = ("exposed", "displaced_exposure")


def _state_uncovered(figures: pd.DataFrame, uncovered: Optional[pd.DataFrame]) -> pd.DataFrame:
    """Exposure figures of units that cover no cell centre say their people come from coverage fractions."""
    if uncovered is None or uncovered.empty or figures.empty:
        return figures
    keys = set(uncovered["cvegeo"])
    metric = figures["metric"].astype(str)
    hit = figures["cvegeo"].isin(keys) & (metric.isin(_EXPOSURE_METRICS) | metric.str.startswith("exposed_class_"))
    out = figures.copy()
    out.loc[hit, "calculation"] = [join(c, "calc_coverage_fractions") for c in out.loc[hit, "calculation"]]
    return out


def _uncovered_gaps(gaps: pd.DataFrame, uncovered: Optional[pd.DataFrame], names: Mapping[str, Any]) -> pd.DataFrame:
    """The data-gap list with units that cover no cell centre (reason ``no_cell_centre``), and the
    method that gave them people."""
    if uncovered is None or uncovered.empty:
        return gaps
    rows = pd.DataFrame({
        "cvegeo": uncovered["cvegeo"].astype(str).astype(object),
        "name": [names.get(str(k)) for k in uncovered["cvegeo"]],
        "reason": "no_cell_centre",
        "detail": [f"covers no cell centre of the population grid: {p:.1f} people from coverage fractions "
                   "(exactextract)" for p in uncovered["people"]],
    })
    return pd.concat([gaps, rows.reindex(columns=gaps.columns)], ignore_index=True)
