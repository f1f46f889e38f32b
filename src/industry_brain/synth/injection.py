"""Choose rows and put the faults of faults.py into department tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from industry_brain.synth.faults import (
    BAD_INDUSTRIES,
    BAD_REGIONS,
    KINDS,
    Injected,
    like,
    monthly,
    mutate_uscc,
    number,
    number_columns,
)
from industry_brain.synth.rng import stream
from industry_brain.synth.table import Cell, Row, Table

Apply = Callable[[Table, Row, np.random.Generator], tuple[int, Cell] | None]
DUPLICATES = ("duplicate_row", "duplicate_conflict")


def _field(table: Table, name: str) -> int | None:
    return next((j for j, c in enumerate(table.columns) if c.field == name), None)


def _uscc_fault(kind: str) -> Apply:
    def apply(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
        j = table.column("uscc")
        return j, mutate_uscc(kind, str(row.cells[j]), rng)

    return apply


def _region(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    j = _field(table, "region_code")
    if j is None:
        return None
    bad = str(rng.choice(BAD_REGIONS))
    return j, int(bad) if isinstance(row.cells[j], int) and bad.isdigit() else bad


def _industry(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    j = _field(table, "industry_code")
    return None if j is None else (j, str(rng.choice(BAD_INDUSTRIES)))


def _not_a_number(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    cols = number_columns(table, row)
    if not cols:
        return None
    j = int(rng.choice(cols))
    v = number(row.cells[j]) or 0.0
    text = f"{v:.{table.columns[j].digits}f}"
    if "0" in text and rng.random() < 0.6:
        return j, text.replace("0", "O", 1)
    return j, f"约{round(v)}"


def _impossible(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    if table.source != "statistics":
        return None
    fields = [f for f in ("revenue", "employees") if _field(table, f) is not None]  # 财务: revenue
    j = table.column(str(rng.choice(fields)))
    v = number(row.cells[j])
    if v is None:
        return None
    return j, like(table, -max(abs(v), 1.0), table.columns[j].digits)


def _unit(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    if table.source != "statistics":
        return None
    j = table.column("value_added")
    v = number(row.cells[j])
    c = table.columns[j]
    return None if v is None else (j, like(table, v * c.factor * 1e4, c.digits))  # 元


def _missing(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    cols = [] if monthly(table) else number_columns(table, row, required=True)
    if not cols:
        return None
    blank: Cell = "" if table.format == "csv" else None
    return int(rng.choice(cols)), [blank, "—", "/"][int(rng.integers(0, 3))]


def _date(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    j = _field(table, "registered_on")
    if j is None:
        return None
    v = row.cells[j]
    year = v.year if isinstance(v, dt.date) else 2015
    return j, [f"{year}-13-45", "去年", f"{year}年2月30日"][int(rng.integers(0, 3))]


def _conflict_name(table: Table, row: Row, rng: np.random.Generator) -> tuple[int, Cell] | None:
    if table.source != "statistics":
        return None
    j = table.column("name")
    name = str(row.cells[j])
    return j, "台州市" + name if rng.random() < 0.5 else name.replace("有限公司", "有限责任公司")


APPLY: dict[str, Apply] = {
    "uscc_normalised": _uscc_fault("uscc_normalised"),
    "uscc_check_digit": _uscc_fault("uscc_check_digit"),
    "uscc_format": _uscc_fault("uscc_format"),
    "unknown_region": _region,
    "unknown_industry": _industry,
    "not_a_number": _not_a_number,
    "impossible_value": _impossible,
    "unit_anomaly": _unit,
    "value_missing": _missing,
    "bad_date": _date,
    "source_conflict": _conflict_name,
}


def _applicable(kind: str, table: Table) -> bool:
    probe = {
        "unknown_region": "region_code",
        "unknown_industry": "industry_code",
        "bad_date": "registered_on",
    }
    if kind in probe:
        return _field(table, probe[kind]) is not None
    if kind == "unit_anomaly":  # in 工业增加值, which a 财务 table does not give
        return table.source == "statistics" and _field(table, "value_added") is not None
    if kind in ("impossible_value", "source_conflict"):
        return table.source == "statistics"
    if kind in ("value_missing", "duplicate_conflict") and monthly(table):
        return False
    if kind in ("not_a_number", "value_missing", "duplicate_conflict"):
        return any(c.kind == "number" and c.field is not None for c in table.columns)
    return True


def _duplicate(kind: str, table: Table, row: Row, rng: np.random.Generator) -> list[Injected]:
    copy = Row(list(row.cells), row.uscc)
    at = table.rows.index(row)
    table.rows.insert(int(rng.integers(at + 1, len(table.rows) + 1)), copy)
    if kind == "duplicate_row":
        j = table.column("uscc")
        return [Injected(kind, table, copy, j, copy.cells[j])]
    j = int(rng.choice(number_columns(table, row)))
    c = table.columns[j]
    changed = (number(row.cells[j]) or 0.0) * rng.uniform(1.05, 1.3) + 10**-c.digits
    copy.cells[j] = like(table, changed, c.digits)
    return [
        Injected(kind, table, row, j, row.cells[j]),
        Injected(kind, table, copy, j, copy.cells[j]),
    ]


def inject_table(
    table: Table, rates: dict[str, float], seed: int, avoid_usccs: set[str]
) -> list[Injected]:
    """Faults for one table; rows listed in table.inherent and total lines (table.totals) are
    left alone."""
    rng = stream(seed, "faults", table.path)
    busy = {id(r) for r, _ in table.inherent} | {id(r) for r in table.totals}
    out: list[Injected] = []
    n_rows = len(table.rows) - len(table.totals)
    for kind in KINDS:
        rate = rates.get(kind, 0.0)
        if rate <= 0 or not _applicable(kind, table):
            continue
        free = [r for r in table.rows if id(r) not in busy]
        if kind == "source_conflict":
            free = [r for r in free if r.uscc not in avoid_usccs]
        if kind == "duplicate_conflict":
            free = [r for r in free if number_columns(table, r)]
        wanted = min(int(rng.binomial(n_rows, rate)), len(free))
        for i in sorted(rng.choice(len(free), wanted, replace=False).tolist()):
            row = free[i]
            if kind in DUPLICATES:
                found = _duplicate(kind, table, row, rng)
            else:
                change = APPLY[kind](table, row, rng)
                if change is None:
                    continue
                row.cells[change[0]] = change[1]
                found = [Injected(kind, table, row, change[0], change[1])]
            out.extend(found)
            busy.update(id(f.row) for f in found)
            busy.add(id(row))
    return out


def inject(tables: list[Table], rates: dict[str, float], seed: int) -> list[Injected]:
    """Faults for all tables, the register first (source conflicts avoid its faulted codes)."""
    if not rates:
        return []
    ordered = sorted(tables, key=lambda t: (t.source != "register", t.path))
    out: list[Injected] = []
    avoid: set[str] = set()
    for table in ordered:
        found = inject_table(table, rates, seed, avoid)
        if table.source == "register":
            avoid = {f.row.uscc for f in found}
        out.extend(found)
    return out
