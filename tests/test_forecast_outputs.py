"""A forecast run's per-cell rasters and workbook say so; an observed run's carry no forecast marker."""
from __future__ import annotations

from dataclasses import replace

import pytest
import rasterio
from openpyxl import load_workbook

from geodisp.outputs import raster_layers, rasters, write_event_rasters, write_tables
from test_outputs_fixture import sample_result

BANNER = {"es": "PRONÓSTICO: personas que podrían ser desplazadas", "en": "FORECAST: people who could be displaced"}


def _forecast(result):
    return replace(result, sources=replace(result.sources, footprint=replace(result.sources.footprint, forecast=True)))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Rasters and tables of the sample result as observed (es) and as a forecast (es, en)."""
    tmp = tmp_path_factory.mktemp("forecast")
    observed = sample_result(tmp)
    out = {}
    for name, result, lang in (("observed", observed, "es"), ("es", _forecast(observed), "es"), ("en", _forecast(observed), "en")):
        paths, _ = write_event_rasters(result, tmp / name, blocksize=16, lang=lang)
        tables, _ = write_tables(result, tmp / name, lang=lang)
        out[name] = {**paths, **tables}
    return out


@pytest.mark.parametrize("lang", ["es", "en"])
def test_forecast_rasters_carry_tags_and_band_descriptions_in_the_run_language(runs, lang):
    for name, code in (("displaced_raster", "displaced"), ("exposed_raster", "exposed_class_1")):
        with rasterio.open(runs[lang][name]) as src:
            tags = src.tags()
            assert tags[rasters.FORECAST_TAG] == "true"
            assert tags[rasters.FORECAST_NOTE_TAG].startswith(BANNER[lang])
            assert tags["TIFFTAG_IMAGEDESCRIPTION"].startswith(BANNER[lang])
            assert src.descriptions[0].startswith(f"{code}: ")
            word = {"es": "pronóstico, personas que podrían", "en": "forecast, people who could"}[lang]
            assert all(word in d for d in src.descriptions)
            assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"  # still a COG
    with rasterio.open(runs[lang]["displaced_raster"]) as src:
        assert rasters.COLOUR_TAG in src.tags()  # the colour ramp's tag kept beside the forecast's


def test_observed_rasters_carry_no_forecast_marker(runs):
    for name, bands in (("displaced_raster", ("displaced",)), ("exposed_raster", ("exposed_class_1", "exposed_class_2"))):
        with rasterio.open(runs["observed"][name]) as src:
            tags = src.tags()
            assert rasters.FORECAST_TAG not in tags and rasters.FORECAST_NOTE_TAG not in tags
            assert "TIFFTAG_IMAGEDESCRIPTION" not in tags
            assert src.descriptions == bands


def test_forecast_raster_layer_names_say_so(runs):
    es = raster_layers(runs["es"], "es", forecast=True)
    assert es["displaced_raster"].title == "Pronóstico: personas que podrían ser desplazadas por celda (ráster)"
    assert es["exposed_raster"].title.startswith("Pronóstico:")
    en = raster_layers(runs["en"], "en", forecast=True)
    assert en["displaced_raster"].title == "Forecast: people who could be displaced per cell (raster)"
    observed = raster_layers(runs["observed"], "es")
    assert observed["displaced_raster"].title == "Personas desplazadas por celda (ráster)"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_forecast_workbook_units_sheet_opens_with_the_banner(runs, lang):
    wb = load_workbook(runs[lang]["figures_xlsx"])
    for sheet in ("units", "figures"):
        ws = wb[sheet]
        assert str(ws["A1"].value).startswith(BANNER[lang])
        assert ws.sheet_properties.tabColor.rgb.endswith("C00000")
        codes = [c.comment.text if c.comment else None for c in ws[2]]  # the table's header, one row lower
        assert codes[0] == "cvegeo"
        assert ws.freeze_panes == "A3"
        assert ws.auto_filter.ref.startswith("A2:")
        column = codes.index("forecast") + 1
        assert {ws.cell(row=r, column=column).value for r in range(3, ws.max_row + 1)} == {True}
    assert "gidd" not in wb.sheetnames


def test_observed_workbook_has_no_forecast_marker(runs):
    wb = load_workbook(runs["observed"]["figures_xlsx"])
    for sheet in ("units", "figures"):
        ws = wb[sheet]
        assert ws["A1"].comment.text == "cvegeo"  # the header is the first row
        assert ws.freeze_panes == "A2" and ws.sheet_properties.tabColor is None
        assert "forecast" not in [c.comment.text for c in ws[1] if c.comment]
        cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        assert "PRONÓSTICO" not in cells and "podrían" not in cells
