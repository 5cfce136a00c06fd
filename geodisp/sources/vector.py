"""Vector files through GDAL: zip paths, one named layer, polygon parts.

Shared by every reader that opens a vector layer (boundaries, hazard footprints,
damage and facility points), so that readers never import readers. A layer that is
not in the file is an error listing the layers there; a shapefile whose .cpg names
the wrong encoding is read in the one that gives valid text (reported).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from geodisp.model.errors import InputError
from geodisp.sources.messages import Message


def vsi_path(path: str | Path) -> str:
    """A GDAL path: ``.zip`` archives are read through ``/vsizip/``."""
    text = str(path)
    if text.lower().endswith(".zip") and not text.startswith("/vsizip/"):
        return "/vsizip/" + str(Path(text).resolve())
    return text


@dataclass(frozen=True)
class Vector:
    """A vector layer as read: its features (``frame``) and what the reading did (``notes``,
    :class:`Message` codes for the reader to hand on in its ``Read.notes``)."""

    frame: gpd.GeoDataFrame
    notes: tuple[Message, ...] = ()


def read_vector(path: str | Path, layer: str | int | None = None) -> Vector:
    """Read a vector file (zip allowed) with GDAL (:class:`Vector`); InputError naming the file when unreadable.

    A file or zip holding several layers (NHC advisories zip several shapefiles) needs
    ``layer``; reading whichever comes first would be a guess. A shapefile whose
    .cpg names UTF-8 while its text is Windows-1252 (or latin-1) is read again in
    that encoding, and ``Vector.notes`` says so; the opposite mix-up (UTF-8
    read as latin-1) is repaired by :func:`geodisp.sources.tables.fix_mojibake`.
    """
    if not Path(path).exists():
        raise InputError.coded("input_file_not_found", file=path)
    notes: list = []
    try:
        layers = [str(name) for name in pyogrio.list_layers(vsi_path(path))[:, 0]]
        if layer is None and len(layers) > 1:
            raise InputError.coded("input_layers_ambiguous", file=path, n=len(layers), layers=", ".join(layers))
        if layer is not None and str(layer) not in layers and not isinstance(layer, int):
            raise InputError.coded("input_no_layer", file=path, layer=layer, layers=", ".join(layers))
        try:
            frame = gpd.read_file(vsi_path(path), layer=layer, engine="pyogrio")
        except UnicodeDecodeError:
            frame = gpd.read_file(vsi_path(path), layer=layer, engine="pyogrio", encoding="cp1252")
            notes.append(Message("encoding_fallback", declared="UTF-8", used="Windows-1252"))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise InputError.coded("input_not_vector", file=path, error=f"{type(exc).__name__}: {exc}") from exc
    return Vector(frame, tuple(notes))


def polygon_parts(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (make_valid can return lines and points too)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
