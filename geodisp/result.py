"""The result of a run: each stage's data and the paths written.

Plain data only (GeoDataFrame, DataFrame, DataArray), so a notebook can look at
any stage. Filled in by ``geodisp.pipeline.run``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd


@dataclass
class Result:
    """Everything one run produced.

    - ``event``: the validated ``geodisp.config.event.Event``.
    - ``units``: boundaries at the event's level (``cvegeo``, ``level``, ``name``,
      ``cve_ent``, ``cve_mun``, geometry, EPSG:6372).
    - ``sources``: normalised inputs by name: ``population`` (DataArray), ``census``
      (DataFrame or None), ``household`` (household sizes per unit), ``footprint``
      (Footprint), ``damage`` (points GeoDataFrame or None), ``damage_counts``
      (DataFrame or None), ``evacuations``, ``shelters`` (DataFrames or None).
    - ``overlay``: ``exposed`` (crosstab cvegeo × hazard_class → people), ``zones``
      (Zones), ``hazard`` (class DataArray), ``cells`` (``geodisp.zonal.percell.PerCell``: the lazy
      per-cell arrays the rasters are written from, None when the grid covers no unit),
      ``damage_points`` (points with
      ``cvegeo`` and ``hazard_class``), ``dwellings`` (cvegeo × damage_level counts),
      ``shelters`` (shelter points with cvegeo), ``shelter_summary``.
    - ``figures``: long figures table (see ``geodisp.estimators.figures``).
    - ``table``: GeoDataFrame, one row per unit: wide figures, ``decided_by``, ``flag``.
    - ``gaps``: units with no data of any kind.
    - ``rejects``: every rejected input record with its reason.
    - ``counts``: rows read / used / rejected per source.
    - ``notes``: what the readers repaired or dropped without rejecting a record
      (repaired geometries, swapped coordinates fixed, personal columns dropped).
    - ``timings``: seconds per stage.
    - ``paths``: files written, by name.
    - ``manifest``: the run manifest as written.
    """

    event: Any
    units: gpd.GeoDataFrame
    sources: dict[str, Any] = field(default_factory=dict)
    overlay: dict[str, Any] = field(default_factory=dict)
    figures: pd.DataFrame | None = None
    table: gpd.GeoDataFrame | None = None
    gaps: pd.DataFrame | None = None
    rejects: pd.DataFrame | None = None
    counts: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    def _repr_html_(self) -> str:
        """A readable summary in Jupyter: totals, top units, rejects, files written."""
        from .outputs.repr import result_html

        return result_html(self, lang=self.event.output.lang)

    def explore(self, **kwargs: Any) -> Any:
        """Interactive map (folium) of displaced people per unit with hazard, damage and shelters."""
        from .outputs.repr import explore

        return explore(self, lang=self.event.output.lang, **kwargs)
