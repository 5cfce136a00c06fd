"""Census tables: keys rebuilt from codes that lost their zeros, INEGI markers as NaN, household-size fallback."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodisp.sources.census import household_sizes, read_census
from geodisp.sources.messages import reasons_by_record

ITER = """ENTIDAD,NOM_ENT,MUN,NOM_MUN,LOC,NOM_LOC,LONGITUD,LATITUD,POBTOT,POBFEM,POBMAS,P_0A2,P_60YMAS,PCON_DISC,P3YM_HLI,VIVPAR_HAB,PROM_OCUP
0,Estados Unidos Mexicanos,0,Total nacional,0,Total nacional,,,126014024,64540634,61473390,5,5,5,5,5,3.6
12,Guerrero,0,Total de la Entidad,0,Total de la Entidad,,,3540685,1840000,1700685,200000,400000,1,1,930000,3.79
12,Guerrero,1,Acapulco de Juárez,0,Total del Municipio,,,779566,400000,379566,40000,80000,1,1,224027,3.48
12,Guerrero,1,Acapulco de Juárez,1,Acapulco de Juárez,"99°53'08.9"" W","16°51'46.0"" N",658609,340000,318609,30000,70000,*,*,190000,3.4
12,Guerrero,1,Acapulco de Juárez,2,El Bejuco,,,7,*,*,*,*,*,*,2,*
12,Guerrero,1,Acapulco de Juárez,9998,Localidades de una vivienda,,,12,N/D,N/D,N/D,N/D,N/D,N/D,4,N/D
12,Guerrero,2,Ahuacuotzingo,0,Total del Municipio,,,26897,13900,12997,1,1,1,1,6000,N/D
12,Guerrero,2,Ahuacuotzingo,5,Xocoyolzintla,,,500,250,250,1,1,1,1,120,
12,Guerrero,1,Acapulco de Juárez,1,Acapulco de Juárez,,,658609,340000,318609,30000,70000,1,1,190000,3.4
1X,Guerrero,1,Acapulco,3,Otra,,,1,1,0,0,0,0,0,1,1
"""


def test_iter_keys_markers_and_rejects(tmp_path: Path) -> None:
    path = tmp_path / "iter_12.csv"
    path.write_text(ITER, encoding="utf-8")
    census, rejects, notes = read_census(path)
    assert list(census.index) == ["12", "12001", "120010001", "120010002", "120019998", "12002", "120020005"]
    assert list(census["level"]) == ["ent", "mun", "loc", "loc", "loc", "mun", "loc"]
    assert census.loc["12001", "pobtot"] == 779566 and census.loc["12001", "vivpar_hab"] == 224027
    assert census.loc["120010001", "name"] == "Acapulco de Juárez"
    assert census.loc["12001", "name"] == "Acapulco de Juárez"
    # suppressed ('*') and not available ('N/D') are missing, never zero
    assert np.isnan(census.loc["120010002", "pobfem"]) and np.isnan(census.loc["120010002", "prom_ocup"])
    assert census.loc["120010002", "pobtot"] == 7
    assert np.isnan(census.loc["120019998", "pobmas"]) and np.isnan(census.loc["120010001", "pcon_disc"])
    for column in ("pobtot", "vivpar_hab", "prom_ocup", "pobfem", "pobmas", "p_0a2", "p_60ymas", "pcon_disc", "p3ym_hli"):
        assert census[column].dtype == np.float64
    assert "longitud" not in census.columns
    assert reasons_by_record(rejects, "en") == {
        "row 1": "national total, not a unit",
        "row 9": "duplicate key '120010001' (first at row 4)",
        "row 10": "malformed ENTIDAD '1X'",
    }
    assert len(census) + len(rejects) == 10


def test_household_sizes_fall_back_to_parent_then_default(tmp_path: Path) -> None:
    path = tmp_path / "iter_12.csv"
    path.write_text(ITER, encoding="utf-8")
    census, _, notes = read_census(path)
    sizes = household_sizes(census, ["120010001", "120010002", "120020005", "12002", "12005", "130010001"], household_size=3.6)
    assert sizes.to_dict("index") == {
        "120010001": {"household_size": 3.4, "household_size_source": "census:120010001"},
        "120010002": {"household_size": 3.48, "household_size_source": "parent:12001"},
        "120020005": {"household_size": 3.79, "household_size_source": "parent:12"},
        "12002": {"household_size": 3.79, "household_size_source": "parent:12"},
        "12005": {"household_size": 3.79, "household_size_source": "parent:12"},
        "130010001": {"household_size": 3.6, "household_size_source": "default"},
    }


def test_ageb_table_cve_spelling_latin1_semicolon(tmp_path: Path) -> None:
    text = (
        "CVE_ENT;CVE_MUN;CVE_LOC;CVE_AGEB;CVE_MZA;NOM_LOC;POBTOT;TVIVPARHAB;OCUPVIVPAR;PROM_OCUP\n"
        "12;001;0001;0000;000;Total de la localidad urbana;658609;190000;646000;3.4\n"
        "12;1;1;001A;0;Total AGEB urbana;1500;400;1480;*\n"
        "12;1;1;001A;7;Manzana;30;8;30;3.75\n"
        "12;1;1;0025;0;Total AGEB urbana;900;N/D;N/D;N/D\n"
    )
    path = tmp_path / "ageb.csv"
    path.write_bytes(text.encode("latin-1"))
    census, rejects, notes = read_census(path)
    assert list(census.index) == ["120010001", "120010001001A", "1200100010025"]
    assert list(census["level"]) == ["loc", "ageb", "ageb"]
    assert list(census["vivpar_hab"].fillna(-1)) == [190000, 400, -1]
    assert reasons_by_record(rejects, "en") == {"row 3": "block (manzana) row, finer than AGEB"}
    sizes = household_sizes(census, ["120010001001A", "1200100010025"])
    # 001A has no PROM_OCUP but has occupants and dwellings: 1480 / 400
    assert sizes.loc["120010001001A"].tolist() == [pytest.approx(3.7), "census:120010001001A"]
    assert sizes.loc["1200100010025"].tolist() == [3.4, "parent:120010001"]


def test_xlsx_integer_codes(tmp_path: Path) -> None:
    frame = pd.DataFrame({"ENTIDAD": [9, 9], "MUN": [15, 15], "LOC": [0, 1], "POBTOT": [545884, 545884], "PROM_OCUP": [2.9, "*"]})
    frame.to_excel(tmp_path / "iter.xlsx", index=False)
    census, rejects, notes = read_census(tmp_path / "iter.xlsx")
    assert list(census.index) == ["09015", "090150001"] and rejects.empty
    assert census.loc["09015", "prom_ocup"] == 2.9 and np.isnan(census.loc["090150001", "prom_ocup"])


def test_household_sizes_without_census() -> None:
    sizes = household_sizes(None, ["12001", "12002"], household_size=3.6)
    assert sizes["household_size"].tolist() == [3.6, 3.6]
    assert sizes["household_size_source"].tolist() == ["default", "default"]
