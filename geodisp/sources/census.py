"""Read INEGI census tables (Censo 2020 ITER per localidad, AGEB urban tables) by CVEGEO.

The key is built from the code columns (ENTIDAD/MUN/LOC/AGEB or CVE_ENT/CVE_MUN/
CVE_LOC/CVE_AGEB, or a CVEGEO column), which often arrive as integers that lost their
zeros ('1' for municipio 001). INEGI's total rows keep zeros in the finer codes and
become the coarser unit: MUN 0 is the state total (key '12'), LOC 0 the municipio
total ('12001'), AGEB '0000' the localidad total. LOC 9998/9999 (INEGI's groups of
one- and two-dwelling localities) keep their 9-digit keys. Block (manzana) rows and
the national total are rejected: they are not units geodisp works with.

Values suppressed for confidentiality ('*') or not available ('N/D') are NaN, never
zero. Column names are lower case; ``TVIVPARHAB`` is read as ``vivpar_hab`` when the
table has no ``VIVPAR_HAB``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodisp.model.errors import InputError
from geodisp.sources.messages import Message
from geodisp.sources.personal import quote
from geodisp.model.rejects import Read, concat_rejects, rejects_frame
from geodisp.sources.tables import find_column, normalise_header, read_table, row_names, to_number
from geodisp.model.vocab import LEVEL_KEY_LENGTH, LEVELS, NATIONAL_HOUSEHOLD_SIZE, level_of_key

SOURCE = "census"
_CODES = {
    "ent": ("entidad", "cve_ent", "ent"),
    "mun": ("mun", "cve_mun", "municipio"),
    "loc": ("loc", "cve_loc", "localidad"),
    "ageb": ("ageb", "cve_ageb"),
    "mza": ("mza", "cve_mza", "manzana"),
}
_WIDTH = {"ent": 2, "mun": 3, "loc": 4, "ageb": 4}
#: Columns kept as text (names, coordinates as published, codes).
TEXT_COLUMNS = frozenset(
    {"nom_ent", "nom_mun", "nom_loc", "longitud", "latitud", "altitud", "cvegeo"}
    | {c for codes in _CODES.values() for c in codes}
)
_NAME_BY_LEVEL = {"ent": "nom_ent", "mun": "nom_mun", "loc": "nom_loc", "ageb": "nom_loc"}


def _code(value: str, width: int) -> str | None:
    """A code cell → zero-padded text ('1' → '001'); '' and '0…0' → '' (a total row); None if malformed."""
    text = value.strip().upper()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text or set(text) == {"0"}:
        return ""
    if not text.isalnum() or len(text) > width:
        return None
    return text.zfill(width)


def _keys(frame: pd.DataFrame, path: Path) -> tuple[pd.Series, pd.Series]:
    """CVEGEO per row and a reason where the row cannot be a unit."""
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    direct = find_column(frame, ["cvegeo"])
    if direct is not None:
        keys = frame[direct].str.strip()
        bad = ~keys.str.len().isin(list(LEVEL_KEY_LENGTH.values())) | ~keys.str.isalnum()
        for i in keys.index[bad]:
            reasons[i] = Message("key_malformed", value=quote(keys[i]))
        return keys, reasons
    columns = {lvl: find_column(frame, names) for lvl, names in _CODES.items()}
    if columns["ent"] is None:
        raise InputError.coded("input_census_no_keys", file=path)
    present = [lvl for lvl in ("ent", "mun", "loc", "ageb") if columns[lvl] is not None]
    present = present[: next((n for n, lvl in enumerate(present) if lvl != LEVELS[n]), len(present))]
    cells = zip(*(frame[columns[lvl]] for lvl in present))
    blocks = frame[columns["mza"]] if columns["mza"] is not None else pd.Series("", index=frame.index)
    key_list: list[str | None] = []
    reason_list: list[str | None] = []
    for row, block in zip(cells, blocks):
        key, reason = _key_of(row, present, columns)
        if reason is None:
            if _code(block, 3) not in ("", None):
                reason = Message("census_block_row")
            elif key == "":
                reason = Message("census_national_total")
            elif not 1 <= int(key[:2]) <= 32:
                reason = Message("key_state_unknown", state=key[:2], key=key)
        key_list.append(key if reason is None else None)
        reason_list.append(reason)
    keys = pd.Series(key_list, index=frame.index, dtype=object)
    reasons = pd.Series(reason_list, index=frame.index, dtype=object)
    return keys, reasons


def _key_of(row: tuple[str, ...], levels: list[str], columns: dict[str, str | None]) -> tuple[str, Message | None]:
    """Join the code cells of one row into a key, stopping at the first total ('0') code."""
    key = ""
    for lvl, cell in zip(levels, row):
        part = _code(cell, _WIDTH[lvl])
        # AGEB codes may end in a letter (001A); the other codes are digits
        if part is None or (lvl != "ageb" and part and not part.isdigit()):
            return "", Message("code_malformed", column=columns[lvl], value=quote(cell))
        if part == "":
            break
        key += part
    return key, None


def read_census(path: str | Path) -> Read:
    """Read a census table; ``Read(DataFrame indexed by cvegeo, rejects)``.

    Columns: ``level``, ``name`` (the unit's own name column), every count and average
    as float (NaN where suppressed), in lower case: ``pobtot``, ``vivpar_hab``,
    ``prom_ocup``, ``pobfem``, ``pobmas``, ``p_0a2`` … ``p_60ymas``, ``pcon_disc``,
    ``p3ym_hli`` and the rest, where present. Rows sharing a key are rejected after the
    first; so are block rows, the national total and rows with malformed codes.
    """
    path = Path(path)
    table = read_table(path, known=[c for codes in _CODES.values() for c in codes] + ["cvegeo", "pobtot", "nom_mun", "nom_loc"])
    frame = table.frame
    records = pd.Series(row_names(frame), index=frame.index)
    keys, reasons = _keys(frame, path)
    ok = reasons.isna()
    repeated = ok & keys.duplicated(keep="first") & keys.notna()
    first_record = records[ok].groupby(keys[ok]).first()
    for i in keys.index[repeated]:
        reasons[i] = Message("duplicate_key", key=keys[i], record=first_record[keys[i]])
    ok = reasons.isna()

    used = frame[ok].copy()
    used.columns = [normalise_header(c) for c in used.columns]
    data = pd.DataFrame(index=pd.Index(keys[ok].astype(str).to_numpy(), name="cvegeo"))
    data["level"] = [level_of_key(k) for k in data.index]
    data["name"] = None
    for lvl, column in _NAME_BY_LEVEL.items():
        if column in used:
            at_level = (data["level"] == lvl).to_numpy()
            data.loc[at_level, "name"] = used[column].to_numpy()[at_level]
    for column in used.columns:
        if column in TEXT_COLUMNS or column in data.columns:
            continue
        data[column] = to_number(used[column]).to_numpy()
    if "vivpar_hab" not in data and "tvivparhab" in data:
        data["vivpar_hab"] = data["tvivparhab"]
    rejects = rejects_frame(SOURCE, str(path), list(records[~ok]), list(reasons[~ok]))
    return Read(data, concat_rejects(rejects), table.notes)


def _own_size(census: pd.DataFrame) -> pd.Series:
    """Occupants per inhabited private dwelling per unit: PROM_OCUP, else OCUPVIVPAR / VIVPAR_HAB."""
    size = census["prom_ocup"] if "prom_ocup" in census else pd.Series(np.nan, index=census.index)
    if {"ocupvivpar", "vivpar_hab"} <= set(census.columns):
        ratio = census["ocupvivpar"] / census["vivpar_hab"].where(census["vivpar_hab"] > 0)
        size = size.where(size.notna(), ratio)
    return size.where(size > 0)


def household_sizes(
    census: pd.DataFrame | None, keys: list[str] | pd.Index | pd.Series, household_size: float = NATIONAL_HOUSEHOLD_SIZE
) -> pd.DataFrame:
    """Household size for each key: its own census value, else the nearest parent's, else ``household_size`` (the event file's census.household_size).

    Returns a DataFrame indexed by ``cvegeo`` (one row per key, in order) with
    ``household_size`` and ``household_size_source`` (``"census:<key>"``,
    ``"parent:<key>"`` or ``"default"``) so every figure can say where its size came from.
    ``census`` may be None (no census table): every key gets ``household_size``.
    """
    size = _own_size(census) if census is not None and len(census) else pd.Series(dtype=float)
    lookup = size.dropna().to_dict()
    values, sources = [], []
    keys = [str(k) for k in keys]
    for key in keys:
        chain = [key] + [key[: LEVEL_KEY_LENGTH[lvl]] for lvl in reversed(LEVELS) if LEVEL_KEY_LENGTH[lvl] < len(key)]
        for candidate in chain:
            if candidate in lookup:
                values.append(float(lookup[candidate]))
                sources.append(f"census:{candidate}" if candidate == key else f"parent:{candidate}")
                break
        else:
            values.append(float(household_size))
            sources.append("default")
    return pd.DataFrame(
        {"household_size": values, "household_size_source": sources}, index=pd.Index(keys, name="cvegeo")
    )
