"""The year catalogue: events as paths or inline, every problem listed at once."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from geodisp.model.errors import InputError
from geodisp.year.catalogue import load_catalogue


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def event(id_: str, start: str, folder: str = "") -> dict:
    return {
        "event": {"id": id_, "name": id_, "hazard_type": "flood", "start": start},
        "boundaries": {"path": f"{folder}mun.gpkg"}, "population": {"path": f"{folder}pop.tif"},
        "hazard": {"path": f"{folder}fp.gpkg"},
    }


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for name in ("mun.gpkg", "pop.tif", "fp.gpkg", "ev/mun.gpkg", "ev/pop.tif", "ev/fp.gpkg"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")  # existence is what the catalogue checks; readers check contents
    return tmp_path


def test_paths_and_inline_events_resolve_against_their_own_folders(folder):
    write(folder / "ev" / "a.yaml", event("a", "2024-02-01"))
    cat = write(folder / "cat.yaml", {
        "year": 2024,
        "events": ["ev/a.yaml", {**event("b", "2023-12-30"), "year_end": {"rebuilt": {"12001": 4}, "ended": "2025-03-01"}}],
        "output": {"lang": "en"},
    })
    c = load_catalogue(cat)
    assert [e.id for e in c.events] == ["a", "b"]
    assert c.events[0].event.hazard.path == (folder / "ev" / "fp.gpkg").resolve()
    assert c.events[1].event.hazard.path == (folder / "fp.gpkg").resolve()
    assert c.events[1].year_end.rebuilt == {"12001": 4.0}
    inline = {**event("c", "2024-03-01"), "year_end": {"rebuilt": {7008: 2, 12001: 3}}}  # keys written unquoted
    c2 = load_catalogue(write(folder / "cat2.yaml", {"year": 2024, "events": [inline]}))
    assert c2.events[0].year_end.rebuilt == {"07008": 2.0, "12001": 3.0}
    assert c.lang == "en" and c.output_dir() == (Path("layers") / "year-2024").resolve()
    assert c.events[0].where == "events[0] (ev/a.yaml)"


def test_every_problem_of_every_event_is_listed_at_once(folder):
    bad_file = event("c", "2024-05-01")
    bad_file["hazard"]["path"] = "missing.gpkg"
    write(folder / "c.yaml", bad_file)
    inline_bad = event("d", "2024-06-01")
    inline_bad["hazard"]["colour"] = "red"
    cat = write(folder / "cat.yaml", {
        "year": 2024,
        "events": ["c.yaml", inline_bad, event("late", "2025-01-02"), event("dup", "2024-01-01"), event("dup", "2024-02-01"),
                   "nowhere.yaml", {**event("e", "2024-03-01"), "year_end": {"rebuilt": {"12001": "many"}}}],
    })
    with pytest.raises(InputError) as info:
        load_catalogue(cat)
    problems = info.value.problems
    text = "\n".join(problems)
    assert "events[0] (c.yaml): hazard.path: file not found: missing.gpkg" in text
    assert "events[1].hazard.colour: unknown key" in text
    assert "events[2]: event.start 2025-01-02 is after the catalogue's year 2024" in text
    assert "events[4]: event.id 'dup' is also the id of events[3]" in text
    assert "events[5] (nowhere.yaml): event file not found" in text
    assert any(p.startswith("events[6].year_end.rebuilt.12001") for p in problems)
    assert len(problems) == 6


def test_the_catalogue_itself_is_checked(folder):
    with pytest.raises(InputError) as info:
        load_catalogue(write(folder / "cat.yaml", {"year": "dos mil", "events": [], "colour": 1}))
    text = "\n".join(info.value.problems)
    assert "year:" in text and "events:" in text and "colour: unknown key" in text
    with pytest.raises(InputError, match="not found"):
        load_catalogue(folder / "none.yaml")
