"""Event file validation: every kind of problem, each reported with its YAML path."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from geodisp.model.errors import InputError
from geodisp.config.event import load_event


def _files(folder: Path) -> dict:
    for name in ("mun.gpkg", "pop.tif", "wind.gpkg", "casas.csv"):
        (folder / name).write_bytes(b"x")
    return {
        "event": {"id": "ev-1", "name": "Test", "hazard_type": "flood", "start": "2024-09-01", "end": "2024-09-03"},
        "boundaries": {"path": "mun.gpkg", "level": "mun"},
        "population": {"path": "pop.tif"},
        "hazard": {"path": "wind.gpkg", "field": "kt", "bins": [34, 50, 64], "labels": ["a", "b"]},
        "damage": {"path": "casas.csv"},
    }


def _write(folder: Path, data: dict) -> Path:
    path = folder / "event.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_event(path)
    return info.value.problems


def test_valid_event_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    ev = load_event(_write(tmp_path, _files(tmp_path)))
    assert ev.boundaries.path == (tmp_path / "mun.gpkg").resolve()
    assert ev.census.household_size == 3.6
    assert ev.output_dir(tmp_path / "o") == (tmp_path / "o").resolve()
    assert ev.output_dir().name == "ev-1" and ev.output_dir().parent.name == "layers"
    assert set(ev.input_paths()) == {"boundaries", "population", "hazard", "damage"}


def test_missing_file_is_named_with_its_yaml_path(tmp_path: Path) -> None:
    data = _files(tmp_path)
    (tmp_path / "casas.csv").unlink()
    assert _problems(_write(tmp_path, data)) == ["damage.path: file not found: casas.csv"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = _files(tmp_path)
    data["event"]["hazard_type"] = "hurricane"
    data["event"]["colour"] = "red"
    data["boundaries"]["level"] = "county"
    data["population"]["path"] = "nowhere.tif"
    del data["event"]["name"]
    problems = _problems(_write(tmp_path, data))
    assert len(problems) == 5, problems
    joined = "\n".join(problems)
    assert "event.hazard_type:" in joined and "'hurricane'" in joined
    assert "event.colour: unknown key" in joined
    assert "event.name: required key is missing" in joined
    assert "boundaries.level:" in joined
    assert "population.path: file not found: nowhere.tif" in joined


def test_unknown_top_level_section_is_an_error(tmp_path: Path) -> None:
    data = _files(tmp_path)
    data["outputs"] = {"directory": "x"}
    assert _problems(_write(tmp_path, data)) == ["outputs: unknown key; did you mean 'output'? (see the event file reference in README.md)"]


def test_dates_bins_labels_and_crs_are_checked(tmp_path: Path) -> None:
    data = _files(tmp_path)
    data["event"]["end"] = "2024-08-01"
    data["hazard"]["bins"] = [34, 64, 50]
    data["damage"]["crs"] = "EPSG:999999"
    problems = _problems(_write(tmp_path, data))
    joined = "\n".join(problems)
    assert "event: end 2024-08-01 is before start 2024-09-01" in joined
    assert "hazard: bins must increase strictly" in joined
    assert "damage.crs: unknown CRS 'EPSG:999999'" in joined


def test_labels_must_match_bins(tmp_path: Path) -> None:
    data = _files(tmp_path)
    data["hazard"]["labels"] = ["only one"]
    assert _problems(_write(tmp_path, data)) == [
        "hazard: labels: 1 label for 2 intervals (give one label per interval: len(bins) - 1)"
    ]


def test_unknown_method_option_is_an_error(tmp_path: Path) -> None:
    data = _files(tmp_path)
    data["methods"] = {"housing": {"wieghts": {}}}
    problems = _problems(_write(tmp_path, data))
    assert len(problems) == 1 and problems[0].startswith("methods.housing.wieghts: unknown key")


def test_bad_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "event.yaml"
    path.write_text("event:\n  id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid YAML \(line"):
        load_event(path)


def test_missing_event_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="event file not found"):
        load_event(tmp_path / "nope.yaml")


def test_an_impossible_date_is_bad_input_quoting_the_value(tmp_path: Path) -> None:
    path = tmp_path / "event.yaml"
    text = _write(tmp_path, _files(tmp_path)).read_text(encoding="utf-8")
    path.write_text(text.replace("start: '2024-09-01'", "start: 2023-13-25"), encoding="utf-8")
    assert "start: 2023-13-25" in path.read_text(encoding="utf-8")  # a bare YAML date, not a string
    problems = _problems(path)
    assert len(problems) == 1 and problems[0].startswith("event.start: ") and problems[0].endswith("got '2023-13-25'")


def test_an_empty_file_and_a_missing_section_say_which(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(InputError, match="the event file is empty"):
        load_event(tmp_path / "empty.yaml")
    data = _files(tmp_path)
    del data["hazard"]
    assert _problems(_write(tmp_path, data)) == ["hazard: required section is missing"]


def test_levels_with_yaml_integer_keys_and_record_sections(tmp_path: Path) -> None:
    data = _files(tmp_path)
    (tmp_path / "evac.xlsx").write_bytes(b"x")
    (tmp_path / "alb.csv").write_bytes(b"x")
    data["damage"].update({"levels": {1: "destroyed", 2: "partial"}, "layer": "Concentrado", "state": "12"})
    data["records"] = {"evacuations": {"path": "evac.xlsx", "layer": "Hoja1", "unit": "households",
                                       "columns": {"households": "FAMILIAS"}},
                       "shelters": "alb.csv", "state": "12"}
    ev = load_event(_write(tmp_path, data))
    assert ev.damage.levels == {"1": "destroyed", "2": "partial"} and ev.damage.layer == "Concentrado"
    assert ev.records.evacuations.unit == "households" and ev.records.evacuations.layer == "Hoja1"
    assert ev.records.shelters.path == (tmp_path / "alb.csv").resolve()
    assert set(ev.input_paths()) >= {"records.evacuations", "records.shelters"}


def test_validation_problems_are_catalogue_messages_in_both_languages(tmp_path: Path) -> None:
    """pydantic's error types become catalogue messages naming the YAML path and quoting the value;
    the English text is what Python callers read, the command line shows the chosen language."""
    from geodisp.outputs.i18n import language

    data = _files(tmp_path)
    data["event"]["hazard_type"] = "hurricane"
    data["overlay"] = {"chunk_size": "mucho"}
    data["census"] = {"houshold_size": 3.6}
    with pytest.raises(InputError) as info:
        load_event(_write(tmp_path, data))
    head, *problems = info.value.messages
    es = [language("es").message(p) for p in problems]
    en = [language("en").message(p) for p in problems]
    assert info.value.problems == en  # the exception's own text is the English rendering
    assert language("es").message(head).endswith("3 problemas en el archivo de evento")
    assert language("en").message(head).endswith("3 problems in the event file")
    assert any(t.startswith("event.hazard_type: debe ser uno de 'tropical_cyclone', 'flood'") and
               t.endswith(" o 'wildfire'; se recibió 'hurricane'") for t in es), es
    assert "overlay.chunk_size: debe ser un número entero; se recibió 'mucho'" in es
    assert "census.houshold_size: clave desconocida; ¿quiso decir 'household_size'? (ver la referencia del archivo " \
           "de evento en README.md)" in es
    assert "overlay.chunk_size: Input should be a valid integer; got 'mucho'" in en


def test_an_unmapped_pydantic_error_still_names_the_path_and_the_value() -> None:
    from geodisp.config.event import problem_message
    from geodisp.outputs.i18n import language

    m = problem_message({"type": "uuid_parsing", "loc": ("event", "id"), "input": "x-1", "msg": "Input should be a UUID"})
    assert language("es").message(m) == "event.id: valor no válido; se recibió 'x-1' (error «uuid_parsing»)"
    assert language("en").message(m) == "event.id: invalid value; got 'x-1' (error “uuid_parsing”)"
