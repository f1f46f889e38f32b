"""Zhejiang administrative divisions (GB/T 2260 codes) as a lookup tree."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, overload

from industry_brain.reference.errors import unknown_code

if TYPE_CHECKING:
    import polars as pl
    from ibis.expr.types import BooleanValue, StringValue

LEVELS = ("province", "city", "county", "park")
COUNTY_DIGITS = 6  # a county-level code; a park's adds 3 digits, a 统计用区划代码 6 more
_CSV = "data/zhejiang_divisions.csv"
# Suffixes dropped to form short names, longest first ("景宁畲族自治县" -> "景宁").
_SUFFIXES = ("畲族自治县", "自治县", "省", "市", "区", "县")


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative unit. ``code`` is 6 digits (9 for a park: county code + 3)."""

    code: str
    name: str
    level: str
    parent_code: str | None

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"region level must be one of {LEVELS}, got {self.level!r}")


def normalise_code(code: str) -> str:
    """Pad a 2-digit province or 4-digit city code to 6 digits ("3310" -> "331000")."""
    code = code.strip()
    if code.isascii() and code.isdigit() and len(code) in (2, 4):
        return code.ljust(6, "0")
    return code


def short_name(name: str) -> str:
    """Drop the administrative suffix: "黄岩区" -> "黄岩", "温岭市" -> "温岭"."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class RegionTree:
    """Regions indexed by code, with parent/child navigation and name lookup."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str, list[str]] = {}
        for region in regions:
            if region.code in self._by_code:
                raise ValueError(f"duplicate region code {region.code!r}")
            self._by_code[region.code] = region
            self._children.setdefault(region.code, [])
        for region in self._by_code.values():
            if region.parent_code is None:
                continue
            if region.parent_code not in self._by_code:
                raise unknown_code("parent region", region.parent_code, self._names())
            self._children[region.parent_code].append(region.code)
        self._full: dict[str, list[str]] = {}
        self._short: dict[str, list[str]] = {}
        for region in self._by_code.values():
            self._full.setdefault(region.name, []).append(region.code)
            self._short.setdefault(short_name(region.name), []).append(region.code)

    def _names(self) -> dict[str, str]:
        return {code: region.name for code, region in self._by_code.items()}

    def get(self, code: str) -> Region:
        """Region for ``code``; 2- and 4-digit codes are padded to 6 digits first."""
        region = self._by_code.get(normalise_code(code)) if isinstance(code, str) else None
        if region is None:
            raise unknown_code("region", code, self._names())
        return region

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_code(code) in self._by_code

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def children(self, code: str) -> list[Region]:
        """Direct children of ``code``."""
        return [self._by_code[c] for c in self._children[self.get(code).code]]

    def ancestors(self, code: str) -> list[Region]:
        """Ancestors of ``code``, root first, excluding the region itself."""
        chain: list[Region] = []
        parent = self.get(code).parent_code
        while parent is not None:
            region = self._by_code[parent]
            chain.append(region)
            parent = region.parent_code
        return chain[::-1]

    def descendants(self, code: str) -> list[Region]:
        """All regions below ``code`` (every level), depth first."""
        out: list[Region] = []
        stack = list(reversed(self._children[self.get(code).code]))
        while stack:
            region = self._by_code[stack.pop()]
            out.append(region)
            stack.extend(reversed(self._children[region.code]))
        return out

    def counties(self, city_code: str) -> list[Region]:
        """County-level units under ``city_code`` (a province code gives all counties)."""
        return [r for r in self.descendants(city_code) if r.level == "county"]

    def by_name(self, name: str) -> Region | None:
        """Region by full name ("黄岩区"), short name ("黄岩") or with the names above it
        ("台州市黄岩区", "浙江省台州市黄岩区"); None if unknown or ambiguous."""
        name = "".join(name.split())
        codes = self._full.get(name) or self._short.get(name) or []
        if len(codes) == 1:
            return self._by_code[codes[0]]
        for above in sorted({*self._full, *self._short}, key=len, reverse=True):
            rest = name.removeprefix(above)
            found = self.by_name(rest) if rest != name and len(rest) >= 2 else None
            above_it = found and self.ancestors(found.code)
            if found and any(above in (a.name, short_name(a.name)) for a in above_it or []):
                return found
        return None

    def with_parks(self, parks: Iterable[Region]) -> RegionTree:
        """New tree with park regions added under their counties (this tree is unchanged)."""
        parks = list(parks)
        for park in parks:
            if park.level != "park":
                raise ValueError(f"{park.code!r}: level must be 'park', got {park.level!r}")
            if park.parent_code is None:
                raise ValueError(f"park {park.code!r} needs a parent county code")
            parent = self.get(park.parent_code)
            if parent.level != "county" or parent.code != park.parent_code:
                raise ValueError(f"park {park.code!r}: parent must be a 6-digit county code")
            code = park.code
            if not (
                len(code) == 9
                and code.isascii()
                and code.isdigit()
                and county_of(code) == parent.code
            ):
                raise ValueError(f"park code {code!r} must be {parent.code!r} + 3 digits")
        return RegionTree([*self, *parks])


def _load() -> list[Region]:
    text = resources.files("industry_brain.reference").joinpath(_CSV).read_text("utf-8")
    return [
        Region(
            code=normalise_code(row["code"]),
            name=row["name"],
            level=row["level"],
            parent_code=normalise_code(row["parent_code"]) if row["parent_code"] else None,
        )
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


@functools.cache
def regions() -> RegionTree:
    """The bundled Zhejiang division tree (province, 11 cities, 90 counties); cached."""
    return RegionTree(_load())


def region_prefix(code: str) -> str:
    """The code prefix shared by a region and everything under it (330000 → 33, 331000 → 3310,
    331003 → 331003, a park 331003101 → itself)."""
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def contains(outer: str, inner: str) -> bool:
    """`inner` is `outer` or lies under it."""
    return in_region(inner, outer)


# The rules below take a code as a string, an Ibis string column or a Polars expression, and
# answer in kind (bool, Ibis boolean column, Polars expression): one rule for Python, for the
# warehouse's queries and for frames.


@overload
def in_region(code: str, region_code: str) -> bool: ...
@overload
def in_region(code: pl.Expr, region_code: str) -> pl.Expr: ...
@overload
def in_region(code: StringValue, region_code: str) -> BooleanValue: ...
def in_region(code: Any, region_code: str) -> Any:
    """`code` (e.g. an enterprise's region_code, a county's code) lies in the region: its
    prefix is the region's (province 2 digits, city 4, county or park all of it)."""
    prefix = region_prefix(region_code)
    if isinstance(code, str) or hasattr(code, "substr"):  # a string, an Ibis column
        return code.startswith(prefix)
    return code.str.starts_with(prefix)


@overload
def county_of(code: str) -> str: ...
@overload
def county_of(code: pl.Expr) -> pl.Expr: ...
@overload
def county_of(code: StringValue) -> StringValue: ...
def county_of(code: Any) -> Any:
    """The county-level code of a code: its first six digits (a park's county, a 统计用区划代码's
    county; a county's own code)."""
    if isinstance(code, str):
        return code[:COUNTY_DIGITS]
    if hasattr(code, "substr"):  # an Ibis column
        return code.substr(0, COUNTY_DIGITS)
    return code.str.slice(0, COUNTY_DIGITS)
