"""What each stage hands to the next: frozen, typed results.

``geodisp.read`` returns ``Sources``, ``geodisp.overlay`` returns ``Overlay``,
``geodisp.estimate`` returns ``Estimates``; ``Result`` is their composition plus what
``geodisp.write`` and the publish step produced. Everything a later stage needs is a
field here — never a pandas/xarray ``attrs`` entry, which ``concat`` and many other
operations drop. New versions are made with ``dataclasses.replace``; nothing is
patched in place.

Frames are plain pandas / geopandas / xarray objects, so a notebook can look at any
stage and stop after it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

if TYPE_CHECKING:  # the model stays importable without the heavy libraries
    import geopandas as gpd
    import pandas as pd
    import xarray as xr

    from geodisp.config.event import Event
    from geodisp.model.footprint import Footprint
    from geodisp.zonal.zones import Zones


@dataclass(frozen=True)
class SourceCount:
    """Records read, used and rejected from one input file."""

    source: str
    file: str
    read: int
    used: int
    rejected: int


@dataclass(frozen=True)
class Sources:
    """Every input of an event, normalised (the read stage).

    - ``units``: boundaries at the event's level (``cvegeo``, ``level``, ``name``,
      ``cve_ent``, ``cve_mun``, geometry, EPSG:6372).
    - ``population``: people per cell, a lazy DataArray on the raster's own grid.
    - ``footprint``: the hazard classes (``Footprint``).
    - ``census`` (or None) and ``household``: household sizes per unit with their source.
    - ``damage`` (points) or ``damage_counts`` (per unit and level), either may be None.
    - ``evacuations``, ``shelters``, ``facilities``: frames or None.
    - ``rejects``: every record a reader did not use, with its reason.
    - ``counts``: one ``SourceCount`` per input file.
    - ``notes``: what the readers repaired or dropped without rejecting a record,
      each prefixed by its source (``damage: ...``).
    - ``labels``: short provenance labels (file names) per input, for figures' ``source``.
    - ``hazard_type``: the event's hazard type (IDMC/IRDR term), which picks exposure rates.
    - ``event_id``, ``start``, ``end``: the event's id and dates, which key the event
      total and date the figures whose records carry no date.
    """

    units: "gpd.GeoDataFrame"
    population: "xr.DataArray"
    footprint: "Footprint"
    household: Optional["pd.DataFrame"] = None
    rejects: Optional["pd.DataFrame"] = None
    census: Optional["pd.DataFrame"] = None
    damage: Optional["gpd.GeoDataFrame"] = None
    damage_counts: Optional["pd.DataFrame"] = None
    evacuations: Optional["pd.DataFrame"] = None
    shelters: Optional["pd.DataFrame"] = None
    facilities: Optional["gpd.GeoDataFrame"] = None
    counts: tuple[SourceCount, ...] = ()
    notes: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    hazard_type: Optional[str] = None
    event_id: Optional[str] = None
    start: Any = None
    end: Any = None


@dataclass(frozen=True)
class Overlay:
    """People per (unit × hazard class) and points placed in units (the overlay stage).

    - ``zones``: the units rasterised on the population grid (``Zones``, cached).
    - ``hazard``: hazard classes on the population grid (uint8 DataArray, lazy).
    - ``n_classes``: how many hazard classes the footprint has (class 0 is outside).
    - ``exposed``: tidy table ``cvegeo, hazard_class, people`` (class 0 included;
      ``OUTSIDE_KEY`` holds people outside every unit); units that cover no cell
      centre hold their coverage-fraction people, moved from the units owning those
      cells, so the table still sums to the raster's total.
    - ``uncovered``: those units: ``cvegeo``, ``people``, ``method``.
    - ``damage_points``, ``facilities``: points with ``cvegeo`` and ``hazard_class``.
    - ``dwellings``: damaged dwellings per (``cvegeo``, ``damage_level``).
    - ``shelters``, ``shelter_summary``: shelter records and their per-unit summary.
    - ``rejects``: every record not used so far: the readers' rejects and the points
      outside every unit; ``counts``: the sources' counts with those points moved
      from used to rejected.
    - ``cells``: lazy per-cell arrays for the rasters (see ``geodisp.zonal.percell``).
    """

    zones: "Zones"
    hazard: "xr.DataArray"
    n_classes: int = 0
    exposed: Optional["pd.DataFrame"] = None
    uncovered: Optional["pd.DataFrame"] = None
    dwellings: Optional["pd.DataFrame"] = None
    rejects: Optional["pd.DataFrame"] = None
    counts: tuple[SourceCount, ...] = ()
    damage_points: Optional["gpd.GeoDataFrame"] = None
    facilities: Optional["gpd.GeoDataFrame"] = None
    shelters: Optional["pd.DataFrame"] = None
    shelter_summary: Optional["pd.DataFrame"] = None
    cells: Any = None


@dataclass(frozen=True)
class Estimates:
    """The figures of one event (the estimate stage).

    - ``figures``: the figure ledger of the units (``geodisp.model.ledger``: one row per
      unit and metric, low / central / high, unit of measure, IDMC term, category,
      role, reported unit and household size, quantifier, dates, method, source,
      calculation, modelled).
    - ``table``: one row per unit with geometry: the decision (``decided_by``,
      ``modelled``, ``model_ratio``, ``flag``...), the ledger columns of its
      ``displaced`` figure and the wide figures.
    - ``gaps``: the data-gap list: units lacking records of some kind ("reported
      zero" told from "not reported"), and why.
    - ``totals``: ledger rows for the municipio (units finer than municipios), state,
      national and event levels, each the sum of its parts; ``displaced`` (observed +
      modelled) and ``displaced_observed`` (observed only) at each.
    - ``notes``: notes for the run's notes and report, ``(message key, values)``
      (``note_<key>`` in ``geodisp.outputs.i18n``), e.g. hazard classes given rates by rank.
    """

    figures: "pd.DataFrame"
    table: "gpd.GeoDataFrame"
    gaps: Optional["pd.DataFrame"] = None
    totals: Optional["pd.DataFrame"] = None
    notes: tuple[tuple[str, Mapping[str, Any]], ...] = ()


@dataclass(frozen=True)
class Result:
    """One run: the validated event, each stage's result, and what was written.

    ``paths`` (files written, by name), ``manifest`` (as written) and ``timings``
    (seconds per stage) are empty when the run did not write (``write=False``).
    The properties below are shortcuts to the fields a notebook reaches for most.
    """

    event: "Event"
    sources: Sources
    overlay: Overlay
    estimates: Estimates
    lang: str = "es"
    paths: Mapping[str, Path] = field(default_factory=dict)
    manifest: Mapping[str, Any] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def units(self) -> "gpd.GeoDataFrame":
        return self.sources.units

    @property
    def figures(self) -> "pd.DataFrame":
        return self.estimates.figures

    @property
    def table(self) -> "gpd.GeoDataFrame":
        return self.estimates.table

    @property
    def gaps(self) -> "pd.DataFrame":
        return self.estimates.gaps

    @property
    def totals(self) -> "pd.DataFrame":
        return self.estimates.totals

    @property
    def rejects(self) -> "pd.DataFrame":
        """Every input record not used: the readers' rejects and the overlay's."""
        return self.overlay.rejects

    @property
    def counts(self) -> "pd.DataFrame":
        """Rows read / used / rejected per input file, as a table."""
        import pandas as pd

        return pd.DataFrame([c.__dict__ for c in self.overlay.counts],
                             columns=["source", "file", "read", "used", "rejected"])

    @property
    def notes(self) -> tuple[str, ...]:
        return self.sources.notes

    def _repr_html_(self) -> str:
        """A readable summary in Jupyter: totals, top units, rejects, files written."""
        from geodisp.outputs.repr import result_html

        return result_html(self, lang=self.lang)

    def explore(self, **kwargs: Any) -> Any:
        """Interactive map (folium) of displaced people per unit with hazard, damage and shelters."""
        from geodisp.outputs.repr import explore

        kwargs.setdefault("lang", self.lang)
        return explore(self, **kwargs)
