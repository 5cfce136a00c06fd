"""The static map (PNG): displaced people per unit with legend, scale bar and source line.

Same classes and colours as the QGIS style (``styles.displaced_ranges``), so the PNG
and the project agree. Drawn with matplotlib's Agg backend (no display needed).
"""
from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Sequence

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from geodisp.io import atomic_path  # noqa: E402
from geodisp.outputs import i18n  # noqa: E402
from geodisp.outputs.rounding import format_number  # noqa: E402
from geodisp.outputs.styles import (  # noqa: E402
    DAMAGE_STYLE,
    OUTLINE,
    SHELTER_COLOUR,
    classify,
    displaced_ranges,
    hazard_colours,
)

#: Units labelled on the static map (most displaced first).
TOP_LABELS = 5


def scale_length(width_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) near a fifth of the map width."""
    target = max(width_m / 5.0, 1.0)
    exp = math.floor(math.log10(target))
    return max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= target)


def _scale_bar(ax: plt.Axes, lang: str) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = scale_length(x1 - x0)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.03 * (y1 - y0)
    h = 0.012 * (y1 - y0)
    ax.add_patch(Rectangle((bx, by), length / 2, h, facecolor="black", edgecolor="black", lw=0.6, zorder=10))
    ax.add_patch(Rectangle((bx + length / 2, by), length / 2, h, facecolor="white", edgecolor="black", lw=0.6, zorder=10))
    km = length / 1000.0
    ax.text(bx + length / 2, by + 2.2 * h, i18n.t("scale_km", lang, value=f"{km:g}"), ha="center", va="bottom", fontsize=8, zorder=10)
    ax.annotate("N", xy=(x1 - 0.04 * (x1 - x0), y1 - 0.05 * (y1 - y0)), xytext=(x1 - 0.04 * (x1 - x0), y1 - 0.15 * (y1 - y0)),
                ha="center", va="center", fontsize=10, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2}, zorder=10)


def _label_top_units(ax: plt.Axes, units: gpd.GeoDataFrame, lang: str, n: int = TOP_LABELS) -> None:
    """Name and rounded figure of the ``n`` units with most people displaced, as in QGIS."""
    if "displaced" not in units or "name" not in units:
        return
    top = units[units["displaced"] >= 5].sort_values(["displaced", "cvegeo"], ascending=[False, True]).head(n)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for _, row in top.iterrows():
        p = row.geometry.representative_point()
        ax.text(p.x, p.y, f"{row['name']}\n{format_number(row['displaced'], lang)}", ha="center", va="center",
                fontsize=7.5, zorder=8, path_effects=halo)


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
    lang: str = "es",
    hazard: gpd.GeoDataFrame | None = None,
    damage_points: gpd.GeoDataFrame | None = None,
    shelters: gpd.GeoDataFrame | None = None,
    dpi: int = 150,
) -> Path:
    """Draw and write the PNG; ``units`` needs ``displaced`` (NaN = no data)."""
    ranges = displaced_ranges(breaks, lang)
    idx = classify(units["displaced"].tolist(), ranges)
    xmin, ymin, xmax, ymax = units.total_bounds
    units = drawable(units, max(xmax - xmin, ymax - ymin) / (20 * dpi))  # under a pixel of the figure
    aspect = (ymax - ymin) * 1.2 / max(xmax - xmin, 1.0)  # with room for the scale bar
    fig, ax = plt.subplots(figsize=(10, min(9.0, max(5.0, 6.2 * aspect + 1.8))), dpi=dpi)  # height follows the units' shape
    fig.subplots_adjust(left=0.02, right=0.64, top=0.90, bottom=0.10)
    for i, rng in enumerate(ranges):
        part = units[[j == i for j in idx]]
        if len(part):
            part.plot(ax=ax, facecolor=rng.colour, edgecolor="white" if rng.pattern == "solid" else OUTLINE,
                      hatch="////" if rng.pattern != "solid" else None, linewidth=0.6)
    units.boundary.plot(ax=ax, color="#9e9e9e", linewidth=0.4)

    handles = [Patch(facecolor=r.colour, edgecolor=OUTLINE, hatch="////" if r.pattern != "solid" else None, label=r.label) for r in ranges]
    first = ax.legend(handles=handles, title=i18n.t("legend_title", lang), loc="upper left", bbox_to_anchor=(1.02, 1.0),
                      fontsize=8, title_fontsize=9, frameon=False, alignment="left")
    ax.add_artist(first)

    extra: list = []
    if hazard is not None and len(hazard):
        colours = hazard_colours(len(hazard))
        for colour, (_, row) in zip(colours, hazard.sort_values("hazard_class").iterrows()):
            gpd.GeoSeries([row.geometry], crs=hazard.crs).boundary.plot(ax=ax, color=colour, linewidth=1.6)
            extra.append(Line2D([], [], color=colour, lw=2, label=f"{i18n.t('legend_hazard', lang)}: {row.get('label', row['hazard_class'])}"))
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
                                markersize=size * 2, label=f"{i18n.t('legend_damage', lang)}: {i18n.damage_label(level, lang).lower()}"))
    if shelters is not None and len(shelters):
        shelters.plot(ax=ax, color=SHELTER_COLOUR, marker="s", markersize=40, edgecolor="white", linewidth=0.6, zorder=6)
        extra.append(Line2D([], [], marker="s", ls="", markerfacecolor=SHELTER_COLOUR, markeredgecolor="white", markersize=7, label=i18n.t("legend_shelters", lang)))
    legends = [first]
    if extra:
        legends.append(ax.legend(handles=extra, loc="lower left", bbox_to_anchor=(1.02, 0.0), fontsize=8, frameon=False))

    _label_top_units(ax, units, lang)
    pad = 0.04 * max(xmax - xmin, ymax - ymin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad - 0.12 * max(xmax - xmin, ymax - ymin), ymax + pad)  # room for the scale bar
    ax.set_aspect("equal")
    ax.set_axis_off()
    _scale_bar(ax, lang)
    legends.append(fig.suptitle(title, fontsize=13, fontweight="bold", x=0.02, ha="left"))
    legends.append(fig.text(0.02, 0.015, "\n".join(textwrap.wrap(source_line, 150)), fontsize=7, ha="left", va="bottom", color="#333333"))
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, facecolor="white", bbox_inches="tight", pad_inches=0.25, bbox_extra_artists=legends)  # legends, title, source line
    plt.close(fig)
    return Path(path)
