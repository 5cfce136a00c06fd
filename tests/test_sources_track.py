"""Track readers on files written here in the agencies' own layouts (HURDAT2, ATCF, IBTrACS) and plain CSV."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodisp.model.errors import InputError
from geodisp.sources.messages import render_rejects
from geodisp.sources.track import detect_format, read_track_table

NM = 1.852


def hurdat2_line(date, hhmm, ident, status, lat, lon, vmax, pres, radii=(0,) * 12, rmw=-999):
    cells = [date, f"{hhmm:04d}", f"{ident:>1}", status, lat, lon, f"{vmax:3d}", f"{pres:4d}", *[f"{r:4d}" for r in radii], f"{rmw:4d}"]
    return ", ".join(cells) + ","


def write_hurdat2(path: Path) -> Path:
    lines = [
        "EP172023,              NORMA,      2,",
        hurdat2_line("20231017", 0, "", "TS", "14.0N", "106.0W", 35, 1005),
        hurdat2_line("20231017", 600, "", "TS", "14.5N", "106.5W", 40, 1003),
        "EP182023,               OTIS,      7,",
        hurdat2_line("20231024", 0, "", "HU", "14.8N", "99.2W", 95, 965, (60, 50, 40, 50, 30, 25, 20, 25, 15, 15, 10, 15), 10),
        hurdat2_line("20231024", 600, "", "HU", "15.6N", "99.6W", 140, 925, (70, 60, 50, 60, 35, 30, 25, 30, 20, 20, 15, 20), 8),
        hurdat2_line("20231025", 645, "L", "HU", "16.8N", "99.9W", 145, 923, (80, 70, 60, 70, 40, 35, 30, 35, 25, 20, 15, 20), 8),
        hurdat2_line("20231025", 645, "", "HU", "16.8N", "99.9W", 145, 923),  # the same time again
        hurdat2_line("20231025", 1200, "", "TS", "17.5N", "100.3W", 60, -999, tuple([-999] * 12)),
        hurdat2_line("20231025", 1800, "", "TD", "95.0N", "100.5W", 30, 1004),  # impossible latitude
        hurdat2_line("20231026", 0, "", "LO", "18.4N", "100.6W", -99, 1006),  # no wind
    ]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def test_hurdat2_selects_the_storm_and_normalises_units(tmp_path):
    path = write_hurdat2(tmp_path / "hurdat2-nepac.txt")
    assert detect_format(path, path.read_text()) == "hurdat2"
    fixes, rejects, _ = read_track_table(path, storm="EP182023")
    assert list(fixes["time"]) == list(pd.to_datetime(["2023-10-24 00:00", "2023-10-24 06:00", "2023-10-25 06:45", "2023-10-25 12:00"]))
    assert fixes["lon"].iloc[0] == -99.2 and fixes["lat"].iloc[0] == 14.8
    assert list(fixes["vmax_kt"]) == [95, 140, 145, 60]
    assert math.isnan(fixes["pressure_hpa"].iloc[3]) and fixes["pressure_hpa"].iloc[1] == 925
    assert fixes["r34_ne_km"].iloc[0] == pytest.approx(60 * NM)
    assert fixes["r64_sw_km"].iloc[2] == pytest.approx(15 * NM)
    assert fixes["rmax_km"].iloc[1] == pytest.approx(8 * NM)
    assert math.isnan(fixes["rmax_km"].iloc[3]) and math.isnan(fixes["r34_ne_km"].iloc[3])
    codes = dict(zip(rejects["record"], rejects["reason_code"]))
    assert codes["line 8"] == "track_repeated_time"
    assert codes["line 10"] == "track_bad_position"
    assert codes["line 11"] == "track_no_wind"
    assert codes["line 2"] == "track_other_storm"  # the other storm's first fix line
    reasons = dict(zip(rejects["record"], rejects["reason"]))  # Spanish first
    assert reasons["line 8"] == "repite la hora de una posición anterior"
    assert reasons["line 2"] == "otro ciclón, EP172023: 2 posiciones desde este registro (hazard.storm es EP182023)"
    assert len(fixes) + len(rejects) == 4 + 3 + 1
    by_name, _, _ = read_track_table(path, storm="otis")
    pd.testing.assert_frame_equal(by_name, fixes)


def test_hurdat2_with_several_storms_needs_one_named(tmp_path):
    path = write_hurdat2(tmp_path / "h.txt")
    with pytest.raises(InputError, match="holds 2 storms .*EP172023, EP182023.*hazard.storm"):
        read_track_table(path)
    with pytest.raises(InputError, match="storm 'AL012023' not found"):
        read_track_table(path, storm="AL012023")


def atcf_line(base, tech, tau, lat, lon, vmax, pres, rad, code, radii, pouter=1010, rmw=15, name="OTIS"):
    cells = ["EP", "18", base, "  ", tech, f"{tau:3d}", lat, lon, f"{vmax:3d}", f"{pres:4d}", "HU", f"{rad:3d}", code,
             *[f"{r:4d}" for r in radii], f"{pouter:4d}", " 200", f"{rmw:3d}", "  0", "  0", "  ", "  0", "   ", "  0", "  0", name]
    return ", ".join(cells)


def test_atcf_bdeck_merges_the_radius_lines_of_each_fix(tmp_path):
    lines = [
        atcf_line("2023102400", "BEST", 0, "148N", "992W", 95, 965, 34, "NEQ", (60, 50, 40, 50)),
        atcf_line("2023102400", "BEST", 0, "148N", "992W", 95, 965, 50, "NEQ", (30, 25, 20, 25)),
        atcf_line("2023102400", "BEST", 0, "148N", "992W", 95, 965, 64, "NEQ", (15, 15, 10, 15)),
        atcf_line("2023102400", "CARQ", 0, "148N", "992W", 95, 965, 34, "NEQ", (60, 50, 40, 50)),
        atcf_line("2023102406", "BEST", 0, "156N", "996W", 140, 925, 34, "AAA", (70, 0, 0, 0), rmw=8),
    ]
    path = tmp_path / "bep182023.dat"
    path.write_text("\n".join(lines) + "\n")
    assert detect_format(path, path.read_text()) == "atcf"
    fixes, rejects, _ = read_track_table(path)
    assert len(fixes) == 2
    assert fixes["lat"].tolist() == [14.8, 15.6] and fixes["lon"].tolist() == [-99.2, -99.6]
    assert fixes.loc[0, ["r34_ne_km", "r50_se_km", "r64_sw_km"]].tolist() == pytest.approx([60 * NM, 25 * NM, 10 * NM])
    assert fixes.loc[1, ["r34_ne_km", "r34_sw_km"]].tolist() == pytest.approx([70 * NM, 70 * NM])  # AAA: full circle
    assert math.isnan(fixes.loc[1, "r50_ne_km"])
    assert fixes["env_pressure_hpa"].tolist() == [1010, 1010]
    assert fixes["rmax_km"].tolist() == pytest.approx([15 * NM, 8 * NM])
    assert rejects["record"].tolist() == ["line 4"]  # the CARQ group, named by its first line
    assert rejects["reason"].tolist() == ["1 línea CARQ desde este registro: no es una línea de mejor trayectoria (BEST)"]


def test_atcf_adeck_forecast_takes_the_latest_official_forecast(tmp_path):
    lines = [
        atcf_line("2023102400", "OFCL", 0, "148N", "992W", 95, 965, 34, "NEQ", (60, 50, 40, 50)),
        atcf_line("2023102400", "OFCL", 12, "160N", "996W", 110, 950, 34, "NEQ", (60, 50, 40, 50)),
        atcf_line("2023102406", "OFCL", 0, "156N", "996W", 140, 925, 34, "NEQ", (70, 60, 50, 60)),
        atcf_line("2023102406", "OFCL", 12, "168N", "999W", 120, 940, 34, "NEQ", (70, 60, 50, 60)),
        atcf_line("2023102406", "OFCL", 24, "180N", "1003W", 60, 990, 34, "NEQ", (40, 30, 20, 30)),
        atcf_line("2023102406", "AVNO", 12, "170N", "1000W", 80, 970, 34, "NEQ", (70, 60, 50, 60)),
    ]
    path = tmp_path / "aep182023.dat"
    path.write_text("\n".join(lines) + "\n")
    fixes, rejects, _ = read_track_table(path, forecast=True)
    assert fixes["time"].tolist() == list(pd.to_datetime(["2023-10-24 06:00", "2023-10-24 18:00", "2023-10-25 06:00"]))
    assert fixes["lead_hours"].tolist() == [0, 12, 24]
    assert fixes["vmax_kt"].tolist() == [140, 120, 60]
    reasons = dict(zip(rejects["record"], render_rejects(rejects, "en")["reason"]))
    assert reasons == {"line 1": "2 OFCL lines from this record on: not the OFCL forecast of 2023-10-24 06 UTC",
                       "line 6": "1 AVNO line from this record on: not the OFCL forecast of 2023-10-24 06 UTC"}
    with pytest.raises(InputError, match="no BEST lines"):
        read_track_table(path)


IBTRACS_HEADER = ("SID,SEASON,NUMBER,BASIN,SUBBASIN,NAME,ISO_TIME,NATURE,LAT,LON,WMO_WIND,WMO_PRES,WMO_AGENCY,"
                  "TRACK_TYPE,DIST2LAND,LANDFALL,IFLAG,USA_AGENCY,USA_ATCF_ID,USA_LAT,USA_LON,USA_RECORD,USA_STATUS,"
                  "USA_WIND,USA_PRES,USA_SSHS,USA_R34_NE,USA_R34_SE,USA_R34_SW,USA_R34_NW,USA_R50_NE,USA_R50_SE,"
                  "USA_R50_SW,USA_R50_NW,USA_R64_NE,USA_R64_SE,USA_R64_SW,USA_R64_NW,USA_POCI,USA_ROCI,USA_RMW")
IBTRACS_UNITS = (" ,Year, , , , , , ,degrees_north,degrees_east,kts,mb, , ,km,km, , , ,degrees_north,degrees_east, , ,"
                 "kts,mb,1,nmile,nmile,nmile,nmile,nmile,nmile,nmile,nmile,nmile,nmile,nmile,nmile,mb,nmile,nmile")


def _ib_row(sid, name, time, lat, lon, wmo_wind, wmo_agency, usa_wind, usa_pres, r34=("", "", "", ""), rmw="", atcf="EP182023"):
    cells = [sid, "2023", "80", "EP", "MM", name, time, "TS", lat, lon, wmo_wind, "", wmo_agency, "main", "100", "", "",
             "hurdat_epa", atcf, lat, lon, "", "HU", usa_wind, usa_pres, "", *r34, "", "", "", "", "", "", "", "", "1008", "", rmw]
    return ",".join(cells)


def test_ibtracs_uses_one_minute_winds_and_skips_the_units_row(tmp_path):
    rows = [
        IBTRACS_HEADER, IBTRACS_UNITS,
        _ib_row("2023296N14099", "OTIS", "2023-10-24 00:00:00", "14.8", "-99.2", "95", "hurdat_epa", "95", "965", ("60", "50", "40", "50"), "10"),
        _ib_row("2023296N14099", "OTIS", "2023-10-24 06:00:00", "15.6", "-99.6", "140", "hurdat_epa", "", "", rmw=""),
        _ib_row("2023296N14099", "OTIS", "2023-10-24 09:00:00", "16.0", "-99.7", "130", "tokyo", "", ""),
        _ib_row("2023290N10100", "NORMA", "2023-10-17 00:00:00", "14.0", "-106.0", "35", "hurdat_epa", "35", "1005", atcf="EP172023"),
    ]
    path = tmp_path / "ibtracs.EP.list.v04r00.csv"
    path.write_text("\n".join(rows) + "\n")
    assert detect_format(path, path.read_text()) == "ibtracs"
    fixes, rejects, _ = read_track_table(path, storm="EP182023")  # the ATCF id also selects
    assert fixes["vmax_kt"].tolist() == [95, 140]  # second row: WMO wind of an NHC agency (1-minute)
    assert fixes["r34_nw_km"].iloc[0] == pytest.approx(50 * NM) and fixes["rmax_km"].iloc[0] == pytest.approx(10 * NM)
    assert fixes["env_pressure_hpa"].tolist() == [1008, 1008]
    codes = dict(zip(rejects["record"], rejects["reason_code"]))
    assert codes["row 4"] == "track_wmo_not_1min"
    assert codes["row 5"] == "track_other_storm"
    assert "another storm, 2023290N10100: 1 fix from this record on" in render_rejects(rejects, "en").set_index("record").loc["row 5", "reason"]


def test_plain_csv_with_spanish_names_and_kmh(tmp_path):
    path = tmp_path / "trayectoria.csv"
    path.write_text(
        "fecha_hora,latitud,longitud,viento_kmh,presion_hpa,rmax_km,r34_ne,r34_se_km\n"
        "2023-10-24T00:00Z,14.8,-99.2,185.2,965,20,60,100\n"
        "2023-10-24T06:00Z,15.6,-99.6,259.28,,,,\n"
        "no es fecha,16.0,-99.7,200,,,,\n",
        encoding="utf-8",
    )
    fixes, rejects, _ = read_track_table(path)
    assert fixes["vmax_kt"].tolist() == pytest.approx([100.0, 140.0])
    assert fixes["rmax_km"].iloc[0] == 20 and math.isnan(fixes["rmax_km"].iloc[1])
    assert fixes["r34_ne_km"].iloc[0] == pytest.approx(60 * NM) and fixes["r34_se_km"].iloc[0] == 100
    assert rejects["record"].tolist() == ["row 3"] and rejects["reason_code"].tolist() == ["track_bad_time"]


def test_plain_csv_without_a_wind_column_is_bad_input(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("time,lat,lon\n2023-10-24T00:00Z,14.8,-99.2\n")
    with pytest.raises(InputError, match=r"t.csv: track columns not found: vmax_kt"):
        read_track_table(path)


def test_forecast_positions_need_forecast_mode(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("time,lat,lon,vmax_kt,lead_hours\n2023-10-24T00:00Z,14.8,-99.2,90,0\n2023-10-24T12:00Z,15.8,-99.6,110,12\n")
    with pytest.raises(InputError, match="forecast positions .* hazard.forecast: true"):
        read_track_table(path)
    fixes, _, _ = read_track_table(path, forecast=True)
    assert fixes["lead_hours"].tolist() == [0, 12]
