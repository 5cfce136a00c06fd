"""Per-record checks shared by the table readers: total rows, personal cells, counts, dates.

Each check fills a reasons Series in place, first failing check wins, with a
:class:`~geodisp.sources.messages.Message` naming the column and why; a value is
quoted only through :func:`geodisp.sources.personal.quote`, which redacts anything
that may be personal.
"""
from __future__ import annotations

import pandas as pd

from geodisp.sources.messages import Message
from geodisp.sources.personal import personal_cells, quote
from geodisp.sources.tables import SUMMARY_LABELS, is_missing, normalise_text, parse_date, summary_rows, to_number

#: Words of the total-row labels, so 'Total general' is quoted, not redacted as a possible name.
SUMMARY_WORDS = frozenset(w for label in SUMMARY_LABELS for w in label.split())


def row_fingerprint(frame: pd.DataFrame) -> pd.Series:
    """One hash per row of the given columns (personal ones included, then forgotten)."""
    if frame.shape[1] == 0:
        return pd.Series(0, index=frame.index, dtype="uint64")
    return pd.util.hash_pandas_object(frame.map(normalise_text), index=False)


def first_reason(reasons: pd.Series, more: pd.Series) -> None:
    """Give rows without a reason yet the reason in ``more``, in place (the first failing check wins).

    Set one by one: a :class:`Message` must stay an object, not be turned into a plain string.
    """
    for i in more.index[reasons.isna() & more.notna()]:
        reasons[i] = more[i]


def reject_summary_rows(frame: pd.DataFrame, labels: list[str], values: list[str], reasons: pd.Series) -> None:
    """Give total rows ('TOTAL', 'Total general') their reason, in place."""
    hits = summary_rows(frame, labels, values)
    for i in frame.index[hits.notna() & reasons.isna()]:
        reasons[i] = Message("summary_row", column=hits[i], value=quote(frame.at[i, hits[i]], SUMMARY_WORDS))


def reject_personal_cells(frame: pd.DataFrame, columns: list[str], reasons: pd.Series) -> None:
    """Reject rows whose mapped cell (coordinates, level, unit) holds personal data, in place."""
    for column in columns:
        kinds = personal_cells(frame[column])
        for i in frame.index[kinds.notna() & reasons.isna()]:
            reasons[i] = Message("personal_data_in_cell", column=column, kind=kinds[i])


def redact_ids(ids: pd.Series, records: pd.Series, column: str, notes: list) -> pd.Series:
    """Ids holding personal data (a phone or CURP as folio) replaced by the record name, with a note."""
    kinds = personal_cells(ids)
    hit = kinds.notna()
    if hit.any():
        notes.append(Message("personal_cells_redacted", column=column, count=int(hit.sum()), records=list(records[hit])))
    return ids.where(~hit, records)


def count_reasons(values: pd.Series, what: str, column: str | pd.Series, reasons: pd.Series, required: bool = True) -> pd.Series:
    """Counts as numbers ('1,250' is 1250); reasons where missing, not a number, negative or fractional."""
    number = to_number(values)
    missing = is_missing(values)
    columns = column if isinstance(column, pd.Series) else pd.Series(column, index=values.index)
    checks = [
        (number.isna() & ~missing, lambda i: Message("count_invalid", what=what, column=columns[i], value=quote(values[i]))),
        (number < 0, lambda i: Message("count_negative", what=what, value=quote(values[i]))),
        (number.notna() & (number % 1 != 0), lambda i: Message("count_fractional", what=what, value=quote(values[i]))),
    ]
    if required:
        checks.insert(0, (missing, lambda i: Message("count_missing", what=what)))
    for mask, why in checks:
        for i in values.index[reasons.isna() & mask]:
            reasons[i] = why(i)
    return number


def date_reasons(values: pd.Series, column: str, reasons: pd.Series, required: bool) -> pd.Series:
    """Dates: Excel serial numbers, date cells, dd/mm/yyyy, yyyy-mm-dd; an impossible one is rejected, quoted."""
    dates = values.map(parse_date)
    missing = is_missing(values)
    for i in values.index[dates.isna() & ~missing & reasons.isna()]:
        reasons[i] = Message("date_invalid", column=column, value=quote(values[i]))
    if required:
        for i in values.index[missing & reasons.isna()]:
            reasons[i] = Message("date_missing")
    return pd.to_datetime(dates)
