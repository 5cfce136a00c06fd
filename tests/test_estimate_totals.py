"""Totals at every level equal the sum of their parts, low, central and high separately (issue 10, item 4)."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimators.figures import concat_figures, figure_rows
from geodisp.estimators.totals import OBSERVED_METRIC, totals
from geodisp.model.ledger import LEDGER_COLUMNS, check_ledger
from geodisp.model.vocab import OUTSIDE_KEY
from geodisp.outputs.i18n import language


def _units():
    """Localities in two municipios of Guerrero (12) and one of Oaxaca (20); one unit modelled."""
    return concat_figures([
        figure_rows(["120010001"], "displaced", 10, 20, 40, "people", "e", "evac.csv", term="evacuated",
                    quantifier="exact", start_date="2025-10-08", start_date_accuracy="day",
                    end_date="2025-10-10", end_date_accuracy="day"),
        figure_rows(["120010002"], "displaced", 1.5, 2.5, 3.5, "people", "h", "danos.gpkg", term="destroyed_housing",
                    reported_unit="household", household_size=2.5, start_date="2025-10-09", start_date_accuracy="day"),
        figure_rows(["120020001"], "displaced", 30, 60, 90, "people", "m", "pop.tif", modelled=True,
                    start_date="2025-10-07", start_date_accuracy="month"),
        figure_rows(["200010001"], "displaced", 5, 5, 50, "people", "s", "albergues.csv", term="sheltered",
                    quantifier="more_than"),
        figure_rows(["120010001", "120010002", "200010001"], "evacuated", [20, np.nan, 7], [20, np.nan, 7],
                    [20, np.nan, 7], "people", "r", "evac.csv"),
        figure_rows(["120010002"], "dwellings_destroyed", 1, 1, 1, "dwellings", "c", "danos.gpkg"),
        figure_rows([OUTSIDE_KEY], "displaced", 7, 7, 7, "people", "o", "pop.tif", modelled=True),
    ])


def _row(t, level, key, metric):
    rows = t[(t.level == level) & (t.cvegeo == key) & (t.metric == metric)]
    assert len(rows) == 1, (level, key, metric)
    return rows.iloc[0]


def test_every_level_is_the_sum_of_the_level_below():
    units = _units()
    t = totals(units, event_id="MX-2025-000001")
    check_ledger(t)
    assert list(t.columns) == LEDGER_COLUMNS
    assert set(t.level) == {"mun", "ent", "national", "event"}
    parts = {"mun": units[units.level == "loc"], "ent": t[t.level == "mun"], "national": t[t.level == "ent"],
             "event": t[t.level == "national"]}
    cut = {"mun": 5, "ent": 2}
    for level, below in parts.items():
        for rec in t[t.level == level].itertuples():
            if level in cut:
                mine = below[below.cvegeo.str[: cut[level]] == rec.cvegeo]
            else:
                mine = below
            if rec.metric == OBSERVED_METRIC and level == "mun":
                mine = mine[(mine.metric == "displaced") & ~mine.modelled]
            else:
                mine = mine[mine.metric == rec.metric]
            for part in ("low", "central", "high"):
                expected = mine[part].sum(min_count=1)
                got = getattr(rec, part)
                assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected, rel=1e-12), \
                    (level, rec.cvegeo, rec.metric, part)


def test_totals_by_hand():
    t = totals(_units(), event_id="MX-2025-000001")
    # municipio 12001 = its two localities; 12002 is modelled only
    assert tuple(_row(t, "mun", "12001", "displaced")[["low", "central", "high"]]) == (11.5, 22.5, 43.5)
    assert tuple(_row(t, "ent", "12", "displaced")[["low", "central", "high"]]) == (41.5, 82.5, 133.5)
    # observed headline leaves the modelled locality out; observed + modelled keeps it
    assert tuple(_row(t, "ent", "12", OBSERVED_METRIC)[["low", "central", "high"]]) == (11.5, 22.5, 43.5)
    assert not _row(t, "ent", "12", OBSERVED_METRIC).modelled and _row(t, "ent", "12", "displaced").modelled
    nat = _row(t, "national", "MEX", "displaced")
    assert (nat.low, nat.central, nat.high) == (46.5, 87.5, 183.5)  # outside (7) never added
    assert _row(t, "national", "MEX", OBSERVED_METRIC).central == 27.5
    ev = _row(t, "event", "MX-2025-000001", "displaced")
    assert (ev.low, ev.central, ev.high, ev.role, ev.method) == (46.5, 87.5, 183.5, "recommended", "sum")
    # dates span the parts; quantifiers: exact + more than is more than, anything approximate is approximate
    assert (ev.start_date, ev.start_date_accuracy, ev.end_date) == ("2025-10-07", "month", "2025-10-10")
    assert _row(t, "ent", "20", "displaced").quantifier == "more_than"
    assert ev.quantifier == "approximately"
    # one household size across the parts is kept; different sizes make the total a count of persons
    assert _row(t, "mun", "12001", "displaced").reported_unit == "person"
    # a total over parts all without a figure stays empty; partial gaps are said
    assert "1 without a figure" in language("en").messages(_row(t, "mun", "12001", "evacuated").calculation)
    assert "1 sin cifra, no contada" in language("es").messages(_row(t, "mun", "12001", "evacuated").calculation)
    assert _row(t, "mun", "12001", "evacuated").central == 20
    assert _row(t, "national", "MEX", "dwellings_destroyed").unit == "dwellings"
    assert set(t.loc[t.level == "ent", "cvegeo"]) == {"12", "20"}


def test_municipio_units_get_no_municipio_rows_and_empty_input():
    f = figure_rows(["12001", "12002"], "displaced", 1, 2, 3, "people", "x", "y")
    t = totals(f)
    assert set(t.level) == {"ent", "national", "event"}
    assert _row(t, "event", "event", "displaced").central == 4
    assert totals(f.iloc[:0]).empty
