"""Records of several states in one file: a state column restricts name matching row by row."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geodisp.sources.records import read_evacuations, read_shelters


def units() -> gpd.GeoDataFrame:
    rows = [("12001", "San Juan"), ("12002", "Costa Grande"), ("20001", "San Juan"), ("20002", "Pinotepa")]
    return gpd.GeoDataFrame({"cvegeo": [k for k, _ in rows], "name": [n for _, n in rows]},
                            geometry=[box(i, 0, i + 1, 1) for i in range(len(rows))], crs="EPSG:6372")


def test_a_state_column_resolves_names_shared_by_two_states(tmp_path):
    path = tmp_path / "evacuaciones.csv"
    pd.DataFrame({
        "estado": ["Guerrero", "20", "", "Atlantis", "12"],
        "municipio": ["San Juan", "SAN JUAN", "San Juan", "Pinotepa", "Pinotepa"],
        "personas": [10, 20, 30, 40, 50],
    }).to_csv(path, index=False)
    data, rejects, _ = read_evacuations(path, boundaries=units())
    assert list(zip(data["cvegeo"], data["people"])) == [("12001", 10), ("20001", 20)]
    reasons = dict(zip(rejects["record"], rejects["reason_code"]))
    # no state: both San Juan match, never guessed; an unknown state; Pinotepa is not in state 12
    assert reasons == {"row 3": "unit_name_ambiguous", "row 4": "state_unknown", "row 5": "unit_name_other_state"}


def test_an_estado_column_that_is_a_status_is_not_a_state(tmp_path):
    path = tmp_path / "albergues.csv"
    pd.DataFrame({
        "albergue_id": ["A", "B"], "municipio": ["Costa Grande", "Pinotepa"], "estado": ["abierto", "cerrado"],
        "fecha": ["2024-06-15", "2024-06-15"], "ocupantes": [5, 6],
    }).to_csv(path, index=False)
    data, rejects, _ = read_shelters(path, boundaries=units())
    assert list(data["cvegeo"]) == ["12002", "20002"] and rejects.empty
