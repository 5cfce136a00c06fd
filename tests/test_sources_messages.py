"""The readers' message catalogue: every code renders in Spanish and English; reasons re-render from the table."""
from __future__ import annotations

import copy
import pickle
import re
import string
from pathlib import Path

import pandas as pd
import pytest

import geodisp.sources
from geodisp.model.rejects import concat_rejects, rejects_frame
from geodisp.sources.messages import CATALOGUE, Message, render, render_rejects

SOURCES = Path(geodisp.sources.__file__).parent


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_renders_in_both_languages_with_the_same_parameters(code: str) -> None:
    es, en = CATALOGUE[code]["es"], CATALOGUE[code]["en"]
    assert _fields(es) == _fields(en), code
    params = {name: "X1" for name in _fields(es)}
    out_es, out_en = render(code, params, "es"), render(code, params, "en")
    assert "{" not in out_es + out_en and out_es and out_en
    if _fields(es) != {"value"} or len(es) > 12:  # a bare "{value}" label may read the same
        assert out_es != out_en, code


def test_every_code_the_readers_use_is_in_the_catalogue() -> None:
    used = set()
    for path in SOURCES.glob("*.py"):
        used |= set(re.findall(r'Message\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    used |= {"missing_coordinates", "zero_coordinates", "outside_mexico"}  # coords.check_lonlat's codes
    assert used and not used - set(CATALOGUE), sorted(used - set(CATALOGUE))


def test_terms_and_lists_are_rendered_per_language() -> None:
    message = Message("count_negative", what="households", value="'-3'")
    assert str(message) == "hogares negativo ('-3')"  # a Message reads as its Spanish text
    assert message.render("en") == "negative households ('-3')"
    many = Message("coords_swapped", count=25, records=[f"row {i}" for i in range(1, 26)])
    assert many.render("en").endswith("row 19, row 20 … (+5)")
    with pytest.raises(ValueError, match="unknown language"):
        render("date_missing", {}, "fr")


def test_messages_survive_pickling_and_deep_copies() -> None:
    message = Message("duplicate_of", record="row 4")
    for copied in (pickle.loads(pickle.dumps(message)), copy.deepcopy(message)):
        assert isinstance(copied, Message) and copied.code == "duplicate_of" and copied.render("en") == "duplicate of row 4"


def test_rejects_keep_code_and_parameters_and_render_in_the_run_language() -> None:
    rejects = concat_rejects(
        rejects_frame("damage", "d.csv", ["row 1", "row 2"], [Message("duplicate_of", record="row 1"), "plain text"]),
    )
    assert list(rejects.columns) == ["source", "file", "record", "reason", "reason_code", "reason_params"]
    assert list(rejects["reason"]) == ["duplicado de fila 1", "plain text"]  # Spanish by default
    assert list(rejects["reason_code"]) == ["duplicate_of", ""]
    assert list(render_rejects(rejects, "en")["reason"]) == ["duplicate of row 1", "plain text"]
    assert render_rejects(pd.DataFrame(columns=rejects.columns), "en").empty


def test_a_located_message_keeps_its_code_and_prefixes_every_language() -> None:
    note = Message("coords_swapped", count=1, records=["row 2"]).at("damage")
    assert note.code == "coords_swapped" and note.where == "damage"
    assert str(note) == "damage: latitud y longitud intercambiadas y corregidas en 1 registro: fila 2"
    assert note.render("es") == "viviendas dañadas: latitud y longitud intercambiadas y corregidas en 1 registro: fila 2"
    assert note.render("en") == "damage: latitude and longitude swapped and fixed in 1 record: row 2"
    assert pickle.loads(pickle.dumps(note)).render("en") == note.render("en")


def test_records_are_named_in_the_readers_language() -> None:
    from geodisp.sources.messages import record_name

    assert record_name("row 12", "es") == "fila 12" and record_name("row 12", "en") == "row 12"
    assert record_name("row 3, 'Daño grave'", "es") == "fila 3, 'Daño grave'"
    assert Message("parts_unioned", records=["12001 (feature 0, feature 2)"]).endswith("12001 (elemento 0, elemento 2)")
