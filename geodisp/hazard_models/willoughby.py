"""Willoughby, Darling & Rahn (2006) sectionally continuous wind profile: pure functions on NumPy arrays.

Willoughby, H. E., R. W. R. Darling and M. E. Rahn, 2006: Parametric representation
of the primary hurricane vortex. Part II: A new family of sectionally continuous
profiles. Mon. Wea. Rev., 134, 1102-1120. The dual-exponential form::

    inside,  r <= R1:   Vi(r) = Vmax (r / Rmax) ** n                                    (eq. 1a)
    outside, r >= R2:   Vo(r) = Vmax [(1 - A) exp(-(r - Rmax) / X1) + A exp(-(r - Rmax) / X2)]   (eq. 4)
    between:            V(r)  = Vi (1 - w) + Vo w,  w = w(xi),  xi = (r - R1) / (R2 - R1)   (eq. 1b, 2)
    w(xi) = 126 xi**5 - 420 xi**6 + 540 xi**7 - 315 xi**8 + 70 xi**9   (0 at 0, 1 at 1; its
    first four derivatives vanish at both ends, so V is smooth across R1 and R2)

with the parameters from the maximum wind and latitude (eq. 10a-c, fitted to
flight-level profiles of Atlantic and eastern Pacific hurricanes)::

    X1 = 317.1 - 2.026 Vmax + 1.915 |lat|    (km)
    n  = 0.4067 + 0.0144 Vmax - 0.0038 |lat|
    A  = 0.0696 + 0.0049 Vmax - 0.0064 |lat|  (not below 0)
    X2 = 25 km

The blending zone is 25 km wide (15 km where Rmax <= 20 km, as the stormwindmodel R package applies the paper)
and placed so that the profile peaks at Rmax (dV/dr = 0 there, the paper's eq. 3):
``w(xi_m) = (n / Rmax) / (n / Rmax + (1 - A) / X1 + A / X2)`` at ``xi_m = (Rmax - R1) / (R2 - R1)``,
solved by bisection (``w`` increases on [0, 1]). Vmax in m/s, distances in km, latitudes
in degrees.
"""
from __future__ import annotations

import numpy as np

#: The second (short) e-folding length, km (Willoughby et al. 2006).
X2_KM = 25.0
#: Width of the blending zone (R2 - R1), km: 25 km, 15 km where Rmax <= SMALL_EYE_KM.
WIDTH_KM, SMALL_WIDTH_KM, SMALL_EYE_KM = 25.0, 15.0, 20.0


def params(vmax: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(n, A, X1)`` from the maximum wind (m/s) and latitude (deg): eq. 10a-c, ``A`` not below 0."""
    vmax, lat = np.asarray(vmax, dtype="float64"), np.abs(np.asarray(lat, dtype="float64"))
    x1 = 317.1 - 2.026 * vmax + 1.915 * lat
    n = 0.4067 + 0.0144 * vmax - 0.0038 * lat
    a = np.maximum(0.0696 + 0.0049 * vmax - 0.0064 * lat, 0.0)
    return n, a, x1


def width(rmax: np.ndarray) -> np.ndarray:
    """The blending zone's width R2 - R1 (km) for a radius of maximum wind (km)."""
    return np.where(np.asarray(rmax) > SMALL_EYE_KM, WIDTH_KM, SMALL_WIDTH_KM)


def blend(xi: np.ndarray) -> np.ndarray:
    """``w(xi)`` (eq. 2): 0 for ``xi <= 0``, 1 for ``xi >= 1``, the ninth-degree polynomial between."""
    x = np.clip(np.asarray(xi, dtype="float64"), 0.0, 1.0)
    return x**5 * (126.0 + x * (-420.0 + x * (540.0 + x * (-315.0 + 70.0 * x))))


def inner_edge(rmax: np.ndarray, n: np.ndarray, a: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """R1 (km): where the blending zone starts, so that the profile peaks at ``rmax`` (eq. 3)."""
    rmax, n, a, x1 = (np.asarray(v, dtype="float64") for v in (rmax, n, a, x1))
    target = (n / rmax) / (n / rmax + (1.0 - a) / x1 + a / X2_KM)
    lo, hi = np.zeros(np.shape(target)), np.ones(np.shape(target))
    for _ in range(50):  # w increases on [0, 1]: bisection to 1e-15
        mid = 0.5 * (lo + hi)
        above = blend(mid) > target
        hi, lo = np.where(above, mid, hi), np.where(above, lo, mid)
    return rmax - 0.5 * (lo + hi) * width(rmax)


def shape(r: np.ndarray, rmax: float, n: float, a: float, x1: float, r1: float) -> np.ndarray:
    """``V(r) / Vmax``: 1 at ``rmax``, 0 at the centre, falling to 0 far away (eq. 1, 2, 4)."""
    r = np.asarray(r, dtype="float64")
    vi = np.power(np.maximum(r, 0.0) / rmax, n)
    vo = (1.0 - a) * np.exp(-(r - rmax) / x1) + a * np.exp(-(r - rmax) / X2_KM)
    w = blend((r - r1) / float(width(rmax)))
    return vi * (1.0 - w) + vo * w


def profile(r: np.ndarray, vmax: float, lat: float, rmax: float) -> np.ndarray:
    """Symmetric wind (m/s) at ``r`` km of a storm of maximum wind ``vmax`` at latitude ``lat``."""
    n, a, x1 = params(vmax, lat)
    r1 = inner_edge(rmax, n, a, x1)
    return vmax * shape(r, rmax, float(n), float(a), float(x1), float(r1))
