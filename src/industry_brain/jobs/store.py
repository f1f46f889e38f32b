"""The `job` table: one row per job, its state, progress, outcome and who may see it.

States: `queued` → `running` → `done` | `failed`; a job left queued or running when the server
stopped is `interrupted` at the next start (`interrupt_unfinished`); `worker` names the app
process that runs it (`jobs/workers.py`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from industry_brain.jobs import workers
from industry_brain.reference.regions import region_prefix
from industry_brain.warehouse import execute, fetch
from industry_brain.warehouse.audit import now
from industry_brain.warehouse.warehouse import Warehouse

STATES = {
    "queued": "排队中",
    "running": "进行中",
    "done": "已完成",
    "failed": "失败",
    "interrupted": "已中断",
}
FINISHED = frozenset({"done", "failed", "interrupted"})
INTERRUPTED = "服务器在任务完成前重新启动，任务已中断：请重新提交"


@dataclass(frozen=True)
class Job:
    job_id: int
    kind: str
    state: str
    progress: float
    stage: str
    owner: str
    region_code: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None
    error_code: str | None
    error_message: str | None
    worker: str | None = None  # the app process running it (`jobs/workers.py`)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def url(self) -> str | None:
        """Where the outcome is shown (the import report, the run …), once done."""
        return (self.result or {}).get("url") if self.state == "done" else None

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("job_id", "kind", "state", "progress", "stage")}
        out |= {"state_zh": STATES[self.state], "owner": self.owner, "result": self.result}
        out |= {"url": self.url, "page": f"/jobs/{self.job_id}"}
        error = {"code": self.error_code, "message": self.error_message}
        times = ("created_at", "started_at", "finished_at")
        return (
            out
            | {"error": error if self.error_code else None}
            | {k: (getattr(self, k).isoformat() if getattr(self, k) else None) for k in times}
        )


def create(
    con: Warehouse, kind: str, owner: str, region_code: str, worker: str | None = None
) -> int:
    """A new queued job; its id, the largest one plus one. App workers on PostgreSQL create
    jobs at the same time (a process's own runner serialises its job-row writes, not another
    worker's): one of two statements that computed the same id inserts nothing, and tries again
    with the id the other has taken."""
    sql = """INSERT INTO job (job_id, kind, state, progress, stage, owner, region_code,
        created_at, worker) SELECT coalesce(max(job_id), 0) + 1, ?, 'queued', 0, '排队等候',
        ?, ?, ?, ? FROM job ON CONFLICT DO NOTHING RETURNING job_id"""
    for _ in range(100):
        if made := fetch(con, sql, [kind, owner, region_code, now(), worker]):
            return int(made[0]["job_id"])
    raise RuntimeError("no job id free after 100 tries")


def start(con: Warehouse, job_id: int) -> None:
    sql = "UPDATE job SET state = 'running', stage = '开始', started_at = ? WHERE job_id = ?"
    execute(con, sql, [now(), job_id])


def advance(con: Warehouse, job_id: int, share: float, stage: str) -> None:
    """Progress: a share of the work done (0–1) and what it is doing now, in Chinese."""
    sql = "UPDATE job SET progress = ?, stage = ? WHERE job_id = ?"
    execute(con, sql, [min(max(share, 0.0), 1.0), stage[:200], job_id])


def finish(con: Warehouse, job_id: int, result: dict[str, Any]) -> None:
    sql = """UPDATE job SET state = 'done', progress = 1, stage = '完成', finished_at = ?,
        result = ? WHERE job_id = ?"""
    execute(con, sql, [now(), json.dumps(result, ensure_ascii=False, default=str), job_id])


def fail(con: Warehouse, job_id: int, code: str, message: str, state: str = "failed") -> None:
    sql = """UPDATE job SET state = ?, stage = '未完成', finished_at = ?, error_code = ?,
        error_message = ? WHERE job_id = ?"""
    execute(con, sql, [state, now(), code, message[:2000], job_id])


def interrupt_unfinished(con: Warehouse) -> int:
    """At start: jobs that a stopped app process left queued or running become `interrupted`;
    how many. Those of app workers still running beside this one are theirs to finish."""
    sql = "SELECT job_id, worker FROM job WHERE state IN ('queued', 'running')"
    found = [row["job_id"] for row in fetch(con, sql, []) if workers.gone(row["worker"])]
    for job_id in found:
        fail(con, job_id, "job_interrupted", INTERRUPTED, "interrupted")
    return len(found)


def get(con: Warehouse, job_id: int) -> Job | None:
    rows = fetch(con, "SELECT * FROM job WHERE job_id = ?", [job_id])
    if not rows:
        return None
    row = rows[0]
    row["result"] = json.loads(row["result"]) if row["result"] else None
    return Job(**row)


def visible(job: Job, username: str, role: str, region_code: str) -> bool:
    """A user sees their own jobs; a city or province analyst also those of their region."""
    if job.owner == username:
        return True
    return role in ("city", "province") and job.region_code.startswith(region_prefix(region_code))
