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

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from model.scenario.registry import HORIZON

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

    mode: Literal["rate", "growth", "level"] | None = None
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


class Levers(Strict):
    large_projects: list[LargeProject] | None = None
    renovation_grants: PathSpec | None = None
    rd_special_fund: PathSpec | None = None
    rd_tax_credit: PathSpec | None = None
    fdi_promotion: PathSpec | None = None
    informatization_subsidy: PathSpec | None = None
    efficiency_spending: PathSpec | None = None
    clean_production_audits: PathSpec | None = None
    power_capacity: PathSpec | None = None
    new_brands: PathSpec | None = None
    new_key_parks: PathSpec | None = None
    new_national_bases: PathSpec | None = None
    new_small_giants: PathSpec | None = None


class Assumptions(Strict):
    fdi_external_growth: PathSpec | None = None
    fiscal_expenditure_growth: PathSpec | None = None
    programme_budget_share: PathSpec | None = None
    labour_growth: PathSpec | None = None
    world_demand_growth: PathSpec | None = None
    china_share_drift: PathSpec | None = None
    china_tfp_growth: PathSpec | None = None
    china_output_growth: PathSpec | None = None
    relative_export_price_growth: PathSpec | None = None
    exchange_rate: PathSpec | None = None
    output_price_inflation: PathSpec | None = None
    investment_price_inflation: PathSpec | None = None
    power_purchases: PathSpec | None = None
    other_electricity_growth: PathSpec | None = None


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


class ScenarioFile(Strict):
    """One YAML file as written (may be partial when it ``extends`` another)."""

    name: Name
    description: str = ""
    extends: str | None = None
    seed: Integer | None = Field(default=None, ge=0, le=2**32 - 1)
    levers: Levers = Field(default_factory=Levers)
    assumptions: Assumptions = Field(default_factory=Assumptions)
    parameters: dict[str, Number | SectorParameter] = Field(default_factory=dict)
    switches: Switches = Field(default_factory=Switches)
    uncertainty: Uncertainty | None = None

    def paths(self):
        """Yield (section, name, PathSpec) for every lever and assumption path this file sets."""
        for section in ("levers", "assumptions"):
            block = getattr(self, section)
            for name in type(block).model_fields:
                value = getattr(block, name)
                if value is not None and name != "large_projects":
                    yield section, name, value
