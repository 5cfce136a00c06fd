"""Read the tables analysts receive (CSV, XLSX) as text, and turn text into numbers.

Tables arrive as comma or semicolon CSV (sometimes tab), in UTF-8 (with or without
BOM) or latin-1/cp1252 from older Excel exports, or as XLSX. Every cell is read as
text so keys keep their leading zeros and nothing is guessed at read time; callers
convert the columns they use with :func:`to_number`, which reads INEGI's markers
for suppressed or unavailable values ('*', 'N/D') as missing, never as zero.

Rows are named the way an analyst finds them: ``"row N"``, the 1-based data row
with the header not counted (:func:`row_names`).
"""
from __future__ import annotations

import csv
import datetime
import functools
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.sources.messages import Message

#: Cell values meaning "no value": INEGI's suppressed ('*') and not available ('N/D').
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "*", "n/d", "nd", "n.d.", "na", "n/a", "nan", "none", "null", "-", "--", "s/d"}
)

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


@dataclass(frozen=True)
class Table:
    """A table as read: its cells as text (``frame``), what the reading did (``notes``:
    header line, sheet chosen, cells filled, as :class:`Message` codes for the reader to
    hand on in its ``Read.notes``), the header's 1-based line and the sheet read (None
    for a CSV)."""

    frame: pd.DataFrame
    notes: tuple[Message, ...] = ()
    header_line: int = 1
    sheet: str | None = None


def read_table(
    path: str | Path, sheet: str | int | None = None, known: Iterable[str] = (), scan: int = 30
) -> Table:
    """Read a CSV/XLSX table as text (:class:`Table`): every column ``str``, missing cells ``""``.

    Files as analysts receive them: title lines and blank rows above the header,
    merged cells, several sheets. The header is the first of the top ``scan`` lines
    holding the most names from ``known`` (the reader's column names; any line when
    ``known`` is empty). In a spreadsheet, a merged range's value fills every cell of
    the range (a municipio merged over its rows applies to each row). With several
    sheets, ``sheet`` names one; without it, the only sheet with a recognisable header
    is read. Column names are stripped of surrounding spaces (case is kept; see
    :func:`normalise_header`). A ``.zip`` holding exactly one table is read through.

    ``Table.notes`` say what the reading did (header line, sheet chosen, cells filled);
    ``Table.header_line`` is the header's 1-based line. Rows are numbered from the line
    after the header (:func:`row_names`). Raises
    :class:`InputError` naming the file when it cannot be read; messages never quote
    cell values.
    """
    path = Path(path)
    if not path.exists():
        raise InputError.coded("input_file_not_found", file=path)
    suffix = path.suffix.lower()
    name, data = str(path), None
    if suffix == ".zip":
        name, data = _zipped(path)
        suffix = Path(name).suffix.lower()
    else:
        _check_size(name, path.stat().st_size)
    if suffix in (".xlsx", ".xlsm"):  # a zip too: its sheets' uncompressed size is what gets read
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as book:
            _check_size(name, sum(i.file_size for i in book.infolist()), uncompressed=True)
    if suffix in _EXCEL_SUFFIXES:
        return _read_excel(io.BytesIO(data) if data is not None else path, name, sheet, tuple(known), scan)
    text = decode_text(data if data is not None else path.read_bytes(), name)
    if not text.strip():
        raise InputError.coded("input_empty_file", file=name)
    return _read_csv_text(text, name, tuple(known), scan)


_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Largest table read, in bytes (a zipped table: its uncompressed size). Tables are read whole,
#: so this bounds memory; ``GEODISP_MAX_TABLE_MB`` raises it (docs/reliability.md).
MAX_TABLE_BYTES = 512 << 20
#: Longest CSV field, in characters (the csv module's own limit): longer is not a table cell.
MAX_FIELD_CHARS = 131_072


def max_table_bytes() -> int:
    """:data:`MAX_TABLE_BYTES`, or ``GEODISP_MAX_TABLE_MB`` megabytes when that is set."""
    value = os.environ.get("GEODISP_MAX_TABLE_MB", "").strip()
    if not value:
        return MAX_TABLE_BYTES
    try:
        return int(float(value) * (1 << 20))
    except ValueError:
        raise InputError.coded("input_table_limit_setting", value=repr(value[:20])) from None


def _check_size(name: str, size: int, uncompressed: bool = False, at_least: bool = False) -> None:
    limit = max_table_bytes()
    if size > limit:
        raise InputError.coded("input_zip_member_too_big" if uncompressed else "input_table_too_big",
                               file=name, size=("≥ " if at_least else "") + f"{size:,}", limit=f"{limit:,}")


def _zipped(path: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith(TABLE_SUFFIXES)]
        if len(names) != 1:
            raise InputError.coded("input_zip_tables", file=path, n=len(names), names=", ".join(names) or "–")
        name = f"{path}!{names[0]}"
        _check_size(name, zf.getinfo(names[0]).file_size, uncompressed=True)
        with zf.open(names[0]) as member:  # the declared size may lie: read one byte past the limit at most
            data = member.read(max_table_bytes() + 1)
        _check_size(name, len(data), uncompressed=True, at_least=True)
        return name, data


def _csv_rows(lines: list[str], delimiter: str, name: str) -> list[list[str]]:
    """``lines`` split by the csv module; a field over :data:`MAX_FIELD_CHARS` is bad input naming its line."""
    rows = []
    for n, line in enumerate(lines, start=1):
        try:
            rows.extend(csv.reader([line], delimiter=delimiter))
        except csv.Error:
            raise InputError.coded("input_field_too_long", file=name, line=n, limit=f"{MAX_FIELD_CHARS:,}") from None
    return rows


def _check_fields(body: pd.DataFrame, name: str, first_line: int) -> None:
    """InputError naming the line and column of the first field over :data:`MAX_FIELD_CHARS` characters."""
    for j in body.columns:
        lengths = body[j].astype(str).str.len()
        if len(lengths) and lengths.max() > MAX_FIELD_CHARS:
            row = int(np.argmax(lengths.to_numpy()))
            raise InputError.coded("input_cell_too_long", file=name, line=first_line + row, column=int(j) + 1,
                                   length=f"{int(lengths.max()):,}", limit=f"{MAX_FIELD_CHARS:,}")


def _read_excel(source: Any, name: str, sheet: str | int | None, known: tuple[str, ...], scan: int) -> Table:
    import openpyxl

    if name.lower().endswith(".xls"):
        raise InputError.coded("input_old_excel", file=name)
    try:
        book = openpyxl.load_workbook(source, data_only=True)
    except Exception as exc:  # openpyxl raises many types for bad files
        raise InputError.coded("input_not_spreadsheet", file=name, error=type(exc).__name__) from exc
    names = list(book.sheetnames)
    notes: list[Message] = []
    if sheet is not None:
        chosen = _named_sheet(names, sheet)
        if chosen is None:
            raise InputError.coded("input_no_sheet", file=name, sheet=sheet, sheets=", ".join(names))
    elif len(names) == 1:
        chosen = names[0]
    else:
        scored = {n: _header_score(_sheet_rows(book[n], scan)[0], known, scan)[1] for n in names}
        usable = [n for n, score in scored.items() if score >= 2 or (score >= 1 and len(known) <= 2)]
        if len(usable) != 1:
            raise InputError.coded("input_sheet_ambiguous", file=name, n=len(names), sheets=", ".join(names), usable=len(usable))
        chosen = usable[0]
        notes.append(Message("sheet_chosen", sheet=chosen, sheets=names))
    rows, merged = _sheet_rows(book[chosen])
    table = _frame(rows, known, name, scan, sheet_label=chosen if len(names) > 1 else None, merged=merged)
    return replace(table, notes=tuple(notes) + table.notes, sheet=chosen)


def _named_sheet(names: list[str], sheet: str | int) -> str | None:
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
        index = int(sheet)
        return names[index] if 0 <= index < len(names) else None
    if sheet in names:
        return sheet
    by_key = {normalise_text(n): n for n in names}
    return by_key.get(normalise_text(sheet))


def _sheet_rows(sheet: Any, limit: int | None = None) -> tuple[list[list[str]], dict[tuple[int, int], int]]:
    """A worksheet's cells as text rows, each merged range filled with its top-left value.

    Returns the rows and, for each filled cell below the first row of its range,
    ``(row, column) -> 1``, so the caller can report fills within the data.
    """
    rows = [
        [_cell_text(v) for v in row]
        for row in sheet.iter_rows(values_only=True, max_row=limit)
    ]
    filled: dict[tuple[int, int], int] = {}
    for cells in getattr(sheet, "merged_cells", None) and sheet.merged_cells.ranges or ():
        top, left = cells.min_row - 1, cells.min_col - 1
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for r in range(top, min(cells.max_row, len(rows))):
            row = rows[r]
            if len(row) < cells.max_col:
                row.extend([""] * (cells.max_col - len(row)))
            for c in range(left, cells.max_col):
                if (r, c) != (top, left):
                    row[c] = value
                    if r > top and c == left:
                        filled[(r, c)] = 1
    return rows, filled


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _read_csv_text(text: str, name: str, known: tuple[str, ...], scan: int) -> Table:
    """A CSV text as a frame of text: the header found among the first lines, the body read by pandas."""
    delimiter = sniff_delimiter(text)
    buffer = io.StringIO(text, newline=None)  # universal newlines: \r\n and \r read as \n
    lines = [buffer.readline() for _ in range(scan + 1)]
    head = [[cell.strip() for cell in row] for row in _csv_rows([line for line in lines if line], delimiter, name)]
    header_at = _header_at(head, known, name, scan)
    buffer = io.StringIO(text, newline=None)
    for _ in range(header_at):
        buffer.readline()
    try:
        body = pd.read_csv(
            buffer, sep=delimiter, dtype=str, keep_default_na=False, skipinitialspace=True,
            skip_blank_lines=False, header=None,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError.coded("input_not_csv", file=name, error=type(exc).__name__) from exc
    _check_fields(body, name, header_at + 1)
    header = [str(c).strip() for c in body.iloc[0]] if len(body) else head[header_at]
    body = body.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    return _finish(body, header, header_at, None, {})


def _header_score(rows: list[list[str]], known: tuple[str, ...], scan: int) -> tuple[int | None, int]:
    """The index of the header row among the first ``scan`` rows and how many known names it holds."""
    keys = {candidate_key(k) for k in known}
    best, best_score = None, 0
    for i, row in enumerate(rows[:scan]):
        if not keys:
            if any(cell for cell in row):
                return i, 0
            continue
        score = sum(1 for cell in set(row) if cell and _known_header(cell, keys))
        if score > best_score:
            best, best_score = i, score
    return best, best_score


def _header_at(rows: list[list[str]], known: tuple[str, ...], name: str, scan: int) -> int:
    header_at, _ = _header_score(rows, known, scan)
    if header_at is None:
        if not any(any(cell for cell in row) for row in rows):
            raise InputError.coded("input_empty_table", file=name)
        looked = ", ".join(sorted({candidate_key(k) for k in known})[:12])
        raise InputError.coded("input_no_header", file=name, n=scan, looked=looked)
    return header_at


def _frame(
    rows: list[list[str]], known: tuple[str, ...], name: str, scan: int,
    sheet_label: str | None, merged: dict[tuple[int, int], int],
) -> Table:
    header_at = _header_at(rows, known, name, scan)
    width = max([len(rows[header_at])] + [len(r) for r in rows[header_at + 1:]])
    body = pd.DataFrame([r + [""] * (width - len(r)) for r in rows[header_at + 1:]], columns=range(width), dtype=object)
    return _finish(body, rows[header_at], header_at, sheet_label, merged)


def _finish(
    body: pd.DataFrame, header: list[str], header_at: int, sheet_label: str | None, merged: dict[tuple[int, int], int],
) -> Table:
    """Name the body's columns from the header, clean the cells, note what the reading did."""
    names, seen = [], {}
    for i in range(body.shape[1]):
        label = header[i].strip() if i < len(header) else ""
        label = label or f"unnamed_{i + 1}"
        if label in seen:
            seen[label] += 1
            label = f"{label}_{seen[label]}"
        else:
            seen[label] = 1
        names.append(label)
    frame = body.copy()
    frame.columns = names
    frame = frame.fillna("").astype(str)
    frame = frame.apply(lambda s: s.str.strip()) if len(frame) else frame
    keep = [not c.startswith("unnamed_") or (frame[c] != "").any() for c in frame.columns]
    frame = frame.loc[:, keep]
    if len(frame.columns):
        frame = frame.loc[~(frame == "").all(axis=1)]
    notes: list[Message] = []
    if header_at > 0:
        notes.append(Message("header_found", line=header_at + 1, sheet=f" ('{sheet_label}')" if sheet_label else ""))
    fills: dict[str, int] = {}
    for (r, c) in merged:
        if r > header_at and c < len(names) and names[c] in frame.columns:
            fills[names[c]] = fills.get(names[c], 0) + 1
    if fills:
        notes.append(Message("merged_filled", count=sum(fills.values()), columns=[f"'{c}'" for c in fills]))
    return Table(frame, tuple(notes), header_at + 1)


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode bytes as UTF-8 (BOM allowed), falling back to cp1252 then latin-1."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError.coded("input_cannot_decode", file=name)  # latin-1 never fails; kept for clarity


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: ',', ';', tab or '|'.

    Each candidate splits the first lines with the csv module (quotes respected); the
    one under which most lines share one width of more than one field wins, the
    wider breaking ties. Title lines above the header (one field) do not count
    against a delimiter, and semicolon files with decimal commas ('17,55;-99,50')
    are not taken for comma files.
    """
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    best, best_key = ",", (-1, -1)
    for delimiter in (",", ";", "\t", "|"):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:  # a field over the csv module's limit: reported by _csv_rows
            continue
        multi = [w for w in widths if w > 1]
        if not multi:
            continue
        common = max(set(multi), key=lambda w: (multi.count(w), w))
        key = (multi.count(common), common)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _known_header(cell: str, keys: set[str]) -> bool:
    return any(header_matches(cell, k) for k in keys)


def row_names(frame: pd.DataFrame) -> list[str]:
    """``"row N"`` for each row: 1-based data rows, header not counted, blank rows kept in count."""
    return [f"row {int(i) + 1}" for i in frame.index]


def normalise_text(value: object) -> str:
    """Lower case, accents removed, punctuation and runs of spaces folded to one space."""
    return _normalise(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _normalise(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return text.strip()


def normalise_header(name: object) -> str:
    """A column header as a matching key: ``'Daño Total '`` → ``'dano_total'``."""
    return normalise_text(name).replace(" ", "_")


#: Suffixes people and GIS tools append to a column name: 'LONGITUD_1', 'longitud_x', 'lat_dd'.
_SUFFIX = re.compile(r"_(\d+|x|y|dd|gd|dec|decimal|grados)$")


def candidate_key(candidate: str) -> str:
    """A candidate column name as a key; a trailing ``*`` (``'folio*'``) matches any name starting so."""
    text = str(candidate).strip()
    if text.endswith("*"):
        return normalise_header(text[:-1]) + "*"
    return normalise_header(text)


def header_variants(name: object) -> tuple[str, ...]:
    """A header as written and without a tool's suffix: ``'LONGITUD_1'`` → ``('longitud_1', 'longitud')``."""
    key = normalise_header(name)
    stripped = _SUFFIX.sub("", key)
    return (key, stripped) if stripped and stripped != key else (key,)


def header_matches(name: object, candidate_key_: str, exact: bool = False) -> bool:
    """Whether header ``name`` is the candidate (a :func:`candidate_key`), exactly or as a variant."""
    key = normalise_header(name)
    if candidate_key_.endswith("*"):
        return not exact and key.startswith(candidate_key_[:-1])
    if exact:
        return key == candidate_key_
    return candidate_key_ in header_variants(name)


def find_column(
    frame: pd.DataFrame, candidates: Iterable[str], exclude: Iterable[str] = ()
) -> str | None:
    """The column of ``frame`` named like one of ``candidates`` (first candidate first).

    Names match ignoring case, accents and punctuation (``'Lat.'`` is ``lat``); then
    without a suffix a tool added (``'LONGITUD_1'``, ``'longitud_x'`` are ``longitud``);
    then by prefix for candidates ending in ``*`` (``'folio*'`` finds ``'Folio Censo'``).
    Columns in ``exclude`` (already given another role) are skipped.
    """
    skip = set(exclude)
    columns = [c for c in frame.columns if c not in skip and c != "geometry"]
    keys = [candidate_key(c) for c in candidates]
    for exact in (True, False):
        for key in keys:
            for column in columns:
                if header_matches(column, key, exact=exact):
                    return column
    return None


def is_missing(values: pd.Series) -> pd.Series:
    """True where a text cell is empty or one of :data:`MISSING_MARKERS`."""
    text = values.astype(str).str.strip().str.lower()
    return values.isna() | text.isin(MISSING_MARKERS)


def to_number(values: pd.Series) -> pd.Series:
    """Text to float: missing markers → NaN; ``'1,234'`` thousands and ``'3,5'`` decimals read.

    Cells that are not numbers also become NaN; use :func:`not_numbers` to find them.
    """
    text = values.astype(str).str.strip().str.replace(" ", "", regex=False)
    # '1,234,567' or '1.234' thousands vs '3,5' decimal comma
    thousands = text.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
    text = text.where(~thousands, text.str.replace(",", "", regex=False))
    decimal_comma = text.str.fullmatch(r"-?\d+,\d+")
    text = text.where(~decimal_comma, text.str.replace(",", ".", regex=False))
    out = pd.to_numeric(text, errors="coerce").astype("float64")
    out[is_missing(values)] = np.nan
    return out


def not_numbers(values: pd.Series) -> pd.Series:
    """True where a cell holds text that is neither a number nor a missing marker."""
    return to_number(values).isna() & ~is_missing(values)


# 'Ã'/'Â' followed by a continuation byte as latin-1 or cp1252 shows it
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def fix_mojibake(value: object) -> object:
    """Repair UTF-8 text that was decoded as latin-1 (``'MÃ©xico'`` → ``'México'``).

    Old INEGI shapefiles and CSVs mix encodings; GDAL reads a DBF without a code page
    as latin-1, which garbles UTF-8 names. Text that does not round-trip is returned
    unchanged, so correct latin-1 names are never touched.
    """
    if not isinstance(value, str) or not _MOJIBAKE.search(value):
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            return value.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value


def fix_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply :func:`fix_mojibake` to every text column of ``frame`` (a copy)."""
    frame = frame.copy()
    for column in frame.columns:
        if column != "geometry" and (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])):
            frame[column] = frame[column].map(fix_mojibake)
    return frame


#: Labels of rows that add up other rows ('TOTAL', 'Total general', 'Suma').
SUMMARY_LABELS: frozenset[str] = frozenset(
    {"total", "totales", "total general", "gran total", "suma", "sumas", "suma total", "subtotal", "subtotales"}
)


def summary_rows(frame: pd.DataFrame, labels: Iterable[str], values: Iterable[str] = ()) -> pd.Series:
    """Per row, the column whose cell marks it as a total row ('TOTAL', 'Total general'), else None.

    Looks in the ``labels`` columns (unit, name, id) and in the table's first
    column unless it is one of ``values`` (a damage level 'Total' is a level).
    """
    columns = [c for c in labels if c in frame.columns]
    if len(frame.columns) and frame.columns[0] not in columns and frame.columns[0] not in set(values):
        columns.append(frame.columns[0])
    found = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for column in columns:
        text = frame[column].map(normalise_text)
        hit = found.isna() & (text.isin(SUMMARY_LABELS) | text.str.startswith("total ") | text.str.startswith("subtotal "))
        found[hit] = column
    return found


_SPANISH_MONTHS = {
    "ene": 1, "enero": 1, "feb": 2, "febrero": 2, "mar": 3, "marzo": 3, "abr": 4, "abril": 4,
    "may": 5, "mayo": 5, "jun": 6, "junio": 6, "jul": 7, "julio": 7, "ago": 8, "agosto": 8,
    "sep": 9, "sept": 9, "septiembre": 9, "set": 9, "setiembre": 9, "oct": 10, "octubre": 10,
    "nov": 11, "noviembre": 11, "dic": 12, "diciembre": 12,
}
_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d/%m/%y",
                 "%d-%m-%Y", "%d-%m-%y", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


def parse_date(value: object) -> pd.Timestamp:
    """A date cell → day Timestamp; NaT when empty or unreadable.

    Day first, as Mexican forms write it ('01/10/2024' is 1 October), ISO dates, and
    Spanish month names ('1 de octubre de 2024', '1-oct-2024').
    """
    if isinstance(value, pd.Timestamp):
        return value.normalize()
    text = str(value).strip() if value is not None else ""
    if not text or text.lower() in MISSING_MARKERS:
        return pd.NaT
    serial = _excel_serial(text)
    if serial is not None:
        return serial
    for fmt in _DATE_FORMATS:
        try:
            return pd.Timestamp(datetime.datetime.strptime(text, fmt)).normalize()
        except ValueError:
            continue
    words = normalise_text(text).split()
    words = [w for w in words if w != "de" and w != "del"]
    if len(words) == 3 and words[1] in _SPANISH_MONTHS and words[0].isdigit() and words[2].isdigit():
        day, year = int(words[0]), int(words[2])
        year += 2000 if year < 100 else 0
        try:
            return pd.Timestamp(year=year, month=_SPANISH_MONTHS[words[1]], day=day)
        except ValueError:
            return pd.NaT
    return pd.NaT


#: Excel serial day numbers read as dates: 1 Jan 1960 to 31 Dec 2099.
_SERIAL_RANGE = (21916, 73415)


def _excel_serial(text: str) -> pd.Timestamp | None:
    """An Excel serial day number (a date cell in General format: '45223') → its day, else None."""
    if not re.fullmatch(r"\d{5}(\.\d+)?", text):
        return None
    number = float(text)
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(number))).normalize()
