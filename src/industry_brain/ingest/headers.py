"""Find the header row of a sheet and map its columns to the source spec's fields.

The header row is the row, among the first rows, that names the most known headers. A column's
unit comes from its own header ('营业收入（千元）'), else from a group header above it (a merged
'经济指标（千元）'), else from the spec's default.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.spec import SourceSpec
from industry_brain.units import UNITS, find_unit, split_header

SCAN_ROWS = 20


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    index: int  # position in RawSheet.cells
    header: str  # as written in the file
    label: str  # column letter (xlsx) or position (csv)
    unit: str | None  # unit declared in the file; None means the spec's default
    factor: float  # multiply to get the canonical unit


@dataclass(frozen=True, slots=True)
class HeaderMap:
    row: int  # index in RawSheet.cells of the header row
    columns: dict[str, Column]  # field → column
    ignored: tuple[str, ...]  # headers no field claims


def _row_texts(sheet: RawSheet, index: int) -> list[str | None]:
    return [v if v is None else str(v).strip() or None for v in sheet.cells.row(index)]


def _score(texts: list[str | None], known: dict[str, str]) -> set[str]:
    return {known[split_header(t)[0]] for t in texts if t and split_header(t)[0] in known}


def find_header(sheet: RawSheet, spec: SourceSpec) -> int:
    known = spec.header_index()
    best, best_fields = -1, set[str]()
    for i in range(min(SCAN_ROWS, sheet.cells.height)):
        fields = _score(_row_texts(sheet, i), known)
        if len(fields) > len(best_fields):
            best, best_fields = i, fields
    if "uscc" not in best_fields:
        expected = "、".join(spec.field(k).title for k in spec.key if k != "year")
        raise FileProblem(
            "header-not-found",
            rows=SCAN_ROWS,
            sheet=sheet.sheet or sheet.file.name,
            source=spec.source,
            expected=expected,
        )
    return best


def _group_text(sheet: RawSheet, row: int, col: int) -> str | None:
    """The text covering (row, col): the cell itself, its merged range's anchor, or the
    nearest text to the left when the file carries no merge information (csv)."""
    texts = _row_texts(sheet, row)
    if texts[col]:
        return texts[col]
    pr, pc = row + sheet.first_row - 1, col + sheet.first_col
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= pr <= r1 and c0 <= pc <= c1:
            return texts[c0 - sheet.first_col] if c0 >= sheet.first_col else None
    if not sheet.merged:
        left = [t for t in texts[:col] if t]
        return left[-1] if left else None
    return None


def _inherited_unit(sheet: RawSheet, header_row: int, col: int) -> str | None:
    for row in range(header_row - 1, -1, -1):
        text = _group_text(sheet, row, col)
        if text and (unit := find_unit(text)):
            return unit
    return None


def map_columns(sheet: RawSheet, spec: SourceSpec, header_row: int) -> HeaderMap:
    known = spec.header_index()
    columns: dict[str, Column] = {}
    ignored: list[str] = []
    problems: list[FileProblem] = []
    reported: set[str] = set()  # fields whose column has a problem of its own
    for col, text in enumerate(_row_texts(sheet, header_row)):
        if not text:
            continue
        base, unit = split_header(text)
        name = known.get(base)
        if name is None:
            ignored.append(text)
            continue
        field = spec.field(name)
        if name in columns:
            both = f"{columns[name].header!r} and {text!r}"
            problems.append(FileProblem("duplicate-column", columns=both, field=name))
            continue
        factor = 1.0
        if field.type == "number":
            unit = unit or _inherited_unit(sheet, header_row, col)
            declared = UNITS[unit] if unit else UNITS[field.unit or ""]
            if declared.dimension != field.dimension:
                problems.append(
                    FileProblem("unit-mismatch", column=text, unit=unit, dimension=field.dimension)
                )
                reported.add(name)
                continue
            factor = declared.factor / UNITS[field.unit or ""].factor
        columns[name] = Column(name, col, text, sheet.column_label(col), unit, factor)
    for field in spec.fields:
        if field.required and field.name not in columns and field.name not in reported:
            problems.append(
                FileProblem(
                    "missing-column",
                    field=field.name,
                    title=field.title,
                    suggestion=_suggest(field.header_keys, ignored),
                )
            )
    if problems:
        raise FileProblemGroup(problems, tuple(ignored))
    return HeaderMap(header_row, columns, tuple(ignored))


def _suggest(wanted: tuple[str, ...], present: list[str]) -> str:
    best, best_ratio = None, 0.5
    for text in present:
        base = split_header(text)[0]
        for key in wanted:
            ratio = difflib.SequenceMatcher(None, key, base).ratio()
            if ratio > best_ratio:
                best, best_ratio = text, ratio
    return f"; closest header in the file: {best!r}" if best else ""


class FileProblemGroup(Exception):
    """Several file-level problems found together (all reported, not just the first)."""

    def __init__(self, problems: list[FileProblem], ignored: tuple[str, ...] = ()) -> None:
        self.problems = problems
        self.ignored = ignored  # headers no field claimed: candidates for a saved mapping
        super().__init__("; ".join(p.message for p in problems))
