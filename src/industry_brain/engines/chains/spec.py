"""The supply-risk method a run stores: the region screened and the thresholds of its flags
(docs/chains.md). Packaged methods live in `specs/*.yaml`; a city's own is a YAML file."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean

SPECS = Path(__file__).parent / "specs"


class RiskSpecError(BrainError, ValueError):
    code, title, status = "chain_spec_invalid", "断供风险摸排方法有误", 422


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_purchase: float = Field(default=10.0, ge=0, description="万元: smaller inputs not screened")
    single_source_share: float = Field(default=0.8, gt=0, le=1)
    outside_share: float = Field(default=0.5, gt=0, le=1)
    critical_share: float = Field(default=0.5, gt=0, le=1)
    critical_buyers: int = Field(default=3, ge=1)


class RiskSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    region: str  # the city (or county) whose enterprises are screened as buyers
    version: int = 1
    thresholds: Thresholds = Thresholds()
    text: str | None = Field(None, exclude=True)  # the YAML it was read from

    @property
    def province(self) -> str:
        return self.region[:2] + "0000"

    @property
    def sha256(self) -> str:
        content = self.model_dump(mode="json")
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def read_spec(text: str, origin: str) -> RiskSpec:
    try:
        data = yaml.safe_load(text)
        return RiskSpec.model_validate({**data, "text": text})
    except (yaml.YAMLError, TypeError, ValidationError) as e:
        raise RiskSpecError(f"{origin}: {e}") from None


def spec_text(spec: RiskSpec) -> str:
    if spec.text and read_spec(spec.text, spec.name).sha256 == spec.sha256:
        return spec.text
    return yaml.safe_dump(spec.model_dump(mode="json"), allow_unicode=True, sort_keys=False)


@cache
def packaged() -> list[str]:
    return sorted(p.stem for p in SPECS.glob("*.yaml"))


def load_spec(name: str) -> RiskSpec:
    """A packaged method by name, or a YAML file by path."""
    path = SPECS / f"{name}.yaml"
    if not path.is_file():
        path = Path(name)
    if not path.is_file():
        raise RiskSpecError(f"unknown supply-risk method {name!r}{did_you_mean(name, packaged())}")
    return read_spec(path.read_text("utf-8"), str(path))
