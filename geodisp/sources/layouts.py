"""Agency footprint files recognised by their native fields, so the analyst names the file and nothing else.

Not a reader: it says which field of a polygon layer holds the classes and what the
classes are, and the hazard reader (``geodisp.sources.hazard``) does the reading.

- **NHC cumulative wind swath** (``AL092022_windswath.shp`` in NHC's GIS archive):
  polygons of the area swept by 34, 50 and 64-kt winds, field ``RADII`` (34/50/64),
  with ``STORMID``, ``STARTDTG``, ``ENDDTG``. Classes ``34-49 kt``, ``50-63 kt``,
  ``>=64 kt``.
- **Copernicus EMS rapid mapping flood delineation** (``EMSRnnn_AOInn_DEL_PRODUCT_
  observedEventA_...``): polygons with ``notation`` (or ``obj_desc``) ``Flood trace``
  or ``Flooded area``, and ``event_type``/``det_method``. Classes, lowest first:
  ``Flood trace`` (water receded), ``Flooded area``.
- **ShakeMap MMI contour polygons** (``mi.shp`` in ShakeMap's ``shape.zip``): field
  ``PARAMVALUE`` with ``GRID_CODE``; MMI classes as for a ShakeMap grid. The PGA/PGV
  files (``pga.shp``, ``pgv.shp``) have the same fields and need ``bins``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pyogrio

from geodisp.sources.vector import vsi_path

#: MMI class edges: IV (3.5-4.5) ... IX (8.5-9.5), X+ (>= 9.5), each Roman level centred on
#: its integer as USGS PAGER rounds intensities.
MMI_BINS = [3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, math.inf]
MMI_LABELS = ["IV", "V", "VI", "VII", "VIII", "IX", "X+"]
NHC_SWATH_BINS = [34.0, 50.0, 64.0, math.inf]
NHC_SWATH_LABELS = ["34-49 kt", "50-63 kt", ">=64 kt"]
EMS_FLOOD_LABELS = ["Flood trace", "Flooded area"]


@dataclass(frozen=True)
class Layout:
    """How to read a recognised file: the class field, its bins or labels, the units."""

    format: str
    field: str
    bins: Optional[list[float]]
    labels: Optional[list[str]]
    units: Optional[str]


def _fields(path: Path, layer: Optional[str]) -> dict[str, str]:
    """Upper-cased field name -> field name, of the layer (empty when GDAL cannot read it as vector)."""
    try:
        info = pyogrio.read_info(vsi_path(path), layer=layer)
    except Exception:  # not a vector file (a raster, a grid.xml): nothing to recognise
        return {}
    return {str(f).upper(): str(f) for f in info.get("fields", [])}


def nhc_swath(fields: dict[str, str]) -> Optional[Layout]:
    if "RADII" in fields and ({"STORMID", "STARTDTG", "ENDDTG"} & set(fields)):
        return Layout("nhc_swath", fields["RADII"], NHC_SWATH_BINS, NHC_SWATH_LABELS, "kt")
    return None


def ems_flood(fields: dict[str, str]) -> Optional[Layout]:
    column = fields.get("NOTATION") or fields.get("OBJ_DESC")
    if column and ({"EVENT_TYPE", "DET_METHOD", "DMG_SRC_ID", "OBJ_TYPE"} & set(fields)):
        return Layout("ems_flood", column, None, EMS_FLOOD_LABELS, None)
    return None


def shakemap_contours(fields: dict[str, str], path: Path) -> Optional[Layout]:
    if "PARAMVALUE" in fields and "GRID_CODE" in fields:
        mmi = path.stem.lower() in ("mi", "mmi")
        return Layout("shakemap", fields["PARAMVALUE"], MMI_BINS if mmi else None, MMI_LABELS if mmi else None,
                      "MMI" if mmi else None)
    return None


def recognise(path: Path, layer: Optional[str] = None, format: Optional[str] = None) -> Optional[Layout]:
    """The native layout of a footprint file, or None for a file of no known agency layout.

    ``format`` (``nhc_swath``, ``ems_flood``, ``shakemap``) restricts the check to
    that layout; a file that does not have its fields then yields None.
    """
    fields = _fields(Path(path), layer)
    if not fields:
        return None
    checks = {"nhc_swath": lambda: nhc_swath(fields), "ems_flood": lambda: ems_flood(fields),
              "shakemap": lambda: shakemap_contours(fields, Path(path))}
    for name, check in checks.items():
        if format in (None, name):
            found = check()
            if found is not None:
                return found
    return None
