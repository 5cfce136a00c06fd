"""Sectoral figures: census shares with parent fallback, facility counts."""
import numpy as np
import pandas as pd
import pytest

from geodisp.estimators.figures import concat_figures, figure_rows
from geodisp.config.methods import SectoralMethod
from geodisp.estimators.sectoral import census_shares, facility_figures, sectoral_figures
from geodisp.outputs.i18n import language


def _census():
    cols = ["pobtot", "pobfem", "pobmas", "p_0a2", "p_3a5", "p_6a11", "p_12a14", "p_15a17",
            "p_18a24", "p_25a59", "p_60ymas", "pcon_disc", "p3ym_hli"]
    rows = {
        "12001": [1000, 520, 480, 50, 60, 120, 60, 60, 100, 400, 100, np.nan, 200],  # disability suppressed
        "12": [10000, 5100, 4900, 400, 500, 1100, 600, 600, 1200, 4600, 1000, 500, 1500],
        "12002": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # created after the census: no people
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols).rename_axis("cvegeo")


def _displaced():
    return concat_figures([
        figure_rows(["12001"], "displaced", 150, 230, 290.4, "people", "m", "evac.csv"),
        figure_rows(["12002"], "displaced", 80, 80, 80, "people", "m", "albergues.csv"),
        figure_rows(["15001"], "displaced", 10, 10, 10, "people", "m", "pop.tif"),
    ])


def _get(figs, key, metric):
    row = figs[(figs.cvegeo == key) & (figs.metric == metric)]
    assert len(row) == 1, (key, metric)
    return row.iloc[0]


def test_shares_by_hand_with_parent_fallback():
    figs = sectoral_figures(_displaced(), _census(), source="iter.csv")
    fem = _get(figs, "12001", "displaced_female")
    assert (fem.low, fem.central, fem.high) == pytest.approx((150 * 0.52, 230 * 0.52, 290.4 * 0.52))
    assert fem.source == "iter.csv:12001"
    # 18-59 from the component groups 18-24 + 25-59 = 500 of 1000
    assert _get(figs, "12001", "displaced_age_18_59").central == pytest.approx(115)
    # disability suppressed in 12001: the state's share 500 / 10000
    dis = _get(figs, "12001", "displaced_disability")
    assert dis.central == pytest.approx(11.5)
    assert dis.source == "iter.csv:parent:12"
    assert "parent 12" in language("en").messages(dis.calculation) and "suppressed" in language("en").messages(dis.calculation)
    assert "unidad superior 12" in language("es").messages(dis.calculation)
    # 12002 has POBTOT 0: every share from the state
    assert _get(figs, "12002", "displaced_female").central == pytest.approx(80 * 0.51)
    assert _get(figs, "12002", "displaced_age_0_2").central == pytest.approx(80 * 0.04)
    # 15001: no census row or parent at all -> NaN, said in the method
    none = _get(figs, "15001", "displaced_indigenous_language")
    assert np.isnan(none.central) and "not estimated" in language("en").messages(none.calculation)
    assert len(figs) == 3 * 11


def test_other_18_59_spellings():
    c = pd.DataFrame({"pobtot": [100], "p_18ymas": [70], "p_60ymas": [10]}, index=["01001"])
    share, cols = census_shares(c, ["age_18_59"])["age_18_59"]
    assert share["01001"] == pytest.approx(0.6) and cols == "p_18ymas - p_60ymas"
    c = pd.DataFrame({"POBTOT": [100], "P_18A59": [55]}, index=["01001"])
    assert census_shares(c, ["age_18_59"])["age_18_59"][0]["01001"] == pytest.approx(0.55)


def test_groups_subset_and_disabled():
    figs = sectoral_figures(_displaced(), _census(), SectoralMethod(groups=["male"]))
    assert set(figs.metric) == {"displaced_male"}
    assert sectoral_figures(_displaced(), _census(), SectoralMethod(enabled=False)).empty
    assert sectoral_figures(_displaced(), None).empty


def test_facilities_per_unit_and_class():
    pts = pd.DataFrame({
        "cvegeo": ["12001", "12001", "12001", "12002"],
        "hazard_class": [0, 2, 2, 1],
        "tipo": ["Escuela", "Escuela", "Centro de Salud", "escuela"],
        "name": ["Esc. Benito Juárez", "Esc. Hidalgo", "CS Centro", "Esc. Morelos"],
    })
    figs = facility_figures(pts, "escuelas.gpkg", type_column="tipo")
    f = figs.set_index(["cvegeo", "metric"])["central"]
    assert f[("12001", "facilities_escuela")] == 2
    assert f[("12001", "facilities_escuela_class_2")] == 1
    assert f[("12002", "facilities_escuela_class_1")] == 1
    assert f[("12001", "facilities_centro_de_salud_class_2")] == 1
    assert set(figs.unit) == {"facilities"}
    assert not figs.astype(str).apply(lambda c: c.str.contains("Hidalgo")).any().any()
