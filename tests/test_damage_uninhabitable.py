"""Uninhabitable dwellings read from damage censuses and carried into the housing estimate (issue #10,
item 3): destroyed and uninhabitable dwellings x the unit's household size are the central; severe and
partial damage enter the high only (severe 0.9, partial 0.25; docs/methods.md).

In Spanish *inhabitable* means NOT habitable: 'inhabitable', 'no habitable', 'pérdida de habitabilidad'
are uninhabitable, while 'habitable' is no damage level and is rejected.
"""
from __future__ import annotations

import csv

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geodisp.estimators.housing import housing_figures
from geodisp.model.vocab import DAMAGE_LEVELS
from geodisp.sources.damage import damage_vocabulary, read_damage, read_damage_counts
from geodisp.zonal.dwellings import dwellings_per_unit
from geodisp.zonal.points import assign_points

UNITS = gpd.GeoDataFrame(
    {"cvegeo": ["12001", "12002", "12003"], "name": ["Acapulco de Juárez", "Ahuacuotzingo", "Ajuchitlán del Progreso"]},
    geometry=[box(-99.95, 16.80, -99.85, 16.90), box(-99.85, 16.80, -99.75, 16.90), box(-99.75, 16.80, -99.65, 16.90)],
    crs="EPSG:4326",
).to_crs("EPSG:6372")
HOUSEHOLD = pd.DataFrame({"household_size": [4.0, 3.5], "household_size_source": ["census:12001", "census:12002"]},
                         index=pd.Index(["12001", "12002"], name="cvegeo"))


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _get(figs, key, metric):
    row = figs[(figs.cvegeo == key) & (figs.metric == metric)]
    assert len(row) == 1, (key, metric)
    return tuple(row[["low", "central", "high"]].iloc[0])


def test_vocabulary_tells_inhabitable_from_habitable():
    vocab = damage_vocabulary()
    for label in ("Inhabitable", "INHABITABLES", "Vivienda inhabitable", "Viviendas inhabitables", "No habitable",
                  "Viviendas no habitables", "Pérdida de habitabilidad", "Pérdidas de habitabilidad",
                  "Num. viviendas no habitables"):
        assert vocab.lookup(label) == "uninhabitable", label
    for label in ("Habitable", "Viviendas habitables", "Vivienda habitable"):
        assert vocab.lookup(label) is None, label  # never read as uninhabitable, nor as anything else
    assert vocab.lookup("No. de viviendas con daño total") == "destroyed"  # 'No.' abbreviating número still goes
    assert DAMAGE_LEVELS.index("uninhabitable") == DAMAGE_LEVELS.index("destroyed") + 1


def test_damage_points_with_uninhabitable_give_the_hand_worked_central_and_high(tmp_path):
    rows = [["folio", "latitud", "longitud", "condicion_de_la_vivienda"]]
    labels = (["Pérdida total"] * 2 + ["Inhabitable", "VIVIENDA NO HABITABLE", "Pérdida de habitabilidad"]
              + ["Daño severo"] * 4 + ["Daño parcial"] * 5 + ["Habitable"])
    for i, label in enumerate(labels):
        rows.append([f"F{i:02d}", f"{16.81 + 0.005 * i:.3f}", "-99.90", label])
    read = read_damage(_write(tmp_path / "danos.csv", rows))
    # the 'Habitable' row is rejected as an unknown level, never counted as uninhabitable
    assert read.rejects["record"].tolist() == ["row 15"]
    assert read.rejects["reason_code"].tolist() == ["damage_level_unknown"]
    assert read.data["damage_level"].value_counts().to_dict() == {"partial": 5, "severe": 4, "uninhabitable": 3,
                                                                  "destroyed": 2}
    placed = assign_points(read.data, UNITS, None, source="damage")
    assert placed.rejects.empty and set(placed.data["cvegeo"]) == {"12001"}
    dwellings = dwellings_per_unit(placed.data, None)
    assert dwellings["damage_level"].tolist() == ["destroyed", "uninhabitable", "severe", "partial"]
    figs = housing_figures(dwellings, HOUSEHOLD)
    # central: (2 destroyed + 3 uninhabitable) x 4.0 = 20; high: (2 + 3 + 0.9 x 4 + 0.25 x 5) x 4.0 = 39.4;
    # low: the central's dwellings at the census size (spread 0) = 20
    assert _get(figs, "12001", "displaced_housing") == pytest.approx((20.0, 20.0, 39.4))
    assert _get(figs, "12001", "households_displaced") == pytest.approx((5.0, 5.0, 9.85))
    assert _get(figs, "12001", "dwellings_uninhabitable") == (3, 3, 3)
    assert _get(figs, "12001", "dwellings_destroyed") == (2, 2, 2)
    assert _get(figs, "12001", "households_affected") == (14, 14, 14)
    assert not (figs["metric"] == "dwellings_uninhabitable").sum() > 1
    row = figs[(figs.metric == "displaced_housing")].iloc[0]
    assert row.term == "destroyed_housing" and row.reported == pytest.approx(5.0) and row.household_size == 4.0


def test_wide_counts_with_an_uninhabitable_column(tmp_path):
    path = _write(tmp_path / "concentrado.csv", [
        ["Concentrado de viviendas dañadas"],
        [],
        ["CVEGEO", "Municipio", "Pérdida total", "Viviendas inhabitables", "Daños graves", "Daño parcial"],
        ["12002", "Ahuacuotzingo", "1", "6", "10", "8"],
        ["12003", "Ajuchitlán del Progreso", "0", "4", "0", "0"],
    ])
    read = read_damage_counts(path, boundaries=UNITS, state="12")
    assert read.rejects.empty
    counts = read.data.set_index(["cvegeo", "damage_level"])["dwellings"].to_dict()
    assert counts[("12002", "uninhabitable")] == 6 and counts[("12003", "uninhabitable")] == 4
    figs = housing_figures(dwellings_per_unit(None, read.data), HOUSEHOLD)
    # 12002: central (1 + 6) x 3.5 = 24.5; high (1 + 6 + 0.9 x 10 + 0.25 x 8) x 3.5 = 18 x 3.5 = 63
    assert _get(figs, "12002", "displaced_housing") == pytest.approx((24.5, 24.5, 63.0))
    # 12003 has no census size: the national 3.6 +-20%: 4 x (2.88, 3.6, 4.32)
    assert _get(figs, "12003", "displaced_housing") == pytest.approx((11.52, 14.4, 17.28))
    term = figs[(figs.cvegeo == "12003") & (figs.metric == "displaced_housing")]["term"].iloc[0]
    assert term == "uninhabitable_housing"


def test_long_counts_with_level_values_and_an_event_legend_of_codes(tmp_path):
    words = _write(tmp_path / "largo.csv", [
        ["cvegeo", "estado_vivienda", "viviendas"],
        ["12002", "vivienda inhabitable", "2"],
        ["12002", "pérdida de habitabilidad", "3"],
        ["12002", "Habitable", "9"],
        ["12002", "Daño total", "1"],
    ])
    read = read_damage_counts(words, boundaries=UNITS)
    assert read.rejects["record"].tolist() == ["row 3"]  # 'Habitable' is no damage level
    assert read.data.set_index("damage_level")["dwellings"].to_dict() == {"destroyed": 1, "uninhabitable": 5}
    codes = _write(tmp_path / "claves.csv", [
        ["cvegeo", "cve_dano", "viviendas"],
        ["12002", "1", "1"], ["12002", "2", "6"], ["12002", "3", "10"], ["12002", "4", "8"], ["12002", "5", "3"],
    ])
    legend = {1: "destroyed", 2: "uninhabitable", 3: "severe", 4: "partial"}
    read = read_damage_counts(codes, levels=legend, boundaries=UNITS)
    assert read.rejects["reason_code"].tolist() == ["damage_code_not_in_legend"]  # code 5 is not in the legend
    figs = housing_figures(dwellings_per_unit(None, read.data), HOUSEHOLD)
    assert _get(figs, "12002", "displaced_housing") == pytest.approx((24.5, 24.5, 63.0))
