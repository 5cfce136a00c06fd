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
from geodisp.outputs.styles import (
    DAMAGE_STYLE,
    SHELTER_COLOUR,
    classify,
    displaced_breaks,
    displaced_ranges,
    hazard_colours,
)
from geodisp.outputs.tables import event_fields


def _unit_figures(result: Any) -> pd.DataFrame | None:
    f = result.figures
    if f is None or result.units is None:
        return f
    return f[f["cvegeo"].isin(set(result.units["cvegeo"]))]


def result_html(result: Any, lang: str = "es") -> str:
    """A compact HTML summary: event, totals (rounded from raw), top units, rejects, files."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    e = html.escape
    ev = event_fields(result.event)
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


def _geojson_layer(folium: Any, gdf: Any, name: str, style: Any, tooltip: list[str] | None, lang: str, marker: Any = None) -> Any:
    """A folium GeoJson layer of ``gdf`` (reprojected to WGS 84) with translated tooltip aliases."""
    data = gdf.to_crs(4326)
    for col in data.columns:
        if col != data.geometry.name and not (pd.api.types.is_numeric_dtype(data[col]) or pd.api.types.is_bool_dtype(data[col])):
            data[col] = data[col].astype(object).where(data[col].notna(), None).map(lambda v: v if v is None else str(v))
    tip = folium.GeoJsonTooltip(fields=tooltip, aliases=[i18n.field_alias(c, lang) for c in tooltip]) if tooltip else None
    kwargs = {"marker": marker} if marker is not None else {}
    return folium.GeoJson(data.__geo_interface__, name=name, style_function=style, tooltip=tip, **kwargs)


def explore(result: Any, lang: str = "es", tiles: str | None = "OpenStreetMap", **map_kwargs: Any) -> Any:
    """An interactive folium map of displaced people per unit (same classes and colours
    as the QGIS style), with the hazard footprint, damage points and shelters as layers
    that can be switched on and off. Needs ``folium``; ``tiles=None`` for no basemap;
    ``map_kwargs`` go to ``folium.Map`` (e.g. ``width``, ``height``)."""
    import folium

    from geodisp.outputs import units_table
    from geodisp.outputs.geopackage import (
        damage_points_layer,
        hazard_layer,
        shelters_layer,
    )

    units = units_table(result.table, result.units)
    if units is None:
        units = result.units.assign(displaced=float("nan"))
    values = units["displaced"].tolist() if "displaced" in units else [float("nan")] * len(units)
    ranges = displaced_ranges(displaced_breaks(values), lang)
    view = units[[c for c in ("cvegeo", "name", "displaced", "decided_by") if c in units.columns] + [units.geometry.name]].copy()
    view["displaced_class"] = [ranges[i].label for i in classify(values, ranges)]
    colour = {r.label: r.colour for r in ranges}
    x0, y0, x1, y1 = units.to_crs(4326).total_bounds
    m = folium.Map(tiles=tiles, control_scale=True, **map_kwargs)
    m.fit_bounds([[y0, x0], [y1, x1]])
    _geojson_layer(folium, view, i18n.t("layer_units", lang),
                   lambda f: {"fillColor": colour[f["properties"]["displaced_class"]], "color": "#636363", "weight": 0.6, "fillOpacity": 0.8},
                   [c for c in ("cvegeo", "name", "displaced", "decided_by") if c in view.columns], lang).add_to(m)
    footprint = result.sources.footprint
    if footprint is not None:
        hz = hazard_layer(footprint.classes, footprint.vector, result.overlay.hazard if result.overlay.hazard is not None else footprint.raster)
        hz_colour = dict(zip(sorted(int(c) for c in hz["hazard_class"]), hazard_colours(len(hz))))
        _geojson_layer(folium, hz, i18n.t("layer_hazard", lang),
                       lambda f: {"color": hz_colour[int(f["properties"]["hazard_class"])], "weight": 2, "fillOpacity": 0.1},
                       [c for c in ("hazard_class", "label") if c in hz], lang).add_to(m)
    pts = result.overlay.damage_points
    if pts is not None and len(pts):
        pts = damage_points_layer(pts)
        _geojson_layer(folium, pts, i18n.t("layer_damage_points", lang),
                       lambda f: {"fillColor": DAMAGE_STYLE.get(f["properties"]["damage_level"], ("#999999", 0))[0], "color": "#333333",
                                  "weight": 0.5, "fillOpacity": 0.9, "radius": 4},
                       ["dwelling_id", "damage_level"], lang, marker=folium.CircleMarker()).add_to(m)
    sh = result.overlay.shelters
    if sh is not None and len(sh):
        layer, _ = shelters_layer(sh)
        if len(layer):
            _geojson_layer(folium, layer, i18n.t("layer_shelters", lang),
                           lambda f: {"fillColor": SHELTER_COLOUR, "color": "#ffffff", "weight": 1, "fillOpacity": 1, "radius": 7},
                           ["shelter_id", "name", "peak_occupants"], lang, marker=folium.CircleMarker()).add_to(m)
    folium.LayerControl().add_to(m)
    return m
