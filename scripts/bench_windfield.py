"""Time the tropical-cyclone wind swath on the national 3″ population grid (not part of the tests).

Inputs are built (or reused) exactly as ``scripts/bench_overlay.py`` builds them,
in ``--work`` (default /tmp/geodisp-bench). Each measurement runs in its own
process; peak memory is that process's resident set, sampled every 50 ms.

Measurements:

- ``floor``: read every 2,048² window of the population raster once, 2 threads.
- ``windfield``: the Holland 2008 swath of a major hurricane crossing Mexico,
  classified by Saffir-Simpson, computed over every population chunk (threaded
  scheduler) and reduced to cells per class.
- ``windfield_cog``: the same swath written as a COG (``write_intensity_cog``).
- ``overlay``: the whole overlay with that footprint: zone cache reused, people per
  (municipio, class).

    .venv/bin/python scripts/bench_windfield.py --work /tmp/geodisp-bench --scale 1
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_overlay import grid_shape, measure, prepare  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: The real municipios, for the overlay measurement: ../shared/data next to the clone (or its worktree folder).
MUNICIPIOS = [p / "shared" / "data" / "inegi" / "municipios_2020.gpkg" for p in (REPO.parent, REPO.parent.parent)]


def inputs(work: Path, scale: float) -> dict:
    """The population raster bench_overlay.py built (built here the same way when missing) and the units."""
    pop = work / f"population-{scale:g}.tif"
    units = work / "units.gpkg"
    if not pop.exists():
        return prepare(work, scale, 200_000)
    found = units if units.exists() else next((p for p in MUNICIPIOS if p.exists()), None)
    return {"population": str(pop), "units": str(found) if found else None}

TOOLS = ["floor", "windfield", "windfield_cog", "overlay"]

#: A synthetic major hurricane: from the Pacific off Guerrero, landfall near Lázaro
#: Cárdenas at 120 kt, across the Mexican plateau, into the Gulf near Tampico.
FIXES = [
    ("2025-10-01 00:00", 15.0, -103.6, 115, 945), ("2025-10-01 06:00", 16.0, -103.0, 120, 940),
    ("2025-10-01 12:00", 17.2, -102.3, 120, 940), ("2025-10-01 18:00", 18.4, -101.6, 95, 960),
    ("2025-10-02 00:00", 19.6, -100.8, 70, 980), ("2025-10-02 06:00", 20.6, -99.8, 55, 990),
    ("2025-10-02 12:00", 21.5, -98.6, 50, 994), ("2025-10-02 18:00", 22.3, -97.3, 60, 988),
    ("2025-10-03 00:00", 23.0, -96.0, 70, 982),
]
RADII_NM = {34: (150, 130, 100, 120), 50: (80, 70, 50, 60), 64: (45, 40, 30, 35)}


def track():
    import numpy as np
    import pandas as pd

    from geodisp.hazard_models import windfield as wf

    frame = pd.DataFrame(FIXES, columns=["time", "lat", "lon", "vmax_kt", "pressure_hpa"])
    frame["time"] = pd.to_datetime(frame["time"])
    frame["env_pressure_hpa"] = np.nan
    frame["rmax_km"] = np.nan
    for kt, quads in RADII_NM.items():
        for q, r in zip(wf.QUADRANTS, quads):
            frame[f"r{kt}_{q}_km"] = np.where(frame["vmax_kt"] > kt, r * wf.NM * frame["vmax_kt"] / 120.0, 0.0)
    frame["lead_hours"] = 0.0
    frame["record"] = [f"fix {i}" for i in range(len(frame))]
    return frame


def run_tool(tool: str, work: Path, scale: float, chunks: int) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    files = inputs(work, scale)
    pop_path = Path(files["population"])
    out: dict = {}
    if tool == "floor":
        from concurrent.futures import ThreadPoolExecutor

        import rasterio
        from rasterio.windows import Window

        with rasterio.open(pop_path) as src:
            H, W = src.height, src.width
        windows = [(r, c) for r in range(0, H, chunks) for c in range(0, W, chunks)]

        def read(rc):
            r, c = rc
            with rasterio.open(pop_path) as s:
                return s.read(1, window=Window(c, r, min(chunks, W - c), min(chunks, H - r))).size

        t = time.perf_counter()
        with ThreadPoolExecutor(2) as ex:
            cells = sum(ex.map(read, windows))
        out["seconds"] = time.perf_counter() - t
        out["note"] = f"2 threads read every {chunks}² window of the population raster ({cells:,} cells)"
        return out

    import dask.array as da
    import numpy as np

    from geodisp.hazard_models.swath import wind_footprint
    from geodisp.sources.population import open_population

    t = time.perf_counter()
    pop = open_population(pop_path, chunks=chunks)
    fp = wind_footprint(track(), pop)
    out["graph_seconds"] = time.perf_counter() - t
    r0, c0, h, w = fp.window
    out["window"] = f"{h} x {w} cells of {pop.shape[0]} x {pop.shape[1]}"
    if tool == "windfield":
        top = fp.raster.data.max()  # every class chunk computed, the cheapest reduction
        t0 = time.perf_counter()
        (top,) = da.compute(top)
        out["compute_seconds"] = time.perf_counter() - t0
        out["highest_class"] = int(top)
    elif tool == "windfield_cog":
        from geodisp.outputs.hazard import write_intensity_cog

        t0 = time.perf_counter()
        path = write_intensity_cog(work / "wind_kt.tif", fp.intensity, None, "wind_kt", "kt")
        out["compute_seconds"] = time.perf_counter() - t0
        out["cog_mib"] = os.path.getsize(path) / 2**20
    elif tool == "overlay":
        import geopandas as gpd

        from geodisp.zonal import crosstab, hazard_raster, zone_raster

        units = gpd.read_file(files["units"]).to_crs("EPSG:6372")
        if "CVEGEO" in units.columns:
            units = units.rename(columns={"CVEGEO": "cvegeo"})
        t0 = time.perf_counter()
        zones = zone_raster(units, like=pop, cache_dir=work / "zone-cache")
        table = crosstab(pop, zones, hazard_raster(fp, like=pop), n_classes=fp.n_classes).table
        out["compute_seconds"] = time.perf_counter() - t0
        out["people"] = float(table["people"].sum())
        out["exposed_by_class"] = [float(x) for x in table.groupby("hazard_class")["people"].sum()]
    out["seconds"] = out["graph_seconds"] + out["compute_seconds"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/geodisp-bench"))
    ap.add_argument("--scale", type=float, default=1.0, help="resolution relative to 3 arc-seconds")
    ap.add_argument("--chunks", type=int, default=2048)
    ap.add_argument("--only", default=",".join(TOOLS))
    ap.add_argument("tool", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tool:  # child: _run TOOL
        print(json.dumps(run_tool(args.tool[1], args.work, args.scale, args.chunks)))
        return
    inputs(args.work, args.scale)
    cell, h, w = grid_shape(args.scale)
    out = args.work / f"windfield-{args.scale:g}.json"
    results = {"grid": f"{h} x {w} cells of {cell * 3600:.2f} arc-seconds", "tools": {}}
    for tool in args.only.split(","):
        cmd = [sys.executable, __file__, "--work", str(args.work), "--scale", str(args.scale), "--chunks", str(args.chunks), "_run", tool]
        res = measure(cmd, None, 1200)
        results["tools"][tool] = res
        print(f"{tool:14s} {json.dumps(res)}", flush=True)
        out.write_text(json.dumps(results, indent=1))
    floor = results["tools"].get("floor", {}).get("seconds")
    print("\n| measurement | wall s | × floor | peak RSS MiB |\n|---|---:|---:|---:|")
    for tool, r in results["tools"].items():
        s = r.get("seconds")
        ratio = f"{s / floor:.2f}" if s and floor else ""
        print(f"| {tool} | {s if s is None else round(s, 2)} | {ratio} | {r['peak_rss_mib']:.0f} |")


if __name__ == "__main__":
    main()
