"""Hostile or oversized inputs end in exit 2 naming the file, with bounded work and short messages."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
import yaml
from rasterio.transform import from_origin

from geodisp.config.event import MAX_EVENT_BYTES, load_event
from geodisp.demo import DemoFiles
from geodisp.model.errors import InputError
from geodisp.outputs import tables
from geodisp.sources.tables import MAX_FIELD_CHARS, read_table

BOMB = "".join(
    f"{k}: &{k} [" + ",".join([f"*{p}" if p else '"lol"'] * 9) + "]\n"
    for k, p in zip("abcdefghij", [None, *"abcdefghi"])
)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geodisp.cli", *args], capture_output=True, text=True, timeout=300)


def test_a_yaml_alias_bomb_is_refused_in_a_short_message(tmp_path: Path) -> None:
    event = tmp_path / "bomb.yaml"
    event.write_text(BOMB + "event: *j\n", encoding="utf-8")
    proc = _cli("validate", str(event))
    assert proc.returncode == 2
    assert "alias" in proc.stderr and str(event) in proc.stderr
    assert len(proc.stderr) < 2000


def test_an_aliased_value_in_a_wrong_place_is_shown_cut(tmp_path: Path, small_demo: DemoFiles) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(small_demo.event.parent, inputs)
    text = (inputs / "event.yaml").read_text(encoding="utf-8")
    text = text.replace("hazard_type: tropical_cyclone", "hazard_type: &x " + "x" * 5000)
    event = inputs / "event.yaml"
    event.write_text(text + "extra: *x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_event(event)
    assert all(len(p) < 300 for p in info.value.problems), info.value.problems
    assert any(p.startswith("event.hazard_type:") for p in info.value.problems)


def test_an_event_file_beyond_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    event = tmp_path / "big.yaml"
    event.write_text("# " + "x" * MAX_EVENT_BYTES + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="larger than"):
        load_event(event)


def test_a_csv_with_a_50_mb_field_exits_2_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "viviendas.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("folio,latitud,longitud,nivel_dano\n")
        fh.write('VIV-1,17.5,-99.5,"' + "x" * (50 << 20) + '"\n')
    with pytest.raises(InputError) as info:
        read_table(path)
    assert str(path) in str(info.value) and "line 2" in str(info.value)
    assert len(str(info.value)) < 400
    assert MAX_FIELD_CHARS < (50 << 20)


def test_a_zipped_csv_beyond_the_table_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    from geodisp.sources import tables as source_tables

    monkeypatch.setattr(source_tables, "MAX_TABLE_BYTES", 1 << 20)
    row = "VIV-000001,17.500000,-99.500000,Parcial\n"
    body = "folio,latitud,longitud,nivel_dano\n" + row * (300 * (1 << 20) // len(row) // 100)  # ~3 MB, 1 MB allowed
    path = tmp_path / "viviendas.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("viviendas.csv", body)
    assert path.stat().st_size * 100 < len(body)  # it expands over 100x
    with pytest.raises(InputError, match="larger than"):
        read_table(path)
    # the same table under the limit reads
    monkeypatch.setattr(source_tables, "MAX_TABLE_BYTES", 8 << 20)
    assert len(read_table(path).frame) == body.count("\n") - 1


def _tiny_tif_claiming(path: Path, width: int, height: int) -> Path:
    """A GeoTIFF of a few KB whose header claims width x height cells (sparse, deflate)."""
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(-118.0, 33.0, 1e-5, 1e-5), tiled=True, blockxsize=4096, blockysize=4096,
                       compress="deflate", sparse_ok=True, BIGTIFF="YES", nodata=-1) as dst:
        dst.write(np.ones((256, 256), dtype="float32"), 1, window=rasterio.windows.Window(0, 0, 256, 256))
    return path


def test_a_raster_beyond_the_cell_budget_exits_2_naming_the_file_and_the_setting(small_demo: DemoFiles, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(small_demo.event.parent, inputs)
    huge = _tiny_tif_claiming(inputs / "poblacion.tif", 1_000_000, 1_000_000)  # 10^12 cells
    assert huge.stat().st_size < 5 << 20
    proc = _cli("run", str(inputs / "event.yaml"), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert "poblacion.tif" in proc.stderr and "overlay.max_cells" in proc.stderr


def test_more_rejects_than_a_sheet_holds_are_capped_in_the_xlsx_with_a_note(tmp_path: Path, monkeypatch) -> None:
    assert tables.XLSX_MAX_ROWS == 1_048_576  # Excel's limit, header row included
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 12)
    rejects = pd.DataFrame({"source": "damage", "file": "v.csv", "record": [f"row {i}" for i in range(1, 31)],
                            "reason": "missing coordinates"})
    path = tables.write_xlsx(tmp_path / "t.xlsx", {"rejects": rejects}, full_tables={"rejects": "rejects.csv"})
    import openpyxl

    ws = openpyxl.load_workbook(path)["rejects"]
    assert ws.max_row == 12
    assert [ws.cell(row=r, column=3).value for r in range(2, 12)] == [f"row {i}" for i in range(1, 11)]
    note = ws.cell(row=12, column=1).value
    assert "10" in note and "30" in note and "rejects.csv" in note
