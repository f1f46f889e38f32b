"""Map a sheet's columns to the source spec's fields: choose the header block, place each column
by meaning, and give each number column its unit.

A column's unit comes from its own header ('营业收入（千元）'), else a parent header ('经济指标
（千元）'), else a units row under the headers, else a title or note ('单位：万元、人'), else the
spec's default. Problems that stop the file (a required column nobody can place, two columns
for one field, a unit of the wrong kind) are raised together; uncertain columns are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

from industry_brain.ingest.choice import Layout
from industry_brain.ingest.layout import SCAN_ROWS
from industry_brain.ingest.placement import Placed, Unplaced
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.spec import SourceSpec
from industry_brain.units import UNITS


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    index: int  # position in RawSheet.cells
    header: str  # the cell as written ('parent › child' when the cell names no field)
    label: str  # column letter (xlsx) or position (csv)
    unit: str | None  # unit declared in the file; None means the spec's default
    factor: float  # multiply to get the canonical unit
    part: int | str | None = None  # the month or pollutant of a wide column
    how: str = "vocabulary"  # vocabulary, similarity, saved, values, month, pollutant
    confidence: float = 1.0
    unit_from: str | None = None  # header, parent, units row, sheet (None: the default)
    path: str = ""  # every header cell above the data, 'parent › child'

    @property
    def name(self) -> str:
        """The column's name in the validation frame ('electricity_kwh@3' for March)."""
        return self.field if self.part is None else f"{self.field}@{self.part}"


@dataclass(frozen=True, slots=True)
class HeaderMap:
    row: int  # index in RawSheet.cells of the last header row
    columns: dict[str, Column]  # frame column name → column
    ignored: tuple[str, ...]  # headers no field claims (candidates for a saved mapping)
    first_data: int = -1  # index of the first row below the header block
    notices: tuple[FileProblem, ...] = ()  # warnings about the header (W304)
    unplaced: tuple[dict[str, object], ...] = ()  # every column not read, with its reason


def _unit(layout: Layout, p: Placed, dimension: str) -> tuple[str | None, str | None, bool]:
    """(unit, where it came from, the header's own unit is of another kind)."""
    parts = layout.block.parts[p.col]
    own = parts[-1].unit if parts else None
    if own is not None and UNITS[own].dimension != dimension and p.how != "pollutant":
        return own, "header", True
    found = [(q.unit, "header" if i == len(parts) - 1 else "parent") for i, q in enumerate(parts)]
    found = [*reversed(found), (layout.block.column_units.get(p.col), "units row")]
    found.append((layout.block.sheet_units.get(dimension), "sheet"))
    for unit, where in found:
        if unit is not None and UNITS[unit].dimension == dimension:
            return unit, where, False
    return None, None, False


def _column(layout: Layout, spec: SourceSpec, p: Placed, problems: list[FileProblem]) -> Column:
    field = spec.field(p.field)
    path, label = layout.block.text(p.col), layout.sheet.column_label(p.col)
    leaf = layout.block.parts[p.col][-1]
    header = leaf.text.strip() if leaf.key else path
    unit, where, factor = None, None, 1.0
    if field.type == "number" and field.dimension:  # one without is read as written
        unit, where, wrong = _unit(layout, p, field.dimension or "")
        if wrong:
            problems.append(
                FileProblem("unit-mismatch", column=header, unit=unit, dimension=field.dimension)
            )
        elif unit is not None:
            factor = UNITS[unit].factor / UNITS[field.unit or ""].factor
    return Column(
        p.field, p.col, header, label, unit, factor, p.part, p.how, p.confidence, where, path
    )


def map_columns(layout: Layout, spec: SourceSpec) -> HeaderMap:
    """Columns, units and the header's problems: raises FileProblemGroup when the file cannot
    be read as this source."""
    problems: list[FileProblem] = []
    columns = {c.name: c for c in (_column(layout, spec, p, problems) for p in layout.placed)}
    block, sheet = layout.block, layout.sheet
    notices: list[FileProblem] = []
    unplaced: list[dict[str, object]] = []
    ignored: list[str] = []
    for u in layout.unplaced:
        text = block.text(u.col)
        if not text:
            continue
        unplaced.append(
            {
                "column": sheet.column_label(u.col),
                "header": text,
                "reason": u.reason,
                "candidates": [[spec.field(n).title, c] for n, c in u.candidates],
            }
        )
        leaf = next((p.text for p in reversed(block.parts[u.col]) if p.key), text)
        if u.reason in ("unknown", "uncertain"):
            ignored.append(leaf)
        if u.reason == "uncertain":
            notices.append(
                FileProblem(
                    "column-uncertain",
                    column=text,
                    label=sheet.column_label(u.col),
                    candidates=_titles(spec, u),
                )
            )
    for a, b, name in layout.clashes:
        both = f"{block.text(a)!r} and {block.text(b)!r}"
        problems.append(FileProblem("duplicate-column", columns=both, field=name))
    placed, own = {c.field for c in columns.values()}, spec.identity
    if own not in placed:
        expected = "、".join(spec.field(k).title for k in spec.key if k != "year")
        where = sheet.sheet or sheet.file.name
        problems.append(
            FileProblem(
                "header-not-found",
                rows=SCAN_ROWS,
                sheet=where,
                source=spec.source,
                title=spec.title,
                expected=expected,
            )
        )
    for field in spec.fields if own in placed else ():
        if field.required and field.name not in placed and field.name != own:
            problems.append(_missing(layout, spec, [field.name]))
    for group in spec.require_one if own in placed else ():
        if not placed & set(group):
            problems.append(_missing(layout, spec, list(group)))
    if problems:
        raise FileProblemGroup(problems, tuple(ignored), tuple(notices))
    return HeaderMap(
        block.rows[-1], columns, tuple(ignored), block.first_data, tuple(notices), tuple(unplaced)
    )


def _missing(layout: Layout, spec: SourceSpec, names: list[str]) -> FileProblem:
    """F104 naming the headers that could not be placed, each with its best candidates."""
    near = [u for u in layout.unplaced if u.reason in ("unknown", "uncertain")]
    near = [u for u in near if layout.block.text(u.col)]
    near.sort(key=lambda u: -max((c for n, c in u.candidates if n in names), default=0.0))
    hints = [f"{layout.block.text(u.col)!r} ({_titles(spec, u) or 'no close field'})" for u in near]
    title = "或".join(spec.field(n).title for n in names)
    suggestion = f"; headers not placed: {', '.join(hints)}" if hints else ""
    return FileProblem("missing-column", field="/".join(names), title=title, suggestion=suggestion)


def _titles(spec: SourceSpec, u: Unplaced) -> str:
    return ", ".join(f"{spec.field(n).title} {conf:.2f}" for n, conf in u.candidates)


class FileProblemGroup(Exception):
    """Several file-level problems found together (all reported, not just the first)."""

    def __init__(
        self,
        problems: list[FileProblem],
        ignored: tuple[str, ...] = (),
        notices: tuple[FileProblem, ...] = (),
    ) -> None:
        self.problems = problems
        self.ignored = ignored  # headers no field claimed: candidates for a saved mapping
        self.notices = notices
        super().__init__("; ".join(p.message for p in problems))
