"""Errors geodisp reports to people, typed where they are raised.

``InputError`` means the inputs are wrong (exit code 2): a file that is missing or
unreadable, a raster without a CRS, an event file that does not validate, a
malformed scheduler address. It carries what a person needs to find the problem:
the file, the record (row or feature) and the event file's YAML path. Any other
exception is a defect in geodisp (exit code 1); errors are never re-sorted by type
after the fact.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from geodisp.model.messages import Message


def english(message: "Message | str") -> str:
    """A message in English (the text of exceptions for Python callers; people get their language at the edge)."""
    from geodisp.outputs.i18n import language  # the catalogue, only once something failed

    return language("en").message(message)


class Invalid(ValueError):
    """A value the event file must not hold, as a message code with parameters (``cfg_...``).

    Raised inside pydantic validators: ``format_errors`` turns it into the problem's message,
    rendered in the reader's language by the command line; ``str()`` is the English text.
    """

    def __init__(self, code: str, /, **params: Any) -> None:
        self.message = Message(code, {k: str(v) for k, v in params.items()})
        super().__init__(code)

    def __str__(self) -> str:
        """The English text without the YAML path (pydantic names the path itself)."""
        return english(Message(self.message.code, {"path": "\0", **self.message.params})).removeprefix("\0: ")


class InputError(Exception):
    """Bad input: the message names the file, row or feature, the YAML path and the problem.

    ``problems`` lists every problem when there are several (the event file's
    validation reports them all at once); ``file``, ``record`` and ``yaml_path`` are
    the structured form of where the (first) problem is. ``messages`` (the headline,
    then one per problem, as message codes) lets the command line show the same
    problems in the reader's language; the text is then their English rendering.
    """

    def __init__(
        self,
        message: str,
        problems: list[str] | None = None,
        *,
        file: str | Path | None = None,
        record: str | None = None,
        yaml_path: str | None = None,
        messages: "Sequence[Message | str] | None" = None,
    ) -> None:
        super().__init__(message)
        self.messages = list(messages) if messages else None
        self.problems = problems or [message]
        self.file = str(file) if file is not None else None
        self.record = record
        self.yaml_path = yaml_path

    @classmethod
    def of(cls, headline: Message, problems: "Sequence[Message | str]" = (), **where: Any) -> "InputError":
        """An error from message codes: its text in English, the codes kept (``messages``) for the command line.
        A problem given as text (a reader's, already worded) is shown as it is."""
        return cls(english(headline), [english(p) for p in problems] or None, messages=[headline, *problems], **where)

    def at(self, yaml_path: str) -> "InputError":
        """The same error located at ``yaml_path`` of the event file (``damage``, ``records.shelters``).

        The message and each problem gain the ``yaml_path: `` prefix unless they
        already start with it; file and record are kept.
        """
        if self.yaml_path is not None:
            return self

        def prefixed(text: str) -> str:
            return text if text.startswith(f"{yaml_path}:") else f"{yaml_path}: {text}"

        return InputError(prefixed(str(self)), [prefixed(p) for p in self.problems],
                          file=self.file, record=self.record, yaml_path=yaml_path)
