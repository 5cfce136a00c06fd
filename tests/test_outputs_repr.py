"""Jupyter views: HTML summary of a Result and the interactive map."""
from __future__ import annotations

import json

import pytest

from geodisp.outputs.repr import explore, result_html
from test_outputs_fixture import sample_result


def test_result_html_shows_rounded_totals_and_top_units(tmp_path):
    result = sample_result(tmp_path)
    html = result_html(result)
    assert "Reporte de desplazamiento: Huracán Erin" in html and "Ciclón tropical" in html
    assert "Personas desplazadas, observado + modelado: <b>1,300</b> personas" in html  # 1290.4 rounded from raw
    assert "Personas desplazadas, observado: <b>1,300</b> personas" in html
    assert "<td>12001</td><td>Acapulco de Juárez</td><td style='text-align:right'>1,200</td>" in html
    assert "Registros rechazados: 3" in html
    en = result_html(result, "en")
    assert "People displaced, observed + modelled: <b>1,300</b> people" in en and "4 units" in en


def test_explore_draws_units_hazard_points_and_shelters(tmp_path):
    pytest.importorskip("folium", reason="folium not installed (needed by GeoDataFrame.explore)")
    result = sample_result(tmp_path)
    m = explore(result)
    page = m.get_root().render()
    # GeoJSON in the page is ASCII-escaped JSON
    assert '"name": "Acapulco de Ju\\u00e1rez"' in page and '"label": "83\\u201395 kt"' in page
    for layer in ("Personas desplazadas por unidad", "Huella de la amenaza", "Viviendas dañadas", "Albergues"):
        assert f"{json.dumps(layer)} : geo_json_" in page  # one entry per layer in the layer control
    assert page.count('"damage_level": "destroyed"') == 2


def test_explore_is_self_contained_with_a_legend_and_english_on_request(tmp_path):
    """Nothing is fetched but optional basemap tiles: no <script src> or <link href> to the network."""
    import re

    result = sample_result(tmp_path)
    page = explore(result).get_root().render()
    assert re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", page) == []
    assert "data:text/javascript;base64," in page and "L.map(" in page
    assert "geodisp-legend" in page and "Personas desplazadas (estimación central)" in page and "≥" not in page
    en = result.explore(lang="en").get_root().render()  # a TypeError before
    assert "People displaced (central estimate)" in en and "Damaged dwellings" in en and "Personas desplazadas" not in en


def _chromium() -> list[str] | None:
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        return None
    # no network at all: a fresh network namespace where the system allows it, and Chromium's own resolver and proxy
    # pointed at nothing either way
    wrap = ["unshare", "-n"] if shutil.which("unshare") and _unshare_works() else []
    return wrap + [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                   "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


def _unshare_works() -> bool:
    import subprocess

    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.chromium
def test_explore_draws_offline_in_headless_chromium(tmp_path):
    import subprocess

    import numpy as np
    from matplotlib.image import imread

    from geodisp.outputs.styles import DAMAGE_STYLE, SHELTER_COLOUR, sequential_colours

    cmd = _chromium()
    if cmd is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    result = sample_result(tmp_path)
    page = tmp_path / "map.html"
    explore(result, width=900, height=600).save(str(page))
    flags = cmd + [f"--user-data-dir={tmp_path / 'profile'}", "--window-size=900,600", "--virtual-time-budget=4000"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    # Leaflet ran (it was blank offline, "L is not defined"): its container, the layer control and the legend are in the page
    assert "leaflet-container" in dom.stdout and "leaflet-control-layers" in dom.stdout and "geodisp-legend" in dom.stdout
    shot = tmp_path / "map.png"
    run = subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    img = imread(shot)[..., :3]

    def share(hex_colour: str, alpha: float = 1.0, tol: float = 0.03) -> float:
        rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        seen = alpha * rgb + (1 - alpha) * np.array([0xdd / 255] * 3)  # over Leaflet's grey where no tile loads
        return float((np.abs(img - seen).max(axis=-1) < tol).mean())

    top = sequential_colours("YlOrRd", 2)[1]
    assert share(top, 0.85) > 0.02  # the top class, under hazard class 2, keeps its legend colour: no hazard tint
    assert share(DAMAGE_STYLE["destroyed"][0], 0.95, 0.08) > 0  # damage points are filled
    assert share(SHELTER_COLOUR) > 0  # the shelter is drawn
