"""Plan monitoring: the plans' target tables, actuals (computed or entered), progress status,
projections and verdicts. `ENGINE` (engines/progress/contract.py) is built on first use."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "ENGINE":
        from industry_brain.engines.progress.contract import ProgressEngine

        return ProgressEngine()
    raise AttributeError(name)
