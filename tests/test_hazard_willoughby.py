"""Willoughby, Darling & Rahn (2006) profile against the published formulas, worked out in the test."""
from __future__ import annotations

import math
import typing

import numpy as np
import pytest

from geodisp.config.event import HazardConfig
from geodisp.hazard_models import willoughby as w
from geodisp.hazard_models import windfield as wf
from test_hazard_windfield import _ring, _track

KT = wf.KT


def test_parameters_are_eq_10a_to_10c():
    # Vmax 50 m/s at 20 N: X1 = 317.1 - 101.3 + 38.3 = 254.1 km; n = 0.4067 + 0.72 - 0.076 = 1.0507;
    # A = 0.0696 + 0.245 - 0.128 = 0.1866
    n, a, x1 = w.params(50.0, 20.0)
    assert (float(x1), float(n), float(a)) == pytest.approx((254.1, 1.0507, 0.1866), abs=1e-9)
    assert w.params(50.0, -20.0) == pytest.approx(w.params(50.0, 20.0))  # |latitude|
    # a weak storm far north: A = 0.0696 + 0.0882 - 0.256 < 0, set to 0
    assert float(w.params(18.0, 40.0)[1]) == 0.0


def _by_hand(r, vmax, rmax, n, a, x1, r1, width):
    """Eq. 1, 2 and 4 written out with the math module."""
    vi = vmax * (r / rmax) ** n
    vo = vmax * ((1 - a) * math.exp(-(r - rmax) / x1) + a * math.exp(-(r - rmax) / 25.0))
    if r <= r1:
        return vi
    if r >= r1 + width:
        return vo
    xi = (r - r1) / width
    wt = 126 * xi**5 - 420 * xi**6 + 540 * xi**7 - 315 * xi**8 + 70 * xi**9
    return vi * (1 - wt) + vo * wt


def _r1_by_hand(rmax, n, a, x1, width):
    """R1 from the peak condition dV/dr = 0 at Rmax, by Newton's method on w(xi) = target (eq. 3)."""
    target = (n / rmax) / (n / rmax + (1 - a) / x1 + a / 25.0)
    xi = 0.5
    for _ in range(100):
        f = 126 * xi**5 - 420 * xi**6 + 540 * xi**7 - 315 * xi**8 + 70 * xi**9 - target
        xi -= f / (630 * xi**4 * (1 - xi) ** 4)
    return rmax - xi * width


@pytest.mark.parametrize("vmax, lat, rmax", [(50.0, 20.0, 30.0), (65.0, 15.0, 18.0), (33.0, 25.0, 60.0)])
def test_profile_against_the_published_formulas(vmax, lat, rmax):
    n = 0.4067 + 0.0144 * vmax - 0.0038 * lat
    a = max(0.0, 0.0696 + 0.0049 * vmax - 0.0064 * lat)
    x1 = 317.1 - 2.026 * vmax + 1.915 * lat
    width = 25.0 if rmax > 20 else 15.0
    r1 = _r1_by_hand(rmax, n, a, x1, width)
    assert float(w.inner_edge(rmax, n, a, x1)) == pytest.approx(r1, abs=1e-9)
    radii = [2.0, r1 - 1.0, r1 + 0.3 * width, rmax, r1 + 0.8 * width, r1 + width + 1.0, 100.0, 250.0, 600.0]
    expected = [_by_hand(r, vmax, rmax, n, a, x1, r1, width) for r in radii]
    np.testing.assert_allclose(w.profile(np.array(radii), vmax, lat, rmax), expected, rtol=1e-12)
    # the peak is Vmax, at Rmax
    assert float(w.profile(np.array([rmax]), vmax, lat, rmax)[0]) == pytest.approx(vmax, rel=1e-12)
    dv = (_by_hand(rmax + 1e-4, vmax, rmax, n, a, x1, r1, width) - _by_hand(rmax - 1e-4, vmax, rmax, n, a, x1, r1, width)) / 2e-4
    assert abs(dv) < 1e-6 * vmax


def test_worked_numbers_outside_the_blend():
    # 50 m/s at 20 N, Rmax 30 km: at 100 km (past R2 <= 55 km)
    # Vo = 50 [0.8134 exp(-70/254.1) + 0.1866 exp(-70/25)] = 50 [0.8134 * 0.759203 + 0.1866 * 0.060810] = 31.444 m/s
    assert float(w.profile(np.array([100.0]), 50.0, 20.0, 30.0)[0]) == pytest.approx(31.444, abs=2e-3)


@pytest.mark.parametrize("vmax, lat, rmax", [(50.0, 20.0, 30.0), (65.0, 15.0, 18.0), (25.0, 30.0, 80.0)])
def test_continuous_and_smooth_at_the_blending_zone_edges(vmax, lat, rmax):
    n, a, x1 = (float(v) for v in w.params(vmax, lat))
    r1 = float(w.inner_edge(rmax, n, a, x1))
    r2 = r1 + float(w.width(rmax))
    h = 1e-6
    for edge in (r1, r2):
        left, at, right = w.profile(np.array([edge - h, edge, edge + h]), vmax, lat, rmax)
        assert left == pytest.approx(at, abs=1e-4) and right == pytest.approx(at, abs=1e-4)
        # the slope on either side equals the slope of the piece it joins
        d = 1e-3
        inside = (w.profile(np.array([edge - d]), vmax, lat, rmax) - w.profile(np.array([edge - 2 * d]), vmax, lat, rmax)) / d
        outside = (w.profile(np.array([edge + 2 * d]), vmax, lat, rmax) - w.profile(np.array([edge + d]), vmax, lat, rmax)) / d
        assert float(inside[0]) == pytest.approx(float(outside[0]), abs=5e-3)
    # at R1 the profile is the inner power law, at R2 the dual exponential
    assert float(w.profile(np.array([r1]), vmax, lat, rmax)[0]) == pytest.approx(vmax * (r1 / rmax) ** n, rel=1e-12)
    vo = vmax * ((1 - a) * math.exp(-(r2 - rmax) / x1) + a * math.exp(-(r2 - rmax) / 25.0))
    assert float(w.profile(np.array([r2]), vmax, lat, rmax)[0]) == pytest.approx(vo, rel=1e-12)
    # rises to Rmax, falls beyond
    r = np.linspace(0.1, 800.0, 80001)
    v = w.profile(r, vmax, lat, rmax)
    assert np.all(np.diff(v[r <= rmax]) >= -1e-12) and np.all(np.diff(v[r >= rmax]) <= 1e-12)


def test_stationary_storm_wind_is_the_willoughby_profile():
    # no pressure, no radii, stationary: Vsym = Vmax and the symmetric wind is the profile itself
    vmax, lat, rmax = 100.0 * KT, 16.0, 30.0
    steps = wf.storm_steps(_track([lat] * 3, [-100.0] * 3, [100.0] * 3, rmax_km=rmax), floor_ms=25 * KT, model="willoughby2006")
    assert steps.model == "willoughby2006"
    for r in (8.0, 30.0, 45.0, 90.0, 200.0):
        ring_lat, ring_lon = _ring(lat, -100.0, r)
        got = wf.max_wind(ring_lat[None, :], ring_lon[None, :], steps)[0]
        np.testing.assert_allclose(got, w.profile(np.array([r]), vmax, lat, rmax)[0], rtol=2e-5)
    holland = wf.storm_steps(_track([lat] * 3, [-100.0] * 3, [100.0] * 3, rmax_km=rmax), floor_ms=25 * KT)
    ring_lat, ring_lon = _ring(lat, -100.0, 200.0)
    assert abs(wf.max_wind(ring_lat[None, :], ring_lon[None, :], holland)[0, 0]
               - wf.max_wind(ring_lat[None, :], ring_lon[None, :], steps)[0, 0]) > 1.0  # a different profile


def test_reported_radii_are_honoured_by_the_willoughby_profile_too():
    radii = {f"r{kt}_{q}_km": r for kt, r in ((34, 220.0), (50, 130.0), (64, 75.0)) for q in wf.QUADRANTS}
    steps = wf.storm_steps(_track([16.0] * 3, [-100.0] * 3, [100.0] * 3, rmax_km=30.0, **radii), 25 * KT, model="willoughby2006")
    for kt, r in ((34, 220.0), (50, 130.0), (64, 75.0), (100, 30.0)):
        lat, lon = _ring(16.0, -100.0, r)
        np.testing.assert_allclose(wf.max_wind(lat[None, :], lon[None, :], steps)[0] / KT, kt, atol=0.02)


def test_event_file_models_are_the_wind_models():
    (literal,) = [t for t in typing.get_args(HazardConfig.model_fields["model"].annotation) if t is not type(None)]
    assert typing.get_args(literal) == wf.MODELS
    with pytest.raises(ValueError, match="unknown wind model 'rankine'"):
        wf.storm_steps(_track([16.0] * 2, [-100.0] * 2, [100.0] * 2), 25 * KT, model="rankine")
