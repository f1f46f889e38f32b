"""What a monitoring run stores as its spec: the plan's full target table (its YAML text), the
method's thresholds and the stage — so a run explains and publishes with the targets it used,
whatever later happens to the packaged plan."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from industry_brain.engines.progress.catalog import Plan, parse_plan, plan_names, plan_text
from industry_brain.engines.progress.method import DEFAULT, MethodError, ProgressMethod

StageName = Literal["monitoring", "midterm", "final"]


class MonitoringSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    plan_name: str
    plan_text: str
    method: ProgressMethod = DEFAULT
    stage: StageName | None = None  # None: from the year

    @cached_property
    def plan(self) -> Plan:
        return parse_plan(self.plan_text, f"{self.plan_name}.yaml")

    @property
    def name(self) -> str:
        return self.plan_name

    @property
    def title(self) -> str:
        return self.plan.title

    @property
    def region(self) -> str:
        return self.plan.region_code

    @property
    def sha256(self) -> str:
        """Of the validated content: the plan as parsed, the method and the stage."""
        content = {
            "plan": self.plan.model_dump(mode="json"),
            "method": self.method.model_dump(mode="json"),
            "stage": self.stage,
        }
        text = json.dumps(content, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def monitoring_spec(
    plan: str,
    method: ProgressMethod = DEFAULT,
    stage: StageName | None = None,
    ws_path: Path | None = None,
) -> MonitoringSpec:
    """A packaged plan (by name), a plan the workspace imported (by name, given `ws_path`) or a
    plan file (by path), with a method and a stage."""
    named = plan in plan_names(ws_path)
    text = plan_text(plan, ws_path) if named else Path(plan).read_text(encoding="utf-8")
    name = parse_plan(text, plan).plan
    return MonitoringSpec(plan_name=name, plan_text=text, method=method, stage=stage)


def spec_text(spec: MonitoringSpec) -> str:
    data = spec.model_dump(mode="json")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def read_spec(text: str, origin: str) -> MonitoringSpec:
    data = yaml.safe_load(text) or {}
    try:
        spec = MonitoringSpec.model_validate(data)
        spec.plan  # noqa: B018 (validates the target table)
    except ValueError as exc:
        raise MethodError(f"{origin}: {exc}") from None
    return spec
