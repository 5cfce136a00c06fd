"""Figure rows carry the whole ledger; the wide table; the ledger contract."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimators.figures import (
    FIGURE_COLUMNS, check_figures, concat_figures, figure_rows, metric_ledger, wide,
)
from geodisp.model.ledger import LEDGER_COLUMNS, LEDGER_DTYPES
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
    with pytest.raises(ValueError, match="key must be text"):
        check_figures(bad)




def test_every_row_carries_the_ledger_with_metric_defaults():
    f = figure_rows(["12001", "12002"], "evacuated", 1, 2, 3, "people", "x", "evac.csv",
                    start_date="2025-10-09", start_date_accuracy="day")
    assert list(f.columns) == LEDGER_COLUMNS
    assert {c: str(t) for c, t in f.dtypes.items()} == LEDGER_DTYPES
    row = f.iloc[0]
    assert (row.term, row.category, row.role, row.reported_unit, row.quantifier, row.method, row.modelled) == (
        "evacuated", "new_displacement", "triangulation", "person", "exact", "records", False)
    assert (row.level, row.start_date, row.end_date, row.calculation, row.reported) == ("mun", "2025-10-09", None, "x", 2.0)
    assert metric_ledger("displaced")["role"] == "recommended"
    assert metric_ledger("displaced_exposure")["modelled"] is True
    assert metric_ledger("dwellings_severe")["term"] == "partially_destroyed_housing"
    # a figure converted from households states the size, and reported = central / size
    h = figure_rows(["12001"], "displaced_housing", 36, 36, 36, "people", "x", "d", household_size=3.6)
    assert (h.reported_unit.iloc[0], h.household_size.iloc[0], h.reported.iloc[0]) == ("household", 3.6, pytest.approx(10))


def test_ledger_contract_names_the_bad_row():
    f = figure_rows(["12001"], "evacuated", 1, 2, 3, "people", "x", "y")
    with pytest.raises(ValueError, match="term 'fled'"):
        check_figures(f.assign(term="fled"))
    with pytest.raises(ValueError, match="start_date must be YYYY-MM-DD"):
        check_figures(f.assign(start_date="9/10/2025"))
    with pytest.raises(ValueError, match="without a household size"):
        check_figures(figure_rows(["12001"], "displaced_housing", 1, 1, 1, "people", "x", "y"))
    with pytest.raises(ValueError, match="unknown ledger columns"):
        figure_rows(["12001"], "evacuated", 1, 1, 1, "people", "x", "y", colour="red")
