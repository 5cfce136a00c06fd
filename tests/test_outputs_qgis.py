"""The QGIS project: parsed as XML, then opened and rendered by QGIS 3.22 itself."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from matplotlib.image import imread

from geodisp.outputs import write_event_rasters, write_gis
from geodisp.outputs.styles import damage_points_style, sequential_colours
from test_outputs_fixture import sample_result

QGIS_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qgis")
    result = sample_result(tmp)
    out = {}
    for lang in ("es", "en"):
        rasters, _ = write_event_rasters(result, tmp / lang, blocksize=16)
        out[lang] = {**write_gis(result, tmp / lang, lang, rasters)[0], **rasters}
    return out


def _root(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def test_project_layers_ids_and_tree_agree(outputs):
    root = _root(outputs["es"]["project"])
    layers = root.findall("projectlayers/maplayer")
    ids = [m.findtext("id") for m in layers]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert all(len(i) > 10 for i in ids)  # QGIS 3.22 replaces ids of 10 chars or fewer
    tree = [n.get("id") for n in root.find("layer-tree-group").iter("layer-tree-layer")]
    assert tree == ids == [e.get("id") for e in root.findall("layerorder/layer")]
    assert [m.findtext("datasource") for m in layers] == [f"./mx-2026-000123.gpkg|layername={n}" for n in ("shelters", "damage_points", "hazard", "units", "states")] + ["./mx-2026-000123_displaced.tif"]
    assert [m.findtext("layername") for m in layers] == ["Albergues", "Viviendas dañadas", "Huella de la amenaza", "Personas desplazadas por unidad", "Totales por entidad federativa", "Personas desplazadas por celda (ráster)"]
    assert [n.get("checked") for n in root.find("layer-tree-group").iter("layer-tree-layer")] == ["Qt::Checked"] * 5 + ["Qt::Unchecked"]


def test_project_crs_is_full_and_enabled(outputs):
    root = _root(outputs["es"]["project"])
    srs = root.find("projectCrs/spatialrefsys")
    assert srs.findtext("authid") == "EPSG:6372"
    assert srs.findtext("wkt").startswith('PROJCRS["Mexico ITRF2008 / LCC"')
    assert root.findtext("properties/SpatialRefSys/ProjectionsEnabled") == "1"
    assert root.findtext("properties/Paths/Absolute") == "false"


def test_project_carries_each_renderer_and_extent_covers_layers(outputs):
    root = _root(outputs["es"]["project"])
    kinds = {m.findtext("layername"): m.find("renderer-v2").get("type") for m in root.findall("projectlayers/maplayer[@type='vector']")}
    assert kinds == {"Albergues": "categorizedSymbol", "Viviendas dañadas": "categorizedSymbol",
                     "Huella de la amenaza": "categorizedSymbol", "Personas desplazadas por unidad": "graduatedSymbol",
                     "Totales por entidad federativa": "graduatedSymbol"}
    ext = [float(root.findtext(f"mapcanvas/extent/{k}")) for k in ("xmin", "ymin", "xmax", "ymax")]
    assert ext[0] < 2_700_000 and ext[2] > 2_730_000 and ext[1] < 550_000 and ext[3] > 560_000
    en = _root(outputs["en"]["project"])
    assert [m.findtext("layername") for m in en.findall("projectlayers/maplayer")][-3:] == ["People displaced by unit", "Totals by state", "People displaced per cell (raster)"]


CHECK = r'''
import json, sys
from qgis.core import (QgsApplication, QgsProject, QgsVectorLayer, QgsRasterLayer, QgsMapSettings,
                       QgsMapRendererSequentialJob)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], False); app.initQgis()
out = {"layers": {}, "gpkg": {}}
for name in ["units", "damage_points", "hazard", "shelters", "states"]:
    lyr = QgsVectorLayer(sys.argv[3] + "|layername=" + name, name, "ogr")
    out["gpkg"][name] = [lyr.isValid(), lyr.renderer().type() if lyr.renderer() else None]
proj = QgsProject.instance()
out["read"] = proj.read(sys.argv[1])
out["crs"] = proj.crs().authid()
for node in proj.layerTreeRoot().findLayers():
    lyr = node.layer()
    d = {"present": lyr is not None, "checked": node.isVisible()}
    if isinstance(lyr, QgsRasterLayer):
        d.update(valid=lyr.isValid(), renderer=lyr.renderer().type(), crs=lyr.crs().authid(), width=lyr.width())
    elif lyr is not None:
        r = lyr.renderer()
        d.update(valid=lyr.isValid(), renderer=r.type(), count=lyr.featureCount(), labels=lyr.labelsEnabled(),
                 aliases={f.name(): lyr.attributeAlias(i) for i, f in enumerate(lyr.fields())})
        if r.type() == "graduatedSymbol":
            d["classes"] = [x.label() for x in r.ranges()]
            d["attr"] = r.classAttribute()
        if r.type() == "categorizedSymbol":
            d["classes"] = [c.label() for c in r.categories()]
    out["layers"][node.name()] = d
settings = QgsMapSettings()
settings.setLayers([n.layer() for n in proj.layerTreeRoot().findLayers() if n.layer() and n.isVisible()])
settings.setDestinationCrs(proj.crs())
settings.setExtent(proj.viewSettings().defaultViewExtent())
settings.setOutputSize(QSize(800, 400))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(settings); job.start(); job.waitForFinished()
img = job.renderedImage(); img.save(sys.argv[2], "png")
colours = {}
for x in range(0, img.width(), 2):
    for y in range(0, img.height(), 2):
        c = "%06x" % (img.pixel(x, y) & 0xFFFFFF)
        colours[c] = colours.get(c, 0) + 1
out["colours"] = colours
# the hazard classes are outlines only: no brush, so the choropleth keeps its legend colours
hz = [n.layer() for n in proj.layerTreeRoot().findLayers() if n.layer() and n.layer().name() == sys.argv[4]][0]
out["hazard_brushes"] = [c.symbol().symbolLayer(0).brushStyle() for c in hz.renderer().categories()]
# each raster opened on its own picks up its .qml sidecar
for tif in sys.argv[5:]:
    r = QgsRasterLayer(tif, "r")
    out.setdefault("rasters_alone", []).append([r.isValid(), r.renderer().type(), r.renderer().band() if hasattr(r.renderer(), "band") else None])
# the A4 print layout: its items, exported to PDF and PNG by QGIS itself
from qgis.core import QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemMap, QgsLayoutItemLegend, QgsLayoutItemScaleBar, QgsLayoutItemPicture
layouts = proj.layoutManager().printLayouts()
out["layouts"] = [l.name() for l in layouts]
if layouts:
    lay = layouts[0]
    page = lay.pageCollection().page(0)
    out["page_mm"] = [round(page.pageSize().width()), round(page.pageSize().height())]
    out["items"] = sorted(type(i).__name__ for i in lay.items() if type(i).__name__.startswith("QgsLayoutItem") and type(i).__name__ != "QgsLayoutItemPage")
    out["labels"] = [i.text() for i in lay.items() if isinstance(i, QgsLayoutItemLabel)]
    legend = [i for i in lay.items() if isinstance(i, QgsLayoutItemLegend)][0]
    out["legend"] = [legend.title()] + [n.name() for n in legend.model().rootGroup().findLayers()]
    bar = [i for i in lay.items() if isinstance(i, QgsLayoutItemScaleBar)][0]
    out["scalebar"] = [bar.units(), bar.unitsPerSegment(), bar.linkedMap() is not None]
    exporter = QgsLayoutExporter(lay)
    out["pdf"] = exporter.exportToPdf(sys.argv[2] + ".layout.pdf", QgsLayoutExporter.PdfExportSettings())
    settings = QgsLayoutExporter.ImageExportSettings(); settings.dpi = 60
    out["png"] = exporter.exportToImage(sys.argv[2] + ".layout.png", settings)
print("RESULT" + json.dumps(out))
'''


def _run_qgis(project: Path, png: Path, gpkg: Path, hazard_title: str = "Huella de la amenaza", rasters: tuple[Path, ...] = ()) -> dict:
    script = png.with_suffix(".py")
    script.write_text(CHECK, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(png.parent)}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([QGIS_PYTHON, str(script), str(project), str(png), str(gpkg), hazard_title, *map(str, rasters)],
                          capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "partially supported" not in proc.stderr  # GeoPackage 1.4 warning from GDAL 3.6
    line = next(l for l in proc.stdout.splitlines() if l.startswith("RESULT"))
    return json.loads(line[len("RESULT"):])


def _share(img, hex_colour: str, tol: float = 0.02) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    import numpy as np

    return float((np.abs(img[..., :3] - np.array(rgb)).max(axis=-1) < tol).mean())


def test_crowded_damage_points_are_drawn_only_when_zoomed_in():
    """Thousands of points would bury the choropleth at full extent: above 300 the layer has a minimum scale."""
    few, many = damage_points_style(["damage_level"], "es", 40), damage_points_style(["damage_level"], "es", 6000)
    assert few.scale_attributes()["hasScaleBasedVisibilityFlag"] == "0"
    assert many.scale_attributes() == {"hasScaleBasedVisibilityFlag": "1", "minScale": "250000", "maxScale": "0"}
    assert 'hasScaleBasedVisibilityFlag="1"' in many.qml()


def _qgis_available() -> str | None:
    if not Path(QGIS_PYTHON).exists():
        return f"{QGIS_PYTHON} not found"
    probe = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return None if probe.returncode == 0 else "QGIS Python bindings (Debian python3-qgis) not installed"


@pytest.mark.qgis
def test_qgis_opens_styles_and_renders_the_project(outputs, tmp_path):
    reason = _qgis_available()
    if reason:
        pytest.skip(reason)
    paths = outputs["es"]
    png = paths["project"].parent / "qgis_render.png"
    out = _run_qgis(paths["project"], png, paths["geopackage"], rasters=(paths["displaced_raster"], paths["exposed_raster"]))
    # opened alone, each GeoPackage layer picks its style from layer_styles
    assert out["gpkg"] == {"units": [True, "graduatedSymbol"], "damage_points": [True, "categorizedSymbol"],
                           "hazard": [True, "categorizedSymbol"], "shelters": [True, "categorizedSymbol"],
                           "states": [True, "graduatedSymbol"]}
    assert out["read"] is True and out["crs"] == "EPSG:6372"
    layers = out["layers"]
    assert list(layers) == ["Albergues", "Viviendas dañadas", "Huella de la amenaza", "Personas desplazadas por unidad",
                            "Totales por entidad federativa", "Personas desplazadas por celda (ráster)"]
    assert all(d["present"] and d["valid"] for d in layers.values())
    raster = layers["Personas desplazadas por celda (ráster)"]
    # the displaced raster spans the units with a non-zero figure (12001, 12002: columns 0-19)
    assert raster["renderer"] == "singlebandpseudocolor" and raster["checked"] is False and raster["width"] == 20
    units = layers["Personas desplazadas por unidad"]
    assert units["renderer"] == "graduatedSymbol" and units["count"] == 4 and units["labels"] is True
    assert units["classes"] == ["Sin datos", "0", "1 – 500", "más de 500"] and units["attr"] == 'round(coalesce("displaced", -1))'
    assert units["aliases"]["displaced"] == "Personas desplazadas (central)"
    for title, d in layers.items():  # every field of every vector layer has an alias in Spanish
        if "aliases" in d:
            assert all(d["aliases"].values()), (title, [f for f, a in d["aliases"].items() if not a])
    assert units["aliases"]["fid"] == "Identificador interno" and units["aliases"]["displaced_high"] == "Personas desplazadas (máximo)"
    assert out["hazard_brushes"] == [0, 0]  # Qt.NoBrush: outlines only
    assert out["rasters_alone"] == [[True, "singlebandpseudocolor", 1], [True, "singlebandpseudocolor", 2]]
    assert layers["Viviendas dañadas"]["classes"] == ["Destruida", "Inhabitable (no habitable)", "Daño severo", "Daño parcial", "Daño menor", "Sin daño"]
    assert layers["Huella de la amenaza"]["classes"] == ["64–82 kt", "83–95 kt"]
    # the render is not blank: the no-data grey, the zero fill and the top class colour all show
    colours = out["colours"]
    total = sum(colours.values())
    assert colours.get("ffffff", 0) < 0.6 * total
    assert colours.get("bdbdbd", 0) > 0.02 * total  # hatched no-data unit
    assert colours.get("f7f7f7", 0) > 0.02 * total  # the unit with zero displaced
    top = sequential_colours("YlOrRd", 2)[1].lstrip("#")
    assert colours.get(top, 0) > 0.05 * total  # the top class keeps its legend colour under the hazard (no tint)
    shutil.copy(png, tmp_path / "qgis_render.png")
    # the A4 print layout opens and exports: one landscape A4 page with map, legend, scale bar, north arrow, title, source
    assert out["layouts"] == ["Mapa A4"] and out["page_mm"] == [297, 210]
    assert out["items"] == ["QgsLayoutItemLabel", "QgsLayoutItemLabel", "QgsLayoutItemLegend", "QgsLayoutItemMap",
                            "QgsLayoutItemPicture", "QgsLayoutItemScaleBar"]
    assert "Personas desplazadas por municipio: Huracán Erin" in out["labels"]
    assert any(t.startswith("Fuente: INEGI") and "de 2026" in t for t in out["labels"])
    assert out["legend"] == ["Leyenda", "Albergues", "Viviendas dañadas", "Huella de la amenaza", "Personas desplazadas por unidad",
                             "Totales por entidad federativa"]
    # the map frame spans about 33 km: a fifth of it over two segments is 3.3 km, rounded down to 2 km
    assert out["scalebar"] == [1, 2.0, True]  # QgsUnitTypes.DistanceKilometers, km per segment, linked to the map
    assert out["pdf"] == 0 and out["png"] == 0  # QgsLayoutExporter.Success
    pdf = Path(str(png) + ".layout.pdf").read_bytes()
    assert max(int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf)) == 1  # one page (QGIS appends an incremental update)
    page = imread(str(png) + ".layout.png")
    assert page.shape[1] > page.shape[0]  # landscape
    assert _share(page, top) > 0.01  # the map is drawn on the page
    shutil.copy(str(png) + ".layout.png", tmp_path / "layout.png")


@pytest.mark.qgis
def test_qgis_english_project_has_english_labels_and_aliases(outputs):
    reason = _qgis_available()
    if reason:
        pytest.skip(reason)
    paths = outputs["en"]
    out = _run_qgis(paths["project"], paths["project"].parent / "qgis_render.png", paths["geopackage"], "Hazard footprint")
    units = out["layers"]["People displaced by unit"]
    assert units["classes"][:2] == ["No data", "0"] and units["aliases"]["cvegeo"] == "Geostatistical key (CVEGEO)"
    assert out["layers"]["Damaged dwellings"]["classes"] == ["Destroyed", "Uninhabitable", "Severe damage", "Partial damage", "Minor damage", "No damage"]


def test_raster_layer_keeps_the_grid_crs(tmp_path):
    """A population grid in WGS 84 gives a raster layer declared in WGS 84, not EPSG:6372."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    from geodisp.outputs.qgis_project import RasterLayer, raster_maplayer

    path = tmp_path / "d.tif"
    with rasterio.open(path, "w", driver="GTiff", width=4, height=3, count=1, dtype="float32", crs="EPSG:4326",
                       transform=from_origin(-100.0, 17.0, 0.01, 0.01)) as dst:
        dst.write(np.ones((1, 3, 4), dtype="float32"))
    el = raster_maplayer(RasterLayer(path, "d", 2.0), "geodisp_displaced_raster_x")
    assert el.findtext("srs/spatialrefsys/authid") == "EPSG:4326"
    assert [float(el.findtext(f"extent/{k}")) for k in ("xmin", "ymin", "xmax", "ymax")] == pytest.approx([-100.0, 16.97, -99.96, 17.0])
    items = el.findall(".//colorrampshader/item")
    assert items[0].get("alpha") == "0" and float(items[-1].get("value")) == 2.0


QML_CHECK = r'''
import json, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False); app.initQgis()
out = {}
for name in ["units", "damage_points", "hazard", "shelters"]:
    lyr = QgsVectorLayer(sys.argv[1] + "|layername=" + name, name, "ogr")
    before = lyr.renderer().type()
    msg, ok = lyr.loadNamedStyle(sys.argv[2] + "/" + name + ".qml")
    out[name] = [lyr.isValid(), ok, before, lyr.renderer().type()]
    if name == "shelters":
        out[name].append(lyr.renderer().symbol().color().name())
print("RESULT" + json.dumps(out))
'''


@pytest.mark.qgis
def test_shipped_qml_styles_load_in_qgis(tmp_path):
    reason = _qgis_available()
    if reason:
        pytest.skip(reason)
    from geodisp.outputs import geopackage

    result = sample_result(tmp_path)
    ov = result.overlay
    layers, _ = geopackage.build_layers(result.table, result.figures, result.sources.footprint, ov.hazard, ov.damage_points, ov.shelters)
    plain = geopackage.write_geopackage(tmp_path / "plain.gpkg", layers, {})  # no layer_styles: QGIS starts from its default
    script = tmp_path / "qml.py"
    script.write_text(QML_CHECK, encoding="utf-8")
    shipped = Path(__file__).resolve().parents[1] / "layers" / "styles"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(script), str(plain), str(shipped)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(next(l for l in proc.stdout.splitlines() if l.startswith("RESULT"))[len("RESULT"):])
    assert out == {"units": [True, True, "singleSymbol", "graduatedSymbol"], "damage_points": [True, True, "singleSymbol", "categorizedSymbol"],
                   "hazard": [True, True, "singleSymbol", "categorizedSymbol"], "shelters": [True, True, "singleSymbol", "singleSymbol", "#0072b2"]}


LABEL_CHECK = r'''
import json, sys
from qgis.core import QgsApplication, QgsExpression, QgsExpressionContext, QgsFeature, QgsField, QgsFields
from qgis.PyQt.QtCore import QVariant
app = QgsApplication([], False); app.initQgis()
fields = QgsFields()
fields.append(QgsField("name", QVariant.String)); fields.append(QgsField("displaced", QVariant.Double))
expr = QgsExpression(sys.argv[1])
out = []
for value in json.loads(sys.argv[2]):
    f = QgsFeature(fields); f.setAttributes(["u", value])
    ctx = QgsExpressionContext(); ctx.setFeature(f)
    v = expr.evaluate(ctx)
    out.append(None if v is None else str(v).split("\n", 1)[1])
print("RESULT" + json.dumps(out))
'''


@pytest.mark.qgis
def test_qgis_label_rounds_as_round_display(tmp_path):
    """The label expression QGIS evaluates gives what ``round_display`` gives (IDMC's rule, halves to even)."""
    reason = _qgis_available()
    if reason:
        pytest.skip(reason)
    from geodisp.outputs.rounding import format_number
    from geodisp.outputs.styles import displaced_label_expression

    values = [0.3, 4.6, 48.6, 100.0, 104.0, 125.0, 995.0, 1234.4, 3250.0, 3350.0, 9950.0, 12_345.0, 25_185.0]
    script = tmp_path / "label.py"
    script.write_text(LABEL_CHECK, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run([QGIS_PYTHON, str(script), displaced_label_expression(), json.dumps(values)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(next(l for l in proc.stdout.splitlines() if l.startswith("RESULT"))[len("RESULT"):])
    assert got == [None] + [format_number(v) for v in values[1:]]
