"""The chain catalog: the seeds' 示范产业链 and 标志性产业链 as validated chain maps, one YAML
file per chain (`maps/*.yaml`, packaged), plus a city's own maps in its workspace
(`<workspace>/chains/*.yaml`, the same format): a workspace map with a packaged chain's id
replaces it. docs/chains-catalog.md describes the format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from industry_brain.engines.chains.catalog_models import (
    Chain,
    DuplicateChainId,
    Segment,
    UnknownChain,
)
from industry_brain.engines.chains.catalog_parse import parse_chain
from industry_brain.reference import industries, regions
from industry_brain.reference.regions import normalise_code
from industry_brain.suggest import did_you_mean

MAPS = "maps"
WORKSPACE_DIR = "chains"
SEGMENT_CLASSES = {
    "chain_id": pl.String,
    "segment_id": pl.String,
    "stage": pl.String,
    "class_code": pl.String,
}


class SegmentMatch(NamedTuple):
    """A segment a product belongs to; `keyword` is the keyword its name matched, if any."""

    chain: Chain
    segment: Segment
    keyword: str | None


def workspace_dir(ws_path: Path) -> Path:
    """Where a workspace keeps its city's own chain maps (pass it as `extra`)."""
    return ws_path / WORKSPACE_DIR


@lru_cache(maxsize=512)
def _parse_cached(text: str, origin: str) -> Chain:
    return parse_chain(text, origin)


def _folder(files: Iterable[Any]) -> tuple[Chain, ...]:
    """The maps of one folder (files ending .yaml, by name); an id may appear once."""
    seen: dict[str, str] = {}
    found = []
    for file in sorted((f for f in files if f.name.endswith(".yaml")), key=lambda f: f.name):
        parsed = _parse_cached(file.read_text(encoding="utf-8"), file.name)
        if parsed.id in seen:
            detail = f"chain id already used by {seen[parsed.id]}"
            raise DuplicateChainId(detail, file=file.name, chain=parsed.id, field="id")
        seen[parsed.id] = file.name
        found.append(parsed)
    return tuple(found)


@cache
def _packaged() -> tuple[Chain, ...]:
    return _folder((resources.files(__package__) / MAPS).iterdir())


def chains(region: str | None = None, extra: Path | None = None) -> list[Chain]:
    """The packaged chains, with `extra` (a folder of maps, e.g. `workspace_dir(ws)`) added; a
    map there with a packaged chain's id replaces it. `region`: only the chains scoped to that
    region code (exactly; a province's chains are not a city's)."""
    by_id = {c.id: c for c in _packaged()}
    if extra is not None and extra.is_dir():
        by_id |= {c.id: c for c in _folder(extra.iterdir())}
    if region is None:
        return list(by_id.values())
    code = regions().get(normalise_code(region)).code
    return [c for c in by_id.values() if c.region == code]


def chain(chain_id: str, extra: Path | None = None) -> Chain:
    """One chain by id; an unknown id names the closest one."""
    known = {c.id: c for c in chains(extra=extra)}
    if chain_id in known:
        return known[chain_id]
    raise UnknownChain(f"unknown chain {chain_id!r}{did_you_mean(chain_id, known)}", chain=chain_id)


def segment_classes(found: Iterable[Chain]) -> pl.DataFrame:
    """One row per (chain, segment, class), in map order, for joining in queries."""
    rows = [(c.id, s.id, s.stage, code) for c in found for s in c.segments for code in s.classes]
    return pl.DataFrame(rows, schema=SEGMENT_CLASSES, orient="row")


def segments_of(
    industry_code: str | None,
    product_name: str | None = None,
    among: Sequence[Chain] | None = None,
) -> list[SegmentMatch]:
    """The segments a product belongs to. By class: the segments listing `industry_code` (a
    division or group code matches the classes under it); within a chain, those whose keyword
    occurs in `product_name`, when any does. Without a class: the segments whose keyword occurs
    in `product_name`. `among`: the chains to search (default: the packaged ones)."""
    found = list(among) if among is not None else chains()
    code = industries().get(industry_code).code if industry_code else None
    name = product_name or ""
    matches: list[SegmentMatch] = []
    for item in found:
        hits = [SegmentMatch(item, s, _keyword(s, name)) for s in item.segments]
        if code is None:
            matches += [h for h in hits if h.keyword]
            continue
        in_class = [h for h in hits if any(c.startswith(code) for c in h.segment.classes)]
        matches += [h for h in in_class if h.keyword] or in_class
    return matches


def _keyword(segment: Segment, product_name: str) -> str | None:
    return next((k for k in segment.keywords if product_name and k in product_name), None)
