"""Writers for what a run produces: GeoPackage + QGIS styles and project, COG rasters,
CSV/XLSX/GIDD tables, static map and HTML report.

``write_all(result, out_dir, lang)`` is the one entry point; it picks the plain frames
out of the ``Result`` and hands them to writers that know nothing of ``Result``.
Anything whose inputs are absent is skipped and the reason is logged and listed in the
report's method notes (and in ``<stem>_notes.txt``).
"""
from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import geopandas as gpd
import pandas as pd
import rasterio

from geodisp.io import atomic_path
from geodisp.outputs import (
    geopackage,
    hdx,
    i18n,
    qgis_project,
    rasters,
    report,
    staticmap,
    styles,
    tables,
    workbook,
)
from geodisp.outputs import hazard as hazard_out
from geodisp.outputs.tables import event_fields
from geodisp.zonal import percell

log = logging.getLogger(__name__)

__all__ = ["write_all", "write_gis", "write_event_rasters", "write_tables", "event_stem", "layer_styles", "units_table", "unit_figures", "write_default_styles"]


def event_stem(event: Any) -> str:
    """A file-name stem from the event id: lower case, only ``[a-z0-9_-]``."""
    ev = getattr(event, "event", event)
    raw = str(getattr(ev, "id", "") or getattr(ev, "name", "") or "event")
    return re.sub(r"[^a-z0-9_-]+", "_", raw.lower()).strip("_") or "event"


def layer_styles(layers: dict[str, gpd.GeoDataFrame], classes: pd.DataFrame | None, lang: "str | i18n.Language" = "es") -> dict[str, styles.LayerStyle]:
    """The default style of each layer present, built for its actual columns."""
    lang = i18n.language(lang)
    out: dict[str, styles.LayerStyle] = {}
    cols = {n: [c for c in g.columns if c != g.geometry.name] for n, g in layers.items()}
    if "units" in layers:
        out["units"] = styles.units_style(cols["units"], styles.displaced_breaks(layers["units"]["displaced"] if "displaced" in layers["units"] else []), lang)
    if "damage_points" in layers:
        out["damage_points"] = styles.damage_points_style(cols["damage_points"], lang, len(layers["damage_points"]))
    if "hazard" in layers:
        cls = classes if classes is not None else pd.DataFrame({"hazard_class": sorted(layers["hazard"]["hazard_class"].unique())})
        out["hazard"] = styles.hazard_style(cols["hazard"], cls, lang)
    if "shelters" in layers:
        out["shelters"] = styles.shelters_style(cols["shelters"], lang)
    if "states" in layers:  # the same choropleth of displaced people, on the state totals
        out["states"] = styles.units_style(cols["states"], styles.displaced_breaks(layers["states"]["displaced"] if "displaced" in layers["states"] else []), lang)
    return out


def write_qml(path: Path, style: styles.LayerStyle) -> Path:
    """Write one .qml file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(style.qml(), encoding="utf-8")
    return path


def write_default_styles(folder: str | Path, lang: "str | i18n.Language" = "es") -> dict[str, Path]:
    """Write the shipped default styles (``layers/styles/*.qml``)."""
    return {f"style_{n}": write_qml(Path(folder) / f"{n}.qml", s) for n, s in styles.default_styles(lang).items()}


def source_roles(result: Any, lang: i18n.Language) -> list[str]:
    """The kinds of input the figures rest on, named in ``lang`` (``censo de viviendas dañadas``,
    ``albergues de Protección Civil``...): the source line says what, never a file name."""
    roles = [role.split("[", 1)[0] for role in _inputs(result)]
    if not roles and result.figures is not None and "metric" in result.figures:
        metrics = set(result.figures["metric"])
        roles = [r for r, m in (("damage", "dwellings_destroyed"), ("hazard", "exposed"), ("records.evacuations", "evacuated"),
                                ("records.shelters", "sheltered_peak")) if m in metrics]
    return [lang.term("role", r) for r in dict.fromkeys(r for r in roles if r != "boundaries")]


def source_line(result: Any, lang: "str | i18n.Language", when: datetime) -> str:
    """The map's and layout's source line: the data credit (INEGI by default), the kinds of input, the date."""
    lang = i18n.language(lang)
    sources = ", ".join(source_roles(result, lang)) or "geodisp"
    return lang.t("source_line", credit=_credit(result, lang), sources=sources, date=lang.date(when.date()))


def _credit(result: Any, lang: i18n.Language) -> str:
    """Who the base data come from: the event's ``output.credit`` (``inegi``, the default;
    ``synthetic``; or any text, used as it is)."""
    output = getattr(result.event, "output", None)
    credit = getattr(output, "credit", None) or "inegi"
    return lang.t(f"credit_{credit}") if credit in ("inegi", "synthetic") else str(credit)


def unit_figures(result: Any) -> pd.DataFrame | None:
    """The figures of the result's own units: rollups (national ``MEX``) and people
    outside every unit (``outside``) are left out of totals and the GIDD table."""
    if result.figures is None or result.units is None:
        return result.figures
    return result.figures[result.figures["cvegeo"].isin(set(result.units["cvegeo"]))]


def ramp_top(path: str | Path, band: int = 1) -> float:
    """The 98th percentile of a raster band's positive cells: the top the writer stored in
    the displaced raster's tag, else read decimated from an overview (bounded memory)."""
    return rasters.colour_ramp_top(path, band)


def raster_layers(paths: dict[str, Path], lang: "str | i18n.Language" = "es", forecast: bool = False) -> dict[str, qgis_project.RasterLayer]:
    """Styles and project entries for the rasters written: the displaced raster (one band) and the
    exposed raster (its highest hazard class band), colour ramps topped at the 98th percentile;
    a ``forecast`` run's layer names say so."""
    lang = i18n.language(lang)
    suffix = "_forecast" if forecast else ""
    out = {}
    if paths.get("displaced_raster") is not None:
        path = Path(paths["displaced_raster"])
        out["displaced_raster"] = qgis_project.RasterLayer(path, lang.t(f"layer_displaced_raster{suffix}"), ramp_top(path))
    if paths.get("exposed_raster") is not None:
        path = Path(paths["exposed_raster"])
        with rasterio.open(path) as src:
            band = src.count
        out["exposed_raster"] = qgis_project.RasterLayer(path, lang.t(f"layer_exposed_raster{suffix}"), ramp_top(path, band), band)
    return out


def write_raster_styles(rasters_: dict[str, qgis_project.RasterLayer]) -> dict[str, Path]:
    """A .qml sidecar beside each raster (same base name), so QGIS opens it styled on its own too."""
    out = {}
    for name, layer in rasters_.items():
        target = layer.path.with_suffix(".qml")
        with atomic_path(target) as tmp:
            tmp.write_text(layer.style.qml(), encoding="utf-8")
        out[f"style_{name}"] = target
    return out


def write_gis(result: Any, out_dir: str | Path, lang: "str | i18n.Language" = "es", raster_paths: dict[str, Path] | None = None,
              when: datetime | None = None) -> tuple[dict[str, Path], dict[str, gpd.GeoDataFrame], list[i18n.Note]]:
    """The GeoPackage, its .qml styles, the rasters' .qml sidecars and the QGIS project (with the
    rasters in ``raster_paths``, if any, switched off under the vector layers, and an A4 print
    layout); returns paths, the layers written and notes on layers left out."""
    lang = i18n.language(lang)
    when = when or datetime.now().astimezone()
    out_dir = Path(out_dir)
    stem = event_stem(result.event)
    src, ov = result.sources, result.overlay
    footprint = src.footprint
    layers, notes = geopackage.build_layers(
        units_table(result.table, result.units), result.figures, footprint, ov.hazard,
        ov.damage_points if ov.damage_points is not None else src.damage,
        ov.shelters if ov.shelters is not None else src.shelters, lang,
        units=result.units, totals=_totals(result),
    )
    paths: dict[str, Path] = {}
    if not layers:
        return paths, layers, notes + [i18n.note("no_layers")]
    sty = layer_styles(layers, footprint.classes if footprint is not None else None, lang)
    forecast = {"units", "hazard"} if _forecast(result) else set()  # anticipatory layers say so in their titles
    titles = {n: lang.t(f"layer_{n}_forecast" if n in forecast else f"layer_{n}") for n in layers}
    paths["geopackage"] = geopackage.write_geopackage(out_dir / f"{stem}.gpkg", layers, sty, titles)
    for n, style in sty.items():
        paths[f"style_{n}"] = write_qml(out_dir / "styles" / f"{n}.qml", style)
    rasters_ = raster_layers(raster_paths or {}, lang, _forecast(result))
    paths.update(write_raster_styles(rasters_))
    title = event_fields(result.event)["event_name"] or stem
    layout = qgis_project.PrintLayout(lang.t("layout_name"), map_title(result, lang), source_line(result, lang, when), lang.t("legend_title_layout"))
    paths["project"] = qgis_project.write_project(out_dir / f"{stem}.qgs", paths["geopackage"], layers, sty, titles, title,
                                                  {k: v for k, v in rasters_.items() if k == "displaced_raster"}, layout)
    return paths, layers, notes


def map_title(result: Any, lang: i18n.Language) -> str:
    """``Personas desplazadas por municipio: <event>`` (``por unidad`` below or above municipios; a forecast says so)."""
    key = "map_title_forecast" if _forecast(result) else "map_title" if _unit_level(result) == "mun" else "map_title_generic"
    return lang.t(key, event=event_fields(result.event)["event_name"])


def event_cells(result: Any) -> percell.PerCell | None:
    """The overlay's per-cell arrays (``Overlay.cells``), or, for a result assembled by
    hand without them, built here (lazily) from its zones, population, class raster
    and crosstab."""
    ov, src = result.overlay, result.sources
    if ov.cells is not None:
        return ov.cells
    people = ov.exposed.groupby("cvegeo")["people"].sum() if ov.exposed is not None else pd.Series(dtype=float)
    classes = sorted(int(c) for c in src.footprint.classes["hazard_class"]) if src.footprint is not None else None
    return percell.per_cell(src.population, ov.zones.codes, ov.zones.keys, result.units, people, ov.hazard, classes)


def write_event_rasters(result: Any, out_dir: str | Path, blocksize: int = 512,
                        lang: "str | i18n.Language" = "es") -> tuple[dict[str, Path], list[i18n.Note]]:
    """The displaced and exposed COGs, where the population grid and zones exist (a forecast's
    marked as such in ``lang``)."""
    if result.overlay.cells is None and (result.overlay.zones is None or result.sources.population is None):
        return {}, [i18n.note("no_grid")]
    table = units_table(result.table, result.units)
    displaced = dict(zip(table["cvegeo"], table["displaced"])) if table is not None and "displaced" in table.columns else None
    paths, notes = rasters.write_rasters(out_dir, event_stem(result.event), event_cells(result), displaced, blocksize,
                                         forecast=_forecast(result), lang=lang)
    footprint = result.sources.footprint
    if footprint is not None and footprint.intensity is not None:  # a modelled or sampled hazard: its intensity too
        written = hazard_out.write_intensity_cog(
            Path(out_dir) / f"{event_stem(result.event)}_{hazard_out.intensity_name(footprint)}.tif", footprint.intensity,
            None, hazard_out.intensity_name(footprint), footprint.units, blocksize)
        if written is not None:
            paths["hazard_raster"] = written
    return paths, notes


def write_tables(result: Any, out_dir: str | Path, when: datetime | None = None, lang: "str | i18n.Language" = "es") -> tuple[dict[str, Path], list[i18n.Note]]:
    """Figures CSV and XLSX and the GIDD CSV (with HXL row).

    CSVs people open in Excel (es-MX) carry a UTF-8 byte-order mark so accents read right;
    ``<stem>_gidd_hdx.csv`` is the same GIDD table without it, for machines and HDX. The XLSX
    has headers in ``lang`` (codes in the header comments), frozen, with autofilters and
    number formats; no sheet holds a local folder path.
    """
    if result.figures is None or not len(result.figures):
        return {}, [i18n.note("no_figures")]
    lang = i18n.language(lang)
    out_dir, stem = Path(out_dir), event_stem(result.event)
    when = when or datetime.now().astimezone()
    names = dict(zip(result.units["cvegeo"], result.units["name"])) if result.units is not None and "name" in result.units else {}
    totals = _totals(result)
    event_name = event_fields(result.event)["event_name"]
    fig_table = tables.in_words(tables.figures_table(result.figures, names, totals, event_name, lang), lang)
    if _forecast(result) and "forecast" not in fig_table.columns:
        fig_table["forecast"] = True  # every row of a forecast run, totals included, is anticipatory
    paths = {"figures_csv": tables.write_csv(out_dir / f"{stem}_figures.csv", fig_table, encoding="utf-8-sig")}
    notes: list[i18n.Note] = []
    gidd = None
    if _forecast(result):  # anticipatory figures never go into an observed-displacement table
        notes.append(i18n.note("forecast_no_gidd"))
    else:
        gidd_plain = tables.in_words(hdx.by_unit(tables.gidd_table(unit_figures(result), result.event, names, when.date(),
                                                                   totals)), lang)
        gidd = tables.with_hxl_row(gidd_plain, hdx.hashtags(gidd_plain, tables.GIDD_HXL))
        paths["gidd_csv"] = tables.write_csv(out_dir / f"{stem}_gidd.csv", gidd, encoding="utf-8-sig")
        paths["gidd_hdx_csv"] = tables.write_csv(out_dir / f"{stem}_gidd_hdx.csv", gidd)
    sheets = {"figures": fig_table}
    table = units_table(result.table, result.units)
    if table is not None:
        sheets["units"] = tables.in_words(pd.DataFrame(table).drop(columns=[table.geometry.name]), lang)
        if _forecast(result):
            sheets["units"]["forecast"] = True  # as in the figures sheet: every unit's figure is anticipatory
    if gidd is not None:
        sheets["gidd"] = gidd
    if result.gaps is not None and len(result.gaps):
        sheets["gaps"] = result.gaps
    if result.rejects is not None:
        sheets["rejects"] = readable_rejects(result.rejects, lang)
    header_rows = {"gidd": 2} if gidd is not None else {}
    paths["figures_xlsx"] = tables.write_xlsx(out_dir / f"{stem}_figures.xlsx", sheets, frozen_rows=header_rows,
                                              full_tables={"rejects": "rejects.csv"}, lang=i18n.language(lang).code)
    # a forecast's figures and units sheets open with the forecast banner above the table
    banners = {n: lang.t("forecast_banner") for n in ("figures", "units") if n in sheets} if _forecast(result) else {}
    workbook.format_workbook(paths["figures_xlsx"], sheets, lang, header_rows=header_rows, banners=banners)
    return paths, notes


def write_rejects(rejects: pd.DataFrame, path: Path, lang: "str | i18n.Language | None" = None) -> Path:
    """The rejects table as UTF-8 CSV with a byte-order mark (for Excel), atomically; with ``lang``
    the ``reason`` is rendered in it beside ``reason_code`` and files are named without folders."""
    table = readable_rejects(rejects, lang) if lang is not None else rejects
    # opened in Excel (es-MX): BOM; formulas neutralised like every table geodisp writes
    return tables.write_csv(path, table, encoding="utf-8-sig")


def readable_rejects(rejects: pd.DataFrame, lang: "str | i18n.Language" = "es") -> pd.DataFrame:
    """Rejects as a person reads them: the reason rendered in ``lang`` beside its code, the record
    named in ``lang`` (``row 6001`` → ``fila 6001``), the file by its name only (never the analyst's folders)."""
    from geodisp.sources.messages import record_name

    lang = i18n.language(lang)
    out = pd.DataFrame(rejects).copy()
    if "file" in out.columns:
        out["file"] = out["file"].map(lambda v: Path(str(v)).name if isinstance(v, str) and v else v)
    if "record" in out.columns:
        out["record"] = out["record"].map(lambda v: record_name(v, lang.code) if isinstance(v, str) else v)
    if "reason_code" not in out.columns and "reason" in out.columns:
        out["reason_code"] = out["reason"]
    out["reason"] = report.reject_reasons(rejects, lang).to_numpy()
    return out


#: The steps of ``write_all``, in order, as reported to its ``progress`` callback.
WRITE_STEPS: tuple[str, ...] = ("rasters", "gis", "tables", "map", "report")


def write_all(result: Any, out_dir: str | Path, lang: "str | i18n.Language" = "es", raster_blocksize: int = 512,
              progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Write every output of ``result`` into ``out_dir``; return the paths by name.

    Names: ``geopackage``, ``project``, ``style_<layer>``, ``displaced_raster``,
    ``exposed_raster``, ``hazard_raster`` (a modelled footprint's intensity), ``figures_csv``, ``figures_xlsx``, ``gidd_csv``, ``map``,
    ``report``, ``notes``. Each file is written atomically; what is left out for
    want of inputs is named in ``notes`` and in the report. ``lang`` is validated once
    here and the ``Language`` handed to every writer; ``progress`` is called with each
    of ``WRITE_STEPS`` as it starts.
    """
    lang = i18n.language(lang)
    step = progress or (lambda name: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = event_stem(result.event)
    when = datetime.now().astimezone()

    step("rasters")
    raster_paths, notes = write_event_rasters(result, out_dir, raster_blocksize, lang)
    step("gis")
    paths, layers, gis_notes = write_gis(result, out_dir, lang, raster_paths, when)
    paths.update(raster_paths)
    step("tables")
    table_paths, table_notes = write_tables(result, out_dir, when, lang)
    paths.update(table_paths)
    notes = gis_notes + notes + table_notes

    step("map")
    map_png = None
    units_layer = layers.get("units")
    if units_layer is not None:
        paths["map"] = staticmap.render_map(
            out_dir / f"{stem}_map.png", units_layer, styles.displaced_breaks(units_layer["displaced"]) if "displaced" in units_layer else [],
            map_title(result, lang), source_line(result, lang, when), lang,
            layers.get("hazard"), layers.get("damage_points"), layers.get("shelters"))
        map_png = paths["map"].read_bytes()
    else:
        notes.append(i18n.note("no_map"))

    step("report")
    # readers' notes (repairs, dropped personal columns...) come first, rendered from their codes, then the
    # estimate stage's (hazard classes given rates by rank...), then the writers'
    estimate_notes = list(getattr(result.estimates, "notes", None) or ())
    notes_text = ([lang.message(n) for n in (getattr(result, "notes", None) or [])]
                  + [lang.note(n) for n in estimate_notes + notes])
    for text in notes_text:
        log.info(text)
    figures = unit_figures(result)
    html_text = report.render_html(
        result.event, figures if figures is not None else pd.DataFrame(columns=["cvegeo", "metric", "low", "central", "high", "source"]),
        units_table(result.table, result.units), map_png, lang, result.rejects, result.counts, result.gaps,
        source_roles(result, lang), notes_text, when, _unit_level(result),
        result.sources.footprint.classes if result.sources.footprint is not None else None,
        {"notes": f"{stem}_notes.txt", "figures": f"{stem}_figures.xlsx", "rejects": "rejects.csv"},
        forecast=_forecast(result), event_totals=_totals(result))
    paths["report"] = report.write_report(out_dir / f"{stem}_report.html", html_text)
    with atomic_path(out_dir / f"{stem}_notes.txt") as tmp:
        tmp.write_text("".join(f"{n}\n" for n in notes_text), encoding="utf-8")
    paths["notes"] = out_dir / f"{stem}_notes.txt"
    return paths


def _totals(result: Any) -> pd.DataFrame | None:
    """The estimate stage's total rows (state, national, event...), None when absent."""
    totals = getattr(result.estimates, "totals", None)
    return totals if totals is not None and len(totals) else None


def units_table(table: pd.DataFrame | None, units: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """The per-unit table with ``name`` and geometry: joined to ``units`` on ``cvegeo``
    when it has none (``estimate_all`` returns it without), every unit kept."""
    if table is None:
        return None
    if isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table.columns:
        return table
    if units is None:
        raise ValueError("the per-unit table has no geometry and the result has no units to join it to")
    base = units[[c for c in ("cvegeo", "name") if c in units.columns] + [units.geometry.name]]
    merged = base.merge(pd.DataFrame(table).drop(columns=["name"], errors="ignore"), on="cvegeo", how="left")
    return gpd.GeoDataFrame(merged, geometry=units.geometry.name, crs=units.crs)


def _inputs(result: Any) -> dict[str, str]:
    """Input file names by role, for the report and the map's source line: from the
    event file, else from the run manifest (``{"path": ...}`` entries or plain paths).
    Names only, so the report does not expose the analyst's folders."""
    paths = getattr(result.event, "input_paths", None)
    found = paths() if callable(paths) else ((result.manifest or {}).get("inputs") or {})
    out = {}
    for role, value in found.items():
        value = value.get("path") if isinstance(value, dict) else value
        if value:
            out[str(role)] = Path(str(value)).name
    return out


def _forecast(result: Any) -> bool:
    """True when the result's hazard is a forecast (every figure anticipatory)."""
    footprint = getattr(getattr(result, "sources", None), "footprint", None)
    return bool(getattr(footprint, "forecast", False))


def _unit_level(result: Any) -> str:
    units = result.units
    if units is not None and "level" in units.columns and len(units):
        return str(units["level"].iloc[0])
    return "mun"
