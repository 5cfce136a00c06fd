"""Errors geodisp reports to people, typed where they are raised.

``InputError`` means the inputs are wrong (exit code 2): a file that is missing or
unreadable, a raster without a CRS, an event file that does not validate, a
malformed scheduler address. It carries what a person needs to find the problem:
the file, the record (row or feature) and the event file's YAML path. Any other
exception is a defect in geodisp (exit code 1); errors are never re-sorted by type
after the fact.

Its text is a message code with parameters (:class:`Problem`), rendered in the
reader's language where a person reads it (``exc.render(lang)``, the command line's
``--lang``); ``str(exc)`` is the English text, for logs, tracebacks and Python callers.
Codes raised by the readers live in the readers' catalogue (``geodisp.sources.messages``,
``input_...``), the others in the writers' (``geodisp.outputs.catalogue``, ``err_...``,
``cfg_...``).
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


class Problem(str):
    """One problem as a message code with parameters, reading as its English text wherever a string is expected.

    ``where`` (a YAML path of the event file, or a command-line option such as
    ``--scheduler``) prefixes the text as written: people edit the YAML keys, so the path
    is never translated. :meth:`render` gives the text in another language. A problem
    made from plain text (an older, already worded message) renders as that text.
    """

    message: "Message | None"
    where: "str | None"

    def __new__(cls, message: "Message | str", where: str | None = None) -> "Problem":
        if isinstance(message, Problem):
            return message if where is None or message.where is not None else message.at(where)
        coded = message if isinstance(message, Message) else None
        text = english(coded) if coded is not None else str(message)
        if where is not None and not text.startswith(f"{where}:"):
            text = f"{where}: {text}"
        self = super().__new__(cls, text)
        self.message, self.where = coded, where
        return self

    def __reduce__(self):  # pickles (Dask workers raise these) as message and place
        return (Problem, (self.message if self.message is not None else str(self), self.where))

    @property
    def code(self) -> str:
        """The catalogue code ('' for plain text); ``Language.message`` renders objects with one through :meth:`render`."""
        return self.message.code if self.message is not None else ""

    def at(self, where: str) -> "Problem":
        """The same problem located at ``where``; one already located keeps its place."""
        if self.where is not None:
            return self
        return Problem(self.message if self.message is not None else str(self), where)

    def render(self, lang: str = "en") -> str:
        """The problem in ``lang`` ('es' or 'en'), prefixed with its YAML path as written."""
        if self.message is None:
            return str(self)
        from geodisp.outputs.i18n import language  # the catalogue, only once something failed

        text = language(lang).message(self.message)
        return f"{self.where}: {text}" if self.where is not None and not text.startswith(f"{self.where}:") else text


class InputError(Exception):
    """Bad input: the message names the file, row or feature, the YAML path and the problem.

    Raised as ``InputError.coded("input_no_crs", file=path, what="population")``: a
    catalogue code and its parameters (``file`` and ``record`` are also kept as the
    error's location; ``yaml_path`` prefixes the text). ``str(exc)`` is the English text;
    :meth:`render` and :meth:`render_problems` give it in the reader's language.

    ``problems`` lists every problem when there are several (the event file's
    validation reports them all at once), each a :class:`Problem` (a ``str``);
    ``file``, ``record`` and ``yaml_path`` are the structured form of where the
    (first) problem is. ``messages`` is the headline, then each problem (what the
    command line renders).
    """

    def __init__(
        self,
        message: "Message | str",
        problems: "Sequence[Message | str] | None" = None,
        *,
        file: str | Path | None = None,
        record: str | None = None,
        yaml_path: str | None = None,
    ) -> None:
        self.headline = Problem(message, yaml_path if isinstance(message, Message) else None)
        super().__init__(str(self.headline))
        self.problems: list[Problem] = [Problem(p) for p in problems] if problems else [self.headline]
        self.file = str(file) if file is not None else None
        self.record = record
        self.yaml_path = yaml_path

    @property
    def messages(self) -> list[Problem]:
        """The headline, then one entry per problem, each rendering itself in a language."""
        return [self.headline, *self.problems]

    @classmethod
    def coded(cls, code: str, /, *, file: str | Path | None = None, record: str | None = None,
              yaml_path: str | None = None, **params: Any) -> "InputError":
        """The error with catalogue message ``code``: ``file`` and ``record`` are parameters of the text too."""
        values = {k: v for k, v in (("file", file), ("record", record)) if v is not None}
        return cls(Message(code, {**values, **params}), file=file, record=record, yaml_path=yaml_path)

    def render(self, lang: str = "en") -> str:
        """The headline in ``lang`` ('es' or 'en')."""
        return self.headline.render(lang)

    def render_problems(self, lang: str = "en") -> list[str]:
        """Every problem in ``lang``."""
        return [p.render(lang) for p in self.problems]

    def at(self, yaml_path: str) -> "InputError":
        """The same error located at ``yaml_path`` of the event file (``damage``, ``records.shelters``).

        The message and each problem gain the ``yaml_path: `` prefix unless they
        already start with it (in every language); file and record are kept. An
        error already located is returned as it is.
        """
        if self.yaml_path is not None:
            return self
        located = type(self).__new__(type(self))
        Exception.__init__(located, str(self.headline.at(yaml_path)))
        located.headline = self.headline.at(yaml_path)
        located.problems = [p.at(yaml_path) for p in self.problems]
        located.file, located.record, located.yaml_path = self.file, self.record, yaml_path
        return located
