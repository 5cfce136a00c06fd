"""Static map PNG and the one-page HTML report (rendered in headless Chromium)."""
from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from geodisp.outputs import i18n, report, unit_figures, units_table, write_all
from geodisp.outputs.styles import sequential_colours
from test_outputs_fixture import sample_result


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    result = sample_result(tmp)
    return {"es": write_all(result, tmp / "es", raster_blocksize=16), "result": result}


def _has_colour(img: np.ndarray, hex_colour: str, tol: float = 0.02) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(img[..., :3] - rgb).max(axis=-1) < tol).sum())


def test_static_map_shows_the_classes(outputs):
    img = imread(outputs["es"]["map"])
    assert img.shape[1] > 1200 and img.shape[0] > 400  # cropped to its content, still print size
    top, low = sequential_colours("YlOrRd", 2)  # breaks [500]: "hasta 500" and "más de 500"
    assert _has_colour(img, top) > 10_000 and _has_colour(img, low) > 10_000
    assert _has_colour(img, "#f7f7f7") > 5_000  # unit with zero displaced


def test_report_totals_are_rounded_from_raw_and_the_map_is_embedded(outputs):
    html = outputs["es"]["report"].read_text(encoding="utf-8")
    # displaced raw 1234.4 + 56 + 0 = 1290.4 -> 1,300; parts shown 1,200 and 60 would sum to 1,260
    assert "data-metric='displaced'>1,300</span> personas (intervalo 940 – 1,600)" in html
    assert "data-metric='evacuated'>830</span>" in html
    assert "data-metric='dwellings_destroyed'>124</span> viviendas" in html  # observed count: exact (120 + 4), not rounded
    # the observed headline beside observed + modelled (12003's 0 is the model's)
    assert "Personas desplazadas, observado: <span class='total' data-metric='displaced_observed'>1,300</span>" in html
    assert "Personas desplazadas, observado + modelado: <span class='total' data-metric='displaced'>" in html
    assert "hasta 100 tal cual, hasta 1,000 a la decena" in html
    png = base64.b64decode(re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html).group(1))
    assert png == outputs["es"]["map"].read_bytes()
    assert "Acapulco de Juárez" in html and "<td class='n'>1,200</td>" in html
    assert "Tipo de amenaza: Ciclón tropical" in html and "se tomó de «viviendas dañadas»: 1." in html
    # flagged units listed under their own heading, with the reason rendered from its code
    assert "<h2 id='flagged'>Unidades con alerta</h2>" in html
    assert "<td>12002</td><td>Ahuacuotzingo</td><td>las fuentes difieren en más de ×3: Personas evacuadas 30, Desplazados según vivienda 4</td>" in html
    assert "Albergue S2: sin coordenadas" in html
    assert "<td>censo de viviendas dañadas</td><td>damage level &#x27;x&#x27; not recognised</td><td class='n'>2</td>" in html  # rejects by reason
    assert "danos.csv" not in html  # no file names on the page
    assert "Fechas: 1 al 5 de octubre de 2026" in html and "(hora local, UTC" in html
    assert "Juan Pérez" not in html and "7441234567" not in html
    assert "src=" not in html.replace("src='data:image/png", "")  # nothing fetched from outside


def test_report_in_english(outputs):
    r = outputs["result"]
    en = report.render_html(r.event, unit_figures(r), units_table(r.table, r.units), None, "en", r.rejects, r.counts, r.gaps,
                            notes=[i18n.note_text(i18n.note("shelter_no_coordinates", id="S2"), "en")])
    assert "data-metric='displaced'>1,300</span> people (range 940 – 1,600)" in en and "<html lang='en'>" in en
    assert "Hazard type: Tropical cyclone" in en and "Shelter S2: no coordinates" in en
    assert "Municipalities with most people displaced" in en and "<th>Decided by</th>" in en
    assert not any(w in en for w in ("Personas", "Totales", "Decidido", "Registros rechazados"))


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.chromium
def test_report_renders_in_headless_chromium(outputs, tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    report = outputs["es"]["report"]
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-quic", "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(flags + ["--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Reporte de desplazamiento: Huracán Erin" in dom.stdout and ">1,300</span>" in dom.stdout
    shot = tmp_path / "report.png"
    run = subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1200,1400", "--hide-scrollbars", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    img = imread(shot)
    top, _ = sequential_colours("YlOrRd", 2)
    assert _has_colour(img, top, tol=0.03) > 5_000  # the embedded map is drawn on the page
    shutil.copy(shot, report.parent / "chromium_report.png")
    pdf = tmp_path / "report.pdf"
    run = subprocess.run(flags + ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 1  # prints on one A4 page
