"""IDMC's year rules (geodisp/year/rules.py) on tables worked out by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geodisp.year import rules
from geodisp.outputs.rounding import round_display

D = dt.date


def figures(rows: list[tuple]) -> pd.DataFrame:
    """Figure rows ``(cvegeo, metric, low, central, high)``."""
    return pd.DataFrame(rows, columns=["cvegeo", "metric", "low", "central", "high"])


@pytest.mark.parametrize("start, end, year", [
    (D(2024, 3, 1), None, 2024),                 # no end date: the start year
    (D(2024, 3, 1), D(2024, 12, 31), 2024),      # within one year: the start year
    (D(2023, 12, 28), D(2024, 1, 6), 2024),      # spans 31 December: the end year
    (D(2024, 12, 26), D(2025, 1, 4), 2025),
    (D(2022, 11, 1), D(2024, 2, 1), 2024),       # spans more than two years: still the end year
    ("2024-05-02", "2024-05-09", 2024),          # ISO text, as tables store it
])
def test_figure_year(start, end, year):
    assert rules.figure_year(start, end) == year


def test_figure_year_rejects_end_before_start_and_no_start():
    with pytest.raises(ValueError, match="before start"):
        rules.figure_year(D(2024, 2, 1), D(2023, 1, 1))
    with pytest.raises(ValueError, match="start date"):
        rules.figure_year(None, D(2024, 1, 1))


def test_count_month_is_the_start_month_or_january_for_a_figure_from_last_year():
    assert rules.count_month(D(2024, 6, 15), D(2024, 6, 18), 2024) == 6
    assert rules.count_month(D(2023, 12, 28), D(2024, 1, 6), 2024) == 1


def test_year_flows_keeps_two_events_in_one_municipio_as_two_flows_and_drops_other_years():
    a = rules.event_flows(figures([("12001", "displaced", 10, 20, 30), ("12002", "displaced", 1, 2, 3),
                                   ("outside", "displaced", 5, 5, 5), ("12001", "evacuated", 99, 99, 99)]),
                          "a", D(2024, 6, 1), D(2024, 6, 3))
    b = rules.event_flows(figures([("12001", "displaced", 100, 200, 300)]), "b", D(2024, 9, 1), D(2024, 9, 2))
    c = rules.event_flows(figures([("12001", "displaced", 7, 7, 7)]), "c", D(2024, 12, 30), D(2025, 1, 2))
    flows = rules.year_flows(pd.concat([a, b, c], ignore_index=True), 2024)
    assert list(flows.columns) == rules.FLOW_COLUMNS
    assert sorted(zip(flows["event_id"], flows["cvegeo"])) == [("a", "12001"), ("a", "12002"), ("b", "12001")]
    in_12001 = flows[flows["cvegeo"] == "12001"]
    assert len(in_12001) == 2 and in_12001["central"].sum() == 220  # two flows, summed, never merged
    assert dict(zip(flows["event_id"], flows["month"])) == {"a": 6, "b": 9}
    assert rules.sum_range(flows, ["cvegeo"]).set_index("cvegeo").loc["12001"].tolist() == [110, 220, 330]


def test_event_flows_take_the_ledger_dates_and_role_when_present():
    f = figures([("12001", "displaced", 1, 2, 3), ("12002", "displaced", 4, 5, 6), ("12003", "displaced", 7, 8, 9)])
    f["role"] = ["recommended", "recommended", "triangulation"]
    f["start_date"] = ["2023-12-30", None, None]
    f["end_date"] = ["2024-01-02", None, None]
    f["modelled"] = [False, True, False]
    flows = rules.event_flows(f, "e", D(2023, 12, 20), D(2023, 12, 22))
    assert list(flows["cvegeo"]) == ["12001", "12002"]  # triangulation is evidence, not a flow
    assert list(flows["modelled"]) == [False, True]
    counted = rules.year_flows(flows, 2024)
    assert list(counted["cvegeo"]) == ["12001"]  # its own dates span into 2024; the other unit's event dates do not
    assert list(rules.year_flows(flows, 2023)["cvegeo"]) == ["12002"]


def shelter_reports() -> pd.DataFrame:
    rows = [
        ("12001", "A", "2024-12-28", 100), ("12001", "A", "2025-01-02", 60),   # open over 31 Dec: 100 that day
        ("12001", "B", "2024-12-20", 30), ("12001", "B", "2024-12-29", 10),    # closed after its last report
        ("12002", "C", "2024-12-31", 12),                                      # reported on the day itself
        ("12003", "D", "2025-01-01", 50),                                      # opened after 31 Dec
    ]
    frame = pd.DataFrame(rows, columns=["cvegeo", "shelter_id", "date", "occupants"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_shelter_occupancy_on_31_december():
    on = rules.shelter_occupancy_on(shelter_reports(), D(2024, 12, 31))
    assert on.to_dict() == {"12001": 100.0, "12002": 12.0}


def test_year_end_stock_from_destroyed_housing_not_rebuilt_and_people_still_in_shelters():
    f = figures([
        ("12001", "dwellings_destroyed", 10, 10, 10), ("12002", "dwellings_destroyed", 5, 5, 5),
        ("12004", "dwellings_destroyed", 2, 2, 2),
        ("12001", "displaced", 5000, 6000, 7000), ("12005", "displaced", 800, 900, 1000),  # flows: never a stock
    ])
    household = pd.DataFrame({"cvegeo": ["12001", "12002", "12003", "12004", "12005"], "household_size": [4.0, 3.5, 3.0, 3.0, 3.0]})
    stock = rules.year_end_stock("e", f, household, shelter_reports(), 2024, rebuilt={"12001": 3, "12004": 5})
    got = stock.set_index("cvegeo")
    # 12001: (10 - 3) x 4 = 28 people from housing, 100 in shelter A: central = high = 100, low 100
    # 12002: 5 x 3.5 = 17.5 from housing, 12 in shelters: central 17.5, low 12
    # 12004: rebuilt 5 > destroyed 2: 0, not negative, and no row
    assert sorted(got.index) == ["12001", "12002"]
    assert got.loc["12001", ["low", "central", "high", "housing", "sheltered"]].tolist() == [100, 100, 100, 28, 100]
    assert got.loc["12002", ["low", "central", "high", "housing", "sheltered"]].tolist() == [12, 17.5, 17.5, 17.5, 12]
    assert dict(got["basis"]) == {"12001": "in_shelters", "12002": "destroyed_not_rebuilt"}
    assert stock["central"].sum() == 117.5  # not 6,900 + anything: flows never enter the stock


def test_year_end_stock_is_zero_when_displacement_ended_before_31_december():
    f = figures([("12001", "dwellings_destroyed", 10, 10, 10)])
    household = pd.DataFrame({"cvegeo": ["12001"], "household_size": [4.0]})
    assert rules.year_end_stock("e", f, household, None, 2024, ended=D(2024, 11, 30)).empty
    assert rules.year_end_stock("e", f, household, None, 2024, ended=D(2024, 12, 31)).empty
    assert rules.year_end_stock("e", f, household, None, 2024, ended=D(2025, 2, 1))["central"].tolist() == [40.0]
    assert rules.year_end_stock("e", f, household, None, 2024)["central"].tolist() == [40.0]


def test_year_end_stock_needs_household_sizes_for_destroyed_dwellings():
    f = figures([("12001", "dwellings_destroyed", 10, 10, 10)])
    with pytest.raises(ValueError, match="household size"):
        rules.year_end_stock("e", f, pd.DataFrame({"cvegeo": ["12009"], "household_size": [4.0]}), None, 2024)


@pytest.mark.parametrize("raw, shown", [
    # values as IDMC published them in the GIDD (OCHA-DAP/hdx-scraper-idmc-gidd test fixtures)
    (4, 4), (45, 45), (100, 100), (180, 180), (635, 640), (1000, 1000), (1435, 1400), (3250, 3200),
    (3315, 3300), (10500, 10000), (16850, 17000), (25185, 25000), (2039155, 2039000), (49653, 50000),
])
def test_gidd_rounding_matches_published_figures(raw, shown):
    """The year's GIDD table rounds with the event tables' function."""
    assert round_display(raw) == shown


def test_gidd_rounding_rounds_once_from_the_raw_value():
    # 1,250.4 is nearer 1,300 than 1,200; rounding first to 1,250 and then to the even
    # hundred (the year table's former copy of the rule) published 1,200.
    assert round_display(1250.4) == 1300
    assert round_display(1250.0) == 1200  # an exact half still goes to the even hundred
