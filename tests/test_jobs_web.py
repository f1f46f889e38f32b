"""Jobs in the browser and the API: the job page and its HTMX polling, 202 answers to API
callers, failures shown with their code and Chinese message (and nothing changed), and each
user seeing only the jobs they may see."""

from __future__ import annotations

import re
import threading

from industry_brain.web.users import add_user
from web_helpers import csrf_of, follow, login, wait_job

from conftest import PASSWORD
from helpers import STAT_HEADER, stat_row, write_xlsx


def _blocked(client, go: threading.Event) -> int:
    """A job of the signed-in city analyst that runs until `go` is set."""

    def work(ctx):
        ctx.progress(0.25, "测试阶段")
        go.wait(30)
        return {"url": "/runs"}

    return client.app.state.jobs.submit("test.block", "city", "331000", work)


def test_the_job_page_shows_progress_and_polls_until_done(city_client):
    go = threading.Event()
    job_id = _blocked(city_client, go)
    try:
        page = city_client.get(f"/jobs/{job_id}")
        assert page.status_code == 200 and "后台任务" in page.text and "测试阶段" in page.text
        assert re.search(r'<progress value="0\.250" max="1">', page.text)
        assert f'hx-get="/jobs/{job_id}"' in page.text and 'hx-trigger="every 700ms"' in page.text
        poll = city_client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"})
        assert poll.status_code == 200 and "<html" not in poll.text and "25%" in poll.text
        state = city_client.get(f"/api/jobs/{job_id}").json()
        assert (state["state"], state["progress"], state["url"]) == ("running", 0.25, None)
    finally:
        go.set()
    city_client.app.state.jobs.wait(job_id, 30)
    done = city_client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"})
    assert done.headers["HX-Redirect"] == "/runs"
    page = city_client.get(f"/jobs/{job_id}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/runs"


def test_an_api_caller_gets_202_and_a_refused_run_fails_with_its_reason(city_client, workspace):
    token = csrf_of(city_client, "/runs")
    form = {"spec": "taizhou-city-2022", "year": "2022", "csrf": token}
    answer = city_client.post("/api/permu/runs", data=form)
    assert answer.status_code == 202 and answer.headers["location"] == answer.json()["url"]
    state = wait_job(city_client, answer)
    assert state["state"] == "failed" and state["error"]["code"] == "run_refused"
    assert state["error"]["message"].startswith("评价未运行")
    assert workspace.con.table("run").count().to_pyarrow().as_py() == 0  # nothing stored
    page = city_client.get(state["page"])
    assert page.status_code == 200 and "失败" in page.text and "run_refused" in page.text
    browser = city_client.post("/api/permu/runs", data=form, headers={"accept": "text/html"})
    assert browser.status_code == 200 and browser.history[0].status_code == 303  # a form


def test_a_load_that_fails_changes_nothing_and_says_so(
    city_client, workspace, tmp_path, monkeypatch
):
    import industry_brain.ingest.load as load

    def broken(*args, **kwargs):
        raise RuntimeError("reconcile failed")

    path = write_xlsx(tmp_path / "stats.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    review = follow(
        city_client,
        city_client.post(
            "/import",
            data={"csrf": csrf_of(city_client, "/import"), "source": "statistics"},
            files=[("files", (path.name, path.read_bytes()))],
        ),
    )
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    monkeypatch.setattr(load, "reconcile", broken)  # inside the batch's transaction
    answer = city_client.post(
        f"/import/{token}/load", data={"csrf": csrf_of(city_client, "/import")}
    )
    state = wait_job(city_client, answer)
    assert state["state"] == "done"  # the job finished: the file's outcome says it failed
    result = city_client.get(state["url"]).text
    assert "未能入库" in result
    for table in ("batch", "src_statistics", "enterprise_year", "batch_error"):
        assert workspace.con.table(table).count().to_pyarrow().as_py() == 0, table
    actions = workspace.con.table("audit_log").action.to_pyarrow().to_pylist()
    assert "batch.load" not in actions


def test_a_user_sees_only_the_jobs_they_may_see(city_client, workspace):
    for name, role, region in (("hy", "county", "331003"), ("lq", "county", "331004")):
        add_user(workspace.con, name, PASSWORD, role, region)
    jobs = city_client.app.state.jobs
    job_id = jobs.submit("test.quick", "hy", "331003", lambda ctx: {"url": "/import"})
    jobs.wait(job_id, 30)
    for user, seen in (("hy", True), ("lq", False), ("city", True)):
        login(city_client, user)
        assert (city_client.get(f"/api/jobs/{job_id}").status_code == 200) is seen, user
        page = city_client.get(f"/jobs/{job_id}", follow_redirects=False)
        assert page.status_code == (303 if seen else 404), user
    assert city_client.get("/api/jobs/99999").status_code == 404
    city_client.cookies.clear()
    assert city_client.get(f"/api/jobs/{job_id}").status_code == 401
