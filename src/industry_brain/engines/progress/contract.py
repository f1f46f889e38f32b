"""Plan monitoring behind the engine contract (engines/base.py): a run stores the monitoring
table (one row per indicator), the actual series it rested on and the plan-level remarks.

A run rests on the enterprise data of its year and on every batch of figures entered for its
plan (`scoped_source`: their scope is the plan, the spec's name), so figures entered or
withdrawn after it make it stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.engines.base import (
    Engine,
    Migration,
    Publication,
    ResultTable,
    Run,
    Tables,
)
from industry_brain.engines.progress import spec as specs
from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.assess import ORIGIN_LABELS
from industry_brain.engines.progress.catalog import plan_names
from industry_brain.engines.progress.compare import compare
from industry_brain.engines.progress.monitor import monitor
from industry_brain.engines.progress.tables import STATUS_SCHEMA, create_tables
from industry_brain.warehouse.warehouse import Warehouse

ACTUAL_SCHEMA = {
    "indicator": pl.Utf8, "year": pl.Int32, "value": pl.Float64, "origin": pl.Utf8,
    "source": pl.Utf8, "note": pl.Utf8,
}  # fmt: skip


def _workbook_name(run: Run) -> str:
    return f"规划监测_{run.spec.plan_name}_{run.year}_run{run.run_id}.xlsx"


def _write_workbook(con: Warehouse, run: Run, path: Path) -> None:
    from industry_brain.engines.progress.workbook import write_stored

    write_stored(path, run.spec, run.year, run.results)


class ProgressEngine(Engine):
    name = "progress"
    title = "规划指标监测评估"
    reads = ("enterprise_year", "enterprise", "indicator_value")
    scoped_source = "plan_actuals"
    results = (
        ResultTable("progress_status", ("seq",)),
        ResultTable("progress_actual", ("indicator", "year")),
        ResultTable("progress_note", ("seq",)),
    )
    migrations = (Migration(1, "monitoring runs: status, actuals and remarks", create_tables),)
    publishes = (Publication("table", "规划监测表", _workbook_name, _write_workbook),)
    compared = "progress_status"  # what-if: indicators whose status or verdict would change
    # No appeals: a county that contests a figure enters the corrected figure for the plan,
    # which makes the run stale; the next run uses it.

    def packaged(self) -> list[str]:
        return plan_names()

    def load_spec(self, name: str) -> specs.MonitoringSpec:
        return specs.monitoring_spec(name)

    def read_spec(self, text: str, origin: str) -> specs.MonitoringSpec:
        return specs.read_spec(text, origin)

    def spec_text(self, spec: specs.MonitoringSpec) -> str:
        return specs.spec_text(spec)

    def evaluate(
        self, tables: Tables, spec: specs.MonitoringSpec, year: int
    ) -> dict[str, pl.DataFrame]:
        actuals = plan_actuals(tables, spec.plan)
        m = monitor(tables, spec.plan, year, spec.stage, spec.method, actuals)
        rows = [
            {k: r.get(k) for k in STATUS_SCHEMA} | {"seq": n, "stage": m.stage}
            for n, r in enumerate(m.rows(), 1)
        ]
        for row, a in zip(rows, m.assessments, strict=True):
            row["verdict_key"] = a.verdict
        series = [
            {"indicator": i, "year": y, "value": a.value, "origin": a.origin,
             "source": a.source, "note": a.note}
            for i, years in sorted(actuals.series.items()) for y, a in sorted(years.items())
        ]  # fmt: skip
        notes = [{"seq": n, "note": text} for n, text in enumerate(m.notes, 1)]
        return {
            "progress_status": pl.DataFrame(rows, schema=STATUS_SCHEMA),
            "progress_actual": pl.DataFrame(series, schema=ACTUAL_SCHEMA),
            "progress_note": pl.DataFrame(notes, schema={"seq": pl.Int32, "note": pl.Utf8}),
        }

    def compare(
        self, before: pl.DataFrame, after: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        return compare(before, after)

    def explain(
        self, con: Warehouse, run_id: int, spec: specs.MonitoringSpec, entity: str
    ) -> dict[str, Any] | None:
        """An indicator's line in the run, with the actual values it rested on."""
        t = con.table("progress_status")
        rows = t.filter((t.run_id == run_id) & (t.indicator == entity)).to_polars()
        if rows.height == 0:
            return None
        a = con.table("progress_actual")
        series = a.filter((a.run_id == run_id) & (a.indicator == entity)).order_by("year")
        lines = [
            r | {"origin": ORIGIN_LABELS[r["origin"]]}
            for r in series.drop("run_id").to_polars().to_dicts()
        ]
        return rows.drop("run_id").to_dicts()[0] | {"plan_title": spec.title, "items": lines}
