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
        close = _closest(norm, list(self.keys_by_name))
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


def state_of_cell(value: object) -> tuple[str | None, str | None]:
    """A records cell naming a state (INEGI key '12', 12, or a name such as 'Guerrero') ->
    ``(key, None)``; ``(None, None)`` when empty; ``(None, reason)`` when unknown."""
    from geodisp.model.vocab import STATE_NAMES

    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text:
        return None, None
    if text.isdigit() and len(text) <= 2 and text.zfill(2) in STATE_NAMES:
        return text.zfill(2), None
    by_name = {normalise_text(n): k for k, n in STATE_NAMES.items()}
    by_name.update({"mexico": "15", "estado de mexico": "15", "coahuila": "05", "michoacan": "16", "veracruz": "30",
                    "cdmx": "09", "distrito federal": "09"})
    key = by_name.get(normalise_text(text))
    return (key, None) if key else (None, f"unknown state '{text}'")


@dataclass(frozen=True)
class UnitResolver:
    """Turn a cell that holds a unit key *or* a unit name into a CVEGEO key, or a reason.

    Keys typed as numbers lose their zeros ('1001' → '01001'); a 1-3 digit number with
    a ``state`` is a municipio number within that state ('1' → '12001'). Names go
    through :class:`NameIndex`. Keys not in the boundaries, or outside ``state``, are
    rejected. Without boundaries, keys are accepted as written and names cannot match.
    """

    width: int
    keys: frozenset[str] | None = None
    names: NameIndex | None = None
    state: str | None = None

    @classmethod
    def from_boundaries(cls, boundaries: pd.DataFrame | None, state: str | int | None = None) -> "UnitResolver":
        state = state_key(state)
        if boundaries is None or len(boundaries) == 0:
            return cls(width=5, state=state)
        keys = boundaries["cvegeo"].astype(str)
        width = int(keys.str.len().max())
        names = NameIndex.from_units(boundaries, state) if "name" in boundaries else None
        return cls(width=width, keys=frozenset(keys), names=names, state=state)

    @property
    def noun(self) -> str:
        return {2: "state", 5: "municipio", 9: "localidad", 13: "AGEB"}.get(self.width, "unit")

    def resolve(self, value: object) -> tuple[str | None, str | None]:
        """``(cvegeo, None)`` or ``(None, reason)``."""
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if not text:
            return None, f"missing {self.noun}"
        if text.isdigit():
            return self._key(text)
        if self.names is None:
            return None, f"{self.noun} name '{text}' cannot be matched without a boundaries layer"
        return self.names.match(text)

    def _key(self, text: str) -> tuple[str | None, str | None]:
        if self.state and self.width == 5 and len(text) <= 3:
            key = self.state + text.zfill(3)
        elif len(text) <= self.width:
            key = text.zfill(self.width)
        else:
            return None, f"key '{text}' is not a {self.noun} key ({self.width} digits)"
        if len(key) != self.width:
            return None, f"key '{text}' is not a {self.noun} key ({self.width} digits)"
        if self.state and not key.startswith(self.state):
            return None, f"{self.noun} key '{key}' is outside state {self.state}"
        if self.keys is not None and key not in self.keys:
            return None, f"unknown {self.noun} key '{key}'"
        return key, None


def _closest(name: str, known: list[str], n: int = 3, cutoff: float = 0.75) -> list[str]:
    """Known names most like ``name``, whole or by one word ('Acapulko' → 'acapulco de juarez')."""
    def score(candidate: str) -> float:
        whole = difflib.SequenceMatcher(None, name, candidate).ratio()
        words = max((difflib.SequenceMatcher(None, name, w).ratio() for w in candidate.split()), default=0.0)
        return max(whole, words)

    scored = sorted(((score(c), c) for c in known), key=lambda t: (-t[0], t[1]))
    return [c for s, c in scored[:n] if s >= cutoff]
