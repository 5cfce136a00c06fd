"""The public stages: a notebook stops after any of them, and they chain into run()."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import geodisp
from geodisp.demo import DemoFiles

HEAVY = ("dask", "distributed", "geopandas", "matplotlib", "rasterio", "xarray", "pandas", "shapely", "pyogrio")


def _imported_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(__import__('json').dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_geodisp_stays_light() -> None:
    assert _imported_after("import geodisp") == []
    # the stage result types are importable without the libraries their fields hold
    assert _imported_after("import geodisp; geodisp.Sources, geodisp.Result, geodisp.InputError") == []


def test_the_command_line_help_stays_light() -> None:
    assert _imported_after("import geodisp.cli") == []


def test_stages_chain_into_the_same_figures_as_run(small_demo: DemoFiles, tmp_path: Path) -> None:
    event = geodisp.load_event(small_demo.event)
    sources = geodisp.read(event)
    ov = geodisp.overlay(sources)
    est = geodisp.estimate(sources, ov, event.methods)
    for stage in (sources, ov, est):
        assert dataclasses.is_dataclass(stage)
        with pytest.raises(dataclasses.FrozenInstanceError):
            stage.notes = ()  # type: ignore[misc]
    result = geodisp.run(event, out=tmp_path / "out", write=False)
    assert result.paths == {} and not (tmp_path / "out").exists()
    pd.testing.assert_frame_equal(est.figures, result.figures)
    # reader notes are a typed field of Sources, each prefixed by its YAML path
    assert sources.notes and all(n.split(":")[0] in {"boundaries", "damage", "records.shelters", "records.evacuations",
                                                     "facilities[0]", "hazard", "census"} for n in sources.notes)


def test_estimate_reruns_with_other_methods_without_reading_again(small_demo: DemoFiles) -> None:
    event = geodisp.load_event(small_demo.event)
    sources = geodisp.read(event)
    ov = geodisp.overlay(sources)
    base = geodisp.estimate(sources, ov, event.methods)
    doubled = geodisp.estimate(sources, ov, {"exposure": {"class_rates": {1: 0.02, 2: 0.1, 3: 0.4, 4: 0.8}}})
    exposure = lambda est: est.figures.query("metric == 'displaced_exposure'")["central"].sum()  # noqa: E731
    assert exposure(doubled) != pytest.approx(exposure(base))


def test_malformed_scheduler_address_is_bad_input_before_any_work(small_demo: DemoFiles, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "geodisp.cli", "run", str(small_demo.event), "--out", str(out),
                          "--scheduler", "tpc//localhost:8786"], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert "--scheduler" in run.stderr and "se espera tcp://HOST:PUERTO" in run.stderr  # Spanish by default
    assert not out.exists()  # nothing read, nothing written, not even a log


def test_unanswered_scheduler_is_bad_input(small_demo: DemoFiles, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(geodisp.InputError, match=f"no Dask scheduler answered at tcp://127.0.0.1:{port}"):
        geodisp.run(small_demo.event, out=tmp_path / "out", scheduler=f"tcp://127.0.0.1:{port}")
    assert not (tmp_path / "out").exists()
