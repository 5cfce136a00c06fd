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
