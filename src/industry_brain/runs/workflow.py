"""Approval of evaluation runs, as DHIS2 approves up the region tree.

A stored run starts as `draft`. An analyst whose region covers the run's region submits it
(`submitted`); an analyst of a region strictly above it — never the submitter — approves it
(`approved`) or sends it back (`draft`, with a reason); an analyst covering the region publishes
the approved run (`published`), which freezes it. Every step is appended to `run_state` and to
the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from industry_brain.errors import BrainError
from industry_brain.reference.regions import contains
from industry_brain.runs.store import changed_since
from industry_brain.warehouse import fetch, transaction
from industry_brain.warehouse.audit import now, record
from industry_brain.warehouse.warehouse import Warehouse

STATES = {"draft": "草稿", "submitted": "待审核", "approved": "已审核", "published": "已发布"}
MOVES = {  # action → (from, to)
    "submit": ("draft", "submitted"),
    "approve": ("submitted", "approved"),
    "reject": ("submitted", "draft"),
    "publish": ("approved", "published"),
}


class WorkflowError(BrainError, ValueError):
    code, title, status = "workflow_refused", "评价批次当前状态不允许此操作", 409


class NotAllowed(WorkflowError):
    """The actor's region may not make this move on the run (whatever its state)."""

    code, title, status = "workflow_forbidden", "无权对该评价批次进行此操作", 403


@dataclass(frozen=True, slots=True)
class Actor:
    username: str
    region_code: str  # the region the analyst's role covers


def history(con: Warehouse, run_id: int) -> pl.DataFrame:
    t = con.table("run_state")
    return t.filter(t.run_id == run_id).order_by("seq").to_polars()


def state(con: Warehouse, run_id: int) -> str:
    found = history(con, run_id)
    return str(found["state"][-1]) if found.height else "draft"


def states(con: Warehouse) -> dict[int, str]:
    """The state of every run that has moved (one query; a run not listed is a draft)."""
    sql = """SELECT s.run_id, s.state FROM run_state s JOIN (SELECT run_id, max(seq) AS seq
        FROM run_state GROUP BY run_id) last USING (run_id, seq)"""
    return {int(r["run_id"]): r["state"] for r in fetch(con, sql, [])}


def _run_region(con: Warehouse, run_id: int) -> str:
    t = con.table("run")
    rows = t.filter(t.run_id == run_id).select("region_code").to_pyarrow().to_pylist()
    if not rows:
        raise WorkflowError(f"no run {run_id}")
    return str(rows[0]["region_code"])


def _check(con: Warehouse, run_id: int, action: str, actor: Actor, region: str) -> None:
    """Who may move the run (NotAllowed), then whether its state allows it (WorkflowError)."""
    _may(con, run_id, action, actor, region)
    before, _ = MOVES[action]
    current = state(con, run_id)
    if current != before:
        raise WorkflowError(f"run {run_id} is {current}; {action} needs it {before}")
    if action != "reject" and (why := changed_since(con, run_id)):
        raise WorkflowError(f"{why}: run the evaluation again and submit the new run")
    if action == "approve":
        submitter = history(con, run_id).filter(pl.col("state") == "submitted")["actor"]
        if submitter.len() and submitter[-1] == actor.username:
            raise WorkflowError("the submitter cannot approve their own submission")


def _may(con: Warehouse, run_id: int, action: str, actor: Actor, region: str) -> None:
    """Approving and sending back are for a region above the run's; submitting and publishing
    for a region that covers it."""
    above = actor.region_code != region and contains(actor.region_code, region)
    if action == "approve" and not above:
        raise NotAllowed(
            f"run {run_id} ({region}) must be approved from a region above it, "
            f"not by {actor.username} ({actor.region_code})"
        )
    if action == "reject" and not above:
        raise NotAllowed(f"only a region above {region} can send run {run_id} back")
    if action in ("submit", "publish") and not contains(actor.region_code, region):
        raise NotAllowed(f"{actor.username} ({actor.region_code}) does not cover {region}")


def move(con: Warehouse, run_id: int, action: str, actor: Actor, note: str | None = None) -> str:
    """Apply a workflow action; returns the new state. Errors say why the move is refused."""
    if action not in MOVES:
        raise WorkflowError(f"unknown action {action!r}; one of {', '.join(MOVES)}")
    if action == "reject" and not (note and note.strip()):
        raise WorkflowError("sending a run back needs a reason")
    region = _run_region(con, run_id)
    _check(con, run_id, action, actor, region)
    after = MOVES[action][1]
    seq = history(con, run_id).height + 1
    row = {
        "run_id": run_id,
        "seq": seq,
        "state": after,
        "actor": actor.username,
        "created_at": now(),
    }
    with transaction(con):
        frame = pl.DataFrame([row | {"note": note}], schema_overrides={"note": pl.Utf8})
        con.insert("run_state", frame)
        record(con, actor.username, f"run.{action}", "run", run_id, region, state=after, note=note)
    return after
