"""Personal data planted in every mapped field never reaches a frame, a reason, a note or a message (issue 13, item 1).

A column the event maps (coordinates, level, id, unit) is never dropped for its content: the
offending cell's row is rejected, or the cell redacted, and the rest of the column is used.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geodisp.model.errors import InputError
from geodisp.sources.damage import read_damage
from geodisp.sources.facilities import read_facilities
from geodisp.sources.messages import reasons_by_record
from geodisp.sources.records import read_evacuations, read_shelters

CURP, PHONE, NAME, EMAIL = "PEGJ800101HGRRRN09", "744 123 4567", "Juan Pérez López", "juan.perez@correo.mx"
SECRETS = (CURP, PHONE, "Pérez", "juan.perez", "7441234567")


def units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"cvegeo": ["12001"], "name": ["Acapulco de Juárez"]}, geometry=[box(-100.0, 16.7, -99.7, 17.0)], crs="EPSG:4326",
    ).to_crs("EPSG:6372")


def everything(data: pd.DataFrame, rejects: pd.DataFrame, notes: tuple) -> str:
    """Every byte a reader hands on: data, rejects in both languages, notes in both languages."""
    text = data.drop(columns="geometry", errors="ignore").to_csv() + rejects.to_csv()
    text += " ".join(reasons_by_record(rejects, "en").values())
    text += " ".join(n.render(lang) for n in notes for lang in ("es", "en"))
    return text


def test_damage_personal_values_in_mapped_cells(tmp_path: Path) -> None:
    pd.DataFrame({
        "folio": ["F1", "7441234567", "F3", "F4", "F5"],
        "latitud": ["16.80", "16.81", CURP, "16.83", "16.84"],
        "longitud": ["-99.80", "-99.81", "-99.82", EMAIL, "-99.84"],
        "nivel_dano": ["total", "parcial", "menor", "menor", NAME],
        "jefe_de_familia": [NAME] * 5,
    }).to_csv(tmp_path / "d.csv", index=False)
    points, rejects, notes = read_damage(tmp_path / "d.csv", boundaries=units())
    assert list(points["record"]) == ["row 1", "row 2"]
    assert list(points["dwelling_id"]) == ["F1", "row 2"]  # a phone as folio is replaced by the record name
    assert reasons_by_record(rejects, "en") == {
        "row 3": "column 'latitud' holds personal data (CURP); record not used",
        "row 4": "column 'longitud' holds personal data (e-mail); record not used",
        "row 5": "unknown damage level [***] in column 'nivel_dano'",
    }
    text = everything(points, rejects, notes)
    assert not [s for s in SECRETS if s in text]


def test_a_csv_without_its_header_row_keeps_the_first_row_out_of_the_message(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text(f"F1;{NAME};{CURP};{PHONE};16.8;-99.8;total\n"
                                    f"F2;{NAME};{CURP};{PHONE};16.9;-99.9;menor\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_damage(tmp_path / "d.csv")
    message = str(err.value) + " ".join(err.value.problems)
    assert "no header row" in message
    assert not [s for s in (*SECRETS, "F1", "16.8") if s in message]


def test_records_personal_values_in_unit_and_count_cells(tmp_path: Path) -> None:
    pd.DataFrame({
        "municipio": ["Acapulco de Juárez", PHONE, NAME, "Acapulco de Juárez"],
        "personas": ["10", "11", "12", CURP],
        "responsable": [NAME] * 4,
    }).to_csv(tmp_path / "e.csv", index=False)
    data, rejects, notes = read_evacuations(tmp_path / "e.csv", state="12", boundaries=units())
    assert list(data["record"]) == ["row 1"]
    assert reasons_by_record(rejects, "en") == {
        "row 2": "column 'municipio' holds personal data (phone); record not used",
        "row 3": "unknown municipio name [***] (closest: —)",
        "row 4": "column 'personas' holds personal data (CURP); record not used",
    }
    assert not [s for s in SECRETS if s in everything(data, rejects, notes)]


def test_shelter_and_facility_names_lose_the_person_and_the_phone(tmp_path: Path) -> None:
    pd.DataFrame({
        "nombre_albergue": [f"Escuela Primaria Juárez - resp. {NAME} {PHONE}", f"Auditorio municipal tel. {PHONE}"],
        "municipio": ["Acapulco de Juárez"] * 2,
        "fecha": ["2023-10-25"] * 2,
        "ocupantes": [10, 20],
    }).to_csv(tmp_path / "a.csv", index=False)
    data, rejects, notes = read_shelters(tmp_path / "a.csv", state="12", boundaries=units())
    assert list(data["name"]) == ["Escuela Primaria Juárez", "Auditorio municipal"]
    assert not [s for s in SECRETS if s in everything(data, rejects, notes)]
    pd.DataFrame({
        "nombre": [f"Centro de Salud Rural, director {NAME}, cel. {PHONE}"], "tipo": ["salud"],
        "lat": [16.8], "lon": [-99.8], "telefono_director": [PHONE],
    }).to_csv(tmp_path / "f.csv", index=False)
    facilities, rejects, notes = read_facilities(tmp_path / "f.csv", boundaries=units())
    assert list(facilities["name"]) == ["Centro de Salud Rural"]
    assert not [s for s in SECRETS if s in everything(facilities, rejects, notes)]
