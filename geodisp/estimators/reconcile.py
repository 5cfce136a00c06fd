"""One ``displaced`` figure per unit from records, housing and exposure, without double counting.

The rule, per unit:

1. Records. People in shelters are a subset of the evacuated, so the records
   figure is the larger of ``evacuated`` and ``sheltered_peak`` (low, central
   and high each), never their sum.
2. Observed evidence: records and housing-based displacement describe
   overlapping people (those whose homes were destroyed are usually among the
   evacuated), so the central figure is the larger of the two, the low the
   larger of the two lows. The high adds the two highs (``high: no_overlap``,
   the default: they may be different people) or takes the larger
   (``full_overlap``).
3. Modelled fill: only where a unit has neither records nor housing data, the
   exposure-based figure is used (``use_exposure``).
4. Otherwise the unit is a data gap: no ``displaced`` figure, listed in ``gaps``.

``decided_by`` names the figure that set the central value (``evacuated``,
``sheltered_peak``, ``displaced_housing``, ``displaced_exposure`` or ``none``).
``flag`` is set where the available central figures (records, housing,
exposure) differ by more than ``flag_factor`` (default 3) and by at least
``flag_min_people``.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

import pandas as pd

from geodisp.config.methods import ReconcileMethod
from geodisp.estimators.figures import FLOW_NOTE, concat_figures, figure_rows
from geodisp.model.messages import encode
from geodisp.model.vocab import OUTSIDE_KEY

DECISION_COLUMNS = ["cvegeo", "decided_by", "decided_source", "evidence", "flag", "flag_reason"]
GAP_COLUMNS = ["cvegeo", "name", "reason"]

INPUT_METRICS = ("evacuated", "sheltered_peak", "displaced_housing", "displaced_exposure")


class Reconciled(NamedTuple):
    """``figures``: the input figures plus ``displaced``; ``decisions``: one row per
    unit (``DECISION_COLUMNS``); ``gaps``: units with no data (``GAP_COLUMNS``)."""

    figures: pd.DataFrame
    decisions: pd.DataFrame
    gaps: pd.DataFrame


class _Fig(NamedTuple):
    metric: str
    low: float
    central: float
    high: float
    source: str


def _lookup(figures: pd.DataFrame) -> dict[tuple[str, str], _Fig]:
    sub = figures[figures["metric"].isin(INPUT_METRICS) & figures["central"].notna()]
    dup = sub.duplicated(["cvegeo", "metric"])
    if dup.any():
        row = sub.loc[dup].iloc[0]
        raise ValueError(f"two {row['metric']} figures for {row['cvegeo']}")
    return {
        (k, m): _Fig(m, lo, c, hi, s)
        for k, m, lo, c, hi, s in zip(sub["cvegeo"], sub["metric"], sub["low"], sub["central"], sub["high"], sub["source"])
    }


def _records(evac: Optional[_Fig], shelter: Optional[_Fig]) -> Optional[_Fig]:
    if evac is None or shelter is None:
        return evac or shelter
    lead = evac if evac.central >= shelter.central else shelter
    return _Fig(lead.metric, max(evac.low, shelter.low), lead.central, max(evac.high, shelter.high), lead.source)


def _flag(candidates: list[_Fig], params: ReconcileMethod) -> tuple[bool, str]:
    if len(candidates) < 2:
        return False, ""
    values = [f.central for f in candidates]
    hi, lo = max(values), min(values)
    if hi > params.flag_factor * lo and hi - lo >= params.flag_min_people:
        # a message code with parameters, rendered in the run's language by the writers
        figures = ";".join(f"{f.metric}:{f.central:.0f}" for f in candidates)
        return True, encode("flag_sources_differ", factor=f"{params.flag_factor:g}", figures=figures)
    return False, ""


def _decide(key: str, found: dict, params: ReconcileMethod):
    """(displaced figure or None, decided_by, source, method, evidence, flag, reason)."""
    evac = found.get((key, "evacuated"))
    shelter = found.get((key, "sheltered_peak"))
    housing = found.get((key, "displaced_housing"))
    exposure = found.get((key, "displaced_exposure"))
    records = _records(evac, shelter)
    evidence = ", ".join(f.metric for f in (evac, shelter, housing, exposure) if f is not None)
    flag, reason = _flag([f for f in (records, housing, exposure) if f is not None], params)
    observed = [f for f in (records, housing) if f is not None]
    if observed:
        lead = max(observed, key=lambda f: f.central)  # records first on a tie
        low = max(f.low for f in observed)
        both = len(observed) == 2
        high = sum(f.high for f in observed) if both and params.high == "no_overlap" else max(f.high for f in observed)
        parts = ["reconciled from observed evidence: the larger of records (evacuated, or people in shelters "
                 "when more; shelters are a subset of the evacuated) and housing-based displacement, which "
                 "count overlapping people"]
        if both:
            parts.append("high adds both (they may be different people)" if params.high == "no_overlap"
                         else "high is the larger (same people)")
        if exposure is not None:
            parts.append("the exposure-based model is not used where records or housing data exist")
        parts.append(f"decided by {lead.metric}")
        source = lead.source
        if both and params.high == "no_overlap":
            other = [f for f in observed if f is not lead][0]
            source = f"{lead.source}; high also {other.source}"
        fig = _Fig("displaced", low, lead.central, high, source)
        return fig, lead.metric, lead.source, "; ".join(parts + [FLOW_NOTE]), evidence, flag, reason
    if exposure is not None and params.use_exposure:
        method = ("reconciled: no records or damaged-housing data in this unit, so the exposure-based "
                  f"(modelled) figure; {FLOW_NOTE}")
        fig = _Fig("displaced", exposure.low, exposure.central, exposure.high, exposure.source)
        return fig, exposure.metric, exposure.source, method, evidence, flag, reason
    return None, "none", "", "", evidence, flag, reason


def reconcile(
    figures: pd.DataFrame,
    units: Optional[pd.DataFrame] = None,
    params: Optional[ReconcileMethod] = None,
) -> Reconciled:
    """Add one ``displaced`` figure per unit by the rule above.

    ``units`` (``cvegeo``, ``name``) lists every unit of the study area, so units
    without any figure are reported as gaps; without it, the units are the keys in
    ``figures``. People outside every unit (``OUTSIDE_KEY``) get a ``displaced``
    row from exposure alone and no decision or gap row.
    """
    params = params or ReconcileMethod()
    found = _lookup(figures)
    keys = list(dict.fromkeys(figures["cvegeo"]))
    names: dict[str, object] = {}
    if units is not None:
        unit_keys = [str(k) for k in units["cvegeo"]]
        names = dict(zip(unit_keys, units["name"])) if "name" in units.columns else {}
        keys = list(dict.fromkeys(unit_keys + keys))
    rows, decisions, gaps = [], [], []
    for key in keys:
        if key == OUTSIDE_KEY:
            exposure = found.get((key, "displaced_exposure"))
            if exposure is not None:
                rows.append((key, exposure.low, exposure.central, exposure.high,
                             "exposure-based figure for people on cells outside every unit of the "
                             f"study area; not part of any unit or total; {FLOW_NOTE}", exposure.source))
            continue
        fig, decided_by, source, method, evidence, flag, reason = _decide(key, found, params)
        decisions.append((key, decided_by, source, evidence, flag, reason))
        if fig is None:
            why = ("only an exposure-based figure, and methods.reconcile.use_exposure is false" if evidence
                   else "no evacuation or shelter records, no damaged-housing data and no exposure figure")
            gaps.append((key, names.get(key), why))
            continue
        rows.append((key, fig.low, fig.central, fig.high, method, fig.source))
    decisions_frame = pd.DataFrame(decisions, columns=DECISION_COLUMNS).astype({"flag": bool})
    gaps_frame = pd.DataFrame(gaps, columns=GAP_COLUMNS).astype({"cvegeo": "object"})
    k, lo, c, hi, m, src = (list(col) for col in zip(*rows)) if rows else ([], [], [], [], [], [])
    displaced = figure_rows(k, "displaced", lo, c, hi, "people", m, src)
    return Reconciled(concat_figures([figures, displaced]), decisions_frame, gaps_frame)
