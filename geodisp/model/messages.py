"""Messages as data: a code with parameters, produced where something is found and rendered
in the chosen language only where a person reads it (``geodisp.outputs.i18n.Language.message``).

In a table cell a message is written ``code`` or ``code?name=value&...`` (URL-encoded), so it
survives CSV and GeoPackage round trips. Light on purpose: estimators and readers import it
without importing any writer.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode


@dataclass(frozen=True)
class Message:
    """A code with parameters, rendered only when shown (``Language.message``).

    In a table cell it is written ``code`` or ``code?name=value&...`` (URL-encoded),
    so it survives CSV and GeoPackage round trips; :meth:`parse` reads it back.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.code + ("?" + urlencode({k: str(v) for k, v in self.params.items()}) if self.params else "")

    @classmethod
    def parse(cls, text: str) -> "Message":
        """``code?name=value&...`` back into a Message (parameters as text)."""
        code, _, query = str(text).partition("?")
        return cls(code, dict(parse_qsl(query, keep_blank_values=True)))


def is_one(value: Any) -> bool:
    """Whether a count (a number or its text, as message parameters travel) is exactly 1."""
    try:
        return float(str(value).replace(",", "")) == 1
    except ValueError:
        return False


class PluralFormatter(string.Formatter):
    """``str.format`` plus plural forms, for every catalogue: ``{n:registro|registros}`` is the
    singular when ``n`` is exactly 1 and the plural otherwise (0 included), in both languages."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            singular, _, plural = format_spec.partition("|")
            return singular if is_one(value) else plural
        return super().format_field(value, format_spec)


#: The formatter the catalogues render with (``PLURALS.vformat(text, (), values)``).
PLURALS = PluralFormatter()


def encode(code: str, /, **params: Any) -> str:
    """The table-cell form of a message: ``code?name=value&...``."""
    return str(Message(code, params))



#: Between the messages of a cell holding several (``calculation``); never inside one, since
#: a message's parameters are URL-encoded.
SEPARATOR = ";"


def join(*parts: "str | Message | None") -> str:
    """Several messages in one table cell (``code?a=1;code2``), in order; empty parts left out."""
    return SEPARATOR.join(str(p) for p in parts if p is not None and str(p))


def split(cell: Any) -> list[Message]:
    """The messages of a cell written by :func:`join`; none for a missing cell."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return []
    return [Message.parse(part.strip()) for part in str(cell).split(SEPARATOR) if part.strip()]
