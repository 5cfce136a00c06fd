"""The one-page HTML report: map, totals, top units, method notes, rejects, inputs.

Stands alone: the map PNG is embedded as base64, the CSS is inline, nothing is
fetched. Every number a person reads is rounded (``rounding``) and the rule is
stated on the page; totals are rounded from the raw totals.
"""
from __future__ import annotations

import base64
import html
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from geodisp.io import atomic_path
from geodisp.outputs import i18n
from geodisp.outputs.rounding import format_number, rounded_total
from geodisp.outputs.tables import event_fields

#: Metrics totalled on the page, with the term key and unit each is shown with.
TOTAL_METRICS: dict[str, tuple[str, str]] = {
    "displaced": ("term_displaced", "people"),
    "evacuated": ("term_evacuated", "people"),
    "sheltered_peak": ("term_in_shelters", "people"),
    "dwellings_destroyed": ("term_destroyed_housing", "dwellings"),
}

#: At most this many names are listed in one note.
MAX_LISTED = 10

CSS = """
body{font-family:'Liberation Sans',Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222;font-size:14px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:18px 0 6px;border-bottom:1px solid #ccc}
.meta{color:#555;margin:0 0 10px} .cols{display:flex;gap:24px} .cols>div{flex:1}
img.map{width:100%;border:1px solid #ddd} table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:3px 6px;border-bottom:1px solid #e5e5e5;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.total{font-size:20px;font-weight:bold} .note{color:#555;font-size:12px} ul{margin:4px 0 4px 18px;padding:0}
@page{size:A4;margin:9mm}
@media print{body{margin:0;max-width:none;font-size:9px} h1{font-size:15px} h2{font-size:11px;margin:6px 0 3px}
img.map{height:105mm;width:auto;max-width:100%;display:block;margin:0 auto;border:0} table{font-size:8px} th,td{padding:1px 4px}
.total{font-size:12px} .note{font-size:8px} .cols{gap:12px}}
"""


def totals(figures: pd.DataFrame) -> pd.DataFrame:
    """Raw totals per metric (``low``, ``central``, ``high``) for the page's metrics."""
    f = figures[figures["metric"].isin(list(TOTAL_METRICS))]
    out = f.groupby("metric")[["low", "central", "high"]].sum(min_count=1)
    return out.reindex([m for m in TOTAL_METRICS if m in out.index])


def top_units(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` units with most people displaced (central), largest first."""
    if table is None or "displaced" not in table.columns:
        return pd.DataFrame(columns=["cvegeo", "name", "displaced", "displaced_low", "displaced_high", "decided_by"])
    t = pd.DataFrame(table).drop(columns=["geometry"], errors="ignore")
    t = t[t["displaced"] > 0].sort_values(["displaced", "cvegeo"], ascending=[False, True])
    return t.head(n)


def rejects_summary(rejects: pd.DataFrame | None) -> pd.DataFrame:
    """Rejected records counted by source, file and reason (no record contents)."""
    if rejects is None or not len(rejects):
        return pd.DataFrame(columns=["source", "file", "reason", "count"])
    return (rejects.groupby(["source", "file", "reason"], dropna=False).size().rename("count")
            .reset_index().sort_values(["source", "count"], ascending=[True, False]))


def _e(value: Any) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _table(header: Sequence[str], rows: Iterable[Sequence[tuple[str, bool]]]) -> str:
    """An HTML table; each cell is (text, is_number)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td class='n'>{_e(t)}</td>" if num else f"<td>{_e(t)}</td>" for t, num in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(
    event: Any,
    figures: pd.DataFrame,
    table: pd.DataFrame | None,
    map_png: bytes | None,
    lang: str = "es",
    rejects: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    gaps: pd.DataFrame | None = None,
    inputs: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    generated: datetime | None = None,
    unit_level: str = "mun",
    forecast: bool = False,
) -> str:
    """The report as one HTML string; a ``forecast`` report opens with the anticipatory-figures banner."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    generated = generated or datetime.now().astimezone()
    ev = event_fields(event)
    parts = [f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
             f"<title>{_e(t('report_title', event=ev['event_name']))}</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(t('report_title', event=ev['event_name']))}</h1>",
             *([f"<p id='forecast' class='forecast'><strong>{_e(t('forecast_banner'))}</strong></p>"] if forecast else []),
             f"<p class='meta'>{_e(t('event_id'))}: {_e(ev['event_id'])} · {_e(t('hazard_type'))}: {_e(i18n.term('hazard', ev['hazard_code'], lang))}"
             f" · {_e(t('dates'))}: {_e(ev['start_date'])} – {_e(ev['end_date'])}"
             + (f" · {_e(t('glide'))}: {_e(ev['glide'])}" if ev["glide"] else "") + "</p>"]
    if map_png:
        b64 = base64.b64encode(map_png).decode("ascii")
        parts.append(f"<img id='map' class='map' alt='{_e(t('map_alt'))}' src='data:image/png;base64,{b64}'>")

    tot = totals(figures) if figures is not None and len(figures) else pd.DataFrame()
    parts.append(f"<div class='cols'><div id='totals'><h2>{_e(t('totals'))}</h2><ul>")
    for metric, row in tot.iterrows():
        term, unit = TOTAL_METRICS[metric]
        value = format_number(rounded_total([row["central"]]), lang, rounded=False) if pd.notna(row["central"]) else "–"
        rng = ""
        if metric == "displaced" and pd.notna(row["low"]) and pd.notna(row["high"]):
            rng = " (" + t("range_low_high", low=format_number(rounded_total([row["low"]]), lang, rounded=False),
                           high=format_number(rounded_total([row["high"]]), lang, rounded=False)) + ")"
        parts.append(f"<li>{_e(t(term))}: <span class='total' data-metric='{metric}'>{_e(value)}</span> {_e(t('unit_' + unit))}{_e(rng)}</li>")
    parts.append(f"</ul><p class='note'>{_e(t('flow_note'))} {_e(t('rounding_note'))}</p></div>")

    top = top_units(table)
    top_title = t("top_units") if unit_level == "mun" else t("top_units_generic")
    parts.append(f"<div id='top'><h2>{_e(top_title)}</h2>")
    parts.append(_table([t("code"), t("name"), t("term_displaced"), t("decided_by")],
                        [[(r.get("cvegeo"), False), (r.get("name", ""), False), (format_number(r["displaced"], lang), True), (i18n.term("method", r.get("decided_by", ""), lang), False)]
                         for _, r in top.iterrows()]))
    parts.append("</div></div>")

    parts.append(f"<h2>{_e(t('method_notes'))}</h2><ul>")
    if table is not None and "decided_by" in table.columns:
        for method, n in pd.Series(table["decided_by"]).dropna().value_counts().sort_index().items():
            parts.append(f"<li>{_e(t('units_by_method', n=n, method=i18n.term('method', method, lang)))}</li>")
    if table is not None and "flag" in table.columns:
        flagged = pd.DataFrame(table)[pd.Series(table["flag"]).fillna(False).astype(bool).values]
        if len(flagged):
            labels = [str(r.get("name") or r["cvegeo"]) for _, r in flagged.sort_values("cvegeo").iterrows()]
            shown = ", ".join(labels[:MAX_LISTED]) + (", …" if len(labels) > MAX_LISTED else "")
            parts.append(f"<li>{_e(t('flagged_units', n=len(flagged), flags=shown))}</li>")
    if gaps is not None and len(gaps):
        parts.append(f"<li>{_e(t('gaps', n=len(gaps)))}</li>")
    for note in notes:
        parts.append(f"<li>{_e(note)}</li>")
    parts.append("</ul>")

    parts.append(f"<h2>{_e(t('rejects_summary'))}</h2>")
    summary = rejects_summary(rejects)
    if len(summary):
        parts.append(_table([t("source"), t("file"), t("reason"), t("count")],
                            [[(r["source"], False), (Path(str(r["file"])).name, False), (r["reason"], False), (f"{int(r['count']):,}", True)] for _, r in summary.iterrows()]))
    else:
        parts.append(f"<p>{_e(t('no_rejects'))}</p>")
    if counts is not None and len(counts):
        cols = [c for c in ("read", "used", "rejected") if c in counts.columns]
        parts.append(_table([t("source")] + [t(f"rows_{c}") for c in cols],
                            [[(r["source"], False)] + [(f"{int(r[c]):,}" if pd.notna(r[c]) else "–", True) for c in cols] for _, r in counts.iterrows()]))

    parts.append(f"<h2>{_e(t('inputs'))}</h2><ul>")
    for name, value in (inputs or {}).items():
        parts.append(f"<li>{_e(name)}: {_e(value)}</li>")
    if not inputs and figures is not None and "source" in figures:  # no event file: name the figures' sources
        sources = sorted(set(figures["source"].dropna().astype(str)))
        for s in sources[:MAX_LISTED]:
            parts.append(f"<li>{_e(t('source'))}: {_e(s)}</li>")
    parts.append("</ul>")
    parts.append(f"<p class='note' id='generated'>{_e(t('generated', date=generated.strftime('%Y-%m-%d %H:%M %Z').strip()))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(path: str | Path, html_text: str) -> Path:
    """Write the report atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(html_text, encoding="utf-8")
    return Path(path)
