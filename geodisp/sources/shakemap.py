"""Read a USGS ShakeMap ``grid.xml`` and sample it onto the population grid as a Footprint.

A ShakeMap grid (ShakeMap 3.5 and 4 share the layout) is XML: a
``<shakemap_grid>`` root with ``event_id`` and ``shakemap_event_type`` (``ACTUAL``
or ``SCENARIO``), an ``<event>`` element (magnitude, epicentre), a
``<grid_specification>`` (``lon_min``, ``lat_max``, ``nominal_lon_spacing``,
``nlon``, ``nlat``...), one ``<grid_field index=".." name=".." units="..">`` per
column (``LON``, ``LAT``, ``PGA``, ``PGV``, ``MMI``, ``PSA03``..., ``SVEL``), and
``<grid_data>``: one line per grid point, rows from north to south, west to east
within a row. The file is read line by line, keeping only the chosen field (MMI by
default) as a float32 grid of the header's size.

The field is then sampled onto the population grid lazily (bilinear, through the
hazard lattice of ``geodisp.hazard_models.lattice``) and classified by ``bins``
(MMI by default: IV to X+, each Roman level centred on its integer, as USGS PAGER
rounds intensities). Cells outside the ShakeMap grid are 0 (class 0).
A ``SCENARIO`` ShakeMap is not an observation: its footprint is marked as a
forecast, so figures are anticipatory.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import xarray as xr

from geodisp.hazard_models.lattice import lattice_field, lattice_step, node_field, node_grid
from geodisp.model.errors import InputError
from geodisp.model.footprint import Footprint, class_table
from geodisp.model.rejects import Read, empty_rejects
from geodisp.sources.layouts import MMI_BINS, MMI_LABELS
from geodisp.sources.messages import Message
from geodisp.zonal.grid import Grid, as_2d

_UNITS = {"MMI": "MMI", "PGA": "%g", "PGV": "cm/s"}


@dataclass(frozen=True)
class ShakeGrid:
    """One field of a ShakeMap grid: values (nlat, nlon) north to south, and where they are."""

    values: np.ndarray
    lon_min: float
    lat_max: float
    dlon: float
    dlat: float
    field: str
    units: str
    event_id: str
    scenario: bool

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, north, west, east) of the grid points."""
        nlat, nlon = self.values.shape
        return self.lat_max - (nlat - 1) * self.dlat, self.lat_max, self.lon_min, self.lon_min + (nlon - 1) * self.dlon

    def sample(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Bilinear values at points; NaN outside the grid."""
        nlat, nlon = self.values.shape
        fi = (self.lat_max - lat) / self.dlat
        fj = (lon - self.lon_min) / self.dlon
        inside = (fi >= 0) & (fi <= nlat - 1) & (fj >= 0) & (fj <= nlon - 1)
        i0 = np.clip(np.floor(fi).astype(np.intp), 0, max(nlat - 2, 0))
        j0 = np.clip(np.floor(fj).astype(np.intp), 0, max(nlon - 2, 0))
        ti, tj = np.clip(fi - i0, 0, 1), np.clip(fj - j0, 0, 1)
        i1, j1 = np.minimum(i0 + 1, nlat - 1), np.minimum(j0 + 1, nlon - 1)
        v = self.values
        out = ((1 - ti) * ((1 - tj) * v[i0, j0] + tj * v[i0, j1]) + ti * ((1 - tj) * v[i1, j0] + tj * v[i1, j1]))
        return np.where(inside, out, np.nan).astype("float32")


def is_grid_xml(path: Path) -> bool:
    """True when the file starts like a ShakeMap grid.xml."""
    if path.suffix.lower() != ".xml":
        return False
    with open(path, "rb") as fh:
        return b"<shakemap_grid" in fh.read(4096)


def _strip(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_grid_xml(path: str | Path, field: str = "MMI") -> ShakeGrid:
    """One field of a ShakeMap grid.xml, parsed line by line (the header with ElementTree)."""
    path = Path(path)
    head_lines: list[str] = []
    values: Optional[np.ndarray] = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if "<grid_data>" in line:
                break
            head_lines.append(line)
        else:
            raise InputError.coded("input_shakemap_no_grid", file=path)
        try:
            root = ET.fromstring("".join(head_lines).split("?>", 1)[-1] + "</shakemap_grid>")
        except ET.ParseError as exc:
            raise InputError.coded("input_shakemap_bad_xml", file=path, error=str(exc)) from None
        spec = next((e for e in root if _strip(e.tag) == "grid_specification"), None)
        fields = {e.get("name", "").upper(): (int(e.get("index", "0")), e.get("units", "")) for e in root if _strip(e.tag) == "grid_field"}
        if spec is None or not fields:
            raise InputError.coded("input_shakemap_header", file=path)
        name = field.upper()
        if name not in fields:
            raise InputError.coded("input_shakemap_field", file=path, field=field, fields=", ".join(fields))
        try:
            nlon, nlat = int(spec.get("nlon")), int(spec.get("nlat"))
            lon_min, lat_max = float(spec.get("lon_min")), float(spec.get("lat_max"))
            dlon, dlat = float(spec.get("nominal_lon_spacing")), float(spec.get("nominal_lat_spacing"))
        except (TypeError, ValueError):
            raise InputError.coded("input_shakemap_spec", file=path) from None
        column, units = fields[name][0] - 1, fields[name][1]
        n_fields = len(fields)
        values = np.full(nlat * nlon, np.nan, dtype="float32")
        count = 0
        for n, line in enumerate(fh, start=len(head_lines) + 2):
            if "</grid_data>" in line:
                break
            parts = line.split()
            if not parts:
                continue
            if len(parts) != n_fields:
                raise InputError.coded("input_shakemap_line_fields", file=path, line=n, n=len(parts), fields=n_fields)
            if count >= values.size:
                raise InputError.coded("input_shakemap_too_many_points", file=path, size=values.size)
            try:
                values[count] = float(parts[column])
            except ValueError:
                raise InputError.coded("input_shakemap_not_number", file=path, line=n, field=name) from None
            count += 1
    if count != values.size:
        raise InputError.coded("input_shakemap_points", file=path, n=count, size=values.size)
    return ShakeGrid(values.reshape(nlat, nlon), lon_min, lat_max, dlon, dlat, name,
                     _UNITS.get(name, units), root.get("event_id", ""), root.get("shakemap_event_type", "").upper() == "SCENARIO")


def _sample(lat: np.ndarray, lon: np.ndarray, shake: ShakeGrid) -> np.ndarray:
    return shake.sample(lat, lon)


def shake_footprint(shake: ShakeGrid, like: xr.DataArray, bins: Optional[Sequence[float]], labels: Optional[Sequence[str]],
                    units: Optional[str], source: str) -> Footprint:
    """The ShakeMap field on ``like``'s grid (lazy, bilinear), classified by ``bins``."""
    if bins is None and shake.field != "MMI":
        raise InputError.coded("input_shakemap_needs_bins", file=source, field=shake.field, units=shake.units)
    edges = [float(b) for b in (bins if bins is not None else MMI_BINS)]
    if labels is None and bins is None:
        labels = MMI_LABELS
    like = as_2d(like, "population")
    grid = Grid.of(like, "population")
    spacing_km = 0.5 * min(shake.dlat, shake.dlon) * 111.0
    south, north, west, east = shake.bounds()
    token = hashlib.sha256(grid.token().encode() + shake.values.tobytes() + repr((shake.lon_min, shake.lat_max, shake.dlon, shake.dlat)).encode()).hexdigest()[:16]

    def select(s: float, n: float, w: float, e: float) -> Optional[ShakeGrid]:
        return shake if (n >= south and s <= north and e >= west and w <= east) else None

    step = lattice_step(grid, spacing_km)
    field = lattice_field(grid, step, _sample, select, name=f"shakemap-{token}", edges=edges)
    window = field.window
    intensity = node_grid(grid, step).data_array(node_field(grid, step, _sample, select, name=f"shakemap-{token}"),
                                                 shake.field.lower())
    raster = grid.data_array(field.classes, "hazard_class", like).rio.write_nodata(0)
    table = class_table(edges, labels)
    return Footprint(classes=table, raster=raster, intensity=intensity, window=window, field=shake.field,
                     units=units or shake.units, source=source, forecast=shake.scenario)


def read_shakemap(path: str | Path, field: Optional[str] = None, bins: Optional[Sequence[float]] = None,
                  labels: Optional[Sequence[str]] = None, units: Optional[str] = None, forecast: bool = False,
                  format: Optional[str] = None, like: xr.DataArray | None = None) -> Read:
    """Read a ShakeMap grid.xml onto the population grid ``like``; ``Read(Footprint, rejects, notes)``.

    ``forecast`` marks the footprint anticipatory even for an ``ACTUAL`` ShakeMap.
    """
    path = Path(path)
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    if like is None:
        raise ValueError("read_shakemap needs the population grid (like=)")
    if format not in (None, "shakemap"):
        raise InputError.coded("input_shakemap_format", file=path, format=format)
    shake = read_grid_xml(path, field or "MMI")
    footprint = shake_footprint(shake, like, bins, labels, units, str(path))
    if forecast and not footprint.forecast:
        footprint = replace(footprint, forecast=True)
    notes = (Message("shakemap_scenario", event=shake.event_id),) if shake.scenario else ()
    return Read(footprint, empty_rejects(), notes)
