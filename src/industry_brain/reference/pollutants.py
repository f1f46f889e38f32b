"""Pollution equivalent values (污染当量值) of the 环境保护税法 附表二, and a header matcher.

污染当量数 = 排放量(kg) / 污染当量值(kg). See ``data/PROVENANCE.md`` for the sources.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

_CSV = "data/pollutant_equivalents.csv"
MEDIA = ("water", "air")
# Applied after NFKC (which already folds （）and most subscripts): other brackets and dashes.
_FOLD = str.maketrans("〔〕[]【】₂₃ₓ‐‑–—", "()()()23x----")
_UNITS = {"t", "吨", "万吨", "kg", "千克", "公斤", "g", "克", "mg", "毫克", "t/a", "吨/年", "kg/a"}
_TRAILING = re.compile(r"\(([^()]*)\)$")


@dataclass(frozen=True, slots=True)
class Pollutant:
    """One pollutant. ``pev_kg`` is None for pollutants the law's tables do not list."""

    code: str
    name: str
    medium: str
    pev_kg: float | None
    main: bool
    aliases: tuple[str, ...]


def normalise(text: str) -> str:
    """Fold a header or cell text: NFKC, brackets alike, no whitespace, lower case, no unit."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD)
    key = re.sub(r"\s+", "", folded).lower()
    while (unit := _TRAILING.search(key)) and unit.group(1) in _UNITS:
        key = key[: unit.start()]
    return key


@functools.cache
def pollutants() -> tuple[Pollutant, ...]:
    """The bundled table: 61 water and 44 air rows of the law, plus 3 without a value; cached."""
    text = resources.files("industry_brain.reference").joinpath(_CSV).read_text("utf-8")
    rows = tuple(
        Pollutant(
            code=row["code"],
            name=row["name"],
            medium=row["medium"],
            pev_kg=float(row["pev_kg"]) if row["pev_kg"] else None,
            main=row["main"] == "true",
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
        for row in csv.DictReader(io.StringIO(text, newline=""))
    )
    if len({p.code for p in rows}) != len(rows) or any(p.medium not in MEDIA for p in rows):
        raise ValueError(f"{_CSV}: duplicate code or unknown medium")
    return rows


@functools.cache
def _index() -> dict[str, tuple[Pollutant, ...]]:
    index: dict[str, tuple[Pollutant, ...]] = {}
    for p in pollutants():
        for key in {normalise(t) for t in (p.code, p.name, *p.aliases)}:
            index[key] = (*index.get(key, ()), p)
    return index


def find_pollutant(text: str, medium: str | None = None) -> Pollutant | None:
    """The pollutant a header or cell names, matched on code, name or alias; None if unknown.

    A few names are in both tables (苯, 甲醛, 氟化物, …): pass ``medium`` for those.
    """
    found = [p for p in _index().get(normalise(text), ()) if medium in (None, p.medium)]
    return found[0] if len(found) == 1 else None
