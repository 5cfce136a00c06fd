"""The reconciliation rule, worked by hand unit by unit."""
import pandas as pd
import pytest

from geodisp.model.messages import Message

from geodisp.estimators.figures import concat_figures, figure_rows
from geodisp.config.methods import ReconcileMethod
from geodisp.estimators.reconcile import reconcile
from geodisp.model.vocab import OUTSIDE_KEY


def _f(key, metric, low, central, high, source):
    return figure_rows([key], metric, low, central, high, "people", "m", source)


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
        _f(OUTSIDE_KEY, "displaced_exposure", 1, 3, 6, "pop.tif"),
    ])


UNITS = pd.DataFrame({"cvegeo": ["12001", "12002", "12003", "12004", "12005"],
                      "name": ["Acapulco", "Ahuacuotzingo", "Ajuchitlán", "Alcozauca", "Alpoyeca"]})


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
    # 12004: nothing observed, the model fills in
    assert _displaced(r, "12004") == (45, 50, 50)
    assert d.loc["12004", "decided_by"] == "displaced_exposure"
    # 12005: no data at all -> gap, no displaced figure
    assert list(r.gaps["cvegeo"]) == ["12005"]
    assert r.gaps["name"].iloc[0] == "Alpoyeca"
    assert d.loc["12005", "decided_by"] == "none"
    assert not ((r.figures.cvegeo == "12005") & (r.figures.metric == "displaced")).any()
    # outside every unit: its own displaced row, no decision
    assert _displaced(r, OUTSIDE_KEY) == (1, 3, 6)
    assert OUTSIDE_KEY not in d.index
    # inputs are kept
    assert len(r.figures) == len(_figures()) + 5
    m = r.figures.loc[(r.figures.cvegeo == "12001") & (r.figures.metric == "displaced"), "method"].iloc[0]
    assert "flow" in m and "decided by evacuated" in m


def test_full_overlap_and_no_exposure_and_factor():
    r = reconcile(_figures(), UNITS, ReconcileMethod(high="full_overlap", use_exposure=False, flag_factor=20))
    assert _displaced(r, "12001") == (150, 230, 230)
    assert sorted(r.gaps["cvegeo"]) == ["12004", "12005"]
    assert "use_exposure" in r.gaps.set_index("cvegeo").loc["12004", "reason"]
    assert not r.decisions.set_index("cvegeo").loc["12001", "flag"]  # 230 / 24 < 20


def test_units_default_to_figure_keys():
    r = reconcile(_figures())
    assert len(r.decisions) == 4 and r.gaps.empty
