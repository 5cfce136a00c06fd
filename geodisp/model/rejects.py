"""The rejects table: every input record not used, with the reason.

Every reader returns ``Read(data, rejects)``. A record is either in ``data`` or
in ``rejects``; nothing is dropped silently. ``record`` names the record the
way an analyst finds it in the file: ``"row 12"`` (1-based data row, header not
counted), ``"feature 3"`` (0-based feature index, as GDAL's FID order) or an id.
"""
from __future__ import annotations

import json
from typing import Any, Generic, NamedTuple, Sequence, TypeVar

import pandas as pd


#: ``reason`` is the text (Spanish unless rendered again in the run's language);
#: ``reason_code`` and ``reason_params`` (JSON) are what it is rendered from
#: (:func:`geodisp.sources.messages.render_rejects`); empty for reasons without a code.
REJECT_COLUMNS: list[str] = ["source", "file", "record", "reason", "reason_code", "reason_params"]

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
        {
            "source": source, "file": str(file), "record": records, "reason": [str(r) for r in reasons],
            "reason_code": [getattr(r, "code", "") for r in reasons],
            "reason_params": [_params_json(r) for r in reasons],
        },
        columns=REJECT_COLUMNS,
    )


def concat_rejects(*frames: pd.DataFrame) -> pd.DataFrame:
    """Concatenate rejects tables, keeping the standard columns even when all are empty.

    Tables built elsewhere without ``reason_code``/``reason_params`` get them empty.
    """
    frames = tuple(f for f in frames if f is not None and len(f))
    if not frames:
        return empty_rejects()
    out = pd.concat(frames, ignore_index=True)
    for column in ("reason_code", "reason_params"):
        out[column] = out[column].fillna("") if column in out else ""
    return out[REJECT_COLUMNS]


def _params_json(reason: Any) -> str:
    """The parameters of a coded reason (a ``geodisp.sources.messages.Message``) as JSON; '' for plain text."""
    params = getattr(reason, "params", None)
    if params is None:
        return ""
    return json.dumps(params, ensure_ascii=False, sort_keys=True, default=str)
