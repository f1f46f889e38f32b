"""亩均 runs as the 亩均 pages, appeals and workbook see them: the generic stored run
(runs/store.py) with its three result tables named."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from industry_brain.engines import engine
from industry_brain.engines.permu.results import SCORE_COLUMNS
from industry_brain.engines.permu.spec import MethodSpec
from industry_brain.runs.store import (
    RunError,
    StoredRun,
    changed_since,
    create_run,
    inputs_of,
    load_run,
)
from industry_brain.warehouse.warehouse import Warehouse

__all__ = ["SCORE_COLUMNS", "PermuRun", "RunError", "changed_since", "inputs_of", "run_permu"]


@dataclass
class PermuRun:
    run_id: int
    spec: MethodSpec
    year: int
    inputs: list[int]
    result_sha256: str
    scores: pl.DataFrame  # one row per enterprise (SCORE_COLUMNS)
    items: pl.DataFrame  # one row per enterprise and indicator: value, benchmark, score
    prices: pl.DataFrame  # differentiated prices: uscc, resource, title, unit, surcharge

    @classmethod
    def of(cls, run: StoredRun) -> PermuRun:
        r = run.results
        return cls(
            run.run_id, run.spec, run.year, run.inputs, run.result_sha256,
            r["permu_score"].select(SCORE_COLUMNS), r["permu_item"], r["permu_price"],
        )  # fmt: skip


def run_permu(con: Warehouse, spec: MethodSpec, year: int, author: str | None = None) -> PermuRun:
    return PermuRun.of(create_run(con, engine("permu"), spec, year, author))


def load_permu_run(con: Warehouse, run_id: int) -> PermuRun:
    run = load_run(con, run_id)
    if run.engine.name != "permu":
        raise RunError(f"run {run_id} is not a 亩均 run")
    return PermuRun.of(run)
