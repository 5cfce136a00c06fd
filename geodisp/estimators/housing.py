"""Housing-based displacement: damaged dwellings x weight(damage level) x household size.

    displaced_housing(unit) = sum over levels of weight(level) x dwellings(unit, level)
                              x household_size(unit)

By default (IDMC's practice) only destroyed dwellings, and dwellings the damage
census declares uninhabitable, count in the central: destroyed x household size.
A census declares a dwelling uninhabitable either as its damage level
(``uninhabitable``: every dwelling of the row) or as an ``uninhabitable`` count
within another level; both take the uninhabitable weight.
Severe and partial damage enter the high only (weights and their sources in
``geodisp.config.methods``). One inhabited dwelling is taken to hold one
household (Censo 2020 counts about one household per inhabited private
dwelling), so ``households_displaced`` is the same sum without the household
size. Low / high use the low / high weights and household sizes.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from geodisp.config.methods import HousingMethod
from geodisp.estimators.figures import FLOW_NOTE, concat_figures, empty_figures, figure_rows
from geodisp.model.vocab import DAMAGE_LEVELS, LEVEL_KEY_LENGTH, NATIONAL_HOUSEHOLD_SIZE
from geodisp.model.messages import encode, join

HOUSEHOLD_COLUMNS = ["household_size", "household_size_low", "household_size_high", "household_size_source"]


def household_sizes_for(
    keys, household: Optional[pd.DataFrame], spread: dict[str, float]
) -> pd.DataFrame:
    """Household size with its low / high and source for each key.

    ``household`` is indexed by ``cvegeo`` with ``household_size`` and
    ``household_size_source`` (``census:<key>``, ``parent:<key>``, ``default``).
    A key missing from it takes its nearest parent's row (source
    ``parent:<parent key>``), else the national 3.6 (``default``). The range is
    size x (1 -+ spread[kind]) where kind is the source before the colon.
    """
    keys = [str(k) for k in dict.fromkeys(keys)]
    table = _household_table(household)
    sizes, sources = [], []
    for key in keys:
        size, source = _lookup(key, table)
        sizes.append(size)
        sources.append(source)
    kinds = [s.split(":", 1)[0] for s in sources]
    unknown = sorted(set(kinds) - set(spread))
    if unknown:
        raise ValueError(f"household_size_source kinds {unknown} have no spread; expected {sorted(spread)}")
    s = np.array([spread[k] for k in kinds], dtype="float64")
    size = np.array(sizes, dtype="float64")
    return pd.DataFrame(
        {
            "household_size": size,
            "household_size_low": size * (1 - s),
            "household_size_high": size * (1 + s),
            "household_size_source": sources,
        },
        index=pd.Index(keys, name="cvegeo", dtype="object"),
    )


def _household_table(household: Optional[pd.DataFrame]) -> pd.DataFrame:
    if household is None or len(household) == 0:
        return pd.DataFrame({"household_size": pd.Series(dtype="float64"), "household_size_source": pd.Series(dtype="object")})
    frame = household
    if "cvegeo" in frame.columns:
        frame = frame.set_index("cvegeo")
    missing = {"household_size"} - set(frame.columns)
    if missing:
        raise ValueError("household table lacks column household_size")
    frame = frame.copy()
    frame.index = frame.index.map(str)
    if "household_size_source" not in frame.columns:
        frame["household_size_source"] = [f"census:{k}" for k in frame.index]
    bad = frame["household_size"].notna() & (frame["household_size"] <= 0)
    if bad.any():
        raise ValueError(f"household size must be positive; {frame.index[bad][0]} has {frame.loc[bad, 'household_size'].iloc[0]}")
    return frame[frame["household_size"].notna()]


def _lookup(key: str, table: pd.DataFrame) -> tuple[float, str]:
    if key in table.index:
        row = table.loc[key]
        return float(row["household_size"]), str(row["household_size_source"])
    for n in sorted(LEVEL_KEY_LENGTH.values(), reverse=True):
        if n < len(key) and key[:n] in table.index:
            row = table.loc[key[:n]]
            source = str(row["household_size_source"])
            if source.startswith("census:"):
                source = "parent:" + source.split(":", 1)[1]
            return float(row["household_size"]), source
    return float(NATIONAL_HOUSEHOLD_SIZE), "default"


def _check_dwellings(dwellings: pd.DataFrame) -> pd.DataFrame:
    missing = {"cvegeo", "damage_level", "dwellings"} - set(dwellings.columns)
    if missing:
        raise ValueError(f"dwellings table lacks columns {sorted(missing)}")
    columns = ["cvegeo", "damage_level", "dwellings"] + (["uninhabitable"] if "uninhabitable" in dwellings else [])
    frame = dwellings[columns].copy()
    frame["cvegeo"] = frame["cvegeo"].astype(str)
    bad = ~frame["damage_level"].isin(DAMAGE_LEVELS)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"dwellings row {i + 1}: damage level {frame['damage_level'].iloc[i]!r} is not one of {DAMAGE_LEVELS}"
        )
    for column in columns[2:]:
        counts = pd.to_numeric(frame[column], errors="coerce")
        if column == "uninhabitable":
            counts = counts.fillna(0.0)
        bad = counts.isna() | (counts < 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(f"dwellings row {i + 1}: {column} {frame[column].iloc[i]!r} is not a count >= 0")
        frame[column] = counts.astype("float64")
    if "uninhabitable" not in frame:
        frame["uninhabitable"] = 0.0
    declared = frame["damage_level"] == "uninhabitable"  # the level itself: every dwelling of the row
    frame.loc[declared, "uninhabitable"] = frame.loc[declared, "dwellings"]
    over = frame["uninhabitable"] > frame["dwellings"]
    if over.any():
        i = int(np.flatnonzero(over.to_numpy())[0])
        raise ValueError(f"dwellings row {i + 1}: more uninhabitable dwellings than dwellings")
    return frame


def _weights_text(weights: dict[str, tuple[float, float, float]], uninhabitable: tuple[float, float, float]) -> str:
    """The weights as a message parameter, ``level:low/central/high,...`` (levels named when rendered)."""
    parts = [f"{k}:{lo:g}/{c:g}/{hi:g}" for k, (lo, c, hi) in weights.items() if k not in ("none", "uninhabitable")]
    return ",".join(parts + ["uninhabitable:{:g}/{:g}/{:g}".format(*uninhabitable)])


def _term(destroyed: float, uninhabitable: float) -> str:
    """IDMC term of a housing-based figure: what its central counts."""
    if destroyed > 0:
        return "destroyed_housing"
    return "uninhabitable_housing" if uninhabitable > 0 else "partially_destroyed_housing"


def housing_figures(
    dwellings: Optional[pd.DataFrame],
    household: Optional[pd.DataFrame] = None,
    params: Optional[HousingMethod] = None,
    source: str = "damage",
) -> pd.DataFrame:
    """Figures from damaged dwellings per unit.

    ``dwellings``: ``cvegeo``, ``damage_level`` (vocab.DAMAGE_LEVELS), ``dwellings``
    (count; several rows per unit and level are summed) and, optionally,
    ``uninhabitable`` (how many of those dwellings the damage census declares
    uninhabitable; all of them on rows whose level is ``uninhabitable``). Returns
    figures ``dwellings_<level>`` (each level present but ``uninhabitable``),
    ``dwellings_uninhabitable`` (when that column or level is given),
    ``households_affected`` (dwellings
    with any damage), ``households_displaced`` and ``displaced_housing``.
    ``source`` labels the damage input.
    """
    if dwellings is None or len(dwellings) == 0:
        return empty_figures()
    params = params or HousingMethod()
    weights = params.resolved_weights()
    w_unin = np.array(params.resolved_uninhabitable())
    frame = _check_dwellings(dwellings)
    grouped = frame.groupby(["cvegeo", "damage_level"], sort=True)[["dwellings", "uninhabitable"]].sum()
    counts = grouped["dwellings"].unstack("damage_level")
    levels = [lv for lv in DAMAGE_LEVELS if lv in counts.columns]
    counts = counts.reindex(columns=list(DAMAGE_LEVELS)).fillna(0.0)
    unin = grouped["uninhabitable"].unstack("damage_level").reindex(index=counts.index, columns=list(DAMAGE_LEVELS)).fillna(0.0)
    unin["destroyed"] = 0.0  # a destroyed dwelling already counts in full
    keys = counts.index
    hh = household_sizes_for(keys, household, params.resolved_spread()).loc[keys]

    parts = []
    for level in levels:
        if level == "uninhabitable":  # counted below with those declared within other levels
            continue
        n = counts[level].to_numpy()
        parts.append(figure_rows(keys, f"dwellings_{level}", n, n, n, "dwellings",
                                 encode("calc_dwellings_level", damage=level), source))
    if "uninhabitable" in dwellings.columns or "uninhabitable" in levels:
        n = unin.sum(axis=1).to_numpy()
        parts.append(figure_rows(keys, "dwellings_uninhabitable", n, n, n, "dwellings",
                                 "calc_dwellings_uninhabitable", source))
    damaged = counts[[lv for lv in DAMAGE_LEVELS if lv != "none"]].sum(axis=1).to_numpy()
    parts.append(
        figure_rows(keys, "households_affected", damaged, damaged, damaged, "households",
                    "calc_households_affected", source)
    )
    w = np.array([weights[lv] for lv in DAMAGE_LEVELS])  # levels x (low, central, high)
    hh_disp = (counts - unin).to_numpy() @ w + unin.to_numpy().sum(axis=1, keepdims=True) * w_unin
    text = _weights_text(weights, tuple(w_unin))
    terms = [_term(d, u) for d, u in zip(counts["destroyed"], unin.sum(axis=1))]
    parts.append(
        figure_rows(keys, "households_displaced", hh_disp[:, 0], hh_disp[:, 1], hh_disp[:, 2], "households",
                    join(encode("calc_households_displaced", weights=text), FLOW_NOTE),
                    source, term=terms)
    )
    people = hh_disp * hh[["household_size_low", "household_size", "household_size_high"]].to_numpy()
    methods = [
        join(encode("calc_displaced_housing", size=f"{size:.3g}", size_source=src, high=f"{hi:.3g}", low=f"{lo:.3g}",
                    weights=text), FLOW_NOTE)
        for size, lo, hi, src in zip(hh["household_size"], hh["household_size_low"],
                                     hh["household_size_high"], hh["household_size_source"])
    ]
    sources = [join(source, encode("src_household_size", size_source=src)) for src in hh["household_size_source"]]
    parts.append(
        figure_rows(keys, "displaced_housing", people[:, 0], people[:, 1], people[:, 2], "people", methods, sources,
                    term=terms, household_size=hh["household_size"].to_numpy(), reported=hh_disp[:, 1])
    )
    return concat_figures(parts)
