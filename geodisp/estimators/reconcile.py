"""One recommended ``displaced`` figure per unit, from what each record can prove.

The rules (docs/methods.md, section 4), per unit:

1. Observed records decide where they exist. Evacuations and housing-based
   displacement overlap (the households whose homes were destroyed were, for the
   most part, among those evacuated): the central is the larger of the two, the
   low the larger of the two lows, the high their sum (``high: no_overlap``, the
   default: at most they are different people) or the larger (``full_overlap``).
2. People in shelters are a subset of the displaced: a shelter count raises the
   low (and the central, when it is larger than every other record: the other
   records are then incomplete), never lowers anything and is never the high
   while other evidence exists. A unit whose only record is a shelter count gets
   that count as low and central, quantifier ``more_than``, and the exposure
   model's high as its high.
3. Where observed records decide, the exposure model is triangulation: shown
   beside the figure (``model_ratio`` = model central / recommended central),
   never mixed into it.
4. A unit with no record of any kind gets the exposure model's figure, marked
   ``modelled = True`` so it is reported apart from the observed headline
   (``methods.reconcile.use_exposure: false`` leaves it a gap instead).
5. Otherwise the unit has no ``displaced`` figure: a data gap, never a zero.

``flag`` is set where the central figures of records, housing and the model
differ by more than ``flag_factor`` and by at least ``flag_min_people``.
"""
from __future__ import annotations

import math
from typing import NamedTuple, Optional

import pandas as pd

from geodisp.config.methods import ReconcileMethod
from geodisp.estimators.figures import FLOW_NOTE, concat_figures, figure_rows
from geodisp.model.messages import encode, join
from geodisp.model.vocab import OUTSIDE_KEY

DECISION_COLUMNS = ["cvegeo", "decided_by", "decided_source", "evidence", "modelled", "quantifier",
                    "model_ratio", "flag", "flag_reason"]

INPUT_METRICS = ("evacuated", "sheltered_peak", "displaced_housing", "displaced_exposure")
#: Ledger columns a recommended figure takes from the record that decided it.
_INHERITED = ("term", "category", "reported_unit", "household_size", "start_date", "start_date_accuracy",
              "end_date", "end_date_accuracy")


class Reconciled(NamedTuple):
    """``figures``: the input figures plus ``displaced``; ``decisions``: one row per
    unit (``DECISION_COLUMNS``); ``missing``: keys of units left without a figure."""

    figures: pd.DataFrame
    decisions: pd.DataFrame
    missing: list[str]


def _lookup(figures: pd.DataFrame) -> dict[tuple[str, str], dict]:
    sub = figures[figures["metric"].isin(INPUT_METRICS) & figures["central"].notna()]
    dup = sub.duplicated(["cvegeo", "metric"])
    if dup.any():
        row = sub.loc[dup].iloc[0]
        raise ValueError(f"two {row['metric']} figures for {row['cvegeo']}")
    return {(r["cvegeo"], r["metric"]): r for r in sub.to_dict("records")}


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:.3g}"


def _flag(candidates: list[dict], params: ReconcileMethod) -> tuple[bool, str]:
    if len(candidates) < 2:
        return False, ""
    values = [f["central"] for f in candidates]
    hi, lo = max(values), min(values)
    if hi > params.flag_factor * lo and hi - lo >= params.flag_min_people:
        # a message code with parameters, rendered in the run's language by the writers
        figures = ";".join(f"{f['metric']}:{f['central']:.0f}" for f in candidates)
        return True, encode("flag_sources_differ", factor=f"{params.flag_factor:g}", figures=figures)
    return False, ""


def model_ratio(model: Optional[dict], central: float) -> float:
    """The disagreement factor: the model's central over the recommended central (NaN if undefined)."""
    if model is None or not central or math.isnan(central):
        return math.nan
    return float(model["central"]) / float(central)


def _decide(key: str, found: dict, params: ReconcileMethod) -> tuple[Optional[dict], dict]:
    """(the ``displaced`` row's values or None, the decision row)."""
    evac, shelter = found.get((key, "evacuated")), found.get((key, "sheltered_peak"))
    housing, exposure = found.get((key, "displaced_housing")), found.get((key, "displaced_exposure"))
    model = exposure if params.use_exposure else None
    evidence = ", ".join(f["metric"] for f in (evac, shelter, housing, exposure) if f is not None)
    records = max([f for f in (evac, shelter) if f is not None], key=lambda f: f["central"], default=None)
    flag, reason = _flag([f for f in (records, housing, exposure) if f is not None], params)
    decision = {"cvegeo": key, "decided_by": "none", "decided_source": "", "evidence": evidence, "modelled": False,
                "quantifier": None, "model_ratio": math.nan, "flag": flag, "flag_reason": reason}
    decisive = [f for f in (evac, housing) if f is not None]
    if decisive:
        candidates = decisive + ([shelter] if shelter is not None else [])
        lead = max(candidates, key=lambda f: f["central"])  # evacuations first on a tie, then housing
        low = max(f["low"] for f in candidates)
        both = evac is not None and housing is not None
        if both and params.high == "no_overlap":
            high = evac["high"] + housing["high"]
        else:
            high = max(f["high"] for f in decisive)
        if shelter is not None:
            high = max(high, shelter["high"])
        parts = ["calc_rec_observed"]
        if both:
            parts.append("calc_rec_high_sum" if params.high == "no_overlap" else "calc_rec_high_max")
        if shelter is not None:
            parts.append("calc_rec_shelter_lead" if lead is shelter else "calc_rec_shelter_subset")
        values = _row(lead, low, lead["central"], high, False, parts, model, decisive, shelter)
    elif shelter is not None:
        high = max(shelter["high"], model["high"]) if model is not None else shelter["high"]
        parts = ["calc_rec_shelter_only",
                 "calc_rec_high_model" if model is not None and model["high"] > shelter["high"] else "calc_rec_no_high"]
        values = _row(shelter, shelter["central"], shelter["central"], high, False, parts, model, [], shelter)
        values["quantifier"] = "more_than"
    elif model is not None:
        parts = ["calc_rec_model_only"]
        values = _row(model, model["low"], model["central"], model["high"], True, parts, None, [], None)
    else:
        return None, decision
    decision.update(decided_by=values.pop("decided_by"), decided_source=values["source"],
                    modelled=values["modelled"], quantifier=values["quantifier"],
                    model_ratio=model_ratio(model, values["central"]) if not values["modelled"] else math.nan)
    return values, decision


def _row(lead: dict, low: float, central: float, high: float, modelled: bool, parts: list[str],
         model: Optional[dict], observed: list[dict], shelter: Optional[dict]) -> dict:
    ratio = model_ratio(model, central) if not modelled else math.nan
    if not math.isnan(ratio):
        parts.append(encode("calc_rec_model_ratio", value=_fmt(model["central"]), ratio=f"{ratio:.2g}"))
    parts += [encode("calc_decided_by", metric=lead["metric"]), FLOW_NOTE]
    dated = observed + ([shelter] if shelter is not None else []) or [lead]
    starts = [f["start_date"] for f in dated if f.get("start_date")]
    ends = [f["end_date"] for f in dated if f.get("end_date")]
    values = {c: lead.get(c) for c in _INHERITED}
    if starts:
        first = min(starts)
        values.update(start_date=first, start_date_accuracy=next(f["start_date_accuracy"] for f in dated
                                                                if f.get("start_date") == first))
    if ends:
        last = max(ends)
        values.update(end_date=last, end_date_accuracy=next(f["end_date_accuracy"] for f in dated
                                                           if f.get("end_date") == last))
    values.update(low=low, central=central, high=high, modelled=modelled, quantifier=lead["quantifier"],
                  source=lead["source"], calculation=join(*parts), decided_by=lead["metric"])
    return values


def reconcile(
    figures: pd.DataFrame,
    units: Optional[pd.DataFrame] = None,
    params: Optional[ReconcileMethod] = None,
) -> Reconciled:
    """Add one ``displaced`` figure per unit by the rules above.

    ``units`` (``cvegeo``) lists every unit of the study area, so units without any
    figure are reported; without it, the units are the keys in ``figures``.
    People outside every unit (``OUTSIDE_KEY``) get a ``displaced`` row from the
    model alone (never part of a unit or total) and no decision.
    """
    params = params or ReconcileMethod()
    found = _lookup(figures)
    keys = list(dict.fromkeys(figures["cvegeo"]))
    if units is not None:
        keys = list(dict.fromkeys([str(k) for k in units["cvegeo"]] + keys))
    rows, decisions, missing = [], [], []
    for key in keys:
        if key == OUTSIDE_KEY:
            model = found.get((key, "displaced_exposure"))
            if model is not None:
                values = _row(model, model["low"], model["central"], model["high"], True,
                              ["calc_rec_outside"], None, [], None)
                values.pop("decided_by")
                rows.append((key, values))
            continue
        values, decision = _decide(key, found, params)
        decisions.append(decision)
        if values is None:
            missing.append(key)
        else:
            rows.append((key, values))
    decisions_frame = pd.DataFrame(decisions, columns=DECISION_COLUMNS).astype(
        {"flag": bool, "modelled": bool, "model_ratio": "float64"})
    displaced = None
    if rows:
        cols = {c: [v[c] for _, v in rows] for c in rows[0][1]}
        displaced = figure_rows([k for k, _ in rows], "displaced", cols.pop("low"), cols.pop("central"),
                                cols.pop("high"), "people", cols.pop("calculation"), cols.pop("source"), **cols)
    return Reconciled(concat_figures([figures, displaced]), decisions_frame, missing)
