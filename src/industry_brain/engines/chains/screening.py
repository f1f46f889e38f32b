"""The screening every result of a run reads: the purchases, their screened shares, the
concentration per input and the flags, each computed once into a table kept for the run
(kept.py) instead of by every query that reads it."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.concentration import concentration, screened
from industry_brain.engines.chains.flags import flags
from industry_brain.engines.chains.kept import kept
from industry_brain.engines.chains.purchases import purchases
from industry_brain.engines.chains.spec import RiskSpec


@dataclass(frozen=True)
class Screening:
    purchases: Table
    screened: Table
    concentration: Table
    flags: Table


def screening(tables: Tables, spec: RiskSpec, year: int, keep: ExitStack) -> Screening:
    """The run's screening; its tables are dropped when `keep` closes."""
    p = keep.enter_context(kept(purchases(tables, spec, year)))
    s = keep.enter_context(kept(screened(p, spec)))
    c = keep.enter_context(kept(concentration(s)))
    return Screening(p, s, c, keep.enter_context(kept(flags(s, c, spec))))
