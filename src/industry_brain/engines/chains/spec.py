"""The supply-risk method a run stores: the region screened and the thresholds of its flags
(docs/chains.md). Packaged methods live in `specs/*.yaml`; a city's own is a YAML file."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from industry_brain.engines.chains import catalog
from industry_brain.engines.chains.catalog_models import Chain
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
    failures: int = Field(default=3, ge=1, description="suppliers failing together (断链)")
    leaders: int = Field(default=5, ge=1, description="链主 enterprises listed per chain")


class Backup(BaseModel):
    """How backup suppliers are found: declared substitute classes (降准) per input class,
    whether another class of the same GB/T 4754 group also stands in, and how many are kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    substitutes: dict[str, tuple[str, ...]] = {}
    group_substitutes: bool = True
    candidates: int = Field(default=5, ge=1)


class SegmentScope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    stage: str
    classes: tuple[str, ...]


class ChainScope(BaseModel):
    """A chain as a run uses it: copied from its map when the spec is made, so that a run keeps
    the segments it was screened with whatever later happens to the map."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    segments: tuple[SegmentScope, ...]


def _scope(found: Chain) -> ChainScope:
    segments = tuple(
        SegmentScope(id=s.id, name=s.name, stage=s.stage, classes=tuple(s.classes))
        for s in found.segments
    )
    return ChainScope(id=found.id, name=found.name, segments=segments)


class RiskSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    region: str  # the city (or county) whose enterprises are screened as buyers
    version: int = 1
    thresholds: Thresholds = Thresholds()
    backup: Backup = Backup()
    # The chains screened: ids of chain maps (all the region's when absent) or, as a run
    # stores them, the chains themselves.
    chains: tuple[ChainScope, ...] = ()
    text: str | None = Field(None, exclude=True)  # the YAML it was read from

    @property
    def province(self) -> str:
        return self.region[:2] + "0000"

    @property
    def sha256(self) -> str:
        content = self.model_dump(mode="json")
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _chains(data: dict[str, Any], extra: Path | None) -> list[Any]:
    """The chains a spec names, as scopes: ids looked up in the catalog (all the region's
    chains when it names none); chains given whole are kept as they are."""
    named = data.get("chains")
    if named is None:
        return [_scope(c) for c in catalog.chains(str(data.get("region", "")), extra)]
    return [_scope(catalog.chain(c, extra)) if isinstance(c, str) else c for c in named]


def read_spec(text: str, origin: str, extra: Path | None = None) -> RiskSpec:
    """A method from YAML; `extra`: a workspace's own chain maps (catalog.workspace_dir)."""
    try:
        data = yaml.safe_load(text)
        if not isinstance(data, dict):
            raise TypeError("a supply-risk method is a mapping")
        return RiskSpec.model_validate({**data, "chains": _chains(data, extra), "text": text})
    except (yaml.YAMLError, TypeError, ValidationError) as e:
        raise RiskSpecError(f"{origin}: {e}") from None


def spec_text(spec: RiskSpec) -> str:
    """What a run stores: the method with its chains written out whole."""
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
