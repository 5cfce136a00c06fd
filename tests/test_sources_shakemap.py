"""A ShakeMap grid.xml, written here in USGS's layout, sampled onto a population grid."""
from __future__ import annotations

from pathlib import Path

import dask.array as da
import numpy as np
import pytest
import rioxarray  # noqa: F401
import xarray as xr
from rasterio.transform import from_origin

from geodisp.model.errors import InputError
from geodisp.model.footprint import classify
from geodisp.sources.shakemap import MMI_BINS, is_grid_xml, read_grid_xml, read_shakemap

LON_MIN, LAT_MAX, STEP, NLON, NLAT = -97.0, 17.0, 0.1, 11, 9


def plane(lat, lon):
    """MMI varying linearly, so bilinear sampling must return it exactly: 2.8 (SW) to 7.2 (NE)."""
    return 5.0 + 2.0 * (lon + 96.5) + 3.0 * (lat - 16.6)


def write_grid_xml(path: Path, event_type: str = "ACTUAL", drop_last: bool = False) -> Path:
    head = f"""<?xml version="1.0" encoding="US-ASCII" standalone="yes"?>
<shakemap_grid xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://earthquake.usgs.gov/eqcenter/shakemap" xsi:schemaLocation="http://earthquake.usgs.gov http://earthquake.usgs.gov/eqcenter/shakemap/xml/schemas/shakemap.xsd" event_id="us6000test" shakemap_id="us6000test" shakemap_version="3" code_version="4.1.3" process_timestamp="2020-06-23T17:00:00Z" shakemap_originator="us" map_status="RELEASED" shakemap_event_type="{event_type}">
<event event_id="us6000test" magnitude="7.4" depth="20.0" lat="16.6" lon="-96.5" event_timestamp="2020-06-23T15:29:04.000000Z" event_network="us" event_description="Oaxaca test" />
<grid_specification lon_min="{LON_MIN}" lat_min="{LAT_MAX - (NLAT - 1) * STEP:.1f}" lon_max="{LON_MIN + (NLON - 1) * STEP:.1f}" lat_max="{LAT_MAX}" nominal_lon_spacing="{STEP}" nominal_lat_spacing="{STEP}" nlon="{NLON}" nlat="{NLAT}" />
<event_specific_uncertainty name="pga" value="0.0" numsta="" />
<grid_field index="1" name="LON" units="dd" />
<grid_field index="2" name="LAT" units="dd" />
<grid_field index="3" name="PGA" units="pctg" />
<grid_field index="4" name="PGV" units="cms" />
<grid_field index="5" name="MMI" units="intensity" />
<grid_field index="6" name="PSA03" units="pctg" />
<grid_field index="7" name="SVEL" units="ms" />
<grid_data>
"""
    rows = []
    for i in range(NLAT):
        for j in range(NLON):
            lat, lon = LAT_MAX - i * STEP, LON_MIN + j * STEP
            mmi = plane(lat, lon)
            rows.append(f"{lon:.4f} {lat:.4f} {mmi * 3:.4f} {mmi * 2:.4f} {mmi:.4f} {mmi * 4:.4f} 760")
    if drop_last:
        rows = rows[:-1]
    path.write_text(head + "\n".join(rows) + "\n</grid_data>\n</shakemap_grid>\n", encoding="ascii")
    return path


def population(chunks=40) -> xr.DataArray:
    cell, west, north = 0.02, -97.2, 17.3
    rows, cols = 70, 70
    values = np.full((rows, cols), 10.0)
    lon = west + (np.arange(cols) + 0.5) * cell
    lat = north - (np.arange(rows) + 0.5) * cell
    arr = xr.DataArray(da.from_array(values, chunks=chunks), dims=("y", "x"), coords={"y": lat, "x": lon})
    return arr.rio.write_crs("EPSG:4326").rio.write_transform(from_origin(west, north, cell, cell))


def test_grid_xml_header_and_field(tmp_path):
    path = write_grid_xml(tmp_path / "grid.xml")
    assert is_grid_xml(path)
    g = read_grid_xml(path)
    assert g.shape == (NLAT, NLON) and g.field == "MMI" and g.units == "MMI" and g.event_id == "us6000test"
    assert g.values[0, 0] == pytest.approx(plane(17.0, -97.0), abs=1e-4)  # first line: north-west corner
    assert g.values[-1, -1] == pytest.approx(plane(16.2, -96.0), abs=1e-4)
    assert not g.scenario
    assert read_grid_xml(path, "pgv").values[0, 0] == pytest.approx(2 * plane(17.0, -97.0), abs=1e-3)


def test_shakemap_on_the_population_grid_is_the_sampled_field_classified(tmp_path):
    path = write_grid_xml(tmp_path / "grid.xml")
    pop = population()
    fp, rejects, _ = read_shakemap(path, like=pop)
    assert rejects.empty and not fp.forecast and fp.units == "MMI"
    assert fp.classes["label"].tolist() == ["IV", "V", "VI", "VII", "VIII", "IX", "X+"]
    mmi = fp.intensity.data.compute()  # at the lattice nodes, on a grid of their own
    classes = fp.raster.data.compute()
    nodes_y, nodes_x = fp.intensity["y"].values[:, None], fp.intensity["x"].values[None, :]
    node_inside = (nodes_y < 16.9) & (nodes_y > 16.3) & (nodes_x > -96.9) & (nodes_x < -96.1)
    np.testing.assert_allclose(mmi[node_inside], plane(nodes_y + 0 * nodes_x, nodes_x + 0 * nodes_y)[node_inside], atol=2e-4)
    lat = pop["y"].values[:, None] + 0 * pop["x"].values[None, :]
    lon = pop["x"].values[None, :] + 0 * pop["y"].values[:, None]
    # well inside the ShakeMap grid (one ShakeMap step from its edge) the cells' classes are the plane's
    inside = (lat < 16.9) & (lat > 16.3) & (lon > -96.9) & (lon < -96.1)
    np.testing.assert_array_equal(classes[inside], classify(plane(lat, lon), MMI_BINS)[inside])
    # outside the grid nothing is shaken
    outside = (lat > 17.05) | (lat < 16.15) | (lon < -97.05) | (lon > -95.95)
    assert not classes[outside].any()
    assert set(np.unique(classes[inside])) == {0, 1, 2, 3, 4}  # below IV in the south-west, up to VII


def test_scenario_shakemaps_are_forecasts_and_broken_grids_are_bad_input(tmp_path):
    fp, _, notes = read_shakemap(write_grid_xml(tmp_path / "scenario.xml", "SCENARIO"), like=population())
    assert fp.forecast and notes[0].code == "shakemap_scenario" and "ESCENARIO" in notes[0]
    with pytest.raises(InputError, match=r"98 grid points, the header declares nlon x nlat = 99"):
        read_grid_xml(write_grid_xml(tmp_path / "short.xml", drop_last=True))
    with pytest.raises(InputError, match="field PGA needs 'bins'"):
        read_shakemap(write_grid_xml(tmp_path / "g.xml"), field="PGA", like=population())
    with pytest.raises(InputError, match="field 'SA10' not in the ShakeMap grid"):
        read_grid_xml(tmp_path / "g.xml", "SA10")
