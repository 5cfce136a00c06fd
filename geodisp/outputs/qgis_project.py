"""The event's QGIS project (.qgs): the GeoPackage layers in order, each with its style.

Written as XML for QGIS 3.22 without importing QGIS. Traps this module handles, all
learned by opening such files in QGIS 3.22:

- a project ignores the GeoPackage ``layer_styles`` table, so every ``<maplayer>``
  carries its own renderer, labeling and aliases (the same elements as the QML);
- layer ids of 10 characters or fewer are replaced on load and the layer tree then
  points at nothing, so ids are ``geodisp_<layer>_<hash>``;
- the project CRS needs ``ProjectionsEnabled`` and a full CRS definition (WKT), not
  only an authid.

Layer sources are relative (``./event.gpkg|layername=units``) so the folder can be
moved or zipped and the project still opens.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import geopandas as gpd
import rasterio
from pyproj import CRS

from geodisp.io import atomic_path
from geodisp.outputs import layout as print_layout
from geodisp.outputs.styles import DOCTYPE, QGIS_VERSION, LayerStyle, RasterStyle
from geodisp.model.vocab import MEXICO_CRS

#: QGIS's own proj string and internal srs id for EPSG:6372 (as QGIS 3.22 writes them).
_QGIS_CRS = {
    4326: {"proj4": "+proj=longlat +datum=WGS84 +no_defs", "srsid": "3452", "ellipsoid": "EPSG:7030", "acronym": "longlat"},
    6372: {
        "proj4": "+proj=lcc +lat_0=12 +lon_0=-102 +lat_1=17.5 +lat_2=29.5 +x_0=2500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        "srsid": "28799",
        "ellipsoid": "EPSG:7019",
        "acronym": "lcc",
    }
}


def layer_id(name: str, gpkg_name: str) -> str:
    """A stable layer id longer than 10 characters: ``geodisp_<name>_<8 hex>``."""
    digest = hashlib.sha1(f"{gpkg_name}|{name}".encode()).hexdigest()[:8]
    return f"geodisp_{name}_{digest}"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = text
    return el


def spatialrefsys(crs: str = MEXICO_CRS) -> ET.Element:
    """A full ``<spatialrefsys>``: WKT, proj string, authid, description."""
    c = CRS(crs)
    epsg = c.to_epsg()
    extra = _QGIS_CRS.get(epsg, {})
    el = ET.Element("spatialrefsys", {"nativeFormat": "Wkt"})
    _text(el, "wkt", c.to_wkt())
    _text(el, "proj4", extra.get("proj4") or c.to_proj4())
    _text(el, "srsid", extra.get("srsid", "0"))
    _text(el, "srid", str(epsg or 0))
    _text(el, "authid", f"EPSG:{epsg}" if epsg else "")
    _text(el, "description", c.name)
    _text(el, "projectionacronym", extra.get("acronym", ""))
    _text(el, "ellipsoidacronym", extra.get("ellipsoid", ""))
    _text(el, "geographicflag", "true" if c.is_geographic else "false")
    return el


def _extent(parent: ET.Element, tag: str, bounds: Sequence[float]) -> ET.Element:
    el = ET.SubElement(parent, tag)
    for name, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds):
        _text(el, name, repr(float(value)))
    return el


def padded_bounds(layers: Mapping[str, gpd.GeoDataFrame], pad: float = 0.05) -> tuple[float, float, float, float]:
    """The union of the layers' bounds, widened by ``pad`` of its size on each side."""
    boxes = [gdf.total_bounds for gdf in layers.values() if len(gdf)]
    xmin = min(b[0] for b in boxes); ymin = min(b[1] for b in boxes)
    xmax = max(b[2] for b in boxes); ymax = max(b[3] for b in boxes)
    dx = max(xmax - xmin, 1000.0) * pad
    dy = max(ymax - ymin, 1000.0) * pad
    return xmin - dx, ymin - dy, xmax + dx, ymax + dy


def _geometry_kind(gdf: gpd.GeoDataFrame) -> tuple[str, str]:
    types = set(gdf.geom_type.dropna())
    if types <= {"Point"}:
        return "Point", "Point"
    if types <= {"MultiPoint", "Point"}:
        return "Point", "MultiPoint"
    if types <= {"LineString", "MultiLineString"}:
        return "Line", "MultiLineString"
    return "Polygon", "MultiPolygon" if "MultiPolygon" in types else "Polygon"


def maplayer(name: str, gdf: gpd.GeoDataFrame, source: str, title: str, style: LayerStyle, lid: str) -> ET.Element:
    """One ``<maplayer>`` with the layer's renderer, labels and aliases inline."""
    geometry, wkb = _geometry_kind(gdf)
    el = ET.Element("maplayer", {
        "type": "vector", "geometry": geometry, "wkbType": wkb,
        "labelsEnabled": "1" if style.labels_enabled else "0", "styleCategories": "AllStyleCategories",
        **style.scale_attributes(), "autoRefreshEnabled": "0", "refreshOnNotifyEnabled": "0", "readOnly": "0",
    })
    _extent(el, "extent", gdf.total_bounds)
    _text(el, "id", lid)
    _text(el, "datasource", source)
    kw = ET.SubElement(el, "keywordList")
    _text(kw, "value", "")
    _text(el, "layername", title)
    srs = ET.SubElement(el, "srs")
    srs.append(spatialrefsys(MEXICO_CRS))
    _text(el, "provider", "ogr", encoding="UTF-8")
    for part in style.elements():
        el.append(part)
    return el


@dataclass(frozen=True)
class RasterLayer:
    """A single-band raster drawn with a YlOrRd colour ramp from 0 to ``maximum``,
    added below the vector layers and switched off (the choropleth is the main view)."""

    path: Path
    title: str
    maximum: float
    band: int = 1

    @property
    def style(self) -> RasterStyle:
        """The raster's style, shared with its .qml sidecar."""
        return RasterStyle(self.maximum, self.band)

    def extent(self) -> tuple[float, float, float, float]:
        with rasterio.open(self.path) as src:
            b = src.bounds
        return b.left, b.bottom, b.right, b.top

    def crs(self) -> str:
        """The raster's own CRS (the population grid's, which need not be EPSG:6372)."""
        with rasterio.open(self.path) as src:
            epsg = src.crs.to_epsg()
            return f"EPSG:{epsg}" if epsg else src.crs.to_wkt()


@dataclass(frozen=True)
class PrintLayout:
    """The texts of the project's A4 print layout, already in the run's language."""

    name: str
    title: str
    source_line: str
    legend_title: str


def raster_maplayer(raster: RasterLayer, lid: str) -> ET.Element:
    """One raster ``<maplayer>`` with a single-band pseudocolour renderer."""
    el = ET.Element("maplayer", {"type": "raster", "styleCategories": "AllStyleCategories", "hasScaleBasedVisibilityFlag": "0",
                                 "minScale": "1e+08", "maxScale": "0", "autoRefreshEnabled": "0", "refreshOnNotifyEnabled": "0"})
    _extent(el, "extent", raster.extent())
    _text(el, "id", lid)
    _text(el, "datasource", f"./{raster.path.name}")
    kw = ET.SubElement(el, "keywordList")
    _text(kw, "value", "")
    _text(el, "layername", raster.title)
    srs = ET.SubElement(el, "srs")
    srs.append(spatialrefsys(raster.crs()))
    _text(el, "provider", "gdal")
    nodata = ET.SubElement(el, "noData")
    ET.SubElement(nodata, "noDataList", {"bandNo": str(raster.band), "useSrcNoData": "1"})
    el.append(raster.style.pipe())
    _text(el, "blendMode", "0")
    return el


def project_xml(
    gpkg: Path,
    layers: Mapping[str, gpd.GeoDataFrame],
    styles: Mapping[str, LayerStyle],
    titles: Mapping[str, str],
    project_title: str,
    rasters: Mapping[str, RasterLayer] | None = None,
    layout: PrintLayout | None = None,
) -> ET.Element:
    """The ``<qgis>`` project element; ``layers`` in tree order, top first, then the
    ``rasters`` (switched off), and the A4 print ``layout`` when given."""
    rasters = dict(rasters or {})
    names = [n for n in layers if n in styles]
    ids = {n: layer_id(n, gpkg.name) for n in [*names, *rasters]}
    sources = {n: f"./{gpkg.name}|layername={n}" for n in names}
    sources.update({n: f"./{r.path.name}" for n, r in rasters.items()})
    root = ET.Element("qgis", {"projectname": project_title, "version": QGIS_VERSION})
    ET.SubElement(root, "homePath", {"path": ""})
    _text(root, "title", project_title)
    pcrs = ET.SubElement(root, "projectCrs")
    pcrs.append(spatialrefsys(MEXICO_CRS))

    tree = ET.SubElement(root, "layer-tree-group")
    ET.SubElement(tree, "customproperties")
    for n in names:
        node = ET.SubElement(tree, "layer-tree-layer", {
            "id": ids[n], "name": titles[n], "source": sources[n], "providerKey": "ogr",
            "checked": "Qt::Checked", "expanded": "1", "legend_exp": "", "patch_size": "-1,-1",
            "legend_split_behavior": "0",
        })
        ET.SubElement(node, "customproperties")
    for n, r in rasters.items():
        node = ET.SubElement(tree, "layer-tree-layer", {
            "id": ids[n], "name": r.title, "source": sources[n], "providerKey": "gdal",
            "checked": "Qt::Unchecked", "expanded": "0", "legend_exp": "", "patch_size": "-1,-1",
            "legend_split_behavior": "0",
        })
        ET.SubElement(node, "customproperties")
    order = ET.SubElement(tree, "custom-order", {"enabled": "0"})
    for n in [*names, *rasters]:
        _text(order, "item", ids[n])

    # frame the units (the subject); a hazard footprint can be far larger than them
    bounds = padded_bounds({"units": layers["units"]} if "units" in names else {n: layers[n] for n in names})
    canvas = ET.SubElement(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    _text(canvas, "units", "meters")
    _extent(canvas, "extent", bounds)
    _text(canvas, "rotation", "0")
    dest = ET.SubElement(canvas, "destinationsrs")
    dest.append(spatialrefsys(MEXICO_CRS))

    proj_layers = ET.SubElement(root, "projectlayers")
    for n in names:
        proj_layers.append(maplayer(n, layers[n], sources[n], titles[n], styles[n], ids[n]))
    for n, r in rasters.items():
        proj_layers.append(raster_maplayer(r, ids[n]))
    lorder = ET.SubElement(root, "layerorder")
    for n in [*names, *rasters]:
        ET.SubElement(lorder, "layer", {"id": ids[n]})

    props = ET.SubElement(root, "properties")
    paths = ET.SubElement(props, "Paths")
    _text(paths, "Absolute", "false", type="bool")
    srs = ET.SubElement(props, "SpatialRefSys")
    _text(srs, "ProjectionsEnabled", "1", type="int")

    view = ET.SubElement(root, "ProjectViewSettings", {"UseProjectScales": "0", "rotation": "0"})
    ET.SubElement(view, "Scales")
    default = ET.SubElement(view, "DefaultViewExtent", {k: repr(float(v)) for k, v in zip(("xmin", "ymin", "xmax", "ymax"), bounds)})
    default.append(spatialrefsys(MEXICO_CRS))
    if layout is not None:
        legend = [print_layout.LegendLayer(ids[n], titles[n]) for n in names]
        root.append(print_layout.layout_element(layout.name, bounds, layout.title, layout.source_line, layout.legend_title, legend))
    return root


def write_project(
    path: str | Path,
    gpkg: str | Path,
    layers: Mapping[str, gpd.GeoDataFrame],
    styles: Mapping[str, LayerStyle],
    titles: Mapping[str, str],
    project_title: str,
    rasters: Mapping[str, RasterLayer] | None = None,
    layout: PrintLayout | None = None,
) -> Path:
    """Write the .qgs beside ``gpkg`` and the rasters (sources are relative)."""
    path, gpkg = Path(path), Path(gpkg)
    for other in [gpkg, *(r.path for r in (rasters or {}).values())]:
        if path.parent.resolve() != Path(other).parent.resolve():
            raise ValueError(f"project {path} must sit beside {other} (sources are relative)")
    root = project_xml(gpkg, layers, styles, titles, project_title, rasters, layout)
    ET.indent(root)
    with atomic_path(path) as tmp:
        tmp.write_text(DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return path
