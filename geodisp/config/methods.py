"""Default weights and rates for the estimates, with their sources, and the
``methods:`` section of the event file that can override them.

Everything here is plain data (tuples and dicts) plus small pydantic models, so
an analyst can read the defaults in one place and docs/methods.md can quote
them. Where a number is a judgement rather than a published value, its
``source`` says so.

Ranges are ``(low, central, high)``. Low / high are not confidence intervals:
they are the plausible bounds of the method's assumptions, stated so that a
figure can be defended line by line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geodisp.model.errors import Invalid
from geodisp.model.vocab import DAMAGE_LEVELS

# --------------------------------------------------------------------------
# housing-based method
# --------------------------------------------------------------------------

#: Share of a damaged dwelling's household counted as displaced, by damage level:
#: (low, central, high). The central follows IDMC's practice: only destroyed housing
#: (and housing the damage census declares uninhabitable, ``UNINHABITABLE_WEIGHT``)
#: converts into displacements; severe and partial damage enter the high only.
DAMAGE_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "destroyed": (1.0, 1.0, 1.0),
    "severe": (0.0, 0.0, 0.9),
    "partial": (0.0, 0.0, 0.25),
    "minor": (0.0, 0.0, 0.0),
    "none": (0.0, 0.0, 0.0),
}
#: Weight of a dwelling the damage census declares uninhabitable (whatever its level).
UNINHABITABLE_WEIGHT: tuple[float, float, float] = (1.0, 1.0, 1.0)

_IDMC_HOUSING = (
    "IDMC converts destroyed housing into displacements as dwellings x the average household size "
    "(Helix figure terms 'destroyed housing' / 'uninhabitable housing', unit household, with the household "
    "size used; GRID methodological annex, displacement data based on housing destruction)"
)
DAMAGE_WEIGHT_SOURCES: dict[str, str] = {
    "destroyed": _IDMC_HOUSING + "; HAZUS-MH 2.1 earthquake shelter model also weights Complete damage 1.0",
    "uninhabitable": _IDMC_HOUSING + ": a dwelling the damage census declares uninhabitable counts as destroyed",
    "severe": (
        "central 0: IDMC records partially destroyed housing as its own term, apart from destroyed and uninhabitable housing, and its destroyed-housing conversion counts only the latter; "
        "high 0.9: HAZUS-MH 2.1 weight of Extensive damage for multi-family dwellings "
        "(0.0 for single-family, the low)"
    ),
    "partial": (
        "central 0: partially destroyed housing, as for severe; HAZUS-MH 2.1 weights "
        "Moderate damage 0.0; the high 0.25 is a judgement for short stays away from homes that lost "
        "their roof or were flooded"
    ),
    "minor": "HAZUS-MH 2.1 gives Slight damage no weight",
    "none": "undamaged dwellings displace no one by this method",
}

#: Relative spread of household size (low = size x (1 - s), high = size x (1 + s)),
#: by where the size came from (``household_size_source`` before the colon).
HOUSEHOLD_SIZE_SPREAD: dict[str, float] = {"census": 0.0, "parent": 0.10, "default": 0.20}

HOUSEHOLD_SIZE_SPREAD_SOURCE = (
    "census: the unit's own PROM_OCUP, taken as exact (an average over the unit); "
    "parent: a parent unit's PROM_OCUP, +-10% (judgement); default: the national 3.6 "
    "(Censo 2020), +-20% (2.88 to 4.32), which holds the municipal population / "
    "inhabited dwellings of Censo 2020 for 89% of municipios and 95% of the population"
)

# --------------------------------------------------------------------------
# exposure-based method
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RateStep:
    """Displacement rate for intensities at or above ``start`` (until the next step)."""

    start: float
    low: float
    central: float
    high: float
    label: str = ""


@dataclass(frozen=True)
class RateTable:
    """A step function from hazard intensity to the share of exposed people displaced.

    ``units`` is the intensity unit of ``start`` ("kt", "MMI", "m") or "rank" for a
    table that only orders classes. Steps are ascending in ``start``.
    """

    units: str
    steps: tuple[RateStep, ...]
    source: str


_INASAFE = "InaSAFE safe/definitions/hazard_classifications.py"

#: Default rate tables per hazard type.
RATE_TABLES: dict[str, RateTable] = {
    "tropical_cyclone": RateTable(
        units="kt",
        steps=(
            RateStep(0, 0.0, 0.0, 0.0, "below tropical storm"),
            RateStep(34, 0.0, 0.0, 0.01, "tropical storm"),
            RateStep(64, 0.05, 0.15, 0.30, "Category 1"),
            RateStep(83, 0.30, 0.65, 0.90, "Category 2"),
            RateStep(96, 0.60, 0.90, 1.0, "Category 3"),
            RateStep(113, 0.80, 0.99, 1.0, "Category 4"),
            RateStep(137, 0.90, 1.0, 1.0, "Category 5"),
        ),
        source=(
            f"central: {_INASAFE}, Saffir-Simpson classes (0.15, 0.65, 0.9, 0.99, 1.0; "
            "'a generalized estimate', InaSAFE issue 3762), placed on NHC 1-minute "
            "sustained-wind thresholds in kt; low/high and the tropical-storm row are judgements"
        ),
    ),
    "flood": RateTable(
        units="m",
        steps=(
            RateStep(0, 0.0, 0.0, 0.0, "below 0.1 m"),
            RateStep(0.1, 0.0, 0.01, 0.05, "0.1-0.5 m"),
            RateStep(0.5, 0.01, 0.01, 1.0, "0.5-0.7 m"),
            RateStep(0.7, 0.01, 0.03, 1.0, "0.7-1.5 m"),
            RateStep(1.5, 0.03, 0.05, 1.0, "1.5 m and deeper"),
        ),
        source=(
            f"central: {_INASAFE}, PetaBencana depth classes (0.01 for 0.1-0.7 m, 0.03 for "
            "0.7-1.5 m, 0.05 above 1.5 m; 'estimated from DMI analysis of historical flood "
            "data and IDP numbers'); high: everyone in water of 0.5 m or more, a judgement in "
            "the spirit of depth-threshold displacement models (CLIMADA studies: Kam et al. "
            "2021, Riedel et al. 2024); low: judgement"
        ),
    ),
    "earthquake": RateTable(
        units="MMI",
        steps=(
            RateStep(0, 0.0, 0.0, 0.0, "below VI"),
            RateStep(6, 0.0, 0.0, 1.0, "VI"),
            RateStep(7, 0.0, 0.10, 1.0, "VII"),
            RateStep(8, 0.10, 0.50, 1.0, "VIII"),
            RateStep(9, 0.50, 0.75, 1.0, "IX"),
            RateStep(10, 0.75, 1.0, 1.0, "X and above"),
        ),
        source=(
            "central: InaSAFE ITB earthquake impact function displacement rates by MMI "
            "(VII 0.1, VIII 0.5, IX 0.75, X 1.0); high: InaSAFE 4 earthquake_mmi_scale, which "
            "counts everyone at MMI VI or more as displaced (1.0); low: one MMI step down, a judgement"
        ),
    ),
    "generic": RateTable(
        units="rank",
        steps=(
            RateStep(1, 0.0, 0.0, 0.0, "low"),
            RateStep(2, 0.10, 0.50, 1.0, "medium"),
            RateStep(3, 0.50, 1.0, 1.0, "high"),
        ),
        source=(
            f"{_INASAFE} generic_hazard_classes (low 0, medium 1.0, high 1.0) as high and for "
            "the top class; the medium central 0.5 and the lows are judgements"
        ),
    ),
}
RATE_TABLES["storm_surge"] = RateTable(
    units="m", steps=RATE_TABLES["flood"].steps, source="flood depth table: " + RATE_TABLES["flood"].source
)

#: Conversion factors into each table's unit, by the unit names footprints use.
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "kt": {"kt": 1.0, "kts": 1.0, "kn": 1.0, "knot": 1.0, "knots": 1.0,
           "m/s": 1.0 / 0.514444, "ms-1": 1.0 / 0.514444, "mps": 1.0 / 0.514444,
           "km/h": 1.0 / 1.852, "kmh": 1.0 / 1.852, "kph": 1.0 / 1.852,
           "mph": 0.868976},
    "m": {"m": 1.0, "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0,
          "cm": 0.01, "ft": 0.3048, "feet": 0.3048},
    "MMI": {"mmi": 1.0, "mercalli": 1.0},
}


def rate_table(hazard_type: str | None) -> RateTable:
    """The default rate table of a hazard type; the generic rank table for others."""
    return RATE_TABLES.get(hazard_type or "", RATE_TABLES["generic"])


# --------------------------------------------------------------------------
# the event file's ``methods:`` section
# --------------------------------------------------------------------------

#: Levels whose weight ``housing.weights`` sets; ``uninhabitable`` has its own entry, ``housing.uninhabitable``.
DamageLevel = Literal["destroyed", "severe", "partial", "minor", "none"]


class Range(BaseModel):
    """A low / central / high triple. In YAML: ``0.5`` or ``[0.2, 0.5, 0.9]`` or a mapping."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: float = Field(ge=0)
    central: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"low": value, "central": value, "high": value}
        if isinstance(value, (list, tuple)):
            if len(value) != 3:
                raise Invalid("cfg_range_three")
            return dict(zip(("low", "central", "high"), value))
        return value

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.central <= self.high:
            raise Invalid("cfg_range_order_got", low=self.low, central=self.central, high=self.high)
        return self

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.low, self.central, self.high)


class Share(Range):
    """A range of shares, each between 0 and 1."""

    @model_validator(mode="after")
    def _at_most_one(self):
        if self.high > 1:
            raise Invalid("cfg_share_at_most_one", value=self.high)
        return self


class HousingMethod(BaseModel):
    """Housing-based displacement. Omitted entries keep the defaults above."""

    model_config = ConfigDict(extra="forbid")

    #: Weight per damage level (share of the dwelling's household displaced).
    weights: dict[DamageLevel, Share] = Field(default_factory=dict)
    #: Weight of dwellings the damage census declares uninhabitable (default 1: as destroyed).
    uninhabitable: Optional[Share] = None
    #: Relative household-size spread by size source: census / parent / default.
    household_size_spread: dict[Literal["census", "parent", "default"], float] = Field(default_factory=dict)

    @field_validator("household_size_spread")
    @classmethod
    def _spread_range(cls, value):
        for key, s in value.items():
            if not 0 <= s < 1:
                raise Invalid("cfg_spread", key=key, value=s)
        return value

    def resolved_weights(self) -> dict[str, tuple[float, float, float]]:
        """Defaults overlaid with the event's weights, for every damage level (``uninhabitable``:
        the uninhabitable-dwelling weight, :meth:`resolved_uninhabitable`)."""
        out = dict(DAMAGE_WEIGHTS)
        out.update({k: v.as_tuple() for k, v in self.weights.items()})
        out["uninhabitable"] = self.resolved_uninhabitable()
        return {k: out[k] for k in DAMAGE_LEVELS}

    def resolved_uninhabitable(self) -> tuple[float, float, float]:
        """The uninhabitable-dwelling weight in force."""
        return self.uninhabitable.as_tuple() if self.uninhabitable is not None else UNINHABITABLE_WEIGHT

    def resolved_spread(self) -> dict[str, float]:
        out = dict(HOUSEHOLD_SIZE_SPREAD)
        out.update(self.household_size_spread)
        return out


class RateStepModel(BaseModel):
    """One row of an event's own rate table: rates for intensity >= ``start``."""

    model_config = ConfigDict(extra="forbid")

    start: float
    low: float = Field(ge=0, le=1)
    central: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    label: str = ""

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.central <= self.high:
            raise Invalid("cfg_range_order")
        return self


class ExposureMethod(BaseModel):
    """Exposure-based displacement. Precedence: ``class_rates`` > ``rates`` > defaults."""

    model_config = ConfigDict(extra="forbid")

    #: Rates by this event's hazard class number (1..n), bypassing any table.
    class_rates: dict[int, Share] = Field(default_factory=dict)
    #: This event's own rate table, in ``rates_units`` (replaces the default for its hazard type).
    rates: Optional[list[RateStepModel]] = None
    rates_units: Optional[str] = None
    rates_source: str = "event file methods.exposure.rates"
    #: Intensity unit of the class bounds, when the footprint does not say.
    intensity_units: Optional[str] = None

    @model_validator(mode="after")
    def _rates_need_units(self):
        if self.rates is not None:
            if not self.rates:
                raise Invalid("cfg_rates_empty")
            if self.rates_units is None:
                raise Invalid("cfg_rates_units")
            starts = [r.start for r in self.rates]
            if starts != sorted(starts):
                raise Invalid("cfg_rates_order")
        return self

    def table(self, hazard_type: str | None) -> RateTable:
        """The rate table in force for ``hazard_type``."""
        if self.rates is None:
            return rate_table(hazard_type)
        steps = tuple(RateStep(r.start, r.low, r.central, r.high, r.label) for r in self.rates)
        return RateTable(units=str(self.rates_units), steps=steps, source=self.rates_source)


class ReconcileMethod(BaseModel):
    """How records, housing-based and exposure-based figures become one ``displaced``."""

    model_config = ConfigDict(extra="forbid")

    #: Flag a unit when its sources' central figures differ by more than this factor.
    flag_factor: float = Field(default=3.0, gt=1)
    #: ... and by at least this many people (so 1 vs 4 people is not flagged).
    flag_min_people: float = Field(default=10.0, ge=0)
    #: Evacuation rows are separate movements (summed) or cumulative reports (largest date total).
    evacuation_records: Literal["separate", "cumulative"] = "separate"
    #: The high end: records and housing may be different people (sum) or the same (max).
    high: Literal["no_overlap", "full_overlap"] = "no_overlap"
    #: Let exposure-based figures fill units without records or housing data.
    use_exposure: bool = True


SECTORAL_GROUPS = (
    "female", "male", "age_0_2", "age_3_5", "age_6_11", "age_12_14", "age_15_17",
    "age_18_59", "age_60_plus", "disability", "indigenous_language",
)


class SectoralMethod(BaseModel):
    """Sectoral breakdowns of displaced people by census shares."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    #: Which groups to report (default: all of SECTORAL_GROUPS).
    groups: Optional[list[Literal[SECTORAL_GROUPS]]] = None  # type: ignore[valid-type]
    #: The figure broken down (default: the reconciled ``displaced``).
    base_metric: str = "displaced"

    def resolved_groups(self) -> tuple[str, ...]:
        return tuple(self.groups) if self.groups is not None else SECTORAL_GROUPS


class MethodsConfig(BaseModel):
    """The ``methods:`` section of an event file. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    housing: HousingMethod = Field(default_factory=HousingMethod)
    exposure: ExposureMethod = Field(default_factory=ExposureMethod)
    reconcile: ReconcileMethod = Field(default_factory=ReconcileMethod)
    sectoral: SectoralMethod = Field(default_factory=SectoralMethod)
