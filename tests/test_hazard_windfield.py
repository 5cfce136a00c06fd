"""The parametric wind model against the published formulas, worked by hand where possible."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geodisp.hazard_models import windfield as wf

KT = wf.KT


def test_holland2008_b_by_hand():
    # dp 50 hPa, lat 20, vt 5 m/s, no tendency: x = 0.6 (1 - 50/215) = 0.460465;
    # 5 ** x = exp(0.460465 * 1.609438) = 2.098222; B = -0.11 + 0.5 - 0.28 + 0.314733 + 1 = 1.424733
    assert wf.holland2008_b(50.0, 20.0, 5.0) == pytest.approx(1.424733, abs=1e-6)
    # deepening 1 hPa/h lowers B by 0.03 (eq. 7's +0.03 dp/dt term, with dp/dt = -1)
    assert wf.holland2008_b(50.0, 20.0, 5.0, dpdt=-1.0) == pytest.approx(1.424733 - 0.03, abs=1e-6)
    # bounded to [1, 2.5]
    assert wf.holland2008_b(1.0, 60.0, 0.0) == 1.0


def test_vmax_and_deficit_round_trip():
    # sqrt(100 * 1.5 * 50 / (1.15 * e)) = sqrt(7500 / 3.126047) = 48.9817 m/s
    assert wf.holland2008_vmax(1.5, 50.0) == pytest.approx(48.9817, abs=1e-3)
    dp = wf.deficit_from_vmax(np.array([30.0, 60.0]), 18.0, 4.0)
    back = wf.holland2008_vmax(wf.holland2008_b(dp, 18.0, 4.0), dp)
    np.testing.assert_allclose(back, [30.0, 60.0], rtol=1e-9)


def test_willoughby2006_rmax_by_hand():
    # 46.4 exp(-0.0155 * 50 + 0.0169 * 20) = 46.4 exp(-0.437) = 29.974 km
    assert wf.willoughby2006_rmax(50.0, 20.0) == pytest.approx(29.974, abs=1e-3)
    assert wf.willoughby2006_rmax(50.0, -20.0) == pytest.approx(29.974, abs=1e-3)


def test_profile_is_holland_2008_surface_form_when_x_is_half():
    """V = [100 B dp (Rm/r)^B / (rho exp((Rm/r)^B))]^0.5 (Holland 2008 with x = 0.5)."""
    b, dp, rm = 1.6, 60.0, 25.0
    vm = float(wf.holland2008_vmax(b, dp))
    r = np.array([5.0, 12.5, 25.0, 40.0, 75.0, 150.0, 400.0])
    published = np.sqrt(100 * b * dp * (rm / r) ** b / (wf.RHO_AIR * np.exp((rm / r) ** b)))
    np.testing.assert_allclose(wf.holland_profile(r, vm, rm, b), published, rtol=1e-12)
    assert wf.holland_profile(np.array([rm]), vm, rm, b)[0] == pytest.approx(vm)
    # at 2 Rm with B = 1.5: g = 0.5**1.5 * exp(1 - 0.5**1.5) = 0.674853, V = sqrt(g) Vm
    assert wf.holland_profile(np.array([50.0]), 40.0, 25.0, 1.5)[0] == pytest.approx(40.0 * math.sqrt(0.674853), rel=1e-5)


def test_fit_x_passes_through_reported_radii():
    vm, rm, b = 55.0, 30.0, 1.4
    radii = np.array([250.0, 140.0, 70.0])
    speeds = np.array([34.0, 50.0, 64.0]) * KT
    kr, kx = wf.fit_x(vm, rm, b, radii, speeds)
    np.testing.assert_allclose(kr, [70.0, 140.0, 250.0])
    np.testing.assert_allclose(wf.holland_profile(radii, vm, rm, b, kr, kx), speeds, rtol=1e-12)
    r = np.linspace(rm, 600.0, 2000)
    v = wf.holland_profile(r, vm, rm, b, kr, kx)
    assert np.all(np.diff(v) <= 1e-12), "the fitted profile must keep falling outside Rm"


def test_fit_x_skips_radii_it_cannot_honour():
    vm, rm, b = 40.0, 30.0, 1.4  # 40 m/s = 77.8 kt: no 64-kt radius inside Rm, none above Vm
    radii = np.array([np.nan, 20.0, 80.0])  # 34 kt unknown; 50-kt radius inside Rm; 64-kt at 80 km
    kr, kx = wf.fit_x(vm, rm, b, radii, np.array([34.0, 50.0, 64.0]) * KT)
    np.testing.assert_allclose(kr, [80.0])
    # out of order: the stronger wind reaching farther is dropped
    kr, _ = wf.fit_x(55.0, rm, b, np.array([100.0, 150.0, 60.0]), np.array([34.0, 50.0, 64.0]) * KT)
    np.testing.assert_allclose(kr, [60.0, 100.0])


def _track(lats, lons, vmax, hours=None, **extra) -> pd.DataFrame:
    n = len(lats)
    hours = hours if hours is not None else [6.0 * i for i in range(n)]
    frame = pd.DataFrame({
        "time": pd.Timestamp("2023-10-24") + pd.to_timedelta(hours, unit="h"),
        "lat": lats, "lon": lons, "vmax_kt": vmax,
        "pressure_hpa": np.nan, "env_pressure_hpa": np.nan, "rmax_km": np.nan,
    })
    for c in wf.RADII_COLUMNS:
        frame[c] = np.nan
    for key, value in extra.items():
        frame[key] = value
    return frame


def _ring(lat0, lon0, r_km, n=72):
    az = np.linspace(0, 2 * np.pi, n, endpoint=False)
    k = math.pi / 180 * wf.EARTH_KM
    lat = lat0 + r_km * np.cos(az) / k
    # invert the model's distance: dx = dlon * k * (cos(lat) + cos(lat0)) / 2
    lon = lon0 + r_km * np.sin(az) / (k * 0.5 * (np.cos(np.deg2rad(lat)) + math.cos(math.radians(lat0))))
    return lat, lon


def test_stationary_storm_has_the_reported_winds_at_the_reported_radii():
    radii = {"r34": 220.0, "r50": 130.0, "r64": 75.0}
    extra = {f"{k}_{q}_km": v for k, v in radii.items() for q in wf.QUADRANTS}
    track = _track([16.0, 16.0, 16.0], [-100.0, -100.0, -100.0], [100.0] * 3, rmax_km=30.0, **extra)
    steps = wf.storm_steps(track, floor_ms=25 * KT)
    assert np.all(steps.ue == 0) and np.all(steps.vn == 0)
    for kt, r in ((34, 220.0), (50, 130.0), (64, 75.0), (100, 30.0)):
        lat, lon = _ring(16.0, -100.0, r)
        wind = wf.max_wind(lat[None, :], lon[None, :], steps)[0] / KT
        np.testing.assert_allclose(wind, kt, atol=0.02)  # float32 arithmetic


def test_translation_makes_the_right_side_stronger_north_and_left_side_south():
    # a storm moving north at 1 degree per 6 h (about 5.1 m/s)
    north = wf.storm_steps(_track([15.0, 16.0], [-100.0, -100.0], [90.0, 90.0], rmax_km=30.0), 25 * KT)
    i = 0
    vt = math.hypot(north.ue[i], north.vn[i])
    assert vt == pytest.approx(111.195 / 6 / 3.6, rel=1e-3)
    lat, lon = _ring(float(north.lat[i]), float(north.lon[i]), 30.0, n=4)  # N, E, S, W
    w = wf.wind_at(lat, lon, north, i)
    # east (right of motion): Vsym + vt = Vmax; west: Vsym - vt; north/south: sqrt(Vsym^2 + vt^2)
    assert w[1] == pytest.approx(90 * KT, rel=1e-4)
    assert w[3] == pytest.approx(90 * KT - 2 * vt, rel=1e-4)
    assert w[0] == pytest.approx(math.hypot(90 * KT - vt, vt), rel=1e-4)
    assert w[0] == pytest.approx(w[2], rel=1e-6)
    south = wf.storm_steps(_track([-15.0, -14.0], [-100.0, -100.0], [90.0, 90.0], rmax_km=30.0), 25 * KT)
    lat, lon = _ring(float(south.lat[0]), float(south.lon[0]), 30.0, n=4)
    w = wf.wind_at(lat, lon, south, 0)
    assert w[3] == pytest.approx(90 * KT, rel=1e-4)  # west is left of northward motion: strongest in the south
    assert w[1] < w[3]


def test_stationary_storm_is_symmetric():
    steps = wf.storm_steps(_track([20.0, 20.0], [-95.0, -95.0], [80.0, 80.0]), 25 * KT)
    for r in (10.0, 40.0, 150.0):
        lat, lon = _ring(20.0, -95.0, r, n=36)
        w = wf.max_wind(lat[None, :], lon[None, :], steps)[0]
        assert w.max() - w.min() < 1e-3 * max(w.max(), 1.0)


def _outer_by_hand(s, rm, b, knots_r, knots_x):
    """ln(Vm/V) outside Rm through one quadrant's knots, written out."""
    knots = [(-math.log((rm / kr) ** b * math.exp(1 - (rm / kr) ** b)), kx)
             for kr, kx in zip(knots_r, knots_x) if math.isfinite(kr)]
    if not knots:
        return 0.5 * s
    if s > knots[-1][0]:  # past the outermost radius: slope x_last, at least Holland's 0.5
        sk, xk = knots[-1]
        return xk * sk + max(xk, 0.5) * (s - sk)
    s0, f0 = 0.0, 0.0  # ln(Vm/V) linear in s between (0, 0) and the knots (s_k, x_k s_k)
    for sk, xk in knots:
        if s <= sk:
            return f0 + (s - s0) * (xk * sk - f0) / (sk - s0)
        s0, f0 = sk, xk * sk


def _brute_force(lat, lon, steps):
    """The model written out point by point with the math module (no arrays, no windows)."""
    k = math.pi / 180 * wf.EARTH_KM
    out = np.zeros(lat.shape)
    for idx in np.ndindex(lat.shape):
        best = 0.0
        for i in range(len(steps)):
            lat0, lon0 = steps.lat[i], steps.lon[i]
            dx = (lon[idx] - lon0) * k * (math.cos(math.radians(lat[idx])) + math.cos(math.radians(lat0))) / 2
            dy = (lat[idx] - lat0) * k
            r = math.hypot(dx, dy)
            if r > steps.radius[i] or r == 0:
                continue
            rm, b = steps.rmax[i], steps.b[i]
            s = -math.log((rm / r) ** b * math.exp(1 - (rm / r) ** b))
            if r <= rm:
                f = 0.5 * s
            else:  # between the two nearest quadrant centres (45, 135, 225, 315 deg), linear in bearing
                u = ((math.degrees(math.atan2(dx, dy)) - 45.0) / 90.0) % 4.0
                q, t = int(u), u - int(u)
                f = sum(w * _outer_by_hand(s, rm, b, steps.knots_r[i][qq], steps.knots_x[i][qq])
                        for w, qq in ((1 - t, q), (t, (q + 1) % 4)))
            vs = steps.vsym[i] * math.exp(-f)
            j = 2 * r * rm / (r * r + rm * rm)
            sign = 1 if lat0 >= 0 else -1
            u = j * steps.ue[i] - sign * vs * dy / r
            v = j * steps.vn[i] + sign * vs * dx / r
            best = max(best, math.hypot(u, v))
        out[idx] = best
    return out


@pytest.mark.parametrize("radii", [
    {f"r{kt}_{q}_km": r for kt, r in ((34, 180.0), (50, 100.0), (64, 60.0)) for q in wf.QUADRANTS},
    {f"r{kt}_{q}_km": r * f for kt, r in ((34, 180.0), (50, 100.0), (64, 60.0)) for q, f in zip(wf.QUADRANTS, (1.3, 1.1, 0.7, 0.9))},
    {},
], ids=["equal-quadrants", "quadrants", "no-radii"])
def test_max_wind_matches_a_point_by_point_loop(radii):
    track = _track([15.0, 15.8, 16.9], [-101.0, -100.2, -99.6], [110.0, 120.0, 95.0], pressure_hpa=[950.0, 940.0, 965.0], **radii)
    steps = wf.storm_steps(track, 25 * KT)
    lat, lon = np.meshgrid(np.linspace(17.5, 14.0, 15), np.linspace(-102.0, -98.5, 17), indexing="ij")
    fast = wf.max_wind(lat, lon, steps)
    slow = _brute_force(lat, lon, steps)
    np.testing.assert_allclose(fast, slow, rtol=2e-5, atol=1e-4)
    assert slow.max() / KT == pytest.approx(120.0, abs=3.0)


def test_past_the_outermost_radius_the_wind_falls_at_least_as_holland_unfitted():
    """A 34-kt radius barely below Vm fits x near 0; past that radius the wind must not stay near
    34 kt for thousands of km (it did: the national benchmark's swath then covered the whole
    grid). Worked by hand: V(r) = V_k exp(-0.5 (s(r) - s(R_k))) there, s = -ln g."""
    vm, rm, b = 20.0, 40.0, 1.3
    r_k, v_k = np.array([150.0]), np.array([34 * KT])
    kr, kx = wf.fit_x(vm, rm, b, r_k, v_k)
    assert kx[0] < 0.2  # far below Holland's 0.5: the fitted wind would hardly fall past R_k
    r = np.array([150.0, 300.0, 1000.0, 2000.0])
    got = wf.holland_profile(r, vm, rm, b, kr, kx)
    s = np.array([-math.log((rm / x) ** b * math.exp(1 - (rm / x) ** b)) for x in r])
    np.testing.assert_allclose(got, v_k[0] * np.exp(-0.5 * (s - s[0])), rtol=1e-9)
    assert got[0] == pytest.approx(34 * KT, rel=1e-9)  # still exact at the reported radius
    assert got[2] < 15 * KT
