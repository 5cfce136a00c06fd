"""``geodisp footprint``'s outputs: the hazard footprint alone, to check in QGIS before a full run.

Writes ``<stem>_<intensity>.tif`` (a modelled or sampled footprint's intensity, e.g.
the wind swath in kt) or ``<stem>_hazard_classes.tif`` (the classes on the
population grid, for footprints without an intensity), and ``<stem>_footprint.gpkg``
with the classified polygons (layer ``hazard``, styled, EPSG:6372). A forecast
footprint says so in the layer's title and in a ``forecast`` field.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import xarray as xr

from geodisp.model.footprint import Footprint
from geodisp.outputs import geopackage, i18n, styles
from geodisp.outputs.hazard import intensity_name, write_intensity_cog


def write_footprint(footprint: Footprint, classes_raster: Optional[xr.DataArray], out_dir: str | Path, stem: str,
                    lang: str = "es", blocksize: int = 512) -> dict[str, Path]:
    """Write the footprint's COG and styled GeoPackage into ``out_dir``; return the paths by name.

    ``classes_raster``: the classes on the population grid (``zonal.crosstab.hazard_raster``),
    polygonised when the footprint has no polygons of its own and written as the COG
    when it has no intensity.
    """
    i18n.check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    if footprint.intensity is not None:
        name = intensity_name(footprint)
        written = write_intensity_cog(out_dir / f"{stem}_{name}.tif", footprint.intensity, None, name,
                                      footprint.units, blocksize)
    elif classes_raster is not None:
        written = write_intensity_cog(out_dir / f"{stem}_hazard_classes.tif", classes_raster, footprint.window,
                                      "hazard_class", None, blocksize)
    else:
        written = None
    if written is not None:
        paths["hazard_raster"] = written
    layer = geopackage.hazard_layer(footprint.classes, footprint.vector,
                                    footprint.raster if footprint.raster is not None else classes_raster, footprint.window)
    layer["forecast"] = int(footprint.forecast)
    style = styles.hazard_style([c for c in layer.columns if c != layer.geometry.name], footprint.classes, lang)
    title = i18n.t("layer_hazard_forecast" if footprint.forecast else "layer_hazard", lang)
    paths["footprint_gpkg"] = geopackage.write_geopackage(out_dir / f"{stem}_footprint.gpkg", {"hazard": layer},
                                                         {"hazard": style}, {"hazard": title})
    return paths
