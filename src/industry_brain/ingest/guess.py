"""Which source a department file is: each spec's share of fields found in the best header row.

Shown to the analyst with its confidence, who confirms or picks another source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from industry_brain.ingest.headers import SCAN_ROWS, _row_texts, _score
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import read_file
from industry_brain.ingest.spec import all_specs


@dataclass(frozen=True, slots=True)
class Guess:
    source: str
    title: str
    confidence: float  # share of the source's fields whose header was found
    fields: int


def guess_source(path: Path) -> list[Guess]:
    """Every source, most likely first; empty when the file cannot be read."""
    try:
        sheets = read_file(path)
    except FileProblem:
        return []
    guesses = []
    for spec in all_specs():
        known = spec.header_index()
        best = 0
        for sheet in sheets[:3]:
            for i in range(min(SCAN_ROWS, sheet.cells.height)):
                best = max(best, len(_score(_row_texts(sheet, i), known)))
        share = best / len(spec.fields)
        guesses.append(Guess(spec.source, spec.title, round(share, 2), best))
    return sorted(guesses, key=lambda g: (-g.confidence, -g.fields, g.source))
