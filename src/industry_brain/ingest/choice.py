"""Which sheet and header block of a file to read: the one whose columns place best (a 说明
sheet before the data, a title taken for a header, a header row among several candidates);
the first complete one wins."""

from __future__ import annotations

from dataclasses import dataclass

from industry_brain.ingest.layout import Block, blocks
from industry_brain.ingest.placement import Placed, Unplaced, place
from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.spec import SourceSpec

SAMPLE = 50  # rows under the header whose values confirm a column's placement


@dataclass(frozen=True, slots=True)
class Layout:
    sheet: RawSheet
    block: Block
    placed: list[Placed]
    unplaced: list[Unplaced]
    clashes: list[tuple[int, int, str]]

    def fields(self) -> set[str]:
        return {p.field for p in self.placed}

    def rank(self, spec: SourceSpec) -> tuple[int, ...]:
        got = self.fields()
        required = sum(f.required and f.name in got for f in spec.fields)
        return (spec.identity in got, required, len(got), self.block.detected, -len(self.clashes))

    def complete(self, spec: SourceSpec) -> bool:
        got = self.fields()
        return all(f.name in got for f in spec.fields if f.required) and not self.clashes


def _values(sheet: RawSheet, block: Block) -> list[list[str]]:
    body = sheet.cells.slice(block.first_data, SAMPLE)
    return [[str(v).strip() for v in body.get_column(c).drop_nulls()] for c in body.columns]


def layout_of(sheet: RawSheet, block: Block, spec: SourceSpec, year: int | None) -> Layout:
    placed, unplaced, clashes = place(spec, list(block.parts), _values(sheet, block), year)
    return Layout(sheet, block, placed, unplaced, clashes)


def best_layout(sheets: list[RawSheet], spec: SourceSpec, year: int | None) -> Layout | None:
    """The sheet and header block whose columns place best; the first complete one wins."""
    best: Layout | None = None
    for detected in (True, False):
        for sheet in sheets:
            for block in blocks(sheet):
                if block.detected != detected:
                    continue
                found = layout_of(sheet, block, spec, year)
                if found.complete(spec):
                    return found
                if best is None or found.rank(spec) > best.rank(spec):
                    best = found
    return best
