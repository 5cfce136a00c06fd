"""Match unit names as typed in records to CVEGEO keys, ignoring case and accents.

Civil Protection tables name municipios the way people write them: 'ACAPULCO DE
JUAREZ', 'Acapulco de Juárez', 'acapulco  de juárez'. A name matches a unit when
both normalise to the same text (:func:`geodisp.sources.tables.normalise_text`).
A name that matches no unit, or more than one, is never guessed: the caller gets
the reason with the closest candidates listed, and rejects the row.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from geodisp.sources.tables import normalise_text


@dataclass(frozen=True)
class NameIndex:
    """Units of one level (optionally one state) indexed by normalised name."""

    keys_by_name: dict[str, tuple[str, ...]]
    display: dict[str, str]  # cvegeo -> name as published

    @classmethod
    def from_units(cls, units: pd.DataFrame, state: str | None = None) -> "NameIndex":
        """Index ``units`` (columns ``cvegeo``, ``name``), restricted to ``state`` (2-digit key)."""
        frame = units[["cvegeo", "name"]]
        if state is not None:
            frame = frame[frame["cvegeo"].str.startswith(state)]
        keys: dict[str, list[str]] = {}
        for key, name in zip(frame["cvegeo"], frame["name"]):
            if name is None or (isinstance(name, float) and pd.isna(name)):
                continue
            keys.setdefault(normalise_text(name), []).append(str(key))
        return cls(
            keys_by_name={k: tuple(sorted(v)) for k, v in keys.items()},
            display=dict(zip(frame["cvegeo"].astype(str), frame["name"].astype(str))),
        )

    def match(self, name: str) -> tuple[str | None, str | None]:
        """``(cvegeo, None)`` for a unique match, else ``(None, reason)`` with candidates."""
        norm = normalise_text(name)
        if not norm:
            return None, "missing municipio"
        keys = self.keys_by_name.get(norm, ())
        if len(keys) == 1:
            return keys[0], None
        if len(keys) > 1:
            listed = ", ".join(f"{k} {self.display[k]}" for k in keys)
            return None, f"ambiguous municipio name '{name}' (candidates: {listed})"
        close = difflib.get_close_matches(norm, list(self.keys_by_name), n=3, cutoff=0.6)
        listed = ", ".join(
            f"{k} {self.display[k]}" for c in close for k in self.keys_by_name[c]
        )
        return None, f"unknown municipio name '{name}' (candidates: {listed or 'none'})"


def state_key(state: str | int | None) -> str | None:
    """A state given as 12, '12' or '12xxx' → the 2-digit key '12'; None stays None."""
    if state is None:
        return None
    text = str(state).strip()
    if text.isdigit():
        return text.zfill(2)[:2] if len(text) <= 2 else text[:2]
    raise ValueError(f"state must be an INEGI state key such as '12', got {state!r}")
