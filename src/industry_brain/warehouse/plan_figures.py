"""Entered plan figures in force: `indicator_value`, the table the monitoring engine reads.

Since migration 18 figures are entered as batches of the `plan_actuals` source, through the
ingest pipeline like every department file: the rows in `src_plan_actuals`, the plan they were
entered for in `batch.scope`. `indicator_value` is derived from the batches: reconciling a batch
puts its figures there (with the batch, the source given, the file and the row) while it is
active, and takes them out once it is withdrawn or superseded. Figures entered before migration
18 have no batch and stay as they were. One derived table rather than the engine reading the
batches keeps old and new figures in one place, ordered by `entry_id` (the latest entry of an
indicator, region and year is the one used).
"""

from __future__ import annotations

from industry_brain.warehouse.connect import execute, fetch
from industry_brain.warehouse.warehouse import Warehouse

DERIVE = """INSERT INTO indicator_value (entry_id, plan, indicator, region_code, year, value,
    source, note, file_name, file_sha256, "row", entered_by, entered_at, batch_id)
SELECT ? + row_number() OVER (ORDER BY s.row_number), b.scope, s.indicator, s.region_code,
    s.year, s.value, s.source, s.note, b.file_name, b.sha256, s.row_number, b.loaded_by,
    b.loaded_at, s.batch_id
FROM src_plan_actuals s JOIN batch b ON b.batch_id = s.batch_id
WHERE s.batch_id = ? AND b.status = 'active'"""


def reconcile_plan_figures(con: Warehouse, batch_id: int) -> None:
    """Bring the batch's figures in `indicator_value` up to date (inside its transaction)."""
    execute(con, "DELETE FROM indicator_value WHERE batch_id = ?", [int(batch_id)])
    last = fetch(con, "SELECT max(entry_id) AS last FROM indicator_value", [])[0]["last"]
    execute(con, DERIVE, [int(last or 0), int(batch_id)])


def reconcile_plan_batches(con: Warehouse, batch_ids: list[int] | None) -> None:
    """The figures of each batch (none without batches: figures entered before migration 18
    have no batch to rebuild them from, so a full rebuild leaves the table as it is)."""
    for batch_id in batch_ids or []:
        reconcile_plan_figures(con, batch_id)
