"""The event GeoPackage: units, states, damage_points, hazard and shelters layers, each
with its default QGIS style in the ``layer_styles`` table (the table QGIS reads on open).

Layers are built from plain frames by the ``*_layer`` functions (data in, data out);
``write_geopackage`` writes them in one atomic step. Layers whose inputs are absent
are not written; ``build_layers`` says which and why.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geodisp.io import atomic_path
from geodisp.estimators.figures import DISPLACED_LEDGER, displaced_ledger, wide
from geodisp.model.vocab import LEVEL_KEY_LENGTH, MEXICO_CRS
from geodisp.outputs import i18n
from geodisp.outputs.hazard import class_polygons
from geodisp.outputs.styles import LayerStyle
from geodisp.outputs.tables import STATE_NAMES

#: GeoPackage version written: 1.4 draws a warning from GDAL 3.6 (QGIS 3.22 on Debian
#: 12), 1.3 does not.
GPKG_VERSION = "1.3"
#: Layer order, top of the QGIS layer tree first.
LAYER_ORDER: tuple[str, ...] = ("shelters", "damage_points", "hazard", "units", "states")

#: Columns a damage point may carry out of the run: a whitelist, so no personal field
#: (name, CURP, phone, address...) can reach an output whatever the input held.
DAMAGE_POINT_COLUMNS = ["dwelling_id", "damage_level", "cvegeo", "hazard_class", "record"]
#: Unit columns that are text, not figures.
UNIT_TEXT_COLUMNS = ["cvegeo", "name", "term", "category", "role", "reported_unit", "quantifier", "start_date",
                     "start_date_accuracy", "end_date", "end_date_accuracy", "method", "source", "calculation",
                     "decided_by", "decided_source", "evidence", "flag_reason"]
#: Unit columns that are yes/no.
UNIT_BOOL_COLUMNS = ["modelled", "flag"]


#: Unit columns holding messages (codes with parameters), rendered in the run's language.
UNIT_MESSAGE_COLUMNS = ["flag_reason", "method"]


def units_layer(table: gpd.GeoDataFrame, figures: pd.DataFrame | None = None, lang: "str | i18n.Language" = "es") -> gpd.GeoDataFrame:
    """Per-unit figures with geometry: ``cvegeo``, ``name``, every numeric figure column
    of ``table`` (raw, unrounded; ``model_ratio`` beside them), the ledger columns of the
    ``displaced`` figure (``term`` ... ``calculation``, ``modelled``), ``decided_by``,
    ``flag``. ``method``/``source`` come from ``figures`` when ``table`` lacks them.
    """
    out = table.copy()
    if "displaced" not in out.columns:  # the layer's style and the map read it: NULL = no data
        out["displaced"] = np.nan
    if figures is not None and len(figures) and "displaced" in set(figures["metric"]):
        ledger = [c for c in DISPLACED_LEDGER if c in figures.columns and c not in out.columns]
        if ledger:
            disp = figures.loc[figures["metric"] == "displaced", ["cvegeo"] + ledger].drop_duplicates("cvegeo")
            out = out.merge(disp, on="cvegeo", how="left")
    geom = out.geometry.name
    dates = [c for c in out.columns if pd.api.types.is_datetime64_any_dtype(out[c])]
    flags = [c for c in UNIT_BOOL_COLUMNS if c in out.columns]
    numeric = sorted(
        (c for c in out.columns if c not in UNIT_TEXT_COLUMNS + flags + [geom] and pd.api.types.is_numeric_dtype(out[c])),
        key=_figure_order,
    )
    text = [c for c in UNIT_TEXT_COLUMNS if c in out.columns]
    out = out[text[:2] + numeric + dates + text[2:] + flags + [geom]]
    for c in numeric:
        out[c] = out[c].astype("float64")
    for c in dates:
        out[c] = out[c].dt.strftime("%Y-%m-%d").where(out[c].notna(), None)
    for c in text:
        out[c] = out[c].map(_text_or_none)
    language = i18n.language(lang)
    for c in UNIT_MESSAGE_COLUMNS:
        if c in out.columns:
            out[c] = out[c].map(lambda v: None if v is None else language.message(v))
    for c in ("calculation", "source"):  # cells of several messages (file names pass through as written)
        if c in out.columns:
            out[c] = out[c].map(lambda v: None if v is None else language.messages(v))
    for c in flags:
        out[c] = out[c].fillna(False).astype(bool)
    return _in_mexico_crs(gpd.GeoDataFrame(out, geometry=table.geometry.name, crs=table.crs))


#: Leading words of figure columns, in the order they appear in the layer and tables.
FIGURE_ORDER: tuple[str, ...] = ("displaced", "evacuated", "sheltered", "households", "dwellings", "exposed")


def _figure_order(column: str) -> tuple[int, str, int]:
    """Sort key: displaced first, then records, housing, exposure; low/high right after their central."""
    rank = next((i for i, w in enumerate(FIGURE_ORDER) if column.startswith(w)), len(FIGURE_ORDER))
    for end, suffix in ((1, "_low"), (2, "_high")):
        if column.endswith(suffix):
            return rank, column[: -len(suffix)], end
    return rank, column, 0


def states_layer(units: gpd.GeoDataFrame, totals: pd.DataFrame, lang: "str | i18n.Language" = "es") -> gpd.GeoDataFrame:
    """One polygon per state (entidad) of the units, with its totals: every metric's
    central / low / high (raw; ``displaced`` observed + modelled, ``displaced_observed``
    observed only) and the ledger columns of its ``displaced`` total.

    The geometry is the union of the state's units (the study area's part of the
    state), so the figures sit where they were counted.
    """
    state_rows = totals[totals["level"] == "ent"]
    keys = units["cvegeo"].astype(str).str[: LEVEL_KEY_LENGTH["ent"]]
    shapes = gpd.GeoDataFrame({"cvegeo": keys.to_numpy()}, geometry=list(units.geometry.values), crs=units.crs)
    shapes = shapes.dissolve(by="cvegeo", as_index=False)
    table = wide(state_rows).merge(displaced_ledger(state_rows), on="cvegeo", how="left")
    out = shapes.merge(table, on="cvegeo", how="left")
    out.insert(1, "name", [STATE_NAMES.get(k) for k in out["cvegeo"]])
    return units_layer(gpd.GeoDataFrame(out, geometry=shapes.geometry.name, crs=units.crs), lang=lang)


def damage_points_layer(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Damage points keeping only whitelisted columns (no personal data)."""
    keep = [c for c in DAMAGE_POINT_COLUMNS if c in points.columns]
    out = gpd.GeoDataFrame(points[keep].copy(), geometry=points.geometry.values, crs=points.crs)
    if "hazard_class" in out.columns:  # 0 = outside every class
        out["hazard_class"] = pd.to_numeric(out["hazard_class"], errors="coerce").fillna(0).astype("int32")
    return _in_mexico_crs(out)


def _text_or_none(value: Any) -> str | None:
    """Text for a GeoPackage string field; None for missing values (None, NaN, NA)."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    return str(value)


def hazard_layer(classes: pd.DataFrame, vector: gpd.GeoDataFrame | None = None, raster: Any = None,
                 window: tuple[int, int, int, int] | None = None) -> gpd.GeoDataFrame:
    """One (multi)polygon per hazard class with its ``label``, ``lower``, ``upper``.

    From the footprint polygons when there are any, else by polygonising the class
    raster chunk by chunk inside ``window`` (class 0, outside, is left out).
    """
    if vector is not None:
        polys = vector[["hazard_class", vector.geometry.name]].copy()
    elif raster is not None:
        polys = class_polygons(raster, window)
    else:
        raise ValueError("hazard_layer needs the footprint polygons or the class raster")
    polys = polys.dissolve(by="hazard_class", as_index=False)
    cols = [c for c in ("hazard_class", "label", "lower", "upper") if c in classes.columns]
    out = polys.merge(classes[cols], on="hazard_class", how="left")
    out["hazard_class"] = out["hazard_class"].astype("int32")
    out = out[cols + [out.geometry.name]].sort_values("hazard_class").reset_index(drop=True)
    return _in_mexico_crs(gpd.GeoDataFrame(out, geometry=polys.geometry.name, crs=polys.crs))


#: Columns of the shelters layer, in order (geometry apart).
SHELTER_COLUMNS = ["shelter_id", "name", "cvegeo", "capacity", "peak_occupants", "over_capacity", "over_capacity_dates",
                   "last_date", "occupants_last_date"]


def shelters_layer(shelters: pd.DataFrame) -> tuple[gpd.GeoDataFrame, list[i18n.Note]]:
    """One point per shelter: ``shelter_id``, ``name``, ``cvegeo``, ``capacity`` (the largest
    reported; NULL when none), ``peak_occupants``, ``over_capacity`` (some report above the
    capacity, as the reader flags it), ``over_capacity_dates`` (those reports' dates,
    ``YYYY-MM-DD`` joined by ``, ``; NULL when none), ``last_date``, ``occupants_last_date``.
    Shelters without coordinates are left out and named in the returned notes (their people
    still count in the unit figures).
    """
    rows, notes = [], []
    for sid, grp in shelters.groupby("shelter_id", sort=True):
        located = grp.dropna(subset=["x", "y"])
        if located.empty:
            notes.append(i18n.note("shelter_no_coordinates", id=str(sid)))
            continue
        grp = grp.sort_values("date")
        last = grp["date"].max()
        capacity = pd.to_numeric(grp["capacity"], errors="coerce").max() if "capacity" in grp else np.nan
        over = grp["over_capacity"].fillna(False).astype(bool) if "over_capacity" in grp else pd.Series(False, index=grp.index)
        over_dates = [pd.Timestamp(d).date().isoformat() for d in grp.loc[over, "date"].dropna().unique()]
        rows.append({
            "shelter_id": str(sid),
            "name": grp["name"].iloc[0] if "name" in grp else None,
            "cvegeo": grp["cvegeo"].iloc[0] if "cvegeo" in grp else None,
            "capacity": float(capacity),
            "peak_occupants": float(grp["occupants"].max()),
            "over_capacity": bool(over.any()),
            "over_capacity_dates": ", ".join(over_dates) or None,
            "last_date": pd.Timestamp(last).date().isoformat() if pd.notna(last) else None,
            "occupants_last_date": float(grp.loc[grp["date"] == last, "occupants"].sum()),
            "x": float(located["x"].iloc[0]),
            "y": float(located["y"].iloc[0]),
        })
    frame = pd.DataFrame(rows, columns=SHELTER_COLUMNS + ["x", "y"])
    frame["over_capacity"] = frame["over_capacity"].astype(bool)
    gdf = gpd.GeoDataFrame(frame.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=MEXICO_CRS)
    return gdf, notes


def _in_mexico_crs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise ValueError("layer has no CRS")
    return gdf if gdf.crs.to_epsg() == 6372 else gdf.to_crs(MEXICO_CRS)


def write_geopackage(
    path: str | Path,
    layers: Mapping[str, gpd.GeoDataFrame],
    styles: Mapping[str, LayerStyle],
    titles: Mapping[str, str] | None = None,
) -> Path:
    """Write ``layers`` (GeoPackage 1.3) and a default ``layer_styles`` row for each
    styled layer, atomically. ``titles`` become the style descriptions."""
    path = Path(path)
    titles = dict(titles or {})
    with atomic_path(path) as tmp:
        first = True
        for name, gdf in layers.items():
            pyogrio.write_dataframe(
                gdf, tmp, layer=name, driver="GPKG",
                dataset_options={"VERSION": GPKG_VERSION} if first else None,
                layer_options={"GEOMETRY_NAME": "geom"},
            )
            first = False
        with sqlite3.connect(tmp) as con:
            write_layer_styles(con, {n: s for n, s in styles.items() if n in layers}, titles)
        con.close()
    return path


LAYER_STYLES_DDL = """
CREATE TABLE IF NOT EXISTS "layer_styles" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "f_table_catalog" TEXT(256),
  "f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256),
  "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN,
  "description" TEXT, "owner" TEXT(30), "ui" TEXT(30),
  "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
"""


def write_layer_styles(con: sqlite3.Connection, styles: Mapping[str, LayerStyle], titles: Mapping[str, str]) -> None:
    """Create ``layer_styles`` as QGIS does (registered as an attributes table) and
    insert one default style per layer, keyed on table *and* geometry column name
    (QGIS matches both)."""
    con.execute(LAYER_STYLES_DDL)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    con.execute(
        "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
        "VALUES ('layer_styles', 'attributes', 'layer_styles', '', ?, 0)", (now,)
    )
    has_ogr_contents = con.execute("SELECT 1 FROM sqlite_master WHERE name='gpkg_ogr_contents'").fetchone()
    geom_cols = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    for name, style in styles.items():
        con.execute(
            'INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, '
            'styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) '
            "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, ?)",
            (name, geom_cols[name], name, style.qml(), titles.get(name, name), now),
        )
    if has_ogr_contents:
        con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) VALUES ('layer_styles', ?)", (len(styles),))


def build_layers(
    table: gpd.GeoDataFrame | None,
    figures: pd.DataFrame | None,
    footprint: Any = None,
    hazard: Any = None,
    damage_points: gpd.GeoDataFrame | None = None,
    shelters: pd.DataFrame | None = None,
    lang: "str | i18n.Language" = "es",
    units: gpd.GeoDataFrame | None = None,
    totals: pd.DataFrame | None = None,
) -> tuple[dict[str, gpd.GeoDataFrame], list[i18n.Note]]:
    """Every layer whose inputs exist, in ``LAYER_ORDER``, and notes naming what was
    left out and why."""
    layers: dict[str, gpd.GeoDataFrame] = {}
    notes: list[i18n.Note] = []
    if shelters is not None and len(shelters):
        gdf, shelter_notes = shelters_layer(shelters)
        notes += shelter_notes
        if len(gdf):
            layers["shelters"] = gdf
        else:
            notes.append(i18n.note("shelters_no_coordinates"))
    else:
        notes.append(i18n.note("no_shelters"))
    if damage_points is not None and len(damage_points):
        layers["damage_points"] = damage_points_layer(damage_points)
    else:
        notes.append(i18n.note("no_damage_points"))
    if footprint is not None and (footprint.vector is not None or hazard is not None or footprint.raster is not None):
        layers["hazard"] = hazard_layer(footprint.classes, footprint.vector, hazard if hazard is not None else footprint.raster,
                                        getattr(footprint, "window", None))
    else:
        notes.append(i18n.note("no_hazard"))
    if table is not None and len(table):
        layers["units"] = units_layer(table, figures, lang)
    else:
        notes.append(i18n.note("no_units"))
    if units is not None and len(units) and totals is not None and (totals["level"] == "ent").any():
        layers["states"] = states_layer(units, totals, lang)
    return {n: layers[n] for n in LAYER_ORDER if n in layers}, notes
