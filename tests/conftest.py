"""Shared fixtures: a small demo event built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from geodisp.demo import DemoFiles, build_demo

#: A coarse grid and few points keep the end-to-end tests to seconds.
SMALL = dict(cell_deg=0.006, n_points=800)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """Demo inputs at reduced size, written once; tests must not modify them."""
    return build_demo(tmp_path_factory.mktemp("demo"), **SMALL)


@pytest.fixture(autouse=True)
def _zone_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the zone cache inside the test session, never in the user's home."""
    monkeypatch.setenv("GEODISP_CACHE", str(tmp_path_factory.getbasetemp() / "zone-cache"))
