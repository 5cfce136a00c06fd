"""Errors geodisp reports to people.

``InputError`` means the inputs are wrong (exit code 2): a file that is missing or
unreadable, a raster without a CRS, an event file that does not validate. Any
other exception is a defect in geodisp (exit code 1).
"""
from __future__ import annotations


class InputError(Exception):
    """Bad input: the message names the file, row or feature and the problem."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]
