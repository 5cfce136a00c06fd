"""Read tropical-cyclone tracks (HURDAT2, ATCF, IBTrACS, plain CSV) into one normalised table.

Every format becomes a table of fixes with ``TRACK_COLUMNS`` (see
``geodisp.hazard_models.windfield``): ``time`` (UTC), ``lat``, ``lon``, ``vmax_kt``
(1-minute sustained wind at 10 m), ``pressure_hpa`` and ``env_pressure_hpa`` (NaN
when not given), ``rmax_km`` (NaN when not given) and the 34/50/64-kt wind radii per
quadrant in km (NaN not reported, 0 no such wind in that quadrant), plus ``record``
(where the fix is in the file) and ``lead_hours`` (forecast lead time, 0 for
observed fixes).

- **HURDAT2** (NHC best tracks, Atlantic and eastern/central Pacific): header lines
  ``EP182023, OTIS, 27,`` then one line per fix; -999 means missing; the 21st field
  (radius of maximum wind) exists since the 2022 format update.
- **ATCF** b-deck (best track, ``TECH == BEST``) or, in forecast mode, a-deck lines
  of one forecast technique (``OFCL`` when present) at the latest base time; one
  line per fix and wind-radius threshold (``RAD`` 34/50/64), radii in nm by quadrant
  (``NEQ``) or full circle (``AAA``).
- **IBTrACS** CSV (v04): the header, the units row, then one row per fix;
  ``USA_*`` columns (1-minute winds, radii in nm) are used; a row without
  ``USA_WIND`` falls back to ``WMO_WIND`` only when the WMO agency is an
  NHC/CPHC/JTWC product (1-minute winds), otherwise it is rejected.
- **csv**: one row per fix with ``time``, ``lat``, ``lon`` and a maximum-wind column
  in kt (``vmax_kt``), km/h (``vmax_kmh``) or m/s (``vmax_ms``); optional
  ``pressure_hpa``, ``env_pressure_hpa``, ``rmax_km`` / ``rmax_nm``, radii
  ``r34_ne_km`` ... ``r64_nw_km`` (or ``_nm``; bare ``r34_ne`` is nm, as NHC gives
  them), ``lead_hours`` and ``storm``. Spanish aliases (``fecha_hora``, ``latitud``,
  ``longitud``, ``viento_kt``, ``presion_hpa``) are accepted.

Files with several storms need ``storm`` (an id such as ``EP182023`` or an IBTrACS
SID, or a name); the other storms' records are listed in the rejects, one line per
storm. Fixes that cannot be used (no position, no wind, a repeated time) are
rejected with the reason.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import pandas as pd

import xarray as xr

from geodisp.hazard_models import windfield
from geodisp.hazard_models.swath import wind_footprint
from geodisp.model.errors import InputError
from geodisp.model.rejects import Read, concat_rejects, empty_rejects, rejects_frame
from geodisp.sources.messages import Message
from geodisp.sources.points import listed_columns
from geodisp.sources.tables import decode_text, find_column, read_table, to_number

SOURCE = "hazard"
FORMATS = ("hurdat2", "atcf", "ibtracs", "csv")
NM = windfield.NM
_QUADS = windfield.QUADRANTS
OUT_COLUMNS = [*windfield.TRACK_COLUMNS, "lead_hours", "record"]


def detect_format(path: Path, text_head: str) -> str:
    """The track format of a file from its first lines."""
    first = [ln for ln in text_head.splitlines() if ln.strip()][:2]
    if not first:
        raise InputError.coded("input_track_empty", file=path)
    if re.match(r"^\s*[A-Z]{2}\d{6}\s*,", first[0]):
        return "hurdat2"
    if re.match(r"^\s*[A-Z]{2}\s*,\s*\d{1,2}\s*,\s*\d{10}\s*,", first[0]):
        return "atcf"
    if "SID" in first[0].upper().split(",")[:1] or ("ISO_TIME" in first[0].upper() and "USA_WIND" in first[0].upper()):
        return "ibtracs"
    return "csv"


def _head(path: Path) -> str:
    with open(path, "rb") as fh:
        return decode_text(fh.read(4096), str(path))


def _latlon(text: str) -> float:
    """``12.5N`` / ``97.0W`` (HURDAT2) -> signed degrees; NaN if unreadable."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([NSEW])\s*", text or "")
    if not m:
        return math.nan
    value = float(m.group(1))
    return -value if m.group(2) in "SW" else value


def _tenths(text: str) -> float:
    """``125N`` / ``970W`` (ATCF, tenths of a degree) -> signed degrees."""
    m = re.fullmatch(r"\s*(\d+)\s*([NSEW])\s*", text or "")
    if not m:
        return math.nan
    value = int(m.group(1)) / 10.0
    return -value if m.group(2) in "SW" else value


def _num(text: str, missing: Sequence[float] = (-999.0, -99.0)) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        return math.nan
    return math.nan if value in missing else value


# ---------------------------------------------------------------- HURDAT2


def parse_hurdat2(path: Path) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """All fixes of a HURDAT2 file (one table) and the storms ``[(id, name, first record)]``."""
    rows, storms = [], []
    storm_id = name = None
    for n, line in enumerate(decode_text(Path(path).read_bytes(), str(path)).splitlines(), start=1):
        if not line.strip():
            continue
        f = [x.strip() for x in line.split(",")]
        if re.fullmatch(r"[A-Z]{2}\d{6}", f[0]):
            storm_id, name = f[0], f[1] if len(f) > 1 else ""
            storms.append((storm_id, name, f"line {n}"))
            continue
        if storm_id is None:
            raise InputError.coded("input_hurdat2_fix_first", file=path, line=n)
        f += [""] * (21 - len(f))
        row = {"storm": storm_id, "name": name, "record": f"line {n}", "date": f[0], "hhmm": f[1],
               "identifier": f[2], "status": f[3], "lat": _latlon(f[4]), "lon": _latlon(f[5]),
               "vmax_kt": _num(f[6]), "pressure_hpa": _num(f[7]),
               "rmax_km": _num(f[20]) * NM if f[20] else math.nan}
        for k, kt in enumerate(windfield.RADII_KT):
            for q, quad in enumerate(_QUADS):
                row[f"r{kt}_{quad}_km"] = _num(f[8 + 4 * k + q]) * NM
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise InputError.coded("input_hurdat2_no_fixes", file=path)
    frame["time"] = pd.to_datetime(frame["date"] + frame["hhmm"].str.zfill(4), format="%Y%m%d%H%M", errors="coerce")
    frame["env_pressure_hpa"] = math.nan
    frame["lead_hours"] = 0.0
    return frame, storms


# ---------------------------------------------------------------- ATCF


def parse_atcf(path: Path) -> pd.DataFrame:
    """Every line of an ATCF a- or b-deck, one row per line (radii still per threshold)."""
    rows = []
    for n, line in enumerate(decode_text(Path(path).read_bytes(), str(path)).splitlines(), start=1):
        if not line.strip():
            continue
        f = [x.strip() for x in line.split(",")]
        f += [""] * (28 - len(f))
        rad = _num(f[11])
        rows.append({
            "storm": f"{f[0]}{f[1].zfill(2)}{f[2][:4]}", "name": f[27], "record": f"line {n}",
            "base": f[2], "minutes": f[3], "tech": f[4].upper(), "tau": _num(f[5]),
            "lat": _tenths(f[6]), "lon": _tenths(f[7]), "vmax_kt": _num(f[8]), "pressure_hpa": _num(f[9]) or math.nan,
            "rad": rad, "windcode": f[12].upper(), "radii": [_num(x) for x in f[13:17]],
            "env_pressure_hpa": _num(f[17]), "rmax_km": _num(f[19]) * NM,
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise InputError.coded("input_atcf_no_lines", file=path)
    minutes = pd.to_numeric(frame["minutes"].where(frame["tech"] == "BEST"), errors="coerce").fillna(0)
    base = pd.to_datetime(frame["base"], format="%Y%m%d%H", errors="coerce")
    frame["time"] = base + pd.to_timedelta(frame["tau"].fillna(0), unit="h") + pd.to_timedelta(minutes, unit="m")
    frame["base_time"] = base
    for col in ("pressure_hpa", "env_pressure_hpa", "rmax_km"):
        frame.loc[frame[col] <= 0, col] = math.nan
    return frame


def _atcf_fixes(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per fix: the lines of one time merged, radii spread into ``r{kt}_{quad}_km``."""
    out = []
    for _, lines in frame.groupby("time", sort=True):
        first = lines.iloc[0]
        row = {c: first[c] for c in ("storm", "name", "record", "time", "lat", "lon", "vmax_kt",
                                     "pressure_hpa", "env_pressure_hpa", "rmax_km")}
        row["lead_hours"] = float(first["tau"]) if np.isfinite(first["tau"]) else 0.0
        for kt in windfield.RADII_KT:
            for quad in _QUADS:
                row[f"r{kt}_{quad}_km"] = math.nan
        for _, ln in lines.iterrows():
            if ln["rad"] in windfield.RADII_KT:
                radii = ln["radii"] if ln["windcode"] != "AAA" else [ln["radii"][0]] * 4
                for quad, value in zip(_QUADS, radii):
                    row[f"r{int(ln['rad'])}_{quad}_km"] = value * NM
        out.append(row)
    return pd.DataFrame(out)


# ---------------------------------------------------------------- IBTrACS

_ONE_MINUTE_AGENCIES = {"hurdat_atl", "hurdat_epa", "atcf", "cphc", "nhc", "jtwc_wp", "jtwc_io", "jtwc_sh", "jtwc_ep", "jtwc_cp"}


def parse_ibtracs(path: Path) -> pd.DataFrame:
    """IBTrACS v04 CSV rows (units row skipped) with the normalised columns; record = CSV row."""
    table = read_table(path).frame  # its notes (a header below title lines) say nothing a track needs
    upper = {c.upper(): c for c in table.columns}
    need = [c for c in ("SID", "ISO_TIME", "LAT", "LON") if c not in upper]
    if need:
        raise InputError.coded("input_not_ibtracs", file=path, columns=need)
    col = lambda name: table[upper[name]] if name in upper else pd.Series([""] * len(table))  # noqa: E731
    units_row = col("LAT").astype(str).str.strip().str.lower().str.startswith("degrees")
    num = lambda name: to_number(col(name).astype(str))  # noqa: E731
    wind = num("USA_WIND")
    agency = col("WMO_AGENCY").astype(str).str.strip().str.lower()
    wmo_ok = agency.isin(_ONE_MINUTE_AGENCIES)
    frame = pd.DataFrame({
        "storm": col("SID").astype(str).str.strip(), "name": col("NAME").astype(str).str.strip(),
        "atcf": col("USA_ATCF_ID").astype(str).str.strip(),
        "record": [f"row {i + 1}" for i in range(len(table))],
        "time": pd.to_datetime(col("ISO_TIME"), errors="coerce"),
        "lat": num("LAT"), "lon": num("LON"),
        "vmax_kt": wind.where(wind.notna(), num("WMO_WIND").where(wmo_ok)),
        "wind_note": np.where(wind.isna() & num("WMO_WIND").notna() & ~wmo_ok, "wmo_not_1min", ""),
        "pressure_hpa": num("USA_PRES").where(num("USA_PRES").notna(), num("WMO_PRES")),
        "env_pressure_hpa": num("USA_POCI"), "rmax_km": num("USA_RMW") * NM, "lead_hours": 0.0,
    })
    for kt in windfield.RADII_KT:
        for quad in _QUADS:
            frame[f"r{kt}_{quad}_km"] = num(f"USA_R{kt}_{quad.upper()}") * NM
    return frame[~units_row.to_numpy()].reset_index(drop=True)


# ---------------------------------------------------------------- plain CSV

_ALIASES = {
    "time": ["time", "datetime", "iso_time", "fecha_hora", "fecha"],
    "lat": ["lat", "latitude", "latitud"],
    "lon": ["lon", "longitude", "longitud"],
    "pressure_hpa": ["pressure_hpa", "pressure", "mslp", "presion_hpa", "presion"],
    "env_pressure_hpa": ["env_pressure_hpa", "poci", "pouter"],
    "lead_hours": ["lead_hours", "tau", "horas"],
    "storm": ["storm", "sid", "storm_id", "ciclon"],
}
_WIND = {"vmax_kt": 1.0, "vmax": 1.0, "wind_kt": 1.0, "viento_kt": 1.0,
         "vmax_kmh": 1 / 1.852, "viento_kmh": 1 / 1.852, "vmax_ms": 1 / windfield.KT, "viento_ms": 1 / windfield.KT}


def _scaled(table: pd.DataFrame, options: dict[str, float]) -> pd.Series | None:
    """The first column of ``options`` (name -> factor to the target unit), converted."""
    for name, factor in options.items():
        column = find_column(table, [name])
        if column is not None:
            return to_number(table[column]) * factor
    return None


def _times(text: pd.Series) -> pd.Series:
    """ISO 8601 times (UTC when no zone is given); others day first, as Mexican forms write dates."""
    iso = pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")
    rest = iso.isna() & text.astype(str).str.strip().ne("")
    if rest.any():
        iso[rest] = pd.to_datetime(text[rest], errors="coerce", utc=True, format="mixed", dayfirst=True)
    return iso.dt.tz_localize(None)


def parse_csv(path: Path) -> pd.DataFrame:
    """A plain CSV/XLSX track (columns described in the module docstring)."""
    table = read_table(path).frame  # its notes (a header below title lines) say nothing a track needs
    cols = {key: find_column(table, names) for key, names in _ALIASES.items()}
    missing = [k for k in ("time", "lat", "lon") if cols[k] is None]
    wind = _scaled(table, _WIND)
    if wind is None:
        missing.append("vmax_kt | vmax_kmh | vmax_ms")  # one of them
    if missing:
        raise InputError.coded("input_track_columns", file=path, missing=", ".join(missing), columns=listed_columns(table))
    frame = pd.DataFrame({
        "record": [f"row {i + 1}" for i in range(len(table))],
        "time": _times(table[cols["time"]]),
        "lat": to_number(table[cols["lat"]]), "lon": to_number(table[cols["lon"]]), "vmax_kt": wind,
        "storm": table[cols["storm"]].str.strip() if cols["storm"] else "",
        "name": table[cols["storm"]].str.strip() if cols["storm"] else "",
    })
    for key in ("pressure_hpa", "env_pressure_hpa", "lead_hours"):
        frame[key] = to_number(table[cols[key]]) if cols[key] else (0.0 if key == "lead_hours" else math.nan)
    rmax = _scaled(table, {"rmax_km": 1.0, "rmw_km": 1.0, "rmax_nm": NM, "rmw_nm": NM, "rmw": NM})
    frame["rmax_km"] = rmax if rmax is not None else math.nan
    for kt in windfield.RADII_KT:
        for quad in _QUADS:
            stem = f"r{kt}_{quad}"
            radii = _scaled(table, {f"{stem}_km": 1.0, f"{stem}_nm": NM, stem: NM})
            frame[f"{stem}_km"] = radii if radii is not None else math.nan
    return frame


# ---------------------------------------------------------------- common


def _storm_list(ids: Sequence[str], shown: int = 8) -> str:
    """The storm ids of a file for a message: the first ``shown``, then '...'."""
    return ", ".join(ids[:shown]) + (", ..." if len(ids) > shown else "")


def group_rejects(path: Path, dropped: pd.DataFrame, by: str, code: str, **params: object) -> pd.DataFrame:
    """One reject per group of ``dropped`` lines sharing ``by`` (another storm, another technique),
    named by the group's first record; the reason ``code`` says which group (``other``) and how many
    lines (``count``) it holds, besides ``params``."""
    groups = dropped.groupby(by, sort=False)["record"]
    return rejects_frame(SOURCE, str(path), [str(r.iloc[0]) for _, r in groups],
                         [Message(code, other=key, count=len(r), **params) for key, r in groups])


def _choose_storm(path: Path, frame: pd.DataFrame, storm: Optional[str], extra_ids: Sequence[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the chosen storm and one reject line per other storm."""
    ids = frame["storm"].astype(str)
    distinct = list(dict.fromkeys(ids))
    if storm is None:
        if len(distinct) > 1:
            raise InputError.coded("input_track_storms", file=path, n=len(distinct), storms=_storm_list(distinct))
        return frame, empty_rejects()
    wanted = storm.strip().upper()
    match = ids.str.upper() == wanted
    for extra in extra_ids:
        match |= frame[extra].astype(str).str.upper() == wanted
    if not match.any():
        by_name = frame["name"].astype(str).str.upper() == wanted
        named = list(dict.fromkeys(ids[by_name]))
        if len(named) > 1:
            raise InputError.coded("input_track_storm_ambiguous", file=path, storm=storm, ids=", ".join(named))
        match = by_name
    if not match.any():
        raise InputError.coded("input_track_storm_not_found", file=path, storm=storm, storms=_storm_list(distinct))
    others = frame[~match]
    return frame[match], group_rejects(path, others, "storm", "track_other_storm", storm=storm)


def clean_fixes(path: Path, frame: pd.DataFrame) -> Read:
    """Keep the fixes that can drive the model; reject the rest with the reason."""
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reasons[frame["time"].isna()] = Message("track_bad_time")
    bad_pos = ~(frame["lat"].between(-90, 90) & frame["lon"].between(-180, 360))
    reasons[reasons.isna() & bad_pos] = Message("track_bad_position")
    if "wind_note" in frame:
        reasons[reasons.isna() & (frame["wind_note"] == "wmo_not_1min")] = Message("track_wmo_not_1min")
    reasons[reasons.isna() & ~(frame["vmax_kt"] > 0)] = Message("track_no_wind")
    ok = reasons.isna()
    dup = pd.Series(False, index=frame.index)
    dup[ok] = frame.loc[ok, "time"].duplicated(keep="first")
    reasons[dup] = Message("track_repeated_time")
    ok = reasons.isna().to_numpy()
    rejects = rejects_frame(SOURCE, str(path), list(frame["record"][~ok]), list(reasons[~ok]))
    fixes = frame[ok].sort_values("time", kind="stable")
    fixes = fixes.assign(lon=((fixes["lon"] + 180.0) % 360.0) - 180.0)
    out = fixes.reindex(columns=OUT_COLUMNS).reset_index(drop=True)
    if out.empty:
        raise InputError.coded("input_track_no_usable_fix", file=path, n=len(frame))
    return Read(out, rejects)


def read_track_table(track: str | Path, format: Optional[str] = None, storm: Optional[str] = None,
                     forecast: bool = False) -> Read:
    """Read a track file into the normalised fixes table; ``Read(fixes, rejects)``."""
    path = Path(track)
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    fmt = format or detect_format(path, _head(path))
    if fmt not in FORMATS:
        raise InputError.coded("input_track_format", file=path, format=fmt, formats=", ".join(FORMATS))
    rejects = [empty_rejects()]
    if fmt == "hurdat2":
        frame, _ = parse_hurdat2(path)
        frame, other = _choose_storm(path, frame, storm)
    elif fmt == "atcf":
        frame, other, kept = _atcf_selection(path, parse_atcf(path), storm, forecast)
        rejects.append(kept)
        frame = _atcf_fixes(frame)
    elif fmt == "ibtracs":
        frame, other = _choose_storm(path, parse_ibtracs(path), storm, extra_ids=("atcf",))
    else:
        frame = parse_csv(path)
        frame, other = _choose_storm(path, frame, storm) if frame["storm"].astype(str).str.len().any() else (frame, empty_rejects())
    fixes, bad, _ = clean_fixes(path, frame)
    if not forecast and (fixes["lead_hours"] > 0).any():
        raise InputError.coded("input_track_has_forecast", file=path)
    return Read(fixes, concat_rejects(*rejects, other, bad))


def _atcf_selection(path: Path, frame: pd.DataFrame, storm: Optional[str], forecast: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The lines of one storm and technique: BEST (observed) or one forecast at its latest base time."""
    frame, other = _choose_storm(path, frame, storm)
    if forecast:
        techs = [t for t in dict.fromkeys(frame["tech"]) if t not in ("BEST", "CARQ", "WRNG")]
        if not techs:
            raise InputError.coded("input_atcf_no_forecast", file=path, techs=", ".join(sorted(set(frame["tech"]))))
        tech = "OFCL" if "OFCL" in techs else techs[0] if len(techs) == 1 else None
        if tech is None:
            raise InputError.coded("input_atcf_techniques", file=path, techs=", ".join(techs))
        chosen = frame["tech"] == tech
        latest = frame.loc[chosen, "base_time"].max()
        chosen &= frame["base_time"] == latest
        why = {"code": "track_not_forecast", "tech": tech, "base": f"{latest:%Y-%m-%d %H}"}
    else:
        chosen = (frame["tech"] == "BEST") & (frame["tau"].fillna(0) == 0)
        if not chosen.any():
            raise InputError.coded("input_atcf_no_best", file=path)
        why = {"code": "track_not_best"}
    return frame[chosen], other, group_rejects(path, frame[~chosen], "tech", **why)


MODELS = windfield.MODELS


def read_track(track: str | Path, format: Optional[str] = None, storm: Optional[str] = None,
               model: Optional[str] = None, forecast: bool = False, bins: Optional[Sequence[float]] = None,
               labels: Optional[Sequence[str]] = None, units: Optional[str] = None,
               like: xr.DataArray | None = None) -> Read:
    """Read a track and model its wind swath on the population grid ``like``; ``Read(Footprint, rejects)``.

    ``bins`` (kt) and ``labels`` classify the maximum sustained wind (Saffir-Simpson
    by default); ``units`` must be kt when given.
    """
    model = model or MODELS[0]
    if model not in MODELS:
        raise InputError.coded("input_wind_model", file=track, model=model, models=", ".join(MODELS), yaml_path="hazard.model")
    if units is not None and units.strip().lower() not in ("kt", "kn", "knots", "nudos"):
        raise InputError.coded("input_track_units", file=track, units=units)
    if like is None:
        raise ValueError("read_track needs the population grid (like=)")
    fixes, rejects, _ = read_track_table(track, format=format, storm=storm, forecast=forecast)
    footprint = wind_footprint(fixes, like, bins=bins, labels=labels, forecast=forecast, source=str(track), model=model)
    return Read(replace(footprint, records=len(fixes)), rejects, tuple(_notes(fixes)))


def _notes(fixes: pd.DataFrame) -> list[Message]:
    """What the model had to estimate, for the run's notes."""
    notes = [Message("track_swath", count=len(fixes), first=f"{fixes['time'].iloc[0]:%Y-%m-%d %H:%M}",
                     last=f"{fixes['time'].iloc[-1]:%Y-%m-%d %H:%M}")]
    no_rmax = int(fixes["rmax_km"].isna().sum())
    if no_rmax:
        notes.append(Message("track_rmax_estimated", count=no_rmax))
    no_pressure = int(fixes["pressure_hpa"].isna().sum())
    if no_pressure:
        notes.append(Message("track_deficit_estimated", count=no_pressure))
    return notes
