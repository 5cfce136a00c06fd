"""The embedded demo event, generated in code from a fixed seed (no download).

A fictional coastal state "Costa Demo" (CVE_ENT 12) of 22 municipios that tile it
without gaps, a people-per-cell raster in EPSG:4326 (as WorldPop publishes), a
hurricane wind footprint with four ordered classes, damaged-housing points with
the defects real censuses carry, a census table and Civil Protection records. The
files are written as real GeoPackage, GeoTIFF and CSV files plus an event YAML,
which ``geodisp demo`` then runs through exactly the code path of ``geodisp run``.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rioxarray  # noqa: F401
import shapely
import xarray as xr
import yaml
from pyproj import Transformer
from rasterio import features
from rasterio.transform import from_origin
from shapely.geometry import LineString, MultiPoint, Point, Polygon

SEED = 20231025
STATE = "12"
WIND_BINS = [34, 50, 64, 83, 200]
WIND_LABELS = ["34-49 kt", "50-63 kt", "64-82 kt", ">=83 kt"]
DAMAGE_WORDS = {"destroyed": "Pérdida total", "severe": "Severo", "partial": "Parcial", "minor": "Menor"}
#: Probability of each damage level (destroyed, severe, partial, minor) by wind class 1-4.
DAMAGE_MIX = np.array(
    [[0.02, 0.08, 0.30, 0.60], [0.05, 0.15, 0.40, 0.40], [0.15, 0.25, 0.35, 0.25], [0.35, 0.30, 0.25, 0.10]]
)
#: Relative chance that a dwelling is reported damaged, by wind class 0-4.
DAMAGE_PROPENSITY = np.array([0.0, 0.05, 0.2, 0.6, 1.0])

MUNICIPIO_NAMES = [
    "Puerto Ángel del Sur", "San Martín de la Costa", "Tlacoapa", "Santa María Ixtlán",
    "Coyuca del Río", "San Jerónimo", "Atoyac de Peñas", "Tecpan de Galeana Demo",
    "Zihuatlán", "Petatlán Viejo", "La Unión de Montes", "Copalillo",
    "Chilpancingo Demo", "Tixtla de Guerrero Demo", "Mochitlán", "Quechultenango",
    "Ayutla de los Libres Demo", "San Luis Acatlán", "Cuajinicuilapa", "Ometepec Demo",
    "Xochistlahuaca", "Tlacoachistlahuaca",
]


@dataclass(frozen=True)
class DemoFiles:
    """Where the demo's inputs and event file were written."""

    event: Path
    boundaries: Path
    population: Path
    hazard: Path
    damage: Path
    census: Path
    evacuations: Path
    shelters: Path
    facilities: Path


def _to_4326():
    return Transformer.from_crs("EPSG:6372", "EPSG:4326", always_xy=True).transform


def _state_polygon(rng: np.random.Generator) -> Polygon:
    """Land of the state in EPSG:6372: a wavy coastline to the south, hills to the north."""
    x0, x1 = 2_560_000.0, 2_860_000.0
    xs = np.linspace(x0, x1, 120)
    phase = rng.uniform(0, 2 * np.pi)
    south = 560_000 + 18_000 * np.sin(xs / 40_000 + phase) + 6_000 * np.sin(xs / 9_000)
    north = 705_000 + 10_000 * np.sin(xs / 60_000 + 1.3 * phase)
    ring = list(zip(xs, south)) + list(zip(xs[::-1], north[::-1]))
    return shapely.make_valid(Polygon(ring))


def _municipios(land: Polygon, n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Voronoi cells of ``n`` relaxed seeds, clipped to the land: they tile it without gaps."""
    minx, miny, maxx, maxy = land.bounds
    seeds: list[Point] = []
    while len(seeds) < n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if land.contains(p):
            seeds.append(p)
    for _ in range(2):  # Lloyd relaxation: rounder, more even municipios
        cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=land)
        seeds = [c.intersection(land).centroid for c in cells.geoms]
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=land)
    polys = [c.intersection(land) for c in cells.geoms]
    order = np.lexsort(([p.centroid.x for p in polys], [-round(p.centroid.y, -4) for p in polys]))
    rows = []
    for i, idx in enumerate(order, start=1):
        rows.append(
            {
                "CVEGEO": f"{STATE}{i:03d}",
                "CVE_ENT": STATE,
                "CVE_MUN": f"{i:03d}",
                "NOMGEO": MUNICIPIO_NAMES[i - 1],
                "geometry": polys[idx],
            }
        )
    return gpd.GeoDataFrame(rows, crs="EPSG:6372")


def _track(land: Polygon) -> LineString:
    """A hurricane track from the sea to the south-west, landfall, then inland to the north-east."""
    minx, miny, maxx, maxy = land.bounds
    return LineString(
        [(minx + 0.36 * (maxx - minx), miny - 70_000), (minx + 0.45 * (maxx - minx), miny + 10_000),
         (minx + 0.62 * (maxx - minx), maxy + 60_000)]
    )


def _wind_footprint(land: Polygon) -> gpd.GeoDataFrame:
    """Nested wind swaths (34, 50, 64, 83 kt), each wider at sea and narrowing inland."""
    track = _track(land)
    radii_km = {34: 150, 50: 95, 64: 55, 83: 22}
    coast_y = land.bounds[1] + 20_000
    rows = []
    for kt, radius in radii_km.items():
        circles = []
        for d in np.linspace(0, track.length, 160):
            p = track.interpolate(d)
            inland = max(0.0, p.y - coast_y)
            r = radius * 1000 * np.exp(-inland / 140_000)  # winds decay inland
            circles.append(p.buffer(r, 32))
        rows.append({"viento_kt": float(kt), "geometry": shapely.union_all(circles)})
    return gpd.GeoDataFrame(rows, crs="EPSG:6372")


def _track_fixes(land: Polygon, start: dt.date) -> list[dict]:
    """Best-track fixes along ``_track`` every 3 hours: strengthening at sea, landfall at 130 kt, decaying inland."""
    line = _track(land)
    landfall = line.project(Point(line.coords[1]))
    to_4326 = _to_4326()
    fixes = []
    for i, d in enumerate(np.linspace(0.0, line.length, 9)):
        p = line.interpolate(d)
        lon, lat = to_4326(p.x, p.y)
        km_inland = (d - landfall) / 1000.0
        vmax = 110 + 20 * d / landfall if km_inland <= 0 else 130 * np.exp(-km_inland / 120.0)
        vmax = int(round(max(vmax, 30)))
        radii = [int(round(r * min(1.0, vmax / 100))) for r in (90, 80, 60, 70, 45, 40, 30, 35, 25, 20, 15, 20)]
        radii = [r if vmax >= kt else 0 for r, kt in zip(radii, [34] * 4 + [50] * 4 + [64] * 4)]
        fixes.append({"time": dt.datetime.combine(start, dt.time()) + dt.timedelta(hours=3 * i), "lat": lat, "lon": lon,
                      "vmax": vmax, "pressure": int(round(1010 - 0.9 * vmax)), "radii": radii, "rmw": 12 if vmax > 64 else 25,
                      "landfall": abs(d - landfall) < line.length / 16})
    return fixes


def _write_hurdat2(path: Path, fixes: list[dict]) -> None:
    """The fixes as a HURDAT2 file (NHC's best-track layout), storm EP992025 "DEMO"."""
    lines = [f"EP992025,               DEMO,     {len(fixes):2d},"]
    for f in fixes:
        lat = f"{abs(f['lat']):.1f}{'N' if f['lat'] >= 0 else 'S'}"
        lon = f"{abs(f['lon']):.1f}{'W' if f['lon'] < 0 else 'E'}"
        status = "HU" if f["vmax"] >= 64 else "TS" if f["vmax"] >= 34 else "TD"
        cells = [f"{f['time']:%Y%m%d}", f"{f['time']:%H%M}", "L" if f["landfall"] else " ", status, f"{lat:>5}", f"{lon:>6}",
                 f"{f['vmax']:3d}", f"{f['pressure']:4d}", *[f"{r:4d}" for r in f["radii"]], f"{f['rmw']:4d}"]
        lines.append(", ".join(cells) + ",")
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def _track_classes(track_path: Path, transform, shape) -> np.ndarray:
    """Wind class (0-4 by WIND_BINS) of each cell centre, from the track through geodisp's own wind model."""
    from geodisp.hazard_models.swath import wind_field
    from geodisp.sources.track import read_track_table

    fixes, _, _ = read_track_table(track_path)
    like = xr.DataArray(np.zeros(shape, dtype="float32"), dims=("y", "x"))
    like = like.rio.write_crs("EPSG:4326").rio.write_transform(transform)
    wind, _, _ = wind_field(fixes, like.chunk(1024), floor_kt=WIND_BINS[0] * 0.8)
    return classify_wind(wind.data.compute())


def classify_wind(wind: np.ndarray) -> np.ndarray:
    from geodisp.model.footprint import classify

    return classify(wind, WIND_BINS)


def _grid(land_4326: Polygon, cell_deg: float):
    minx, miny, maxx, maxy = land_4326.bounds
    pad = 2 * cell_deg
    west, north = np.floor((minx - pad) / cell_deg) * cell_deg, np.ceil((maxy + pad) / cell_deg) * cell_deg
    width = int(np.ceil((maxx + pad - west) / cell_deg))
    height = int(np.ceil((north - (miny - pad)) / cell_deg))
    return from_origin(west, north, cell_deg, cell_deg), (height, width)


def _population(
    land_4326: Polygon, municipios_4326: gpd.GeoDataFrame, transform, shape, rng: np.random.Generator
) -> np.ndarray:
    """People per cell: a coastal city, towns at municipio seats, rural scatter; NaN at sea."""
    height, width = shape
    cols = transform.c + (np.arange(width) + 0.5) * transform.a
    rows = transform.f + (np.arange(height) + 0.5) * transform.e
    lon, lat = np.meshgrid(cols, rows)
    km_per_deg_lat = 110.6
    km_per_deg_lon = 111.3 * np.cos(np.deg2rad(lat))
    cell_km2 = (transform.a * km_per_deg_lon) * (-transform.e * km_per_deg_lat)

    density = rng.gamma(0.6, 25.0, size=shape)  # rural scatter, people per km2
    centres = [(c.x, c.y) for c in municipios_4326.geometry.representative_point()]
    city = centres[int(np.argmin([abs(x - land_4326.centroid.x) + 3 * y for x, y in centres]))]
    towns = [(x, y, rng.uniform(300, 1500), rng.uniform(1.5, 3.5)) for x, y in centres]
    towns.append((city[0], city[1], 6000.0, 6.0))  # the coastal city
    for x, y, peak, radius_km in towns:
        d2 = ((lon - x) * km_per_deg_lon) ** 2 + ((lat - y) * km_per_deg_lat) ** 2
        density += peak * np.exp(-d2 / (2 * radius_km**2))
    people = density * cell_km2
    land = features.rasterize([(land_4326, 1)], out_shape=shape, transform=transform, fill=0, dtype="uint8")
    return np.where(land == 1, people, np.nan).astype("float32")


def _classes_at(hazard_4326: gpd.GeoDataFrame, transform, shape) -> np.ndarray:
    """Wind class (0-4) of each cell centre; nested swaths resolve to the highest class."""
    shapes = [(g, WIND_BINS.index(int(kt)) + 1) for kt, g in sorted(zip(hazard_4326["viento_kt"], hazard_4326.geometry))]
    return features.rasterize(shapes, out_shape=shape, transform=transform, fill=0, dtype="uint8")


def _sample_on_land(
    weight: np.ndarray, transform, land_4326: Polygon, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``n`` points in cells drawn by ``weight``, jittered inside the cell; (lon, lat, row, col).

    Each point lies on land (a coastal cell's centre may be on land while part of
    the cell is sea): points that fall in the sea are drawn again.
    """
    flat = weight.ravel() / weight.sum()
    r = c = np.empty(0, dtype=int)
    lon = lat = np.empty(0)
    while len(lon) < n:
        cells = rng.choice(flat.size, size=n, p=flat)
        rr, cc = np.divmod(cells, weight.shape[1])
        x = transform.c + (cc + rng.uniform(0.05, 0.95, n)) * transform.a
        y = transform.f + (rr + rng.uniform(0.05, 0.95, n)) * transform.e
        ok = shapely.contains_xy(land_4326, x, y)
        r, c = np.concatenate([r, rr[ok]])[:n], np.concatenate([c, cc[ok]])[:n]
        lon, lat = np.concatenate([lon, x[ok]])[:n], np.concatenate([lat, y[ok]])[:n]
    return lon, lat, r, c


def _damage_points(
    people: np.ndarray, classes: np.ndarray, transform, land_4326: Polygon, n_points: int, rng: np.random.Generator
) -> list[dict]:
    """Damaged dwellings: cells drawn by people x wind propensity, levels by wind class."""
    weight = np.nan_to_num(people) * DAMAGE_PROPENSITY[classes]
    lon, lat, r, c = _sample_on_land(weight, transform, land_4326, n_points, rng)
    levels = list(DAMAGE_WORDS.values())
    first = ["María", "José", "Juana", "Luis", "Guadalupe", "Pedro", "Rosa", "Ángel"]
    last = ["Hernández", "García", "Martínez", "López", "Nava", "Salgado", "Bello", "Ríos"]
    rows = []
    for i in range(n_points):
        k = int(classes[r[i], c[i]])
        level = levels[int(rng.choice(4, p=DAMAGE_MIX[k - 1]))]
        name = f"{rng.choice(first)} {rng.choice(last)} {rng.choice(last)}"
        rows.append(
            {
                "folio": f"VIV-{i + 1:06d}",
                "latitud": f"{lat[i]:.6f}",
                "longitud": f"{lon[i]:.6f}",
                "nivel_dano": level,
                "jefe_familia": name,
                "curp": f"{name[:2].upper()}XX{800101 + i % 9000:06d}HGRRRL0{i % 10}",
                "telefono": f"744{rng.integers(1_000_000, 9_999_999)}",
            }
        )
    return rows


def _add_bad_rows(rows: list[dict], sea_lonlat: tuple[float, float]) -> list[dict]:
    """The defects of real housing censuses, each once or twice."""
    bad = [dict(rows[0]) for _ in range(7)]
    bad[0].update(folio="VIV-900001", latitud="", longitud="")  # missing coordinates
    bad[1].update(folio="VIV-900002", latitud=rows[1]["longitud"], longitud=rows[1]["latitud"])  # swapped
    bad[2] = dict(rows[2])  # the same dwelling reported twice
    bad[3].update(folio="VIV-900004", latitud=f"{sea_lonlat[1]:.6f}", longitud=f"{sea_lonlat[0]:.6f}")  # at sea
    bad[4].update(folio="VIV-900005", nivel_dano="regular")  # not a damage level
    bad[5].update(folio="VIV-900006", latitud="diecisiete", longitud="-99.5")  # not a number
    bad[6].update(folio="VIV-900007", latitud="0", longitud="0")  # (0, 0)
    return rows + bad


def _facilities(people: np.ndarray, transform, land_4326: Polygon, rng: np.random.Generator) -> list[dict]:
    """Schools and health centres where people live; a director's phone (personal) and one row without a type."""
    n = 60
    lon, lat, _, _ = _sample_on_land(np.nan_to_num(people), transform, land_4326, n, rng)
    rows = []
    for i in range(n):
        kind = "Escuela" if i % 3 else "Centro de Salud"
        rows.append({
            "clave": f"CT-{i + 1:04d}", "nombre": f"{kind} {i + 1}", "tipo": kind,
            "latitud": f"{lat[i]:.6f}", "longitud": f"{lon[i]:.6f}",
            "telefono_director": f"747{rng.integers(1_000_000, 9_999_999)}",
        })
    rows[-1]["tipo"] = ""
    return rows


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _census_rows(munis: gpd.GeoDataFrame, people_per_mun: pd.Series, rng: np.random.Generator) -> list[dict]:
    """A municipal ITER-like table; keys as integers that lost their zeros, like INEGI CSVs opened in Excel."""
    rows = []
    for i, m in enumerate(munis.itertuples()):
        pob = int(round(people_per_mun.get(m.CVEGEO, 0.0)))
        size = round(float(rng.uniform(3.2, 4.4)), 2)
        fem = int(round(pob * rng.uniform(0.505, 0.53)))
        shares = {"P_0A2": 0.05, "P_3A5": 0.05, "P_6A11": 0.11, "P_12A14": 0.055, "P_15A17": 0.055, "P_60YMAS": 0.12}
        row = {
            "ENTIDAD": int(STATE), "MUN": int(m.CVE_MUN), "NOM_MUN": m.NOMGEO, "POBTOT": pob,
            "POBFEM": fem, "POBMAS": pob - fem, "VIVPAR_HAB": int(round(pob / size)), "PROM_OCUP": size,
        }
        row.update({k: int(round(pob * v * rng.uniform(0.9, 1.1))) for k, v in shares.items()})
        row["P_18A59"] = pob - sum(row[k] for k in shares)
        row["PCON_DISC"] = int(round(pob * rng.uniform(0.04, 0.08)))
        row["P3YM_HLI"] = int(round(pob * rng.uniform(0.0, 0.35)))
        if i == 3:
            row["PROM_OCUP"] = "*"  # suppressed: falls back to the state, then the national value
        if i == 5:
            row["P3YM_HLI"] = "N/D"
        rows.append(row)
    return rows


def _records(
    munis: gpd.GeoDataFrame, exposed_people: pd.Series, start: dt.date, rng: np.random.Generator
) -> tuple[list[dict], list[dict]]:
    """Evacuations and shelter occupancy in the hardest-hit municipios, by name, as reported.

    Shelters carry coordinates (a school or sports hall inside the municipio), but
    the last one has none, as some reports do.
    """
    hit = exposed_people.sort_values(ascending=False)
    names = munis.set_index("CVEGEO")["NOMGEO"]
    sites = munis.set_index("CVEGEO").to_crs("EPSG:4326").geometry.representative_point()
    evac, shelters = [], []
    for rank, (key, exposed) in enumerate(hit.head(8).items()):
        name = names[key]
        shown = name.upper() if rank % 3 == 0 else name  # reported in capitals, sometimes
        if rank % 4 == 1:
            shown = shown.replace("á", "a").replace("Á", "A").replace("í", "i").replace("é", "e")
        people = int(exposed * rng.uniform(0.004, 0.02))
        if rank % 3 == 2:
            evac.append({"municipio": shown, "fecha": (start).isoformat(), "personas": "", "familias": max(1, people // 4)})
        else:
            evac.append({"municipio": shown, "fecha": start.isoformat(), "personas": people, "familias": ""})
        for s in range(1 + rank % 3):
            peak = max(20, int(people * rng.uniform(0.1, 0.3)))
            for day in range(4):
                occupants = int(peak * [0.6, 1.0, 0.7, 0.3][day])
                shelters.append(
                    {
                        "albergue_id": f"ALB-{key}-{s + 1}",
                        "nombre": f"Albergue {s + 1} de {name}",
                        "municipio": name,
                        "latitud": f"{sites[key].y + 0.01 * s:.5f}",
                        "longitud": f"{sites[key].x + 0.01 * s:.5f}",
                        "fecha": (start + dt.timedelta(days=day)).isoformat(),
                        "ocupantes": occupants,
                    }
                )
    for row in shelters[-4:]:
        row["latitud"] = row["longitud"] = ""
    evac.append({"municipio": "San Pedro Inexistente", "fecha": start.isoformat(), "personas": 40, "familias": ""})
    return evac, shelters


def build_demo(directory: str | Path, cell_deg: float = 0.0015, n_points: int = 6000, seed: int = SEED,
               hazard: str = "polygons") -> DemoFiles:
    """Write the demo inputs and ``event.yaml`` under ``directory/inputs``; outputs go to ``directory``.

    ``cell_deg`` sets the population grid (0.0015 deg, about 160 m, gives about 2.5
    million cells); tests pass a coarser grid and fewer points to run in seconds.
    ``hazard``: ``polygons`` (a wind footprint with four classes, the default) or
    ``track`` (a synthetic HURDAT2 best track whose wind swath geodisp models).
    """
    if hazard not in ("polygons", "track"):
        raise ValueError(f"hazard must be 'polygons' or 'track', not {hazard!r}")
    rng = np.random.default_rng(seed)
    out = Path(directory).resolve()
    inputs = out / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    to_4326 = _to_4326()

    land = _state_polygon(rng)
    munis = _municipios(land, len(MUNICIPIO_NAMES), rng)
    hazard_polygons = _wind_footprint(land)
    land_4326 = shapely.transform(land, to_4326, interleaved=False)
    munis_4326 = munis.to_crs("EPSG:4326")
    hazard_4326 = hazard_polygons.to_crs("EPSG:4326")

    transform, shape = _grid(land_4326, cell_deg)
    people = _population(land_4326, munis_4326, transform, shape, rng)
    start = dt.date(2025, 10, 22)
    track_path = inputs / "trayectoria_hurdat2.txt"
    if hazard == "track":
        _write_hurdat2(track_path, _track_fixes(land, start))
        classes = _track_classes(track_path, transform, shape)
    else:
        classes = _classes_at(hazard_4326, transform, shape)
    zones = features.rasterize(
        [(g, i + 1) for i, g in enumerate(munis_4326.geometry)], out_shape=shape, transform=transform, fill=0, dtype="int32"
    )
    per_mun = pd.Series(np.bincount(zones.ravel(), np.nan_to_num(people).ravel(), minlength=len(munis) + 1)[1:],
                        index=munis["CVEGEO"])
    exposed = pd.Series(
        np.bincount(zones.ravel(), (np.nan_to_num(people) * (classes > 0)).ravel(), minlength=len(munis) + 1)[1:],
        index=munis["CVEGEO"],
    )

    files = DemoFiles(
        event=inputs / "event.yaml",
        boundaries=inputs / "municipios.gpkg",
        population=inputs / "poblacion.tif",
        hazard=track_path if hazard == "track" else inputs / "viento.gpkg",
        damage=inputs / "viviendas_danadas.csv",
        census=inputs / "censo_municipal.csv",
        evacuations=inputs / "evacuaciones.csv",
        shelters=inputs / "albergues.csv",
        facilities=inputs / "escuelas_y_salud.csv",
    )
    munis.to_file(files.boundaries, layer="municipios", driver="GPKG")
    if hazard == "polygons":
        hazard_polygons.to_file(files.hazard, layer="viento", driver="GPKG")
    profile = dict(
        driver="GTiff", height=shape[0], width=shape[1], count=1, dtype="float32", crs="EPSG:4326",
        transform=transform, nodata=-9999.0, tiled=True, blockxsize=512, blockysize=512, compress="deflate",
    )
    with rasterio.open(files.population, "w", **profile) as dst:
        dst.write(np.where(np.isnan(people), -9999.0, people).astype("float32"), 1)

    sea = shapely.transform(Point(land.centroid.x, land.bounds[1] - 30_000), to_4326, interleaved=False)
    _write_csv(files.damage, _add_bad_rows(_damage_points(people, classes, transform, land_4326, n_points, rng), (sea.x, sea.y)))
    _write_csv(files.census, _census_rows(munis, per_mun, rng))
    _write_csv(files.facilities, _facilities(people, transform, land_4326, rng))
    evac, shelter_rows = _records(munis, exposed, start, rng)
    _write_csv(files.evacuations, evac)
    _write_csv(files.shelters, shelter_rows)

    event = {
        "event": {
            "id": "demo-huracan-2025", "name": "Huracán Demo (evento sintético)", "hazard_type": "tropical_cyclone",
            "start": start.isoformat(), "end": (start + dt.timedelta(days=3)).isoformat(),
        },
        "boundaries": {"path": files.boundaries.name, "layer": "municipios", "level": "mun"},
        "population": {"path": files.population.name},
        "census": {"path": files.census.name, "household_size": 3.6},
        "hazard": ({"track": files.hazard.name, "format": "hurdat2"} if hazard == "track" else
                   {"path": files.hazard.name, "layer": "viento", "field": "viento_kt", "bins": WIND_BINS,
                    "labels": WIND_LABELS, "units": "kt"}),
        "damage": {"path": files.damage.name, "format": "points",
                   "columns": {"id": "folio", "lat": "latitud", "lon": "longitud", "level": "nivel_dano"}},
        "records": {"evacuations": files.evacuations.name, "shelters": files.shelters.name, "state": STATE},
        "facilities": [{"path": files.facilities.name, "type_field": "tipo", "name_field": "nombre"}],
        "overlay": {"chunk_size": 1024},
        "output": {"directory": "..", "lang": "es", "credit": "synthetic"},
    }
    files.event.write_text(
        "# geodisp demo event: a synthetic hurricane over a synthetic state, generated in code.\n"
        + yaml.safe_dump(event, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return files
