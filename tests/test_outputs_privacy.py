"""The output edge's scan of ids and names for personal data (``geodisp.outputs.privacy``)."""
from __future__ import annotations

import pandas as pd

from geodisp.outputs.privacy import redact_frame
from geodisp.sources.personal import REDACTED, scrub_text

NAME, CURP, PHONE, EMAIL = "María Guadalupe Hernández López", "HELG800101MGRRPD09", "744 123 4567", "lupita.hernandez@example.com"


def test_ids_holding_personal_data_become_the_record_name() -> None:
    points = pd.DataFrame({
        "dwelling_id": ["VIV-000001", PHONE, CURP, NAME, EMAIL, f"VIV {PHONE}", None],
        "record": [f"row {i}" for i in range(1, 8)],
        "damage_level": ["destroyed"] * 7,
    })
    out = redact_frame(points)
    assert out["dwelling_id"].tolist()[:6] == ["VIV-000001", "row 2", "row 3", "row 4", "row 5", "row 6"]
    assert out["dwelling_id"].isna().tolist()[6]
    assert out["damage_level"].tolist() == ["destroyed"] * 7


def test_names_keep_the_place_and_lose_the_person() -> None:
    shelters = pd.DataFrame({
        "shelter_id": ["ALB-1", "ALB-2", "ALB-3", "ALB-4"],
        "name": [
            f"Albergue Escuela Benito Juárez, resp. {NAME} {PHONE}",
            f"Auditorio ({NAME}) {EMAIL}",
            "Salón Ejidal José María Morelos y Pavón",
            "Escuela Primaria Benito Juárez",
        ],
        "occupants": [10.0, 20.0, 30.0, 40.0],
    })
    out = redact_frame(shelters)
    assert out["name"].tolist() == [
        f"Albergue Escuela Benito Juárez, {REDACTED}",
        f"Auditorio ( {REDACTED} ) {REDACTED}",
        "Salón Ejidal José María Morelos y Pavón",  # a public place named after a person is kept
        "Escuela Primaria Benito Juárez",
    ]
    assert out["occupants"].tolist() == [10.0, 20.0, 30.0, 40.0]
    clean = shelters.iloc[2:]
    assert redact_frame(clean) is clean  # nothing personal: the same frame, untouched


def test_official_unit_names_lose_only_numbers_codes_and_addresses() -> None:
    units = pd.DataFrame({"cvegeo": ["23004", "12001"], "name": ["José María Morelos", f"Acapulco tel {PHONE} {EMAIL}"]})
    out = redact_frame(units, official_names=True)
    assert out["name"].tolist() == ["José María Morelos", f"Acapulco tel {REDACTED}"]
    assert out["cvegeo"].tolist() == ["23004", "12001"]


def test_reasons_and_notes_are_scanned_too() -> None:
    assert NAME not in scrub_text(f"unknown damage level '{NAME}'")
    assert "7441234567" not in scrub_text("row 3: coordinates (7441234567, -99.5) ignored")
    assert scrub_text("row 3: municipio José María Morelos taken from the coordinates") == (
        "row 3: municipio José María Morelos taken from the coordinates"
    )
