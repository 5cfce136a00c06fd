"""A small hand-built Result for the outputs tests (no tests here).

Grid: 30 x 10 cells of 1 km in EPSG:6372 near Acapulco; population ``10 * (row + 1) +
col`` people per cell, one NaN cell. Units: 12001 (cols 0-9), 12002 (10-19), 12003
(20-24), 12004 (25-29, no data). Hazard: class 2 on cols 0-4, class 1 on cols 5-14.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rioxarray
import xarray as xr
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from geodisp.estimators.figures import concat_figures, figure_rows
from geodisp.estimators.totals import totals
from geodisp.model.stages import Estimates, Overlay, Result, SourceCount, Sources
from geodisp.outputs.i18n import encode
from geodisp.model.footprint import Footprint

X0, Y0, CELL, NCOLS, NROWS = 2_700_000.0, 560_000.0, 1000.0, 30, 10
UNIT_COLS = {"12001": (0, 10), "12002": (10, 20), "12003": (20, 25), "12004": (25, 30)}
NAMES = {"12001": "Acapulco de Juárez", "12002": "Ahuacuotzingo", "12003": "Ajuchitlán del Progreso", "12004": "Alcozauca de Guerrero"}
DISPLACED = {"12001": (900.0, 1234.4, 1500.0), "12002": (40.0, 56.0, 80.0), "12003": (0.0, 0.0, 0.0)}
METHODS = {"12001": "housing", "12002": "records", "12003": "exposure"}


def population_array() -> np.ndarray:
    rows, cols = np.mgrid[0:NROWS, 0:NCOLS]
    pop = 10.0 * (rows + 1) + cols
    pop[9, 29] = np.nan
    return pop


def codes_array() -> np.ndarray:
    codes = np.zeros((NROWS, NCOLS), dtype="int32")
    for i, (_, (c0, c1)) in enumerate(UNIT_COLS.items(), start=1):
        codes[:, c0:c1] = i
    return codes


def hazard_array() -> np.ndarray:
    hz = np.zeros((NROWS, NCOLS), dtype="uint8")
    hz[:, 0:5] = 2
    hz[:, 5:15] = 1
    return hz


def cell_box(c0: int, c1: int) -> box:
    return box(X0 + c0 * CELL, Y0 - NROWS * CELL, X0 + c1 * CELL, Y0)


def write_population(path: Path) -> xr.DataArray:
    """Write the population GeoTIFF and reopen it the way the sources do."""
    with rasterio.open(path, "w", driver="GTiff", width=NCOLS, height=NROWS, count=1, dtype="float64",
                       crs="EPSG:6372", transform=from_origin(X0, Y0, CELL, CELL), nodata=-1.0) as dst:
        dst.write(np.where(np.isnan(population_array()), -1.0, population_array()), 1)
    da = rioxarray.open_rasterio(path, chunks={"x": 16, "y": 8}, masked=True).squeeze("band", drop=True)
    return da.astype("float64")


def like(da: xr.DataArray, values: np.ndarray) -> xr.DataArray:
    out = xr.DataArray(values, coords={"y": da.y, "x": da.x}, dims=("y", "x"))
    return out.rio.write_crs("EPSG:6372").rio.write_transform(da.rio.transform())


def sample_result(tmp_path: Path, shelters: bool = True, damage: bool = True) -> Result:
    """The hand-built Result; ``shelters``/``damage`` False drop those inputs."""
    pop = write_population(tmp_path / "population.tif")
    codes = like(pop, codes_array())
    hz = like(pop, hazard_array())
    keys = pd.Series(list(UNIT_COLS), index=range(1, len(UNIT_COLS) + 1), name="cvegeo")
    zones = SimpleNamespace(codes=codes, keys=keys)

    units = gpd.GeoDataFrame(
        {"cvegeo": list(UNIT_COLS), "level": "mun", "name": [NAMES[k] for k in UNIT_COLS],
         "cve_ent": "12", "cve_mun": [k[2:] for k in UNIT_COLS]},
        geometry=[cell_box(*UNIT_COLS[k]) for k in UNIT_COLS], crs="EPSG:6372",
    )
    classes = pd.DataFrame({"hazard_class": [1, 2], "label": ["64–82 kt", "83–95 kt"], "lower": [64.0, 83.0], "upper": [82.0, 95.0]})
    footprint = Footprint(classes=classes, vector=gpd.GeoDataFrame({"hazard_class": [2, 1]}, geometry=[cell_box(0, 5), cell_box(5, 15)], crs="EPSG:6372"), field="wind", units="kt", source="NHC best track")

    p, c = population_array(), codes_array()
    hzv = hazard_array()
    rows = []
    for i, key in enumerate(UNIT_COLS, start=1):
        for k in (1, 2):
            people = float(np.nansum(np.where((c == i) & (hzv == k), p, 0.0)))
            rows.append((key, f"exposed_class_{k}", people, people, people, "people", "exposure", "WorldPop 2020"))
        if key in DISPLACED:
            lo, ce, hi = DISPLACED[key]
            rows.append((key, "displaced", lo, ce, hi, "people", METHODS[key], "CENAPRED, censo de viviendas dañadas"))
    rows += [
        ("12001", "evacuated", 800.0, 800.0, 800.0, "people", "records", "Protección Civil Guerrero"),
        ("12002", "evacuated", 30.0, 30.0, 30.0, "people", "records", "Protección Civil Guerrero"),
        ("12001", "sheltered_peak", 250.0, 250.0, 250.0, "people", "records", "Protección Civil Guerrero"),
        ("12001", "dwellings_destroyed", 120.0, 120.0, 120.0, "dwellings", "housing", "CENAPRED"),
        ("12002", "dwellings_destroyed", 4.0, 4.0, 4.0, "dwellings", "housing", "CENAPRED"),
    ]
    # the figure ledger, built as the estimators build it (12003's figure is the exposure model's)
    figures = concat_figures([
        figure_rows([k], m, lo, ce, hi, u, calc, src, **({"modelled": True} if m == "displaced" and calc == "exposure" else {}))
        for k, m, lo, ce, hi, u, calc, src in rows
    ])

    wide = figures.pivot(index="cvegeo", columns="metric", values="central")
    for m in ("displaced",):
        wide[f"{m}_low"] = figures[figures.metric == m].set_index("cvegeo")["low"]
        wide[f"{m}_high"] = figures[figures.metric == m].set_index("cvegeo")["high"]
    wide = wide.reset_index()
    wide.columns.name = None
    table = units[["cvegeo", "name", "geometry"]].merge(wide, on="cvegeo", how="left")
    table["decided_by"] = table["cvegeo"].map(METHODS)
    table["decided_source"] = table["cvegeo"].map({k: "CENAPRED" for k in METHODS})
    table["flag"] = table["cvegeo"].eq("12002")
    table["flag_reason"] = table["cvegeo"].map({"12002": encode("flag_sources_differ", factor=3, figures="evacuated:30;displaced_housing:4")})
    table["sheltered_last_date"] = pd.to_datetime(table["cvegeo"].map({"12001": "2026-10-02"}))
    table = gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:6372")

    sources = {"population": pop, "footprint": footprint, "census": None}
    crosstab = pd.DataFrame([(key, k, float(np.nansum(np.where((c == i) & (hzv == k), p, 0.0))))
                             for i, key in enumerate(UNIT_COLS, start=1) for k in (0, 1, 2)],
                            columns=["cvegeo", "hazard_class", "people"])
    overlay = {"zones": zones, "hazard": hz, "n_classes": 2, "exposed": crosstab}
    if damage:
        pts = gpd.GeoDataFrame(
            {"dwelling_id": ["V1", "V2", "V3", "V4", "V5"],
             "damage_level": ["destroyed", "severe", "partial", "minor", "destroyed"],
             "record": ["row 1", "row 2", "row 3", "row 4", "row 5"],
             "propietario": ["Juan Pérez"] * 5, "telefono": ["7441234567"] * 5,
             "cvegeo": ["12001", "12001", "12001", "12002", "12002"], "hazard_class": [2, 2, 1, 1, 1]},
            geometry=[Point(X0 + 1500, Y0 - 2500), Point(X0 + 3500, Y0 - 4500), Point(X0 + 7500, Y0 - 5500),
                      Point(X0 + 11500, Y0 - 1500), Point(X0 + 13500, Y0 - 8500)], crs="EPSG:6372")
        sources["damage"] = pts
        overlay["damage_points"] = pts
    if shelters:
        sh = pd.DataFrame({
            "shelter_id": ["S1", "S1", "S2"], "name": ["Escuela Primaria Benito Juárez", "Escuela Primaria Benito Juárez", "Auditorio Municipal"],
            "cvegeo": ["12001", "12001", "12002"], "date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-01"]),
            "occupants": [200.0, 250.0, 40.0], "x": [X0 + 4500, X0 + 4500, np.nan], "y": [Y0 - 3500, Y0 - 3500, np.nan],
            "record": ["row 1", "row 2", "row 3"]})
        sources["shelters"] = sh
        overlay["shelters"] = sh
    rejects = pd.DataFrame({"source": ["damage", "damage", "evacuations"], "file": ["danos.csv", "danos.csv", "evac.xlsx"],
                            "record": ["row 7", "row 9", "row 3"],
                            "reason": ["damage level 'x' not recognised", "damage level 'x' not recognised", "cvegeo 12999 not in boundaries"]})
    counts = (SourceCount("damage", "danos.csv", 7, 5, 2), SourceCount("evacuations", "evac.xlsx", 3, 2, 1))
    event = SimpleNamespace(event=SimpleNamespace(id="MX-2026-000123", name="Huracán Erin", hazard_type="tropical_cyclone",
                                                  start=date(2026, 10, 1), end=date(2026, 10, 5), glide="TC-2026-000123-MEX"))
    return Result(event=event, sources=Sources(units=units, rejects=rejects, counts=counts, **sources),
                  overlay=Overlay(rejects=rejects, counts=counts, **overlay),
                  estimates=Estimates(figures=figures, table=table, gaps=pd.DataFrame({"cvegeo": ["12004"]}),
                                      totals=totals(figures, "MX-2026-000123")),
                  manifest={"inputs": {"population": "population.tif", "damage": "danos.csv"}})
