"""geodisp: disaster displacement estimates for Mexico, per INEGI unit, with provenance.

The stages, each a function that takes data and returns a frozen, typed result::

    event = geodisp.load_event("event.yaml")      # validated event file
    sources = geodisp.read(event)                  # Sources: every input, normalised
    ov = geodisp.overlay(sources)                  # Overlay: people per unit × hazard class
    est = geodisp.estimate(sources, ov, event.methods)  # Estimates: the figures
    result = geodisp.run(event)                    # all of them, then write and publish

``import geodisp`` stays light: nothing heavy (Dask, GeoPandas, Matplotlib) is
imported until a stage is called.
"""
from __future__ import annotations

import logging
from typing import Any

__version__ = "0.1.0"

# A library does not print its log: without a handler of the caller's, Python's last-resort handler
# would write every note (repairs, layers left out) to a notebook's stderr. The CLI attaches a file handler.
logging.getLogger("geodisp").addHandler(logging.NullHandler())

__all__ = [
    "__version__", "run", "read", "overlay", "estimate", "write", "load_event", "Event",
    "Sources", "Overlay", "Estimates", "Result", "InputError",
]

#: Where each public name lives; imported on first use.
_LAZY = {
    "run": "geodisp.pipeline",
    "read": "geodisp.stages",
    "overlay": "geodisp.stages",
    "estimate": "geodisp.stages",
    "write": "geodisp.stages",
    "load_event": "geodisp.config.event",
    "Event": "geodisp.config.event",
    "Sources": "geodisp.model.stages",
    "Overlay": "geodisp.model.stages",
    "Estimates": "geodisp.model.stages",
    "Result": "geodisp.model.stages",
    "InputError": "geodisp.model.errors",
}


def __getattr__(name: str) -> Any:  # PEP 562: `import geodisp` stays fast for the CLI's --help
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geodisp' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
