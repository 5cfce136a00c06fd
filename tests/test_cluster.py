"""The Dask client: local process clusters of 1, 2 and 4 workers, and a real scheduler.

The real-cluster test starts ``dask scheduler`` and two ``dask worker`` processes
on 127.0.0.1 (the .venv's own ``dask`` command, free ports), runs the overlay
through ``client(scheduler=...)`` and checks it equals the local threaded run. It
takes about 10 s and tears the processes down whatever happens.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodisp import cluster
from geodisp.zonal import assign_points, crosstab, hazard_raster, zone_raster
from test_overlay_fixtures import (
    footprint_frame, open_population, population_array, roundtrip_gpkg, units_frame, write_population,
)

DASK = Path(sys.executable).with_name("dask")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("cluster")
    path = write_population(d / "pop.tif", population_array())
    units = roundtrip_gpkg(units_frame(), d / "units.gpkg", "units")
    return path, units, footprint_frame(), d / "cache"


def _run(path, units, fp, cache_dir=None, chunks=32) -> pd.DataFrame:
    population = open_population(path, chunks=chunks)
    zones = zone_raster(units, population, cache_dir=cache_dir)
    return crosstab(population, zones, hazard_raster(fp, population), n_classes=fp.n_classes).table


def _points(units):
    import geopandas as gpd

    rng = np.random.default_rng(9)
    lon, lat = rng.uniform(-99.4, -98.8, 3000), rng.uniform(19.15, 19.6, 3000)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def test_one_two_and_four_local_worker_processes_agree_with_threads(inputs):
    path, units, fp, cache = inputs
    threaded = _run(path, units, fp)
    for workers in (1, 2, 4):  # 4 processes on 2 cores: oversubscribed, still exact
        with cluster.client(workers=workers) as c:
            assert len(c.scheduler_info()["workers"]) == workers
            # a nested call finds the current client rather than starting another
            with cluster.client() as again:
                assert again is c
            for chunks in (16, 45):
                got = _run(path, units, fp, cache_dir=cache, chunks=chunks)
                assert got[["cvegeo", "hazard_class"]].equals(threaded[["cvegeo", "hazard_class"]])
                np.testing.assert_allclose(got["people"], threaded["people"], rtol=1e-9, atol=0)
    assert cluster.current_client() is None


def test_bad_arguments():
    from geodisp.model.errors import InputError

    with pytest.raises(InputError, match="tcp://HOST:PORT"):
        with cluster.client(scheduler="localhost:8786"):
            pass
    with pytest.raises(ValueError, match="workers applies to a local cluster"):
        with cluster.client(scheduler="tcp://127.0.0.1:1", workers=2):
            pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def real_cluster(tmp_path):
    """``dask scheduler`` + two ``dask worker`` processes; yields the address."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]))
    log = open(tmp_path / "dask.log", "w")
    common = dict(stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=tmp_path)
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", "--no-show"], **common)]
    try:
        deadline = time.time() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.time() > deadline or procs[0].poll() is not None:
                    raise RuntimeError(f"dask scheduler did not start: {(tmp_path / 'dask.log').read_text()[-2000:]}")
                time.sleep(0.2)
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                 "--no-dashboard", "--memory-limit", "1GiB", "--local-directory", str(tmp_path)], **common))
        yield address
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=5)
        log.close()


@pytest.mark.slow
def test_real_scheduler_and_two_worker_processes(inputs, real_cluster, tmp_path):
    path, units, fp, _ = inputs
    threaded = _run(path, units, fp)
    pts = _points(units)
    local_points = assign_points(pts, units, fp)
    with cluster.client(scheduler=real_cluster) as c:
        c.wait_for_workers(2, timeout=15)
        workers = c.scheduler_info()["workers"]
        assert len(workers) == 2
        assert len({w["pid"] if "pid" in w else w["id"] for w in workers.values()}) == 2
        lazy = _run(path, units, fp, chunks=25)  # rasterised on the workers
        cached = _run(path, units, fp, cache_dir=tmp_path / "cache", chunks=40)  # built, then read, by the workers
        remote_points = assign_points(pts, units, fp)
    for got in (lazy, cached):
        assert got[["cvegeo", "hazard_class"]].equals(threaded[["cvegeo", "hazard_class"]])
        np.testing.assert_allclose(got["people"], threaded["people"], rtol=1e-9, atol=0)
    pd.testing.assert_frame_equal(remote_points.data, local_points.data)
    pd.testing.assert_frame_equal(remote_points.rejects, local_points.rejects)
