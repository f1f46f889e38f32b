"""The job runner: work runs in a thread on a cursor of its own, reports progress, ends done or
failed with a stable code and a Chinese message; changes are made one job at a time; database-
free work runs in a worker process, whose crash fails the job, not the server."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator

import pytest

from industry_brain.jobs import store
from industry_brain.jobs.pool import WorkerPool
from industry_brain.jobs.runner import AlreadyRunning, JobContext, JobError, Runner


@pytest.fixture
def runner(workspace) -> Iterator[Runner]:
    found = Runner(workspace)
    yield found
    found.close()


def _finished(runner: Runner, job_id: int) -> store.Job:
    assert runner.wait(job_id, 60), f"job {job_id} did not finish"
    job = runner.get(job_id)
    assert job is not None
    return job


def test_work_runs_off_the_calling_thread_and_its_progress_shows(runner):
    seen: dict[str, object] = {}
    go = threading.Event()

    def work(ctx: JobContext) -> dict[str, object]:
        seen["thread"] = threading.current_thread().name
        ctx.progress(0.5, "计算中")
        go.wait(10)
        seen["regions"] = ctx.ws.con.table("region").count().to_pyarrow().as_py()
        return {"url": "/runs/7", "run_id": 7}

    job_id = runner.submit("permu.run", "city", "331000", work)
    for _ in range(200):
        if runner.get(job_id).progress == 0.5:
            break
        time.sleep(0.01)
    running = runner.get(job_id)
    assert (running.state, running.stage) == ("running", "计算中")
    go.set()
    done = _finished(runner, job_id)
    assert done.state == "done" and done.url == "/runs/7" and done.result["run_id"] == 7
    assert seen["thread"].startswith("job") and seen["regions"] > 100


def test_a_refusal_and_a_crash_are_recorded_as_failures(runner):
    def refused(ctx: JobContext) -> dict[str, object]:
        raise JobError("run_refused", "评价未运行：缺少数据")

    def broken(ctx: JobContext) -> dict[str, object]:
        raise RuntimeError("a bug")

    first = _finished(runner, runner.submit("permu.run", "city", "331000", refused))
    assert (first.state, first.error_code, first.error_message) == (
        "failed",
        "run_refused",
        "评价未运行：缺少数据",
    )
    second = _finished(runner, runner.submit("permu.run", "city", "331000", broken))
    assert second.state == "failed" and second.error_code == "job_failed"
    assert "内部错误" in second.error_message and "a bug" not in second.error_message


def test_changes_are_made_one_job_at_a_time(runner):
    spans: list[tuple[float, float]] = []

    def change(ctx: JobContext) -> dict[str, object]:
        with ctx.writing():
            started = time.monotonic()
            time.sleep(0.3)
            spans.append((started, time.monotonic()))
        return {}

    jobs = [runner.submit("import.load", "city", "331000", change) for _ in range(3)]
    for job_id in jobs:
        assert _finished(runner, job_id).state == "done"
    spans.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans


def test_the_same_work_is_not_started_twice_while_it_runs(runner):
    go = threading.Event()
    first = runner.submit("permu.run", "city", "331000", lambda ctx: {"ok": go.wait(10)}, "k")
    with pytest.raises(AlreadyRunning) as refused:
        runner.submit("permu.run", "province", "330000", lambda ctx: {}, "k")
    assert refused.value.job_id == first
    go.set()
    _finished(runner, first)
    again = runner.submit("permu.run", "city", "331000", lambda ctx: {}, "k")
    assert _finished(runner, again).state == "done"


def test_jobs_left_unfinished_by_a_stopped_server_are_interrupted(workspace):
    con = workspace.con
    queued = store.create(con, "import.load", "city", "331000")
    running = store.create(con, "permu.run", "city", "331000")
    store.start(con, running)
    restarted = Runner(workspace)
    try:
        assert restarted.interrupted == 2
        assert {restarted.get(j).state for j in (queued, running)} == {"interrupted"}
        assert restarted.get(running).to_dict()["error"]["code"] == "job_interrupted"
    finally:
        restarted.close()


def test_database_free_work_runs_in_a_worker_process_and_a_crash_fails_the_job_only(workspace):
    pool = WorkerPool(workers=1, idle_seconds=5)
    runner = Runner(workspace, pool=pool)
    try:
        job = runner.submit(
            "import.check", "city", "331000", lambda c: {"pid": c.in_worker(os.getpid)}
        )
        done = _finished(runner, job)
        assert done.state == "done" and done.result["pid"] != os.getpid()
        crash = runner.submit(
            "import.check", "city", "331000", lambda c: {"x": c.in_worker(os._exit, 3)}
        )
        failed = _finished(runner, crash)
        assert (failed.state, failed.error_code) == ("failed", "worker_crashed")
        assert "工作进程" in failed.error_message
        after = runner.submit(
            "import.check", "city", "331000", lambda c: {"pid": c.in_worker(os.getpid)}
        )
        assert _finished(runner, after).state == "done"  # a new worker took over
    finally:
        runner.close()
        pool.close()
