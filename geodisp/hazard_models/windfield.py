"""Parametric tropical-cyclone surface wind: pure functions on NumPy arrays.

The model (references in docs/methods.md, "Wind field from a track"):

- **Radial profile**, ``model`` (``MODELS``): Holland 2008 (the default; below) or
  Willoughby, Darling & Rahn 2006 (``geodisp.hazard_models.willoughby``). Both are
  written as ``V = Vm exp(-f(r))`` with a *base decay* ``s(r)`` (0 at ``Rm``, growing
  inwards and outwards): ``f = s / 2`` without reported radii, and outside ``Rm``
  the fit below bends ``f`` through the reported radii. Holland 2008
  (normalised as in Holland, Belanger & Fritz 2010)::

      V(r) = Vm * g(r) ** x(r),   g(r) = (Rm / r) ** B * exp(1 - (Rm / r) ** B)

  ``g`` is 1 at the radius of maximum wind ``Rm`` and falls to 0 at the centre and
  far away. ``x`` is 0.5 inside ``Rm`` (Holland 1980's cyclostrophic profile) and,
  outside, is fitted so that ``V`` passes exactly through the wind radii the track
  reports (34/50/64 kt): ``x_k = ln(V_k / Vm) / ln g(R_k)`` at each reported radius
  (Holland et al. 2010's fit to a peripheral wind, at every reported threshold).
  Between two reported radii ``ln V`` is linear in ``ln g``, i.e. each stretch is a
  Holland power law through both reported winds, so the profile always falls
  outwards; inside the innermost radius ``x`` is that radius' ``x_k``, beyond the
  outermost it stays the outermost one. Without reported radii ``x`` is 0.5 everywhere.
  Holland's base decay is ``s = -ln g``; Willoughby's is ``s = -2 ln(V_W / Vm)``, so
  ``x = 0.5`` is its published profile and the same fit passes it through the radii.
- **Quadrants**: where the track gives radii per quadrant (NE, SE, SW, NW), the fit
  is made per quadrant, at the quadrant's central bearing (45, 135, 225, 315 deg),
  so that the *total* wind there (symmetric plus translation, below) equals each
  threshold at that quadrant's radius; between two quadrant centres ``f`` is
  interpolated linearly in bearing. Equal radii in every quadrant of a stationary
  storm give the symmetric fit; a storm without radii is unchanged (``x = 0.5``).
- **Shape parameter** ``B``: Holland 2008 eq. 7 from the pressure deficit, latitude,
  pressure tendency and translation speed, bounded to [1, 2.5]. Where the track has
  no central pressure the deficit is the one Holland 2008's own wind-pressure
  relation (``Vm**2 = 100 B dp / (rho e)``) gives for the reported maximum wind.
- **Radius of maximum wind**: from the track when reported, else Willoughby,
  Darling & Rahn (2006) eq. 7a, ``Rm = 46.4 exp(-0.0155 Vm + 0.0169 |lat|)`` km.
- **Asymmetry**: the surface wind vector is the symmetric cyclonic wind plus the
  storm's translation vector scaled by ``J(r) = 2 r Rm / (r**2 + Rm**2)`` (1 at
  ``Rm``, fading away from it; Jelesnianski 1966 form). The symmetric maximum is the
  reported maximum minus the translation speed, so the strongest wind anywhere in
  the storm equals the reported one. The translation part is capped at half the
  reported maximum (fast, weak systems).

Units: speeds in m/s, distances in km, pressures in hPa, latitudes in degrees.
Winds are 1-minute sustained at 10 m, as best tracks report them; no gusts,
no surface roughness or topography.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable

import numpy as np

from geodisp.hazard_models import willoughby

KT = 0.514444  #: m/s per knot
NM = 1.852  #: km per nautical mile
EARTH_KM = 6371.0088  #: mean Earth radius (IUGG)
RHO_AIR = 1.15  #: surface air density, kg/m3 (Holland 2008)
P_ENV = 1010.0  #: environmental pressure when the track gives none, hPa
B_RANGE = (1.0, 2.5)  #: Holland 2008's bounds on B
#: The radial profiles an event file can name (``hazard.model``); the first is the default.
MODELS = ("holland2008", "willoughby2006")
#: Thresholds of the reported wind radii, kt.
RADII_KT = (34, 50, 64)
QUADRANTS = ("ne", "se", "sw", "nw")
#: Central bearing of each quadrant, degrees clockwise from north.
QUADRANT_BEARINGS = (45.0, 135.0, 225.0, 315.0)
#: Saffir-Simpson hurricane wind scale (NHC 2012), 1-minute sustained wind, kt,
#: preceded by the tropical-storm threshold: class edges, lowest first.
SAFFIR_SIMPSON_KT = [34.0, 64.0, 83.0, 96.0, 113.0, 137.0, math.inf]
SAFFIR_SIMPSON_LABELS = [
    "34-63 kt (TT)", "64-82 kt (cat. 1)", "83-95 kt (cat. 2)",
    "96-112 kt (cat. 3)", "113-136 kt (cat. 4)", ">=137 kt (cat. 5)",
]
#: Largest translation component added to the symmetric wind, as a share of Vm.
MAX_TRANSLATION_SHARE = 0.5


def holland2008_b(dp: np.ndarray, lat: np.ndarray, vt: np.ndarray, dpdt: np.ndarray | float = 0.0) -> np.ndarray:
    """Holland 2008 eq. 7: ``B`` from pressure deficit (hPa), |latitude| (deg), translation (m/s), dp/dt (hPa/h)."""
    dp = np.asarray(dp, dtype="float64")
    x = 0.6 * (1.0 - dp / 215.0)
    b = (-4.4e-5 * dp**2 + 0.01 * dp + 0.03 * np.asarray(dpdt) - 0.014 * np.abs(lat)
         + 0.15 * np.power(np.maximum(vt, 0.0), x) + 1.0)
    return np.clip(b, *B_RANGE)


def holland2008_vmax(b: np.ndarray, dp: np.ndarray, rho: float = RHO_AIR) -> np.ndarray:
    """Maximum surface wind (m/s) of Holland's profile for shape ``b`` and deficit ``dp`` (hPa)."""
    return np.sqrt(100.0 * np.asarray(b) * np.asarray(dp) / (rho * math.e))


def deficit_from_vmax(vmax: np.ndarray, lat: np.ndarray, vt: np.ndarray, rho: float = RHO_AIR) -> np.ndarray:
    """The pressure deficit (hPa) at which ``holland2008_vmax(holland2008_b(dp), dp) == vmax``.

    Bisection on [0.1, 250] hPa: ``B(dp) * dp`` increases with ``dp`` there.
    """
    vmax = np.asarray(vmax, dtype="float64")
    lo = np.full(vmax.shape, 0.1)
    hi = np.full(vmax.shape, 250.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        above = holland2008_vmax(holland2008_b(mid, lat, vt), mid, rho) > vmax
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return 0.5 * (lo + hi)


def willoughby2006_rmax(vmax: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Radius of maximum wind (km), Willoughby, Darling & Rahn 2006 eq. 7a; ``vmax`` in m/s."""
    return 46.4 * np.exp(-0.0155 * np.asarray(vmax) + 0.0169 * np.abs(lat))


def holland_s(r: np.ndarray, rmax: float, b: float) -> np.ndarray:
    """Holland's base decay ``-ln g = (Rm/r)**B - ln (Rm/r)**B - 1`` (0 at ``Rm``)."""
    r = np.maximum(np.asarray(r, dtype="float64"), 1e-9)
    lq = b * np.log(rmax / r)
    return np.exp(lq) - lq - 1.0


def willoughby_s(r: np.ndarray, rmax: float, n: float, a: float, x1: float, r1: float) -> np.ndarray:
    """Willoughby's base decay ``-2 ln(V_W / Vm)`` (0 at ``Rm``)."""
    return -2.0 * np.log(np.maximum(willoughby.shape(r, rmax, n, a, x1, r1), 1e-300))


def fit_x(vmax: float, rmax: float, b: float, radii: np.ndarray, speeds: np.ndarray,
          base: Callable[[np.ndarray], np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Knots ``(r_k, x_k)`` of the outer exponent so that ``V(r_k) == speeds[k]`` exactly.

    ``radii`` (km) and ``speeds`` (m/s) are parallel; radii that are missing (NaN),
    zero, inside ``rmax``, or whose speed is not below ``vmax`` are skipped, as are
    radii out of order (a stronger wind reaching farther than a weaker one). Knots
    are returned by increasing radius. ``base``: the profile's base decay ``s(r)``
    (Holland's with ``b`` when not given).
    """
    radii = np.asarray(radii, dtype="float64")
    speeds = np.asarray(speeds, dtype="float64")
    ok = np.isfinite(radii) & (radii > rmax * 1.001) & (speeds < vmax) & (speeds > 0)
    r, v = radii[ok], speeds[ok]
    order = np.argsort(r)
    r, v = r[order], v[order]
    keep = np.ones(r.size, dtype=bool)
    for i in range(1, r.size):  # speeds must fall as radii grow
        if v[i] >= v[:i][keep[:i]].min(initial=np.inf):
            keep[i] = False
    r, v = r[keep], v[keep]
    s = base(r) if base is not None else holland_s(r, rmax, b)
    return r, np.log(vmax / v) / s


#: Least outer exponent beyond the outermost reported wind radius (Holland 1980's cyclostrophic 0.5).
TAIL_X = 0.5


def decay(s: np.ndarray, knots_s: np.ndarray, knots_x: np.ndarray) -> np.ndarray:
    """``ln(Vm / V)`` outside ``Rm`` as a function of ``s = -ln g`` (0 at ``Rm``, growing outwards).

    Piecewise linear through ``(0, 0)`` and the knots ``(s_k, x_k s_k)``; beyond the
    last knot it goes on with slope ``max(x_last, TAIL_X)``, so past the outermost
    reported radius the wind falls at least as fast as Holland's unfitted outer
    profile (``x = 0.5``): a quadrant whose fitted ``x`` is near 0 (a threshold barely
    below ``Vm`` once the translation is removed) would otherwise hold the wind almost
    constant for thousands of kilometres. ``0.5 s`` without knots. ``knots_s`` must increase.
    """
    s = np.asarray(s)
    if len(knots_s) == 0:
        return 0.5 * s
    knots_s, knots_x = np.asarray(knots_s), np.asarray(knots_x)
    f_k = knots_x * knots_s
    inner = np.interp(s, np.concatenate(([0.0], knots_s)), np.concatenate(([0.0], f_k)))
    tail = f_k[-1] + max(float(knots_x[-1]), TAIL_X) * (s - knots_s[-1])
    return np.where(s > knots_s[-1], tail, inner)


def fitted_profile(r: np.ndarray, vmax: float, rmax: float, base: Callable[[np.ndarray], np.ndarray],
                   knots_r: np.ndarray = (), knots_x: np.ndarray = ()) -> np.ndarray:
    """Symmetric surface wind (m/s) at distance ``r`` (km): ``Vm exp(-f)``, ``f`` from the base decay and the knots."""
    r = np.asarray(r, dtype="float64")
    s = base(r)
    knots_r = np.asarray(knots_r, dtype="float64")
    knots_s = base(knots_r) if knots_r.size else knots_r
    f = np.where(r <= rmax, 0.5 * s, decay(s, knots_s, np.asarray(knots_x, dtype="float64")))
    return np.where(r > 0, vmax * np.exp(-f), 0.0)


def holland_profile(r: np.ndarray, vmax: float, rmax: float, b: float,
                    knots_r: np.ndarray = (), knots_x: np.ndarray = ()) -> np.ndarray:
    """Symmetric surface wind (m/s) at distance ``r`` (km) from the centre, Holland 2008."""
    return fitted_profile(r, vmax, rmax, lambda x: holland_s(x, rmax, b), knots_r, knots_x)


def translation_weight(r: np.ndarray, rmax: float) -> np.ndarray:
    """``J(r) = 2 r Rm / (r**2 + Rm**2)``: the share of the translation vector added at ``r``."""
    r = np.asarray(r, dtype="float64")
    return 2.0 * r * rmax / (r**2 + rmax**2)


@dataclass(frozen=True)
class StormSteps:
    """The storm at each time step: parallel arrays, one entry per step.

    ``ue``/``vn``: translation velocity (m/s, east and north) already capped;
    ``vsym``: maximum of the symmetric wind (m/s); ``knots_r``/``knots_x``:
    (steps, 4 quadrants, 3) outer-exponent knots, NaN-padded; ``reach``: distance (km) beyond
    which the total wind is below the evaluation floor; ``radius``: how far (km) the
    step is evaluated (its reach, or only its core on most steps, see ``OUTER_EVERY``);
    ``n``/``a``/``x1``/``r1``: Willoughby 2006's parameters (NaN for Holland 2008);
    ``model``: the radial profile (``MODELS``), the same for every step.
    """

    lat: np.ndarray
    lon: np.ndarray
    ue: np.ndarray
    vn: np.ndarray
    vsym: np.ndarray
    rmax: np.ndarray
    b: np.ndarray
    knots_r: np.ndarray
    knots_x: np.ndarray
    reach: np.ndarray
    radius: np.ndarray
    n: np.ndarray
    a: np.ndarray
    x1: np.ndarray
    r1: np.ndarray
    model: str = MODELS[0]

    def __len__(self) -> int:
        return int(self.lat.size)

    def take(self, index: np.ndarray) -> "StormSteps":
        """The steps at ``index`` (an integer or boolean array)."""
        return StormSteps(**{f.name: getattr(self, f.name) if f.name == "model" else getattr(self, f.name)[index]
                             for f in fields(self)})

    def base(self, i: int) -> Callable[[np.ndarray], np.ndarray]:
        """Step ``i``'s base decay ``s(r)`` (float64), for its model."""
        return base_decay(self.model, float(self.rmax[i]), float(self.b[i]), float(self.n[i]), float(self.a[i]),
                          float(self.x1[i]), float(self.r1[i]))


def base_decay(model: str, rmax: float, b: float, n: float, a: float, x1: float, r1: float) -> Callable[[np.ndarray], np.ndarray]:
    """The base decay ``s(r)`` of ``model`` with these parameters."""
    if model == "willoughby2006":
        return lambda r: willoughby_s(r, rmax, n, a, x1, r1)
    return lambda r: holland_s(r, rmax, b)


def _offsets_km(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """East and north offsets (km) of points from a centre (equirectangular at the mean latitude)."""
    dlon = (lon - lon0 + 180.0) % 360.0 - 180.0
    coslat = np.cos(np.deg2rad(0.5 * (lat + lat0)))
    k = math.pi / 180.0 * EARTH_KM
    return dlon * coslat * k, (lat - lat0) * k


#: Far from the centre the swath maximum changes slowly with the storm's position: beyond
#: ``INNER_RMAX`` radii of maximum wind (and at least ``INNER_KM``) only every
#: ``OUTER_EVERY``-th time step is evaluated (steps 5 km apart become 20 km apart there,
#: which moves a point's closest approach by under 0.5 km at 100 km from the centre).
INNER_RMAX, INNER_KM, OUTER_EVERY = 4.0, 100.0, 4


def wind_at(lat: np.ndarray, lon: np.ndarray, steps: StormSteps, i: int, radius: float | None = None,
            coslat: np.ndarray | None = None) -> np.ndarray:
    """Total surface wind speed (m/s, float32) at points for time step ``i``; 0 beyond ``radius`` km.

    ``radius`` defaults to the step's evaluation radius. Distances are equirectangular, the
    cosine of the mean of the point's and the centre's latitude approximated by the
    mean of their cosines (``coslat``: ``cos(lat)`` of the points, precomputed by
    callers that evaluate many steps). Arithmetic is in float32 (0.1 m, 1e-6 m/s).
    """
    lat0, lon0 = float(steps.lat[i]), float(steps.lon[i])
    if coslat is None:
        coslat = np.cos(np.deg2rad(lat))
    k = math.pi / 180.0 * EARTH_KM
    dlon = lon - lon0
    if np.abs(dlon).max(initial=0.0) > 180.0:
        dlon = (dlon + 180.0) % 360.0 - 180.0
    f32 = np.float32
    dx = (dlon * ((coslat + math.cos(math.radians(lat0))) * (0.5 * k))).astype("float32")
    dy = ((lat - lat0) * k).astype("float32")
    r = np.sqrt(dx * dx + dy * dy)
    np.maximum(r, f32(1e-6), out=r)  # the centre itself: calm, and no division by zero
    rmax, b = f32(steps.rmax[i]), f32(steps.b[i])
    if steps.model == "willoughby2006":
        s = willoughby_s(r, float(rmax), float(steps.n[i]), float(steps.a[i]), float(steps.x1[i]), float(steps.r1[i])).astype("float32")
    else:
        lq = b * np.log(rmax / r)  # ln (Rm/r)^B
        s = np.exp(lq) - lq - f32(1.0)  # -ln g
    f = np.where(r <= rmax, f32(0.5) * s, outer_decay(s, dx, dy, steps, i))
    vs = f32(steps.vsym[i]) * np.exp(-f)
    scale = (f32(1.0 if lat0 >= 0 else -1.0) * vs) / r  # counter-clockwise in the north
    j = (f32(2.0) * rmax) * r / (r * r + rmax * rmax)
    u = j * f32(steps.ue[i]) - scale * dy
    v = j * f32(steps.vn[i]) + scale * dx
    speed = np.sqrt(u * u + v * v)
    speed[r > f32(steps.radius[i] if radius is None else radius)] = 0.0
    return speed


def _fitted_decay(s: np.ndarray, base: Callable[[np.ndarray], np.ndarray], kr: np.ndarray, kx: np.ndarray) -> np.ndarray:
    """``f`` (float32) at base decay ``s`` through one quadrant's knots (``0.5 s`` without any)."""
    ok = np.isfinite(kr)
    return decay(s, base(kr[ok]), kx[ok]).astype("float32") if ok.any() else np.float32(0.5) * s


def symmetric_knots(knots_r: np.ndarray, knots_x: np.ndarray) -> bool:
    """True when every quadrant has the same knots (one decay serves the whole circle)."""
    return bool(np.array_equal(knots_r, knots_r[:1].repeat(len(knots_r), 0), equal_nan=True)
                and np.array_equal(knots_x, knots_x[:1].repeat(len(knots_x), 0), equal_nan=True))


def outer_decay(s: np.ndarray, dx: np.ndarray, dy: np.ndarray, steps: StormSteps, i: int) -> np.ndarray:
    """``f`` outside ``Rm`` at points ``(dx, dy)`` km east and north of step ``i``'s centre: the
    quadrants' fits, interpolated linearly in bearing between the quadrant centres."""
    kr, kx, base = steps.knots_r[i], steps.knots_x[i], steps.base(i)
    if symmetric_knots(kr, kx):
        return _fitted_decay(s, base, kr[0], kx[0])
    bearing = np.arctan2(dx, dy) * np.float32(180.0 / math.pi)  # clockwise from north
    u = ((bearing - np.float32(QUADRANT_BEARINGS[0])) / np.float32(90.0)) % np.float32(4.0)
    q = np.minimum(np.floor(u).astype("int8"), 3)  # sector k lies between the centres of quadrants k and k + 1
    out = np.empty(s.shape, dtype="float32")
    for k in range(4):  # each point's two quadrants only
        m = q == k
        if not m.any():
            continue
        sk, tk = s[m], u[m] - np.float32(k)
        nxt = (k + 1) % 4
        out[m] = ((np.float32(1.0) - tk) * _fitted_decay(sk, base, kr[k], kx[k])
                  + tk * _fitted_decay(sk, base, kr[nxt], kx[nxt]))
    return out


def _span(lo: np.ndarray, hi: np.ndarray, a: float, b: float) -> slice:
    """Indices whose [lo, hi] interval meets [a, b]; ``lo`` and ``hi`` are monotone along the axis."""
    hit = np.flatnonzero((hi >= a) & (lo <= b))
    return slice(int(hit[0]), int(hit[-1]) + 1) if hit.size else slice(0, 0)


def evaluation_radius(reach: np.ndarray, rmax: np.ndarray) -> np.ndarray:
    """How far (km) each step is evaluated: its reach on every ``OUTER_EVERY``-th step and the
    last, only its core (``INNER_RMAX`` radii of maximum wind, at least ``INNER_KM``) on the others."""
    core = np.minimum(reach, np.maximum(INNER_RMAX * rmax, INNER_KM))
    full = (np.arange(reach.size) % OUTER_EVERY == 0)
    full[-1:] = True
    return np.where(full, reach, core)


def steps_near(steps: StormSteps, south: float, north: float, west: float, east: float) -> StormSteps | None:
    """The steps whose evaluation radius reaches the box (degrees), or None if none does.

    Conservative: the distance to the box is measured with the smallest cosine of
    latitude involved, 1 km short, so no step that reaches a point inside is left out.
    """
    lat_c = np.clip(steps.lat, south, north)
    lon_c = np.clip(steps.lon, west, east)
    cos_min = np.cos(np.deg2rad(np.maximum(np.abs(steps.lat), max(abs(south), abs(north)))))
    k = math.pi / 180.0 * EARTH_KM
    d = np.hypot((steps.lon - lon_c) * cos_min * k, (steps.lat - lat_c) * k)
    hit = d <= steps.radius + 1.0
    return steps.take(hit) if hit.any() else None


def max_wind(lat: np.ndarray, lon: np.ndarray, steps: StormSteps) -> np.ndarray:
    """Maximum over the steps of the total surface wind (m/s, float32) at each point of a 2-D lattice.

    ``lat``/``lon`` are (rows, cols) arrays of a regular lattice (any projection);
    each step is evaluated only on the rectangle of rows and columns that can lie
    within its evaluation radius (``evaluation_radius``), so the cost follows the swath, not the
    lattice. A point's value depends only on its coordinates and the steps.
    """
    lat = np.atleast_2d(np.asarray(lat, dtype="float64"))
    lon = np.atleast_2d(np.asarray(lon, dtype="float64"))
    out = np.zeros(lat.shape, dtype="float32")
    if lat.size == 0:
        return out
    row_lo, row_hi = lat.min(axis=1), lat.max(axis=1)
    col_lo, col_hi = lon.min(axis=0), lon.max(axis=0)
    coslat = np.cos(np.deg2rad(lat))
    cos_min = max(float(coslat.min()), 1e-3)
    per_deg = math.pi / 180.0 * EARTH_KM
    for i in range(len(steps)):
        radius = float(steps.radius[i])
        if radius <= 0:
            continue
        d_lat = radius / per_deg
        d_lon = d_lat / min(cos_min, math.cos(math.radians(min(abs(float(steps.lat[i])) + d_lat, 89.0))))
        rows = _span(row_lo, row_hi, steps.lat[i] - d_lat, steps.lat[i] + d_lat)
        cols = _span(col_lo, col_hi, steps.lon[i] - d_lon, steps.lon[i] + d_lon)
        if rows.start == rows.stop or cols.start == cols.stop:
            continue
        window = out[rows, cols]
        np.maximum(window, wind_at(lat[rows, cols], lon[rows, cols], steps, i, radius, coslat[rows, cols]), out=window)
    return out


def reach_km(steps_vsym: np.ndarray, rmax: np.ndarray, b: np.ndarray, knots_r: np.ndarray,
             knots_x: np.ndarray, vtrans: np.ndarray, floor: float, limit: float = 2000.0,
             bases: list[Callable[[np.ndarray], np.ndarray]] | None = None) -> np.ndarray:
    """Per step, the distance (km) beyond which ``Vsym + J * vt`` stays below ``floor`` (m/s).

    Evaluated on a fine logarithmic set of radii from ``Rm`` outwards (the
    profile falls monotonically there), rounded up to the next sample; with knots
    per quadrant ((steps, 4, 3)), the farthest quadrant's. ``bases``: each
    step's base decay (Holland's with ``b`` when not given).
    """
    radii = np.geomspace(1.0, limit, 600)
    out = np.empty(steps_vsym.size)
    if knots_r.ndim == 2:  # one set of knots per step: a single quadrant
        knots_r, knots_x = knots_r[:, None, :], knots_x[:, None, :]
    for i in range(steps_vsym.size):
        r = radii[radii >= rmax[i]]
        base = bases[i] if bases is not None else (lambda x, i=i: holland_s(x, rmax[i], b[i]))
        v = np.max([fitted_profile(r, steps_vsym[i], rmax[i], base, kr[np.isfinite(kr)], kx[np.isfinite(kr)])
                    for kr, kx in zip(knots_r[i], knots_x[i])], axis=0) + translation_weight(r, rmax[i]) * vtrans[i]
        above = np.flatnonzero(v >= floor)
        if above.size == 0:
            out[i] = rmax[i] if steps_vsym[i] + vtrans[i] >= floor else 0.0
        elif above[-1] + 1 < r.size:
            out[i] = r[above[-1] + 1]
        else:
            out[i] = limit
    return out


#: Columns of a normalised track table (see ``geodisp.sources.track``): time (UTC),
#: position, 1-minute maximum wind (kt), central and environmental pressure (hPa,
#: NaN when not given), radius of maximum wind (km, NaN when not given) and the wind
#: radii per quadrant (km; NaN not reported, 0 no such wind in that quadrant).
RADII_COLUMNS = [f"r{kt}_{q}_km" for kt in RADII_KT for q in QUADRANTS]
TRACK_COLUMNS = ["time", "lat", "lon", "vmax_kt", "pressure_hpa", "env_pressure_hpa", "rmax_km", *RADII_COLUMNS]


def quadrant_radii(track) -> np.ndarray:
    """(fixes, 4 quadrants, 3 thresholds) reported wind radii (km), NE, SE, SW, NW and 34, 50, 64 kt.

    A quadrant not reported takes the mean of the reported ones of its fix and
    threshold; NaN where none is, and where the radius is 0 (no such wind there).
    """
    out = np.full((len(track), len(QUADRANTS), len(RADII_KT)), np.nan)
    for k, kt in enumerate(RADII_KT):
        quads = np.column_stack([track[f"r{kt}_{q}_km"].to_numpy(dtype="float64") for q in QUADRANTS])
        reported = np.isfinite(quads)
        with np.errstate(invalid="ignore"):
            mean = np.where(reported, quads, 0.0).sum(axis=1) / reported.sum(axis=1)
        filled = np.where(reported, quads, mean[:, None])
        out[:, :, k] = np.where(filled > 0, filled, np.nan)
    return out


def required_speeds(thresholds: np.ndarray, radii: np.ndarray, rmax: float, ue: float, vn: float,
                    bearing: float, north: bool) -> np.ndarray:
    """The symmetric wind (m/s) at ``radii`` (km) along ``bearing`` (deg) that, with the
    translation ``J(r) (ue, vn)`` added, makes the total wind equal ``thresholds`` (m/s).

    The symmetric wind blows along ``t = (-cos a, sin a)`` (east, north) at bearing ``a``
    in the northern hemisphere (the opposite in the southern); ``|vs t + J T| = V``
    gives ``vs = -J (T.t) + sqrt(V**2 - J**2 (|T|**2 - (T.t)**2))``. NaN where no
    positive ``vs`` does it.
    """
    a = math.radians(bearing)
    sign = 1.0 if north else -1.0
    j = translation_weight(radii, rmax)
    along = sign * (-ue * math.cos(a) + vn * math.sin(a))
    across2 = max(ue * ue + vn * vn - along * along, 0.0)
    with np.errstate(invalid="ignore"):
        vs = -j * along + np.sqrt(np.asarray(thresholds) ** 2 - j * j * across2)
    return np.where(vs > 0, vs, np.nan)


def _velocity(lat: np.ndarray, lon: np.ndarray, hours: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """East and north velocity (m/s) and length (km) of each segment between fixes."""
    dx, dy = _offsets_km(lat[1:], lon[1:], lat[:-1], lon[:-1])
    dt = np.diff(hours) * 3600.0
    return dx * 1000.0 / dt, dy * 1000.0 / dt, np.hypot(dx, dy)


def storm_steps(track, floor_ms: float, step_km: float = 5.0, max_hours: float = 1.0, model: str = MODELS[0]) -> StormSteps:
    """Interpolate a normalised track (``TRACK_COLUMNS``, sorted by time) into model time steps.

    Positions, maximum wind, pressure deficit, radius of maximum wind and the wind
    radii of each quadrant are interpolated linearly in time between fixes, with
    sub-steps no more than ``step_km`` of storm motion and ``max_hours`` apart; the
    profile is fitted per step and quadrant (``required_speeds``, ``fit_x``). Per fix, a missing
    pressure becomes the deficit Holland 2008 implies for the reported wind, and a
    missing radius of maximum wind comes from Willoughby et al. (2006). Each step's
    ``reach`` is where its wind falls below ``floor_ms``. ``model`` names the radial
    profile (``MODELS``); Willoughby's parameters come from each step's symmetric
    maximum wind and latitude.
    """
    if model not in MODELS:
        raise ValueError(f"unknown wind model {model!r} (models: {', '.join(MODELS)})")
    hours = (track["time"] - track["time"].iloc[0]).dt.total_seconds().to_numpy() / 3600.0
    lat = track["lat"].to_numpy(dtype="float64")
    lon = np.rad2deg(np.unwrap(np.deg2rad(track["lon"].to_numpy(dtype="float64"))))
    vmax = track["vmax_kt"].to_numpy(dtype="float64") * KT
    if len(hours) == 1:
        ue = vn = seg_km = np.zeros(0)
    else:
        ue, vn, seg_km = _velocity(lat, lon, hours)
    # per-fix translation speed (mean of the adjoining segments) for the estimated deficit
    speed_seg = np.hypot(ue, vn)
    vt_fix = np.zeros(len(hours))
    if speed_seg.size:
        vt_fix = np.concatenate(([speed_seg[0]], 0.5 * (speed_seg[:-1] + speed_seg[1:]), [speed_seg[-1]]))
    penv = track["env_pressure_hpa"].to_numpy(dtype="float64")
    penv = np.where(np.isfinite(penv), penv, P_ENV)
    pc = track["pressure_hpa"].to_numpy(dtype="float64")
    dp = np.where(np.isfinite(pc) & (penv - pc > 0.1), penv - pc, deficit_from_vmax(vmax, lat, vt_fix))
    rmax = track["rmax_km"].to_numpy(dtype="float64")
    rmax = np.where(np.isfinite(rmax) & (rmax > 0), rmax, willoughby2006_rmax(vmax, lat))
    radii = quadrant_radii(track)

    # sub-steps: fraction f in [0, 1) of each segment, then the last fix
    seg_index, frac = [], []
    for s in range(len(hours) - 1):
        n = max(1, int(math.ceil(seg_km[s] / step_km)), int(math.ceil((hours[s + 1] - hours[s]) / max_hours)))
        seg_index.append(np.full(n, s))
        frac.append(np.arange(n) / n)
    last = len(hours) - 1
    seg_index.append(np.array([max(last - 1, 0)]))
    frac.append(np.array([1.0 if last > 0 else 0.0]))
    seg = np.concatenate(seg_index)
    f = np.concatenate(frac)
    nxt = np.minimum(seg + 1, last)

    def lerp(a: np.ndarray) -> np.ndarray:
        return a[seg] * (1 - f) + a[nxt] * f

    s_lat, s_lon = lerp(lat), (lerp(lon) + 180.0) % 360.0 - 180.0
    s_vmax, s_dp, s_rmax = lerp(vmax), lerp(dp), lerp(rmax)
    s_radii = radii[seg] * (1 - f)[:, None, None] + radii[nxt] * f[:, None, None]  # NaN if either end is NaN
    if ue.size:
        s_ue, s_vn = ue[seg], vn[seg]
        dpdt = np.diff(dp) / np.diff(hours)  # deepening (dp growing) means falling central pressure
        s_dpdt = -dpdt[seg]
    else:
        s_ue = s_vn = s_dpdt = np.zeros(seg.size)
    vt = np.hypot(s_ue, s_vn)
    b = holland2008_b(s_dp, s_lat, vt, s_dpdt)
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(vt > 0, np.minimum(1.0, MAX_TRANSLATION_SHARE * s_vmax / vt), 0.0)
    s_ue, s_vn = s_ue * cap, s_vn * cap
    vtrans = np.hypot(s_ue, s_vn)
    vsym = s_vmax - vtrans
    nan = np.full(seg.size, np.nan)
    n = a = x1 = r1 = nan
    if model == "willoughby2006":
        n, a, x1 = willoughby.params(vsym, s_lat)
        r1 = willoughby.inner_edge(s_rmax, n, a, x1)
    bases = [base_decay(model, s_rmax[i], b[i], n[i], a[i], x1[i], r1[i]) for i in range(seg.size)]
    speeds = np.array(RADII_KT, dtype="float64") * KT
    knots_r = np.full((seg.size, len(QUADRANTS), len(RADII_KT)), np.nan)
    knots_x = np.full((seg.size, len(QUADRANTS), len(RADII_KT)), np.nan)
    for i in np.flatnonzero(np.isfinite(s_radii).any(axis=(1, 2))):
        for q, bearing in enumerate(QUADRANT_BEARINGS):
            target = required_speeds(speeds, s_radii[i, q], s_rmax[i], s_ue[i], s_vn[i], bearing, s_lat[i] >= 0)
            r_k, x_k = fit_x(vsym[i], s_rmax[i], b[i], s_radii[i, q], target, bases[i])
            knots_r[i, q, : r_k.size], knots_x[i, q, : x_k.size] = r_k, x_k
    reach = reach_km(vsym, s_rmax, b, knots_r, knots_x, vtrans, floor_ms, bases=bases)
    radius = evaluation_radius(reach, s_rmax)
    return StormSteps(s_lat, s_lon, s_ue, s_vn, vsym, s_rmax, b, knots_r, knots_x, reach, radius, n, a, x1, r1, model)
