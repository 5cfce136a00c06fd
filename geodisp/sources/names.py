"""Match unit names as typed in records to CVEGEO keys, ignoring case and accents.

Civil Protection tables name municipios the way people write them: 'ACAPULCO DE
JUAREZ', 'Acapulco de Juárez', 'acapulco  de juárez', or only the official name's
leading words ('Zihuatanejo' for Zihuatanejo de Azueta, 'Tlapa' for Tlapa de
Comonfort). A name matches a unit when both normalise to the same text
(:func:`geodisp.sources.tables.normalise_text`), or when it is the leading words of
exactly one municipio of the state (the match is reported). A name matching
several municipios is rejected as ambiguous, listing them; a name that is a
locality, or a municipio of another state, is rejected with that reason; an
unknown name is rejected with the closest names listed. Nothing is guessed.

Records may carry the state in a column (a key '12' or a name 'Guerrero'), so one
file can cover several states: :meth:`UnitResolver.resolve` takes the row's state.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from geodisp.sources.messages import Message
from geodisp.sources.personal import quote
from geodisp.sources.tables import is_missing, normalise_text

#: INEGI state keys and names (official, then common short forms), for state columns.
STATES: dict[str, tuple[str, ...]] = {
    "01": ("Aguascalientes", "Ags"), "02": ("Baja California", "BC"),
    "03": ("Baja California Sur", "BCS"), "04": ("Campeche", "Camp"),
    "05": ("Coahuila de Zaragoza", "Coahuila", "Coah"), "06": ("Colima", "Col"),
    "07": ("Chiapas", "Chis"), "08": ("Chihuahua", "Chih"),
    "09": ("Ciudad de México", "CDMX", "Distrito Federal", "DF"), "10": ("Durango", "Dgo"),
    "11": ("Guanajuato", "Gto"), "12": ("Guerrero", "Gro"), "13": ("Hidalgo", "Hgo"),
    "14": ("Jalisco", "Jal"), "15": ("México", "Estado de México", "Edomex", "Mex"),
    "16": ("Michoacán de Ocampo", "Michoacán", "Mich"), "17": ("Morelos", "Mor"),
    "18": ("Nayarit", "Nay"), "19": ("Nuevo León", "NL"), "20": ("Oaxaca", "Oax"),
    "21": ("Puebla", "Pue"), "22": ("Querétaro", "Querétaro de Arteaga", "Qro"),
    "23": ("Quintana Roo", "QRoo", "Q Roo"), "24": ("San Luis Potosí", "SLP"),
    "25": ("Sinaloa", "Sin"), "26": ("Sonora", "Son"), "27": ("Tabasco", "Tab"),
    "28": ("Tamaulipas", "Tamps"), "29": ("Tlaxcala", "Tlax"),
    "30": ("Veracruz de Ignacio de la Llave", "Veracruz", "Ver"), "31": ("Yucatán", "Yuc"),
    "32": ("Zacatecas", "Zac"),
}
_STATE_BY_NAME = {normalise_text(name): key for key, names in STATES.items() for name in names}


def state_key(state: str | int | None) -> str | None:
    """A state given as 12, '12', '12xxx' or a name ('Guerrero') → '12'; None stays None.

    Raises ValueError for anything else.
    """
    if state is None:
        return None
    text = str(state).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isdigit():
        key = text.zfill(2)[:2] if len(text) <= 2 else text[:2]
        if key in STATES:
            return key
    elif normalise_text(text) in _STATE_BY_NAME:
        return _STATE_BY_NAME[normalise_text(text)]
    raise ValueError(f"not an INEGI state key or name: {state!r}")


class Resolved(NamedTuple):
    """A unit cell resolved: the key, or the reason it was not; ``matched`` the official name when shortened."""

    key: str | None
    reason: Message | None
    matched: str | None = None


@dataclass(frozen=True)
class NameIndex:
    """Units of one level indexed by normalised name, plus localities to recognise them."""

    keys_by_name: dict[str, tuple[str, ...]]
    display: dict[str, str]  # cvegeo -> name as published
    localities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> municipio keys
    vocabulary: frozenset[str] = frozenset()

    @classmethod
    def from_units(cls, units: pd.DataFrame, places: pd.DataFrame | None = None) -> "NameIndex":
        """Index ``units`` (columns ``cvegeo``, ``name``); ``places`` (``cvegeo``, ``name``) adds localities."""
        keys: dict[str, list[str]] = {}
        for key, name in zip(units["cvegeo"].astype(str), units["name"]):
            if isinstance(name, str) and name.strip():
                keys.setdefault(normalise_text(name), []).append(key)
        localities: dict[str, set[str]] = {}
        if places is not None and len(places):
            frame = places.reset_index() if "cvegeo" not in places.columns else places
            for key, name in zip(frame["cvegeo"].astype(str), frame["name"]):
                if len(key) == 9 and isinstance(name, str) and name.strip():
                    localities.setdefault(normalise_text(name), set()).add(key[:5])
        words = {w for n in keys for w in n.split()} | {w for n in localities for w in n.split()}
        return cls(
            keys_by_name={k: tuple(sorted(v)) for k, v in keys.items()},
            display=dict(zip(units["cvegeo"].astype(str), units["name"].astype(str))),
            localities={k: tuple(sorted(v)) for k, v in localities.items()},
            vocabulary=frozenset(words),
        )

    def _listed(self, keys: list[str] | tuple[str, ...]) -> list[str]:
        return [f"{k} {self.display.get(k, '')}".strip() for k in keys]

    def match(self, name: str, state: str | None = None) -> Resolved:
        """The unit named ``name`` within ``state`` (all units when None), or the reason it is not one."""
        norm = normalise_text(name)
        shown = quote(name, self.vocabulary)
        if not norm:
            return Resolved(None, Message("unit_missing", noun="municipio"))

        def within(keys: list[str] | tuple[str, ...]) -> list[str]:
            return [k for k in keys if state is None or k.startswith(state)]

        exact = within(self.keys_by_name.get(norm, ()))
        if len(exact) == 1:
            return Resolved(exact[0], None)
        if len(exact) > 1:
            return Resolved(None, Message("unit_name_ambiguous", value=shown, candidates=self._listed(exact)))
        prefixed = sorted(k for n, keys in self.keys_by_name.items() if n.startswith(norm + " ") for k in within(keys))
        if len(prefixed) == 1:
            return Resolved(prefixed[0], None, self.display.get(prefixed[0]))
        if len(prefixed) > 1:
            return Resolved(None, Message("unit_name_ambiguous", value=shown, candidates=self._listed(prefixed)))
        if state is not None:
            elsewhere = [k for k in self.keys_by_name.get(norm, ()) if not k.startswith(state)]
            if elsewhere:
                return Resolved(None, Message("unit_name_other_state", value=shown, state=state,
                                              candidates=self._listed(elsewhere)))
        municipios = within(self.localities.get(norm, ()))
        if municipios:
            return Resolved(None, Message("unit_name_is_locality", value=shown, candidates=self._listed(municipios)))
        pool = [n for n, keys in self.keys_by_name.items() if within(keys)]
        close = _closest(norm, pool)
        listed = self._listed([k for c in close for k in within(self.keys_by_name[c])])
        return Resolved(None, Message("unit_name_unknown", value=shown, candidates=listed or ["—"]))


@dataclass(frozen=True)
class UnitResolver:
    """Turn a cell that holds a unit key *or* a unit name into a CVEGEO key, or a reason.

    Keys typed as numbers lose their zeros ('1001' → '01001'); a 1-3 digit number with
    a state is a municipio number within that state ('1' → '12001'). Names go
    through :class:`NameIndex`. Keys not in the boundaries, or outside the state, are
    rejected. Without boundaries, keys are accepted as written and names cannot match.
    The state is the resolver's (the event file's) unless a row gives its own.
    """

    width: int
    keys: frozenset[str] | None = None
    names: NameIndex | None = None
    state: str | None = None

    @classmethod
    def from_boundaries(
        cls, boundaries: pd.DataFrame | None, state: str | int | None = None, places: pd.DataFrame | None = None
    ) -> "UnitResolver":
        state = state_key(state)
        if boundaries is None or len(boundaries) == 0:
            return cls(width=5, state=state)
        keys = boundaries["cvegeo"].astype(str)
        width = int(keys.str.len().max())
        names = NameIndex.from_units(boundaries, places) if "name" in boundaries else None
        return cls(width=width, keys=frozenset(keys), names=names, state=state)

    @property
    def noun(self) -> str:
        return {2: "state", 5: "municipio", 9: "localidad", 13: "AGEB"}.get(self.width, "unit")

    def resolve(self, value: object, state: str | None = None) -> Resolved:
        """The key of a unit cell, or the reason; ``state`` (a row's own) overrides the resolver's."""
        state = state or self.state
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if not text:
            return Resolved(None, Message("unit_missing", noun=self.noun))
        if text.isdigit():
            return self._key(text, state)
        if self.names is None:
            return Resolved(None, Message("unit_name_without_boundaries", noun=self.noun))
        return self.names.match(text, state)

    def _key(self, text: str, state: str | None) -> Resolved:
        if state and self.width == 5 and len(text) <= 3:
            key = state + text.zfill(3)
        elif len(text) <= self.width:
            key = text.zfill(self.width)
        else:
            return Resolved(None, Message("unit_key_length", value=quote(text), noun=self.noun, width=self.width))
        if len(key) != self.width:
            return Resolved(None, Message("unit_key_length", value=quote(text), noun=self.noun, width=self.width))
        if state and not key.startswith(state):
            return Resolved(None, Message("unit_key_outside_state", key=key, noun=self.noun, state=state))
        if self.keys is not None and key not in self.keys:
            return Resolved(None, Message("unit_key_unknown", key=key, noun=self.noun))
        return Resolved(key, None)


def _closest(name: str, known: list[str], n: int = 3, cutoff: float = 0.75) -> list[str]:
    """Known names most like ``name``, whole or by one word ('Acapulko' → 'acapulco de juarez')."""
    def score(candidate: str) -> float:
        whole = difflib.SequenceMatcher(None, name, candidate).ratio()
        words = max((difflib.SequenceMatcher(None, name, w).ratio() for w in candidate.split()), default=0.0)
        return max(whole, words)

    scored = sorted(((score(c), c) for c in known), key=lambda t: (-t[0], t[1]))
    return [c for s, c in scored[:n] if s >= cutoff]


def row_states(frame: pd.DataFrame, column: str | None, reasons: pd.Series) -> pd.Series:
    """Each row's state key from a state column (a key or a name), None where there is none.

    An unrecognised state rejects the row (reason set in place).
    """
    states = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if column is None:
        return states
    for i, value in frame[column].items():
        if is_missing(pd.Series([value])).iloc[0]:
            continue
        try:
            states[i] = state_key(value)
        except ValueError:
            if reasons[i] is None:
                reasons[i] = Message("state_unknown", column=column, value=quote(value))
    return states


def resolve_units(
    cells: pd.Series, states: pd.Series, resolver: UnitResolver, reasons: pd.Series, notes: list,
) -> pd.Series:
    """CVEGEO per row (None where unresolved, reason set in place); shortened names matched are noted."""
    keys = pd.Series([None] * len(cells), index=cells.index, dtype=object)
    matched: dict[str, str] = {}
    for i in cells.index:
        if reasons[i] is not None:
            continue
        resolved = resolver.resolve(cells[i], states[i])
        keys[i] = resolved.key
        if resolved.reason is not None:
            reasons[i] = resolved.reason
        elif resolved.matched:
            matched[f"{quote(cells[i], resolver.names.vocabulary if resolver.names else frozenset())} → {resolved.key} {resolved.matched}"] = ""
    if matched:
        notes.append(Message("name_prefix_matched", matches=list(matched)))
    return keys
