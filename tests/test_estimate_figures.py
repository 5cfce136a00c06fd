"""The figures table: rows, wide table, roll-ups that add up."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimators.figures import (
    FIGURE_COLUMNS, check_figures, concat_figures, figure_rows, long_with_names, rollup, wide,
)
from geodisp.model.vocab import OUTSIDE_KEY


def _figs():
    return concat_figures([
        figure_rows(["120010001", "120010002", "120020001", "150010001"], "displaced",
                    [1, 2, 3, 4], [10, 20, 30, 40], [100, 200, 300, 400], "people", "m", "src-a"),
        figure_rows(["120010001", "150010001"], "evacuated", [5, np.nan], [5, np.nan], [5, np.nan],
                    "people", "records", "evac.csv"),
        figure_rows([OUTSIDE_KEY], "displaced", 7, 7, 7, "people", "outside", "pop.tif"),
    ])


def test_figure_rows_broadcast_and_columns():
    f = figure_rows(["01001", "01002"], "evacuated", 1, 2, 3, "people", "x", "y")
    assert list(f.columns) == FIGURE_COLUMNS
    assert list(f["central"]) == [2.0, 2.0]
    with pytest.raises(ValueError, match="unit of measure"):
        figure_rows(["01001"], "x", 1, 1, 1, "cows", "m", "s")


def test_wide_one_row_per_unit():
    w = wide(_figs())
    assert list(w.columns) == ["cvegeo", "displaced", "displaced_low", "displaced_high",
                               "evacuated", "evacuated_low", "evacuated_high"]
    row = w.set_index("cvegeo").loc["120010001"]
    assert (row["displaced_low"], row["displaced"], row["displaced_high"], row["evacuated"]) == (1, 10, 100, 5)
    assert np.isnan(w.set_index("cvegeo").loc["120020001", "evacuated"])


def test_rollup_sums_equal_parts():
    f = _figs()
    mun = rollup(f, "mun").set_index(["cvegeo", "metric"])
    assert tuple(mun.loc[("12001", "displaced"), ["low", "central", "high"]]) == (3, 30, 300)
    assert tuple(mun.loc[("12002", "displaced"), ["low", "central", "high"]]) == (3, 30, 300)
    ent = rollup(f, "ent").set_index(["cvegeo", "metric"])
    assert ent.loc[("12", "displaced"), "central"] == 60
    assert ent.loc[("15", "displaced"), "central"] == 40
    # an all-NaN part stays NaN, never a silent zero
    assert np.isnan(ent.loc[("15", "evacuated"), "central"])
    nat = rollup(f, "national").set_index(["cvegeo", "metric"])
    assert nat.loc[("MEX", "displaced"), "central"] == 100  # outside (7) not added
    assert nat.loc[(OUTSIDE_KEY, "displaced"), "central"] == 7
    # totals equal the sum of their parts at every step
    assert rollup(rollup(f, "mun"), "ent").set_index(["cvegeo", "metric"])["central"].equals(ent["central"])
    assert "src-a" in ent.loc[("12", "displaced"), "source"]
    assert ent.loc[("12", "displaced"), "method"].startswith("sum of 3 units")
    # a total over parts some of which lack a figure says so
    assert np.isnan(ent.loc[("15", "evacuated"), "central"])
    assert "1 without a figure" in ent.loc[("15", "evacuated"), "method"]
    with pytest.raises(ValueError, match="coarser"):
        rollup(rollup(f, "ent"), "mun")


def test_check_figures_catches_disorder_and_int_keys():
    f = _figs()
    check_figures(f)
    bad = f.copy()
    bad.loc[0, "low"] = 11
    with pytest.raises(ValueError, match="not ordered"):
        check_figures(bad)
    bad = f.copy()
    bad["cvegeo"] = bad["cvegeo"].astype(object)
    bad.loc[0, "cvegeo"] = 120010001
    with pytest.raises(ValueError, match="CVEGEO strings"):
        check_figures(bad)


def test_long_with_names():
    units = pd.DataFrame({"cvegeo": ["120010001"], "name": ["Acapulco"]})
    out = long_with_names(_figs(), units)
    assert out.columns[1] == "name"
    assert out.loc[0, "name"] == "Acapulco"
    assert out.loc[out.cvegeo == OUTSIDE_KEY, "name"].iloc[0] == "outside every unit"
