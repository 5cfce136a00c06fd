"""The one-page HTML report: map, totals, top units, method notes, rejects, inputs.

Stands alone: the map PNG is embedded as base64, the CSS is inline, nothing is
fetched. Every number a person reads is rounded (``rounding``) and the rule is
stated on the page; totals are rounded from the raw totals.
"""
from __future__ import annotations

import base64
import html
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from geodisp.io import atomic_path
from geodisp.outputs import i18n
from geodisp.outputs.rounding import rounded_total
from geodisp.outputs.tables import event_fields

#: Metrics totalled on the page, with the term key and unit each is shown with.
TOTAL_METRICS: dict[str, tuple[str, str]] = {
    "displaced_observed": ("term_displaced_observed", "people"),
    "displaced": ("term_displaced_all", "people"),
    "evacuated": ("term_evacuated", "people"),
    "evacuated_households": ("term_evacuated_households", "households"),
    "sheltered_peak": ("term_in_shelters", "people"),
    "dwellings_destroyed": ("term_destroyed_housing", "dwellings"),
}
#: Observed counts: shown exact (913 destroyed dwellings is not "910"); estimates are rounded.
EXACT_METRICS: frozenset[str] = frozenset({"evacuated", "evacuated_households", "sheltered_peak", "dwellings_destroyed"})

#: At most this many rows in each table and notes on the page (the rest is in the files).
MAX_LISTED = 6

CSS = """
body{font-family:'Liberation Sans',Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222;font-size:14px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:15px;margin:14px 0 5px;border-bottom:1px solid #ccc}
.meta{color:#555;margin:0 0 10px} .cols{display:flex;gap:24px} .cols>div{flex:1;min-width:0}
img.map{width:100%;border:1px solid #ddd} table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:3px 6px;border-bottom:1px solid #e5e5e5;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.total{font-size:18px;font-weight:bold} .note{color:#555;font-size:12px} ul{margin:4px 0 4px 18px;padding:0}
@page{size:A4;margin:8mm}
@media print{body{margin:0;max-width:none;font-size:8px} h1{font-size:13px} h2{font-size:9.5px;margin:4px 0 2px}
.meta{margin:0 0 3px} img.map{height:98mm;width:auto;max-width:100%;display:block;margin:0 auto;border:0}
table{font-size:7.5px} th,td{padding:0.5px 3px} .total{font-size:10px} .note{font-size:7px} .cols{gap:10px} ul{margin:1px 0 1px 12px}}
"""


def totals(figures: pd.DataFrame, event_totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Raw totals per metric (``low``, ``central``, ``high``) for the page's metrics: the
    estimate stage's event rows when given, else the unit figures summed (the observed
    total from the units whose ``displaced`` is not ``modelled``)."""
    if event_totals is not None and "level" in event_totals:
        f = event_totals[(event_totals["level"] == "event") & event_totals["metric"].isin(list(TOTAL_METRICS))]
        out = f.set_index("metric")[["low", "central", "high"]]
    else:
        f = figures[figures["metric"].isin(list(TOTAL_METRICS))]
        if "modelled" in f and "displaced_observed" not in set(f["metric"]):
            observed = f[(f["metric"] == "displaced") & ~f["modelled"].fillna(False).astype(bool)]
            f = pd.concat([f, observed.assign(metric="displaced_observed")], ignore_index=True)
        out = f.groupby("metric")[["low", "central", "high"]].sum(min_count=1)
    return out.reindex([m for m in TOTAL_METRICS if m in out.index])


def top_units(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` units with most people displaced (central), largest first."""
    if table is None or "displaced" not in table.columns:
        return pd.DataFrame(columns=["cvegeo", "name", "displaced", "displaced_low", "displaced_high", "decided_by"])
    t = pd.DataFrame(table).drop(columns=["geometry"], errors="ignore")
    t = t[t["displaced"] > 0].sort_values(["displaced", "cvegeo"], ascending=[False, True])
    return t.head(n)


def reject_reasons(rejects: pd.DataFrame, lang: "str | i18n.Language" = "es") -> pd.Series:
    """Each reject's reason in ``lang``: rendered from ``reason_code`` (with ``reason_params`` when the
    readers give them), else from ``reason`` (a code, or text kept as it is)."""
    lang = i18n.language(lang)
    if "reason_code" in rejects.columns:
        params = rejects["reason_params"] if "reason_params" in rejects.columns else pd.Series([None] * len(rejects), index=rejects.index)
        reasons = rejects["reason"] if "reason" in rejects.columns else pd.Series([None] * len(rejects), index=rejects.index)
        return pd.Series([lang.message(c, _params(p)) if isinstance(c, str) and c else lang.message(r)
                          for c, p, r in zip(rejects["reason_code"], params, reasons)], index=rejects.index)
    return rejects["reason"].map(lang.message)


def _params(value: Any) -> dict:
    """A reject's parameters: a mapping, or the JSON text the readers store in ``reason_params``."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and value.strip():
        return json.loads(value)
    return {}


def rejects_summary(rejects: pd.DataFrame | None, lang: "str | i18n.Language" = "es") -> pd.DataFrame:
    """Rejected records counted by source and reason, the reason rendered in ``lang`` from its
    code (``reason_code`` where the readers give one); no record contents, no file paths."""
    if rejects is None or not len(rejects):
        return pd.DataFrame(columns=["source", "reason", "count"])
    lang = i18n.language(lang)
    frame = pd.DataFrame({"source": rejects["source"].astype(str), "reason": reject_reasons(rejects, lang)})
    return (frame.groupby(["source", "reason"], dropna=False).size().rename("count")
            .reset_index().sort_values(["source", "count", "reason"], ascending=[True, False, True]))


def _e(value: Any) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _table(header: Sequence[str], rows: Iterable[Sequence[tuple[str, bool]]]) -> str:
    """An HTML table; each cell is (text, is_number)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td class='n'>{_e(t)}</td>" if num else f"<td>{_e(t)}</td>" for t, num in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def exposure_summary(figures: pd.DataFrame, classes: pd.DataFrame | None = None) -> pd.DataFrame:
    """People exposed per hazard class over the units (``hazard_class``, ``label``, ``people``), raw."""
    f = figures[figures["metric"].astype(str).str.fullmatch(r"exposed_class_\d+")] if figures is not None and len(figures) else pd.DataFrame()
    if not len(f):
        return pd.DataFrame(columns=["hazard_class", "label", "people"])
    out = f.groupby("metric")["central"].sum(min_count=1).rename("people").reset_index()
    out["hazard_class"] = out["metric"].str.rsplit("_", n=1).str[-1].astype(int)
    labels = dict(zip(classes["hazard_class"].astype(int), classes["label"])) if classes is not None and "label" in classes else {}
    out["label"] = [labels.get(c) for c in out["hazard_class"]]
    return out.sort_values("hazard_class", ascending=False)[["hazard_class", "label", "people"]].reset_index(drop=True)


def flagged_units(table: pd.DataFrame | None) -> pd.DataFrame:
    """Units flagged in reconciliation, with their reason (a message code), by key."""
    if table is None or "flag" not in table.columns:
        return pd.DataFrame(columns=["cvegeo", "name", "flag_reason"])
    t = pd.DataFrame(table).drop(columns=["geometry"], errors="ignore")
    t = t[t["flag"].fillna(False).astype(bool)]
    cols = [c for c in ("cvegeo", "name", "flag_reason") if c in t.columns]
    return t.sort_values("cvegeo")[cols]


def _more(lang: i18n.Language, n: int, file: str, key: str = "more_rows") -> str:
    return f"<p class='note'>{_e(lang.t(key, n=n, file=file))}</p>" if n > 0 else ""


def render_html(
    event: Any,
    figures: pd.DataFrame,
    table: pd.DataFrame | None,
    map_png: bytes | None,
    lang: "str | i18n.Language" = "es",
    rejects: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    gaps: pd.DataFrame | None = None,
    inputs: Sequence[str] | Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    generated: datetime | None = None,
    unit_level: str = "mun",
    classes: pd.DataFrame | None = None,
    files: Mapping[str, str] | None = None,
    forecast: bool = False,
    event_totals: pd.DataFrame | None = None,
) -> str:
    """The report as one HTML string, one A4 page when printed: map, totals, exposure, top and
    flagged units, method notes, rejects and record counts, inputs; every table under a heading.
    ``event_totals``: the estimate stage's total rows, whose event rows give the headline
    (observed, and observed + modelled).

    ``inputs`` are the kinds of input (already named in ``lang``), never file paths; ``files``
    names the companion files the page points to for what it leaves out (notes, figures, rejects).
    A ``forecast`` report opens with the anticipatory-figures banner.
    """
    lang = i18n.language(lang)
    t = lang.t
    files = {"notes": "notes.txt", "figures": "figures.xlsx", "rejects": "rejects.csv", **dict(files or {})}
    generated = generated or datetime.now().astimezone()
    ev = event_fields(event)
    start, end = _date(ev["start_date"]), _date(ev["end_date"])
    parts = [f"<!DOCTYPE html><html lang='{lang.code}'><head><meta charset='utf-8'>",
             f"<title>{_e(t('report_title', event=ev['event_name']))}</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(t('report_title', event=ev['event_name']))}</h1>",
             *([f"<p id='forecast' class='forecast'><strong>{_e(t('forecast_banner'))}</strong></p>"] if forecast else []),
             f"<p class='meta'>{_e(t('event_id'))}: {_e(ev['event_id'])} · {_e(t('hazard_type'))}: {_e(lang.term('hazard', ev['hazard_code']))}"
             f" · {_e(t('dates'))}: {_e(lang.date_range(start, end))}"
             + (f" · {_e(t('glide'))}: {_e(ev['glide'])}" if ev["glide"] else "") + "</p>"]
    if map_png:
        b64 = base64.b64encode(map_png).decode("ascii")
        parts.append(f"<img id='map' class='map' alt='{_e(t('map_alt'))}' src='data:image/png;base64,{b64}'>")

    # totals and exposure | top units and flagged units
    tot = totals(figures, event_totals) if figures is not None and len(figures) else pd.DataFrame()
    parts.append(f"<div class='cols'><div><h2 id='totals'>{_e(t('totals'))}</h2><ul>")
    for metric, row in tot.iterrows():
        term, unit = TOTAL_METRICS[metric]
        exact = metric in EXACT_METRICS
        shown = (lang.count(row["central"]) if exact else lang.number(rounded_total([row["central"]]), rounded=False)) if pd.notna(row["central"]) else "–"
        rng = ""
        if metric in ("displaced", "displaced_observed") and pd.notna(row["low"]) and pd.notna(row["high"]):
            rng = " (" + t("range_low_high", low=lang.number(rounded_total([row["low"]]), rounded=False),
                           high=lang.number(rounded_total([row["high"]]), rounded=False)) + ")"
        parts.append(f"<li>{_e(t(term))}: <span class='total' data-metric='{metric}'>{_e(shown)}</span> {_e(t('unit_' + unit))}{_e(rng)}</li>")
    parts.append(f"</ul><p class='note'>{_e(t('observed_note'))} {_e(t('flow_note'))} {_e(t('rounding_note'))}</p>")
    exposure = exposure_summary(figures, classes)
    if len(exposure):
        parts.append(f"<h2 id='exposure'>{_e(t('report_exposure'))}</h2>")
        parts.append(_table([t("class"), t("people")],
                            [[(i18n.pretty_label(r["label"]) if isinstance(r["label"], str) else t("hazard_class_n", n=r["hazard_class"]), False),
                              (lang.number(r["people"]), True)] for _, r in exposure.iterrows()]))
    parts.append("</div>")

    top = top_units(table, n=MAX_LISTED)
    top_title = t("top_units") if unit_level == "mun" else t("top_units_generic")
    parts.append(f"<div><h2 id='top'>{_e(top_title)}</h2>")
    parts.append(_table([t("code"), t("name"), t("term_displaced"), t("decided_by")],
                        [[(r.get("cvegeo"), False), (r.get("name", ""), False), (lang.number(r["displaced"]), True), (lang.term("method", r.get("decided_by", "")), False)]
                         for _, r in top.iterrows()]))
    flagged = flagged_units(table)
    parts.append(f"<h2 id='flagged'>{_e(t('report_flagged'))}</h2>")
    if len(flagged):
        parts.append(_table([t("code"), t("name"), t("reason")],
                            [[(r["cvegeo"], False), (r.get("name", ""), False), (lang.message(r.get("flag_reason")), False)]
                             for _, r in flagged.head(MAX_LISTED).iterrows()]))
        parts.append(_more(lang, len(flagged) - MAX_LISTED, files["figures"]))
    else:
        parts.append(f"<p>{_e(t('report_no_flags'))}</p>")
    parts.append("</div></div>")

    parts.append(f"<h2 id='notes'>{_e(t('method_notes'))}</h2><ul>")
    lines = []
    if table is not None and "decided_by" in table.columns:
        for method, n in pd.Series(table["decided_by"]).dropna().value_counts().sort_index().items():
            lines.append(t("units_by_method", n=n, method=lang.term("method", method)))
    if gaps is not None and len(gaps):
        reasons = gaps["reason"] if "reason" in gaps else pd.Series(["no_figure"] * len(gaps))
        no_figure = reasons.eq("no_figure") | ~reasons.isin(["no_records", "partial", "no_cell_centre"])
        if no_figure.any():
            lines.append(t("gaps", n=int(no_figure.sum())))
        if reasons.eq("no_records").any():
            lines.append(t("gaps_no_records", n=int(reasons.eq("no_records").sum())))
        kinds = [c for c in ("evacuations", "shelters", "damage") if c in gaps]
        zero = (gaps[kinds] == "reported_zero").any(axis=1) if kinds else pd.Series(dtype=bool)
        if zero.any():
            lines.append(t("gaps_reported_zero", n=int(zero.sum())))
    lines += [str(n) for n in notes]
    parts += [f"<li>{_e(line)}</li>" for line in lines[:MAX_LISTED]]
    parts.append("</ul>" + _more(lang, len(lines) - MAX_LISTED, files["notes"], "more_notes"))

    parts.append("<div class='cols'><div>")
    parts.append(f"<h2 id='rejects'>{_e(t('rejects_summary'))}</h2>")
    summary = rejects_summary(rejects, lang)
    if len(summary):
        parts.append(_table([t("source"), t("reason"), t("count")],
                            [[(lang.term("role", r["source"]), False), (r["reason"], False), (lang.count(r["count"]), True)] for _, r in summary.head(MAX_LISTED).iterrows()]))
        parts.append(_more(lang, len(summary) - MAX_LISTED, files["rejects"]))
    else:
        parts.append(f"<p>{_e(t('no_rejects'))}</p>")
    parts.append("</div><div>")
    if counts is not None and len(counts):
        cols = [c for c in ("read", "used", "rejected") if c in counts.columns]
        parts.append(f"<h2 id='counts'>{_e(t('report_counts'))}</h2>")
        parts.append(_table([t("source")] + [t(f"rows_{c}") for c in cols],
                            [[(lang.term("role", r["source"]), False)] + [(lang.count(r[c]), True) for c in cols] for _, r in counts.iterrows()]))
    parts.append("</div></div>")

    kinds = list(inputs.keys() if isinstance(inputs, Mapping) else inputs or [])
    if not kinds and figures is not None and "source" in figures:  # no event file: name the figures' sources
        kinds = sorted({lang.messages(s) for s in figures["source"].dropna().astype(str)})[:MAX_LISTED]
    parts.append(f"<p class='note' id='inputs'><b>{_e(t('inputs'))}:</b> {_e(', '.join(kinds) or '–')}</p>")
    parts.append(f"<p class='note' id='generated'>{_e(t('generated', date=lang.local_time(generated)))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def write_report(path: str | Path, html_text: str) -> Path:
    """Write the report atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(html_text, encoding="utf-8")
    return Path(path)
