"""Civil Protection records: hand-worked evacuation and shelter figures."""
import numpy as np
import pandas as pd
import pytest

from geodisp.config.methods import ReconcileMethod
from geodisp.estimators.records import record_figures
from geodisp.outputs.i18n import language


def _evacuations():
    return pd.DataFrame(
        {
            "cvegeo": ["12001", "12001", "12001", "12002", "15001"],
            "date": pd.to_datetime(["2025-10-10", "2025-10-10", "2025-10-11", "2025-10-10", "2025-10-10"]),
            "people": [100, 50, 80, np.nan, np.nan],
            "households": [np.nan, np.nan, np.nan, 10, 5],
            "record": ["row 1", "row 2", "row 3", "row 4", "row 5"],
        }
    )


def _household():
    return pd.DataFrame({"household_size": [3.0], "household_size_source": ["census:12002"]},
                        index=pd.Index(["12002"], name="cvegeo"))


def _shelters():
    return pd.DataFrame({"cvegeo": ["12001"], "shelters": [2], "peak_occupants": [60.0], "person_days": [300.0],
                         "last_date": pd.to_datetime(["2025-10-15"]), "occupants_last_date": [12.0]})


def _get(figs, key, metric):
    row = figs[(figs.cvegeo == key) & (figs.metric == metric)]
    assert len(row) == 1, (key, metric)
    return tuple(row[["low", "central", "high"]].iloc[0])


def test_records_hand_worked():
    figs = record_figures(_evacuations(), _shelters(), _household(),
                          evacuation_source="evacuaciones.csv", shelter_source="albergues.csv")
    # 12001: per-date totals 150 and 80; separate movements sum to 230
    assert _get(figs, "12001", "evacuated") == (150, 230, 230)
    # 12002: 10 households x census size 3.0
    assert _get(figs, "12002", "evacuated") == (30, 30, 30)
    # 15001: 5 households x national 3.6 +-20%
    assert _get(figs, "15001", "evacuated") == pytest.approx((14.4, 18, 21.6))
    assert _get(figs, "12001", "sheltered_peak") == (60, 60, 60)
    assert _get(figs, "12001", "sheltered_person_days") == (300, 300, 300)
    assert _get(figs, "12001", "sheltered_last_date") == (12, 12, 12)
    f = figs.set_index(["cvegeo", "metric"])
    assert f.loc[("12001", "sheltered_person_days"), "unit"] == "person_days"
    assert f.loc[("12001", "evacuated"), "source"] == "evacuaciones.csv"
    assert f.loc[("12001", "sheltered_peak"), "source"] == "albergues.csv"
    words = language("en").messages
    assert "2025-10-15" in words(f.loc[("12001", "sheltered_last_date"), "calculation"])
    assert "stock" in words(f.loc[("12001", "sheltered_last_date"), "calculation"])
    assert "flow" in words(f.loc[("12001", "evacuated"), "calculation"])
    assert "households only" in words(f.loc[("15001", "evacuated"), "calculation"])
    # the ledger: terms, categories, reported units, quantifiers and dates from the records
    ev = f.loc[("12001", "evacuated")]
    assert (ev.term, ev.category, ev.reported_unit, ev.quantifier, ev.method) == (
        "evacuated", "new_displacement", "person", "exact", "records")
    hh = f.loc[("12002", "evacuated")]
    assert (hh.reported_unit, hh.household_size, hh.reported, hh.quantifier) == ("household", 3.0, 10.0, "approximately")
    peak = f.loc[("12001", "sheltered_peak")]
    assert (peak.term, peak.quantifier, peak.end_date, peak.end_date_accuracy) == ("sheltered", "more_than", "2025-10-15", "day")
    last = f.loc[("12001", "sheltered_last_date")]
    assert (last.category, last.start_date, last.end_date) == ("idps", "2025-10-15", "2025-10-15")
    assert f.loc[("12001", "sheltered_person_days"), "category"] == "none"


def test_evacuations_before_the_event_start_are_pre_emptive():
    ev = _evacuations()
    dates = pd.to_datetime(ev["date"])
    figs = record_figures(ev, None, _household(), start=dates.max() + pd.Timedelta(days=1))
    assert set(figs.loc[figs.metric == "evacuated", "category"]) == {"pre_emptive_evacuation"}
    figs = record_figures(ev, None, _household(), start=dates.min())
    per_unit = figs[figs.metric == "evacuated"].set_index("cvegeo")["category"]
    assert (per_unit == "new_displacement").any()
    first = figs.set_index(["cvegeo", "metric"]).loc[("12001", "evacuated")]
    unit_dates = dates[ev["cvegeo"] == "12001"]
    assert (first.start_date, first.end_date) == (unit_dates.min().strftime("%Y-%m-%d"), unit_dates.max().strftime("%Y-%m-%d"))


def test_cumulative_records_take_largest_date():
    figs = record_figures(_evacuations(), None, _household(), ReconcileMethod(evacuation_records="cumulative"))
    assert _get(figs, "12001", "evacuated") == (150, 150, 230)


def test_row_without_counts_is_an_error_naming_the_record():
    ev = _evacuations()
    ev.loc[2, "people"] = np.nan
    with pytest.raises(ValueError, match="row 3"):
        record_figures(ev, None)


def test_nothing_given():
    assert record_figures(None, None).empty


def test_from_real_csv_files_through_the_readers(tmp_path):
    """CSV files as Civil Protection sends them -> sources.records readers -> figures -> displaced."""
    from geodisp.estimators.reconcile import reconcile
    from geodisp.sources.records import read_evacuations, read_shelters
    from geodisp.estimators.shelters import summarise_shelters

    ev = tmp_path / "evacuaciones.csv"
    ev.write_text("cvegeo,fecha,personas,familias,nombre_responsable\n"
                  "12001,2025-10-10,100,,Juan Pérez\n12001,2025-10-11,80,,Juan Pérez\n"
                  "12002,2025-10-10,,10,Ana López\n", encoding="utf-8")
    alb = tmp_path / "albergues.csv"
    alb.write_text("cvegeo,id_albergue,nombre_albergue,fecha,ocupantes\n"
                   "12001,A,Escuela Benito Juárez,2025-10-01,100\n12001,A,Escuela Benito Juárez,2025-10-03,50\n"
                   "12001,B,Auditorio,2025-10-02,30\n", encoding="utf-8")
    evac = read_evacuations(ev, boundaries=None)
    shelters = read_shelters(alb, boundaries=None)
    assert evac.rejects.empty and shelters.rejects.empty
    figs = record_figures(evac.data, summarise_shelters(shelters.data), None,
                          evacuation_source=ev.name, shelter_source=alb.name)
    assert _get(figs, "12001", "evacuated") == (100, 180, 180)
    assert _get(figs, "12002", "evacuated") == pytest.approx((28.8, 36, 43.2))  # 10 households x 3.6 +-20%
    # A holds 100 from 1 Oct, B adds 30 on 2 Oct, A drops to 50 on 3 Oct: daily 100, 130, 50
    assert _get(figs, "12001", "sheltered_peak") == (130, 130, 130)
    assert _get(figs, "12001", "sheltered_person_days") == (280, 280, 280)
    assert _get(figs, "12001", "sheltered_last_date") == (50, 50, 50)
    r = reconcile(figs)
    d = r.decisions.set_index("cvegeo")
    assert d.loc["12001", "decided_by"] == "evacuated" and d.loc["12001", "decided_source"] == "evacuaciones.csv"
    text = r.figures.astype(str).to_csv()
    assert "Pérez" not in text and "Benito" not in text


def test_households_as_reported_beside_people():
    evac = _evacuations()
    figs = record_figures(evac, None, _household())
    # 12002: 10 households as reported, 30 people (x census 3.0); 15001: 5 households
    assert _get(figs, "12002", "evacuated_households") == (10, 10, 10)
    assert _get(figs, "15001", "evacuated_households") == (5, 5, 5)
    assert figs[(figs.cvegeo == "12001") & (figs.metric == "evacuated_households")].empty  # people only
    row = figs[(figs.cvegeo == "12002") & (figs.metric == "evacuated_households")].iloc[0]
    assert (row.unit, row.reported_unit, row.reported, row.role) == ("households", "household", 10, "triangulation")
    # running totals: 10 on the 10th and 6 more records on the 11th -> largest per-date total 10, sum 16
    two = pd.DataFrame({"cvegeo": ["12002", "12002"], "date": pd.to_datetime(["2025-10-10", "2025-10-11"]),
                        "people": [np.nan, np.nan], "households": [10, 6], "record": ["row 1", "row 2"]})
    cumulative = record_figures(two, None, _household(), ReconcileMethod(evacuation_records="cumulative"))
    assert _get(cumulative, "12002", "evacuated_households") == (10, 10, 16)
    assert _get(cumulative, "12002", "evacuated") == (30, 30, 48)


def test_households_figure_dates_are_those_of_the_records_giving_households():
    # 12002: people on the 9th, households on the 11th and 12th; the people figure spans
    # 9-12, the households figure only 11-12
    evac = pd.DataFrame({"cvegeo": ["12002"] * 3, "date": pd.to_datetime(["2025-10-09", "2025-10-11", "2025-10-12"]),
                         "people": [40, np.nan, np.nan], "households": [np.nan, 10, 4], "record": ["row 1", "row 2", "row 3"]})
    figs = record_figures(evac, None, _household()).set_index(["cvegeo", "metric"])
    assert tuple(figs.loc[("12002", "evacuated"), ["start_date", "end_date"]]) == ("2025-10-09", "2025-10-12")
    assert tuple(figs.loc[("12002", "evacuated_households"), ["start_date", "end_date"]]) == ("2025-10-11", "2025-10-12")
    assert figs.loc[("12002", "evacuated_households"), "central"] == 14
