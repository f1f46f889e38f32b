"""Method specs: a county's 亩均 evaluation method as validated, versioned, hashed YAML."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from industry_brain.engines.permu.indicators import INDICATORS
from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean

GRADES = ("A", "B", "C", "D")


class MethodSpecError(BrainError, ValueError):
    """A method spec is invalid; the message names the closest valid key or indicator."""

    code, title, status = "method_invalid", "评价方法有误", 422


class UnknownMethod(MethodSpecError):
    code, title, status = "unknown_method", "没有这个评价方法", 404


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Benchmark(Strict):
    """A fixed value, or a statistic of last year's data over the region or group × factor."""

    value: float | None = None
    statistic: Literal["aggregate", "mean", "median"] | None = None
    over: Literal["region", "group"] = "region"
    factor: float = 1.0

    @model_validator(mode="after")
    def _one(self) -> Benchmark:
        if (self.value is None) == (self.statistic is None):
            raise ValueError("a benchmark is either a value or a statistic, not both or neither")
        return self


class Item(Strict):
    indicator: str
    weight: float
    benchmark: Benchmark
    cap: float | None = None  # the item scores at most cap × weight
    missing: Literal["zero", "group_mean"] = "zero"  # no value (e.g. no emission record)

    @field_validator("indicator")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in INDICATORS:
            raise ValueError(f"unknown indicator {name!r}{did_you_mean(name, INDICATORS)}")
        return name


class Population(Strict):
    above_scale: bool
    min_land_mu: float = 0.0


class Grading(Strict):
    method: Literal["quotas", "thresholds"]
    quotas: dict[str, float] | None = None  # share of each grade within a ranking group
    thresholds: dict[str, float] | None = None  # minimum total score of A, B, C

    @model_validator(mode="after")
    def _check(self) -> Grading:
        table = self.quotas if self.method == "quotas" else self.thresholds
        if table is None:
            raise ValueError(f"grading by {self.method} needs `{self.method}`")
        for grade in table:
            if grade not in GRADES:
                raise ValueError(f"unknown grade {grade!r}{did_you_mean(grade, GRADES)}")
        if self.quotas is not None and abs(sum(self.quotas.values()) - 1) > 1e-9:
            raise ValueError(f"quotas must add up to 1, not {sum(self.quotas.values())}")
        return self


class Veto(Strict):
    name: str
    column: str  # an enterprise_year or enterprise column; the rule applies where it is true
    grade: Literal["A", "B", "C", "D"] = "D"


class Adjustment(Strict):
    """Points added (bonus) or deducted (penalty) per unit of a column beyond a threshold."""

    name: str
    kind: Literal["bonus", "penalty"]
    column: str
    points: float
    beyond: float = 0.0
    max_points: float | None = None


class Track(Strict):
    name: str
    title: str
    population: Population
    items: tuple[Item, ...]
    grading: Grading
    groups: dict[str, tuple[str, ...]] | None = None  # ranking group → 2-digit divisions
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    leaders: int = 0  # top N per group


class Exemption(Strict):
    reason: str
    divisions: tuple[str, ...] = ()  # 2-digit 大类
    classes: tuple[str, ...] = ()  # 4-digit 小类


class PriceRule(Strict):
    """A differentiated price (差别化电价、水价、气价…): a surcharge by grade, escalated after
    consecutive D years. Where several apply, the highest is charged, not the sum."""

    resource: str  # electricity, water, gas, land …
    title: str
    unit: str
    by_grade: dict[str, float] = {}
    consecutive_d: dict[int, float] = {}  # surcharge once the enterprise has n D years in a row

    @field_validator("by_grade")
    @classmethod
    def _grades(cls, table: dict[str, float]) -> dict[str, float]:
        for grade in table:
            if grade not in GRADES:
                raise ValueError(f"unknown grade {grade!r}{did_you_mean(grade, GRADES)}")
        return table


class MethodSpec(Strict):
    name: str
    title: str
    region: str
    year: int
    version: int = 1
    source: str = ""
    tracks: tuple[Track, ...]
    exemptions: tuple[Exemption, ...] = ()
    deferral_years: int = 0  # registered fewer than this many years before the year's end
    prices: tuple[PriceRule, ...] = ()
    _text: str = PrivateAttr(default="")  # the YAML text read; not part of the hash

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    @property
    def text(self) -> str:
        """The YAML text the spec was read from ("" for a spec built in code)."""
        return self._text


def _hint(err: dict[str, Any]) -> str:
    if err["type"] != "extra_forbidden":
        return ""
    models = (
        MethodSpec,
        Track,
        Item,
        Benchmark,
        Population,
        Grading,
        Veto,
        Adjustment,
        Exemption,
        PriceRule,
    )
    keys = {k for m in models for k in m.model_fields}
    return did_you_mean(str(err["loc"][-1]), keys)


def parse_method(data: dict[str, Any], origin: str, text: str = "") -> MethodSpec:
    try:
        spec = MethodSpec.model_validate(data)
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            f"{_hint(dict(e))}"
            for e in exc.errors()
        ]
        raise MethodSpecError(f"invalid method spec {origin}:\n" + "\n".join(lines)) from None
    spec._text = text
    return spec


def read_method(text: str, origin: str) -> MethodSpec:
    """A method spec from its YAML text, which it keeps (`spec.text`)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MethodSpecError(f"invalid method spec {origin}: not YAML ({exc})") from None
    return parse_method(data, origin, text)


def packaged_methods() -> list[str]:
    files = resources.files("industry_brain.engines.permu.specs").iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def packaged_text(name: str) -> str:
    if name not in packaged_methods():
        raise UnknownMethod(f"unknown method {name!r}{did_you_mean(name, packaged_methods())}")
    return (
        resources.files("industry_brain.engines.permu.specs")
        .joinpath(f"{name}.yaml")
        .read_text("utf-8")
    )


def load_method(name: str) -> MethodSpec:
    """A packaged method spec by name, or a YAML file by path; either keeps its text. A file
    is read each time (it may have been edited); a packaged spec once."""
    if name.endswith((".yaml", ".yml")):
        with open(name, encoding="utf-8") as fh:
            return read_method(fh.read(), name)
    return _packaged(name)


@cache
def _packaged(name: str) -> MethodSpec:
    return read_method(packaged_text(name), f"{name}.yaml")
