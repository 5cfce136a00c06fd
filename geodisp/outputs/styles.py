"""QGIS styles (QML) for the event layers, written as XML; QGIS itself is never imported.

One set of renderer / labeling / alias elements per layer feeds three places: the
GeoPackage's ``layer_styles`` table, the ``.qml`` files under ``layers/styles/`` and
the ``<maplayer>`` elements of the QGIS project (QGIS 3.22 ignores ``layer_styles``
when it opens a project, so the project must carry each renderer itself).

Colours are colour-blind safe: ColorBrewer YlOrRd for displaced people, ColorBrewer
Purples for hazard classes, Okabe-Ito for damage levels. The same classification and
colours drive the static map (``staticmap``), so the PNG and QGIS agree.
"""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex

from geodisp.outputs import i18n
from geodisp.outputs.rounding import format_number

QGIS_VERSION = "3.22.16-Białowieża"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"

#: Fill for units whose displaced figure is missing (NULL) and for zero.
NO_DATA_COLOUR = "#bdbdbd"
ZERO_COLOUR = "#f7f7f7"
#: Okabe-Ito colours, most to least severe, and marker sizes (mm): size repeats the
#: order so the levels stay apart even in grey scale.
DAMAGE_STYLE: dict[str, tuple[str, float]] = {
    "destroyed": ("#D55E00", 2.6),
    "uninhabitable": ("#CC79A7", 2.4),
    "severe": ("#E69F00", 2.2),
    "partial": ("#F0E442", 1.9),
    "minor": ("#56B4E9", 1.6),
    "none": ("#999999", 1.3),
}
SHELTER_COLOUR = "#0072B2"
#: Shelters with some report above their capacity: Okabe-Ito vermillion, a larger square.
SHELTER_OVER_CAPACITY_COLOUR = "#D55E00"
#: Expression the shelters renderer categorises on: 1 over capacity, 0 otherwise (NULL too).
SHELTER_CATEGORY = 'if(coalesce("over_capacity", false), 1, 0)'
OUTLINE = "#636363"
#: Breaks used for the shipped default units style (layers/styles/units.qml).
DEFAULT_BREAKS: tuple[float, ...] = (100.0, 1000.0, 5000.0, 20000.0)
#: Sentinel the units renderer draws for NULL displaced (``coalesce(displaced, -1)``).
NO_DATA_VALUE = -1.0


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class Range:
    """One class of the displaced-people choropleth: ``lower <= value <= upper``."""

    lower: float
    upper: float
    label: str
    colour: str
    pattern: str = "solid"  # QGIS brush style; "f_diagonal" for no data


def _nice(value: float) -> float:
    """``value`` rounded to the nearest 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1.0
    exp = math.floor(math.log10(value))
    base = 10.0**exp
    best = min((1, 2, 5, 10), key=lambda m: abs(value - m * base))
    return float(best * base)


def displaced_breaks(values: Sequence[float], n: int = 5) -> list[float]:
    """Upper bounds of up to ``n - 1`` inner classes for the positive ``values``.

    Quantiles of the positive values snapped to 1-2-5 numbers, so legend labels are
    round; the last class is open ("more than ..."). Empty when nothing is positive.
    """
    v = np.asarray([x for x in values if x is not None and np.isfinite(x) and x > 0], dtype=float)
    if v.size == 0:
        return []
    n = max(1, min(n, len(np.unique(v))))
    qs = np.quantile(v, np.linspace(0, 1, n + 1)[1:-1])
    breaks = sorted({_nice(q) for q in qs})
    return [b for b in breaks if b < v.max()]


def sequential_colours(cmap: str, n: int, start: float = 0.15, stop: float = 0.95) -> list[str]:
    """``n`` hex colours from a ColorBrewer sequential matplotlib colormap, light to dark."""
    if n <= 0:
        return []
    ramp = colormaps[cmap]
    positions = [0.6] if n == 1 else np.linspace(start, stop, n)
    return [to_hex(ramp(float(p))) for p in positions]


def displaced_ranges(breaks: Sequence[float], lang: "str | i18n.Language" = "es") -> list[Range]:
    """The choropleth classes on whole people: no data, 0, then 1 – b1, b1+1 – b2, ..., more than bk.

    Classes never overlap: a value is classified on its nearest whole number
    (:func:`whole`), and each class starts one above the previous class's top.
    """
    lang = i18n.language(lang)
    ranges = [
        Range(NO_DATA_VALUE, NO_DATA_VALUE, lang.t("no_data"), NO_DATA_COLOUR, "f_diagonal"),
        Range(0.0, 0.0, lang.t("zero"), ZERO_COLOUR),
    ]
    uppers = sorted({int(round(b)) for b in breaks if b >= 1})
    colours = sequential_colours("YlOrRd", len(uppers) + 1)
    lower = 1
    for i, upper in enumerate(uppers):
        label = lang.t("range", low=lang.number(lower, rounded=False), high=lang.number(upper, rounded=False)) if upper > lower \
            else lang.number(upper, rounded=False)
        ranges.append(Range(float(lower), float(upper), label, colours[i]))
        lower = upper + 1
    top = lang.t("more_than", value=lang.number(lower - 1, rounded=False)) if uppers else lang.t("more_than", value="0")
    ranges.append(Range(float(lower), 1e15, top, colours[len(uppers)]))
    return ranges


def whole(x: float | None) -> float:
    """The value the choropleth classifies: NaN/None as no data (-1), else the nearest
    whole number, half away from zero (as QGIS's ``round``)."""
    if x is None or not np.isfinite(x):
        return NO_DATA_VALUE
    return float(math.copysign(math.floor(abs(float(x)) + 0.5), float(x)))


def classify(values: Sequence[float], ranges: Sequence[Range]) -> list[int]:
    """Index of the range each value falls in, the way QGIS picks it (first match wins)."""
    out = []
    for x in values:
        w = whole(x)
        out.append(next(i for i, r in enumerate(ranges) if r.lower <= w <= r.upper))
    return out


def hazard_colours(n: int) -> list[str]:
    """Colours of hazard classes 1..n (ColorBrewer Purples, light to dark)."""
    return sequential_colours("Purples", n, 0.5, 0.95)


# --------------------------------------------------------------------------- XML parts


def _rgba(colour: str, alpha: float = 1.0) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{int(round(alpha * 255))}"


def _symbol_layer(cls: str, props: dict[str, str]) -> ET.Element:
    layer = ET.Element("layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    opt = ET.SubElement(layer, "Option", {"type": "Map"})
    for k, v in props.items():
        ET.SubElement(opt, "Option", {"name": k, "type": "QString", "value": v})
    for k, v in props.items():  # the pre-3.18 form, still read by 3.22
        ET.SubElement(layer, "prop", {"k": k, "v": v})
    return layer


def fill_symbol(name: str, colour: str, alpha: float = 1.0, outline: str = OUTLINE, width: float = 0.26, style: str = "solid") -> ET.Element:
    """A QGIS fill symbol (SimpleFill)."""
    sym = ET.Element("symbol", {"type": "fill", "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"})
    sym.append(_symbol_layer("SimpleFill", {
        "color": _rgba(colour, alpha), "style": style, "outline_color": _rgba(outline),
        "outline_style": "solid", "outline_width": f"{width}", "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }))
    return sym


def marker_symbol(name: str, colour: str, size: float, shape: str = "circle", outline: str = "#333333") -> ET.Element:
    """A QGIS marker symbol (SimpleMarker)."""
    sym = ET.Element("symbol", {"type": "marker", "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"})
    sym.append(_symbol_layer("SimpleMarker", {
        "name": shape, "color": _rgba(colour), "outline_color": _rgba(outline),
        "outline_style": "solid", "outline_width": "0.2", "outline_width_unit": "MM",
        "size": f"{size}", "size_unit": "MM", "angle": "0", "joinstyle": "bevel",
        "scale_method": "diameter", "vertical_anchor_point": "1", "horizontal_anchor_point": "1",
    }))
    return sym


def _renderer(kind: str, **attrs: str) -> ET.Element:
    base = {"type": kind, "symbollevels": "0", "forceraster": "0", "enableorderby": "0", "referencescale": "-1"}
    return ET.Element("renderer-v2", {**base, **attrs})


def _tail(renderer: ET.Element) -> ET.Element:
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    return renderer


def graduated_renderer(expression: str, ranges: Sequence[Range]) -> ET.Element:
    """Graduated colour renderer over ``expression`` with the given ranges."""
    r = _renderer("graduatedSymbol", attr=expression, graduatedMethod="GraduatedColor")
    el = ET.SubElement(r, "ranges")
    syms = ET.SubElement(r, "symbols")
    for i, rng in enumerate(ranges):
        ET.SubElement(el, "range", {"lower": repr(float(rng.lower)), "upper": repr(float(rng.upper)), "label": rng.label, "symbol": str(i), "render": "true"})
        syms.append(fill_symbol(str(i), rng.colour, style=rng.pattern, outline="#ffffff" if rng.pattern == "solid" else OUTLINE))
    ET.SubElement(r, "classificationMethod", {"id": "Pretty"})
    return _tail(r)


def categorized_renderer(field: str, categories: Sequence[tuple[str, str, ET.Element]]) -> ET.Element:
    """Categorised renderer: ``categories`` are (value, label, symbol element)."""
    r = _renderer("categorizedSymbol", attr=field)
    cats = ET.SubElement(r, "categories")
    syms = ET.SubElement(r, "symbols")
    for i, (value, label, symbol) in enumerate(categories):
        ET.SubElement(cats, "category", {"value": str(value), "label": label, "symbol": str(i), "render": "true"})
        symbol.set("name", str(i))
        syms.append(symbol)
    return _tail(r)


def single_renderer(symbol: ET.Element) -> ET.Element:
    """Single-symbol renderer."""
    r = _renderer("singleSymbol")
    syms = ET.SubElement(r, "symbols")
    symbol.set("name", "0")
    syms.append(symbol)
    return _tail(r)


def simple_labeling(expression: str, size: float = 8.0) -> ET.Element:
    """Labels from a QGIS expression: dark text with a white halo, over the polygon."""
    lab = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(lab, "settings", {"calloutType": "simple"})
    style = ET.SubElement(settings, "text-style", {
        "fieldName": expression, "isExpression": "1", "fontFamily": "Liberation Sans",
        "fontSize": f"{size}", "fontSizeUnit": "Point", "textColor": "30,30,30,255",
        "fontWeight": "50", "textOpacity": "1", "multilineHeight": "1", "namedStyle": "Regular",
    })
    ET.SubElement(style, "text-buffer", {
        "bufferDraw": "1", "bufferSize": "0.8", "bufferSizeUnits": "MM", "bufferColor": "255,255,255,255",
        "bufferOpacity": "0.9", "bufferJoinStyle": "128", "bufferNoFill": "1",
    })
    ET.SubElement(settings, "text-format", {"multilineAlign": "1", "wrapChar": "", "formatNumbers": "0"})
    ET.SubElement(settings, "placement", {"placement": "1", "centroidInside": "1", "fitInPolygonOnly": "0", "priority": "5", "dist": "0"})
    ET.SubElement(settings, "rendering", {"drawLabels": "1", "obstacle": "1", "obstacleType": "1", "displayAll": "0", "upsidedownLabels": "0", "labelPerPart": "0", "mergeLines": "0", "zIndex": "0"})
    return lab


def aliases_element(columns: Sequence[str], lang: "str | i18n.Language") -> ET.Element:
    """``<aliases>`` for the layer's columns, every one named in ``lang``; index 0 is the GeoPackage ``fid``."""
    lang = i18n.language(lang)
    el = ET.Element("aliases")
    for i, col in enumerate(["fid", *columns]):
        ET.SubElement(el, "alias", {"field": col, "index": str(i), "name": lang.field_alias(col)})
    return el


# --------------------------------------------------------------------------- layer styles


@dataclass(frozen=True)
class LayerStyle:
    """The pieces of one layer's style; ``qml()`` renders the stand-alone document."""

    renderer: ET.Element
    aliases: ET.Element
    geometry_type: int  # QGIS layerGeometryType: 0 point, 1 line, 2 polygon
    labeling: ET.Element | None = None
    opacity: float = 1.0
    #: Drawn only when zoomed in beyond 1:``min_scale`` (None: at every scale).
    min_scale: float | None = None

    def elements(self) -> list[ET.Element]:
        """Elements shared by a QML document and a project ``<maplayer>``."""
        out = [self.renderer]
        if self.labeling is not None:
            out.append(self.labeling)
        opacity = ET.Element("layerOpacity")
        opacity.text = f"{self.opacity:g}"
        out += [opacity, self.aliases]
        return out

    @property
    def labels_enabled(self) -> bool:
        return self.labeling is not None

    def scale_attributes(self) -> dict[str, str]:
        """``hasScaleBasedVisibilityFlag`` / ``minScale`` / ``maxScale`` for the QML root and ``<maplayer>``."""
        if self.min_scale is None:
            return {"hasScaleBasedVisibilityFlag": "0", "minScale": "100000000", "maxScale": "0"}
        return {"hasScaleBasedVisibilityFlag": "1", "minScale": f"{self.min_scale:g}", "maxScale": "0"}

    def qml(self) -> str:
        """The QML document (what ``layer_styles.styleQML`` and ``*.qml`` hold)."""
        root = ET.Element("qgis", {
            "version": QGIS_VERSION, "styleCategories": "AllStyleCategories",
            "labelsEnabled": "1" if self.labels_enabled else "0", **self.scale_attributes(),
        })
        for el in self.elements():
            root.append(el)
        gt = ET.SubElement(root, "layerGeometryType")
        gt.text = str(self.geometry_type)
        ET.indent(root)
        return DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def displaced_label_expression(name_field: str = "name") -> str:
    """QGIS expression labelling a unit with its name and displaced people, rounded as
    ``rounding.round_display`` does (IDMC's rule: up to 100 to the unit, up to 1,000 to
    10, below 10,000 to 100, else to 1,000; halves to the even neighbour).

    Units whose figure rounds to 0 get no label (a "0" beside a coloured unit would
    read as none); their class colour still shows them."""
    step = ('CASE WHEN "displaced" <= 100 THEN 1 WHEN "displaced" <= 1000 THEN 10 '
            'WHEN "displaced" < 10000 THEN 100 ELSE 1000 END')
    value = ("with_variable('s', " + step + ", with_variable('q', \"displaced\" / @s, "
             "(CASE WHEN @q - floor(@q) = 0.5 THEN 2 * round(@q / 2) ELSE round(@q) END) * @s))")
    return f"CASE WHEN \"displaced\" > 0.5 THEN \"{name_field}\" || '\\n' || format_number({value}, 0) END"


#: Above this many damage points the layer is drawn only when zoomed in (``DAMAGE_MIN_SCALE``),
#: so thousands of dots do not bury the choropleth at the full extent.
DAMAGE_POINTS_CROWDED = 300
#: The smallest scale (1:n) at which a crowded damage-points layer is drawn: a town, not a state.
DAMAGE_MIN_SCALE = 250_000.0


def units_style(columns: Sequence[str], breaks: Sequence[float], lang: "str | i18n.Language" = "es") -> LayerStyle:
    """Graduated choropleth of displaced people (whole people, as the static map), NULL hatched as 'no data'."""
    name_field = "name" if "name" in columns else "cvegeo"
    renderer = graduated_renderer(f'round(coalesce("displaced", {NO_DATA_VALUE:g}))', displaced_ranges(breaks, lang))
    return LayerStyle(renderer, aliases_element(columns, lang), 2, simple_labeling(displaced_label_expression(name_field)))


def damage_points_style(columns: Sequence[str], lang: "str | i18n.Language" = "es", n_points: int = 0) -> LayerStyle:
    """Damage points categorised by level, filled Okabe-Ito colours, size by severity; more
    than ``DAMAGE_POINTS_CROWDED`` points are drawn only from 1:``DAMAGE_MIN_SCALE`` in."""
    lang = i18n.language(lang)
    cats = [(level, lang.damage_label(level), marker_symbol("0", colour, size)) for level, (colour, size) in DAMAGE_STYLE.items()]
    crowded = DAMAGE_MIN_SCALE if n_points > DAMAGE_POINTS_CROWDED else None
    return LayerStyle(categorized_renderer("damage_level", cats), aliases_element(columns, lang), 0, min_scale=crowded)


def hazard_style(columns: Sequence[str], classes: pd.DataFrame, lang: "str | i18n.Language" = "es") -> LayerStyle:
    """Hazard classes as outlines only (purple, darker and wider with intensity, no fill),
    so the units choropleth keeps the colours of its legend."""
    lang = i18n.language(lang)
    classes = classes.sort_values("hazard_class")
    colours = hazard_colours(len(classes))
    cats = []
    for i, (colour, (_, row)) in enumerate(zip(colours, classes.iterrows())):
        label = i18n.pretty_label(row["label"]) if pd.notna(row.get("label")) else lang.t("hazard_class_n", n=int(row["hazard_class"]))
        cats.append((str(int(row["hazard_class"])), label, fill_symbol("0", colour, alpha=0.0, outline=colour, width=0.6 + 0.3 * i, style="no")))
    return LayerStyle(categorized_renderer("hazard_class", cats), aliases_element(columns, lang), 2)


def shelters_style(columns: Sequence[str], lang: "str | i18n.Language" = "es") -> LayerStyle:
    """Shelters as blue squares with a white outline; with an ``over_capacity`` column, shelters
    reported above their capacity as larger vermillion squares (categorised, so the legend says so)."""
    lang = i18n.language(lang)
    square = marker_symbol("0", SHELTER_COLOUR, 3.4, "square", "#ffffff")
    if "over_capacity" not in columns:
        return LayerStyle(single_renderer(square), aliases_element(columns, lang), 0)
    cats = [("0", lang.t("legend_shelters"), square),
            ("1", lang.t("legend_shelter_over_capacity"),
             marker_symbol("0", SHELTER_OVER_CAPACITY_COLOUR, 4.2, "square", "#ffffff"))]
    return LayerStyle(categorized_renderer(SHELTER_CATEGORY, cats), aliases_element(columns, lang), 0)


@dataclass(frozen=True)
class RasterStyle:
    """A single-band raster drawn with a YlOrRd ramp from 0 (transparent) to ``maximum``."""

    maximum: float
    band: int = 1

    def pipe(self) -> ET.Element:
        """The ``<pipe>`` element shared by a raster ``<maplayer>`` and its .qml sidecar."""
        pipe = ET.Element("pipe")
        top = max(float(self.maximum), 1e-9)
        ren = ET.SubElement(pipe, "rasterrenderer", {"type": "singlebandpseudocolor", "band": str(self.band), "opacity": "1",
                                                      "alphaBand": "-1", "classificationMin": "0", "classificationMax": repr(top), "nodataColor": ""})
        shader = ET.SubElement(ET.SubElement(ren, "rastershader"), "colorrampshader", {
            "colorRampType": "INTERPOLATED", "classificationMode": "1", "clip": "0", "minimumValue": "0",
            "maximumValue": repr(top), "labelPrecision": "1"})
        colours = sequential_colours("YlOrRd", 5)
        for i, colour in enumerate(colours):  # 0 is transparent, so only cells with people show
            value = top * i / (len(colours) - 1)
            ET.SubElement(shader, "item", {"value": repr(float(value)), "label": f"{value:,.2f}", "alpha": "0" if i == 0 else "255", "color": colour})
        ET.SubElement(pipe, "brightnesscontrast", {"brightness": "0", "contrast": "0", "gamma": "1"})
        ET.SubElement(pipe, "rasterresampler", {"maxOversampling": "2"})
        return pipe

    def qml(self) -> str:
        """The .qml sidecar QGIS loads with a raster of the same base name."""
        root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "AllStyleCategories",
                                   "hasScaleBasedVisibilityFlag": "0", "minScale": "1e+08", "maxScale": "0"})
        root.append(self.pipe())
        blend = ET.SubElement(root, "blendMode")
        blend.text = "0"
        ET.indent(root)
        return DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


#: Columns and classes of the shipped default styles (layers/styles/*.qml).
DEFAULT_COLUMNS: dict[str, list[str]] = {
    "units": ["cvegeo", "name", "displaced", "displaced_low", "displaced_high", "evacuated", "sheltered_peak", "method", "source", "decided_by", "flag", "flag_reason"],
    "damage_points": ["dwelling_id", "damage_level", "cvegeo", "hazard_class"],
    "hazard": ["hazard_class", "label", "lower", "upper"],
    "shelters": ["shelter_id", "name", "cvegeo", "peak_occupants", "last_date", "occupants_last_date"],
}


def default_styles(lang: "str | i18n.Language" = "es") -> dict[str, LayerStyle]:
    """The styles shipped under layers/styles/: fixed breaks, three generic hazard classes."""
    lang = i18n.language(lang)
    classes = pd.DataFrame({"hazard_class": [1, 2, 3], "label": [lang.t("hazard_class_n", n=n) for n in (1, 2, 3)]})
    return {
        "units": units_style(DEFAULT_COLUMNS["units"], DEFAULT_BREAKS, lang),
        "damage_points": damage_points_style(DEFAULT_COLUMNS["damage_points"], lang),
        "hazard": hazard_style(DEFAULT_COLUMNS["hazard"], classes, lang),
        "shelters": shelters_style(DEFAULT_COLUMNS["shelters"], lang),
    }
