"""The job table (migration 16): a job's life from queued to done or failed, what a user may
see, and jobs a stopped server left unfinished becoming interrupted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from industry_brain.jobs import store
from industry_brain.warehouse import connect, fetch


def test_a_job_goes_from_queued_to_done_with_its_progress_and_result(workspace):
    con = workspace.con
    job_id = store.create(con, "import.check", "city", "331000")
    assert store.create(con, "permu.run", "city", "331000") == job_id + 1
    job = store.get(con, job_id)
    assert job is not None and (job.state, job.progress, job.started_at) == ("queued", 0, None)
    store.start(con, job_id)
    store.advance(con, job_id, 0.4, "读取并校验第 1/2 个文件")
    job = store.get(con, job_id)
    assert (job.state, job.progress, job.stage) == ("running", 0.4, "读取并校验第 1/2 个文件")
    assert job.started_at is not None and not job.finished
    store.advance(con, job_id, 7, "越界")  # a share is kept within 0–1
    assert store.get(con, job_id).progress == 1
    store.finish(con, job_id, {"url": "/import/abc", "batches": [3]})
    done = store.get(con, job_id)
    assert done.finished and done.url == "/import/abc" and done.result["batches"] == [3]
    shown = done.to_dict()
    assert shown["state_zh"] == "已完成" and shown["error"] is None and shown["finished_at"]


def test_a_failed_job_keeps_its_code_and_chinese_message_and_no_outcome(workspace):
    con = workspace.con
    job_id = store.create(con, "permu.run", "county", "331003")
    store.start(con, job_id)
    store.fail(con, job_id, "run_refused", "评价未运行：缺少 2022 年数据")
    job = store.get(con, job_id)
    assert job.state == "failed" and job.url is None
    error = {"code": "run_refused", "message": "评价未运行：缺少 2022 年数据"}
    assert job.to_dict()["error"] == error
    assert store.get(con, job_id + 1) is None


def test_unfinished_jobs_are_interrupted_at_the_next_start(workspace):
    con = workspace.con
    queued = store.create(con, "import.load", "city", "331000")
    running = store.create(con, "permu.run", "city", "331000")
    store.start(con, running)
    done = store.create(con, "permu.publish", "city", "331000")
    store.finish(con, done, {"url": "/runs/1"})
    assert store.interrupt_unfinished(con) == 2
    states = {r["job_id"]: r for r in fetch(con, "SELECT * FROM job", [])}
    assert {states[j]["state"] for j in (queued, running)} == {"interrupted"}
    assert states[running]["error_code"] == "job_interrupted"
    assert "重新启动" in states[running]["error_message"]
    assert states[done]["state"] == "done" and store.interrupt_unfinished(con) == 0


def test_a_user_sees_their_own_jobs_and_those_above_see_their_region(workspace):
    job = store.get(workspace.con, store.create(workspace.con, "import.load", "hy", "331003"))
    assert store.visible(job, "hy", "county", "331003")
    assert not store.visible(job, "other", "county", "331003")  # a colleague's: not shown
    assert not store.visible(job, "lq", "county", "331004")
    assert store.visible(job, "city", "city", "331000")
    assert store.visible(job, "zj", "province", "330000")
    assert not store.visible(job, "wz", "city", "330300")  # another city
    assert not store.visible(job, "firm", "enterprise", "331003")


def test_app_workers_creating_jobs_at_once_get_an_id_each(postgres):
    """docs/deploy.md's workers share the job table: jobs created at the same moment on
    several connections each get their own id (two once took the same one, and the second
    request failed on job_pkey)."""
    url = postgres.new_database()
    cons = [connect(url), *(connect(url, migrate_schema=False) for _ in range(3))]

    def create_many(con):
        return [store.create(con, "permu.run", "city", "331000") for _ in range(25)]

    with ThreadPoolExecutor(len(cons)) as pool:
        made = [job_id for ids in pool.map(create_many, cons) for job_id in ids]
    assert sorted(made) == list(range(1, 101))
    for con in cons:
        con.disconnect()
