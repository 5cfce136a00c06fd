"""The static map (PNG): displaced people per unit with legend, scale bar and source line.

Same classes and colours as the QGIS style (``styles.displaced_ranges``), so the PNG
and the project agree. Drawn on a ``matplotlib.figure.Figure`` with the Agg canvas,
never through pyplot, so importing geodisp never changes the session's backend (a
notebook's own plots keep working). Unit labels are placed greedily, largest figure
first, and a label that would overlap another label or a shelter is moved or left
out; units whose figure is modelled (no observed record) are hatched.
"""
from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Bbox

from geodisp.io import atomic_path
from geodisp.outputs import i18n
from geodisp.outputs.styles import (DAMAGE_STYLE, OUTLINE, SHELTER_COLOUR, SHELTER_OVER_CAPACITY_COLOUR, classify,
                                    displaced_ranges, hazard_colours)

#: At most this many units are labelled (most displaced first), if they fit without overlap.
TOP_LABELS = 8
#: Area of a shelter square (points²), drawn above labels; labels keep clear of it.
SHELTER_MARKER = 40.0
#: Area of the square of a shelter reported above its capacity (points²).
SHELTER_OVER_MARKER = 70.0
#: Hatch drawn over units whose figure is modelled rather than observed.
MODELLED_HATCH = "...."


def scale_length(width_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) near a fifth of the map width."""
    target = max(width_m / 5.0, 1.0)
    exp = math.floor(math.log10(target))
    return max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= target)


def modelled_mask(units: pd.DataFrame) -> np.ndarray:
    """Which units carry a modelled figure: the ledger's ``modelled`` column where present, else
    units decided by the exposure model (``decided_by == displaced_exposure``)."""
    if "modelled" in units.columns:
        return units["modelled"].fillna(False).astype(bool).to_numpy()
    if "decided_by" in units.columns:
        return (units["decided_by"].astype(str) == "displaced_exposure").to_numpy()
    return np.zeros(len(units), dtype=bool)


def _scale_bar(ax: Axes, lang: i18n.Language) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = scale_length(x1 - x0)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.03 * (y1 - y0)
    h = 0.012 * (y1 - y0)
    ax.add_patch(Rectangle((bx, by), length / 2, h, facecolor="black", edgecolor="black", lw=0.6, zorder=10))
    ax.add_patch(Rectangle((bx + length / 2, by), length / 2, h, facecolor="white", edgecolor="black", lw=0.6, zorder=10))
    ax.text(bx + length / 2, by + 2.2 * h, lang.t("scale_km", value=f"{length / 1000.0:g}"), ha="center", va="bottom", fontsize=8, zorder=10)
    ax.annotate("N", xy=(x1 - 0.04 * (x1 - x0), y1 - 0.05 * (y1 - y0)), xytext=(x1 - 0.04 * (x1 - x0), y1 - 0.15 * (y1 - y0)),
                ha="center", va="center", fontsize=10, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2}, zorder=10)


def _overlaps(box: Bbox, taken: Sequence[Bbox]) -> bool:
    return any(box.overlaps(other) for other in taken)


def place_labels(fig: Figure, ax: Axes, units: gpd.GeoDataFrame, lang: i18n.Language, obstacles: Sequence[Bbox] = (),
                 n: int = TOP_LABELS) -> list[str]:
    """Label up to ``n`` units (most displaced first) with name and rounded figure, each where it
    overlaps no other label and no obstacle (shelter squares); returns the keys labelled."""
    if "displaced" not in units or "name" not in units:
        return []
    top = units[units["displaced"] >= 5].sort_values(["displaced", "cvegeo"], ascending=[False, True]).head(n)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    renderer = fig.canvas.get_renderer()
    taken: list[Bbox] = list(obstacles)
    placed = []
    for _, row in top.iterrows():
        p = row.geometry.representative_point()
        text = ax.text(p.x, p.y, f"{row['name']}\n{lang.number(row['displaced'])}", ha="center", va="center",
                       fontsize=7.5, zorder=8, path_effects=halo)
        ok = False
        for dx, dy in ((0, 0), (0, 14), (0, -14), (18, 0), (-18, 0), (14, 14), (-14, -14), (14, -14), (-14, 14)):
            text.set_position((p.x, p.y))
            text.set_transform(ax.transData + _offset(fig, dx, dy))
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if not _overlaps(box, taken):
                taken.append(box)
                ok = True
                break
        if ok:
            placed.append(str(row["cvegeo"]))
        else:
            text.remove()
    return placed


def _offset(fig: Figure, dx_pt: float, dy_pt: float):
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, fig.dpi_scale_trans)


def drawable(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """``frame`` with outlines simplified within ``tolerance`` (about a pixel of the map):
    national boundaries carry millions of vertices no PNG shows, and drawing them is
    most of the map's time at national scale; nothing visible changes."""
    if tolerance <= 0 or frame.empty:
        return frame
    return frame.assign(**{frame.geometry.name: frame.geometry.simplify(tolerance, preserve_topology=True)})


def render_map(
    path: str | Path,
    units: gpd.GeoDataFrame,
    breaks: Sequence[float],
    title: str,
    source_line: str,
    lang: "str | i18n.Language" = "es",
    hazard: gpd.GeoDataFrame | None = None,
    damage_points: gpd.GeoDataFrame | None = None,
    shelters: gpd.GeoDataFrame | None = None,
    dpi: int = 150,
) -> Path:
    """Draw and write the PNG; ``units`` needs ``displaced`` (NaN = no data)."""
    lang = i18n.language(lang)
    ranges = displaced_ranges(breaks, lang)
    idx = classify(units["displaced"].tolist(), ranges)
    xmin, ymin, xmax, ymax = units.total_bounds
    units = drawable(units, max(xmax - xmin, ymax - ymin) / (20 * dpi))  # under a pixel of the figure
    aspect = (ymax - ymin) * 1.2 / max(xmax - xmin, 1.0)  # with room for the scale bar
    fig = Figure(figsize=(10, min(9.0, max(5.0, 6.2 * aspect + 1.8))), dpi=dpi)  # height follows the units' shape
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.02, right=0.64, top=0.90, bottom=0.10)
    for i, rng in enumerate(ranges):
        part = units[[j == i for j in idx]]
        if len(part):
            part.plot(ax=ax, facecolor=rng.colour, edgecolor="white" if rng.pattern == "solid" else OUTLINE,
                      hatch="////" if rng.pattern != "solid" else None, linewidth=0.6)
    modelled = modelled_mask(units) & units["displaced"].notna().to_numpy()
    if modelled.any():
        units[modelled].plot(ax=ax, facecolor="none", edgecolor="#555555", hatch=MODELLED_HATCH, linewidth=0.0)
    units.boundary.plot(ax=ax, color="#9e9e9e", linewidth=0.4)

    handles = [Patch(facecolor=r.colour, edgecolor=OUTLINE, hatch="////" if r.pattern != "solid" else None, label=r.label) for r in ranges]
    if modelled.any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch=MODELLED_HATCH, label=lang.t("legend_modelled")))
    first = ax.legend(handles=handles, title=lang.t("legend_title"), loc="upper left", bbox_to_anchor=(1.02, 1.0),
                      fontsize=8, title_fontsize=9, frameon=False, alignment="left")
    ax.add_artist(first)

    extra: list = []
    if hazard is not None and len(hazard):
        colours = hazard_colours(len(hazard))
        for i, (colour, (_, row)) in enumerate(zip(colours, hazard.sort_values("hazard_class").iterrows())):
            gpd.GeoSeries([row.geometry], crs=hazard.crs).boundary.plot(ax=ax, color=colour, linewidth=1.2 + 0.5 * i, zorder=4)
            label = i18n.pretty_label(row["label"]) if pd.notna(row.get("label")) else lang.t("hazard_class_n", n=int(row["hazard_class"]))
            extra.append(Line2D([], [], color=colour, lw=1.2 + 0.5 * i, label=f"{lang.t('legend_hazard')}: {label}"))
    if damage_points is not None and len(damage_points):
        shrink = 1.0 if len(damage_points) <= 300 else 0.45  # thousands of points: small dots
        present = [lv for lv in DAMAGE_STYLE if (damage_points["damage_level"] == lv).any()]
        for level in reversed(present):  # most severe drawn last, on top
            colour, size = DAMAGE_STYLE[level]
            pts = damage_points[damage_points["damage_level"] == level]
            pts.plot(ax=ax, color=colour, markersize=(size * 4 * shrink) ** 2 / 4, edgecolor="#333333", linewidth=0.4 * shrink, zorder=5)
        for level in present:
            colour, size = DAMAGE_STYLE[level]
            extra.append(Line2D([], [], marker="o", ls="", markerfacecolor=colour, markeredgecolor="#333333",
                                markersize=size * 2, label=f"{lang.t('legend_damage')}: {lang.damage_label(level).lower()}"))
    if shelters is not None and len(shelters):
        over = over_capacity(shelters)
        for part, colour, size, label in ((shelters[~over], SHELTER_COLOUR, SHELTER_MARKER, "legend_shelters"),
                                          (shelters[over], SHELTER_OVER_CAPACITY_COLOUR, SHELTER_OVER_MARKER,
                                           "legend_shelter_over_capacity")):
            if len(part):  # over-capacity squares larger and vermillion, as in the QGIS style
                part.plot(ax=ax, color=colour, marker="s", markersize=size, edgecolor="white", linewidth=0.6, zorder=9)
                extra.append(Line2D([], [], marker="s", ls="", markerfacecolor=colour, markeredgecolor="white",
                                    markersize=7 * math.sqrt(size / SHELTER_MARKER), label=lang.t(label)))
    legends = [first]
    if extra:
        legends.append(ax.legend(handles=extra, loc="lower left", bbox_to_anchor=(1.02, 0.0), fontsize=8, frameon=False))

    pad = 0.04 * max(xmax - xmin, ymax - ymin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad - 0.12 * max(xmax - xmin, ymax - ymin), ymax + pad)  # room for the scale bar
    ax.set_aspect("equal")
    ax.set_axis_off()
    _scale_bar(ax, lang)
    fig.canvas.draw()  # fixes the axes' final position, so label boxes are measured where they land
    place_labels(fig, ax, units, lang, _shelter_boxes(ax, shelters, math.sqrt(SHELTER_OVER_MARKER) / 2 * fig.dpi / 72 + 2))
    legends.append(fig.suptitle(title, fontsize=13, fontweight="bold", x=0.02, ha="left"))
    legends.append(fig.text(0.02, 0.015, "\n".join(textwrap.wrap(source_line, 150)), fontsize=7, ha="left", va="bottom", color="#333333"))
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.25, bbox_extra_artists=legends)  # legends, title, source line
    return Path(path)


def over_capacity(shelters: gpd.GeoDataFrame) -> np.ndarray:
    """Which shelters some report put above their capacity (the reader's flag); none without the column."""
    if "over_capacity" not in shelters.columns:
        return np.zeros(len(shelters), dtype=bool)
    return shelters["over_capacity"].fillna(False).astype(bool).to_numpy()


def _shelter_boxes(ax: Axes, shelters: gpd.GeoDataFrame | None, half_px: float = 6.0) -> list[Bbox]:
    """Display-space boxes of the shelter squares, which labels must not cover."""
    if shelters is None or not len(shelters):
        return []
    xy = ax.transData.transform(np.column_stack([shelters.geometry.x, shelters.geometry.y]))
    return [Bbox.from_extents(x - half_px, y - half_px, x + half_px, y + half_px) for x, y in xy]
