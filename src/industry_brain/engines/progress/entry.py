"""Entered plan actuals: figures the microdata cannot give (GDP shares, 数字经济, platform counts),
imported from an Excel or CSV file with their source.

A file is a batch of the `plan_actuals` source (ingest/specs/plan_actuals.yaml) loaded for one
plan through the ingest pipeline, like any department file: header found and columns placed by
meaning (指标 as id or Chinese name, 年份, 数值, 来源, optionally 地区 and 备注), errors located
(file, sheet, row, column) with codes of the catalogue, archived under its sha256, audited, and
withdrawable. The plan reaches the steps as the load's scope: its indicators, its period (the
year before the base year to the target year) and its region (of rows that name none). Official
figures load whole or not at all; a file already imported for the plan is a no-op. Loaded
figures are read from `indicator_value` (warehouse/plan_figures.py).
"""

from __future__ import annotations

from pathlib import Path

from industry_brain.engines.progress.catalog import Plan
from industry_brain.ingest.context import Scope
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.report import IngestReport
from industry_brain.workspace import Workspace

SOURCE = "plan_actuals"


def plan_scope(plan: Plan) -> Scope:
    """What the pipeline checks entered rows against: the plan's ids and names, period, region."""
    names = {i.name: i.id for i in plan.indicators} | {i.id: i.id for i in plan.indicators}
    return Scope(plan.plan, names, (plan.base_year - 1, plan.target_year), plan.region_code)


def import_entries(
    ws: Workspace, path: Path, plan: Plan, by: str | None = None, dry_run: bool = False
) -> IngestReport:
    """Validate a file of entered figures for `plan` and, unless dry_run, load it as one batch."""
    return ingest_file(ws, path, SOURCE, dry_run=dry_run, loaded_by=by, scope=plan_scope(plan))
