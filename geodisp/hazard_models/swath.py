"""A storm track -> its maximum-wind swath on the population grid, classified into a Footprint.

``wind_footprint`` turns a normalised track (``geodisp.sources.track``) into model
time steps (``windfield.storm_steps``), evaluates the maximum 1-minute sustained
wind over the event on a lattice of the population grid (``lattice.lattice_field``)
lazily, chunk by chunk, and classifies it by the class edges (Saffir-Simpson by
default). Nothing here reads or writes files.
"""
from __future__ import annotations

import hashlib
from typing import Callable, Optional, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from geodisp.hazard_models import windfield
from geodisp.hazard_models.lattice import lattice_field, lattice_step, node_field, node_grid
from geodisp.model.footprint import Footprint, class_table
from geodisp.zonal.grid import Grid, as_2d

#: Lattice spacing (km): the wind is evaluated exactly every ~2 km and bilinearly
#: interpolated in between (the swath varies over tens of km; see docs/methods.md).
LATTICE_KM = 2.0
#: Storm motion between model time steps, km.
STEP_KM = 5.0
#: Winds below this share of the lowest class edge are not evaluated (written as 0).
FLOOR_SHARE = 0.8


def _key(fixes: pd.DataFrame, grid: Grid, *params: object) -> str:
    h = hashlib.sha256(grid.token().encode())
    h.update(pd.util.hash_pandas_object(fixes.drop(columns=["record"], errors="ignore"), index=False).to_numpy().tobytes())
    h.update(repr(params).encode())
    return h.hexdigest()[:16]


def _evaluate(lat: np.ndarray, lon: np.ndarray, steps: windfield.StormSteps) -> np.ndarray:
    """Maximum wind (kt) at lattice nodes."""
    return windfield.max_wind(lat, lon, steps) / np.float32(windfield.KT)


def _lattice(fixes: pd.DataFrame, like: xr.DataArray, floor_kt: float, spacing_km: float,
             step_km: float, model: str) -> tuple[Grid, int, Callable[[float, float, float, float], windfield.StormSteps]]:
    """The population grid, its lattice step and the storm steps near a box: what both wind rasters evaluate."""
    grid = Grid.of(like, "population")
    steps = windfield.storm_steps(fixes, floor_kt * windfield.KT, step_km=step_km, model=model)

    def select(south: float, north: float, west: float, east: float) -> windfield.StormSteps:
        return windfield.steps_near(steps, south, north, west, east)

    return grid, lattice_step(grid, spacing_km), select


def wind_field(fixes: pd.DataFrame, like: xr.DataArray, floor_kt: float, spacing_km: float = LATTICE_KM,
               step_km: float = STEP_KM, edges: Optional[Sequence[float]] = None,
               model: str = windfield.MODELS[0]) -> tuple[xr.DataArray, Optional[xr.DataArray], Optional[tuple[int, int, int, int]]]:
    """Maximum sustained wind (kt, float32) over the event on ``like``'s grid and chunks, lazily,
    with the radial profile ``model`` (``windfield.MODELS``).

    Winds below ``floor_kt`` are 0. Also returns the wind classified by ``edges``
    (uint8, when given) and the window of chunks that can be non-zero
    ``(row_off, col_off, height, width)``, or None.
    """
    like = as_2d(like, "population")
    grid, k, select = _lattice(fixes, like, floor_kt, spacing_km, step_km, model)
    field = lattice_field(grid, k, _evaluate, select, name=f"wind-{_key(fixes, grid, floor_kt, k, step_km, edges, model)}",
                          edges=edges, floor=floor_kt)
    wind = grid.data_array(field.values, "wind_kt", like)
    wind.attrs["units"] = "kt"
    classes = None
    if field.classes is not None:
        classes = grid.data_array(field.classes, "hazard_class", like).rio.write_nodata(0)
    return wind, classes, field.window


def wind_footprint(fixes: pd.DataFrame, like: xr.DataArray, bins: Optional[Sequence[float]] = None,
                   labels: Optional[Sequence[str]] = None, forecast: bool = False, source: Optional[str] = None,
                   spacing_km: float = LATTICE_KM, step_km: float = STEP_KM, model: str = windfield.MODELS[0]) -> Footprint:
    """The track's wind swath as a Footprint on ``like``'s grid: classes by ``bins`` (kt), and the wind itself,
    with the radial profile ``model`` (``windfield.MODELS``).

    ``bins`` default to the Saffir-Simpson scale preceded by tropical-storm winds
    (``windfield.SAFFIR_SIMPSON_KT``); ``labels`` default to theirs when the bins
    are the default ones, else to the bin ranges.
    """
    edges = [float(b) for b in (bins if bins is not None else windfield.SAFFIR_SIMPSON_KT)]
    if labels is None and bins is None:
        labels = windfield.SAFFIR_SIMPSON_LABELS
    floor = FLOOR_SHARE * edges[0] if edges[0] > 0 else 0.0
    _, classes, window = wind_field(fixes, like, floor, spacing_km, step_km, edges, model)
    table = class_table(edges, labels)
    return Footprint(classes=table, raster=classes, intensity=wind_nodes(fixes, like, floor, spacing_km, step_km, model),
                     window=window, units="kt", source=source, forecast=forecast, field="wind_kt")


def wind_nodes(fixes: pd.DataFrame, like: xr.DataArray, floor_kt: float, spacing_km: float = LATTICE_KM,
               step_km: float = STEP_KM, model: str = windfield.MODELS[0]) -> xr.DataArray:
    """The maximum sustained wind (kt) at the lattice nodes, as a raster of its own (``lattice.node_grid``), lazily.

    The wind's resolution as computed: the population grid's cells take its bilinear
    interpolation. This is what the wind COG holds (a national 3″ grid's swath at
    2 km is a few MB, against GBs at 3″, with no information lost).
    """
    like = as_2d(like, "population")
    grid, k, select = _lattice(fixes, like, floor_kt, spacing_km, step_km, model)
    data = node_field(grid, k, _evaluate, select, name=f"wind-{_key(fixes, grid, floor_kt, k, step_km, model)}", floor=floor_kt)
    out = node_grid(grid, k).data_array(data, "wind_kt")
    out.attrs["units"] = "kt"
    return out
