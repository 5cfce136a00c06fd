"""Benchmark the overlay against its peers at national scale (not part of the test suite).

    .venv/bin/python scripts/bench_overlay.py --work /tmp/geodisp-bench --scale 1.0

Inputs are built once into ``--work`` and reused:

- units: the 2,473 real municipios from ../shared/data/inegi (synthetic Voronoi
  municipios of the same count when that folder is absent), in EPSG:6372;
- population: a 3-arc-second float32 GeoTIFF over Mexico's extent (38,400 × 22,080
  cells at ``--scale 1``; ``--scale 0.5`` halves the resolution), built in strips
  from the locality polygons' Censo 2020 counts (rural remainder spread over each
  municipio) times log-normal per-cell texture, NaN off land, DEFLATE tiles;
- hazard: a 4-class footprint (nested buffers around a hurricane track crossing
  Guerrero, Michoacán, Jalisco, Nayarit, Sinaloa), as polygons and as a uint8 raster
  on the population grid;
- zones: geodisp's zone cache (uint16) for the municipios on that grid;
- points: 1,000,000 points scattered around localities, weighted by population.

Each tool runs in its own process (``_run TOOL``); the parent samples the resident
memory of that process and all its children (Dask workers) every 50 ms and records
the peak. Results go to ``--work/results-<scale>.json`` and are printed as a
Markdown table for BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "inegi"
ARCSEC3 = 1.0 / 1200.0
WEST, EAST, SOUTH, NORTH = -118.5, -86.5, 14.4, 32.8
TOOLS = [
    "floor", "geodisp_cold", "geodisp_warm", "geodisp_cold_lazy", "flox", "xrspatial",
    "exactextract", "rasterstats", "points_geodisp", "points_sjoin",
]


# --------------------------------------------------------------------------- inputs
def grid_shape(scale: float) -> tuple[float, int, int]:
    cell = ARCSEC3 / scale
    return cell, int(round((NORTH - SOUTH) / cell)), int(round((EAST - WEST) / cell))


def load_units(work: Path):
    import geopandas as gpd

    path = work / "units.gpkg"
    if path.exists():
        return gpd.read_file(path)
    src = SHARED / "municipios_2020.gpkg"
    if src.exists():
        mun = gpd.read_file(src, layer="municipios")
        units = gpd.GeoDataFrame(
            {"cvegeo": mun["cvegeo"].astype(str), "level": "mun", "name": mun["nomgeo"], "pob": mun["pob"]},
            geometry=mun.geometry.make_valid(), crs=mun.crs,
        ).to_crs("EPSG:6372")
    else:  # synthetic: 2,473 Voronoi municipios over a rough outline of Mexico
        import shapely

        rng = np.random.default_rng(0)
        outline = shapely.Polygon([(-117, 32.5), (-106, 31.5), (-97, 26), (-97.5, 21), (-91, 18.5), (-87, 21.5), (-88.5, 17.5), (-92, 14.6), (-105, 19.5), (-110, 24), (-114, 28)])
        seeds = []
        while len(seeds) < 2473:
            p = shapely.Point(rng.uniform(-117, -87), rng.uniform(14.6, 32.5))
            if outline.contains(p):
                seeds.append(p)
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=outline))
        geoms = [shapely.segmentize(shapely.intersection(c, outline), 0.002) for c in cells]
        units = gpd.GeoDataFrame(
            {"cvegeo": [f"{1 + i // 100:02d}{1 + i % 100:03d}" for i in range(len(geoms))], "level": "mun",
             "name": [f"Municipio {i}" for i in range(len(geoms))], "pob": rng.lognormal(10, 1.3, len(geoms)).round()},
            geometry=geoms, crs="EPSG:4326",
        ).to_crs("EPSG:6372")
    units.to_file(path, layer="units", driver="GPKG")
    return units


def load_localities(units):
    import geopandas as gpd
    import shapely

    src = SHARED / "localidades_2020.gpkg"
    if src.exists():
        loc = gpd.read_file(src, layer="localidades", columns=["cvegeo", "pob"]).to_crs("EPSG:6372")
        loc["geometry"] = loc.geometry.make_valid()
        loc["pob"] = loc["pob"].fillna(0.0)
        return loc
    rng = np.random.default_rng(1)  # synthetic: circles inside the units
    pts = units.sample_points(size=20).explode(index_parts=False)
    return gpd.GeoDataFrame({"cvegeo": "x", "pob": rng.lognormal(6, 1.5, len(pts))}, geometry=shapely.buffer(pts.values, rng.uniform(200, 3000, len(pts))), crs=units.crs)


def footprint(units_crs="EPSG:6372"):
    import geopandas as gpd
    import pandas as pd
    import shapely
    from pyproj import Transformer

    from geodisp.model.footprint import Footprint

    track_ll = [(-98.8, 15.6), (-100.6, 16.6), (-102.6, 17.6), (-104.6, 19.0), (-106.0, 21.0), (-107.4, 23.6), (-108.6, 26.0)]
    t = Transformer.from_crs("EPSG:4326", units_crs, always_xy=True)
    track = shapely.LineString([t.transform(x, y) for x, y in track_ll])
    radii = [(1, 220_000), (2, 140_000), (3, 80_000), (4, 35_000)]
    geoms = [shapely.segmentize(track.buffer(r, quad_segs=32), 5000) for _, r in radii]
    vec = gpd.GeoDataFrame({"hazard_class": [c for c, _ in radii]}, geometry=geoms, crs=units_crs)
    classes = pd.DataFrame({"hazard_class": [1, 2, 3, 4], "label": ["34-63 kt", "64-82 kt", "83-95 kt", ">= 96 kt"],
                            "lower": [34.0, 64, 83, 96], "upper": [63.0, 82, 95, np.nan]})
    return Footprint(classes=classes, vector=vec, field="wind", units="kt", source="bench track")


def build_population(work: Path, scale: float, units) -> Path:
    """The textured 3″ raster, written strip by strip (memory: one strip)."""
    import rasterio
    import rasterio.features
    import shapely
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    path = work / f"population-{scale:g}.tif"
    if path.exists():
        return path
    cell, height, width = grid_shape(scale)
    transform = from_origin(WEST, NORTH, cell, cell)
    loc_6372 = load_localities(units).reset_index(drop=True)
    mun = units.to_crs("EPSG:4326").reset_index(drop=True)
    loc = loc_6372.to_crs("EPSG:4326")

    def cells(frame, geoms_6372):  # cells per polygon from its area and latitude
        lat = np.radians(shapely.get_y(shapely.centroid(frame.geometry.values)))
        cell_m2 = (6_371_000 * np.radians(cell)) ** 2 * np.cos(lat)
        return np.maximum(shapely.area(geoms_6372) / cell_m2, 1.0)

    loc_cells = cells(loc, loc_6372.geometry.values)
    mun_cells = cells(mun, units.geometry.values)
    loc_mun = loc["cvegeo"].str[:5] if "cvegeo" in loc else None
    loc_sum = loc.groupby(loc_mun)["pob"].sum() if loc_mun is not None else None
    rural = np.maximum(mun["pob"].to_numpy(float) - (loc_sum.reindex(mun["cvegeo"]).fillna(0).to_numpy() if loc_sum is not None else 0), 0.05 * mun["pob"].to_numpy(float))
    dens_mun = np.concatenate([[np.nan], rural / mun_cells]).astype("float32")
    dens_loc = np.concatenate([[0.0], loc["pob"].to_numpy(float) / loc_cells]).astype("float32")
    mun_geoms, loc_geoms = mun.geometry.values, loc.geometry.values
    mun_b, loc_b = shapely.bounds(mun_geoms), shapely.bounds(loc_geoms)
    rng = np.random.default_rng(42)
    strip = 1024
    profile = dict(driver="GTiff", height=height, width=width, count=1, dtype="float32", crs="EPSG:4326",
                   transform=transform, nodata=np.nan, tiled=True, blockxsize=512, blockysize=512,
                   compress="DEFLATE", predictor=3, BIGTIFF="YES", num_threads="ALL_CPUS", sparse_ok=True)
    tmp = path.with_suffix(".part.tif")
    t0 = time.time()
    with rasterio.open(tmp, "w", **profile) as dst:
        for r0 in range(0, height, strip):
            h = min(strip, height - r0)
            st = transform * rasterio.Affine.translation(0, r0)
            north, south = st.f, st.f - h * cell
            def burn(geoms, b, dtype):
                idx = np.flatnonzero((b[:, 1] <= north) & (b[:, 3] >= south))
                if idx.size == 0:
                    return np.zeros((h, width), dtype=dtype)
                return rasterio.features.rasterize(zip(geoms[idx], (idx + 1).tolist()), out_shape=(h, width), transform=st, dtype=dtype)
            m = burn(mun_geoms, mun_b, "uint16")
            if not m.any():
                continue
            lc = burn(loc_geoms, loc_b, "uint32")
            base = np.where(lc > 0, dens_loc[lc], dens_mun[m])
            base[m == 0] = np.nan
            texture = rng.lognormal(-0.32, 0.8, size=base.shape).astype("float32")  # mean 1
            dst.write((base * texture).astype("float32"), 1, window=Window(0, r0, width, h))
            print(f"  population rows {r0 + h}/{height} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
    os.replace(tmp, path)
    return path


def open_pop(path: Path, chunks: int = 2048):
    import rioxarray

    arr = rioxarray.open_rasterio(path, chunks={"band": 1, "y": chunks, "x": chunks}, masked=True, lock=False)
    return arr.squeeze("band", drop=True).astype("float64")


def build_hazard_tif(work: Path, scale: float, pop_path: Path) -> Path:
    import dask
    import rasterio

    from geodisp.zonal import hazard_raster

    path = work / f"hazard-{scale:g}.tif"
    if path.exists():
        return path
    pop = open_pop(pop_path)
    hz = hazard_raster(footprint(), pop)
    profile = dict(driver="GTiff", height=hz.shape[0], width=hz.shape[1], count=1, dtype="uint8", crs=pop.rio.crs,
                   transform=pop.rio.transform(), tiled=True, blockxsize=512, blockysize=512, compress="ZSTD", sparse_ok=True)
    tmp = path.with_suffix(".part.tif")
    with rasterio.open(tmp, "w", **profile) as dst:
        blocks = hz.data.to_delayed()
        r0 = 0
        for i, hrow in enumerate(hz.data.chunks[0]):
            c0 = 0
            vals = dask.compute(*blocks[i])
            for v, w in zip(vals, hz.data.chunks[1]):
                if v.any():
                    dst.write(v, 1, window=rasterio.windows.Window(c0, r0, w, hrow))
                c0 += w
            r0 += hrow
    os.replace(tmp, path)
    return path


def build_points(work: Path, units, n: int) -> Path:
    import shapely

    path = work / f"points-{n}.npy"
    if path.exists():
        return path
    loc = load_localities(units)
    rng = np.random.default_rng(3)
    w = loc["pob"].to_numpy(float)
    pick = rng.choice(len(loc), size=n, p=w / w.sum())
    c = shapely.point_on_surface(loc.geometry.values)
    xy = np.column_stack([shapely.get_x(c)[pick], shapely.get_y(c)[pick]]) + rng.normal(0, 1500, size=(n, 2))
    np.save(path, xy)
    return path


def prepare(work: Path, scale: float, n_points: int) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    units = load_units(work)
    pop = build_population(work, scale, units)
    hz = build_hazard_tif(work, scale, pop)
    pts = build_points(work, units, n_points)
    print(f"inputs ready in {time.time() - t0:.0f} s", file=sys.stderr)
    return {"units": str(work / "units.gpkg"), "population": str(pop), "hazard": str(hz), "points": str(pts)}


# --------------------------------------------------------------------------- tools
def zone_tif(work: Path, scale: float) -> Path:
    """The warm zone cache (built by geodisp_warm's untimed warm-up)."""
    import geopandas as gpd

    from geodisp.zonal import zone_raster

    pop = open_pop(Path(work / f"population-{scale:g}.tif"))
    z = zone_raster(gpd.read_file(work / "units.gpkg"), pop, cache_dir=work / f"zones-{scale:g}")
    return z.path


def run_tool(tool: str, work: Path, scale: float, args) -> dict:
    import geopandas as gpd
    import warnings

    warnings.simplefilter("ignore")
    inputs = prepare(work, scale, args.points)
    pop_path, hz_path = Path(inputs["population"]), Path(inputs["hazard"])
    units = gpd.read_file(inputs["units"])
    out: dict = {}

    if tool == "floor":
        import rasterio
        from concurrent.futures import ThreadPoolExecutor
        from rasterio.windows import Window

        paths = [pop_path, zone_tif(work, scale), hz_path]
        with rasterio.open(pop_path) as src:
            H, W = src.height, src.width
        step = 2048
        windows = [(r, c) for r in range(0, H, step) for c in range(0, W, step)]

        def read(rc):
            r, c = rc
            n = 0
            for p in paths:
                with rasterio.open(p) as s:
                    n += s.read(1, window=Window(c, r, min(step, W - c), min(step, H - r))).size
            return n

        t = time.perf_counter()
        with ThreadPoolExecutor(2) as ex:
            cells = sum(ex.map(read, windows))
        out["seconds"] = time.perf_counter() - t
        out["note"] = f"2 threads read every {step}² window of population, zone and hazard rasters ({cells:,} cells)"
        return out

    if tool.startswith("geodisp"):
        import shutil

        from geodisp import cluster
        from geodisp.sources.population import open_population
        from geodisp.zonal import crosstab, hazard_raster, zone_raster

        fp = footprint()
        cache = work / f"zones-{scale:g}" if tool == "geodisp_warm" else work / f"zones-cold-{scale:g}"
        if tool == "geodisp_warm":
            zone_tif(work, scale)  # untimed: make sure the cache exists
        else:
            shutil.rmtree(cache, ignore_errors=True)
        t_client = time.perf_counter()
        import contextlib

        with (cluster.client(workers=args.workers) if args.workers else contextlib.nullcontext()):
            out["client_seconds"] = time.perf_counter() - t_client
            t = time.perf_counter()
            pop = open_population(pop_path, args.chunks)  # as a run opens it (float32 windows)
            zones = zone_raster(units, pop, cache_dir=None if tool == "geodisp_cold_lazy" else cache)
            t_z = time.perf_counter()
            table = crosstab(pop, zones, hazard_raster(fp, pop), n_classes=fp.n_classes).table
            out["seconds"] = time.perf_counter() - t
            out["zone_seconds"] = t_z - t
        out["cache"] = zones.cache
        out["people"] = float(table["people"].sum())
        out["exposed"] = float(table.loc[table.hazard_class > 0, "people"].sum())
        table.to_csv(work / f"table-{tool}-{scale:g}.csv", index=False)
        return out

    if tool in ("flox", "xrspatial"):
        import dask
        import rioxarray

        zpath = zone_tif(work, scale)
        pop = open_pop(pop_path, args.chunks)
        z = rioxarray.open_rasterio(zpath, chunks={"band": 1, "y": args.chunks, "x": args.chunks}, lock=False).squeeze("band", drop=True)
        h = rioxarray.open_rasterio(hz_path, chunks={"band": 1, "y": args.chunks, "x": args.chunks}, lock=False).squeeze("band", drop=True)
        n_units = len(units)
        t = time.perf_counter()
        with dask.config.set(scheduler="threads", num_workers=2):
            if tool == "flox":
                from flox.xarray import xarray_reduce

                z = z.rename("zone").assign_coords(x=pop.x, y=pop.y)
                h = h.rename("hz").assign_coords(x=pop.x, y=pop.y)
                res = xarray_reduce(pop.fillna(0), z, h, func="sum",
                                    expected_groups=(np.arange(n_units + 1), np.arange(5)), engine="numpy")
                res = res.compute()
                out["people"] = float(res.sum())
            else:
                from xrspatial.zonal import stats

                combined = (z.astype("int32") * 5 + h.astype("int32"))
                combined = combined.assign_coords(x=pop.x, y=pop.y)
                res = stats(zones=combined, values=pop, stats_funcs=["sum"])
                res = res.compute() if hasattr(res, "compute") else res
                out["people"] = float(res["sum"].sum())
        out["seconds"] = time.perf_counter() - t
        return out

    if tool == "exactextract":
        from exactextract import exact_extract

        u = units.to_crs("EPSG:4326")
        t = time.perf_counter()
        frac = exact_extract(str(hz_path), u, ["unique", "weighted_frac(default_weight=0)"], weights=str(pop_path), include_cols=["cvegeo"], output="pandas")
        total = exact_extract(str(pop_path), u, ["sum"], include_cols=["cvegeo"], output="pandas")
        out["seconds"] = time.perf_counter() - t
        rows = [(k, int(c), f * s) for k, cs, fs, s in zip(frac["cvegeo"], frac["unique"], frac["weighted_frac"], total["sum"]) for c, f in zip(cs, fs)]
        out["people"] = float(sum(r[2] for r in rows if np.isfinite(r[2])))
        out["note"] = "weighted_frac of hazard classes weighted by population, times each unit's population sum (two calls); coverage-fraction weighted"
        return out

    if tool == "rasterstats":
        import rasterio
        from rasterstats import zonal_stats

        u = units.to_crs("EPSG:4326")
        sub = u.sample(n=args.rasterstats_units, random_state=1)
        t = time.perf_counter()
        with rasterio.open(hz_path) as hsrc:
            for geom in sub.geometry:
                zs = zonal_stats(geom, str(pop_path), stats=["sum"], raster_out=True, nodata=np.nan)[0]
                mini = zs["mini_raster_array"]
                aff = zs["mini_raster_affine"]
                col, row = ~hsrc.transform * (aff.c, aff.f)
                win = rasterio.windows.Window(int(round(col)), int(round(row)), mini.shape[1], mini.shape[0])
                hz = hsrc.read(1, window=win, boundless=True, fill_value=0)
                vals = np.ma.filled(mini.astype("float64"), 0.0)
                vals[np.isnan(vals)] = 0
                np.bincount(hz.ravel(), weights=vals.ravel(), minlength=5)
        sec = time.perf_counter() - t
        out["seconds_subset"] = sec
        out["seconds"] = sec * len(u) / len(sub)
        out["note"] = f"{len(sub)} of {len(u)} municipios timed, extrapolated by unit count"
        return out

    if tool.startswith("points"):
        import geopandas as gpd

        xy = np.load(inputs["points"])
        pts = gpd.GeoDataFrame({"record": np.arange(len(xy))}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:6372")
        if tool == "points_geodisp":
            from geodisp.zonal import assign_points

            t = time.perf_counter()
            kept, rejects = assign_points(pts, units, None)
            out["seconds"] = time.perf_counter() - t
            out["assigned"], out["rejected"] = len(kept), len(rejects)
            t = time.perf_counter()
            kept2, _ = assign_points(pts, units, footprint())
            out["seconds_with_hazard"] = time.perf_counter() - t
        else:
            t = time.perf_counter()
            j = gpd.sjoin(pts, units[["cvegeo", "geometry"]], predicate="intersects", how="left")
            out["seconds"] = time.perf_counter() - t
            out["assigned"] = int(j["cvegeo"].notna().groupby(level=0).any().sum())
        return out
    raise SystemExit(f"unknown tool {tool}")


# --------------------------------------------------------------------------- driver
def measure(cmd: list[str], limit_gib: float | None, timeout: float | None = None, also: tuple[int, ...] = (),
            gdal_cache: str | None = "64") -> dict:
    """Run one tool in its own process; peak RSS of its process tree (and of the processes
    ``also`` names, e.g. Dask workers started apart), sampled every 50 ms. ``gdal_cache``:
    GDAL_CACHEMAX for the process (None: leave the environment as it is)."""
    import psutil

    def limit():
        if limit_gib:
            b = int(limit_gib * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (b, b))

    t0 = time.perf_counter()
    # GDAL's block cache defaults to 5 % of RAM per process; every tool reads each tile
    # once, so all of them get the same small cache (geodisp's local workers use it too)
    env = dict(os.environ, GDAL_CACHEMAX=os.environ.get("GDAL_CACHEMAX", gdal_cache)) if gdal_cache else dict(os.environ)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit, env=env)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        p = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [p] + p.children(recursive=True)
                for pid in also:
                    q = psutil.Process(pid)
                    procs += [q] + q.children(recursive=True)
                rss = sum(q.memory_info().rss for q in procs if q.is_running())
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for q in psutil.Process(proc.pid).children(recursive=True):
            q.kill()
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += f"\ntimed out after {timeout:.0f} s (killed)"
    stop.set()
    th.join()
    res = {"wall_process": time.perf_counter() - t0, "peak_rss_mib": peak / 2**20, "returncode": proc.returncode}
    try:
        res.update(json.loads(stdout.strip().splitlines()[-1]))
    except (IndexError, json.JSONDecodeError):
        tail = stderr.strip().splitlines()[-3:]
        res["error"] = " | ".join(tail)[-400:]
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/geodisp-bench"))
    ap.add_argument("--scale", type=float, default=1.0, help="resolution relative to 3 arc-seconds")
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--chunks", type=int, default=2048)
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes for geodisp (0: threaded scheduler)")
    ap.add_argument("--rasterstats-units", type=int, default=40)
    ap.add_argument("--limit-gib", type=float, default=8.0, help="address-space cap per tool process")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds before a tool is killed and recorded as timed out")
    ap.add_argument("--only", default=",".join(TOOLS))
    ap.add_argument("tool", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tool:  # child: _run TOOL
        res = run_tool(args.tool[1], args.work, args.scale, args)
        print(json.dumps(res))
        return
    inputs = prepare(args.work, args.scale, args.points)
    cell, h, w = grid_shape(args.scale)
    sizes = {k: os.path.getsize(v) for k, v in inputs.items() if k != "units"}
    results = {"machine": f"{platform.platform()}, {os.cpu_count()} cores", "scale": args.scale,
               "grid": f"{h} x {w} cells of {cell * 3600:.2f} arc-seconds", "sizes_mib": {k: v / 2**20 for k, v in sizes.items()},
               "command": " ".join([sys.executable] + sys.argv), "tools": {}}
    out = args.work / f"results-{args.scale:g}.json"
    if out.exists():
        results["tools"] = json.loads(out.read_text()).get("tools", {})
    for tool in args.only.split(","):
        cmd = [sys.executable, __file__, "--work", str(args.work), "--scale", str(args.scale), "--points", str(args.points),
               "--chunks", str(args.chunks), "--workers", str(args.workers), "--rasterstats-units", str(args.rasterstats_units), "_run", tool]
        res = measure(cmd, None if tool.startswith("geodisp") else args.limit_gib, args.timeout)
        key = f"{tool}@{args.workers}procs" if tool.startswith("geodisp") and args.workers else tool
        res["workers"] = args.workers if tool.startswith("geodisp") else None
        results["tools"][key] = res
        print(f"{key:20s} {json.dumps(res)}", flush=True)
        out.write_text(json.dumps(results, indent=1))
    floor = results["tools"].get("floor", {}).get("seconds")
    print(f"\n| tool | wall s | × floor | peak RSS MiB | note |\n|---|---|---|---|---|")
    for tool, r in results["tools"].items():
        s = r.get("seconds")
        ratio = f"{s / floor:.2f}" if s and floor else ""
        print(f"| {tool} | {s if s is None else round(s, 2)} | {ratio} | {r['peak_rss_mib']:.0f} | {r.get('error') or r.get('note', '')} |")


if __name__ == "__main__":
    main()
