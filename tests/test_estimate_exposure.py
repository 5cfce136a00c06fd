"""Exposure-based displacement: hand-worked rates and sums."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimators.exposure import class_rates, exposure_figures
from geodisp.config.methods import ExposureMethod
from geodisp.model.vocab import OUTSIDE_KEY
from geodisp.outputs.i18n import language


def _tc_classes(lower=(34, 64, 96, 137), upper=(63, 82, 112, np.nan)):
    return pd.DataFrame({"hazard_class": [1, 2, 3, 4], "label": ["TS", "Cat 1", "Cat 3", "Cat 5"],
                         "lower": lower, "upper": upper})


def _exposed():
    return pd.DataFrame(
        [("12001", 0, 1000.0), ("12001", 1, 200.0), ("12001", 2, 100.0), ("12001", 3, 10.0),
         ("12002", 4, 50.0), (OUTSIDE_KEY, 2, 20.0)],
        columns=["cvegeo", "hazard_class", "people"],
    )


def _get(figs, key, metric):
    row = figs[(figs.cvegeo == key) & (figs.metric == metric)]
    assert len(row) == 1, (key, metric)
    return tuple(row[["low", "central", "high"]].iloc[0])


def test_rates_by_intensity_midpoint():
    r = class_rates(_tc_classes(), "tropical_cyclone", intensity_units="kt").set_index("hazard_class")
    # midpoints 48.5, 73, 104 kt and the open top class at 137 kt
    assert tuple(r.loc[1, ["low", "central", "high"]]) == (0.0, 0.0, 0.01)
    assert tuple(r.loc[2, ["low", "central", "high"]]) == (0.05, 0.15, 0.30)
    assert tuple(r.loc[3, ["low", "central", "high"]]) == (0.60, 0.90, 1.0)
    assert tuple(r.loc[4, ["low", "central", "high"]]) == (0.90, 1.0, 1.0)
    assert "Category 1" in r.loc[2, "basis"] and "InaSAFE" in r.loc[2, "basis"]


def test_exposure_hand_worked():
    figs = exposure_figures(_exposed(), _tc_classes(), "tropical_cyclone", source="worldpop.tif", intensity_units="kt")
    # 12001: 200 x (0, 0, .01) + 100 x (.05, .15, .3) + 10 x (.6, .9, 1)
    assert _get(figs, "12001", "displaced_exposure") == pytest.approx((11, 24, 42))
    assert _get(figs, "12001", "exposed") == (310, 310, 310)
    assert _get(figs, "12001", "exposed_class_2") == (100, 100, 100)
    assert _get(figs, "12002", "displaced_exposure") == pytest.approx((45, 50, 50))
    assert _get(figs, "12002", "exposed_class_1") == (0, 0, 0)
    # people outside every unit keep their own row
    assert _get(figs, OUTSIDE_KEY, "displaced_exposure") == pytest.approx((1, 3, 6))
    m = language("en").messages(figs.loc[figs.metric == "displaced_exposure", "calculation"].iloc[0])
    assert "flow" in m and "class 2 (Cat 1): 0.05/0.15/0.3" in m and "Saffir-Simpson" in m
    es = language("es").messages(figs.loc[figs.metric == "displaced_exposure", "calculation"].iloc[0])
    assert "clase 2 (Cat 1): 0.05/0.15/0.3" in es and "(Ciclón tropical)" in es and "flujo" in es
    row = figs[figs.metric == "displaced_exposure"].iloc[0]
    assert (row.method, row.modelled, row.term, row.role) == ("exposure", True, "displaced", "triangulation")


def test_units_converted():
    # the same classes in km/h: 119-153 km/h has midpoint 136 km/h = 73.4 kt -> Category 1
    kmh = _tc_classes(lower=(63, 119, 178, 252), upper=(117, 153, 208, np.nan))
    r = class_rates(kmh, "tropical_cyclone", intensity_units="km/h").set_index("hazard_class")
    assert r.loc[2, "central"] == 0.15 and r.loc[3, "central"] == 0.9 and r.loc[4, "central"] == 1.0


def test_rank_fallback_without_bounds_or_with_unknown_units():
    flood = pd.DataFrame({"hazard_class": [1, 2, 3], "label": ["bajo", "medio", "alto"],
                          "lower": [np.nan] * 3, "upper": [np.nan] * 3})
    r = class_rates(flood, "flood")
    # 4 non-zero rows of the depth table; class i of 3 -> row ceil(4i/3) = 2, 3, 4
    assert list(r["central"]) == [0.01, 0.03, 0.05]
    assert list(r["high"]) == [1.0, 1.0, 1.0]
    assert r["basis"].str.contains("by rank").all()
    odd = class_rates(_tc_classes(), "tropical_cyclone", intensity_units="furlongs/fortnight")
    assert odd["basis"].str.contains("not convertible").all()
    # 6 non-zero rows, 4 classes -> rows ceil(6i/4) = 2, 3, 5, 6: Cat 1, Cat 2, Cat 4, Cat 5
    assert list(odd["central"]) == [0.15, 0.65, 0.99, 1.0]
    generic = class_rates(flood, "wildfire")
    assert list(generic["central"]) == [0.0, 0.5, 1.0]


def test_event_overrides():
    params = ExposureMethod(class_rates={4: [0.1, 0.2, 0.3]})
    figs = exposure_figures(_exposed(), _tc_classes(), "tropical_cyclone", params, intensity_units="kt")
    assert _get(figs, "12002", "displaced_exposure") == pytest.approx((5, 10, 15))
    own = ExposureMethod(rates=[{"start": 0, "low": 0, "central": 0, "high": 0},
                                {"start": 90, "low": 0.5, "central": 0.5, "high": 0.5}], rates_units="kt")
    r = class_rates(_tc_classes(), "tropical_cyclone", own, "kt")
    assert list(r["central"]) == [0, 0, 0.5, 0.5]


def test_hazard_type_from_classes_and_unknown_class():
    classes = _tc_classes().assign(hazard_type="tropical_cyclone")
    figs = exposure_figures(_exposed(), classes, None, intensity_units="kt")
    assert _get(figs, "12001", "displaced_exposure") == pytest.approx((11, 24, 42))
    bad = _exposed()
    bad.loc[0, "hazard_class"] = 9
    with pytest.raises(ValueError, match=r"classes \[9\]"):
        exposure_figures(bad, classes, None)


@pytest.mark.parametrize(
    "labels, units, central",
    [
        (["34-49 kt", "50-63 kt", "64 kt or more"], None, [0.0, 0.0, 0.15]),      # midpoints 41.5, 56.5; 64
        (["Tormenta tropical", "Categoría 1", "Categoría 3"], None, [0.0, 0.15, 0.9]),
        (["34", "50", "64"], "kt", [0.0, 0.0, 0.15]),                               # wind swath thresholds
        (["119-153 km/h", "178-208 km/h", "≥ 252 km/h"], None, [0.15, 0.9, 1.0]),
    ],
)
def test_class_labels_carrying_intensities_pick_the_rates(labels, units, central):
    """A class field whose labels state intensities: ranking would give Category 1, 3 and 5 rows."""
    classes = pd.DataFrame({"hazard_class": [1, 2, 3], "label": labels, "lower": np.nan, "upper": np.nan})
    r = class_rates(classes, "tropical_cyclone", intensity_units=units)
    assert list(r["central"]) == central
    assert not r["by_rank"].any()
    assert "read from the class label" in r["basis"].iloc[0]
    ranked = class_rates(classes.assign(label=["bajo", "medio", "alto"]), "tropical_cyclone")
    assert ranked["by_rank"].all() and list(ranked["central"]) == [0.15, 0.9, 1.0]


def test_mmi_and_depth_labels():
    mmi = pd.DataFrame({"hazard_class": [1, 2, 3], "label": ["VI", "VII", "VIII"], "lower": np.nan, "upper": np.nan})
    assert list(class_rates(mmi, "earthquake")["central"]) == [0.0, 0.1, 0.5]
    depth = pd.DataFrame({"hazard_class": [1, 2], "label": ["0.1-0.5 m", "0.5-1.5 m"], "lower": np.nan, "upper": np.nan})
    assert list(class_rates(depth, "flood")["central"]) == [0.01, 0.03]  # midpoints 0.3 m, 1.0 m (0.7-1.5 m row)
    # class numbers are not intensities, even with a unit
    nums = pd.DataFrame({"hazard_class": [1, 2, 3], "label": ["1", "2", "3"], "lower": np.nan, "upper": np.nan})
    assert class_rates(nums, "tropical_cyclone", intensity_units="kt")["by_rank"].all()


def test_rates_by_rank_are_said_in_the_run_notes():
    from geodisp.estimators import estimate_all
    from geodisp.outputs import i18n

    exposed = pd.DataFrame({"cvegeo": ["12001", "12001"], "hazard_class": [1, 2], "people": [100.0, 50.0]})
    ranked = pd.DataFrame({"hazard_class": [1, 2], "label": ["bajo", "alto"], "lower": np.nan, "upper": np.nan})
    est = estimate_all(exposed=exposed, classes=ranked, hazard_type="tropical_cyclone")
    assert est.notes == [("rates_by_rank", {"classes": "1 (bajo), 2 (alto)", "hazard": "tropical_cyclone"})]
    text = i18n.note_text(est.notes[0], "es")
    assert "por rango" in text and "1 (bajo), 2 (alto)" in text
    labelled = ranked.assign(label=["64-82 kt", "96-112 kt"])
    assert estimate_all(exposed=exposed, classes=labelled, hazard_type="tropical_cyclone").notes == []
