"""The year's tables (geodisp/year/tables.py) from hand-made event summaries."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geodisp.year import tables
from geodisp.year.summary import EventFailure, EventSummary

#: The header of HDX's "Internal displacements (new displacements) associated with disasters"
#: CSV, as OCHA-DAP/hdx-scraper-idmc-gidd writes it, and the HXL row it carried.
HDX_HEADER = ("iso3,country_name,year,start_date,start_date_accuracy,end_date,end_date_accuracy,event_name,"
              "hazard_category,hazard_category_name,hazard_sub_category,hazard_sub_category_name,hazard_type,"
              "hazard_type_name,hazard_sub_type,hazard_subtype_name,new_displacement,new_displacement_rounded,"
              "total_displacement,total_displacement_rounded,event_codes")
HDX_HXL = ("#country+code,#country+name,#date+year,#date+start,#accuracy+date+start,#date+end,#accuracy+date+end,"
           "#event+name,#crisis+category+code,#crisis+category+name,#crisis+subcategory+code,#crisis+subcategory+name,"
           "#crisis+type+code,#crisis+type+name,#crisis+subtype+code,#crisis+subtype+name,"
           "#affected+idps+ind+new+disaster,,#affected+idps+ind+total+disaster,,#crisis+code")


NAMES = {"12001": "Acapulco", "12002": "Coyuca", "20001": "Pinotepa"}


def summary(event_id, hazard, start, end, rows, shelters=(), evacuations=(), year_end=None, glide=None):
    figs = pd.DataFrame(rows, columns=["cvegeo", "metric", "low", "central", "high"])
    keys = sorted(set(figs["cvegeo"]))
    sh = pd.DataFrame(list(shelters), columns=["cvegeo", "shelter_id", "date", "occupants"])
    sh["date"] = pd.to_datetime(sh["date"])
    ev = pd.DataFrame(list(evacuations), columns=["cvegeo", "date", "people", "households"])
    ev["date"] = pd.to_datetime(ev["date"])
    return EventSummary(
        meta={"event_id": event_id, "name": event_id.title(), "hazard_type": hazard, "start": start, "end": end,
              "glide": glide, "year_end": year_end or {}, "has_evacuations": len(ev) > 0, "has_shelters": len(sh) > 0},
        figures=figs, household=pd.DataFrame({"cvegeo": keys, "household_size": [4.0] * len(keys)}),
        shelters=sh, evacuations=ev,
        names=pd.DataFrame({"cvegeo": keys, "name": [NAMES.get(k, f"Mun {k}") for k in keys]}),
        footprint=gpd.GeoDataFrame({"event_id": [event_id], "hazard_type": [hazard], "outline": ["footprint"]},
                                   geometry=[box(0, 0, 1, 1)], crs="EPSG:6372"),
    )


@pytest.fixture()
def year_2024():
    storm = summary("storm", "tropical_cyclone", "2024-06-15", "2024-06-18", [
        ("12001", "displaced", 100, 150, 300), ("12002", "displaced", 10, 20, 40), ("20001", "displaced", 1, 2, 3),
        ("12001", "dwellings_destroyed", 10, 10, 10), ("12001", "exposed_class_1", 500, 500, 500),
        ("12003", "exposed_class_1", 80, 80, 80), ("12003", "displaced", 0, 0, 0),
        ("12001", "displaced_female", 50, 80, 160), ("12001", "displaced_age_6_11", 11, 16, 33),
        ("20001", "displaced_female", 0.5, 1, 1.5),
        ("12001", "facilities_escuela", 3, 3, 3), ("12001", "facilities_escuela_class_1", 2, 2, 2),
        ("12003", "facilities_escuela", 4, 4, 4),
    ], evacuations=[("12001", "2024-06-15", 150, np.nan), ("20001", "2024-06-15", 2, np.nan)], glide="TC-2024-000100-MEX")
    flood = summary("flood", "flood", "2024-09-01", "2024-09-05", [
        ("12001", "displaced", 30, 40, 50), ("20002", "displaced", 5, 6, 7),
    ])
    spanning_in = summary("newyear", "flood", "2023-12-28", "2024-01-06", [("20001", "displaced", 7, 8, 9)],
                          year_end={"ended": "2024-02-01"})
    spanning_out = summary("december", "flood", "2024-12-26", "2025-01-04", [
        ("12002", "displaced", 1000, 1000, 1000), ("12002", "dwellings_destroyed", 3, 3, 3),
    ], shelters=[("12002", "S", "2024-12-27", 70), ("12002", "S", "2025-01-03", 5)])
    quake_2023 = summary("quake23", "earthquake", "2023-05-01", None, [
        ("20003", "displaced", 500, 500, 500), ("20003", "dwellings_destroyed", 20, 20, 20),
    ], year_end={"rebuilt": {"20003": 15}})
    return [storm, flood, spanning_in, spanning_out, quake_2023]


def test_national_equals_sum_of_states_equals_sum_of_events(year_2024):
    t = tables.year_tables(year_2024, [], 2024)
    totals, events, flows = t["totals"], t["events"], t["flows"]
    whole = totals[(totals["hazard_type"] == "all") & (totals["month"] == 0)]
    national = whole[whole["level"] == "national"].iloc[0]
    states = whole[whole["level"] == "state"]
    counted = events[events["counts_in_year"] == 2024]
    for c in ("low", "central", "high"):
        # by hand: storm 111/172/343, flood 35/46/57, newyear 7/8/9 (its end date is in 2024)
        assert national[c] == pytest.approx({"low": 153, "central": 226, "high": 409}[c])
        assert states[c].sum() == pytest.approx(national[c])
        assert counted[f"flow_{c}"].sum() == pytest.approx(national[c])
        assert t["municipio_event"][f"flow_{c}"].sum() == pytest.approx(national[c])
    assert set(flows["event_id"]) == {"storm", "flood", "newyear"}  # 'december' counts in 2025, 'quake23' in 2023
    # per hazard type and per month, the parts add up to the whole, for each level
    for level, key in (("national", "MEX"), ("state", "12"), ("state", "20")):
        rows = totals[(totals["level"] == level) & (totals["key"] == key)]
        whole_c = rows[(rows["hazard_type"] == "all") & (rows["month"] == 0)]["central"].iloc[0]
        assert rows[(rows["hazard_type"] != "all") & (rows["month"] == 0)]["central"].sum() == pytest.approx(whole_c)
        assert rows[(rows["hazard_type"] == "all") & (rows["month"] > 0)]["central"].sum() == pytest.approx(whole_c)
    month = totals[(totals["level"] == "national") & (totals["hazard_type"] == "all")].set_index("month")["central"]
    assert month.to_dict() == {0: 226, 1: 8, 6: 172, 9: 46}  # the spanning flood counts in January
    assert national["events"] == 3
    assert national["observed_central"] == national["central"]  # no figure here is modelled


def test_modelled_flows_are_reported_apart_from_observed_ones(year_2024):
    storm = year_2024[0]
    figs = storm.figures.assign(modelled=storm.figures["cvegeo"].eq("12002"))
    year = [EventSummary(**{**storm.__dict__, "figures": figs}), *year_2024[1:]]
    nat = tables.year_tables(year, [], 2024)["totals"].query("level == 'national' and hazard_type == 'all' and month == 0").iloc[0]
    assert (nat["central"], nat["observed_central"]) == (226, 206)  # 12002's 20 is a model's figure
    assert (nat["low"], nat["observed_low"], nat["high"], nat["observed_high"]) == (153, 143, 409, 369)


def test_two_events_in_one_municipio_are_two_rows_and_the_choropleth_sums_them(year_2024):
    t = tables.year_tables(year_2024, [], 2024)
    me = t["municipio_event"]
    rows = me[me["cvegeo"] == "12001"]
    assert sorted(rows["event_id"]) == ["flood", "storm"]
    assert sorted(rows["flow_central"]) == [40, 150]
    mun = t["municipio_year"].set_index("cvegeo")
    assert mun.loc["12001", ["displaced_low", "displaced", "displaced_high", "events"]].tolist() == [130, 190, 350, 2]


def test_stock_comes_from_ongoing_displacement_never_from_flows(year_2024):
    t = tables.year_tables(year_2024, [], 2024)
    stock = t["stock"].set_index(["event_id", "cvegeo"])["central"].to_dict()
    # storm: 10 destroyed x 4 = 40 in 12001; december: shelter S holds 70 on 31 Dec, 3 destroyed x 4 = 12 -> 70;
    # quake23 (a 2023 event): 20 destroyed - 15 rebuilt = 5 x 4 = 20; newyear ended on 1 Feb; flood destroyed nothing
    assert stock == {("storm", "12001"): 40, ("december", "12002"): 70, ("quake23", "20003"): 20}
    nat = t["totals"].query("level == 'national' and hazard_type == 'all' and month == 0").iloc[0]
    assert nat["stock_central"] == 130 and nat["stock_low"] == 70  # low: people proven still in shelters


def test_gidd_table_has_hdx_columns_tags_and_the_year_rules(year_2024):
    t = tables.year_tables(year_2024, [], 2024)
    gidd = t["gidd"]
    assert ",".join(gidd.columns) == HDX_HEADER
    text = tables.with_hxl(gidd).to_csv(index=False).splitlines()
    assert text[0] == HDX_HEADER and text[1] == HDX_HXL
    assert list(gidd["year"].unique()) == [2024]
    by_start = gidd.set_index("start_date")
    storm = by_start.loc["2024-06-15"]
    assert storm["event_name"] == "Mexico: Storm - Guerrero, Oaxaca (Acapulco, Coyuca, Pinotepa) - 15/06/2024"
    assert (storm["hazard_category"], storm["hazard_sub_category"], storm["hazard_type"], storm["hazard_sub_type"]) == (2, 4, 14, 24)
    assert storm["hazard_subtype_name"] == "Typhoon/Hurricane/Cyclone" and storm["event_codes"] == "TC-2024-000100-MEX"
    assert storm["new_displacement"] == 172 and storm["new_displacement_rounded"] == 170
    assert storm["total_displacement"] == 40
    assert by_start.loc["2023-12-28", "new_displacement"] == 8  # spans 31 Dec: counted in 2024
    dec = by_start.loc["2024-12-26"]  # its flows count in 2025; its IDPs on 31 Dec 2024 count here
    assert pd.isna(dec["new_displacement"]) and dec["total_displacement"] == 70
    total = gidd.iloc[-1]
    assert total["event_name"] == "Mexico: Total - 2024"
    assert total["new_displacement"] == 226 and total["total_displacement"] == 130
    assert gidd.iloc[:-1]["new_displacement"].sum() == total["new_displacement"]


def test_sectoral_tables_are_estimates_from_census_shares_and_add_up(year_2024):
    t = tables.year_tables(year_2024, [], 2024)
    people = t["sectoral_people"]
    assert set(people["estimate"]) == {"census_shares"}
    female = people[people["group"] == "female"].set_index(["level", "key"])["central"]
    assert female[("national", "MEX")] == 81 and female[("state", "12")] + female[("state", "20")] == 81
    school = t["sectoral_school_ages"]
    assert set(school["group"]) == {"age_6_11"} and school["central"].tolist() == [16, 16]
    fac = t["sectoral_facilities"].set_index(["level", "key", "where", "facility_type"])["central"]
    assert fac[("national", "MEX", "footprint", "escuela")] == 2
    assert fac[("national", "MEX", "displacement_units", "escuela")] == 3  # 12003 has schools but no one displaced
    housing = t["sectoral_housing"].set_index(["level", "key", "damage_level"])["central"]
    assert housing[("national", "MEX", "destroyed")] == 10  # only events counted in the year


def test_gaps_name_the_event_and_the_state(year_2024):
    failure = EventFailure("broken", "events[5]", "input", "hazard: file unreadable")
    gaps = tables.year_tables(year_2024, [failure], 2024)["gaps"]
    got = set(zip(gaps["event_id"], gaps["cve_ent"], gaps["cvegeo"], gaps["gap"]))
    assert ("storm", "12", "12003", "hit_without_records") in got  # in the footprint, no record
    assert ("storm", "12", "12001", "hit_without_records") not in got
    assert ("december", "12", "12002", "hit_without_records") not in got  # a shelter report is a record
    assert ("flood", "", "", "event_without_records") in got
    assert ("broken", "", "", "event_failed") in got
