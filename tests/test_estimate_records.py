"""Civil Protection records: hand-worked evacuation and shelter figures."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimate.params import ReconcileMethod
from geodisp.estimate.records import record_figures


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
    assert "2025-10-15" in f.loc[("12001", "sheltered_last_date"), "method"]
    assert "stock" in f.loc[("12001", "sheltered_last_date"), "method"]
    assert "flow" in f.loc[("12001", "evacuated"), "method"]
    assert "households only" in f.loc[("15001", "evacuated"), "method"]


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
