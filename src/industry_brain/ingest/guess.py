"""Which source a department file is: each spec's share of fields placed in its best layout.

Shown to the analyst with its confidence, who confirms or picks another source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from industry_brain.ingest.choice import SAMPLE, best_layout
from industry_brain.ingest.layout import SCAN_ROWS
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import read_file
from industry_brain.ingest.spec import all_specs
from industry_brain.ingest.unpacked import DEFAULT_LIMIT_MB

ROWS = SCAN_ROWS + SAMPLE  # a header among the first rows, the values under it: all it reads


@dataclass(frozen=True, slots=True)
class Guess:
    source: str
    title: str
    confidence: float  # share of the source's fields whose column was placed
    fields: int


def guess_source(path: Path, max_unpacked_mb: float = DEFAULT_LIMIT_MB) -> list[Guess]:
    """Every source of enterprise data, most likely first (figures entered for a plan are
    imported for it, not guessed); empty when the file cannot be read (or is refused)."""
    try:
        sheets = read_file(path, max_unpacked_mb=max_unpacked_mb, rows=ROWS)[:3]
    except FileProblem:
        return []
    guesses = []
    for spec in (s for s in all_specs() if s.scope is None):
        layout = best_layout(sheets, spec, None)
        got = layout.fields() if layout else set()
        found, required = len(got), sum(f.required for f in spec.fields)
        placed = sum(f.required and f.name in got for f in spec.fields)
        share = (found / len(spec.fields) + placed / required) / 2 if required else 0.0
        guesses.append(Guess(spec.source, spec.title, round(share, 2), found))
    return sorted(guesses, key=lambda g: (-g.confidence, -g.fields, g.source))
