"""Reading one chain map: its YAML validated into a `Chain`, and Pydantic's errors turned into
the catalog's own, located by file, chain, segment and field, with the closest valid key or
stage where one was misspelt."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from industry_brain.engines.chains.catalog_models import (
    STAGES,
    Chain,
    ChainMapError,
    DuplicateChainId,
    Segment,
    Source,
    Target,
    UnknownChainRegion,
    UnknownIndustryClass,
)
from industry_brain.suggest import did_you_mean

MODELS = (Chain, Segment, Source, Target)


def parse_chain(text: str, origin: str = "<chain>") -> Chain:
    """Validate one chain map's YAML; an error names the file, chain, segment and field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise ChainMapError(f"not valid YAML: {problem}", file=origin) from None
    try:
        return Chain.model_validate(data)
    except ValidationError as exc:
        raise _located(exc, data, origin) from None


def _located(exc: ValidationError, data: Any, origin: str) -> ChainMapError:
    """The first problem as a located error of its kind; the others follow in its detail."""
    first, *rest = exc.errors()
    chain_id = data.get("id") if isinstance(data, dict) else None
    segment, field = _place(first, data)
    detail = _message(first)
    for err in rest:
        segment_id, path = _place(err, data)
        place = ", ".join(p for p in (segment_id and f"segment {segment_id!r}", path) if p)
        detail += f"; {place or 'chain'}: {_message(err)}"
    chain = chain_id if isinstance(chain_id, str) else None
    where = {"file": origin, "chain": chain, "segment": segment, "field": field}
    match first["type"]:
        case UnknownIndustryClass.code:
            return UnknownIndustryClass(detail, **where)
        case UnknownChainRegion.code:
            return UnknownChainRegion(detail, **where)
        case DuplicateChainId.code:
            return DuplicateChainId(detail, **where)
    return ChainMapError(detail, **where)


def _place(err: Any, data: Any) -> tuple[str | None, str | None]:
    """(segment id, field path) of a Pydantic error."""
    loc, ctx = list(err["loc"]), err.get("ctx") or {}
    if "segment" in ctx:
        return ctx["segment"], ctx.get("field")
    segment = None
    if len(loc) >= 2 and loc[0] == "segments" and isinstance(loc[1], int):
        row = data["segments"][loc[1]]
        named = isinstance(row, dict) and isinstance(row.get("id"), str)
        segment, loc = (row["id"] if named else f"#{loc[1] + 1}"), loc[2:]
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return segment, field or None


def _message(err: Any) -> str:
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        fields = [f for model in MODELS for f in model.model_fields]
        return f"unknown key{did_you_mean(str(err['loc'][-1]), fields)}"
    if err["type"] == "literal_error" and err["loc"][-1] == "stage":
        return f"{message}{did_you_mean(str(err['input']), STAGES)}"
    return message
