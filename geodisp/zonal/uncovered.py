"""Units that cover no cell centre get their people from coverage fractions, never zero.

The crosstab gives each cell's people to the unit holding the cell's centre, so a
unit smaller than a cell (a small island, a tiny locality or AGEB) can hold nobody.
Here each such unit takes, from every cell it overlaps, the fraction of the cell's
people equal to the fraction of the cell it covers (exactextract's coverage
fractions), in that cell's hazard class; those people are taken from the unit (or
``OUTSIDE_KEY``) that owns the cell's centre. The table's total is unchanged, so
population is conserved, and the units are listed with the method used.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from geodisp.model.vocab import OUTSIDE_KEY
from geodisp.zonal.crosstab import TABLE_COLUMNS, Crosstab
from geodisp.zonal.grid import as_2d
from geodisp.zonal.zones import Zones

UNCOVERED_COLUMNS = ["cvegeo", "people", "method"]
METHOD = "coverage fraction (exactextract): the unit covers no cell centre; people moved from the units owning those cells"


def _cells(population: xr.DataArray, units) -> pd.DataFrame:
    """Rows of (cvegeo, row, col, coverage, people) for each cell each unit overlaps."""
    from exactextract import exact_extract

    source = population.encoding.get("source")  # the file itself: exactextract reads only the windows it needs
    raster = source if isinstance(source, str) else population
    width = population.sizes["x"]
    res = exact_extract(raster, units[["cvegeo", "geometry"]], ["cell_id", "coverage", "values"],
                        include_cols=["cvegeo"], output="pandas")
    parts = []
    for key, ids, cov, values in zip(res["cvegeo"], res["cell_id"], res["coverage"], res["values"]):
        ids = np.asarray(ids, dtype=np.int64)
        people = np.asarray(values, dtype=np.float64)
        people = np.where(np.isfinite(people) & (people > 0), people, 0.0)
        parts.append(pd.DataFrame({"cvegeo": str(key), "row": ids // width, "col": ids % width,
                                   "coverage": np.asarray(cov, dtype=np.float64), "people": people}))
    if not parts:
        return pd.DataFrame(columns=["cvegeo", "row", "col", "coverage", "people"])
    return pd.concat(parts, ignore_index=True)


def give_uncovered_their_share(
    crosstab: Crosstab, population: xr.DataArray, zones: Zones, hazard: xr.DataArray, units
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The crosstab table with uncovered units' coverage-fraction people moved to them, and those units.

    Returns ``(table, uncovered)``: ``table`` has the crosstab's rows and total;
    ``uncovered`` has ``cvegeo``, ``people``, ``method`` for each unit that covers no
    cell centre (empty when there are none). Only the cells those units overlap are
    read from the zone and hazard rasters.
    """
    table = crosstab.table
    if not crosstab.uncovered:
        return table, pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(UNCOVERED_COLUMNS, (str, float, str))})
    pop = as_2d(population, "population")
    chosen = units[units["cvegeo"].isin(crosstab.uncovered)].to_crs(pop.rio.crs)
    cells = _cells(pop, chosen)
    rows = xr.DataArray(cells["row"].to_numpy(), dims="cell")
    cols = xr.DataArray(cells["col"].to_numpy(), dims="cell")
    owner_code = np.asarray(as_2d(zones.codes, "zone raster").isel(y=rows, x=cols).values, dtype=np.int64)
    cls = np.asarray(as_2d(hazard, "hazard raster").isel(y=rows, x=cols).values, dtype=np.int64)
    key_of = dict(zip(zones.keys.index.to_numpy(), zones.keys.to_numpy()))
    moved = cells.assign(
        owner=[key_of.get(int(c), OUTSIDE_KEY) for c in owner_code],
        hazard_class=cls,
        amount=cells["coverage"] * cells["people"],
    )
    gain = moved.groupby(["cvegeo", "hazard_class"])["amount"].sum()
    loss = moved.groupby(["owner", "hazard_class"])["amount"].sum()
    out = table.set_index(["cvegeo", "hazard_class"])["people"].copy()
    out = out.add(gain.reindex(out.index, fill_value=0.0), fill_value=0.0)
    out = out.sub(loss.rename_axis(["cvegeo", "hazard_class"]).reindex(out.index, fill_value=0.0), fill_value=0.0)
    # a cell's owner never loses more than the cell held; clip float noise at zero
    out = out.clip(lower=0.0)
    result = out.rename("people").reset_index()[TABLE_COLUMNS]
    people = moved.groupby("cvegeo")["amount"].sum().reindex(list(crosstab.uncovered), fill_value=0.0)
    uncovered = pd.DataFrame({"cvegeo": people.index.astype(str), "people": people.to_numpy(), "method": METHOD},
                             columns=UNCOVERED_COLUMNS)
    return result, uncovered
