"""The demo year: a synthetic 2024 over three synthetic states, generated in code.

``build_demo_year(folder)`` writes, from a fixed seed and without any download:
three coastal states (CVE_ENT 12, 20 and 07, west to east) of eight municipios
each, one people-per-cell raster over them, a national census table, a schools and
health-centres file, and seven events with their own footprints and records:

- ``inundacion-2023-12``: a flood from 28 Dec 2023 to 6 Jan 2024 (spans 31 December:
  counts in 2024, by its end date);
- ``huracan-alfa``: a hurricane crossing states 12 and 20, records matched against
  the national boundaries with a state column (one name exists in both states);
- ``deslave-agosto``: a landslide, defined inline in the catalogue;
- ``sismo-septiembre``: an earthquake with a damage census by municipio (counts), part
  of the destroyed dwellings rebuilt by 31 December (year-end stock);
- ``inundacion-septiembre``: a flood with no Civil Protection records at all, over
  municipios the hurricane also hit (two flows in one municipio);
- ``huracan-beta``: a hurricane over state 07;
- ``inundacion-2024-12``: a flood from 26 Dec 2024 to 4 Jan 2025 (its flows count in
  2025), with people still in shelters on 31 December (year-end stock of 2024).

Files land in ``folder/inputs`` with a ``catalogo.yaml`` whose outputs go to
``folder``; ``geodisp demo --year`` then runs it exactly as ``geodisp year`` runs a
user's catalogue.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
import yaml
from rasterio import features
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from geodisp.demo import DAMAGE_MIX, DAMAGE_WORDS, WIND_BINS, WIND_LABELS, _grid, _sample_on_land, _write_csv

SEED = 2024
YEAR = 2024
#: State key -> (x range in EPSG:6372, municipio names). One name exists in two states.
STATES: dict[str, tuple[tuple[float, float], list[str]]] = {
    "12": ((2_400_000.0, 2_600_000.0), ["Costa Grande", "Tecpan Demo", "Atoyac Demo", "Coyuca Demo",
                                        "San Juan", "Tixtla Demo", "Chilapa Demo", "Ometepec Demo"]),
    "20": ((2_600_000.0, 2_800_000.0), ["Pinotepa Demo", "Jamiltepec Demo", "San Juan", "Puerto Escondido Demo",
                                        "Pochutla Demo", "Miahuatlán Demo", "Juquila Demo", "Tututepec Demo"]),
    "07": ((2_800_000.0, 3_000_000.0), ["Tonalá Demo", "Arriaga Demo", "Pijijiapan Demo", "Mapastepec Demo",
                                        "Huixtla Demo", "Tapachula Demo", "Motozintla Demo", "Cacahoatán Demo"]),
}
FLOOD_BINS, FLOOD_LABELS = [0.1, 0.5, 1.5, 10.0], ["0.1-0.5 m", "0.5-1.5 m", ">1.5 m"]
MMI_BINS, MMI_LABELS = [6.0, 7.0, 8.0, 13.0], ["VI", "VII", "VIII+"]


def to_4326(geom):
    """A geometry from EPSG:6372 to EPSG:4326 (the grid the demo's rasters use)."""
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:6372", "EPSG:4326", always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


@dataclass(frozen=True)
class DemoYear:
    """Where the demo year's inputs and catalogue were written."""

    catalogue: Path
    inputs: Path
    events: dict[str, Path]


def _land(rng: np.random.Generator) -> Polygon:
    xs = np.linspace(2_400_000.0, 3_000_000.0, 200)
    phase = rng.uniform(0, 2 * np.pi)
    south = 560_000 + 15_000 * np.sin(xs / 45_000 + phase) + 5_000 * np.sin(xs / 11_000)
    north = 700_000 + 8_000 * np.sin(xs / 70_000 + phase)
    return shapely.make_valid(Polygon(list(zip(xs, south)) + list(zip(xs[::-1], north[::-1]))))


def _municipios(land: Polygon, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Each state a strip of the land; its municipios Voronoi cells of relaxed seeds, tiling it."""
    rows = []
    for ent, ((x0, x1), names) in STATES.items():
        state = land.intersection(shapely.box(x0, 0, x1, 1e7))
        minx, miny, maxx, maxy = state.bounds
        seeds: list[Point] = []
        while len(seeds) < len(names):
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if state.contains(p):
                seeds.append(p)
        for _ in range(2):
            cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=state)
            seeds = [c.intersection(state).centroid for c in cells.geoms]
        cells = [c.intersection(state) for c in shapely.voronoi_polygons(MultiPoint(seeds), extend_to=state).geoms]
        order = np.lexsort(([c.centroid.x for c in cells], [-round(c.centroid.y, -4) for c in cells]))
        for i, idx in enumerate(order, start=1):
            rows.append({"CVEGEO": f"{ent}{i:03d}", "CVE_ENT": ent, "CVE_MUN": f"{i:03d}", "NOMGEO": names[i - 1],
                         "geometry": cells[idx]})
    return gpd.GeoDataFrame(rows, crs="EPSG:6372")


def _population(land_4326: Polygon, munis_4326: gpd.GeoDataFrame, transform, shape, rng: np.random.Generator) -> np.ndarray:
    """People per cell: towns at municipio seats over a rural scatter; NaN at sea."""
    height, width = shape
    lon, lat = np.meshgrid(transform.c + (np.arange(width) + 0.5) * transform.a, transform.f + (np.arange(height) + 0.5) * transform.e)
    kx, ky = 111.3 * np.cos(np.deg2rad(lat)), 110.6
    density = rng.gamma(0.6, 20.0, size=shape)
    for p in munis_4326.geometry.representative_point():
        peak, radius = rng.uniform(300, 2500), rng.uniform(1.5, 4.0)
        density += peak * np.exp(-(((lon - p.x) * kx) ** 2 + ((lat - p.y) * ky) ** 2) / (2 * radius**2))
    people = density * (transform.a * kx) * (-transform.e * ky)
    land = features.rasterize([(land_4326, 1)], out_shape=shape, transform=transform, fill=0, dtype="uint8")
    return np.where(land == 1, people, np.nan).astype("float32")


def _swath(points: list[tuple[float, float]], radii_km: dict[float, float], decay_from_y: float | None = None) -> list[tuple[float, Any]]:
    """Nested buffers along a line (or around a point): (value, polygon), widest first."""
    line = LineString(points) if len(points) > 1 else Point(points[0])
    out = []
    for value, radius in radii_km.items():
        if isinstance(line, Point):
            out.append((value, line.buffer(radius * 1000, 48)))
            continue
        discs = []
        for d in np.linspace(0, line.length, 120):
            p = line.interpolate(d)
            r = radius * 1000 * (np.exp(-max(0.0, p.y - decay_from_y) / 140_000) if decay_from_y else 1.0)
            discs.append(p.buffer(r, 24))
        out.append((value, shapely.union_all(discs)))
    return out


def _event_specs(land: Polygon) -> list[dict[str, Any]]:
    """The seven events: dates, hazard, footprint geometry, which records they carry."""
    miny = land.bounds[1]
    coast = miny + 20_000
    return [
        dict(id="inundacion-2023-12", name="Inundaciones de fin de año (sintético)", hazard="flood",
             start=dt.date(2023, 12, 28), end=dt.date(2024, 1, 6), field="tirante_m", bins=FLOOD_BINS, labels=FLOOD_LABELS, units="m",
             swath=_swath([(2_640_000, 590_000), (2_700_000, 640_000), (2_760_000, 690_000)], {0.25: 14, 1.0: 8, 2.0: 3}),
             damage="points", n_points=250, records=("evacuations", "shelters"), shelter_days=10, state=None,
             ended=dt.date(2024, 3, 31)),
        dict(id="huracan-alfa", name="Huracán Alfa (sintético)", hazard="tropical_cyclone",
             start=dt.date(2024, 6, 15), end=dt.date(2024, 6, 18), field="viento_kt", bins=WIND_BINS, labels=WIND_LABELS, units="kt",
             swath=_swath([(2_560_000, miny - 60_000), (2_600_000, miny + 10_000), (2_640_000, 760_000)], {34: 110, 50: 70, 64: 40, 83: 16}, coast),
             damage="points", n_points=900, records=("evacuations", "shelters"), shelter_days=5, state="column"),
        dict(id="deslave-agosto", name="Deslave de agosto (sintético)", hazard="landslide",
             start=dt.date(2024, 8, 5), end=dt.date(2024, 8, 6), field=None, bins=None, labels=["deslave"], units=None,
             swath=_swath([(2_700_000, 665_000)], {1: 6}), damage="points", n_points=60, records=("evacuations",),
             shelter_days=0, state="20", inline=True),
        dict(id="sismo-septiembre", name="Sismo de septiembre (sintético)", hazard="earthquake",
             start=dt.date(2024, 9, 7), end=None, field="mmi", bins=MMI_BINS, labels=MMI_LABELS, units="MMI",
             swath=_swath([(2_900_000, 610_000)], {6.5: 70, 7.5: 40, 8.5: 15}), damage="counts", n_points=1500,
             records=("shelters",), shelter_days=20, state="07", rebuilt_share=0.4),
        dict(id="inundacion-septiembre", name="Lluvias de septiembre (sintético)", hazard="flood",
             start=dt.date(2024, 9, 20), end=dt.date(2024, 9, 25), field="tirante_m", bins=FLOOD_BINS, labels=FLOOD_LABELS, units="m",
             swath=_swath([(2_540_000, 580_000), (2_600_000, 620_000), (2_620_000, 690_000)], {0.25: 16, 1.0: 9, 2.0: 4}),
             damage="points", n_points=300, records=(), shelter_days=0, state=None, ended=dt.date(2024, 11, 30)),
        dict(id="huracan-beta", name="Huracán Beta (sintético)", hazard="tropical_cyclone",
             start=dt.date(2024, 10, 20), end=dt.date(2024, 10, 23), field="viento_kt", bins=WIND_BINS, labels=WIND_LABELS, units="kt",
             swath=_swath([(2_930_000, miny - 60_000), (2_950_000, miny + 10_000), (2_980_000, 760_000)], {34: 90, 50: 55, 64: 30}, coast),
             damage="points", n_points=500, records=("evacuations", "shelters"), shelter_days=6, state="07"),
        dict(id="inundacion-2024-12", name="Inundaciones de diciembre (sintético)", hazard="flood",
             start=dt.date(2024, 12, 26), end=dt.date(2025, 1, 4), field="tirante_m", bins=FLOOD_BINS, labels=FLOOD_LABELS, units="m",
             swath=_swath([(2_430_000, 585_000), (2_480_000, 640_000), (2_520_000, 690_000)], {0.25: 14, 1.0: 8, 2.0: 3}),
             damage="points", n_points=200, records=("evacuations", "shelters"), shelter_days=12, state="12"),
    ]


def _classes_on_grid(swath: list[tuple[float, Any]], bins: list[float] | None, transform, shape) -> np.ndarray:
    """Class (0 outside) of each cell centre for a footprint given as (value, polygon) in EPSG:6372."""
    shapes = []
    for value, geom in sorted(swath, key=lambda t: t[0]):
        cls = 1 if bins is None else int(np.searchsorted(bins, value, side="right"))
        shapes.append((to_4326(geom), cls))
    return features.rasterize(shapes, out_shape=shape, transform=transform, fill=0, dtype="uint8")


def _records(spec: dict, munis: gpd.GeoDataFrame, exposed: pd.Series, rng: np.random.Generator) -> tuple[list[dict], list[dict]]:
    """Evacuations and shelter reports in the most exposed municipios, by name, as Civil Protection writes them."""
    names = munis.set_index("CVEGEO")["NOMGEO"]
    hit = exposed[exposed > 0].sort_values(ascending=False).head(5)
    evac, shelters = [], []
    for rank, (key, people) in enumerate(hit.items()):
        name = names[key].upper() if rank % 2 else names[key]
        n = max(10, int(people * rng.uniform(0.01, 0.03)))
        row = {"municipio": name, "fecha": spec["start"].isoformat(), "personas": n}
        if spec["state"] == "column":
            row = {"estado": key[:2], **row}
        evac.append(row)
        if "shelters" in spec["records"]:
            peak = max(15, int(n * rng.uniform(0.2, 0.4)))
            for day in range(spec["shelter_days"]):
                share = max(0.1, 1.0 - day / max(1, spec["shelter_days"]))
                shelters.append({"albergue_id": f"ALB-{spec['id']}-{key}", "nombre": f"Albergue {names[key]}", "municipio": names[key],
                                 **({"estado": key[:2]} if spec["state"] == "column" else {}),
                                 "fecha": (spec["start"] + dt.timedelta(days=day + 1)).isoformat(), "ocupantes": int(peak * share)})
    if spec["state"] == "column" and evac:  # a row without a state: 'San Juan' exists in two states, rejected as ambiguous
        evac.append({"estado": "", "municipio": "San Juan", "fecha": spec["start"].isoformat(), "personas": 25})
    return evac, shelters


def _damage_rows(spec: dict, people: np.ndarray, classes: np.ndarray, zones: np.ndarray, munis: gpd.GeoDataFrame,
                 transform, land_4326: Polygon, rng: np.random.Generator) -> tuple[list[dict], str]:
    """Damaged dwellings as points (one row per dwelling) or, for the earthquake, counts per municipio and level."""
    n_classes = int(classes.max())
    propensity = np.linspace(0, 1, n_classes + 1) ** 1.5
    weight = np.nan_to_num(people) * propensity[classes]
    lon, lat, r, c = _sample_on_land(weight, transform, land_4326, spec["n_points"], rng)
    levels = list(DAMAGE_WORDS)
    mix_row = lambda k: DAMAGE_MIX[min(3, int(round((k - 1) * 3 / max(1, n_classes - 1))))]  # noqa: E731
    drawn = [levels[int(rng.choice(4, p=mix_row(int(classes[i, j]))))] for i, j in zip(r, c)]
    if spec["damage"] == "counts":
        keys = munis["CVEGEO"].to_numpy()[zones[r, c] - 1]
        counts = pd.DataFrame({"cvegeo": keys, "level": drawn}).groupby(["cvegeo", "level"]).size()
        return [{"cvegeo": k, "nivel_dano": DAMAGE_WORDS[lv], "viviendas": int(v)} for (k, lv), v in counts.items()], "counts"
    return [{"folio": f"{spec['id'][:4].upper()}-{i + 1:05d}", "latitud": f"{lat[i]:.6f}", "longitud": f"{lon[i]:.6f}",
             "nivel_dano": DAMAGE_WORDS[drawn[i]]} for i in range(len(drawn))], "points"


def _census(munis: gpd.GeoDataFrame, per_mun: pd.Series, rng: np.random.Generator) -> list[dict]:
    rows = []
    for m in munis.itertuples():
        pob = int(round(per_mun.get(m.CVEGEO, 0.0)))
        size = round(float(rng.uniform(3.3, 4.3)), 2)
        fem = int(round(pob * rng.uniform(0.505, 0.53)))
        shares = {"P_0A2": 0.05, "P_3A5": 0.05, "P_6A11": 0.11, "P_12A14": 0.055, "P_15A17": 0.055, "P_60YMAS": 0.12}
        row = {"ENTIDAD": int(m.CVE_ENT), "MUN": int(m.CVE_MUN), "NOM_MUN": m.NOMGEO, "POBTOT": pob, "POBFEM": fem,
               "POBMAS": pob - fem, "VIVPAR_HAB": int(round(pob / size)), "PROM_OCUP": size}
        row.update({k: int(round(pob * v * rng.uniform(0.9, 1.1))) for k, v in shares.items()})
        row["P_18A59"] = pob - sum(row[k] for k in shares)
        row["PCON_DISC"] = int(round(pob * rng.uniform(0.04, 0.08)))
        row["P3YM_HLI"] = int(round(pob * rng.uniform(0.05, 0.45)))
        rows.append(row)
    return rows


def _facilities(people: np.ndarray, transform, land_4326: Polygon, rng: np.random.Generator) -> list[dict]:
    lon, lat, _, _ = _sample_on_land(np.nan_to_num(people), transform, land_4326, 120, rng)
    return [{"clave": f"CT-{i + 1:04d}", "nombre": f"{'Escuela' if i % 3 else 'Centro de Salud'} {i + 1}",
             "tipo": "Escuela" if i % 3 else "Centro de Salud", "latitud": f"{lat[i]:.6f}", "longitud": f"{lon[i]:.6f}"}
            for i in range(len(lon))]


def build_demo_year(directory: str | Path, cell_deg: float = 0.006, seed: int = SEED) -> DemoYear:
    """Write the demo year's inputs and ``catalogo.yaml`` under ``directory/inputs``."""
    rng = np.random.default_rng(seed)
    out = Path(directory).resolve()
    inputs = out / "inputs"
    (inputs / "eventos").mkdir(parents=True, exist_ok=True)
    land = _land(rng)
    munis = _municipios(land, rng)
    land_4326 = to_4326(land)
    munis_4326 = munis.to_crs("EPSG:4326")
    transform, shape = _grid(land_4326, cell_deg)
    people = _population(land_4326, munis_4326, transform, shape, rng)
    zones = features.rasterize([(g, i + 1) for i, g in enumerate(munis_4326.geometry)], out_shape=shape, transform=transform,
                               fill=0, dtype="int32")
    per_mun = pd.Series(np.bincount(zones.ravel(), np.nan_to_num(people).ravel(), minlength=len(munis) + 1)[1:], index=munis["CVEGEO"])

    munis.to_file(inputs / "municipios.gpkg", layer="municipios", driver="GPKG")
    profile = dict(driver="GTiff", height=shape[0], width=shape[1], count=1, dtype="float32", crs="EPSG:4326", transform=transform,
                   nodata=-9999.0, tiled=True, blockxsize=256, blockysize=256, compress="deflate")
    with rasterio.open(inputs / "poblacion.tif", "w", **profile) as dst:
        dst.write(np.where(np.isnan(people), -9999.0, people).astype("float32"), 1)
    _write_csv(inputs / "censo.csv", _census(munis, per_mun, rng))
    _write_csv(inputs / "escuelas_y_salud.csv", _facilities(people, transform, land_4326, rng))

    entries: list[Any] = []
    paths: dict[str, Path] = {}
    for spec in _event_specs(land):
        folder = inputs / "eventos" / spec["id"]
        folder.mkdir(parents=True, exist_ok=True)
        rel = "" if spec.get("inline") else "../../"
        base = f"eventos/{spec['id']}/" if spec.get("inline") else ""
        field = spec["field"] or "clase"
        gpd.GeoDataFrame({field: [v for v, _ in spec["swath"]]}, geometry=[g for _, g in spec["swath"]], crs="EPSG:6372") \
            .to_file(folder / "huella.gpkg", layer="huella", driver="GPKG")
        classes = _classes_on_grid(spec["swath"], spec["bins"], transform, shape)
        exposed = pd.Series(np.bincount(zones.ravel(), (np.nan_to_num(people) * (classes > 0)).ravel(), minlength=len(munis) + 1)[1:],
                            index=munis["CVEGEO"])
        rows, fmt = _damage_rows(spec, people, classes, zones, munis, transform, land_4326, rng)
        _write_csv(folder / "viviendas.csv", rows)
        event: dict[str, Any] = {
            "event": {"id": spec["id"], "name": spec["name"], "hazard_type": spec["hazard"], "start": spec["start"].isoformat(),
                      **({"end": spec["end"].isoformat()} if spec["end"] else {})},
            "boundaries": {"path": f"{rel}municipios.gpkg", "layer": "municipios", "level": "mun"},
            "population": {"path": f"{rel}poblacion.tif"},
            "census": {"path": f"{rel}censo.csv"},
            "hazard": {"path": f"{base}huella.gpkg", "layer": "huella",
                       **({"field": spec["field"], "bins": spec["bins"]} if spec["field"] else {}),
                       "labels": spec["labels"], **({"units": spec["units"]} if spec["units"] else {})},
            "damage": {"path": f"{base}viviendas.csv", "format": fmt},
            "facilities": [{"path": f"{rel}escuelas_y_salud.csv", "type_field": "tipo", "name_field": "nombre"}],
            "overlay": {"chunk_size": 256},
            "output": {"credit": "synthetic"},
        }
        if spec["records"]:
            evac, shelters = _records(spec, munis, exposed, rng)
            recs: dict[str, Any] = {}
            if "evacuations" in spec["records"]:
                _write_csv(folder / "evacuaciones.csv", evac)
                recs["evacuations"] = f"{base}evacuaciones.csv"
            if "shelters" in spec["records"] and shelters:
                _write_csv(folder / "albergues.csv", shelters)
                recs["shelters"] = f"{base}albergues.csv"
            if spec["state"] not in (None, "column"):
                recs["state"] = spec["state"]
            event["records"] = recs
        year_end: dict[str, Any] = {}
        if spec.get("ended"):
            year_end["ended"] = spec["ended"].isoformat()
        if spec.get("rebuilt_share"):
            destroyed = [r for r in rows if r["nivel_dano"] == DAMAGE_WORDS["destroyed"]]
            year_end["rebuilt"] = {r["cvegeo"]: int(r["viviendas"] * spec["rebuilt_share"]) for r in destroyed}
        if spec.get("inline"):
            entry = dict(event)
            entry.pop("output")
            entries.append({**entry, **({"year_end": year_end} if year_end else {})})
        else:
            (folder / "event.yaml").write_text(yaml.safe_dump(event, sort_keys=False, allow_unicode=True), encoding="utf-8")
            path = f"eventos/{spec['id']}/event.yaml"
            entries.append({"path": path, "year_end": year_end} if year_end else path)
        paths[spec["id"]] = folder
    catalogue = {
        "year": YEAR, "name": "Año demo 2024 (sintético)", "events": entries,
        "output": {"directory": "..", "lang": "es", "credit": "synthetic"},
    }
    path = inputs / "catalogo.yaml"
    path.write_text("# geodisp demo year: seven synthetic events over three synthetic states, generated in code.\n"
                    + yaml.safe_dump(catalogue, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return DemoYear(catalogue=path, inputs=inputs, events=paths)
