"""Fault injection: realistic defects put into department tables, each one recorded.

At most one fault per row (so every defect is traceable to one error), and faults are only
put into rows that the department's own data left clean. The register is done first so that
a source conflict (W302) is only planted where the register row itself is sound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from industry_brain.suggest import did_you_mean
from industry_brain.synth.errors import SynthError
from industry_brain.synth.identity import ALPHABET
from industry_brain.synth.table import Cell, Row, Table

CODES: dict[str, str] = {
    "uscc_normalised": "W301",
    "uscc_check_digit": "R203",
    "uscc_format": "R202",
    "unknown_region": "R204",
    "unknown_industry": "R205",
    "not_a_number": "R206",
    "impossible_value": "R207",
    "unit_anomaly": "R208",
    "value_missing": "R211",
    "bad_date": "R212",
    "source_conflict": "W302",
    "duplicate_row": "R209",
    "duplicate_conflict": "R210",
}
KINDS = tuple(CODES)
BAD_REGIONS = ("339999", "火星区", "331099", "台州新区")
BAD_INDUSTRIES = ("9999", "13A1", "3617", "C3617")


@dataclass
class Injected:
    kind: str
    table: Table
    row: Row
    column: int
    value: Cell

    @property
    def code(self) -> str:
        return CODES[self.kind]


def parse_rates(faults: dict[str, float] | float | None) -> dict[str, float]:
    if faults is None:
        return {}
    rates = dict.fromkeys(KINDS, float(faults)) if isinstance(faults, int | float) else dict(faults)
    for kind, rate in rates.items():
        if kind not in CODES:
            raise SynthError(f"unknown fault kind {kind!r}{did_you_mean(kind, KINDS)}")
        if not 0.0 <= rate <= 1.0:
            raise SynthError(f"fault rate of {kind} must be within [0, 1], got {rate}")
    return {k: v for k, v in rates.items() if v > 0}


_NUMBER = re.compile(r"^-?[\d,]*\.?\d+(?=元?$)")


def number(v: Cell) -> float | None:
    """A number cell's value ('1,234.5', '1,234.50元' as written), None for anything else."""
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str) and (m := _NUMBER.match(v)) is not None:
        return float(m.group().replace(",", ""))
    return None


def like(table: Table, value: float, digits: int) -> Cell:
    """A number written the way the table writes numbers (csv: text)."""
    value = round(value, digits)
    if table.format == "csv":
        return f"{value:,.{digits}f}" if table.separators else f"{value:.{digits}f}"
    return int(value) if digits == 0 else value


def number_columns(table: Table, row: Row, required: bool = False) -> list[int]:
    """The row's number cells that a field reads (not 序号, not 上年同期), with a value;
    with `required`, only a required field's own column (not a month or a pollutant)."""
    return [
        j
        for j, c in enumerate(table.columns)
        if c.kind == "number"
        and c.field is not None
        and (c.required or not required)
        and number(row.cells[j]) is not None
    ]


def monthly(table: Table) -> bool:
    """A table with one column per month: a copy with other months adds up to another year,
    and a blank month is no missing value; such faults are left out."""
    return any(isinstance(c.part, int) for c in table.columns)


def mutate_uscc(kind: str, code: str, rng: np.random.Generator) -> str:
    if kind == "uscc_check_digit":
        return code[:-1] + str(rng.choice([c for c in ALPHABET if c != code[-1]]))
    if kind == "uscc_format":
        style = int(rng.integers(0, 3))
        pos = int(rng.integers(8, 17))
        if style == 0:
            return code[:pos] + code[pos + 1 :]
        if style == 1:
            return code[:pos] + str(rng.integers(0, 10)) + code[pos:]
        return code[:pos] + str(rng.choice(list("IOSVZ"))) + code[pos + 1 :]
    spaced = (
        f"{code[:2]} {code[2:8]} {code[8:]}" if rng.random() < 0.5 else f"{code[:8]} {code[8:]}"
    )
    if any(c.isalpha() for c in code) and rng.random() < 0.6:
        return code.lower() if rng.random() < 0.5 else spaced.lower()
    return spaced
