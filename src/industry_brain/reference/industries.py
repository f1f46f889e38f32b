"""GB/T 4754-2017 national economic industry classification (国民经济行业分类)."""

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

LEVELS = ("section", "division", "group", "class")
_CSV = "data/gbt4754_2017.csv"
INDUSTRIAL = (6, 46)  # 工业: 国民经济行业 大类 06–46 (mining, manufacturing, utilities)
INDUSTRIAL_DIVISIONS = range(INDUSTRIAL[0], INDUSTRIAL[1] + 1)
MANUFACTURING_DIVISIONS = range(13, 44)  # 制造业 (门类 C): 大类 13–43


@dataclass(frozen=True, slots=True)
class Industry:
    """One code: a section letter, or a 2-, 3- or 4-digit division, group or class."""

    code: str
    name: str
    level: str
    parent_code: str | None
    section: str

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"industry level must be one of {LEVELS}, got {self.level!r}")


class IndustryTable:
    """Industry codes indexed by code, with hierarchy navigation."""

    def __init__(self, industries: Iterable[Industry]) -> None:
        self._by_code: dict[str, Industry] = {}
        self._children: dict[str, list[str]] = {}
        self._name_cache: dict[str, str] | None = None
        for industry in industries:
            if industry.code in self._by_code:
                raise ValueError(f"duplicate industry code {industry.code!r}")
            self._by_code[industry.code] = industry
            self._children.setdefault(industry.code, [])
        for industry in self._by_code.values():
            if industry.parent_code is None:
                continue
            if industry.parent_code not in self._by_code:
                raise unknown_code("parent industry", industry.parent_code, self._names())
            self._children[industry.parent_code].append(industry.code)

    def _names(self) -> dict[str, str]:
        if self._name_cache is None:
            self._name_cache = {code: ind.name for code, ind in self._by_code.items()}
        return self._name_cache

    def get(self, code: str) -> Industry:
        """Industry for ``code`` (section letters are case-insensitive)."""
        industry = self._by_code.get(code.strip().upper()) if isinstance(code, str) else None
        if industry is None:
            raise unknown_code("industry", code, self._names())
        return industry

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip().upper() in self._by_code

    def __iter__(self) -> Iterator[Industry]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def children(self, code: str) -> list[Industry]:
        """Direct children of ``code``."""
        return [self._by_code[c] for c in self._children[self.get(code).code]]

    def ancestors(self, code: str) -> list[Industry]:
        """Ancestors of ``code``, root (section) first, excluding the code itself."""
        chain: list[Industry] = []
        parent = self.get(code).parent_code
        while parent is not None:
            industry = self._by_code[parent]
            chain.append(industry)
            parent = industry.parent_code
        return chain[::-1]

    def descendants(self, code: str) -> list[Industry]:
        """All codes below ``code`` (every level), depth first."""
        out: list[Industry] = []
        stack = list(reversed(self._children[self.get(code).code]))
        while stack:
            industry = self._by_code[stack.pop()]
            out.append(industry)
            stack.extend(reversed(self._children[industry.code]))
        return out

    def division(self, code: str) -> Industry:
        """The 2-digit 大类 that ``code`` (a division, group or class) belongs to."""
        industry = self.get(code)
        if industry.level == "section":
            raise ValueError(f"{industry.code!r} is a section (门类) and has no division")
        return self._by_code[industry.code[:2]]

    def classes(self) -> list[Industry]:
        """All 4-digit classes (小类), in code order."""
        return [i for i in self._by_code.values() if i.level == "class"]


def _load() -> list[Industry]:
    text = resources.files("industry_brain.reference").joinpath(_CSV).read_text("utf-8")
    return [
        Industry(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent_code=row["parent_code"] or None,
            section=row["section"],
        )
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


@functools.cache
def industries() -> IndustryTable:
    """The bundled GB/T 4754-2017 table (1,971 codes); cached."""
    return IndustryTable(_load())


def _division_number(code: object) -> int | None:
    """The 大类 number of an existing 2–4 digit code, else None."""
    if not (isinstance(code, str) and code.isascii() and code.isdigit() and 2 <= len(code) <= 4):
        return None
    if code not in industries():
        return None
    return int(code[:2])


@overload
def is_industrial(code: str) -> bool: ...
@overload
def is_industrial(code: pl.Expr) -> pl.Expr: ...
@overload
def is_industrial(code: StringValue) -> BooleanValue: ...
def is_industrial(code: Any) -> Any:
    """工业 (大类 06–46). A string: an existing division/group/class code in it. An Ibis string
    column or a Polars expression of industry codes: whether the first two digits lie in
    `INDUSTRIAL` (the warehouse's codes were checked when loaded)."""
    if isinstance(code, str):
        return _division_number(code) in INDUSTRIAL_DIVISIONS
    low, high = INDUSTRIAL
    if hasattr(code, "substr"):  # an Ibis column
        return code.substr(0, 2).cast("int32").between(low, high)
    import polars as pl

    return code.str.slice(0, 2).cast(pl.Int32, strict=False).is_between(low, high)


def is_manufacturing(code: str) -> bool:
    """True if ``code`` is an existing division/group/class in 制造业 (大类 13–43)."""
    return _division_number(code) in MANUFACTURING_DIVISIONS
