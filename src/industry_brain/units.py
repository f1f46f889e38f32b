"""Units: the one place that knows canonical units and conversion factors.

Amounts are stored in 万元, land in 亩, energy in 吨标准煤, electricity in 千瓦时,
emissions in 吨 (pollutant equivalents), people as a count.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unit:
    name: str  # as written in a header, normalised
    dimension: str  # money, area, energy, electricity, mass, count, ratio
    factor: float  # multiply a value in this unit by factor to get the canonical unit


CANONICAL = {
    "money": "万元",
    "area": "亩",
    "energy": "吨标准煤",
    "electricity": "千瓦时",
    "mass": "吨",
    "count": "人",
    "ratio": "%",
}

_UNITS = [
    Unit("万元", "money", 1.0),
    Unit("元", "money", 1e-4),
    Unit("千元", "money", 0.1),
    Unit("百万元", "money", 100.0),
    Unit("亿元", "money", 1e4),
    Unit("亩", "area", 1.0),
    Unit("平方米", "area", 0.0015),  # 1 亩 = 10000/15 m²
    Unit("m2", "area", 0.0015),
    Unit("m²", "area", 0.0015),
    Unit("㎡", "area", 0.0015),
    Unit("平米", "area", 0.0015),
    Unit("万平方米", "area", 15.0),
    Unit("公顷", "area", 15.0),
    Unit("ha", "area", 15.0),
    Unit("吨标准煤", "energy", 1.0),
    Unit("吨标煤", "energy", 1.0),
    Unit("tce", "energy", 1.0),
    Unit("千克标准煤", "energy", 1e-3),
    Unit("万吨标准煤", "energy", 1e4),
    Unit("千瓦时", "electricity", 1.0),
    Unit("kwh", "electricity", 1.0),
    Unit("度", "electricity", 1.0),
    Unit("万千瓦时", "electricity", 1e4),
    Unit("kw·h", "electricity", 1.0),
    Unit("kw.h", "electricity", 1.0),
    Unit("万kwh", "electricity", 1e4),
    Unit("万度", "electricity", 1e4),
    Unit("兆瓦时", "electricity", 1e3),
    Unit("mwh", "electricity", 1e3),
    Unit("亿千瓦时", "electricity", 1e8),
    Unit("吨", "mass", 1.0),
    Unit("t", "mass", 1.0),
    Unit("吨/年", "mass", 1.0),
    Unit("t/a", "mass", 1.0),
    Unit("公斤", "mass", 1e-3),
    Unit("万吨", "mass", 1e4),
    Unit("千克", "mass", 1e-3),
    Unit("kg", "mass", 1e-3),
    Unit("人", "count", 1.0),
    Unit("个", "count", 1.0),
    Unit("%", "ratio", 1.0),
]
UNITS: dict[str, Unit] = {u.name: u for u in _UNITS}

_UNIT_IN_HEADER = re.compile(r"^(?P<base>.*?)[(\[](?P<unit>[^()\[\]]*)[)\]]\s*$")


def normalise_text(text: str) -> str:
    """NFKC (full-width → half-width), drop all whitespace, lower-case Latin letters."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).lower()


def split_header(header: str) -> tuple[str, str | None]:
    """Split '营业收入（万元）' into ('营业收入', '万元'); the unit is None when absent or unknown.

    A parenthesised part that is not a unit stays in the base name ('工业总产值(当年价)').
    """
    text = normalise_text(header)
    unit: str | None = None
    while (m := _UNIT_IN_HEADER.match(text)) is not None:
        candidate = m.group("unit").removeprefix("单位:").removeprefix("单位")
        if candidate in UNITS and unit is None:
            unit = candidate
            text = m.group("base")
        else:
            break
    return text, unit


def factor(unit: str, dimension: str) -> float:
    """Conversion factor from `unit` to the canonical unit of `dimension`."""
    u = UNITS.get(normalise_text(unit))
    if u is None or u.dimension != dimension:
        known = ", ".join(n for n, x in UNITS.items() if x.dimension == dimension)
        raise ValueError(f"unit {unit!r} is not a {dimension} unit (known: {known})")
    return u.factor
