"""The year catalogue: the year, and every event of it, as a path or inline.

A catalogue is YAML::

    year: 2024
    events:
      - eventos/otis/event.yaml            # a path to an event file
      - path: eventos/john/event.yaml      # a path, with year-end evidence
        year_end:
          rebuilt: {"12001": 40}           # dwellings rebuilt by 31 December, per municipio
      - event: {id: lluvias-sep, ...}      # the event's own sections, inline
        boundaries: {...}
        ...
    overlay: {cache_dir: null}             # one zone cache shared by every event
    output: {directory: null, lang: es, credit: inegi, hxl: true}

``load_catalogue`` checks the catalogue and every event in one pass and raises one
``InputError`` listing every problem, each with its YAML path
(``events[2] (eventos/john/event.yaml): hazard.path: file not found``).
Relative paths resolve against the catalogue's folder; inside an event file,
against that file's folder.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geodisp.model.errors import InputError, Problem
from geodisp.model.messages import Message
from geodisp.config.event import Event, load_event, parse_event, problem_messages


class YearEnd(BaseModel):
    """What is known on 31 December about an event's displacement (for the year-end stock)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rebuilt: dict[str, float] = Field(default_factory=dict, description="dwellings rebuilt or repaired by 31 December, per unit key")
    ended: Optional[dt.date] = Field(None, description="date by which all of the event's displacement ended")

    @field_validator("rebuilt", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        """Unit keys written unquoted in YAML arrive as numbers (12001, or 7008 for '07008'): make them CVEGEO text."""
        if isinstance(value, dict):
            return {(str(k).zfill(5) if isinstance(k, int) and k < 100000 else str(k)): v for k, v in value.items()}
        return value


class YearOverlay(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cache_dir: Optional[Path] = None


class YearOutput(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    directory: Optional[Path] = None
    lang: Literal["es", "en"] = "es"
    credit: Optional[str] = None
    hxl: bool = Field(True, description="write the HXL hashtag row under the GIDD table's header")


class _Head(BaseModel):
    """The catalogue without its events (they are checked one by one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=1900, le=2100)
    name: Optional[str] = None
    events: list[Any] = Field(min_length=1)
    overlay: YearOverlay = Field(default_factory=YearOverlay)
    output: YearOutput = Field(default_factory=YearOutput)


@dataclass(frozen=True)
class CatalogueEvent:
    """One event of the catalogue: the validated event, where it was defined, what is known at year end."""

    event: Event
    where: str  # "events[2] (eventos/john/event.yaml)" or "events[3]"
    year_end: YearEnd = field(default_factory=YearEnd)

    @property
    def id(self) -> str:
        return self.event.event.id

    def fingerprint(self) -> dict[str, Any]:
        """What decides whether the event must be recomputed: its settings and its inputs' SHA-256."""
        from geodisp.manifest import describe_file

        # paths enter by their file name only: the inputs are identified by their content
        settings = self.event.model_dump(exclude={"output", "overlay"})
        inputs = {name: describe_file(path)["sha256"] for name, path in sorted(self.event.input_paths().items())}
        text = json.dumps({"settings": settings, "year_end": self.year_end.model_dump(mode="json"), "inputs": inputs},
                          sort_keys=True, default=lambda v: v.name if isinstance(v, Path) else str(v))
        return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "inputs": inputs}


@dataclass(frozen=True)
class Catalogue:
    """A validated year catalogue."""

    year: int
    events: tuple[CatalogueEvent, ...]
    name: Optional[str] = None
    cache_dir: Optional[Path] = None
    directory: Optional[Path] = None
    lang: str = "es"
    credit: Optional[str] = None
    hxl: bool = True
    source_file: Optional[Path] = None

    def output_dir(self, override: str | Path | None = None) -> Path:
        """``override``, else ``output.directory``, else ``layers/year-<year>``."""
        if override is not None:
            return Path(override).resolve()
        if self.directory is not None:
            return self.directory
        return (Path("layers") / f"year-{self.year}").resolve()


def _resolve(base: Path, value: Optional[Path]) -> Optional[Path]:
    if value is None:
        return None
    return (value if value.is_absolute() else base / value).resolve()



def _within(where: str, problem: "Message | str", sep: str = ": ") -> Problem:
    """A problem of one event of the catalogue placed under the event's entry (``events[2]``):
    ``events[2].hazard.bins: ...`` for a problem naming its YAML path (``sep`` "."), else ``events[2]: ...``."""
    p = Problem(problem)
    if p.message is None:
        return Problem(f"{where}{sep}{p}")
    if sep == "." and p.where is None and "path" in p.message.params:
        return Problem(Message(p.message.code, {**p.message.params, "path": f"{where}.{p.message.params['path']}"}))
    return Problem(p.message, f"{where}: {p.where}" if p.where else where)

def _entry(i: int, item: Any, base: Path) -> tuple[Optional[CatalogueEvent], list[str]]:
    """Validate one ``events[i]`` item: a path, ``{path, year_end}`` or inline sections."""
    where = f"events[{i}]"
    year_end_raw: Any = {}
    if isinstance(item, str):
        item = {"path": item}
    if not isinstance(item, dict):
        return None, [Problem(Message("err_year_entry_kind", {"kind": type(item).__name__}), where)]
    item = dict(item)
    year_end_raw = item.pop("year_end", None) or {}
    problems: list[str] = []
    try:
        year_end = YearEnd.model_validate(year_end_raw)
    except ValidationError as exc:
        problems += [_within(f"{where}.year_end", p, ".") for p in problem_messages(exc)]
        year_end = YearEnd()
    if "path" in item and "event" not in item:
        extra = sorted(set(item) - {"path"})
        if extra:
            problems.append(Problem(Message("err_year_keys_beside_path", {"n": len(extra), "keys": ", ".join(extra)}), where))
        path = _resolve(base, Path(str(item["path"])))
        where = f"{where} ({item['path']})"
        try:
            event = load_event(path)
        except InputError as exc:
            return None, problems + [_within(where, p) for p in exc.problems]
    else:
        try:
            event = parse_event(item, base_dir=base)
        except InputError as exc:
            return None, problems + [_within(where, p, ".") for p in exc.problems]
    return (CatalogueEvent(event, where, year_end) if not problems else None), problems


def parse_catalogue(data: Any, base_dir: str | Path = ".", source_file: Path | None = None) -> Catalogue:
    """Validate a parsed catalogue mapping; raise one ``InputError`` listing every problem."""
    base = Path(base_dir).resolve()
    label = str(source_file or "catalogue")
    if not isinstance(data, dict):
        raise InputError.coded("err_year_not_mapping", file=label, kind=type(data).__name__)
    problems: list[Problem] = []
    try:
        head = _Head.model_validate(data)
    except ValidationError as exc:
        found = problem_messages(exc)
        raise InputError(Message("err_year_problems", {"file": label, "n": len(found)}), found) from None
    entries: list[CatalogueEvent] = []
    for i, item in enumerate(head.events):
        entry, found = _entry(i, item, base)
        problems += found
        if entry is not None:
            entries.append(entry)
    seen: dict[str, str] = {}
    for e in entries:
        if e.id in seen:
            problems.append(Problem(Message("err_year_duplicate_id", {"id": e.id, "other": seen[e.id]}), e.where))
        seen.setdefault(e.id, e.where)
        if e.event.event.start.year > head.year:
            problems.append(Problem(Message("err_year_start_after", {"start": e.event.event.start, "year": head.year}), e.where))
    if problems:
        raise InputError(Message("err_year_problems", {"file": label, "n": len(problems)}), problems)
    return Catalogue(
        year=head.year, events=tuple(entries), name=head.name,
        cache_dir=_resolve(base, head.overlay.cache_dir), directory=_resolve(base, head.output.directory),
        lang=head.output.lang, credit=head.output.credit, hxl=head.output.hxl, source_file=source_file,
    )


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate a year catalogue YAML file (every event checked, every problem listed)."""
    path = Path(path)
    if not path.exists():
        raise InputError.coded("err_year_not_found", file=path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", exc)
        if mark is None:
            raise InputError.coded("err_year_not_yaml", file=path, problem=problem) from None
        raise InputError.coded("err_year_not_yaml_at", file=path, line=mark.line + 1, column=mark.column + 1, problem=problem) from None
    return parse_catalogue(data, base_dir=path.parent, source_file=path.resolve())
