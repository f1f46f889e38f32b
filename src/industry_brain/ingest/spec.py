"""Source specs: the YAML mapping from a department's headers to glossary fields."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean
from industry_brain.units import UNITS, split_header

FieldType = Literal[
    "uscc",
    "text",
    "date",
    "region",
    "industry",
    "park",
    "number",
    "flag",
    "year",
    "choice",
    "pollutant",
    "indicator",
    "place",  # where a party is: a GB/T 2260 code anywhere in China, or abroad
]


class SpecError(BrainError, ValueError):
    """A source spec is invalid; the message names the file and the closest valid key."""

    code, title, status = "source_spec_invalid", "数据源定义有误", 422


class Field(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    type: FieldType
    headers: tuple[str, ...]  # the names departments use, best first
    also: tuple[str, ...] = ()  # names used only when no column has one of `headers`
    exclude: tuple[str, ...] = ()  # words that make a header something else ('建筑' for land)
    near: tuple[str, ...] = ()  # names of other things that resemble it: never placed, reported
    saved: tuple[str, ...] = ()  # headers an analyst mapped to this field (saved mappings)
    wide: Literal["month", "pollutant"] | None = None  # may come as one column per month/pollutant
    required: bool = False
    dimension: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    typical: tuple[float, float] | None = None  # where a file's median lies in the canonical unit
    choices: dict[str, str] | None = None
    unless: str | None = None  # required when this other field is empty (R219)
    invalid: str | None = None  # the error for a value not of its type, instead of the type's

    @model_validator(mode="after")
    def _check(self) -> Field:
        # A number without a dimension is read as written, never converted: it is in the unit
        # of what its row names (an entered plan figure is in its indicator's unit).
        if self.type == "number" and (self.dimension is None) != (self.unit is None):
            raise ValueError(f"number field {self.name!r} needs a dimension and a unit, or neither")
        if self.unit is not None and UNITS[self.unit].dimension != self.dimension:
            raise ValueError(f"unit {self.unit!r} of {self.name!r} is not {self.dimension}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"choice field {self.name!r} needs choices")
        return self

    @property
    def header_keys(self) -> tuple[str, ...]:
        """Headers normalised the way file headers are (unit stripped)."""
        names = (self.title, *self.headers, *self.also, *self.saved)
        return tuple(split_header(h)[0] for h in names)


class Check(BaseModel):
    """A ratio between two fields that must lie within [min, max]; a field missing from the
    source is taken from the warehouse's current value for the same enterprise and year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    numerator: str
    denominator: str
    min: float | None = None
    max: float | None = None


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    title: str
    department: str
    yearly: bool
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    conflicts: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # fields telling apart several rows of one enterprise (summed)
    require_one: tuple[tuple[str, ...], ...] = ()  # at least one field of each group has a column
    consistency: tuple[Check, ...] = ()
    reconcile: dict[str, Any] = {}
    # Loaded for one plan ('plan'): rows are checked against the plan the load gives (its
    # indicators, period and region: `context.Scope`) and the batch records it.
    scope: Literal["plan"] | None = None
    max_rejected_share: float | None = None  # instead of the workspace's; 0: whole or nothing
    # A number netted over the rows of one key and parts (invoices and their red-letter
    # reversals): rows are not duplicates of each other, and a non-positive net is rejected.
    net: str | None = None
    # Parts given by one field or another: a row's part is the first of its fields given (the
    # seller's code, else its name).
    either: tuple[tuple[str, ...], ...] = ()

    @model_validator(mode="after")
    def _check(self) -> SourceSpec:
        names = [f.name for f in self.fields]
        for ref in (
            *self.key,
            *self.conflicts,
            *self.parts,
            *(f for g in self.require_one for f in g),
            *(f for g in self.either for f in g),
            *((self.net,) if self.net else ()),
            *(f.unless for f in self.fields if f.unless),
        ):
            if ref not in names and ref != "year":
                raise ValueError(f"unknown field {ref!r}{did_you_mean(ref, names)}")
        return self

    @property
    def identity(self) -> str:
        """The field naming what a row is about (an enterprise's code, a plan's indicator): a
        header block without its column is not this source's."""
        return self.key[0]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.source} has no field {name!r}{did_you_mean(name, self.field_names)}")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def number_fields(self) -> list[Field]:
        return [f for f in self.fields if f.type == "number"]

    def header_index(self) -> dict[str, str]:
        """Normalised header → field name."""
        return {key: f.name for f in self.fields for key in f.header_keys}

    @property
    def sha256(self) -> str:
        """Of the validated content; a key added since specs were first hashed counts only when
        set, so that an unchanged spec keeps the hash its batches recorded."""
        keys = ("scope", "max_rejected_share", "net", "either")
        unset: dict[str, Any] = {k: True for k in keys if getattr(self, k) in (None, ())}
        later = ("unless", "invalid")  # Field keys added since
        fields = {i: {k for k in later if getattr(f, k) is None} for i, f in enumerate(self.fields)}
        unset["fields"] = {i: names for i, names in fields.items() if names}
        return hashlib.sha256(self.model_dump_json(exclude=unset).encode()).hexdigest()


# Enterprise data: the enterprises' own figures, and purchases between enterprises (trade).
SOURCES = ("register", "statistics", "tax", "land", "electricity", "emissions", "trade")
SCOPED_SOURCES = ("plan_actuals",)  # loaded for one plan (`SourceSpec.scope`)


def parse_spec(data: dict[str, Any], origin: str) -> SourceSpec:
    """Validate a spec dict; errors name the origin and suggest the closest valid key."""
    try:
        return SourceSpec.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            hint = ""
            if err["type"] == "extra_forbidden":
                model = Field if "fields" in loc else SourceSpec
                hint = did_you_mean(str(err["loc"][-1]), model.model_fields)
            lines.append(f"  {loc}: {err['msg']}{hint}")
        raise SpecError(f"invalid source spec {origin}:\n" + "\n".join(lines)) from None


@cache
def load_spec(source: str) -> SourceSpec:
    """The packaged spec of a source (register, statistics, tax, land, electricity, emissions,
    trade, plan_actuals)."""
    known = (*SOURCES, *SCOPED_SOURCES)
    if source not in known:
        raise SpecError(f"unknown source {source!r}{did_you_mean(source, known)}")
    text = (
        resources.files("industry_brain.ingest.specs").joinpath(f"{source}.yaml").read_text("utf-8")
    )
    return parse_spec(yaml.safe_load(text), f"{source}.yaml")


def all_specs() -> list[SourceSpec]:
    """Every packaged spec: the enterprise sources, then those loaded for a plan."""
    return [load_spec(s) for s in (*SOURCES, *SCOPED_SOURCES)]
