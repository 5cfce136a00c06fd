"""The reconciliation rules, worked by hand unit by unit (docs/methods.md, section 4)."""
import numpy as np
import pandas as pd
import pytest

from geodisp.model.messages import Message

from geodisp.estimators.figures import concat_figures, figure_rows
from geodisp.config.methods import ReconcileMethod
from geodisp.estimators.reconcile import reconcile
from geodisp.model.vocab import OUTSIDE_KEY
from geodisp.outputs.i18n import language


def _f(key, metric, low, central, high, source):
    return figure_rows([key], metric, low, central, high, "people", "m", source,
                       **({"household_size": 4.0} if metric == "displaced_housing" else {}))


def _figures():
    return concat_figures([
        _f("12001", "evacuated", 150, 230, 230, "evac.csv"),
        _f("12001", "sheltered_peak", 60, 60, 60, "albergues.csv"),
        _f("12001", "displaced_housing", 40, 48, 60.4, "danos.gpkg"),
        _f("12001", "displaced_exposure", 11, 24, 42, "pop.tif"),
        _f("12002", "evacuated", 50, 50, 50, "evac.csv"),
        _f("12002", "sheltered_peak", 80, 80, 80, "albergues.csv"),
        _f("12002", "displaced_exposure", 70, 70, 70, "pop.tif"),
        _f("12003", "displaced_housing", 6.3, 7, 7.7, "danos.gpkg"),
        _f("12003", "displaced_exposure", 1, 2, 3, "pop.tif"),
        _f("12004", "displaced_exposure", 45, 50, 50, "pop.tif"),
        _f("12006", "sheltered_peak", 80, 80, 80, "albergues.csv"),
        _f("12006", "displaced_exposure", 2000, 3200, 4500, "pop.tif"),
        _f("12007", "evacuated", 100, 120, 130, "evac.csv"),
        _f("12007", "displaced_housing", 150, 200, 260, "danos.gpkg"),
        _f(OUTSIDE_KEY, "displaced_exposure", 1, 3, 6, "pop.tif"),
    ])


UNITS = pd.DataFrame({"cvegeo": ["12001", "12002", "12003", "12004", "12005", "12006", "12007"],
                      "name": ["Acapulco", "Ahuacuotzingo", "Ajuchitlán", "Alcozauca", "Alpoyeca", "Apaxtla",
                               "Arcelia"]})


def _displaced(result, key):
    f = result.figures
    row = f[(f.cvegeo == key) & (f.metric == "displaced")]
    assert len(row) == 1
    return tuple(row[["low", "central", "high"]].iloc[0])


def test_rule_by_hand():
    r = reconcile(_figures(), UNITS)
    d = r.decisions.set_index("cvegeo")
    # 12001: records = evacuated (230 > 60 in shelters); larger of records and housing (48);
    # low = max(150, 40); high = 230 + 60.4 (records and housing may be different people)
    assert _displaced(r, "12001") == pytest.approx((150, 230, 290.4))
    assert d.loc["12001", "decided_by"] == "evacuated"
    assert d.loc["12001", "decided_source"] == "evac.csv"
    # the model is triangulation here: shown beside the figure with the disagreement factor
    assert d.loc["12001", "model_ratio"] == pytest.approx(24 / 230)
    assert not d.loc["12001", "modelled"] and d.loc["12001", "quantifier"] == "exact"
    # 230 vs 24 from exposure: more than x3 apart and more than 10 people
    assert d.loc["12001", "flag"]
    # the reason is a message code with its figures; the writers render it in the run's language
    assert Message.parse(d.loc["12001", "flag_reason"]).code == "flag_sources_differ"
    assert "displaced_exposure:24" in Message.parse(d.loc["12001", "flag_reason"]).params["figures"]
    # 12002: 80 in shelters but only 50 evacuated recorded: shelters are a subset, so 80, not 130
    assert _displaced(r, "12002") == (80, 80, 80)
    assert d.loc["12002", "decided_by"] == "sheltered_peak"
    assert not d.loc["12002", "flag"]
    # 12003: housing only (exposure ignored where housing exists); 7 vs 2 is x3.5 but only 5 people apart
    assert _displaced(r, "12003") == pytest.approx((6.3, 7, 7.7))
    assert d.loc["12003", "decided_by"] == "displaced_housing"
    assert not d.loc["12003", "flag"]
    # 12004: no record at all: the model fills in, marked modelled
    assert _displaced(r, "12004") == (45, 50, 50)
    assert d.loc["12004", "decided_by"] == "displaced_exposure"
    assert d.loc["12004", "modelled"] and np.isnan(d.loc["12004", "model_ratio"])
    row = r.figures[(r.figures.cvegeo == "12004") & (r.figures.metric == "displaced")].iloc[0]
    assert (row.modelled, row.role, row.term, row.quantifier) == (True, "recommended", "displaced", "approximately")
    # 12005: no data at all -> no displaced figure
    assert r.missing == ["12005"]
    assert d.loc["12005", "decided_by"] == "none"
    # 12006: a shelter count alone is a lower bound: low = central = 80, high from the model (x40)
    assert _displaced(r, "12006") == (80, 80, 4500)
    assert d.loc["12006", "decided_by"] == "sheltered_peak" and not d.loc["12006", "modelled"]
    assert d.loc["12006", "quantifier"] == "more_than"
    assert d.loc["12006", "model_ratio"] == pytest.approx(40)
    row = r.figures[(r.figures.cvegeo == "12006") & (r.figures.metric == "displaced")].iloc[0]
    assert row.term == "sheltered" and "×40" in language("en").messages(row.calculation)
    # 12007: evacuations and housing overlap: the larger (housing 200) as central, their sum as high
    assert _displaced(r, "12007") == (150, 200, 390)
    row = r.figures[(r.figures.cvegeo == "12007") & (r.figures.metric == "displaced")].iloc[0]
    assert (row.term, row.reported_unit, row.household_size) == ("destroyed_housing", "household", 4.0)
    assert not ((r.figures.cvegeo == "12005") & (r.figures.metric == "displaced")).any()
    # outside every unit: its own displaced row, no decision
    assert _displaced(r, OUTSIDE_KEY) == (1, 3, 6)
    assert OUTSIDE_KEY not in d.index
    # inputs are kept
    assert len(r.figures) == len(_figures()) + 7
    m = language("en").messages(r.figures.loc[(r.figures.cvegeo == "12001") & (r.figures.metric == "displaced"), "calculation"].iloc[0])
    assert "flow" in m and "decided by “People evacuated”" in m
    assert set(r.figures.loc[r.figures.metric == "displaced", "method"]) == {"reconciled"}


def test_full_overlap_and_no_exposure_and_factor():
    r = reconcile(_figures(), UNITS, ReconcileMethod(high="full_overlap", use_exposure=False, flag_factor=20))
    assert _displaced(r, "12001") == (150, 230, 230)
    assert _displaced(r, "12007") == (150, 200, 260)
    assert sorted(r.missing) == ["12004", "12005"]
    # without the model a shelter-only unit has no other evidence for a high
    assert _displaced(r, "12006") == (80, 80, 80)
    assert not r.decisions.set_index("cvegeo").loc["12001", "flag"]  # 230 / 24 < 20


def test_units_default_to_figure_keys():
    r = reconcile(_figures())
    assert len(r.decisions) == 6 and r.missing == []
