"""Sectoral figures for health, education and housing reporting.

- Displaced people by sex, census age group, disability and indigenous
  language: displaced x (census count of the group / POBTOT) of the unit, each
  an estimate from shares (it assumes the displaced resemble their unit's
  population). A share missing or suppressed in the census (NaN, or POBTOT 0)
  falls back to the nearest parent unit (key prefix), and the figure says so.
- Facilities (schools, health centres, any points with a type) counted per unit
  and hazard class.

Housing figures for the housing sector (dwellings by damage level, households)
come from ``housing.housing_figures``.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

import numpy as np
import pandas as pd

from geodisp.config.methods import SectoralMethod
from geodisp.estimators.figures import concat_figures, empty_figures, figure_rows
from geodisp.model.messages import encode
from geodisp.model.vocab import LEVEL_KEY_LENGTH, OUTSIDE_KEY

#: Census column(s) counted for each group (lower-case ITER / AGEB names).
GROUP_COLUMNS: dict[str, str] = {
    "female": "pobfem",
    "male": "pobmas",
    "age_0_2": "p_0a2",
    "age_3_5": "p_3a5",
    "age_6_11": "p_6a11",
    "age_12_14": "p_12a14",
    "age_15_17": "p_15a17",
    "age_18_59": "p_18a59",
    "age_60_plus": "p_60ymas",
    "disability": "pcon_disc",
    "indigenous_language": "p3ym_hli",
}

_AGE_SPAN = re.compile(r"^p_(\d+)a(\d+)$")


def _age_18_59(census: pd.DataFrame) -> tuple[pd.Series, str]:
    """People aged 18-59: ``p_18a59``, else ``p_18ymas - p_60ymas``, else component groups tiling 18-59."""
    if "p_18a59" in census.columns:
        return pd.to_numeric(census["p_18a59"], errors="coerce"), "p_18a59"
    if {"p_18ymas", "p_60ymas"} <= set(census.columns):
        return (pd.to_numeric(census["p_18ymas"], errors="coerce")
                - pd.to_numeric(census["p_60ymas"], errors="coerce")), "p_18ymas - p_60ymas"
    spans = sorted(
        (int(m.group(1)), int(m.group(2)), c)
        for c in census.columns if (m := _AGE_SPAN.match(c)) and int(m.group(1)) >= 18 and int(m.group(2)) <= 59
    )
    chain, expect = [], 18
    for a, b, c in spans:
        if a == expect:
            chain.append(c)
            expect = b + 1
    if chain and expect == 60:
        return census[chain].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=len(chain)), " + ".join(chain)
    return pd.Series(np.nan, index=census.index), "no 18-59 columns"


def census_shares(census: pd.DataFrame, groups) -> dict[str, tuple[pd.Series, str]]:
    """Valid shares (group / pobtot) per census key, by group, with the columns used.

    A share is valid where the count and POBTOT are present, POBTOT > 0 and the
    share is at most 1; other keys are left out so lookups fall back to a parent.
    """
    frame = census.copy()
    frame.columns = [str(c).lower() for c in frame.columns]
    if "cvegeo" in frame.columns:
        frame = frame.set_index("cvegeo")
    frame.index = frame.index.map(str)
    if "pobtot" not in frame.columns:
        raise ValueError("census table lacks pobtot, needed for shares")
    pobtot = pd.to_numeric(frame["pobtot"], errors="coerce")
    out = {}
    for group in groups:
        if group == "age_18_59":
            count, cols = _age_18_59(frame)
        elif GROUP_COLUMNS[group] in frame.columns:
            count, cols = pd.to_numeric(frame[GROUP_COLUMNS[group]], errors="coerce"), GROUP_COLUMNS[group]
        else:
            count, cols = pd.Series(np.nan, index=frame.index), f"no {GROUP_COLUMNS[group]} column"
        share = count / pobtot
        valid = count.notna() & pobtot.notna() & (pobtot > 0) & (share <= 1 + 1e-9) & (share >= 0)
        out[group] = (share[valid], cols)
    return out


def _find(key: str, shares: pd.Series) -> Optional[str]:
    if key in shares.index:
        return key
    for n in sorted(LEVEL_KEY_LENGTH.values(), reverse=True):
        if n < len(key) and key[:n] in shares.index:
            return key[:n]
    return None


def sectoral_figures(
    figures: pd.DataFrame,
    census: Optional[pd.DataFrame],
    params: Optional[SectoralMethod] = None,
    source: str = "census",
) -> pd.DataFrame:
    """``<base>_<group>`` figures (default ``displaced_female``, ``displaced_age_0_2`` ...).

    ``figures`` must hold the base metric (``displaced`` after reconciliation).
    Units with no valid share in the census or any parent get a NaN figure whose
    method says so. Low / high are the base figure's low / high x the share.
    """
    params = params or SectoralMethod()
    if not params.enabled or census is None or len(census) == 0 or figures.empty:
        return empty_figures()
    base = figures[(figures["metric"] == params.base_metric) & (figures["cvegeo"] != OUTSIDE_KEY)]
    if base.empty:
        return empty_figures()
    groups = params.resolved_groups()
    shares = census_shares(census, groups)
    parts = []
    keys = base["cvegeo"].tolist()
    # a breakdown shares its base figure's category, dates and observed / modelled status
    inherited = {c: base[c].tolist() for c in ("category", "start_date", "start_date_accuracy", "end_date",
                                               "end_date_accuracy", "modelled")}
    for group in groups:
        share, cols = shares[group]
        found = [_find(k, share) for k in keys]
        s = np.array([share[f] if f is not None else np.nan for f in found], dtype="float64")
        methods, sources = [], []
        for k, f, v in zip(keys, found, s):
            if f is None:
                methods.append(encode("calc_share_none", cols=cols, key=k))
                sources.append(source)
                continue
            methods.append(encode("calc_share", metric=params.base_metric, cols=cols, key=k, share=f"{v:.4f}") if f == k
                           else encode("calc_share_parent", metric=params.base_metric, cols=cols, key=k, parent=f,
                                       share=f"{v:.4f}"))
            sources.append(f"{source}:{f}" if f == k else f"{source}:parent:{f}")
        parts.append(figure_rows(keys, f"{params.base_metric}_{group}", base["low"].to_numpy() * s,
                                 base["central"].to_numpy() * s, base["high"].to_numpy() * s, "people",
                                 methods, sources, **inherited))
    return concat_figures(parts)


def facility_type(value) -> str:
    """A facility type as a metric-safe name: 'Centro de Salud' -> 'centro_de_salud'."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "unknown"


def facility_figures(points: Optional[pd.DataFrame], source: str = "facilities", type_column: str = "type") -> pd.DataFrame:
    """Facilities per unit: ``facilities_<type>`` (all) and ``facilities_<type>_class_<n>``.

    ``points``: one row per facility with ``cvegeo``, ``hazard_class`` (0 outside
    the footprint) and ``type_column``; names are never copied to the figures.
    """
    if points is None or len(points) == 0:
        return empty_figures()
    missing = {"cvegeo", "hazard_class", type_column} - set(points.columns)
    if missing:
        raise ValueError(f"facility points lack columns {sorted(missing)}")
    frame = pd.DataFrame({
        "cvegeo": points["cvegeo"].astype(str).to_numpy(),
        "hazard_class": points["hazard_class"].astype(int).to_numpy(),
        "type": [facility_type(v) for v in points[type_column]],
    })
    parts = []
    for kind, sub in frame.groupby("type", sort=True):
        total = sub.groupby("cvegeo").size()
        parts.append(figure_rows(total.index, f"facilities_{kind}", total, total, total, "facilities",
                                 encode("calc_facilities", kind=kind.replace("_", " ")), source))
        by_class = sub[sub["hazard_class"] > 0].groupby(["hazard_class", "cvegeo"]).size()
        for cls in sorted(by_class.index.get_level_values(0).unique()):
            n = by_class.loc[cls]
            parts.append(figure_rows(n.index, f"facilities_{kind}_class_{cls}", n, n, n, "facilities",
                                     encode("calc_facilities_class", kind=kind.replace("_", " "), n=int(cls)), source))
    return concat_figures(parts)
