"""The event file: what happened, which inputs, which methods, where outputs go.

An event file is YAML. ``load_event`` reads and validates it in one pass and
reports every problem at once, each with its YAML path (``damage.path: file not
found: casas.csv``). Relative paths resolve against the event file's folder.
Unknown keys are errors, never ignored.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Optional, Union

import yaml
from pydantic import (
    AfterValidator,
    BeforeValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from geodisp.config.methods import MethodsConfig
from geodisp.model.errors import InputError, Invalid
from geodisp.model.messages import Message
from geodisp.model.vocab import DAMAGE_LEVELS, HAZARD_TYPES

#: Longest event id: output file names are ``<id>_<what>.<ext>`` and most file systems allow 255 bytes.
MAX_ID_CHARS = 100
#: Largest event file read, in bytes: an event file is a page of settings.
MAX_EVENT_BYTES = 1 << 20
#: Most values a YAML document may hold once its aliases are expanded (an "alias bomb" holds billions).
MAX_YAML_VALUES = 100_000
#: Longest input value quoted in a message, in characters.
MAX_SHOWN = 60

HazardType = Literal[HAZARD_TYPES]  # type: ignore[valid-type]
DamageLevel = Literal[DAMAGE_LEVELS]  # type: ignore[valid-type]
Level = Literal["ent", "mun", "loc", "ageb"]


def _base_dir(info: ValidationInfo) -> Path:
    context = info.context or {}
    return Path(context.get("base_dir", "."))


def _existing_file(value: Path, info: ValidationInfo) -> Path:
    """Resolve ``value`` against the event file's folder and check it exists."""
    path = value if value.is_absolute() else _base_dir(info) / value
    if not path.exists():
        raise Invalid("cfg_file_not_found", file=value)
    return path.resolve()


def _resolved(value: Path, info: ValidationInfo) -> Path:
    return (value if value.is_absolute() else _base_dir(info) / value).resolve()


def _known_crs(value: str) -> str:
    """A CRS pyproj understands (``EPSG:6372``, a WKT, a PROJ string)."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(value)
    except CRSError:
        raise Invalid("cfg_unknown_crs", value=repr(value)) from None
    return value


InputPath = Annotated[Path, AfterValidator(_existing_file)]
CrsName = Annotated[str, AfterValidator(_known_crs)]
OutputPath = Annotated[Path, AfterValidator(_resolved)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventInfo(_Section):
    """What happened."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=MAX_ID_CHARS,
                    description="folder-safe id; file names are built from it")
    name: str
    hazard_type: HazardType
    start: dt.date
    end: Optional[dt.date] = None
    glide: Optional[str] = Field(None, pattern=r"^[A-Z]{2}-\d{4}-\d{6}-[A-Z]{3}$")

    @model_validator(mode="after")
    def _end_after_start(self) -> "EventInfo":
        if self.end is not None and self.end < self.start:
            raise Invalid("cfg_end_before_start", end=self.end, start=self.start)
        return self


class BoundariesConfig(_Section):
    """INEGI units: the level figures are reported at."""

    path: InputPath
    layer: Optional[str] = None
    level: Level = "mun"
    key_field: Optional[str] = None
    name_field: Optional[str] = None


class PopulationConfig(_Section):
    """People-per-cell raster (WorldPop, GHS-POP, HRSL...)."""

    path: InputPath


class CensusConfig(_Section):
    """Census table (ITER / AGEB) and the household size used where it has none."""

    path: Optional[InputPath] = None
    household_size: float = Field(3.6, gt=0, le=20)


TrackFormat = Literal["hurdat2", "atcf", "ibtracs", "csv"]
FootprintFormat = Literal["shakemap", "nhc_swath", "ems_flood"]
TRACK_FORMATS = ("hurdat2", "atcf", "ibtracs", "csv")


class HazardConfig(_Section):
    """The hazard: a footprint file (``path``) or a tropical-cyclone track (``track``).

    ``path``: polygons with a class or numeric field, a raster of intensity, a
    ShakeMap grid.xml, an NHC wind swath or a Copernicus EMS flood layer (the last
    three recognised by their native fields; ``format`` forces one). ``track``: a
    HURDAT2, ATCF, IBTrACS or CSV track (``format`` forces one; ``storm`` picks one
    storm from a file of many), turned into a wind swath by ``model``. ``forecast``
    marks a hazard that has not happened: every figure is then anticipatory.
    """

    path: Optional[InputPath] = None
    track: Optional[InputPath] = None
    format: Optional[Union[TrackFormat, FootprintFormat]] = None
    storm: Optional[str] = None
    model: Optional[Literal["holland2008", "willoughby2006"]] = None  # = windfield.MODELS (a test checks)
    forecast: bool = False
    layer: Optional[str] = None
    field: Optional[str] = None
    bins: Optional[list[float]] = None
    labels: Optional[list[str]] = None
    units: Optional[str] = None

    @model_validator(mode="after")
    def _bins_and_labels(self) -> "HazardConfig":
        if self.bins is not None:
            if any(b <= a for a, b in zip(self.bins, self.bins[1:])):
                raise Invalid("cfg_bins_increase")
            if self.labels is not None and len(self.labels) != len(self.bins) - 1:
                raise Invalid("cfg_labels_per_bin", n=len(self.labels), bins=len(self.bins) - 1)
        return self

    @model_validator(mode="after")
    def _path_or_track(self) -> "HazardConfig":
        if (self.path is None) == (self.track is None):
            raise Invalid("cfg_path_or_track")
        if self.track is not None:
            if self.format is not None and self.format not in TRACK_FORMATS:
                raise Invalid("cfg_not_track_format", value=repr(self.format), formats=", ".join(TRACK_FORMATS))
            if self.layer is not None or self.field is not None:
                raise Invalid("cfg_layer_not_for_track")
        else:
            if self.format in TRACK_FORMATS:
                raise Invalid("cfg_track_format_as_path", value=repr(self.format))
            if self.storm is not None or self.model is not None:
                raise Invalid("cfg_storm_not_for_path")
        return self


DamageColumn = Literal["id", "lat", "lon", "x", "y", "level", "unit", "name", "state", "count"]


def _text_keys(value: Any) -> Any:
    """YAML integer keys (``levels: {1: destroyed}``) as text, so a numeric legend can be written plainly."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, (int, float)) and not isinstance(k, bool) else k: v for k, v in value.items()}
    return value


class DamageConfig(_Section):
    """Damaged housing: points (one row per dwelling) or counts per unit.

    Each field is a keyword of ``geodisp.sources.damage.read_damage_file``.
    ``state`` (CVE_ENT) narrows municipio-name matching in count tables; when unset,
    ``records.state`` is used.
    """

    path: InputPath
    format: Literal["points", "counts"] = "points"
    layer: Optional[str] = None
    columns: dict[DamageColumn, str] = Field(default_factory=dict)
    levels: Annotated[dict[str, DamageLevel], BeforeValidator(_text_keys)] = Field(default_factory=dict)
    crs: Optional[CrsName] = None
    state: Optional[str] = Field(None, pattern=r"^\d{2}$", description="CVE_ENT for name matching")


EvacuationColumn = Literal["unit_key", "unit_name", "state", "date", "people", "households"]
ShelterColumn = Literal["unit_key", "unit_name", "state", "shelter_id", "name", "date", "occupants", "capacity",
                        "shelters", "lat", "lon"]


def _file_section(value: Any) -> Any:
    """A records entry may be a plain path (``evacuaciones.xlsx``) or a mapping with ``path``."""
    return {"path": value} if isinstance(value, (str, Path)) else value


class EvacuationsConfig(_Section):
    """An evacuations file: its sheet and, where the headers are unusual, a column mapping."""

    path: InputPath
    layer: Optional[str] = Field(None, description="sheet of a workbook")
    columns: dict[EvacuationColumn, str] = Field(default_factory=dict)
    unit: Literal["people", "households"] = Field(
        "people", description="households: the count column counts families (FAMILIAS), converted with the census size"
    )


class SheltersConfig(_Section):
    """A shelters (albergues) file: its sheet and, where the headers are unusual, a column mapping."""

    path: InputPath
    layer: Optional[str] = Field(None, description="sheet of a workbook")
    columns: dict[ShelterColumn, str] = Field(default_factory=dict)


class RecordsConfig(_Section):
    """Civil Protection records: evacuations and shelter (albergue) occupancy."""

    evacuations: Annotated[Optional[EvacuationsConfig], BeforeValidator(_file_section)] = None
    shelters: Annotated[Optional[SheltersConfig], BeforeValidator(_file_section)] = None
    state: Optional[str] = Field(None, pattern=r"^\d{2}$", description="CVE_ENT for name matching")


class FacilitiesConfig(_Section):
    """A points file of schools, health centres or other facilities, counted per unit and hazard class."""

    path: InputPath
    kind: Optional[str] = Field(None, description="one type for every point, e.g. escuela")
    type_field: Optional[str] = None
    name_field: Optional[str] = None
    layer: Optional[str] = None
    columns: dict[Literal["lat", "lon", "x", "y"], str] = Field(default_factory=dict)
    crs: Optional[CrsName] = None



class OverlayConfig(_Section):
    """How the overlay runs: chunk size of the population grid and the zone cache folder."""

    chunk_size: int = Field(1024, ge=64, le=8192)
    cache_dir: Optional[OutputPath] = None
    max_cells: int = Field(
        10_000_000_000, ge=1,
        description="most raster cells (population or hazard) the overlay may read; a larger raster is refused",
    )


class OutputConfig(_Section):
    """Where outputs go and in which language people read them."""

    directory: Optional[OutputPath] = None
    lang: Literal["es", "en"] = "es"
    credit: Optional[str] = Field(
        None, description="data credit on the map and report: inegi (default), synthetic, or any text"
    )
    keep_runs: int = Field(2, ge=1, description="finished runs kept in <out>/runs (latest included)")
    keep_logs: int = Field(20, ge=1, description="run logs kept in <out>/logs")


class Event(_Section):
    """A validated event file."""

    event: EventInfo
    boundaries: BoundariesConfig
    population: PopulationConfig
    hazard: HazardConfig
    census: CensusConfig = Field(default_factory=CensusConfig)
    damage: Optional[DamageConfig] = None
    records: RecordsConfig = Field(default_factory=RecordsConfig)
    facilities: list[FacilitiesConfig] = Field(default_factory=list)
    methods: MethodsConfig = Field(default_factory=MethodsConfig)
    overlay: OverlayConfig = Field(default_factory=OverlayConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    source_file: Optional[Path] = Field(None, exclude=True)

    def output_dir(self, override: str | Path | None = None) -> Path:
        """The output folder: ``override``, else ``output.directory``, else ``layers/<id>`` (``layers/<id>_forecast``
        for a forecast hazard)."""
        if override is not None:
            return Path(override).resolve()
        if self.output.directory is not None:
            return self.output.directory
        suffix = "_forecast" if self.hazard.forecast else ""  # forecast runs never share a folder with observed ones
        return (Path("layers") / f"{self.event.id}{suffix}").resolve()

    def input_paths(self) -> dict[str, Path]:
        """Every input file the event names, keyed by its YAML path (``records.shelters``, ``facilities[0]``)."""
        found: dict[str, Path] = {}
        for section in ("boundaries", "population", "hazard", "census", "damage"):
            value = getattr(self, section)
            own = getattr(value, "path", None) if value is not None else None
            if section == "hazard" and own is None:
                own = value.track  # a hazard's file is its path or its track
            if own is not None:
                found[section] = own
        for name in ("evacuations", "shelters"):
            value = getattr(self.records, name)
            if value is not None:
                found[f"records.{name}"] = value.path
        for i, facility in enumerate(self.facilities):
            found[f"facilities[{i}]"] = facility.path
        return found


def _loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _shown(value: object, limit: int = 60) -> str:
    """A value quoted for a message, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the event-file section at ``loc`` accepts (its model's fields), for suggestions."""
    model: Any = Event
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = next((t for t in (field.annotation, *typing.get_args(field.annotation),
                                  *(a for t in typing.get_args(field.annotation) for a in typing.get_args(t)))
                      if isinstance(t, type) and issubclass(t, BaseModel)), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


#: pydantic's error types and the catalogue message for each (``cfg_<type>``, ``{path}`` and ``{value}``
#: always, a limit from pydantic's context where the type has one); other types get ``cfg_invalid``.
PYDANTIC_MESSAGES: dict[str, str] = {
    "int_type": "cfg_int", "int_parsing": "cfg_int", "int_from_float": "cfg_int_fraction",
    "float_type": "cfg_number", "float_parsing": "cfg_number", "finite_number": "cfg_number",
    "bool_type": "cfg_bool", "bool_parsing": "cfg_bool",
    "string_type": "cfg_text", "string_too_long": "cfg_text_too_long", "string_too_short": "cfg_text_too_short",
    "string_pattern_mismatch": "cfg_pattern",
    "literal_error": "cfg_choice", "enum": "cfg_choice",
    "greater_than": "cfg_gt", "greater_than_equal": "cfg_ge", "less_than": "cfg_lt", "less_than_equal": "cfg_le",
    "date_type": "cfg_date", "date_parsing": "cfg_date", "date_from_datetime_parsing": "cfg_date",
    "date_from_datetime_inexact": "cfg_date",
    "list_type": "cfg_list", "tuple_type": "cfg_list", "too_short": "cfg_too_short", "too_long": "cfg_too_long",
    "dict_type": "cfg_section", "model_type": "cfg_section", "model_attributes_type": "cfg_section",
    "path_type": "cfg_path",
}
#: pydantic context values a message may name.
_LIMITS = ("gt", "ge", "lt", "le", "min_length", "max_length", "pattern")


def problem_message(item: Mapping[str, Any]) -> Message:
    """One pydantic error as a catalogue message naming the YAML path and quoting the bad value;
    an unknown key gets the closest key its section accepts (``did you mean 'household_size'?``)."""
    loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    path = cut(_loc(loc), 2 * MAX_SHOWN) or "event"  # a key from the file may be long
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), _section_keys(loc[:-1]), n=1, cutoff=0.6) if loc else []
        return Message("cfg_unknown_key_hint", {"path": path, "suggestion": close[0]}) if close else \
            Message("cfg_unknown_key", {"path": path})
    if kind == "missing":
        return Message("cfg_missing_section" if len(loc) == 1 else "cfg_missing", {"path": path})
    if isinstance(ctx.get("error"), Invalid):
        return Message(ctx["error"].message.code, {"path": path, **ctx["error"].message.params})
    params = {"path": path, "value": _shown(item.get("input"), MAX_SHOWN)}
    code = PYDANTIC_MESSAGES.get(kind)
    if code is None:
        return Message("cfg_invalid", {**params, "type": kind})
    params.update({k: str(ctx[k]) for k in _LIMITS if k in ctx})
    if code == "cfg_choice":
        params["choices"] = "|".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    return Message(code, params)


def problem_messages(error: ValidationError) -> list[Message]:
    """Every problem of a failed validation, one message each, in pydantic's order."""
    return [problem_message(item) for item in error.errors()]


def format_errors(error: ValidationError, lang: str = "en") -> list[str]:
    """One line per problem, ``yaml.path: reason`` quoting the bad value, in ``lang``."""
    from geodisp.outputs.i18n import language

    ui = language(lang)
    return [ui.message(m) for m in problem_messages(error)]


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[:limit] + "…"


def expanded_values(node: yaml.Node, limit: int = MAX_YAML_VALUES) -> int:
    """How many values a composed YAML ``node`` holds once every alias is expanded, counting
    no further than ``limit + 1`` (a node that contains itself counts as over the limit)."""
    over = limit + 1
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        else:
            children = []
        if children_done:
            size[id(current)] = min(over, 1 + sum(size.get(id(c), over) for c in children))
        elif id(current) not in size:
            size[id(current)] = over  # until its children are counted: reached again, it is a cycle
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in size)
    return size[id(node)]


def read_yaml(path: Path) -> Any:
    """Parse an event file with YAML's safe loader, refusing files over :data:`MAX_EVENT_BYTES`,
    text that is not UTF-8 and documents that expand past :data:`MAX_YAML_VALUES` values."""
    size = path.stat().st_size
    if size > MAX_EVENT_BYTES:
        raise InputError(Message("cfg_too_big", {"file": path, "size": f"{size:,}", "limit": f"{MAX_EVENT_BYTES:,}"}))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Message("cfg_not_utf8", {"file": path, "byte": exc.start})) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_values(node) > MAX_YAML_VALUES:
            raise InputError(Message("cfg_aliases", {"file": path, "limit": f"{MAX_YAML_VALUES:,}"}))
        return loader.construct_document(node)
    except RecursionError:
        raise InputError(Message("cfg_too_deep", {"file": path})) from None
    finally:
        loader.dispose()


def parse_event(data: Any, base_dir: str | Path = ".", source_file: Path | None = None) -> Event:
    """Validate an already-parsed event mapping; raise InputError listing every problem."""
    where = source_file or "event"
    if data is None:
        raise InputError(Message("cfg_empty", {"file": where}))
    if not isinstance(data, dict):
        raise InputError(Message("cfg_not_mapping", {"file": where, "kind": type(data).__name__}))
    try:
        event = Event.model_validate(data, context={"base_dir": Path(base_dir)})
    except ValidationError as exc:
        problems = problem_messages(exc)
        where = f"{source_file}: " if source_file else ""
        raise InputError(Message("cfg_problems", {"file": where, "n": len(problems)}), problems) from None
    return event.model_copy(update={"source_file": source_file})


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: '2023-13-25' stays text, so pydantic reports it with its YAML path."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_event(path: str | Path) -> Event:
    """Read and validate an event YAML file; relative paths resolve against its folder."""
    path = Path(path)
    if not path.exists():
        raise InputError(Message("cfg_event_not_found", {"file": path}))
    if path.is_dir():
        raise InputError(Message("cfg_event_is_folder", {"file": path, "example": path / "event.yaml"}))
    try:
        data = read_yaml(path)
    except OSError as exc:
        raise InputError(Message("cfg_cannot_read", {"file": path, "problem": exc.strerror or exc})) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = cut(str(getattr(exc, "problem", None) or exc))  # PyYAML's own words, quoted
        raise InputError(Message("cfg_not_yaml_at", {"file": path, "line": mark.line + 1, "column": mark.column + 1,
                                                     "problem": problem}) if mark else
                         Message("cfg_not_yaml", {"file": path, "problem": problem})) from None
    return parse_event(data, base_dir=path.parent, source_file=path.resolve())
