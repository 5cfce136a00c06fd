"""Jupyter views of a Result: a readable HTML summary and an interactive map.

``result_html`` is what ``Result._repr_html_`` returns; ``explore`` draws the units
choropleth (same classes and colours as the QGIS style) with the hazard footprint,
damage points and shelters on a folium map. Both take the Result and only read it.
"""
from __future__ import annotations

import html
from typing import Any

import pandas as pd

from geodisp.outputs import i18n
from geodisp.outputs.report import TOTAL_METRICS, top_units, totals
from geodisp.outputs.rounding import format_number, rounded_total
from geodisp.outputs.styles import DAMAGE_STYLE, SHELTER_COLOUR, classify, displaced_breaks, displaced_ranges, hazard_colours
from geodisp.outputs.tables import _event_fields


def _unit_figures(result: Any) -> pd.DataFrame | None:
    f = result.figures
    if f is None or result.units is None:
        return f
    return f[f["cvegeo"].isin(set(result.units["cvegeo"]))]


def result_html(result: Any, lang: str = "es") -> str:
    """A compact HTML summary: event, totals (rounded from raw), top units, rejects, files."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    e = html.escape
    ev = _event_fields(result.event)
    n_units = len(result.units) if result.units is not None else 0
    out = [f"<div class='geodisp-result'><b>{e(t('report_title', event=ev['event_name']))}</b> "
           f"<span style='color:#666'>({e(ev['event_id'])}, {e(i18n.term('hazard', ev['hazard_code'], lang))}, "
           f"{e(ev['start_date'])} – {e(ev['end_date'])}; {e(t('repr_units', n=n_units))})</span><ul>"]
    figures = _unit_figures(result)
    if figures is not None and len(figures):
        for metric, row in totals(figures).iterrows():
            term, unit = TOTAL_METRICS[metric]
            value = format_number(rounded_total([row["central"]]), lang, rounded=False)
            out.append(f"<li>{e(t(term))}: <b>{e(value)}</b> {e(t('unit_' + unit))}</li>")
    out.append("</ul>")
    from geodisp.outputs import units_table

    top = top_units(units_table(result.table, result.units), n=5)
    if len(top):
        rows = "".join(f"<tr><td>{e(str(r['cvegeo']))}</td><td>{e(str(r.get('name', '')))}</td>"
                       f"<td style='text-align:right'>{e(format_number(r['displaced'], lang))}</td></tr>" for _, r in top.iterrows())
        out.append(f"<table><tr><th>{e(t('code'))}</th><th>{e(t('name'))}</th><th>{e(t('term_displaced'))}</th></tr>{rows}</table>")
    n_rejects = len(result.rejects) if result.rejects is not None else 0
    out.append(f"<p>{e(t('rejects_summary'))}: {n_rejects:,}</p>")
    if result.paths:
        items = "".join(f"<li>{e(str(k))}: <code>{e(str(v))}</code></li>" for k, v in result.paths.items())
        out.append(f"<details><summary>{e(t('repr_paths'))} ({len(result.paths)})</summary><ul>{items}</ul></details>")
    out.append(f"<p style='color:#666;font-size:smaller'>{e(t('rounding_note'))}</p></div>")
    return "".join(out)


def explore(result: Any, lang: str = "es", **kwargs: Any) -> Any:
    """An interactive folium map of displaced people per unit, with the hazard footprint,
    damage points and shelters as extra layers. ``kwargs`` go to ``GeoDataFrame.explore``
    for the units layer. Needs ``folium``."""
    from geodisp.outputs import units_table
    from geodisp.outputs.geopackage import damage_points_layer, hazard_layer, shelters_layer

    units = units_table(result.table, result.units)
    if units is None:
        units = result.units.assign(displaced=float("nan"))
    values = units["displaced"].tolist() if "displaced" in units else [float("nan")] * len(units)
    ranges = displaced_ranges(displaced_breaks(values), lang)
    idx = classify(values, ranges)
    view = units[[c for c in ("cvegeo", "name", "displaced", "decided_by") if c in units.columns] + [units.geometry.name]].copy()
    view["class"] = [ranges[i].label for i in idx]
    legend = i18n.t("legend_title", lang)
    view = view.rename(columns={"class": legend})
    used = [r for i, r in enumerate(ranges) if i in set(idx)]
    m = view.explore(column=legend, categorical=True, categories=[r.label for r in used], cmap=[r.colour for r in used],
                     tooltip=[c for c in view.columns if c not in (view.geometry.name, legend)],
                     style_kwds={"color": "#636363", "weight": 0.6, "fillOpacity": 0.8}, name=i18n.t("layer_units", lang), **kwargs)
    footprint = (result.sources or {}).get("footprint")
    if footprint is not None:
        hz = hazard_layer(footprint.classes, footprint.vector, (result.overlay or {}).get("hazard", footprint.raster))
        colours = dict(zip(sorted(hz["hazard_class"]), hazard_colours(len(hz))))
        hz.explore(m=m, color=[colours[c] for c in hz["hazard_class"]], style_kwds={"fillOpacity": 0.1, "weight": 2},
                   name=i18n.t("layer_hazard", lang), tooltip=[c for c in ("hazard_class", "label") if c in hz])
    pts = (result.overlay or {}).get("damage_points")
    if pts is not None and len(pts):
        pts = damage_points_layer(pts)
        pts.explore(m=m, color=[DAMAGE_STYLE.get(lv, ("#999999", 0))[0] for lv in pts["damage_level"]],
                    marker_kwds={"radius": 5}, name=i18n.t("layer_damage_points", lang))
    sh = (result.overlay or {}).get("shelters")
    if sh is not None and len(sh):
        layer, _ = shelters_layer(sh)
        if len(layer):
            layer.explore(m=m, color=SHELTER_COLOUR, marker_kwds={"radius": 7}, name=i18n.t("layer_shelters", lang))
    try:
        import folium

        folium.LayerControl().add_to(m)
    except ImportError:  # pragma: no cover - explore itself needs folium
        pass
    return m
