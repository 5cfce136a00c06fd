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


class InputError(Exception):
    """Bad input: the message names the file, row or feature, the YAML path and the problem.

    ``problems`` lists every problem when there are several (the event file's
    validation reports them all at once); ``file``, ``record`` and ``yaml_path`` are
    the structured form of where the (first) problem is.
    """

    def __init__(
        self,
        message: str,
        problems: list[str] | None = None,
        *,
        file: str | Path | None = None,
        record: str | None = None,
        yaml_path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.problems = problems or [message]
        self.file = str(file) if file is not None else None
        self.record = record
        self.yaml_path = yaml_path

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
