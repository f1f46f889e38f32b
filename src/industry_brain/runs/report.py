"""The lists of a 亩均 run held as a `PermuRun` (a part of it, for a user's region): written by
the engine's publication (engines/permu/publish.py), the same writer reports/ uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from industry_brain.engines import engine
from industry_brain.engines.permu.publish import write_lists
from industry_brain.runs.permu import PermuRun, load_permu_run
from industry_brain.runs.store import StoredRun, run_row


def publish(con: Any, run: PermuRun, path: Path) -> Path:
    """Write the run's lists at `path`; the aggregates use the figures the run used."""
    results = {"permu_score": run.scores, "permu_item": run.items, "permu_price": run.prices}
    created = run_row(con, run.run_id)["created_at"]
    stored = StoredRun(
        run.run_id, engine("permu"), run.spec, run.year, run.spec.region, run.inputs,
        run.result_sha256, results, created,
    )  # fmt: skip
    return write_lists(con, stored, path)


def load_run(con: Any, run_id: int) -> PermuRun:
    """A stored 亩均 run as the engine returned it, with the method it stored."""
    return load_permu_run(con, run_id)
