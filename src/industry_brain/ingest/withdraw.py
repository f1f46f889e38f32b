"""Withdraw a loaded batch: it is kept (file, rows, errors) but no longer used. The warehouse
is reconciled without it at once, in the same transaction, and the withdrawal is audited. When
something rests on the batch (`dependents.py`), the withdrawal must be confirmed."""

from __future__ import annotations

from industry_brain.errors import BrainError
from industry_brain.ingest.dependents import Dependents, dependents
from industry_brain.warehouse import execute, transaction
from industry_brain.warehouse.audit import record
from industry_brain.warehouse.reconcile import reconcile
from industry_brain.warehouse.warehouse import Warehouse


class WithdrawError(BrainError, ValueError):
    code, title, status = "withdraw_refused", "批次未能撤回", 409


class NeedsConfirmation(WithdrawError):
    """Something rests on the batch: withdraw it again with `confirmed=True`."""

    code, title = "withdraw_needs_confirmation", "撤回前须确认"

    def __init__(self, batch_id: int, found: Dependents):
        super().__init__(
            f"batch {batch_id}: {found.summary()}; confirm to withdraw it",
            message=f"{found.summary()}：确认后才能撤回",
            data={"orphans": found.orphans, "batches": found.batches, "runs": found.runs},
        )
        self.dependents = found


def withdraw_batch(
    con: Warehouse, batch_id: int, actor: str, reason: str, confirmed: bool = False
) -> Dependents:
    """Withdraw an active batch; what rested on it (refused unless confirmed when anything
    does)."""
    if not reason.strip():
        raise WithdrawError("a withdrawal needs a reason")
    b = con.table("batch")
    rows = b.filter(b.batch_id == batch_id).to_pyarrow().to_pylist()
    if not rows:
        raise WithdrawError(f"no batch {batch_id}")
    if rows[0]["status"] != "active":
        raise WithdrawError(f"batch {batch_id} is {rows[0]['status']}, not active")
    source = rows[0]["source"]
    found = dependents(con, batch_id, source)
    if found.any and not confirmed:
        raise NeedsConfirmation(batch_id, found)
    detail = {"reason": reason, "source": source}
    if found.any:
        detail |= {"orphans": found.orphans, "runs": [r["run_id"] for r in found.runs]}
    with transaction(con):
        _update(con, batch_id, actor, reason)
        reconcile(con, source, batch_id)
        record(con, actor, "batch.withdraw", "batch", batch_id, None, **detail)
    return found


def _update(con: Warehouse, batch_id: int, actor: str, reason: str) -> None:
    sql = "UPDATE batch SET status = 'withdrawn', withdrawn_by = ?, withdrawn_reason = ? "
    execute(con, sql + "WHERE batch_id = ?", [actor, reason, int(batch_id)])
