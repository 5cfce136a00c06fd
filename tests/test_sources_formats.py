"""Files as analysts receive them (issue 12): concentrado spreadsheets, title lines, column
names as people write them, levels and coordinates as typed, names, dates, shelters.

Every fixture is generated here; every test says which rows are used, fixed or rejected and why.
Reasons are compared in English (rendered from their codes) and by code.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodisp.estimators.shelters import summarise_shelters
from geodisp.model.errors import InputError
from geodisp.sources.damage import read_damage, read_damage_counts
from geodisp.sources.messages import render_rejects
from geodisp.sources.records import read_evacuations, read_shelters


def reasons(rejects: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """Record → reason rendered in ``lang``."""
    rendered = render_rejects(rejects, lang)
    return dict(zip(rendered["record"], rendered["reason"]))


def codes(rejects: pd.DataFrame) -> dict[str, str]:
    return dict(zip(rejects["record"], rejects["reason_code"]))


def notes_en(notes: tuple) -> list[str]:
    return [n.render("en") for n in notes]


def guerrero() -> gpd.GeoDataFrame:
    """Six Guerrero municipios on a grid of 0.2° boxes, and one of the Estado de México."""
    rows = [
        ("12001", "Acapulco de Juárez"), ("12038", "Zihuatanejo de Azueta"), ("12066", "Tlapa de Comonfort"),
        ("12052", "San Luis Acatlán"), ("12053", "San Marcos"), ("12029", "Chilpancingo de los Bravo"),
        ("15058", "Nezahualcóyotl"),
    ]
    geoms = [box(-100.0 + 0.2 * i, 17.0, -99.8 + 0.2 * i, 17.2) for i in range(len(rows))]
    return gpd.GeoDataFrame(
        {"cvegeo": [k for k, _ in rows], "name": [n for _, n in rows]}, geometry=geoms, crs="EPSG:4326"
    ).to_crs("EPSG:6372")


def places() -> pd.DataFrame:
    """A census table's localities (as read_census returns them: indexed by cvegeo, with name)."""
    return pd.DataFrame(
        {"level": ["loc", "loc"], "name": ["El Ocotito", "Acapulco de Juárez"]},
        index=pd.Index(["120290030", "120010001"], name="cvegeo"),
    )


# ---------------------------------------------------------------- 1. spreadsheets


def concentrado(path: Path, with_sheet_header_elsewhere: bool = False) -> Path:
    """A state's 'concentrado': cover and notes sheets, merged title, blank rows, municipio merged down, totals."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Portada"
    cover["A1"] = "Secretaría de Protección Civil del Estado de Guerrero"
    cover["A3"] = "Concentrado de viviendas dañadas por el huracán"
    notes = book.create_sheet("Notas")
    notes["A1"] = "Cifras preliminares sujetas a verificación"
    sheet = book.create_sheet("Concentrado")
    sheet.append(["CONCENTRADO DE VIVIENDAS DAÑADAS — HURACÁN OTIS"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Corte al 27 de octubre de 2023"])
    sheet.append([])
    sheet.append(["Municipio", "Localidad", "Pérdidas totales", "Daños graves", "Daño menor", "Total"])
    sheet.append(["Acapulco de Juárez", "Acapulco", 900, "1,300", 40, 2240])      # row 1
    sheet.append([None, "Kilómetro 30", 13, 20, 5, 38])                           # row 2 (merged municipio)
    sheet.append([None, "Tres Palos", 0, 2, None, 2])                             # row 3 (merged municipio)
    sheet.merge_cells("A5:A7")
    sheet.append(["Tlapa", None, 1, 2, 3, 6])                                     # row 4 (shortened name)
    sheet.append([])                                                              # row 5 blank
    sheet.append(["TOTAL", None, 914, 1324, 48, 2286])                            # row 6
    sheet.append(["Total general", None, 914, 1324, 48, 2286])                    # row 7
    if with_sheet_header_elsewhere:
        other = book.create_sheet("Copia")
        other.append(["Municipio", "Pérdida total", "Daño grave"])
    book.save(path)
    return path


def test_concentrado_xlsx_header_merged_cells_totals_and_sheet(tmp_path: Path) -> None:
    path = concentrado(tmp_path / "concentrado.xlsx")
    counts, rejects, notes = read_damage_counts(path, state="12", boundaries=guerrero())
    assert counts.to_dict("records") == [
        {"cvegeo": "12001", "damage_level": "destroyed", "dwellings": 913},
        {"cvegeo": "12001", "damage_level": "severe", "dwellings": 1322},
        {"cvegeo": "12001", "damage_level": "minor", "dwellings": 45},
        {"cvegeo": "12066", "damage_level": "destroyed", "dwellings": 1},
        {"cvegeo": "12066", "damage_level": "severe", "dwellings": 2},
        {"cvegeo": "12066", "damage_level": "minor", "dwellings": 3},
    ]
    got = reasons(rejects)
    assert got == {
        "row 3, 'Daño menor'": "missing dwellings",
        **{f"row 6, '{c}'": "summary row ('TOTAL' in column 'Municipio'), not a record"
           for c in ("Pérdidas totales", "Daños graves", "Daño menor")},
        **{f"row 7, '{c}'": "summary row ('Total general' in column 'Municipio'), not a record"
           for c in ("Pérdidas totales", "Daños graves", "Daño menor")},
    }
    notes = notes_en(notes)
    assert "read sheet 'Concentrado', the only one with a recognisable header (sheets: Portada, Notas, Concentrado)" in notes
    assert "header on line 4 ('Concentrado'); records are counted from the line after it" in notes
    assert "2 merged cells filled down in columns 'Municipio'" in notes
    assert "total columns ignored (row sums): 'Total'" in notes
    assert "text columns ignored: 'Localidad'" in notes
    assert "shortened municipio names matched: 'Tlapa' → 12066 Tlapa de Comonfort" in notes
    # Spanish is the default rendering
    assert reasons(rejects, "es")["row 3, 'Daño menor'"] == "sin viviendas"


def test_several_sheets_with_headers_need_the_sheet_named(tmp_path: Path) -> None:
    path = concentrado(tmp_path / "c.xlsx", with_sheet_header_elsewhere=True)
    with pytest.raises(InputError, match=r"holds 4 sheets \(Portada, Notas, Concentrado, Copia\) and 2 have"):
        read_damage_counts(path, state="12", boundaries=guerrero())
    counts, _, notes = read_damage_counts(path, layer="Concentrado", state="12", boundaries=guerrero())
    assert int(counts["dwellings"].sum()) == 913 + 1322 + 45 + 6
    with pytest.raises(InputError, match="no sheet 'Hoja1'; the sheets are Portada, Notas, Concentrado, Copia"):
        read_damage_counts(path, layer="Hoja1", state="12", boundaries=guerrero())


def test_csv_with_title_lines_and_columns_as_people_write_them(tmp_path: Path) -> None:
    text = (
        "Censo de viviendas dañadas;;;\n"
        "Huracán Otis, corte 27/10/2023;;;\n"
        ";;;\n"
        "Folio Censo;Lat.;LONGITUD_1;CONDICION DE LA VIVIENDA\n"
        "A-1;17,10;-99,90;Daño total\n"
        "A-2;17,11;-99,91;Daños graves\n"
        "A-3;17,12;-99,92;pérdidas parciales\n"
    )
    (tmp_path / "censo.csv").write_text(text, encoding="cp1252")
    points, rejects, notes = read_damage(tmp_path / "censo.csv")
    assert rejects.empty
    assert list(points["dwelling_id"]) == ["A-1", "A-2", "A-3"]
    assert list(points["damage_level"]) == ["destroyed", "severe", "partial"]
    assert list(points["record"]) == ["row 1", "row 2", "row 3"]
    assert "header on line 4; records are counted from the line after it" in notes_en(notes)


@pytest.mark.parametrize("header", ["estado_vivienda", "cve_dano", "clave_dano", "CONDICION DE LA VIVIENDA"])
def test_level_columns_named_after_the_dwellings_condition(tmp_path: Path, header: str) -> None:
    pd.DataFrame({"lat": [17.1], "lon": [-99.9], header: ["grave"]}).to_csv(tmp_path / "d.csv", index=False)
    points, _, notes = read_damage(tmp_path / "d.csv")
    assert list(points["damage_level"]) == ["severe"]


def test_xy_in_degrees_are_lonlat_projected_need_the_right_crs(tmp_path: Path) -> None:
    pd.DataFrame({"xcoord": [-99.9, -99.7], "ycoord": [17.1, 17.15], "nivel": ["total", "menor"]}).to_csv(
        tmp_path / "qgis.csv", index=False
    )
    points, rejects, notes = read_damage(tmp_path / "qgis.csv")
    assert rejects.empty and list(points["damage_level"]) == ["destroyed", "minor"]
    expected = gpd.GeoSeries([Point(-99.9, 17.1)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    assert points.geometry.iloc[0].distance(expected) < 1e-6
    assert ("X/Y columns 'xcoord', 'ycoord' hold degrees inside Mexico: read as longitude/latitude (EPSG:4326)"
            in notes_en(notes))
    utm = gpd.GeoSeries([Point(-99.9, 17.1)], crs="EPSG:4326").to_crs("EPSG:32614").iloc[0]
    pd.DataFrame({"x": [utm.x], "y": [utm.y], "nivel": ["total"]}).to_csv(tmp_path / "utm.csv", index=False)
    with pytest.raises(InputError, match="need a crs; they look like UTM metres: give crs as the UTM zone"):
        read_damage(tmp_path / "utm.csv")
    lcc = gpd.GeoSeries([Point(-99.9, 17.1)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    pd.DataFrame({"x": [lcc.x], "y": [lcc.y], "nivel": ["total"]}).to_csv(tmp_path / "lcc.csv", index=False)
    with pytest.raises(InputError, match="Lambert conformal conic metres: crs: EPSG:6372"):
        read_damage(tmp_path / "lcc.csv")


def test_wide_table_with_an_unknown_count_column_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "w.csv").write_text("Municipio,Daño grave,Afectación hidráulica\nAcapulco de Juárez,3,4\n")
    with pytest.raises(InputError, match="columns 'Afectación hidráulica' hold counts but are not damage levels"):
        read_damage_counts(tmp_path / "w.csv", state="12", boundaries=guerrero())
    # mapped in the event file, it counts
    counts, _, notes = read_damage_counts(tmp_path / "w.csv", levels={"Afectación hidráulica": "partial"},
                                   state="12", boundaries=guerrero())
    assert counts.to_dict("records") == [
        {"cvegeo": "12001", "damage_level": "severe", "dwellings": 3},
        {"cvegeo": "12001", "damage_level": "partial", "dwellings": 4},
    ]


def test_a_column_not_found_says_what_was_found_and_looked_for(tmp_path: Path) -> None:
    pd.DataFrame({"folio": ["a"], "lat": [17.1], "lon": [-99.9], "estatus": ["total"]}).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(InputError) as err:
        read_damage(tmp_path / "d.csv", columns={"level": "nivel"})
    assert "column 'nivel' (columns.level) not found; the columns are 'folio', 'lat', 'lon', 'estatus'" in str(err.value)
    with pytest.raises(InputError) as err:
        read_damage(tmp_path / "d.csv")
    message = str(err.value)
    assert "no damage level column (looked for nivel_dano" in message and "the columns are 'folio'" in message


# ---------------------------------------------------------------- 3. damage levels


def test_unassessed_levels_numeric_legend_and_integer_keys(tmp_path: Path) -> None:
    levels = ["N/D", "S/D", "pendiente", "Por verificar", "1", "2", "3", "4", "", "Juan Pérez López"]
    frame = pd.DataFrame({"lat": [17.1 + i * 0.001 for i in range(len(levels))],
                          "lon": [-99.9] * len(levels), "nivel": levels})
    frame.to_csv(tmp_path / "d.csv", index=False)
    points, rejects, notes = read_damage(tmp_path / "d.csv", levels={1: "destroyed", 2: "partial"})
    assert list(points["record"]) == ["row 5", "row 6"]
    assert list(points["damage_level"]) == ["destroyed", "partial"]
    assert reasons(rejects) == {
        "row 1": "damage level not yet assessed ('N/D')",
        "row 2": "damage level not yet assessed ('S/D')",
        "row 3": "damage level not yet assessed ('pendiente')",
        "row 4": "damage level not yet assessed ('Por verificar')",
        "row 7": "damage code 3 is not in the event file's legend (1, 2)",
        "row 8": "damage code 4 is not in the event file's legend (1, 2)",
        "row 9": "missing damage level",
        "row 10": "unknown damage level [***] in column 'nivel'",  # a person's name is never quoted
    }
    # without a legend the built-in codes apply
    points, _, notes = read_damage(tmp_path / "d.csv")
    assert list(points["damage_level"]) == ["minor", "partial", "severe", "destroyed"]


# ---------------------------------------------------------------- 4. coordinates


def test_coordinates_missing_markers_minus_sign_and_dms(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "folio": [f"F{i}" for i in range(1, 8)],
        "latitud": ["S/C", "17.10", "s/c", "17.1", "18.9", "17°06'36\"N", "-99.85"],
        "longitud": ["-99.9", "sin coordenadas", "", "99.9", "99.9", "99°54'00\"W", "17.12"],
        "nivel": ["total"] * 7,
    })
    frame.to_csv(tmp_path / "d.csv", index=False)
    points, rejects, notes = read_damage(tmp_path / "d.csv", boundaries=guerrero())
    assert list(points["record"]) == ["row 4", "row 6", "row 7"]
    assert reasons(rejects) == {
        "row 1": "missing coordinates", "row 2": "missing coordinates", "row 3": "missing coordinates",
        "row 5": "longitude missing its minus sign: negated, the point does not fall in the study area",
    }
    expected = gpd.GeoSeries([Point(-99.9, 17.1)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    assert points.geometry.iloc[0].distance(expected) < 1e-6  # sign fixed
    dms = gpd.GeoSeries([Point(-99.9, 17.11)], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
    assert points.geometry.iloc[1].distance(dms) < 1e-6  # DMS parsed
    assert [(n.code, n.params["count"]) for n in notes] == [("coords_swapped", 1), ("lon_sign_fixed", 1), ("dms_parsed", 1)]
    notes = notes_en(notes)
    assert "longitude missing its minus sign fixed in 1 record (the point falls in the study area): row 4" in notes
    assert "degree-minute-second coordinates parsed in 1 record: row 6" in notes
    assert "latitude and longitude swapped and fixed in 1 record: row 7" in notes
    # without boundaries the sign cannot be confirmed: rejected, never guessed
    _, rejects, notes = read_damage(tmp_path / "d.csv")
    assert codes(rejects)["row 4"] == "lon_sign_outside_state"


# ---------------------------------------------------------------- 5. municipio names


def test_municipio_names_shortened_ambiguous_locality_other_state(tmp_path: Path) -> None:
    text = (
        "municipio,fecha,personas\n"
        "Zihuatanejo,2023-10-25,10\n"       # row 1: leading words of one municipio
        "TLAPA,2023-10-25,11\n"             # row 2
        "San,2023-10-25,12\n"               # row 3: leading word of two
        "Nezahualcóyotl,2023-10-25,13\n"    # row 4: municipio of another state
        "El Ocotito,2023-10-25,14\n"        # row 5: a locality
        "Acapulko,2023-10-25,15\n"          # row 6: typo
        "Juan Pérez,2023-10-25,16\n"        # row 7: a person's name
    )
    (tmp_path / "e.csv").write_text(text, encoding="utf-8")
    data, rejects, notes = read_evacuations(tmp_path / "e.csv", state="12", boundaries=guerrero(), places=places())
    assert list(zip(data["record"], data["cvegeo"])) == [("row 1", "12038"), ("row 2", "12066")]
    assert reasons(rejects) == {
        "row 3": "ambiguous municipio name 'San' (matches: 12052 San Luis Acatlán, 12053 San Marcos)",
        "row 4": "'Nezahualcóyotl' is a municipio of another state (15058 Nezahualcóyotl), not of state 12",
        "row 5": "'El Ocotito' is a locality (of 12029 Chilpancingo de los Bravo), not a municipio",
        "row 6": "unknown municipio name 'Acapulko' (closest: 12001 Acapulco de Juárez)",
        "row 7": "unknown municipio name [***] (closest: 12001 Acapulco de Juárez)",
    }
    assert notes_en(notes) == [
        "shortened municipio names matched: 'Zihuatanejo' → 12038 Zihuatanejo de Azueta, "
        "'TLAPA' → 12066 Tlapa de Comonfort"
    ]


def test_state_column_lets_one_file_cover_several_states(tmp_path: Path) -> None:
    text = (
        "estado,municipio,personas\n"
        "Guerrero,San Marcos,5\n"
        "15,Nezahualcóyotl,6\n"
        "México,058,7\n"
        "Narnia,San Marcos,8\n"
        "12,Nezahualcóyotl,9\n"
    )
    (tmp_path / "e.csv").write_text(text, encoding="utf-8")
    data, rejects, notes = read_evacuations(tmp_path / "e.csv", boundaries=guerrero())
    assert list(zip(data["record"], data["cvegeo"])) == [("row 1", "12053"), ("row 2", "15058"), ("row 3", "15058")]
    assert codes(rejects) == {"row 4": "state_unknown", "row 5": "unit_name_other_state"}
    assert reasons(rejects)["row 4"] == "unknown state 'Narnia' in column 'estado'"


# ---------------------------------------------------------------- 6. dates and counts


def test_excel_dates_text_dates_and_counts(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Municipio", "Fecha", "Personas"])
    sheet.append(["Acapulco de Juárez", dt.datetime(2023, 10, 25), 10])     # row 1: date cell
    sheet.append(["Acapulco de Juárez", 45225, "1,250"])                     # row 2: serial in General format
    sheet.append(["Acapulco de Juárez", "27/10/2023", 12])                   # row 3
    sheet.append(["Acapulco de Juárez", "2023-10-28", 13])                   # row 4
    sheet.append(["Acapulco de Juárez", "31/02/2023", 14])                   # row 5: impossible
    sheet.append(["Acapulco de Juárez", "2023-10-29", "aprox. 40"])          # row 6
    sheet.append(["Acapulco de Juárez", "2023-10-29", "N/D"])                # row 7
    sheet.append(["Acapulco de Juárez", "2023-10-29", -3])                   # row 8
    sheet.append(["Acapulco de Juárez", "2023-10-29", None])                 # row 9
    book.save(tmp_path / "e.xlsx")
    data, rejects, notes = read_evacuations(tmp_path / "e.xlsx", state="12", boundaries=guerrero())
    assert list(data["record"]) == ["row 1", "row 2", "row 3", "row 4"]
    assert list(data["date"]) == [pd.Timestamp(f"2023-10-{d}") for d in (25, 26, 27, 28)]
    assert list(data["people"]) == [10, 1250, 12, 13]
    assert reasons(rejects) == {
        "row 5": "impossible or unreadable date '31/02/2023' in column 'Fecha'",
        "row 6": "people is not a valid whole number in column 'Personas' ('aprox. 40')",
        "row 7": "no people or households",
        "row 8": "negative people ('-3')",
        "row 9": "no people or households",
    }


# ---------------------------------------------------------------- 7. households


def test_evacuations_in_households_keep_households_and_convert_with_census_size(tmp_path: Path) -> None:
    from geodisp.estimators.records import evacuation_people
    from geodisp.sources.census import household_sizes

    (tmp_path / "e.csv").write_text("municipio,evacuados\nAcapulco de Juárez,100\nTlapa de Comonfort,10\n")
    data, rejects, notes = read_evacuations(tmp_path / "e.csv", unit="households", state="12", boundaries=guerrero())
    assert rejects.empty
    assert list(data["households"]) == [100, 10] and data["people"].isna().all()
    assert notes_en(notes) == [
        "column 'evacuados' counts households (families); converted to people with the census household size"
    ]
    census = pd.DataFrame({"prom_ocup": [3.2]}, index=pd.Index(["12001"], name="cvegeo"))
    household = household_sizes(census, ["12001", "12066"])
    people = evacuation_people(data, household)
    assert list(people["central"]) == [pytest.approx(320.0), pytest.approx(36.0)]  # 3.6: national fallback
    assert list(people["household_size_source"]) == ["census:12001", "default"]


# ---------------------------------------------------------------- 8. shelters


def test_shelters_capacity_and_a_single_date_bulletin(tmp_path: Path) -> None:
    pd.DataFrame({
        "albergue": ["Escuela Primaria Juárez", "Auditorio Municipal", "Escuela Primaria Juárez"],
        "municipio": ["Acapulco de Juárez"] * 3,
        "fecha": ["25/10/2023", "25/10/2023", "26/10/2023"],
        "ocupantes": [120, 40, 90],
        "capacidad": [100, 50, 100],
    }).to_csv(tmp_path / "a.csv", index=False)
    data, rejects, notes = read_shelters(tmp_path / "a.csv", state="12", boundaries=guerrero())
    assert rejects.empty
    assert list(data["over_capacity"]) == [True, False, False]
    assert list(data["capacity"]) == [100, 50, 100]
    assert "1 report with more occupants than capacity (kept, flagged): row 1" in notes_en(notes)

    pd.DataFrame({
        "Municipio": ["Acapulco de Juárez", "Tlapa", "TOTAL"],
        "Fecha de corte": ["27/10/2023"] * 3,
        "Personas albergadas": ["1,200", 35, 1235],
        "Albergues": [12, 1, 13],
    }).to_csv(tmp_path / "boletin.csv", index=False)
    data, rejects, notes = read_shelters(tmp_path / "boletin.csv", state="12", boundaries=guerrero())
    assert list(data["shelter_id"]) == ["municipio:12001", "municipio:12066"]
    assert list(data["occupants"]) == [1200, 35]
    assert codes(rejects) == {"row 3": "summary_row"}
    assert "single-date report (2023-10-27): people sheltered on that date, no person-days" in notes_en(notes)
    summary = summarise_shelters(data)
    assert summary.loc["12001", "shelters"] == 12 and summary.loc["12066", "shelters"] == 1
    assert summary.loc["12001", "peak_occupants"] == 1200 and summary.loc["12001", "occupants_last_date"] == 1200
    assert np.isnan(summary.loc["12001", "person_days"])  # one date says nothing about how long people stayed
