"""Schemas of the YAML files a user edits besides scenarios: region profiles and behaviour checks.

Each is a pydantic model: the types, ranges and enumerations a file must have, the names it may
use (indicators, constants, sectors, levers), checked in one pass after :func:`read_yaml`
refused duplicate keys, alias bombs and non-finite numbers.  The first failure is one line
naming ``file:line:key``, what was expected and the nearest valid choice.

Scenario files keep their own reader (:mod:`innosd.inputs.scenario`): a schedule's range is the
lever's bounds in levers.csv and its years the scenario's own period, so each check needs values
read from other files and from the same file; the hand-written reader says so in one place.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .tables import DataError
from .validate import CONFIDENCES, YEARS, known_names, nearest_name
from .yamlfile import read_yaml

Year = Annotated[int, Field(ge=YEARS[0], le=YEARS[1], strict=True)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")   # notes, quotes and sources beside the values


def _known(kind: str, name: str) -> str:
    if name not in known_names(kind):
        raise ValueError(f"unknown {kind} '{name}'; nearest valid choice '{nearest_name(name, kind)}'")
    return name


class Names(_Open):
    en: str = ""
    zh: str = ""


class InitialValue(_Open):
    value: NonNegative | None = None
    unit: str | None = None
    year: Year | None = None
    unknown: bool = False
    confidence: Literal[CONFIDENCES] | None = None  # type: ignore[valid-type]


class CountyUnits(_Open):
    value: Annotated[int, Field(ge=1, le=10_000, strict=True)] | None = None
    unknown: bool = False
    in_county_tier_evaluation: Annotated[int, Field(ge=0, strict=True)] | _Open | None = None


class Sector(_Open):
    supported: bool | Literal["partial"] = False
    indicators: list[str] | None = None

    @field_validator("indicators")
    @classmethod
    def _indicators(cls, v):
        return [_known("indicator", x) for x in v] if v else v


class Window(_Strict):
    start: Year
    end: Year


class Profile(_Open):
    region: str
    display_name: Names = Names()
    start_year: Year = 2015
    calibration_window: Window | None = None
    county_units: CountyUnits | None = None
    headline_indicators: list[str] = []
    sectors: dict[str, Sector] = {}
    initial_values: dict[str, InitialValue] = {}
    constants: dict[str, Finite | _Open] = {}

    @field_validator("headline_indicators")
    @classmethod
    def _headline(cls, v):
        return [_known("indicator", x) for x in v]

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, v):
        for name in v:
            _known("sector", name)
        return v

    @field_validator("initial_values")
    @classmethod
    def _initials(cls, v):
        for name, spec in v.items():  # a stock without a sourced value may be one the model lacks
            if spec.value is not None:
                _known("constant", name if name.startswith("init_") else f"init_{name}")
        return v

    @field_validator("constants")
    @classmethod
    def _constants(cls, v):
        for name, spec in v.items():
            _known("constant", name)
            value = spec if isinstance(spec, float) else getattr(spec, "value", None)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise ValueError(f"constants.{name}: expected a finite number or {{value: number, unit: text}}")
        return v


Relation = Literal["lt", "le", "gt", "ge"]


class Expectation(_Strict):
    output: str | None = None
    years: list[Finite] | None = None
    vs_baseline: Literal["lt", "le", "gt", "ge", "approx"] | None = None
    rtol: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    all_stocks: Relation | None = None
    value: Finite | None = None
    sum_of: list[str] | None = None
    equals: str | None = None
    lt: Finite | None = None
    le: Finite | None = None
    gt: Finite | None = None
    ge: Finite | None = None

    @field_validator("output", "equals")
    @classmethod
    def _output(cls, v):
        return _known("indicator", v) if v is not None else v

    @field_validator("sum_of")
    @classmethod
    def _sum_of(cls, v):
        return [_known("indicator", x) for x in v] if v else v

    @model_validator(mode="after")
    def _one_test(self):
        if not (self.all_stocks or self.sum_of or self.output):
            raise ValueError("expected 'output', 'all_stocks' or 'sum_of'")
        relations = [getattr(self, r) for r in ("lt", "le", "gt", "ge")]
        if self.output and not (self.vs_baseline or any(r is not None for r in relations)):
            raise ValueError("expected vs_baseline or one of lt, le, gt, ge beside 'output'")
        if self.sum_of and not self.equals:
            raise ValueError("'sum_of' needs 'equals'")
        return self


class Check(_Strict):
    name: Annotated[str, Field(min_length=1)]
    zh: str = ""
    region: str = "xingtai"
    set: dict[str, Finite | Literal["min", "max"]] = {}
    expect: Expectation

    @field_validator("region")
    @classmethod
    def _region(cls, v):
        return _known("region", v)

    @field_validator("set")
    @classmethod
    def _set(cls, v):
        for name in v:
            if name != "levers":
                _known("constant", name)
        return v


def _error_line(path: Path, lines: dict, exc: ValidationError, top=()) -> str:
    err = exc.errors()[0]
    loc = top + tuple(x for x in err["loc"] if not (isinstance(x, str) and ("[" in x or x.startswith("function-"))))
    keys = tuple(k for k in loc if not isinstance(k, int) or k in range(10_000))
    line = None
    for n in range(len(keys), -1, -1):
        line = lines.get(keys[:n])
        if line is not None:
            break
    where = f"{path}" + (f":{line}" if line else "") + (f": {'.'.join(map(str, keys))}" if keys else "")
    msg = err["msg"].removeprefix("Value error, ")
    got = err.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{where}: {msg}" + (f" (got {shown})" if err["type"] != "value_error" else "")


def read_profile(path: Path) -> dict:
    """A region profile (``calibration/<region>/profile.yaml``), validated; returns the mapping."""
    data, lines = read_yaml(path, "region profile")
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a mapping of keys (region, display_name, start_year, sectors, ...)")
    try:
        Profile.model_validate(data)
    except ValidationError as exc:
        raise DataError(_error_line(path, lines, exc)) from None
    if data.get("region") != path.parent.name:
        raise DataError(f"{path}:{lines.get(('region',), 1)}: region: '{data.get('region')}' differs from its folder "
                        f"'{path.parent.name}'; nearest valid choice '{path.parent.name}'")
    return data


def read_checks(path: Path) -> list[dict]:
    """Behaviour checks (``calibration/behaviour-checks.yaml``), validated; returns the list."""
    data, lines = read_yaml(path, "behaviour-check file")
    if not isinstance(data, list) or not data:
        raise DataError(f"{path}: expected a list of checks, each with name, set and expect")
    for i, item in enumerate(data):
        try:
            Check.model_validate(item)
        except ValidationError as exc:
            raise DataError(_error_line(path, lines, exc, top=(i,)) + f" (check {i + 1})") from None
    return data

