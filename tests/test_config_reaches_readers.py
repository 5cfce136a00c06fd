"""Every field of every event-file section reaches the function that uses it (issue 9).

Two proofs: each reader's signature has a keyword for each field of its section
(so a new field cannot be added without its reader taking it), and a read of the
demo event with every field set to a non-default value hands each value to its
reader (spies record the keywords, then call the real reader).
"""
from __future__ import annotations

import inspect
from typing import Any, Mapping

import pytest
import yaml

import geodisp
from geodisp.config import event as cfg
from geodisp.demo import DemoFiles
from geodisp import stages
from geodisp.sources import boundaries, census, damage, facilities, population, records

#: section model -> (module, function, fields used elsewhere and where)
SECTION_READERS = [
    (cfg.BoundariesConfig, boundaries, "read_boundaries", {}),
    (cfg.PopulationConfig, population, "open_population", {}),
    (cfg.HazardConfig, stages, "read_footprint", {}),  # dispatches to the footprint, track or ShakeMap reader
    (cfg.CensusConfig, census, "read_census", {"household_size": (census, "household_sizes")}),
    (cfg.DamageConfig, damage, "read_damage_file", {}),
    (cfg.EvacuationsConfig, records, "read_evacuations", {}),
    (cfg.SheltersConfig, records, "read_shelters", {}),
    (cfg.FacilitiesConfig, facilities, "read_facilities", {}),
]


@pytest.mark.parametrize("section, module, reader, elsewhere", SECTION_READERS,
                         ids=[s[0].__name__ for s in SECTION_READERS])
def test_each_reader_takes_every_field_of_its_section(section, module, reader, elsewhere) -> None:
    for name in section.model_fields:
        target_module, target = elsewhere.get(name, (module, reader))
        params = inspect.signature(getattr(target_module, target)).parameters
        assert name in params, f"{section.__name__}.{name} has no keyword in {target_module.__name__}.{target}"


def test_every_section_of_the_event_file_is_covered() -> None:
    covered = {s[0] for s in SECTION_READERS}
    sections = {cfg.BoundariesConfig, cfg.PopulationConfig, cfg.HazardConfig, cfg.CensusConfig, cfg.DamageConfig,
                cfg.EvacuationsConfig, cfg.SheltersConfig, cfg.FacilitiesConfig}
    assert sections == covered
    # the records section's own field (state) is checked by the read test below
    assert set(cfg.RecordsConfig.model_fields) == {"evacuations", "shelters", "state"}


def _expected(value: Any) -> Any:
    return (dict(value) or None) if isinstance(value, Mapping) else value


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, Any]]]:
    """Replace each reader by a spy that records its keywords and calls the real reader."""
    calls: dict[str, list[dict[str, Any]]] = {}
    targets = {(m, r) for _, m, r, _ in SECTION_READERS} | {(census, "household_sizes")}
    for module, name in targets:
        real = getattr(module, name)

        def spy(*args: Any, _real=real, _name=name, **kwargs: Any) -> Any:
            bound = inspect.signature(_real).bind(*args, **kwargs)
            calls.setdefault(_name, []).append(dict(bound.arguments))
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


def test_every_field_reaches_its_reader(small_demo: DemoFiles, spied: dict, tmp_path) -> None:
    data = yaml.safe_load(small_demo.event.read_text(encoding="utf-8"))
    inputs = small_demo.event.parent
    data["boundaries"].update(key_field="CVEGEO", name_field="NOMGEO")
    data["census"]["household_size"] = 3.9
    data["damage"].update(crs="EPSG:4326", state="12", levels={"casi destruida": "severe"})
    data["records"] = {
        "evacuations": {"path": str(inputs / "evacuaciones.csv"), "columns": {"people": "personas", "date": "fecha"}},
        "shelters": {"path": str(inputs / "albergues.csv"), "columns": {"occupants": "ocupantes"}},
        "state": "12",
    }
    data["facilities"][0].update(columns={"lat": "latitud", "lon": "longitud"}, crs="EPSG:4326")
    data["overlay"] = {"chunk_size": 256}
    for section in ("boundaries", "population", "census", "hazard", "damage"):
        data[section]["path"] = str(inputs / data[section]["path"])
    data["facilities"][0]["path"] = str(inputs / data["facilities"][0]["path"])
    event = cfg.parse_event(data, base_dir=inputs)

    geodisp.read(event)

    sections = {
        "read_boundaries": event.boundaries, "open_population": event.population, "read_footprint": event.hazard,
        "read_damage_file": event.damage, "read_evacuations": event.records.evacuations,
        "read_shelters": event.records.shelters, "read_facilities": event.facilities[0],
    }
    for reader, section in sections.items():
        (got,) = spied[reader]
        for name in type(section).model_fields:
            assert got[name] == _expected(getattr(section, name)), f"{reader}: {name}"
    (got,) = spied["read_census"]
    assert got["path"] == event.census.path
    (sizes,) = spied["household_sizes"]
    assert sizes["household_size"] == 3.9
    # overlay.chunk_size reaches both raster readers; records.state reaches both records readers
    assert spied["open_population"][0]["chunks"] == 256 and spied["read_footprint"][0]["chunks"] == 256
    assert spied["read_evacuations"][0]["state"] == "12" and spied["read_shelters"][0]["state"] == "12"


def test_damage_state_defaults_to_the_records_state(small_demo: DemoFiles, spied: dict) -> None:
    event = geodisp.load_event(small_demo.event)
    assert event.damage.state is None and event.records.state == "12"
    geodisp.read(event)
    assert spied["read_damage_file"][0]["state"] == "12"


def test_a_bug_in_a_reader_is_not_bad_input(small_demo: DemoFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    """A KeyError inside a reader is a defect (exit 1), never reported as bad input (exit 2)."""
    def broken(*args: Any, **kwargs: Any) -> Any:
        return {}["no such key"]

    monkeypatch.setattr(census, "read_census", broken)
    with pytest.raises(KeyError):
        geodisp.read(small_demo.event)


def test_a_reader_input_error_is_located_at_its_yaml_path(small_demo: DemoFiles, tmp_path) -> None:
    data = yaml.safe_load(small_demo.event.read_text(encoding="utf-8"))
    bad = tmp_path / "censo.csv"
    bad.write_text("no,census,columns\n1,2,3\n", encoding="utf-8")
    data["census"]["path"] = str(bad)
    event = cfg.parse_event(data, base_dir=small_demo.event.parent)
    with pytest.raises(geodisp.InputError) as info:
        geodisp.read(event)
    assert info.value.yaml_path == "census" and str(info.value).startswith("census: ")
