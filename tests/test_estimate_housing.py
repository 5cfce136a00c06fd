"""Housing-based displacement: hand-worked cases."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimators.housing import household_sizes_for, housing_figures
from geodisp.config.methods import HOUSEHOLD_SIZE_SPREAD, HousingMethod
from geodisp.outputs.i18n import language


def _dwellings():
    rows = [
        ("12001", "destroyed", 6), ("12001", "destroyed", 4),  # two rows, summed
        ("12001", "severe", 4), ("12001", "partial", 6), ("12001", "minor", 3),
        ("12001", "none", 5),
        ("12002", "destroyed", 2),
        ("15001", "destroyed", 1),
    ]
    return pd.DataFrame(rows, columns=["cvegeo", "damage_level", "dwellings"])


def _household():
    return pd.DataFrame(
        {"household_size": [4.0, 3.5], "household_size_source": ["census:12001", "census:12"]},
        index=pd.Index(["12001", "12"], name="cvegeo"),
    )


def _get(figs, key, metric):
    row = figs[(figs.cvegeo == key) & (figs.metric == metric)]
    assert len(row) == 1, (key, metric)
    return tuple(row[["low", "central", "high"]].iloc[0])


def test_housing_hand_worked():
    figs = housing_figures(_dwellings(), _household(), source="danos.gpkg")
    # 12001: weights destroyed 1/1/1, severe 0/0/0.9, partial 0/0/0.25, minor 0 (IDMC: only destroyed
    # housing converts; severe and partial enter the high). households displaced: low 10, central 10,
    # high 10 + 4 x 0.9 + 6 x 0.25 = 15.1
    assert _get(figs, "12001", "households_displaced") == pytest.approx((10, 10, 15.1))
    # household size 4.0 from the unit's own census row: no spread; central = destroyed x size
    assert _get(figs, "12001", "displaced_housing") == pytest.approx((40, 40, 60.4))
    row = figs.set_index(["cvegeo", "metric"]).loc[("12001", "displaced_housing")]
    assert (row.term, row.reported_unit, row.household_size, row.reported, row.method) == (
        "destroyed_housing", "household", 4.0, 10.0, "housing")
    assert figs.set_index(["cvegeo", "metric"]).loc[("12001", "dwellings_severe"), "term"] == "partially_destroyed_housing"
    assert _get(figs, "12001", "dwellings_destroyed") == (10, 10, 10)
    assert _get(figs, "12001", "dwellings_none") == (5, 5, 5)
    assert _get(figs, "12001", "households_affected") == (23, 23, 23)
    # 12002 falls back to its state's size 3.5, +-10%
    assert _get(figs, "12002", "displaced_housing") == pytest.approx((6.3, 7.0, 7.7))
    # 15001 has no census row at all: national 3.6 +-20%
    assert _get(figs, "15001", "displaced_housing") == pytest.approx((2.88, 3.6, 4.32))
    src = figs.set_index(["cvegeo", "metric"]).loc[("12002", "displaced_housing"), "source"]
    assert language("es").messages(src) == "danos.gpkg; tamaño del hogar: censo de la unidad superior 12"
    assert language("en").messages(src) == "danos.gpkg; household size: census of the parent unit 12"
    method = language("en").messages(figs.set_index(["cvegeo", "metric"]).loc[("12001", "displaced_housing"), "calculation"])
    assert "flow" in method and "census of 12001" in method and "Destroyed 1/1/1" in method
    assert set(figs.unit) <= {"people", "households", "dwellings"}
    # a level seen anywhere is reported for every unit with damage data, 0 where none
    assert _get(figs, "12002", "dwellings_severe") == (0, 0, 0)
    assert len(figs) == 3 * (5 + 3)


def test_weights_from_event_override_defaults():
    params = HousingMethod(weights={"severe": 1.0, "partial": [0.1, 0.2, 0.3]})
    figs = housing_figures(_dwellings(), _household(), params)
    # 12001: 10 + 4 + 6*(0.1, 0.2, 0.3) households, x 4 people
    assert _get(figs, "12001", "displaced_housing") == pytest.approx((4 * 14.6, 4 * 15.2, 4 * 15.8))


def test_bad_damage_level_names_the_row():
    bad = _dwellings()
    bad.loc[3, "damage_level"] = "collapsed"
    with pytest.raises(ValueError, match="row 4.*collapsed"):
        housing_figures(bad, _household())


def test_negative_count_rejected():
    bad = _dwellings()
    bad.loc[0, "dwellings"] = -1
    with pytest.raises(ValueError, match="row 1"):
        housing_figures(bad, _household())


def test_household_sizes_fallbacks():
    hh = household_sizes_for(["12001", "120010001", "12002", "09001"], _household(), HOUSEHOLD_SIZE_SPREAD)
    assert list(hh["household_size_source"]) == ["census:12001", "parent:12001", "parent:12", "default"]
    assert list(hh["household_size"]) == [4.0, 4.0, 3.5, 3.6]
    assert hh.loc["120010001", "household_size_high"] == pytest.approx(4.4)


def test_empty_input_gives_empty_figures():
    assert housing_figures(None).empty
    assert list(housing_figures(_dwellings().iloc[:0]).columns)[:4] == ["cvegeo", "level", "metric", "low"]


def test_uninhabitable_dwellings_count_as_destroyed():
    """A damage census that declares 3 of 4 severely damaged dwellings uninhabitable: those 3 enter the
    central with the 2 destroyed; the fourth only the high."""
    dwellings = pd.DataFrame({"cvegeo": ["12001", "12001"], "damage_level": ["destroyed", "severe"],
                              "dwellings": [2, 4], "uninhabitable": [0, 3]})
    figs = housing_figures(dwellings, _household())
    assert _get(figs, "12001", "dwellings_uninhabitable") == (3, 3, 3)
    assert _get(figs, "12001", "households_displaced") == pytest.approx((5, 5, 5.9))
    assert _get(figs, "12001", "displaced_housing") == pytest.approx((20, 20, 23.6))
    only = housing_figures(dwellings.assign(dwellings=[0, 4]), _household())
    assert only[only.metric == "displaced_housing"].term.iloc[0] == "uninhabitable_housing"
    with pytest.raises(ValueError, match="more uninhabitable dwellings than dwellings"):
        housing_figures(dwellings.assign(uninhabitable=[0, 5]), _household())
    # the weight can be set in the event file
    low = housing_figures(dwellings, _household(), HousingMethod(uninhabitable=[0.5, 0.8, 1]))
    assert _get(low, "12001", "households_displaced") == pytest.approx((3.5, 4.4, 5.9))
