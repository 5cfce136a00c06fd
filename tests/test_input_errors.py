"""Bad-input errors as catalogue messages: a code and parameters, English as ``str(exc)``, rendered in
Spanish or English where a person reads them, located at the event file's YAML path in both."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

import pandas as pd
import pytest

from geodisp.model.errors import InputError, Problem
from geodisp.model.messages import Message
from geodisp.outputs.catalogue import CATALOGUE as WRITERS
from geodisp.sources.messages import CATALOGUE as READERS

GEODISP = Path(__file__).resolve().parents[1] / "geodisp"


def _codes_raised() -> set[str]:
    """Every message code an ``InputError`` is raised with in geodisp's source."""
    codes: set[str] = set()
    for path in GEODISP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"""\.coded\(\s*["'](\w+)["']""", text))
        codes |= set(re.findall(r"""\.coded\(\s*["']\w+["']\s+if\s+[^,]+?\s+else\s+["'](\w+)["']""", text))
        codes |= set(re.findall(r"""Message\(\s*["']((?:err|input)_\w+)["']""", text))
    return codes


def test_every_code_raised_is_in_a_catalogue_in_both_languages() -> None:
    codes = _codes_raised()
    assert len(codes) > 90  # the scan finds the raise sites (a broken pattern would find none)
    missing = sorted(c for c in codes if c not in READERS and c not in WRITERS)
    assert not missing, missing
    for code in codes:
        if code in READERS:
            assert set(READERS[code]) == {"es", "en"}, code


def test_no_raise_site_is_english_text_any_more() -> None:
    """The readers, stages, publish, cluster, year and validate raise codes, never worded English."""
    found = []
    for path in GEODISP.rglob("*.py"):
        if path.name in ("cli.py", "event.py", "errors.py"):  # the CLI words its own (_h), the event file its cfg_ codes
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""(InputError|OutputFolderBusy)\(\s*f?["']""", line):
                found.append(f"{path.relative_to(GEODISP)}:{n}")
    assert not found, found


def test_an_error_renders_in_spanish_and_english_and_reads_as_english() -> None:
    exc = InputError.coded("input_raster_no_crs", file="datos/pob.tif", what="population", hint="hint_worldpop")
    assert str(exc) == "datos/pob.tif: the population raster has no CRS; set one (e.g. EPSG:4326 for WorldPop)"
    assert exc.render("en") == str(exc)
    assert exc.render("es") == ("datos/pob.tif: el ráster de población no tiene SRC (sistema de referencia de coordenadas)"
                                "; asígnele uno (p. ej. EPSG:4326 para WorldPop)")
    assert (exc.file, exc.record, exc.yaml_path) == ("datos/pob.tif", None, None)
    assert exc.problems == [str(exc)] and exc.render_problems("es") == [exc.render("es")]


def test_at_locates_the_error_at_its_yaml_path_in_every_language() -> None:
    exc = InputError.coded("input_file_not_found", file="casas.csv").at("damage")
    assert str(exc) == "damage: casas.csv: file not found"
    assert exc.render("es") == "damage: casas.csv: no se encuentra el archivo"  # the YAML key as written
    assert (exc.yaml_path, exc.file) == ("damage", "casas.csv")
    assert exc.at("hazard") is exc  # located once
    assert exc.problems[0].render("es") == "damage: casas.csv: no se encuentra el archivo"


def test_a_yaml_path_given_when_raised_prefixes_the_text() -> None:
    exc = InputError.coded("err_hazard_path_or_track", yaml_path="hazard")
    assert str(exc) == "hazard: give path (a footprint file) or track (a storm track)"
    assert exc.render("es") == "hazard: indique path (un archivo de huella) o track (una trayectoria de ciclón)"


def test_the_record_is_named_in_the_chosen_language() -> None:
    exc = InputError(Message("duplicate_key", {"key": "12001", "record": "row 7"}), file="c.csv", record="row 7")
    assert exc.render("en") == "duplicate key '12001' (first at row 7)"
    assert exc.render("es") == "clave repetida '12001' (primera en fila 7)"
    assert exc.record == "row 7"


@pytest.mark.parametrize(("n", "es", "en"), [
    (1, "(1 rechazada)", "(1 rejected)"),
    (2, "(2 rechazadas)", "(2 rejected)"),
])
def test_counts_take_their_plural_form(n: int, es: str, en: str) -> None:
    exc = InputError.coded("input_track_no_usable_fix", file="t.csv", n=n)
    assert exc.render("es").endswith(es) and exc.render("en").endswith(en)


@pytest.mark.parametrize(("columns", "es", "en"), [
    (["Afectación"], "la columna 'Afectación' tiene conteos pero no es un nivel de daño",
     "column 'Afectación' holds counts but is not a damage level"),
    (["A", "B"], "las columnas 'A', 'B' tienen conteos pero no son niveles de daño",
     "columns 'A', 'B' hold counts but are not damage levels"),
])
def test_the_wide_table_unknown_columns_error_agrees_in_number(columns: list[str], es: str, en: str) -> None:
    exc = InputError.coded("input_damage_unknown_columns", file="w.csv", n=len(columns),
                           columns=", ".join(repr(c) for c in columns), known="colapso", levels="destroyed | minor")
    assert es in exc.render("es") and en in exc.render("en")


def test_a_validation_error_keeps_each_problem_in_both_languages() -> None:
    problems = [InputError.coded("input_file_not_found", file="a.csv").at("damage").problems[0],
                InputError.coded("input_no_crs", file="b.gpkg").at("records.shelters").problems[0]]
    exc = InputError(Message("cfg_input_problems", {"file": "event.yaml", "n": 2}), problems)
    assert exc.render("es") == "event.yaml: 2 problemas en los insumos"
    assert exc.render_problems("es") == ["damage: a.csv: no se encuentra el archivo",
                                         "records.shelters: b.gpkg: la capa no tiene SRC (sistema de referencia de coordenadas)"]
    assert exc.problems == ["damage: a.csv: file not found", "records.shelters: b.gpkg: the layer has no CRS"]


def test_an_error_survives_pickling_with_its_code() -> None:
    """Dask workers raise these; the client renders them."""
    exc = pickle.loads(pickle.dumps(InputError.coded("input_no_layer", file="h.gpkg", layer="x", layers="a, b").at("hazard")))
    assert exc.render("es") == "hazard: h.gpkg: no hay una capa 'x'; las capas son a, b"
    assert exc.yaml_path == "hazard" and exc.file == "h.gpkg"
    problem = pickle.loads(pickle.dumps(Problem(Message("input_empty_table", {"file": "t.csv"}), "census")))
    assert problem.render("es") == "census: t.csv: tabla vacía"


def test_a_plain_text_error_still_renders_as_written() -> None:
    exc = InputError("something worded elsewhere").at("population")
    assert exc.render("es") == exc.render("en") == "population: something worded elsewhere"


def test_a_personal_column_header_is_not_quoted_in_the_error(tmp_path: Path) -> None:
    from geodisp.sources.damage import read_damage

    path = tmp_path / "d.csv"
    pd.DataFrame({"folio": [1], "latitud": [17.0], "longitud": [-99.8], "juan.perez@example.com": ["x"]}).to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        read_damage(path)
    assert "'folio', 'latitud', 'longitud', [***]" in str(caught.value)  # the columns are listed, the personal one redacted
    for lang in ("es", "en"):
        text = " ".join([caught.value.render(lang), *caught.value.render_problems(lang)])
        assert "d.csv" in text and "juan.perez" not in text and "example.com" not in text
    assert "no hay columna de nivel de daño" in caught.value.render("es")
