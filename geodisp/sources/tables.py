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
from pathlib import Path

import numpy as np
import pandas as pd

from geodisp.model.errors import InputError

#: Cell values meaning "no value": INEGI's suppressed ('*') and not available ('N/D').
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "*", "n/d", "nd", "n.d.", "na", "n/a", "nan", "none", "null", "-", "--", "s/d"}
)

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
#: Largest table read, in bytes (a zipped table: its uncompressed size). Tables are read whole,
#: so this bounds memory; ``GEODISP_MAX_TABLE_MB`` raises it.
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
        raise InputError(f"GEODISP_MAX_TABLE_MB: expected a number of megabytes, got {value[:20]!r}") from None


def _check_size(name: str, size: int, what: str = "") -> None:
    limit = max_table_bytes()
    if size > limit:
        raise InputError(
            f"{name}: {what}{size:,} bytes, larger than the {limit:,} bytes geodisp reads as one table; "
            "split it, or set GEODISP_MAX_TABLE_MB to raise the limit"
        )
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV/XLSX table as text: every column ``str``, missing cells ``""``.

    Column names are stripped of surrounding spaces (case is kept; see
    :func:`normalise_header`). A ``.zip`` holding exactly one table is read through.
    Raises :class:`InputError` naming the file when it cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _read_zipped(path, sheet)
    if suffix in (".xlsx", ".xlsm"):
        with zipfile.ZipFile(path) as zf:
            _check_size(str(path), sum(i.file_size for i in zf.infolist()), "uncompressed ")
    _check_size(str(path), path.stat().st_size)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_excel(path, sheet)
    return _read_csv_bytes(path.read_bytes(), str(path))


def _read_zipped(path: Path, sheet: str | int | None) -> pd.DataFrame:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith(TABLE_SUFFIXES)]
        if len(names) != 1:
            raise InputError(f"{path}: expected one table inside the zip, found {names or 'none'}")
        name = f"{path}!{names[0]}"
        _check_size(name, zf.getinfo(names[0]).file_size, "uncompressed ")
        with zf.open(names[0]) as member:  # the declared size may lie: read one byte past the limit at most
            data = member.read(max_table_bytes() + 1)
        _check_size(name, len(data), "uncompressed, at least ")
    if names[0].lower().endswith((".xlsx", ".xlsm", ".xls")):
        return _clean(pd.read_excel(io.BytesIO(data), sheet_name=sheet or 0, dtype=str))
    return _read_csv_bytes(data, name)


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=str)
    except Exception as exc:  # openpyxl raises many types for bad files
        raise InputError(f"{path}: cannot read as a spreadsheet ({exc})") from exc
    return _clean(frame)


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode bytes as UTF-8 (BOM allowed), falling back to cp1252 then latin-1."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: cannot decode text")  # latin-1 never fails; kept for clarity


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: ',', ';', tab or '|'.

    Each candidate splits the first lines with the csv module (quotes respected); the
    one giving the same number of fields (more than one) on every line wins, the most
    fields breaking ties. This copes with semicolon files that use decimal commas
    ('17,55;-99,50'), where counting characters or csv.Sniffer picks the comma.
    """
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_key = ",", (-1, -1)
    for delimiter in (",", ";", "\t", "|"):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:  # a field over the csv module's limit: _read_csv_bytes reports it
            continue
        if not widths:
            continue
        consistent = int(len(set(widths)) == 1 and widths[0] > 1)
        key = (consistent, widths[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _read_csv_bytes(data: bytes, name: str) -> pd.DataFrame:
    text = decode_text(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    delimiter = sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, skipinitialspace=True,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        raise InputError(f"{name}: cannot parse as CSV ({str(exc)[:200]})") from None
    _check_fields(frame, name)
    return _clean(frame)


def _check_fields(frame: pd.DataFrame, name: str) -> None:
    """InputError naming the row and column of the first field over :data:`MAX_FIELD_CHARS` characters."""
    for j, column in enumerate(frame.columns):
        if len(str(column)) > MAX_FIELD_CHARS:
            raise InputError(f"{name}: header of column {j + 1} is {len(str(column)):,} characters long; is this a table?")
        lengths = frame[column].astype(str).str.len()
        if len(lengths) and lengths.max() > MAX_FIELD_CHARS:
            row = int(np.argmax(lengths.to_numpy()))
            raise InputError(
                f"{name}: row {row + 1}, column {j + 1}: a field of {int(lengths.max()):,} characters, longer than "
                f"the {MAX_FIELD_CHARS:,} a table cell may hold; is this a table?"
            )


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.lower().startswith("unnamed:") or frame[c].notna().any() for c in frame.columns]]
    frame = frame.fillna("").astype(str).apply(lambda s: s.str.strip())
    # drop rows that are entirely empty (trailing lines of spreadsheets)
    frame = frame.loc[~(frame == "").all(axis=1)]
    return frame


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


def find_column(frame: pd.DataFrame, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The first column of ``frame`` whose normalised header is one of ``candidates``."""
    by_key = {normalise_header(c): c for c in frame.columns}
    for candidate in candidates:
        key = normalise_header(candidate)
        if key in by_key:
            return by_key[key]
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


_SPANISH_MONTHS = {
    "ene": 1, "enero": 1, "feb": 2, "febrero": 2, "mar": 3, "marzo": 3, "abr": 4, "abril": 4,
    "may": 5, "mayo": 5, "jun": 6, "junio": 6, "jul": 7, "julio": 7, "ago": 8, "agosto": 8,
    "sep": 9, "sept": 9, "septiembre": 9, "set": 9, "setiembre": 9, "oct": 10, "octubre": 10,
    "nov": 11, "noviembre": 11, "dic": 12, "diciembre": 12,
}
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d/%m/%y",
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
