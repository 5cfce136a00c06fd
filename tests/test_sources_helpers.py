"""Shared source helpers: table reading, coordinates, personal-data detection, name matching."""
from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodisp.model.errors import InputError
from geodisp.sources.coords import check_lonlat, parse_coordinate
from geodisp.sources.names import NameIndex, UnitResolver
from geodisp.sources.personal import find_personal, strip_personal
from geodisp.sources.tables import fix_mojibake, parse_date, read_table, row_names, sniff_delimiter, to_number


def test_semicolon_decimal_comma_latin1(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("municipio;latitud;personas\nChilapa de Álvarez;17,55;1.200\n\n;;\nIguala;18,3;*\n".encode("cp1252"))
    table = read_table(path)
    frame = table.frame
    assert (table.notes, table.header_line, table.sheet) == ((), 1, None)
    assert list(frame.columns) == ["municipio", "latitud", "personas"]
    assert list(frame["municipio"]) == ["Chilapa de Álvarez", "Iguala"]
    assert row_names(frame) == ["row 1", "row 4"]  # blank lines still count as rows of the file
    assert list(to_number(frame["latitud"])) == [17.55, 18.3]


def test_to_number_markers_and_separators() -> None:
    values = pd.Series(["12", "*", "N/D", "", "1,234", "3,5", "-4", "abc", "1,234,567.5", "n/d"])
    out = to_number(values)
    expected = [12, np.nan, np.nan, np.nan, 1234, 3.5, -4, np.nan, 1234567.5, np.nan]
    np.testing.assert_array_equal(out.to_numpy(), np.array(expected, dtype=float))


def test_sniff_delimiters() -> None:
    assert sniff_delimiter("a;b\n17,5;3\n") == ";"
    assert sniff_delimiter('a,b\n"1,300",2\n') == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert sniff_delimiter("a|b|c\n1|2|3\n") == "|"


def test_zip_with_one_csv_and_errors(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "t.zip", "w") as zf:
        zf.writestr("datos/t.csv", "a,b\n1,2\n".encode("utf-8"))
    assert read_table(tmp_path / "t.zip").frame.to_dict("records") == [{"a": "1", "b": "2"}]
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as zf:
        zf.writestr("a.csv", "a\n1\n")
        zf.writestr("b.csv", "a\n1\n")
    with pytest.raises(InputError, match="two.zip: expected one table"):
        read_table(tmp_path / "two.zip")
    with pytest.raises(InputError, match="nope.csv: file not found"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty.csv: empty file"):
        read_table(tmp_path / "empty.csv")


def test_mojibake_repaired_latin1_untouched() -> None:
    assert fix_mojibake("Acapulco de JuÃ¡rez") == "Acapulco de Juárez"
    assert fix_mojibake("Ã‘uu Savi") == "Ñuu Savi"
    assert fix_mojibake("Ñuu Savi") == "Ñuu Savi"
    assert fix_mojibake(5) == 5


def test_parse_dates() -> None:
    assert parse_date("05/10/2024") == pd.Timestamp("2024-10-05")  # day first
    assert parse_date("2024-10-05 00:00:00") == pd.Timestamp("2024-10-05")
    assert parse_date("5 de octubre de 2024") == pd.Timestamp("2024-10-05")
    assert parse_date("5-oct-24") == pd.Timestamp("2024-10-05")
    assert parse_date("N/D") is pd.NaT and parse_date("31/02/2024") is pd.NaT


@pytest.mark.parametrize(
    "text, expected",
    [
        ("17.5", 17.5), ("-99,25", -99.25), ("17°33'12\"N", 17 + 33 / 60 + 12 / 3600),
        ("99 30 15 W", -(99 + 30 / 60 + 15 / 3600)), ("99°30'O", -99.5), ("N 17 30", 17.5),
        ("17d33m12s", 17 + 33 / 60 + 12 / 3600), ("", math.nan), ("abc", math.nan), ("17°75'", math.nan),
        ("17.55 N", 17.55), ("99.5W", -99.5), ("17:33:12", 17 + 33 / 60 + 12 / 3600), ("1.234.5", math.nan),
    ],
)
def test_parse_coordinate(text: str, expected: float) -> None:
    got = parse_coordinate(text)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_check_lonlat_cases() -> None:
    lon = pd.Series([-99.5, 17.5, np.nan, 0.0, -3.7, 99.5, -99.5])
    lat = pd.Series([17.5, -99.5, 17.5, 0.0, 40.4, 17.5, 17.5])
    out = check_lonlat(lon, lat)
    assert list(out["reason"]) == [None, None, "missing_coordinates", "zero_coordinates", "outside_mexico", None, None]
    assert list(out["coords_swapped"]) == [False, True, False, False, False, False, False]
    assert list(out["lon_sign"]) == [False, False, False, False, False, True, False]  # to be confirmed by the reader
    assert (out.loc[1, "lon"], out.loc[1, "lat"]) == (-99.5, 17.5)
    assert (out.loc[5, "lon"], out.loc[5, "lat"]) == (-99.5, 17.5)
    assert check_lonlat(lon, lat, allow_swap=False)["reason"][1] == "outside_mexico"


def test_personal_columns_by_name_and_content() -> None:
    frame = pd.DataFrame(
        {
            "Nombre del Jefe": ["A"], "CURP_titular": ["x"], "Teléfono": ["1"], "Correo-e": ["x"], "Dirección": ["x"],
            "notas": ["llamar a juan@correo.mx"], "clave": ["GOMA800101HGRMRR01"], "rfc_x": ["GOMA800101AB1"],
            "celda": ["+52 744 123 4567"], "lugar": ["Calle Morelos 12, Col. Centro"], "ref": ["Domicilio conocido"],
            "obs": ["colapso de muro, colonia centro"], "folio": ["0001"], "latitud": ["17.5"], "fecha": ["2024-10-01"],
            "personas": ["1,200"], "cvegeo": ["120010001"],
        }
    )
    found = find_personal(frame)
    assert found == {
        "Nombre del Jefe": "header", "CURP_titular": "header", "Teléfono": "header", "Correo-e": "header",
        "Dirección": "header", "notas": "e-mail", "clave": "CURP", "rfc_x": "RFC", "celda": "phone",
        "lugar": "address", "ref": "address",
    }
    kept, notes = strip_personal(frame, keep=["Nombre del Jefe"])
    assert "Nombre del Jefe" in kept.columns and "notas" not in kept.columns
    assert all("juan" not in n and "GOMA" not in n for n in notes)


def test_name_index_and_resolver() -> None:
    units = pd.DataFrame(
        {"cvegeo": ["12001", "12053", "12080", "13053"], "name": ["Acapulco de Juárez", "San Marcos", "SAN  MARCOS", "San Marcos"]}
    )
    index = NameIndex.from_units(units)
    assert index.match("san marcos", "13") == ("13053", None, None)
    resolver = UnitResolver.from_boundaries(units, state=12)
    assert resolver.resolve("ACAPULCO DE JUAREZ") == ("12001", None, None)
    assert resolver.resolve("Acapulco") == ("12001", None, "Acapulco de Juárez")  # leading words, reported
    assert resolver.resolve("1") == ("12001", None, None)
    assert resolver.resolve("12001.0") == ("12001", None, None)
    assert resolver.resolve("San Marcos").reason.render("en") == (
        "ambiguous municipio name 'San Marcos' (matches: 12053 San Marcos, 12080 SAN  MARCOS)"
    )
    assert resolver.resolve("San Marcos", state="13").key == "13053"  # a row's own state
    assert resolver.resolve("Zihuatanejo").reason.render("en") == "unknown municipio name 'Zihuatanejo' (closest: —)"
    assert resolver.resolve("12002").reason.render("en") == "unknown municipio key '12002'"
    assert resolver.resolve("123456").reason.render("en") == "key '123456' is not a municipio key (5 digits)"
    assert resolver.resolve("7441234567").reason.render("en") == "key [***] is not a municipio key (5 digits)"
    free = UnitResolver.from_boundaries(None)
    assert free.resolve("1001") == ("01001", None, None)
    assert free.resolve("Acapulco").reason.render("en") == "a municipio name cannot be matched without a boundaries layer"


def test_read_table_returns_its_notes_as_values(tmp_path: Path) -> None:
    """What the reading did travels in the returned Table, never in ``frame.attrs``."""
    import openpyxl

    csv_path = tmp_path / "t.csv"
    csv_path.write_text("Reporte de evacuaciones\n\nmunicipio,personas\nIguala,3\n", encoding="utf-8")
    table = read_table(csv_path, known=["municipio", "personas"])
    assert [(n.code, n.params["line"]) for n in table.notes] == [("header_found", 3)]
    assert table.header_line == 3 and table.frame.attrs == {}
    assert table.frame.to_dict("records") == [{"municipio": "Iguala", "personas": "3"}]

    book = openpyxl.Workbook()
    book.active.title = "Portada"
    book.active.append(["Reporte"])
    data = book.create_sheet("Datos")
    data.append(["Concentrado"])
    data.append(["municipio", "personas"])
    data.append(["Iguala", 3])
    book.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx", known=["municipio", "personas"])
    assert [n.code for n in table.notes] == ["sheet_chosen", "header_found"]
    assert (table.sheet, table.header_line, table.frame.attrs) == ("Datos", 2, {})
