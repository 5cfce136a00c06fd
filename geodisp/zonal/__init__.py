"""The overlay: people per (unit × hazard class) and points to units, with Dask.

- ``zones.zone_raster``: units rasterised onto the population grid (cached).
- ``crosstab.hazard_raster``, ``crosstab.crosstab``, ``crosstab.rollup``,
  ``crosstab.uncovered_people`` (units that cover no cell centre).
- ``points.assign_points``: points to units and hazard classes.
"""
from geodisp.zonal.crosstab import crosstab, hazard_raster, rollup, uncovered_people
from geodisp.zonal.grid import GridMismatchError
from geodisp.zonal.points import assign_points
from geodisp.zonal.zones import Zones, zone_raster

__all__ = ["Zones", "zone_raster", "hazard_raster", "crosstab", "rollup", "uncovered_people", "assign_points", "GridMismatchError"]
