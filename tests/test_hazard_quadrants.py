"""Wind radii per quadrant: the profile is fitted per quadrant and interpolated by bearing."""
from __future__ import annotations

import math

import numpy as np
import pytest

from geodisp.hazard_models import windfield as wf
from test_hazard_windfield import _track

KT = wf.KT
#: NE, SE, SW, NW radii (km) of the 34, 50 and 64 kt winds: the storm is biggest to the north-east
RADII = {34: (260.0, 200.0, 150.0, 190.0), 50: (150.0, 110.0, 80.0, 100.0), 64: (90.0, 60.0, 45.0, 55.0)}


def _columns(radii=RADII):
    return {f"r{kt}_{q}_km": r for kt, rs in radii.items() for q, r in zip(wf.QUADRANTS, rs)}


def _at(lat0, lon0, r_km, bearings):
    """Points ``r_km`` from the centre along ``bearings`` (deg from north), in the model's own distance."""
    az = np.deg2rad(np.asarray(bearings, dtype="float64"))
    k = math.pi / 180 * wf.EARTH_KM
    lat = lat0 + r_km * np.cos(az) / k
    lon = lon0 + r_km * np.sin(az) / (k * 0.5 * (np.cos(np.deg2rad(lat)) + math.cos(math.radians(lat0))))
    return lat, lon


@pytest.mark.parametrize("model", wf.MODELS)
@pytest.mark.parametrize("lat0", [16.0, -16.0])
def test_stationary_storm_has_each_quadrants_threshold_at_its_radius(model, lat0):
    track = _track([lat0] * 3, [-100.0] * 3, [110.0] * 3, rmax_km=30.0, **_columns())
    steps = wf.storm_steps(track, 25 * KT, model=model)
    for kt, radii in RADII.items():
        for bearing, r in zip(wf.QUADRANT_BEARINGS, radii):
            lat, lon = _at(lat0, -100.0, r, [bearing])
            assert wf.max_wind(lat[None, :], lon[None, :], steps)[0, 0] / KT == pytest.approx(kt, abs=0.02), (kt, bearing)
    # the maximum is still the reported one, at Rm, in every direction
    lat, lon = _at(lat0, -100.0, 30.0, np.arange(0, 360, 10))
    np.testing.assert_allclose(wf.max_wind(lat[None, :], lon[None, :], steps)[0] / KT, 110.0, atol=0.02)


def test_between_quadrant_centres_the_decay_is_interpolated_by_bearing():
    track = _track([16.0] * 2, [-100.0] * 2, [110.0] * 2, rmax_km=30.0, **_columns())
    steps = wf.storm_steps(track, 25 * KT)
    vm = steps.vsym[0]
    r = 120.0
    lat, lon = _at(16.0, -100.0, r, [45.0, 135.0, 90.0, 67.5])
    ne, se, east, ene = wf.max_wind(lat[None, :], lon[None, :], steps)[0]
    f = lambda v: math.log(vm / v)  # noqa: E731
    # due east is halfway between the NE and SE centres, 67.5 deg a quarter of the way from NE
    assert f(east) == pytest.approx(0.5 * f(ne) + 0.5 * f(se), rel=1e-4)
    assert f(ene) == pytest.approx(0.75 * f(ne) + 0.25 * f(se), rel=1e-4)
    # and the field is continuous where the interpolation changes pair (each quadrant centre) and at north
    for bearing in (*wf.QUADRANT_BEARINGS, 0.0):
        lat, lon = _at(16.0, -100.0, r, [bearing - 1e-4, bearing + 1e-4])
        before, after = wf.max_wind(lat[None, :], lon[None, :], steps)[0]
        assert before == pytest.approx(after, abs=1e-3), bearing


def test_moving_storm_total_wind_is_each_threshold_at_the_quadrant_centres():
    # moving north-west at about 6 m/s: the fit removes the translation part at each quadrant centre
    track = _track([16.0, 17.0], [-100.0, -101.0], [110.0] * 2, rmax_km=30.0, **_columns())
    steps = wf.storm_steps(track, 25 * KT)
    assert math.hypot(steps.ue[0], steps.vn[0]) > 5.0
    lat0, lon0 = float(steps.lat[0]), float(steps.lon[0])
    for kt, radii in RADII.items():
        for bearing, r in zip(wf.QUADRANT_BEARINGS, radii):
            lat, lon = _at(lat0, lon0, r, [bearing])
            assert wf.wind_at(lat, lon, steps, 0, radius=1e4)[0] / KT == pytest.approx(kt, abs=0.02), (kt, bearing)


def test_required_speed_by_hand():
    # storm moving east at 5 m/s (northern hemisphere), point due north (bearing 0) at r = Rm (J = 1):
    # the cyclonic wind there blows west (t = (-1, 0)), so T.t = -5 and the total is vs - 5 in speed:
    # vs = 5 + sqrt(30**2 - 0) = 35 m/s for a 30 m/s total
    assert wf.required_speeds(np.array([30.0]), np.array([40.0]), 40.0, 5.0, 0.0, 0.0, True)[0] == pytest.approx(35.0)
    # due south the cyclonic wind blows east, with the motion: vs = 25
    assert wf.required_speeds(np.array([30.0]), np.array([40.0]), 40.0, 5.0, 0.0, 180.0, True)[0] == pytest.approx(25.0)
    # due east the motion is across the cyclonic wind: vs = sqrt(30**2 - 5**2)
    assert wf.required_speeds(np.array([30.0]), np.array([40.0]), 40.0, 5.0, 0.0, 90.0, True)[0] == pytest.approx(math.sqrt(875.0))


def test_a_storm_without_radii_keeps_the_symmetric_holland_profile():
    # moving north: total = |vs t + J T| with vs = Vsym sqrt(g(r)), the x = 0.5 Holland profile at every bearing
    steps = wf.storm_steps(_track([15.0, 16.0], [-100.0, -100.0], [90.0, 90.0], rmax_km=30.0), 25 * KT)
    assert np.isnan(steps.knots_r).all()
    rm, b, vsym, vn = steps.rmax[0], steps.b[0], steps.vsym[0], steps.vn[0]
    for r in (15.0, 60.0, 150.0):
        g = (rm / r) ** b * math.exp(1 - (rm / r) ** b)
        vs, j = vsym * math.sqrt(g), 2 * r * rm / (r * r + rm * rm)
        for bearing in (0.0, 45.0, 90.0, 200.0, 300.0):
            a = math.radians(bearing)
            u, v = -vs * math.cos(a), vs * math.sin(a) + j * vn  # cyclonic along (-cos a, sin a), plus J T
            lat, lon = _at(float(steps.lat[0]), float(steps.lon[0]), r, [bearing])
            assert wf.wind_at(lat, lon, steps, 0, radius=1e4)[0] == pytest.approx(math.hypot(u, v), rel=2e-5)


def test_equal_radii_in_every_quadrant_give_the_symmetric_fit():
    equal = {kt: (sum(rs) / 4,) * 4 for kt, rs in RADII.items()}
    steps = wf.storm_steps(_track([16.0] * 2, [-100.0] * 2, [110.0] * 2, rmax_km=30.0, **_columns(equal)), 25 * KT)
    assert wf.symmetric_knots(steps.knots_r[0], steps.knots_x[0])
    kr, kx = wf.fit_x(steps.vsym[0], 30.0, steps.b[0], np.array([equal[34][0], equal[50][0], equal[64][0]]),
                      np.array([34.0, 50.0, 64.0]) * KT)
    np.testing.assert_allclose(steps.knots_r[0, 0, :3], kr)
    np.testing.assert_allclose(steps.knots_x[0, 0, :3], kx)


def test_unreported_quadrants_take_the_mean_of_the_reported_ones():
    cols = _columns()
    cols["r34_sw_km"] = np.nan
    cols["r64_ne_km"] = 0.0  # no 64-kt wind to the north-east
    radii = wf.quadrant_radii(_track([16.0], [-100.0], [110.0], **cols))
    assert radii[0, 2, 0] == pytest.approx((260.0 + 200.0 + 190.0) / 3)
    assert np.isnan(radii[0, 0, 2]) and radii[0, 1, 2] == 60.0
    assert np.isnan(wf.quadrant_radii(_track([16.0], [-100.0], [110.0]))).all()
