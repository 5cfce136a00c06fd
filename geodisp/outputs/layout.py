"""The A4 print layout of the QGIS project: map, legend, scale bar, north arrow, title, source line.

Written as the ``<Layouts>`` element of the .qgs (QGIS is never imported). An analyst
opens the project, picks the layout and prints or exports a PDF in one click. Learned
by saving a layout from QGIS 3.22 and reading it back: items need only their type,
uuid, position and size (QGIS fills every other attribute with its defaults); the map
keeps its frame only if its extent has the frame's aspect ratio; a legend with its
own ``<layer-tree-group>`` shows only the layers listed (so the switched-off raster
stays out).
"""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Sequence

#: QGIS layout item types (QgsLayoutItemRegistry).
PAGE, MAP, PICTURE, LABEL, LEGEND, SCALEBAR = "65638", "65639", "65640", "65641", "65642", "65646"
#: A4 landscape, millimetres.
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN = 8.0
#: The map frame: x, y, width, height (mm).
MAP_BOX = (MARGIN, 21.0, 200.0, 166.0)
NORTH_ARROW_SVG = ":/images/north_arrows/layout_default_north_arrow.svg"
FONT = "Liberation Sans"


@dataclass(frozen=True)
class LegendLayer:
    """A layer the layout's legend lists: its project id, title and provider."""

    id: str
    name: str
    provider: str = "ogr"


def fitted_extent(bounds: Sequence[float], width: float, height: float) -> tuple[float, float, float, float]:
    """``bounds`` widened around their centre to the frame's aspect ratio (``width / height``)."""
    xmin, ymin, xmax, ymax = (float(b) for b in bounds)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    w, h = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
    if w / h > width / height:
        h = w * height / width
    else:
        w = h * width / height
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def segment_km(map_width_m: float, segments: int = 2) -> float:
    """A round segment length (1, 2 or 5 × 10^k km) so the bar spans about a fifth of the map."""
    target = max(map_width_m / 5.0 / segments / 1000.0, 1e-3)
    exp = math.floor(math.log10(target))
    return max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= target)


def _item(layout: ET.Element, kind: str, uuid: str, box: Sequence[float], **attrs: str) -> ET.Element:
    x, y, w, h = box
    base = {"type": kind, "uuid": uuid, "templateUuid": uuid, "position": f"{x:g},{y:g},mm", "positionOnPage": f"{x:g},{y:g},mm",
            "size": f"{w:g},{h:g},mm", "frame": "false", "background": "false", "visibility": "1", "zValue": "1",
            "referencePoint": "0", "id": "", "opacity": "1"}
    return ET.SubElement(layout, "LayoutItem", {**base, **attrs})


def _label(layout: ET.Element, uuid: str, box: Sequence[float], text: str, size: float, bold: bool = False) -> ET.Element:
    el = _item(layout, LABEL, uuid, box, labelText=text, halign="1", valign="32", marginX="0", marginY="0", htmlState="0")
    ET.SubElement(el, "LabelFont", {"description": f"{FONT},{size:g},-1,5,{75 if bold else 50},0,0,0,0,0", "style": "Bold" if bold else "Regular"})
    ET.SubElement(el, "FontColor", {"red": "30", "green": "30", "blue": "30", "alpha": "255"})
    return el


def layout_element(
    name: str,
    bounds: Sequence[float],
    title: str,
    source_line: str,
    legend_title: str,
    legend_layers: Sequence[LegendLayer],
) -> ET.Element:
    """``<Layouts>`` holding one A4 landscape layout: title, map framed on ``bounds`` (project
    CRS), legend of ``legend_layers``, scale bar in km, north arrow, source line (with date)."""
    root = ET.Element("Layouts")
    layout = ET.SubElement(root, "Layout", {"name": name, "units": "mm", "printResolution": "300", "worldFileMap": ""})
    pages = ET.SubElement(layout, "PageCollection")
    ET.SubElement(pages, "LayoutItem", {"type": PAGE, "uuid": "{geodisp-page-1}", "size": f"{PAGE_W:g},{PAGE_H:g},mm", "position": "0,0,mm",
                                        "positionOnPage": "0,0,mm", "background": "true", "frame": "false", "visibility": "1", "zValue": "0"})
    mx, my, mw, mh = MAP_BOX
    extent = fitted_extent(bounds, mw, mh)
    map_uuid = "{geodisp-map}"
    m = _item(layout, MAP, map_uuid, MAP_BOX, id="mapa", frame="true", background="true", keepLayerSet="false",
              drawCanvasItems="true", mapRotation="0", followPreset="false", followPresetName="", isTemporal="0", mapFlags="0")
    ET.SubElement(m, "FrameColor", {"red": "99", "green": "99", "blue": "99", "alpha": "255"})
    ET.SubElement(m, "Extent", dict(zip(("xmin", "ymin", "xmax", "ymax"), (repr(v) for v in extent))))
    ET.SubElement(m, "LayerSet")

    _label(layout, "{geodisp-title}", (MARGIN, 7.0, PAGE_W - 2 * MARGIN, 11.0), title, 16, bold=True)
    legend = _item(layout, LEGEND, "{geodisp-legend}", (mx + mw + 5, my, PAGE_W - (mx + mw + 5) - MARGIN, mh),
                   title=legend_title, map_uuid=map_uuid, resizeToContents="1", legendFilterByMap="0", columnCount="1",
                   symbolWidth="7", symbolHeight="4", wrapChar="", titleAlignment="1", zValue="3")
    tree = ET.SubElement(legend, "layer-tree-group")
    ET.SubElement(tree, "customproperties")
    for lyr in legend_layers:
        node = ET.SubElement(tree, "layer-tree-layer", {"id": lyr.id, "name": lyr.name, "checked": "Qt::Checked", "expanded": "1",
                                                         "providerKey": lyr.provider, "source": "", "legend_exp": "", "patch_size": "-1,-1",
                                                         "legend_split_behavior": "0"})
        ET.SubElement(node, "customproperties")
    seg = segment_km(extent[2] - extent[0])  # in scale-bar units (km); QGIS converts from metres
    _item(layout, SCALEBAR, "{geodisp-scalebar}", (mx + 3, my + mh - 13, 60, 10), mapUuid=map_uuid, style="Single Box",
          unitType="km", unitLabel="km", numSegments="2", numSegmentsLeft="0", numSubdivisions="1",
          numUnitsPerSegment=f"{seg:g}", numMapUnitsPerScaleBarUnit="1", segmentSizeMode="0", height="2",
          labelBarSpace="1.5", boxContentSpace="1", zValue="4", background="true", frame="false")
    _item(layout, PICTURE, "{geodisp-north}", (mx + mw - 13, my + 3, 10, 13), file=NORTH_ARROW_SVG, mapUuid=map_uuid,
          northMode="0", northOffset="0", mode="2", resizeMode="0", pictureRotation="0", anchorPoint="0", zValue="5")
    _label(layout, "{geodisp-source}", (MARGIN, my + mh + 3, PAGE_W - 2 * MARGIN, PAGE_H - (my + mh + 3) - 4), source_line, 7)
    return root
