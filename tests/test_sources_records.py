"""Civil Protection records: name matching within the state, rejects with reasons, shelter series summary."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodisp.estimators.shelters import summarise_shelters
from geodisp.model.errors import InputError
from geodisp.sources.messages import render_rejects
from geodisp.sources.records import read_evacuations, read_shelters


def reasons_en(rejects: pd.DataFrame) -> dict[str, str]:
    """Record → reason rendered in English from its code."""
    rendered = render_rejects(rejects, "en")
    return dict(zip(rendered["record"], rendered["reason"]))


def notes_en(notes: tuple) -> list[str]:
    return [n.render("en") for n in notes]


def units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "cvegeo": ["12001", "12029", "12053", "12080", "13053", "12028"],
            "name": ["Acapulco de Juárez", "Chilpancingo de los Bravo", "San Marcos", "San Marcos", "San Marcos", "Chilapa de Álvarez"],
        },
        geometry=[box(-100.0, 16.7, -99.7, 17.0), box(-99.6, 17.4, -99.4, 17.6), box(-99.4, 16.7, -99.3, 16.8),
                  box(-99.2, 16.7, -99.1, 16.8), box(-99.0, 20.0, -98.9, 20.1), box(-99.2, 17.5, -99.1, 17.6)],
        crs="EPSG:4326",
    ).to_crs("EPSG:6372")


EVACUATIONS = """municipio,fecha,personas,familias,nombre_responsable,telefono
ACAPULCO DE JUAREZ,01/10/2024,1200,300,Juan Pérez,744 123 4567
chilpancingo de los bravo,2024-10-02,,50,Ana,744 222 3333
San Marcos,01/10/2024,10,2,,
Acapulko,01/10/2024,5,1,,
Chilapa de Álvarez,32/13/2024,5,1,,
Chilapa de Alvarez,02/10/2024,,,,
Chilapa de Alvarez,02/10/2024,-4,,,
ACAPULCO DE JUAREZ,01/10/2024,1200,300,Juan Pérez,744 123 4567
,01/10/2024,3,1,,
12028,03/10/2024,40,10,,
28,3 de octubre de 2024,41,10,,
"""


def test_evacuations_each_defect(tmp_path: Path) -> None:
    path = tmp_path / "evac.csv"
    path.write_text(EVACUATIONS, encoding="utf-8")
    data, rejects, notes = read_evacuations(path, boundaries=units(), state="12")
    assert list(data["record"]) == ["row 1", "row 2", "row 10", "row 11"]
    assert list(data["cvegeo"]) == ["12001", "12029", "12028", "12028"]
    assert list(data["date"]) == [pd.Timestamp("2024-10-01"), pd.Timestamp("2024-10-02"), pd.Timestamp("2024-10-03"), pd.Timestamp("2024-10-03")]
    assert data["people"].tolist()[0] == 1200 and np.isnan(data["people"].tolist()[1])
    assert data["households"].tolist() == [300, 50, 10, 10]
    assert reasons_en(rejects) == {
        "row 3": "ambiguous municipio name 'San Marcos' (matches: 12053 San Marcos, 12080 San Marcos)",
        "row 4": "unknown municipio name 'Acapulko' (closest: 12001 Acapulco de Juárez)",
        "row 5": "impossible or unreadable date '32/13/2024' in column 'fecha'",
        "row 6": "no people or households",
        "row 7": "negative people ('-4')",
        "row 8": "duplicate of row 1",
        "row 9": "missing municipio",
    }
    assert set(rejects["source"]) == {"evacuations"}
    assert "Pérez" not in data.to_csv() + rejects.to_csv()
    assert list(data.columns) == ["cvegeo", "date", "people", "households", "record"]


def test_evacuations_other_state_name_not_matched(tmp_path: Path) -> None:
    path = tmp_path / "evac.csv"
    path.write_text("municipio;personas\nSan Marcos;5\n13053;3\n", encoding="cp1252")
    data, rejects, notes = read_evacuations(path, boundaries=units(), state="13")
    assert list(data["cvegeo"]) == ["13053", "13053"] and rejects.empty
    data, rejects, notes = read_evacuations(path, boundaries=units(), state="12")
    assert list(reasons_en(rejects).values()) == [
        "ambiguous municipio name 'San Marcos' (matches: 12053 San Marcos, 12080 San Marcos)",
        "municipio key '13053' is outside state 12",
    ]


def shelter_rows() -> pd.DataFrame:
    d = dt.datetime
    rows = [
        ("A1", "Escuela Benito Juárez", "Acapulco de Juárez", "16.85", "-99.85", d(2024, 10, 1), "100", "Luis Gómez", "744 100 2000"),
        ("A1", "Escuela Benito Juárez", "Acapulco de Juárez", "16.85", "-99.85", d(2024, 10, 3), "50", "Luis Gómez", "744 100 2000"),
        ("A1", "Escuela Benito Juárez", "Acapulco de Juárez", "16.85", "-99.85", d(2024, 10, 3), "50", "Luis Gómez", "744 100 2000"),
        ("B1", "Auditorio, Av. Juárez s/n", "acapulco de juarez", "", "", d(2024, 10, 2), "30", "", ""),
        ("C1", "Deportivo", "", "17.5", "-99.5", d(2024, 10, 2), "20", "", ""),
        ("D1", "Iglesia", "12001", "-99.85", "16.9", d(2024, 10, 4), "10", "", ""),
        ("E1", "Casa ejidal", "Acapulco de Juárez", "0", "0", d(2024, 10, 2), "N/D", "", ""),
        ("F1", "Salón", "Chilpancingo de los Bravo", "40.0", "-3.0", d(2024, 10, 2), "15", "", ""),
        ("G1", "Bodega", "Acapulco de Juárez", "", "", None, "5", "", ""),
        ("", "", "Acapulco de Juárez", "", "", d(2024, 10, 2), "5", "", ""),
    ]
    return pd.DataFrame(rows, columns=["id_albergue", "nombre_albergue", "municipio", "latitud", "longitud", "fecha", "ocupantes", "responsable", "telefono"])


def test_shelters_read_and_summarised(tmp_path: Path) -> None:
    path = tmp_path / "albergues.xlsx"
    shelter_rows().to_excel(path, index=False)
    data, rejects, notes = read_shelters(path, boundaries=units(), state="12")
    assert list(data["record"]) == ["row 1", "row 2", "row 4", "row 5", "row 6", "row 8"]
    assert list(data["cvegeo"]) == ["12001", "12001", "12001", "12029", "12001", "12029"]
    assert list(data["occupants"]) == [100, 50, 30, 20, 10, 15]
    assert data.loc[2, "name"] == "Auditorio, Av. Juárez s/n"  # a public building's address is not personal
    assert list(data.columns) == ["shelter_id", "name", "cvegeo", "date", "occupants", "capacity", "over_capacity",
                                  "shelters", "x", "y", "record"]
    assert reasons_en(rejects) == {
        "row 3": "duplicate of row 2 (same shelter and date)",
        "row 7": "missing occupants",
        "row 9": "missing date",
        "row 10": "no shelter id or name",
    }
    # coordinates: usable ones in EPSG:6372, the swapped one fixed, the bad one dropped with a note
    expected = gpd.GeoSeries([Point(-99.85, 16.85), Point(-99.85, 16.9)], crs="EPSG:4326").to_crs("EPSG:6372")
    assert (data.loc[0, "x"], data.loc[0, "y"]) == pytest.approx((expected.iloc[0].x, expected.iloc[0].y))
    assert (data.loc[4, "x"], data.loc[4, "y"]) == pytest.approx((expected.iloc[1].x, expected.iloc[1].y))
    assert np.isnan(data.loc[2, "x"]) and np.isnan(data.loc[5, "x"])
    notes = notes_en(notes)
    assert "municipio taken from the coordinates in 1 record: row 5" in notes
    assert "latitude and longitude swapped and fixed in 1 record: row 6" in notes
    assert "coordinates ignored in 2 records (the row is used without a location): row 7, row 8" in notes
    assert any("'responsable'" in n for n in notes) and any("'telefono'" in n for n in notes)
    assert "Gómez" not in data.to_csv() + rejects.to_csv() + " ".join(notes)

    summary = summarise_shelters(data)
    assert summary.loc["12001"].to_dict() == {
        "shelters": 3, "peak_occupants": 130.0, "person_days": 290.0, "first_date": pd.Timestamp("2024-10-01"),
        "last_date": pd.Timestamp("2024-10-04"), "occupants_last_date": 10.0,
    }
    assert summary.loc["12029"].to_dict() == {
        "shelters": 2, "peak_occupants": 35.0, "person_days": 35.0, "first_date": pd.Timestamp("2024-10-02"),
        "last_date": pd.Timestamp("2024-10-02"), "occupants_last_date": 35.0,
    }
    # the naive sum of reports would say 190 people in 12001; the series says at most 130 at once
    assert data.loc[data["cvegeo"] == "12001", "occupants"].sum() == 190


def test_summary_brute_force_on_random_series() -> None:
    rng = np.random.default_rng(7)
    rows = []
    for s in range(6):
        for day in sorted(rng.choice(10, size=rng.integers(1, 5), replace=False)):
            rows.append({"shelter_id": f"s{s}", "cvegeo": "12001" if s < 4 else "12029",
                         "date": pd.Timestamp("2024-10-01") + pd.Timedelta(days=int(day)), "occupants": float(rng.integers(0, 200))})
    shelters = pd.DataFrame(rows)
    summary = summarise_shelters(shelters)
    for key, group in shelters.groupby("cvegeo"):
        totals = {}
        for day in range(10):
            date = pd.Timestamp("2024-10-01") + pd.Timedelta(days=day)
            total = 0.0
            for _, reports in group.groupby("shelter_id"):
                if reports["date"].min() <= date <= reports["date"].max():
                    total += reports.loc[reports["date"] <= date].sort_values("date")["occupants"].iloc[-1]
            if any(reports["date"].min() <= date <= reports["date"].max() for _, reports in group.groupby("shelter_id")):
                totals[date] = total
        assert summary.loc[key, "peak_occupants"] == max(totals.values())
        assert summary.loc[key, "person_days"] == sum(totals.values())


def test_missing_columns_are_errors(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("fecha,personas\n2024-10-01,3\n")
    with pytest.raises(InputError, match="x.csv: no municipio column"):
        read_evacuations(tmp_path / "x.csv", boundaries=units())
    (tmp_path / "y.csv").write_text("municipio,fecha\nAcapulco de Juárez,2024-10-01\n")
    with pytest.raises(InputError, match="y.csv: no occupants column"):
        read_shelters(tmp_path / "y.csv", boundaries=units())
