"""``geodisp validate``: open every input the event file names, the gate before a long run.

The event file is checked first (every problem with its YAML path); then each input
is opened and read by the same readers, with the same options, as a run would
(:func:`geodisp.stages.check_inputs`): named layers, sheets, fields and columns must
exist (the error lists the ones there), tables must have a recognisable header,
rasters a CRS. Every problem is collected, each prefixed by its YAML path
(``records.shelters: ...albergues.xlsx: no sheet 'Hoja1'; the sheets are ...``), so
one validate lists them all. Nothing is overlaid or written.
"""
from __future__ import annotations

from pathlib import Path

from geodisp.config.event import Event, load_event
from geodisp.model.errors import InputError
from geodisp.model.messages import Message
from geodisp.model.stages import SourceCount
from geodisp.stages import check_inputs


def validate_event(path: str | Path) -> tuple[Event, tuple[SourceCount, ...]]:
    """Validate an event file and open its inputs; raise ``InputError`` listing every problem.

    Returns the event and, per source, how many records were read, used and rejected.
    """
    event = load_event(path)
    problems, counts = check_inputs(event)
    if problems:
        raise InputError(Message("cfg_input_problems", {"file": path, "n": len(problems)}), problems)
    return event, counts
