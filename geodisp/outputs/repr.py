"""Jupyter views of a Result: a readable HTML summary and an interactive map.

``result_html`` is what ``Result._repr_html_`` returns; ``explore`` draws the units
choropleth (same classes and colours as the QGIS style) with the hazard footprint,
damage points and shelters on a folium map. Both take the Result and only read it.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import html
from pathlib import Path
from typing import Any

import pandas as pd

from geodisp.outputs import i18n
from geodisp.outputs.report import TOTAL_METRICS, top_units, totals
from geodisp.outputs.rounding import rounded_total
from geodisp.outputs.styles import DAMAGE_STYLE, SHELTER_COLOUR, classify, displaced_breaks, displaced_ranges, hazard_colours
from geodisp.outputs.tables import event_fields


def _unit_figures(result: Any) -> pd.DataFrame | None:
    f = result.figures
    if f is None or result.units is None:
        return f
    return f[f["cvegeo"].isin(set(result.units["cvegeo"]))]


def _day(text: str) -> "dt.date | None":
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def result_html(result: Any, lang: "str | i18n.Language" = "es") -> str:
    """A compact HTML summary: event, totals (rounded from raw), top units, rejects, files."""
    lang = i18n.language(lang)
    t = lang.t
    e = html.escape
    ev = event_fields(result.event)
    n_units = len(result.units) if result.units is not None else 0
    out = [f"<div class='geodisp-result'><b>{e(t('report_title', event=ev['event_name']))}</b> "
           f"<span style='color:#666'>({e(ev['event_id'])}, {e(lang.term('hazard', ev['hazard_code']))}, "
           f"{e(lang.date_range(_day(ev['start_date']), _day(ev['end_date'])))}; {e(t('repr_units', n=n_units))})</span><ul>"]
    figures = _unit_figures(result)
    if figures is not None and len(figures):
        for metric, row in totals(figures, getattr(result.estimates, "totals", None)).iterrows():
            term, unit = TOTAL_METRICS[metric]
            value = lang.number(rounded_total([row["central"]]), rounded=False)
            out.append(f"<li>{e(t(term))}: <b>{e(value)}</b> {e(t('unit_' + unit))}</li>")
    out.append("</ul>")
    from geodisp.outputs import units_table

    top = top_units(units_table(result.table, result.units), n=5)
    if len(top):
        rows = "".join(f"<tr><td>{e(str(r['cvegeo']))}</td><td>{e(str(r.get('name', '')))}</td>"
                       f"<td style='text-align:right'>{e(lang.number(r['displaced']))}</td></tr>" for _, r in top.iterrows())
        out.append(f"<table><tr><th>{e(t('code'))}</th><th>{e(t('name'))}</th><th>{e(t('term_displaced'))}</th></tr>{rows}</table>")
    n_rejects = len(result.rejects) if result.rejects is not None else 0
    out.append(f"<p>{e(t('rejects_summary'))}: {n_rejects:,}</p>")
    if result.paths:
        items = "".join(f"<li>{e(str(k))}: <code>{e(str(v))}</code></li>" for k, v in result.paths.items())
        out.append(f"<details><summary>{e(t('repr_paths'))} ({len(result.paths)})</summary><ul>{items}</ul></details>")
    out.append(f"<p style='color:#666;font-size:smaller'>{e(t('rounding_note'))}</p></div>")
    return "".join(out)


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS as ``data:`` URLs, from the ``xstatic-leaflet`` package (the
    same Leaflet 1.9.3 folium asks a CDN for), the CSS with its control images inlined: the
    map needs no network."""
    import xstatic.pkg.leaflet as xleaflet

    return _leaflet_assets(xleaflet.BASE_DIR)


@functools.lru_cache(maxsize=1)
def _leaflet_assets(base_dir: str) -> tuple[str, str]:
    base = Path(base_dir)
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    for image in sorted((base / "images").glob("*.png")):
        uri = "data:image/png;base64," + base64.b64encode(image.read_bytes()).decode("ascii")
        css = css.replace(f"images/{image.name}", uri)
    js = "data:text/javascript;base64," + base64.b64encode((base / "leaflet.js").read_bytes()).decode("ascii")
    return js, "data:text/css;base64," + base64.b64encode(css.encode("utf-8")).decode("ascii")


def _offline(m: Any) -> Any:
    """Make a folium map self-contained: Leaflet inlined; jQuery, Bootstrap and the marker fonts
    (used by no layer drawn here) dropped, so nothing is fetched but the optional basemap tiles."""
    js, css = leaflet_assets()
    m.default_js = [("leaflet", js)]
    m.default_css = [("leaflet_css", css)]
    return m


def legend_html(lang: i18n.Language, ranges: list, hazard: list[tuple[str, str]], damage: list[str], shelters: bool, modelled: bool) -> str:
    """The map's legend as HTML: displaced classes, hazard outlines, damage levels, shelters."""
    e = html.escape
    rows = [f"<b>{e(lang.t('legend_title'))}</b>"]
    for r in ranges:
        fill = f"background:{r.colour}"  # Leaflet fills solid, hatched classes included
        rows.append(f"<div><i style='display:inline-block;width:14px;height:10px;{fill};border:1px solid #999;margin-right:5px'></i>{e(r.label)}</div>")
    if modelled:
        rows.append("<div><i style='display:inline-block;width:14px;height:10px;border:1px dashed #333;margin-right:5px'></i>"
                    f"{e(lang.t('legend_modelled'))}</div>")
    if hazard:
        rows.append(f"<b>{e(lang.t('legend_hazard'))}</b>")
        rows += [f"<div><i style='display:inline-block;width:14px;height:0;border-top:3px solid {c};margin:0 5px 3px 0'></i>{e(label)}</div>"
                 for label, c in hazard]
    if damage:
        rows.append(f"<b>{e(lang.t('legend_damage'))}</b>")
        rows += [f"<div><i style='display:inline-block;width:9px;height:9px;border-radius:50%;background:{DAMAGE_STYLE[lv][0]};"
                 f"border:1px solid #333;margin-right:5px'></i>{e(lang.damage_label(lv))}</div>" for lv in damage]
    if shelters:
        rows.append(f"<div><i style='display:inline-block;width:10px;height:10px;border-radius:50%;background:{SHELTER_COLOUR};border:1px solid #fff;"
                    f"margin-right:5px'></i>{e(lang.t('legend_shelters'))}</div>")
    return ("<div class='geodisp-legend' style='position:absolute;bottom:24px;right:10px;z-index:1000;background:rgba(255,255,255,.92);"
            "padding:6px 9px;font:12px/1.35 Arial,sans-serif;border:1px solid #bbb;border-radius:4px;max-height:70%;overflow:auto'>"
            + "".join(rows) + "</div>")


def _geojson_layer(folium: Any, gdf: Any, name: str, style: Any, tooltip: list[str] | None, lang: str, marker: Any = None) -> Any:
    """A folium GeoJson layer of ``gdf`` (reprojected to WGS 84) with translated tooltip aliases."""
    data = gdf.to_crs(4326)
    for col in data.columns:
        if col != data.geometry.name and not (pd.api.types.is_numeric_dtype(data[col]) or pd.api.types.is_bool_dtype(data[col])):
            data[col] = data[col].astype(object).where(data[col].notna(), None).map(lambda v: v if v is None else str(v))
    tip = folium.GeoJsonTooltip(fields=tooltip, aliases=[i18n.language(lang).field_alias(c) for c in tooltip]) if tooltip else None
    kwargs = {"marker": marker} if marker is not None else {}
    return folium.GeoJson(data.__geo_interface__, name=name, style_function=style, tooltip=tip, **kwargs)


def explore(result: Any, lang: "str | i18n.Language | None" = None, tiles: str | None = "OpenStreetMap", **map_kwargs: Any) -> Any:
    """An interactive folium map of displaced people per unit (same classes and colours as the
    QGIS style) with a legend, the hazard footprint as outlines (the choropleth keeps its
    colours), damage points filled by level and shelters, as layers that can be switched on and
    off. Works offline: Leaflet is inlined from ``xstatic-leaflet``; only the basemap ``tiles``
    need a network (``tiles=None`` for none). ``lang`` defaults to the event's
    ``output.lang``; ``map_kwargs`` go to ``folium.Map`` (e.g. ``width``, ``height``)."""
    import folium

    from geodisp.outputs import units_table
    from geodisp.outputs.geopackage import damage_points_layer, hazard_layer, shelters_layer
    from geodisp.outputs.staticmap import modelled_mask

    lang = i18n.language(lang if lang is not None else getattr(getattr(result.event, "output", None), "lang", None))
    units = units_table(result.table, result.units)
    if units is None:
        units = result.units.assign(displaced=float("nan"))
    values = units["displaced"].tolist() if "displaced" in units else [float("nan")] * len(units)
    ranges = displaced_ranges(displaced_breaks(values), lang)
    view = units[[c for c in ("cvegeo", "name", "displaced", "decided_by") if c in units.columns] + [units.geometry.name]].copy()
    view["displaced_class"] = [ranges[i].label for i in classify(values, ranges)]
    view["modelled"] = modelled_mask(units) & units["displaced"].notna().to_numpy()
    if "decided_by" in view:
        view["decided_by"] = [lang.term("method", v) if isinstance(v, str) else None for v in view["decided_by"]]
    colour = {r.label: r.colour for r in ranges}
    x0, y0, x1, y1 = units.to_crs(4326).total_bounds
    m = _offline(folium.Map(tiles=tiles, control_scale=True, prefer_canvas=True, **map_kwargs))
    m.fit_bounds([[y0, x0], [y1, x1]])
    _geojson_layer(folium, view, lang.t("layer_units"),
                   lambda f: {"fillColor": colour[f["properties"]["displaced_class"]], "color": "#333333" if f["properties"]["modelled"] else "#636363",
                              "weight": 1.2 if f["properties"]["modelled"] else 0.6, "dashArray": "4 3" if f["properties"]["modelled"] else None,
                              "fillOpacity": 0.85},
                   [c for c in ("cvegeo", "name", "displaced", "decided_by") if c in view.columns], lang).add_to(m)
    hazard_items: list[tuple[str, str]] = []
    footprint = result.sources.footprint
    if footprint is not None:
        hz = hazard_layer(footprint.classes, footprint.vector, result.overlay.hazard if result.overlay.hazard is not None else footprint.raster)
        hz_colour = dict(zip(sorted(int(c) for c in hz["hazard_class"]), hazard_colours(len(hz))))
        if "label" in hz:
            hz["label"] = hz["label"].map(lambda v: i18n.pretty_label(v) if isinstance(v, str) else v)
        hazard_items = [(str(r.get("label") or lang.t("hazard_class_n", n=int(r["hazard_class"]))), hz_colour[int(r["hazard_class"])])
                        for _, r in hz.sort_values("hazard_class").iterrows()]
        _geojson_layer(folium, hz, lang.t("layer_hazard"),
                       lambda f: {"color": hz_colour[int(f["properties"]["hazard_class"])], "weight": 2.5, "fill": False, "fillOpacity": 0},
                       [c for c in ("hazard_class", "label") if c in hz], lang).add_to(m)
    damage_levels: list[str] = []
    pts = result.overlay.damage_points
    if pts is not None and len(pts):
        pts = damage_points_layer(pts)
        damage_levels = [lv for lv in DAMAGE_STYLE if (pts["damage_level"] == lv).any()]
        pts = pts.assign(damage_label=[lang.damage_label(v) for v in pts["damage_level"]])
        _geojson_layer(folium, pts, lang.t("layer_damage_points"),
                       lambda f: {"fillColor": DAMAGE_STYLE.get(f["properties"]["damage_level"], ("#999999", 0))[0], "color": "#333333",
                                  "weight": 0.6, "fill": True, "fillOpacity": 0.95,
                                  "radius": 2 + DAMAGE_STYLE.get(f["properties"]["damage_level"], ("", 1.3))[1]},
                       ["dwelling_id", "damage_label"], lang, marker=folium.CircleMarker()).add_to(m)
    has_shelters = False
    sh = result.overlay.shelters
    if sh is not None and len(sh):
        layer, _ = shelters_layer(sh)
        if len(layer):
            has_shelters = True
            _geojson_layer(folium, layer, lang.t("layer_shelters"),
                           lambda f: {"fillColor": SHELTER_COLOUR, "color": "#ffffff", "weight": 1.5, "fill": True, "fillOpacity": 1, "radius": 7},
                           ["shelter_id", "name", "peak_occupants"], lang, marker=folium.CircleMarker()).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    from branca.element import Element

    m.get_root().html.add_child(Element(legend_html(lang, ranges, hazard_items, damage_levels, has_shelters, bool(view["modelled"].any()))))
    return m
