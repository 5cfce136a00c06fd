"""geodisp: disaster displacement estimates for Mexico, per INEGI unit, with provenance.

``geodisp.run("event.yaml")`` runs an event file and returns a ``Result`` holding
each stage's data and the paths written; ``geodisp.load_event`` validates one.
"""
from __future__ import annotations

import logging

__version__ = "0.1.0"

# A library does not print its log: without a handler of the caller's, Python's last-resort handler
# would write every note (repairs, layers left out) to a notebook's stderr. The CLI attaches a file handler.
logging.getLogger("geodisp").addHandler(logging.NullHandler())

__all__ = ["__version__", "run", "load_event", "Event", "Result", "InputError"]


def __getattr__(name: str):  # lazy: `import geodisp` stays fast for the CLI's --help
    if name == "run":
        from .pipeline import run

        return run
    if name in ("load_event", "Event"):
        from .config import event

        return getattr(event, name)
    if name == "Result":
        from .result import Result

        return Result
    if name == "InputError":
        from geodisp.model.errors import InputError

        return InputError
    raise AttributeError(name)
