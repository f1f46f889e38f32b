"""A chain map's data model: one YAML file per chain, validated into a `Chain` with its
`Segment`s (GB/T 4754-2017 classes by stage), `Target`s and `Source`s; and the catalog's
errors, each located by file, chain, segment and field (catalog_parse.py builds them)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from industry_brain.errors import BrainError
from industry_brain.reference import UnknownCodeError, industries, regions
from industry_brain.reference.errors import closest_code
from industry_brain.suggest import did_you_mean

STAGES = ("upstream", "midstream", "downstream")
SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"
Stage = Literal["upstream", "midstream", "downstream"]


class ChainMapError(BrainError, ValueError):
    """A chain map is invalid; `location` names the file, chain, segment and field."""

    code, title, status = "chain_map_invalid", "产业链图谱文件有误", 422

    def __init__(
        self,
        detail: str,
        *,
        file: str | None = None,
        chain: str | None = None,
        segment: str | None = None,
        field: str | None = None,
    ) -> None:
        self.location = {"file": file, "chain": chain, "segment": segment, "field": field}
        parts = [file, chain and f"chain {chain!r}", segment and f"segment {segment!r}", field]
        prefix = ", ".join(p for p in parts if p)
        super().__init__(f"{prefix}: {detail}" if prefix else detail, data=self.location)


class UnknownIndustryClass(ChainMapError):
    code, title = "chain_unknown_class", "产业链环节的行业小类不存在"


class UnknownChainRegion(ChainMapError):
    code, title = "chain_unknown_region", "产业链所属地区代码不存在"


class DuplicateChainId(ChainMapError):
    code, title = "chain_duplicate_id", "产业链或环节编号重复"


class UnknownChain(ChainMapError):
    code, title, status = "unknown_chain", "没有这条产业链", 404


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Source(Strict):
    file: str = Field(min_length=1)
    section: str | None = None
    quote: str = Field(min_length=1)


class Target(Strict):
    indicator: str = Field(min_length=1)
    value: float
    unit: str
    year: int | None  # None: the sentence gives no year (`note` says why)
    quote: str = Field(min_length=1)
    note: str | None = None


def check_class(code: str) -> str:
    """`code` is a 4-digit GB/T 4754-2017 class, else a custom error with the closest one."""
    table = industries()
    if code in table and table.get(code).level == "class":
        return table.get(code).code
    names = {i.code: i.name for i in table.classes()}
    best = closest_code(code, names)
    hint = f"; did you mean {best!r} ({names[best]})?" if best else ""
    raise PydanticCustomError(
        UnknownIndustryClass.code, f"'{code}' is not a GB/T 4754-2017 4-digit class{hint}"
    )


class Segment(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    stage: Stage
    classes: list[str] = Field(min_length=1)
    keywords: list[str] = []
    note: str | None = None

    @field_validator("classes")
    @classmethod
    def _classes(cls, classes: list[str]) -> list[str]:
        if repeated := sorted({c for c in classes if classes.count(c) > 1}):
            raise ValueError(f"classes repeated: {', '.join(repeated)}")
        return [check_class(c) for c in classes]


class Chain(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    region: str
    kind: str = Field(min_length=1)
    chief_unit: str | None = None  # 链长单位; None when the sources do not name it
    sources: list[Source] = Field(min_length=1)
    targets: list[Target] = []
    segments: list[Segment] = Field(min_length=1)
    mapping_note: str | None = None

    @field_validator("region")
    @classmethod
    def _region(cls, code: str) -> str:
        try:
            known = regions().get(code).code
        except UnknownCodeError as exc:
            hint = f"; did you mean {exc.suggestion!r}?" if exc.suggestion else ""
            raise PydanticCustomError(
                UnknownChainRegion.code, f"unknown region code '{code}'{hint}"
            ) from None
        if known != code:
            raise PydanticCustomError(
                UnknownChainRegion.code, f"write the region code in full: '{known}'"
            )
        return code

    @model_validator(mode="after")
    def _unique_segments(self) -> Chain:
        ids = [s.id for s in self.segments]
        if repeated := sorted({i for i in ids if ids.count(i) > 1}):
            raise PydanticCustomError(
                DuplicateChainId.code,
                f"segment id '{repeated[0]}' appears more than once",
                {"segment": repeated[0], "field": "id"},
            )
        return self

    def segment(self, segment_id: str) -> Segment:
        for found in self.segments:
            if found.id == segment_id:
                return found
        hint = did_you_mean(segment_id, [s.id for s in self.segments])
        raise ChainMapError(f"no segment {segment_id!r}{hint}", chain=self.id, segment=segment_id)
