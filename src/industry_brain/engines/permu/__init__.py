"""亩均效益综合评价 (per-mu evaluation): declarative method specs and the scoring engine.

`ENGINE` (engines/permu/contract.py) is built on first use, so that reading a spec does not
import the engine's query builder."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "ENGINE":
        from industry_brain.engines.permu.contract import PermuEngine

        return PermuEngine()
    raise AttributeError(name)
