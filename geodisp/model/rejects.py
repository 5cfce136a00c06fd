"""The rejects table: every input record not used, with the reason.

Every reader returns ``Read(data, rejects)``. A record is either in ``data`` or
in ``rejects``; nothing is dropped silently. ``record`` names the record the
way an analyst finds it in the file: ``"row 12"`` (1-based data row, header not
counted), ``"feature 3"`` (0-based feature index, as GDAL's FID order) or an id.
"""
from __future__ import annotations

from typing import Any, Generic, NamedTuple, Sequence, TypeVar

import pandas as pd

REJECT_COLUMNS: list[str] = ["source", "file", "record", "reason"]

T = TypeVar("T")


class Read(NamedTuple, Generic[T]):  # type: ignore[misc]
    """What a reader returns: normalised data, the records it rejected, and notes.

    ``notes`` say what the reader repaired or dropped without rejecting a record (a
    fixed geometry, swapped coordinates, a dropped personal column): a typed field,
    since pandas ``attrs`` do not survive ``concat`` and many other operations.
    """

    data: Any
    rejects: pd.DataFrame
    notes: tuple[str, ...] = ()


def empty_rejects() -> pd.DataFrame:
    """A rejects table with no rows and the standard columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in REJECT_COLUMNS})


def rejects_frame(
    source: str, file: str, records: Sequence[Any], reasons: Sequence[str] | str
) -> pd.DataFrame:
    """Build a rejects table for ``records`` of one file, one reason each (or one for all)."""
    records = [str(r) for r in records]
    if isinstance(reasons, str):
        reasons = [reasons] * len(records)
    if len(reasons) != len(records):
        raise ValueError("one reason per record")
    if not records:
        return empty_rejects()
    return pd.DataFrame(
        {"source": source, "file": str(file), "record": records, "reason": list(reasons)},
        columns=REJECT_COLUMNS,
    )


def concat_rejects(*frames: pd.DataFrame) -> pd.DataFrame:
    """Concatenate rejects tables, keeping the standard columns even when all are empty."""
    frames = tuple(f for f in frames if f is not None and len(f))
    if not frames:
        return empty_rejects()
    return pd.concat(frames, ignore_index=True)[REJECT_COLUMNS]
