"""Vector files through GDAL: zip paths, one named layer, polygon parts.

Shared by every reader that opens a vector layer (boundaries, hazard footprints,
damage and facility points), so that readers never import readers.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from geodisp.model.errors import InputError


def vsi_path(path: str | Path) -> str:
    """A GDAL path: ``.zip`` archives are read through ``/vsizip/``."""
    text = str(path)
    if text.lower().endswith(".zip") and not text.startswith("/vsizip/"):
        return "/vsizip/" + str(Path(text).resolve())
    return text


def read_vector(path: str | Path, layer: str | int | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (zip allowed) with GDAL; InputError naming the file when unreadable.

    A file or zip holding several layers (NHC advisories zip several shapefiles) needs
    ``layer``; reading whichever comes first would be a guess.
    """
    if not Path(path).exists():
        raise InputError(f"{path}: file not found")
    try:
        if layer is None:
            layers = [str(name) for name in pyogrio.list_layers(vsi_path(path))[:, 0]]
            if len(layers) > 1:
                raise InputError(f"{path}: holds {len(layers)} layers ({', '.join(layers)}); name the layer to read")
        frame = gpd.read_file(vsi_path(path), layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise InputError(f"{path}: cannot read as a vector layer ({exc})") from exc
    return frame


def polygon_parts(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (make_valid can return lines and points too)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
