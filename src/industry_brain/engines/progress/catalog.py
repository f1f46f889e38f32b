"""The plan catalog: the seeds' target tables as validated YAML (`reference/plans/*.yaml`), and
the plans a region imported through the browser (`<workspace>/plans/*.yaml`, the same format;
web/plans.py). An imported plan is written once and never changed, so a name always means the
same table; a packaged name cannot be imported."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from industry_brain.engines.progress.formulas import FORMULAS, TRANSFORMS
from industry_brain.engines.progress.targets import Target, parse_target
from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean

ATTRIBUTES = {"expected": "预期性", "binding": "约束性"}
DIRECTIONS = {"up": "越高越好", "down": "越低越好", "maintain": "保持稳定"}


class PlanError(BrainError, ValueError):
    """A plan file is invalid or unknown; the message names the row and the closest valid name."""

    code, title, status = "plan_invalid", "规划文件有误", 422


class UnknownPlan(PlanError):
    code, title, status = "unknown_plan", "没有这个规划", 404


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormulaRef(Strict):
    id: str
    transform: Literal["growth", "decline"] | None = None


class Source(Strict):
    file: str
    section: str
    row: int | None = None
    quote: str | None = None


class PlanIndicator(Strict):
    id: str
    category: str
    name: str
    unit: str
    baseline: float | None
    baseline_year: int | None
    baseline_as_written: str | None
    target_year: int
    target: str
    attribute: Literal["expected", "binding"]
    direction: Literal["up", "down", "maintain"]
    measure: Literal["level", "rate"] = "level"
    price_basis: Literal["current", "constant_2020", "none"]
    formula: FormulaRef | None = None
    assigned: str | None = None  # the figure a higher level assigned, once it is known
    source: Source

    @model_validator(mode="before")
    @classmethod
    def _formula_shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("formula"), str):
            data = {**data, "formula": {"id": data["formula"]}}
        return data

    @model_validator(mode="after")
    def _check(self) -> PlanIndicator:
        if self.formula and self.formula.id not in FORMULAS:
            raise ValueError(
                f"unknown formula {self.formula.id!r}{did_you_mean(self.formula.id, FORMULAS)}"
            )
        if self.formula and self.formula.transform and self.measure != "rate":
            raise ValueError(f"formula transform {self.formula.transform!r} needs measure: rate")
        if (self.baseline is None) != (self.baseline_year is None):
            raise ValueError("baseline and baseline_year go together")
        return self

    @property
    def prior_year_baseline(self) -> bool:
        """The * flag: the baseline is from the year before the base year."""
        return bool(self.baseline_as_written and "*" in self.baseline_as_written)

    @property
    def parsed(self) -> Target:
        return parse_target(self.target, self.unit)

    @property
    def effective(self) -> Target:
        """The target the progress method uses: the assigned figure for an 'assigned' target."""
        target = self.parsed
        if target.kind == "assigned" and self.assigned:
            return parse_target(self.assigned, self.unit)
        return target


class Plan(Strict):
    plan: str
    title: str
    issuer: str
    document: str | None
    region_code: str
    base_year: int
    target_year: int
    source: Source
    notes: list[str] = []
    indicators: list[PlanIndicator]

    @model_validator(mode="after")
    def _unique(self) -> Plan:
        ids = [i.id for i in self.indicators]
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"indicator ids repeated: {', '.join(dupes)}")
        return self

    def indicator(self, key: str) -> PlanIndicator:
        """An indicator by id or by its Chinese name."""
        for row in self.indicators:
            if key in (row.id, row.name):
                return row
        names = [i.id for i in self.indicators] + [i.name for i in self.indicators]
        raise PlanError(f"plan {self.plan}: no indicator {key!r}{did_you_mean(key, names)}")

    @property
    def midterm_year(self) -> int:
        return self.base_year + (self.target_year - self.base_year + 1) // 2


PLAN_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,62}")
IMPORTED_DIR = "plans"


def _plans_dir() -> Any:
    return resources.files("industry_brain.reference") / "plans"


def imported_dir(ws_path: Path) -> Path:
    """Where a workspace keeps the plans its regions imported."""
    return ws_path / IMPORTED_DIR


def packaged_names() -> list[str]:
    files = _plans_dir().iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def imported_names(ws_path: Path | None) -> list[str]:
    """The workspace's imported plans (files of a valid name only)."""
    if ws_path is None or not imported_dir(ws_path).is_dir():
        return []
    stems = (p.name.removesuffix(".yaml") for p in imported_dir(ws_path).glob("*.yaml"))
    packaged = set(packaged_names())
    return sorted(n for n in stems if PLAN_NAME.fullmatch(n) and n not in packaged)


def plan_names(ws_path: Path | None = None) -> list[str]:
    """The packaged plans, and with a workspace its imported ones too."""
    return packaged_names() + imported_names(ws_path)


def is_imported(name: str, ws_path: Path | None) -> bool:
    return name in imported_names(ws_path)


def plan_text(name: str, ws_path: Path | None = None) -> str:
    if name in packaged_names():
        return (_plans_dir() / f"{name}.yaml").read_text(encoding="utf-8")
    if is_imported(name, ws_path):
        assert ws_path is not None
        return (imported_dir(ws_path) / f"{name}.yaml").read_text(encoding="utf-8")
    known = plan_names(ws_path)
    raise UnknownPlan(f"unknown plan {name!r}{did_you_mean(name, known)}")


def parse_plan(text: str, origin: str = "<plan>") -> Plan:
    """Validate a plan's YAML; errors name the row (its id) and the offending key."""
    data = yaml.safe_load(text)
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(f"{origin}: {_describe(exc, data)}") from None


def _describe(exc: ValidationError, data: Any) -> str:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            row = data["indicators"][loc[1]]
            where = f"indicator {row.get('id', loc[1])!r}" + "".join(f".{p}" for p in loc[2:])
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            fields = (
                list(PlanIndicator.model_fields)
                if "indicator" in where
                else list(Plan.model_fields)
            )
            message = f"unknown key{did_you_mean(str(loc[-1]), fields)}"
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


@cache
def _load(name: str, ws_path: Path | None) -> Plan:
    return parse_plan(plan_text(name, ws_path), f"{name}.yaml")


def load_plan(name: str, ws_path: Path | None = None) -> Plan:
    """A packaged plan, or (with the workspace) an imported one. Cached: neither kind changes
    under its name (an imported plan is written once)."""
    if name not in packaged_names() and not is_imported(name, ws_path):
        plan_text(name, ws_path)  # UnknownPlan
    return _load(name, ws_path if name not in packaged_names() else None)


def plan_hash(name: str, ws_path: Path | None = None) -> str:
    return hashlib.sha256(plan_text(name, ws_path).encode()).hexdigest()


__all__ = ["TRANSFORMS", "Plan", "PlanError", "PlanIndicator", "load_plan", "plan_names"]
