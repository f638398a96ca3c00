"""Typed scenario objects (pydantic, unknown keys rejected).

A scenario file::

    name: {en: Plan 2004 package, zh: 2004年规划政策组合}
    description: ...
    extends: baseline.yaml          # optional: inherit, override what differs
    levers:
      investment:                   # a path: mode + values by year (+ per-sector overrides)
        mode: growth                # growth | level | rate (see model/scenario/registry.py)
        values: {2004: 0.20, 2007: 0.15, 2010: 0.12}   # linear interpolation between years
        sectors: {electronics_telecom: {2004: 0.30}}
        note: where the numbers come from
      large_projects:
        - {name: ..., sector: chemicals, investment_100m_yuan: 120, start_year: 2004, years: 3}
    assumptions: {...}              # same path form
    parameters: {rd_return: 0.3, tfp_growth: {default: 0.03, sectors: {textiles: 0.02}}}
    switches: {rd_definition: strict, fdi_reading: c, erp_denominator: above_size}
    uncertainty: {...}              # inputs the sensitivity analysis varies
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from model.scenario.registry import HORIZON, MODES, REGISTRY, Registry

#: a finite number, never a boolean or text (``values: true`` is not 1.0; ``.nan``/``.inf`` refused)
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
YearValues = Number | dict[int, Number]
Integer = Annotated[int, Field(strict=True)]  # ``seed: true`` is not 1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class Name(Strict):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


def _check_years(values: YearValues) -> YearValues:
    if isinstance(values, dict):
        if not values:
            raise ValueError("needs at least one year: value pair")
        bad = [y for y in values if not HORIZON[0] <= y <= HORIZON[1]]
        if bad:
            raise ValueError(
                f"year {bad[0]} is outside the scenario horizon {HORIZON[0]}-{HORIZON[1]} "
                f"(2003 is the observed base year)"
            )
    return values


class PathSpec(Strict):
    """A lever or assumption path: values by year (linear interpolation, flat outside)."""

    mode: Literal[MODES] | None = None  # which modes an input takes: its registry entry
    values: YearValues
    sectors: dict[str, YearValues] = Field(default_factory=dict)
    note: str | None = None

    @field_validator("values")
    @classmethod
    def _years(cls, v: YearValues) -> YearValues:
        return _check_years(v)

    @field_validator("sectors")
    @classmethod
    def _sector_years(cls, v: dict[str, YearValues]) -> dict[str, YearValues]:
        for vals in v.values():
            _check_years(vals)
        return v


class LargeProject(Strict):
    """A named large project of task 9: investment spread evenly over its build years (time to
    build); its capital enters production only in its last build year (completion)."""

    name: str
    name_zh: str | None = None
    sector: str
    investment_100m_yuan: Number = Field(gt=0, le=5000, description="total, 100m yuan at 2003 prices")
    start_year: Integer = Field(ge=HORIZON[0], le=HORIZON[1])
    years: Integer = Field(default=1, ge=1, le=7)
    note: str | None = None


class SectorParameter(Strict):
    default: Number | None = None
    sectors: dict[str, Number] = Field(default_factory=dict)


class Switches(Strict):
    rd_definition: Literal["strict", "st_activities"] | None = None
    fdi_reading: Literal["c", "a"] | None = None
    erp_denominator: Literal["above_size", "large_medium"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _reading_b(cls, data):
        if isinstance(data, dict) and data.get("fdi_reading") == "b":
            raise ValueError(
                "fdi_reading 'b' (fixed investment of foreign-invested enterprises) needs data "
                "that is not in calibration/; allowed: 'c', 'a'"
            )
        return data


class UncertainInputSpec(Strict):
    """One state of the world the uncertainty analysis varies (never a lever: levers are the policy).

    ``path`` is ``parameters.<name>`` or ``assumptions.<name>``; for
    paths, the sampled value replaces (``op: set``) or multiplies (``op: scale``) the
    province-wide path in every year.
    """

    path: str
    distribution: Literal["uniform", "normal", "triangular", "lognormal"] = "uniform"
    low: Number | None = None
    high: Number | None = None
    mean: Number | None = None
    sd: Number | None = None
    op: Literal["set", "scale"] = "set"
    group: str | None = None

    @model_validator(mode="after")
    def _bounds(self):
        if self.distribution in ("uniform", "triangular"):
            if self.low is not None and self.high is not None and not self.low < self.high:
                raise ValueError(f"need low < high, got {self.low} and {self.high}")
        if self.distribution in ("normal", "lognormal") and (self.mean is None or self.sd is None):
            raise ValueError(f"distribution {self.distribution} needs mean and sd")
        return self


class Uncertainty(Strict):
    use_priors: bool = Field(
        default=True, description="vary every parameter of calibration/priors.yaml over its range"
    )
    exclude: list[str] = Field(default_factory=list)
    inputs: list[UncertainInputSpec] = Field(default_factory=list)


class ScenarioFileBase(Strict):
    """One YAML file as written (may be partial when it ``extends`` another).

    The ``levers`` and ``assumptions`` blocks are generated from a :class:`Registry` by
    :func:`scenario_file_model`; ``registry`` (a class attribute) is the one they came from.
    """

    registry: ClassVar[Registry] = REGISTRY

    name: Name
    description: str = ""
    extends: str | None = None
    seed: Integer | None = Field(default=None, ge=0, le=2**32 - 1)
    levers: Strict = Field(default_factory=Strict)  # replaced by the registry's block
    assumptions: Strict = Field(default_factory=Strict)  # replaced by the registry's block
    parameters: dict[str, Number | SectorParameter] = Field(default_factory=dict)
    switches: Switches = Field(default_factory=Switches)
    uncertainty: Uncertainty | None = None

    def paths(self):
        """Yield (section, name, PathSpec) for every lever and assumption path this file sets."""
        for inp in self.registry.paths():
            value = getattr(getattr(self, inp.section), inp.name)
            if value is not None:
                yield inp.section, inp.name, value


_FORMS = {"path": PathSpec, "projects": list[LargeProject]}


def _section_model(registry: Registry, section: str) -> type[Strict]:
    fields = {inp.name: (_FORMS[inp.form] | None, None) for inp in registry.section(section)}
    return create_model(section.capitalize(), __base__=Strict, **fields)


@lru_cache(maxsize=8)
def scenario_file_model(registry: Registry = REGISTRY) -> type[ScenarioFileBase]:
    """The pydantic model of a scenario file whose levers and assumptions are ``registry``'s."""
    levers, assumptions = _section_model(registry, "levers"), _section_model(registry, "assumptions")
    return create_model(
        "ScenarioFile",
        __base__=ScenarioFileBase,
        __doc__=ScenarioFileBase.__doc__,
        levers=(levers, Field(default_factory=levers)),
        assumptions=(assumptions, Field(default_factory=assumptions)),
        registry=(ClassVar[Registry], registry),
    )


ScenarioFile = scenario_file_model(REGISTRY)
Levers = ScenarioFile.model_fields["levers"].annotation
Assumptions = ScenarioFile.model_fields["assumptions"].annotation
