"""``geodisp validate`` opens every input and lists every problem with its YAML path (issue 12 item 11)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from geodisp.cli import app
from geodisp.demo import DemoFiles
from geodisp.model.errors import InputError
from geodisp.validate import validate_event


def _event(small_demo: DemoFiles, folder: Path, **changes: dict) -> Path:
    """The demo's event with absolute paths, sections updated by ``changes``, written in ``folder``."""
    data = yaml.safe_load(small_demo.event.read_text(encoding="utf-8"))
    base = small_demo.event.parent
    for section in ("boundaries", "population", "hazard", "census", "damage"):
        if section in data and "path" in data[section]:
            data[section]["path"] = str(base / data[section]["path"])
    data["records"] = {key: str(base / value) if key != "state" else value for key, value in data["records"].items()}
    for facility in data.get("facilities", []):
        facility["path"] = str(base / facility["path"])
    for section, update in changes.items():
        data[section] = {**data.get(section, {}), **update}
    path = folder / "event.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_demo_event_validates_with_record_counts(small_demo: DemoFiles, tmp_path: Path) -> None:
    event, counts = validate_event(_event(small_demo, tmp_path))
    assert event.event.id
    assert {"boundaries", "hazard", "damage", "records.evacuations", "records.shelters"} <= {c.source for c in counts}
    assert all(c.read == c.used + c.rejected for c in counts)


def test_every_missing_layer_sheet_and_column_is_listed_with_its_yaml_path(small_demo: DemoFiles, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Resumen"
    book.active.append(["municipio", "fecha", "ocupantes"])
    book.save(tmp_path / "albergues.xlsx")
    path = _event(
        small_demo, tmp_path,
        hazard={"layer": "viento_kt"},
        damage={"columns": {"level": "nivel_de_daño"}},
        records={"shelters": {"path": str(tmp_path / "albergues.xlsx"), "layer": "Hoja1"}},
    )
    with pytest.raises(InputError) as err:
        validate_event(path)
    problems = err.value.problems
    assert len(problems) == 3, problems
    hazard, damage, shelters = problems
    assert hazard.startswith("hazard: ") and "no layer 'viento_kt'; the layers are " in hazard
    assert damage.startswith("damage: ") and "column 'nivel_de_daño' (columns.level) not found; the columns are " in damage
    assert shelters.startswith("records.shelters: ") and "no sheet 'Hoja1'; the sheets are Resumen" in shelters


def test_validate_command_exit_codes(small_demo: DemoFiles, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(_event(small_demo, tmp_path))])
    assert ok.exit_code == 0, ok.output
    assert "valid" in ok.output and "damage:" in ok.output
    bad = _event(small_demo, tmp_path, damage={"columns": {"level": "nivel_de_daño"}})
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "damage: " in result.output and "columns.level" in result.output
