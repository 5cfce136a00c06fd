"""No personal data in anything a run writes: planted in every field of every input,
then searched for in every byte written (files, XLSX unzipped, the GeoPackage's text,
logs, stdout and stderr).

Four values are planted: a person's name, a CURP, a phone number and an e-mail
address. They go into columns geodisp never needs (dropped by the readers), into the
id and name columns it keeps (folios, shelter and facility names, unit names: redacted
at the output edge), and into the cells it must read (coordinates, damage level,
municipio, counts, dates: the record is rejected, and the reason names the column,
never the value). The search folds case and accents and lets a phone's digits be
separated by spaces, dots or dashes, so a normalised copy is found too.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd

from geodisp.demo import DemoFiles

NAME = "María Guadalupe Hernández López"
CURP = "HELG800101MGRRPD09"
PHONE = "744 123 4567"
EMAIL = "lupita.hernandez@example.com"
PLANTED = {"name": NAME, "CURP": CURP, "phone": PHONE, "e-mail": EMAIL}
ALL = f"{NAME}, {CURP}, tel. {PHONE}, {EMAIL}"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _pattern(value: str) -> re.Pattern:
    """The value as found in any text: case and accents folded, words joined by any separators."""
    folded = _fold(value)
    if value == PHONE:
        digits = re.sub(r"\D", "", folded)
        return re.compile(r"[\s.\-()]*".join(digits))
    words = re.split(r"[^0-9a-z]+", folded)
    return re.compile(r"[^0-9a-z]{0,3}".join(re.escape(w) for w in words if w))


PATTERNS = {what: _pattern(v) for what, v in PLANTED.items()}


def _texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every piece of text a file holds."""
    data = path.read_bytes()
    found = [(str(path), data.decode("utf-8", "replace"))]
    if path.suffix in (".xlsx", ".zip", ".qgz"):
        with zipfile.ZipFile(path) as zf:
            found += [(f"{path}!{n}", zf.read(n).decode("utf-8", "replace")) for n in zf.namelist()]
    if path.suffix == ".gpkg":
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found.append((f"{path} (sql)", "\n".join(con.iterdump())))
        finally:
            con.close()
    return found


def _leaks(out: Path, *streams: str) -> list[str]:
    """Every place a planted value shows up, as 'what in where'."""
    pieces = [(f"stream {i}", s) for i, s in enumerate(streams)]
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.is_symlink() and "inputs" not in path.relative_to(out).parts:
            pieces += _texts(path)
    hits = []
    for where, text in pieces:
        folded = _fold(text)
        for what, pattern in PATTERNS.items():
            m = pattern.search(folded)
            if m:
                hits.append(f"{what} in {where}: …{folded[max(0, m.start() - 60):m.end() + 20]!r}")
    return hits


def _rewrite_csv(path: Path, edit) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows = edit(rows)
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def _extra_columns(rows: list[dict]) -> list[dict]:
    for r in rows:
        r.update(responsable=NAME, telefono_contacto=PHONE, correo=EMAIL, curp_titular=CURP, observaciones=ALL)
    return rows


def _plant_in_kept_ids_and_names(inputs: Path) -> None:
    """Personal data in columns geodisp drops and in the id and name columns it keeps."""
    def damage(rows):
        for i, value in enumerate((PHONE, CURP, NAME, EMAIL, f"VIV {PHONE}")):
            rows[10 + i]["folio"] = value
        return _extra_columns(rows)

    def shelters(rows):
        first = rows[0]["albergue_id"]
        for r in rows:
            if r["albergue_id"] == first:
                r["nombre"] = f"Albergue Escuela Benito Juárez, resp. {NAME} {PHONE}"
        rows[-1]["nombre"] = f"Auditorio ({NAME}) {EMAIL}"
        return _extra_columns(rows)

    _rewrite_csv(inputs / "viviendas_danadas.csv", damage)
    _rewrite_csv(inputs / "albergues.csv", shelters)
    _rewrite_csv(inputs / "escuelas_y_salud.csv", _extra_columns)
    _rewrite_csv(inputs / "evacuaciones.csv", _extra_columns)
    _rewrite_csv(inputs / "censo_municipal.csv", _extra_columns)
    for name, layer in (("municipios.gpkg", "municipios"), ("viento.gpkg", "viento")):
        frame = gpd.read_file(inputs / name, layer=layer)
        frame["responsable"], frame["telefono"], frame["correo"], frame["curp"] = NAME, PHONE, EMAIL, CURP
        if name == "municipios.gpkg":  # a phone and an e-mail typed into a unit's official name
            frame.loc[0, "NOMGEO"] = f"{frame.loc[0, 'NOMGEO']} tel {PHONE} {EMAIL}"
        frame.to_file(inputs / name, layer=layer, driver="GPKG")


def _plant_in_cells_read(inputs: Path) -> None:
    """Personal data in the cells geodisp must read: coordinates, level, municipio, counts, dates."""
    def damage(rows):
        for i, (col, value) in enumerate((("nivel_dano", NAME), ("latitud", CURP), ("longitud", PHONE),
                                          ("nivel_dano", EMAIL), ("latitud", NAME))):
            rows[20 + i][col] = value
        return rows

    def shelters(rows):
        rows[1]["municipio"], rows[2]["ocupantes"], rows[3]["fecha"], rows[4]["latitud"] = NAME, PHONE, EMAIL, CURP
        last = rows[-1]["albergue_id"]
        for r in rows:
            if r["albergue_id"] == last:
                r["albergue_id"] = PHONE
        return rows

    def evacuations(rows):
        rows[0]["municipio"], rows[1]["personas"], rows[2]["fecha"] = NAME, PHONE, CURP
        return rows

    def facilities(rows):
        rows[3]["tipo"], rows[4]["latitud"], rows[5]["longitud"] = NAME, PHONE, EMAIL
        rows[0]["nombre"] = f"Escuela Primaria Benito Juárez, director {NAME}, {EMAIL}"
        rows[1]["clave"] = CURP
        rows[2]["nombre"] = NAME
        return rows

    def census(rows):
        rows[0]["NOM_MUN"], rows[1]["POBTOT"], rows[2]["PROM_OCUP"] = NAME, PHONE, CURP
        return rows

    _rewrite_csv(inputs / "viviendas_danadas.csv", damage)
    _rewrite_csv(inputs / "albergues.csv", shelters)
    _rewrite_csv(inputs / "evacuaciones.csv", evacuations)
    _rewrite_csv(inputs / "escuelas_y_salud.csv", facilities)
    _rewrite_csv(inputs / "censo_municipal.csv", census)


def _run(event: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geodisp.cli", "run", str(event), "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=600)


def _copy(demo: DemoFiles, tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(demo.event.parent, inputs)
    return inputs


def _owner_only(out: Path) -> list[str]:
    """Files and folders others could read."""
    return [str(p) for p in [out, *out.rglob("*")] if not p.is_symlink() and p.stat().st_mode & 0o077
            and "inputs" not in p.relative_to(out).parts and p != out]


def test_planted_in_ids_names_and_dropped_columns_reaches_no_output(small_demo: DemoFiles, tmp_path: Path) -> None:
    inputs = _copy(small_demo, tmp_path)
    _plant_in_kept_ids_and_names(inputs)
    out = tmp_path / "out"
    proc = _run(inputs / "event.yaml", out)
    assert proc.returncode == 0, proc.stderr
    # the planted records were used, not dropped: ids fall back to the record name, names are cut
    points = gpd.read_file(next((out / "latest").glob("*.gpkg")), layer="damage_points")
    assert {"row 11", "row 12", "row 13", "row 14", "row 15"} <= set(points["dwelling_id"])
    assert _leaks(out, proc.stdout, proc.stderr) == []
    assert _owner_only(out) == []


def test_planted_in_every_cell_read_reaches_no_output_message_or_log(small_demo: DemoFiles, tmp_path: Path) -> None:
    inputs = _copy(small_demo, tmp_path)
    _plant_in_kept_ids_and_names(inputs)
    _plant_in_cells_read(inputs)
    out = tmp_path / "out"
    proc = _run(inputs / "event.yaml", out)
    assert proc.returncode == 0, proc.stderr
    assert _leaks(out, proc.stdout, proc.stderr) == []
    # kept columns are kept, their personal part cut: the shelter is still named
    shelters = gpd.read_file(next((out / "latest").glob("*.gpkg")), layer="shelters")
    assert any(str(n).startswith("Albergue Escuela Benito Juárez") for n in shelters["name"])
    # a damage file without its header row: the first data row must not be quoted in the error
    path = inputs / "viviendas_danadas.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    proc = _run(inputs / "event.yaml", out)
    assert proc.returncode == 2, proc.stderr
    assert _leaks(out, proc.stdout, proc.stderr) == []
