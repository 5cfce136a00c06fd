"""Writers for the year: tables (CSV, XLSX), GeoPackage + QGIS styles and project,
national map, monthly series and the one-page annual report.

Writers only write: every number comes from ``tables.year_tables``. Files are
written into a staging folder and moved into place only when all are complete
(``geodisp.publish``), so a failed write leaves the previous year's outputs as they were.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geodisp import __version__, publish
from geodisp.io import atomic_path
from geodisp.outputs import i18n, styles
from geodisp.outputs.geopackage import write_geopackage
from geodisp.outputs.qgis_project import write_project
from geodisp.outputs.report import CSS
from geodisp.outputs.rounding import format_number, rounded_total
from geodisp.outputs.tables import write_csv, write_xlsx
from geodisp.model.vocab import MEXICO_CRS
from geodisp.year.tables import GIDD_HXL, NATIONAL, with_hxl

#: Table name -> file suffix (``mex_<year>_<suffix>.csv``).
CSV_TABLES: dict[str, str] = {
    "events": "events", "municipio_event": "municipio_event", "municipio_year": "municipios", "totals": "totals",
    "sectoral_people": "sectoral_people", "sectoral_school_ages": "sectoral_school_ages",
    "sectoral_housing": "sectoral_housing", "sectoral_facilities": "sectoral_facilities", "gaps": "gaps",
}
TOP = 5


def stem(year: int) -> str:
    return f"mex_{year}"


def units_layer(units: gpd.GeoDataFrame, municipio_year: pd.DataFrame) -> gpd.GeoDataFrame:
    """Every municipio of the boundaries with the year's values (NaN where no event touched it)."""
    g = units[["cvegeo", "name", "geometry"]].merge(municipio_year, on="cvegeo", how="left")
    g["events"] = g["events"].fillna(0).astype(int)
    return gpd.GeoDataFrame(g, crs=units.crs).to_crs(MEXICO_CRS)


def states_layer(units: gpd.GeoDataFrame, totals: pd.DataFrame) -> gpd.GeoDataFrame:
    """States dissolved from the municipios, with their whole-year totals."""
    s = units.assign(cve_ent=units["cvegeo"].str[:2]).dissolve(by="cve_ent", as_index=False)[["cve_ent", "geometry"]]
    t = totals[(totals["level"] == "state") & (totals["hazard_type"] == "all") & (totals["month"] == 0)]
    t = t.rename(columns={"key": "cve_ent", "low": "displaced_low", "central": "displaced", "high": "displaced_high",
                          "stock_central": "stock"})[["cve_ent", "name", "events", "displaced_low", "displaced", "displaced_high", "stock"]]
    g = s.merge(t, on="cve_ent", how="left")
    g["cvegeo"] = g["cve_ent"]
    return gpd.GeoDataFrame(g, crs=units.crs).to_crs(MEXICO_CRS)


def events_layer(footprints: gpd.GeoDataFrame, events: pd.DataFrame) -> gpd.GeoDataFrame:
    ok = events[events["status"] == "ok"][["event_id", "event_name", "start_date", "end_date", "flow_central", "stock_central"]]
    g = footprints.merge(ok, on="event_id", how="left").rename(columns={"flow_central": "displaced", "stock_central": "stock"})
    return gpd.GeoDataFrame(g, crs=footprints.crs).to_crs(MEXICO_CRS)


def _events_style(columns: list[str], hazards: list[str], lang: str) -> styles.LayerStyle:
    colours = styles.hazard_colours(max(1, len(hazards)))
    cats = [(h, i18n.term("hazard", h, lang), styles.fill_symbol("0", c, alpha=0.1, outline=c, width=0.9)) for h, c in zip(hazards, colours)]
    return styles.LayerStyle(styles.categorized_renderer("hazard_type", cats), styles.aliases_element(columns, lang), 2)


def write_gis(folder: Path, year: int, units: gpd.GeoDataFrame, states: gpd.GeoDataFrame,
              events: gpd.GeoDataFrame, lang: str) -> dict[str, Path]:
    """``mex_<year>.gpkg`` (municipios, events, states; styled) and ``mex_<year>.qgs``."""
    layers = {"events": events, "municipios": units, "states": states}
    cols = {n: [c for c in g.columns if c != g.geometry.name] for n, g in layers.items()}
    st = {
        "events": _events_style(cols["events"], sorted(events["hazard_type"].dropna().unique()), lang),
        "municipios": styles.units_style(cols["municipios"], styles.displaced_breaks(units["displaced"].dropna()), lang),
        # states drawn as bold outlines over the municipios, labelled with their totals
        "states": styles.LayerStyle(
            styles.single_renderer(styles.fill_symbol("0", "#ffffff", alpha=0.0, outline="#252525", width=0.9)),
            styles.aliases_element(cols["states"], lang), 2, styles.simple_labeling(styles.displaced_label_expression("name"))),
    }
    titles = {"events": i18n.t("year_layer_events", lang, year=year), "municipios": i18n.t("year_layer_municipios", lang, year=year),
              "states": i18n.t("year_layer_states", lang, year=year)}
    gpkg = write_geopackage(folder / f"{stem(year)}.gpkg", layers, st, titles)
    qgs = write_project(folder / f"{stem(year)}.qgs", gpkg, layers, st, titles, i18n.t("year_report_title", lang, year=year))
    return {"gpkg": gpkg, "qgs": qgs}


def monthly_png(path: Path, totals: pd.DataFrame, year: int, lang: str) -> Path:
    """Bar chart of the national flows per month (central, with the low-high range)."""
    # a Figure on the Agg canvas, never pyplot: the session's matplotlib backend is left alone
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    t = totals[(totals["level"] == NATIONAL) & (totals["hazard_type"] == "all") & (totals["month"] > 0)].set_index("month")
    months = list(range(1, 13))
    central = t["central"].reindex(months).fillna(0.0)
    low = t["low"].reindex(months).fillna(0.0)
    high = t["high"].reindex(months).fillna(0.0)
    fig = Figure(figsize=(8, 2.6), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar(months, central, color="#d95f0e")
    ax.errorbar(months, central, yerr=[(central - low).clip(lower=0), (high - central).clip(lower=0)], fmt="none", ecolor="#333333", capsize=3, lw=0.8)
    ax.set_xticks(months, i18n.t("month_names", lang).split(","))
    ax.set_ylabel(i18n.t("year_monthly_axis", lang))
    ax.set_title(i18n.t("year_monthly", lang) + f" ({year})", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return path


def map_png(path: Path, units: gpd.GeoDataFrame, events: gpd.GeoDataFrame, year: int, credit: str, lang: str) -> Path:
    """The national map: municipios by displacements summed over events, event outlines."""
    from geodisp.outputs.staticmap import render_map

    hz = events.reset_index(drop=True).assign(hazard_class=lambda d: range(1, len(d) + 1), label=lambda d: d["event_id"])
    line = i18n.t("source_line", lang, credit=credit, sources="geodisp year", date=dt.date.today().isoformat())
    return render_map(path, units, styles.displaced_breaks(units["displaced"].dropna()), i18n.t("year_map_title", lang, year=year),
                      line, lang, hazard=hz[["hazard_class", "label", "geometry"]])


def _e(v: Any) -> str:
    return html.escape("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))


def _n(v: Any, lang: str) -> str:
    return format_number(rounded_total([v]), lang, rounded=False) if v is not None and pd.notna(v) else "–"


def _table(header: list[str], rows: list[list[tuple[str, bool]]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td class='n'>{_e(t)}</td>" if num else f"<td>{_e(t)}</td>" for t, num in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(result: Any, map_bytes: bytes | None, monthly_bytes: bytes | None, lang: str) -> str:
    """The one-page annual report: headline, national map, monthly series, top events and states, gaps."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    year, tb = result.catalogue.year, result.tables
    totals, events, gaps = tb["totals"], tb["events"], tb["gaps"]
    nat = totals[(totals["level"] == NATIONAL) & (totals["hazard_type"] == "all") & (totals["month"] == 0)]
    row = nat.iloc[0] if len(nat) else None
    parts = [f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{_e(t('year_report_title', year=year))}</title>",
             f"<style>{CSS}</style></head><body><h1>{_e(t('year_report_title', year=year))}</h1>"]
    failed = [f.event_id for f in result.failures]
    status = t("year_incomplete", n=len(failed), events=", ".join(failed)) if failed else t("year_complete", n=len(result.catalogue.events))
    parts.append(f"<p class='meta' id='status' data-complete='{str(not failed).lower()}'>{_e(status)}</p><ul id='headline'>")
    if row is not None:
        parts.append(f"<li>{_e(t('year_headline_flows'))}: <span class='total' data-value='flows'>{_e(_n(row['central'], lang))}</span> "
                     f"({_e(t('range_low_high', low=_n(row['low'], lang), high=_n(row['high'], lang)))})</li>")
        parts.append(f"<li>{_e(t('year_headline_stock'))}: <span class='total' data-value='stock'>{_e(_n(row.get('stock_central'), lang))}</span></li>")
        parts.append(f"<li>{_e(t('year_headline_events'))}: {int(row['events'])}</li>")
    parts.append("</ul>")
    if map_bytes:
        parts.append(f"<img id='map' class='map' alt='' src='data:image/png;base64,{base64.b64encode(map_bytes).decode()}'>")
    if monthly_bytes:
        parts.append(f"<h2>{_e(t('year_monthly'))}</h2><img id='monthly' style='width:100%;max-width:820px' alt='' src='data:image/png;base64,{base64.b64encode(monthly_bytes).decode()}'>")
    ok = events[events["status"] == "ok"].sort_values("flow_central", ascending=False).head(TOP)
    ev_rows = [[(r.event_name, False), (i18n.term("hazard", r.hazard_type, lang), False), (r.start_date, False),
                (_n(r.flow_central, lang), True), (t("range_low_high", low=_n(r.flow_low, lang), high=_n(r.flow_high, lang)), False),
                (_n(r.stock_central, lang), True)] for r in ok.itertuples()]
    st = totals[(totals["level"] == "state") & (totals["hazard_type"] == "all") & (totals["month"] == 0)].sort_values("central", ascending=False).head(TOP)
    st_rows = [[(f"{r.key} {r.name}", False), (_n(r.central, lang), True),
                (t("range_low_high", low=_n(r.low, lang), high=_n(r.high, lang)), False), (_n(r.stock_central, lang), True)] for r in st.itertuples()]
    parts.append(f"<div class='cols'><div id='top-events'><h2>{_e(t('year_top_events'))}</h2>"
                 + _table([t("year_col_event"), t("year_col_hazard"), t("year_col_start"), t("year_col_flow"), t("year_col_range"), t("year_col_stock")], ev_rows)
                 + f"</div><div id='top-states'><h2>{_e(t('year_top_states'))}</h2>"
                 + _table([t("year_col_state"), t("year_col_flow"), t("year_col_range"), t("year_col_stock")], st_rows) + "</div></div>")
    parts.append(f"<h2>{_e(t('year_gaps'))}</h2><div id='gaps'>")
    if len(gaps):
        g = gaps.groupby(["gap", "event_id"], as_index=False).agg(count=("count", "sum"), states=("cve_ent", lambda s: ", ".join(sorted({x for x in s if x}))))
        parts.append(_table([t("year_col_gap"), t("year_col_event"), t("year_col_state"), t("year_col_count")],
                            [[(t(f"gap_{r.gap}"), False), (r.event_id, False), (r.states, False), (str(int(r.count)), True)] for r in g.itertuples()]))
    else:
        parts.append(f"<p>{_e(t('year_no_gaps'))}</p>")
    parts.append(f"</div><p class='note'>{_e(t('year_rules_note'))} {_e(t('flow_note'))} {_e(t('rounding_note'))}</p></body></html>")
    return "".join(parts)


def write_year(result: Any, out_dir: Path, lang: str = "es") -> dict[str, Path]:
    """Write every year output into ``out_dir``: staged, then published as the folder's ``latest`` run
    (``geodisp.publish``), with the folder's lock held."""
    i18n.check_lang(lang)
    out_dir = publish.check_out_dir(out_dir)
    with publish.lock(out_dir):
        publish.clean_stale(out_dir)
        staging = publish.staging_dir(out_dir, publish.new_run_id())
        try:
            written = _write_year_files(result, staging, lang)
            run_dir = publish.publish(staging, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return {name: run_dir / Path(path).relative_to(staging) for name, path in written.items()}


def _write_year_files(result: Any, staging: Path, lang: str) -> dict[str, Path]:
    """Every year output written into ``staging``; the paths by name."""
    year, tb = result.catalogue.year, result.tables
    s = stem(year)
    written: dict[str, Path] = {}
    gidd = with_hxl(tb["gidd"]) if result.catalogue.hxl else tb["gidd"]
    written["gidd"] = write_csv(staging / f"{s}_gidd.csv", gidd)
    for name, suffix in CSV_TABLES.items():
        written[name] = write_csv(staging / f"{s}_{suffix}.csv", tb[name])
    sheets = {"gidd": gidd, **{suffix[:31]: tb[name] for name, suffix in CSV_TABLES.items()}}
    written["xlsx"] = write_xlsx(staging / f"{s}.xlsx", sheets, frozen_rows={"gidd": 2 if result.catalogue.hxl else 1})
    credit = result.catalogue.credit or "inegi"
    credit_text = i18n.t(f"credit_{credit}", lang) if credit in ("inegi", "synthetic") else credit
    map_bytes = monthly_bytes = None
    units = result.tables.get("units_geometry")
    if units is not None and len(units):
        muni = units_layer(units, tb["municipio_year"])
        states = states_layer(units, tb["totals"])
        fps = [x.footprint for x in result.summaries if x.footprint is not None and len(x.footprint)]
        fp = gpd.GeoDataFrame(pd.concat(fps, ignore_index=True), crs=MEXICO_CRS) if fps else gpd.GeoDataFrame(
            {"event_id": [], "hazard_type": [], "outline": []}, geometry=[], crs=MEXICO_CRS)
        ev = events_layer(fp, tb["events"])
        written.update(write_gis(staging, year, muni, states, ev, lang))
        written["map"] = map_png(staging / f"{s}_map.png", muni, ev, year, credit_text, lang)
        map_bytes = written["map"].read_bytes()
    written["monthly"] = monthly_png(staging / f"{s}_monthly.png", tb["totals"], year, lang)
    monthly_bytes = written["monthly"].read_bytes()
    with atomic_path(staging / f"{s}_report.html") as tmp:
        tmp.write_text(report_html(result, map_bytes, monthly_bytes, lang), encoding="utf-8")
    written["report"] = staging / f"{s}_report.html"
    manifest = {
        "geodisp_version": __version__, "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "year": year, "complete": result.complete, "lang": lang,
        "catalogue": str(result.catalogue.source_file) if result.catalogue.source_file else None,
        "events": {e.id: {"where": e.where, "status": "ok"} for e in result.catalogue.events},
        "recomputed": result.recomputed, "reused": result.reused,
        "figures_are": "flows: displacements, not distinct people (as in IDMC's GIDD); stock: people displaced on 31 December",
        "gidd_layout": "HDX 'Internal displacements (new displacements) associated with disasters' (OCHA-DAP/hdx-scraper-idmc-gidd)",
        "gidd_hxl": list(GIDD_HXL.values()) if result.catalogue.hxl else None,
    }
    for x in result.summaries:
        manifest["events"][x.event_id]["inputs_sha256"] = x.fingerprint.get("inputs", {})
        manifest["events"][x.event_id]["fingerprint"] = x.fingerprint.get("sha256")
    for f in result.failures:
        manifest["events"][f.event_id] = {"where": f.where, "status": f"failed_{f.kind}", "problem": f.message}
    manifest["outputs"] = {n: {"file": Path(p).relative_to(staging).as_posix()} for n, p in written.items()}
    with atomic_path(staging / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    written["manifest"] = staging / "manifest.json"
    return written
