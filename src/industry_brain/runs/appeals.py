"""Appeals against a published run of any engine that takes them (`Engine.appeals`): a
subject (for 亩均, an enterprise) contests its result; an analyst corrects or refuses.

A correction is recorded by the engine (for 亩均, an override of a figure or a grade) and applied
by a new run of the same spec (the one stored with the appealed run) and year, published at
once as an amendment of the appealed run: both versions are kept, and the amendment's state
history names the appeal. Every step is audited. The appeal table's `uscc` column holds the
subject's key.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from industry_brain.engines import engine as engine_named
from industry_brain.engines.base import Appeals, Engine
from industry_brain.errors import BrainError
from industry_brain.runs.spec_store import stored_spec
from industry_brain.runs.store import create_run
from industry_brain.runs.workflow import state
from industry_brain.warehouse import execute, transaction
from industry_brain.warehouse.audit import now, record
from industry_brain.warehouse.warehouse import Warehouse

STATUS = {"open": "待处理", "corrected": "已更正", "refused": "不予更正"}
SCHEMA: dict[str, Any] = {"attachment": pl.Utf8, "decision": pl.Utf8, "decided_by": pl.Utf8}
SCHEMA |= {"decided_at": pl.Datetime("us"), "override_id": pl.Int32, "amendment_run_id": pl.Int32}


class AppealError(BrainError, ValueError):
    code, title, status = "appeal_refused", "申诉未被受理", 409


def _run(con: Warehouse, run_id: int) -> tuple[dict[str, Any], Engine, Appeals]:
    """The run's row, its engine and how that engine takes appeals (refused when it does not)."""
    rows = con.table("run").filter(lambda t: t.run_id == run_id).to_pyarrow().to_pylist()
    if not rows:
        raise AppealError(f"no run {run_id}")
    found = engine_named(rows[0]["engine"])
    if found.appeals is None:
        raise AppealError(f"run {run_id}: {found.title} results are not appealed")
    return dict(rows[0]), found, found.appeals


def file_appeal(
    con: Warehouse, run_id: int, uscc: str, reason: str, by: str, attachment: str | None = None
) -> int:
    """An enterprise's appeal against its result in a published run."""
    if not reason.strip():
        raise AppealError("an appeal needs a reason")
    _, _, takes = _run(con, run_id)
    if state(con, run_id) != "published":
        raise AppealError(f"run {run_id} is not published; only published results are appealed")
    results = con.table(takes.table)
    mine = results.filter((results.run_id == run_id) & (results[takes.key] == uscc))
    if not mine.count().to_pyarrow().as_py():
        raise AppealError(f"{uscc} has no result in run {run_id}")
    t = con.table("appeal")
    open_one = t.filter((t.run_id == run_id) & (t.uscc == uscc) & (t.status == "open"))
    if open_one.count().to_pyarrow().as_py():
        raise AppealError(f"{uscc} already has an open appeal on run {run_id}: one at a time")
    appeal_id = int(t.appeal_id.max().to_pyarrow().as_py() or 0) + 1
    row = {"appeal_id": appeal_id, "run_id": run_id, "uscc": uscc, "reason": reason}
    row |= {"attachment": attachment, "filed_by": by, "filed_at": now(), "status": "open"}
    row |= {k: None for k in ("decision", "decided_by", "decided_at", "override_id")}
    row |= {"amendment_run_id": None}
    with transaction(con):
        con.insert("appeal", pl.DataFrame([row], schema_overrides=SCHEMA))
        where = _region(con, uscc)
        record(con, by, "appeal.file", "appeal", appeal_id, where, uscc=uscc, run_id=run_id)
    return appeal_id


def _region(con: Warehouse, uscc: str) -> str | None:
    """The enterprise's county: its appeal is seen in that county's audit log, not others'."""
    e = con.table("enterprise")
    found = e.filter(e.uscc == uscc).region_code.to_pyarrow().to_pylist()
    return found[0] if found else None


def appeal(con: Warehouse, appeal_id: int) -> dict[str, Any]:
    rows = con.table("appeal").filter(lambda t: t.appeal_id == appeal_id).to_pyarrow().to_pylist()
    if not rows:
        raise AppealError(f"no appeal {appeal_id}")
    return dict(rows[0])


def _decide(con: Warehouse, appeal_id: int, values: dict[str, Any]) -> None:
    """Record the decision (and its time) on the appeal."""
    sets = ", ".join(f"{k} = ?" for k in values)
    sql = f"UPDATE appeal SET {sets}, decided_at = ? WHERE appeal_id = ?"
    execute(con, sql, [*values.values(), now(), int(appeal_id)])


def refuse(con: Warehouse, appeal_id: int, by: str, decision: str) -> None:
    found = appeal(con, appeal_id)
    if found["status"] != "open" or not decision.strip():
        raise AppealError("only an open appeal is decided, and a refusal needs its reason")
    with transaction(con):
        _decide(con, appeal_id, {"status": "refused", "decision": decision, "decided_by": by})
        where = _region(con, found["uscc"])
        record(con, by, "appeal.refuse", "appeal", appeal_id, where, decision=decision)


def correct(
    con: Warehouse, appeal_id: int, by: str, decision: str,
    field: str | None = None, value: float | None = None, grade: str | None = None,
) -> int:  # fmt: skip
    """Record the correction, run the method again and publish the amendment; its run id."""
    found = appeal(con, appeal_id)
    if found["status"] != "open" or not decision.strip():
        raise AppealError("only an open appeal is decided, and a correction needs its reason")
    run, engine, takes = _run(con, found["run_id"])
    spec = stored_spec(con, run["run_id"])  # before anything is written
    given = {"field": field, "value": value, "grade": grade}
    correction = {k: v for k, v in given.items() if v is not None}
    with transaction(con):  # the correction, the new run and its publication: one change
        override_id = takes.record(con, run["year"], found["uscc"], decision, by, **correction)
        amended = create_run(con, engine, spec, run["year"], by)
        note = f"更正发布：申诉{appeal_id}，替代运行{run['run_id']}"
        row: dict[str, Any] = {"run_id": amended.run_id, "seq": 1, "state": "published"}
        row |= {"actor": by, "created_at": now(), "note": note}
        con.insert("run_state", pl.DataFrame([row]))
        values: dict[str, Any] = {"status": "corrected", "decision": decision, "decided_by": by}
        values |= {"override_id": override_id, "amendment_run_id": amended.run_id}
        _decide(con, appeal_id, values)
        where = _region(con, found["uscc"])
        record(con, by, "appeal.correct", "appeal", appeal_id, where, note=note)
    return amended.run_id
