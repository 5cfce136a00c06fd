"""Every field of an input section is a keyword of its reader, so no setting can be silently dropped."""
from __future__ import annotations

import inspect

import pytest

from geodisp.config import event
from geodisp import stages
from geodisp.sources import boundaries, damage, facilities, records

READERS = [
    (event.BoundariesConfig, boundaries.read_boundaries, ()),
    (event.HazardConfig, stages.read_footprint, ()),  # the hazard section's dispatcher (footprint, track, ShakeMap)
    (event.DamageConfig, damage.read_damage_file, ()),
    (event.EvacuationsConfig, records.read_evacuations, ("state",)),   # records.state
    (event.SheltersConfig, records.read_shelters, ("state",)),
    (event.FacilitiesConfig, facilities.read_facilities, ()),
]


@pytest.mark.parametrize("section, reader, shared", READERS, ids=[r.__name__ for _, r, _ in READERS])
def test_section_fields_are_the_readers_leading_keywords(section, reader, shared) -> None:
    params = inspect.signature(reader).parameters
    positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert set(section.model_fields) | set(shared) <= set(positional), set(section.model_fields) - set(positional)
    keyword_only = {n for n, p in params.items() if p.kind is p.KEYWORD_ONLY}
    assert keyword_only <= {"boundaries", "places", "population"}  # data from other sections, never settings
