"""Time a whole ``geodisp run`` at national scale, stage by stage (not part of the test suite).

    .venv/bin/python scripts/bench_run.py --work /tmp/geodisp-bench --scales 0.25,0.5,1 --distributed 1

Inputs are the overlay benchmark's (``scripts/bench_overlay.py``, imported, built once
into ``--work``): the 2,473 municipios, the 3″ population raster at each scale, the
4-class hurricane footprint (written here as a GeoPackage of wind polygons) and
``--points`` damaged dwellings drawn around localities in proportion to population
(written as a CSV with latitude, longitude and a damage level).

Each run is the real CLI (``geodisp run event.yaml --quiet``) in its own process,
cold (empty zone cache) then warm (cache reused). The parent samples the resident
memory of that process and all its children every 50 ms (with ``--distributed``,
also of the ``dask scheduler`` and ``dask worker`` processes); seconds per stage come
from the run's ``manifest.json``. The read floor (``bench_overlay.py``'s ``floor``
tool: every population, zone and hazard window read once, 2 threads) is measured in
the same invocation, so ratios compare runs made under the same load.

With ``--distributed SCALE`` the national run is repeated on a separate-process
scheduler (``dask scheduler`` + two ``dask worker --nthreads 1`` on 127.0.0.1, passed
with ``--scheduler``) and its figures are compared with the threaded run's.
Results: ``--work/run-results.json`` and a Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_overlay as bo  # noqa: E402  (the overlay benchmark's input builders and sampler)

REPO = Path(__file__).resolve().parents[1]
GEODISP = str(Path(sys.executable).with_name("geodisp"))
#: Wind speed written for each class of the benchmark footprint, and the bins that read it back.
CLASS_KT = {1: 50, 2: 70, 3: 90, 4: 110}
BINS = [34, 64, 83, 96, 200]
LABELS = ["34-63 kt", "64-82 kt", "83-95 kt", ">= 96 kt"]
LEVELS = ["Pérdida total", "Severo", "Parcial", "Menor"]


def write_event(work: Path, scale: float, inputs: dict, n_points: int, chunks: int) -> Path:
    """The event folder for one scale: hazard GeoPackage, damage CSV, event.yaml (built once)."""
    import geopandas as gpd
    import pandas as pd
    import yaml

    folder = work / f"run-{scale:g}"
    event = folder / "event.yaml"
    if event.exists():
        return event
    folder.mkdir(parents=True, exist_ok=True)
    fp = bo.footprint()
    vec = fp.vector.assign(viento_kt=fp.vector["hazard_class"].map(CLASS_KT)).drop(columns="hazard_class")
    vec.to_file(folder / "viento.gpkg", layer="viento", driver="GPKG")
    xy = np.load(inputs["points"])
    pts = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:6372").to_crs("EPSG:4326")
    rng = np.random.default_rng(5)
    pd.DataFrame({
        "folio": [f"VIV-{i + 1:07d}" for i in range(len(xy))],
        "latitud": np.round(pts.y.to_numpy(), 6), "longitud": np.round(pts.x.to_numpy(), 6),
        "nivel_dano": rng.choice(LEVELS, size=len(xy), p=[0.1, 0.2, 0.3, 0.4]),
    }).to_csv(folder / "viviendas_danadas.csv", index=False)
    spec = {
        "event": {"id": f"bench-national-{scale:g}", "name": "Huracán de referencia (benchmark)", "hazard_type": "tropical_cyclone",
                  "start": "2025-10-22", "end": "2025-10-25"},
        "boundaries": {"path": inputs["units"], "layer": "units", "level": "mun", "key_field": "cvegeo", "name_field": "name"},
        "population": {"path": inputs["population"]},
        "hazard": {"path": "viento.gpkg", "layer": "viento", "field": "viento_kt", "bins": BINS, "labels": LABELS, "units": "kt"},
        "damage": {"path": "viviendas_danadas.csv", "format": "points",
                   "columns": {"id": "folio", "lat": "latitud", "lon": "longitud", "level": "nivel_dano"}},
        "overlay": {"chunk_size": chunks, "cache_dir": str(work / f"run-cache-{scale:g}")},
        "output": {"directory": str(folder / "out"), "lang": "es", "credit": "synthetic"},
    }
    event.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return event


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DaskCluster:
    """``dask scheduler`` and ``n`` ``dask worker`` processes on 127.0.0.1 (stopped on exit)."""

    def __init__(self, workers: int = 2) -> None:
        self.workers, self.procs = workers, []
        self.address = f"tcp://127.0.0.1:{_free_port()}"

    def __enter__(self) -> "DaskCluster":
        dask_cli = str(Path(sys.executable).with_name("dask"))
        port = self.address.rsplit(":", 1)[1]
        log = open(os.devnull, "w")
        self.procs.append(subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], stdout=log, stderr=log))
        env = dict(os.environ, GDAL_CACHEMAX="64")
        for _ in range(self.workers):
            self.procs.append(subprocess.Popen([dask_cli, "worker", self.address, "--nthreads", "1", "--no-dashboard",
                                                "--memory-limit", "4GiB"], stdout=log, stderr=log, env=env))
        from distributed import Client

        with Client(self.address, timeout=60) as c:
            c.wait_for_workers(self.workers, timeout=120)
        return self

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def __exit__(self, *exc) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def run_once(event: Path, out: Path, scheduler: str | None = None, also: list[int] = ()) -> dict:
    """One ``geodisp run`` in its own process: wall seconds, peak RSS, stage seconds from the manifest."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [GEODISP, "run", str(event), "--out", str(out), "--quiet"] + (["--scheduler", scheduler] if scheduler else [])
    res = bo.measure(cmd, None, timeout=1800, also=tuple(also), gdal_cache=None)  # the environment users have
    if res["returncode"] == 0:
        res.pop("error", None)  # the CLI prints no JSON line
    manifest = out / "latest" / "manifest.json"  # runs publish under <out>/latest/
    if manifest.exists():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        res["stages"] = m.get("timings_s", {})
        res["cache"] = m.get("zone_cache")
    res["command"] = " ".join(cmd)
    return res


def figures_of(out: Path) -> dict:
    import pandas as pd

    run = out / "latest" if (out / "latest").exists() else out  # runs publish under <out>/latest/
    f = next(run.glob("*_figures.csv"))
    t = pd.read_csv(f, dtype={"cvegeo": str}, encoding="utf-8-sig")
    return t


def bench_scale(args, scale: float) -> dict:
    inputs = bo.prepare(args.work, scale, args.points)
    event = write_event(args.work, scale, inputs, args.points, args.chunks)
    folder = event.parent
    res: dict = {}
    floor_cmd = [sys.executable, bo.__file__, "--work", str(args.work), "--scale", str(scale), "--points", str(args.points),
                 "--chunks", str(args.chunks), "--workers", "0", "_run", "floor"]
    res["floor"] = bo.measure(floor_cmd, None, timeout=600)
    shutil.rmtree(args.work / f"run-cache-{scale:g}", ignore_errors=True)
    res["cold"] = run_once(event, folder / "out-cold")
    res["warm"] = run_once(event, folder / "out-warm")
    if scale == args.distributed:
        with DaskCluster(2) as cluster:
            res["distributed"] = run_once(event, folder / "out-dist", cluster.address, cluster.pids())
        print(json.dumps(res, default=str), flush=True)  # kept even if the comparison below fails
        a, b = figures_of(folder / "out-warm"), figures_of(folder / "out-dist")
        same = a.shape == b.shape and np.allclose(a.select_dtypes("number").to_numpy(), b.select_dtypes("number").to_numpy(), rtol=1e-9, equal_nan=True)
        res["distributed"]["same_figures"] = bool(same)
    return res


def table(results: dict) -> str:
    lines = ["| scale | run | wall s | read | overlay | estimate | write | × floor | peak RSS MiB |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for scale, res in results["scales"].items():
        floor = res["floor"].get("seconds")
        lines.append(f"| {scale} | read floor | {floor:.2f} | | | | | 1.00 | {res['floor']['peak_rss_mib']:.0f} |")
        for name in ("cold", "warm", "distributed"):
            r = res.get(name)
            if not r:
                continue
            st = r.get("stages", {})
            wall = r["wall_process"]
            cells = " | ".join(f"{st.get(s, float('nan')):.1f}" for s in ("read", "overlay", "estimate", "write"))
            extra = " (same figures)" if r.get("same_figures") else (" (FIGURES DIFFER)" if "same_figures" in r else "")
            lines.append(f"| {scale} | {name}{extra} | {wall:.1f} | {cells} | {wall / floor:.1f} | {r['peak_rss_mib']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/geodisp-bench"))
    ap.add_argument("--scales", default="0.25,0.5,1")
    ap.add_argument("--points", type=int, default=200_000)
    ap.add_argument("--chunks", type=int, default=2048)
    ap.add_argument("--distributed", type=float, default=1.0, help="scale repeated on a dask scheduler + 2 workers (0: none)")
    args = ap.parse_args()
    out = args.work / "run-results.json"
    results = {"machine": f"{platform.platform()}, {os.cpu_count()} cores", "command": " ".join([sys.executable] + sys.argv),
               "load_before": os.getloadavg(), "scales": {}}
    for scale in (float(s) for s in args.scales.split(",")):
        results["scales"][f"{scale:g}"] = bench_scale(args, scale)
        out.write_text(json.dumps(results, indent=1, default=str))
        print(json.dumps(results["scales"][f"{scale:g}"], default=str), flush=True)
    results["load_after"] = os.getloadavg()
    out.write_text(json.dumps(results, indent=1, default=str))
    print(table(results))


if __name__ == "__main__":
    main()
