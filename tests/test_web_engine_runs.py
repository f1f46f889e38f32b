"""A plan-monitoring run in the browser: its page (the table by category, the same approval
workflow as 亩均 runs), publishing through reports/, and its file for users covering it."""

from __future__ import annotations

from industry_brain.engines import engine
from industry_brain.engines.progress.spec import monitoring_spec
from industry_brain.reports.publish import publications
from industry_brain.runs.store import create_run
from industry_brain.runs.workflow import Actor, move
from industry_brain.web.users import add_user
from web_helpers import csrf_of, wait_job


def test_a_monitoring_run_has_its_page_and_is_published_from_it(workspace, city_client):
    con = workspace.con
    run = create_run(con, engine("progress"), monitoring_spec("taizhou-14th-fyp"), 2022, "city")
    page = city_client.get(f"/runs/{run.run_id}")
    assert page.status_code == 200
    assert "规划指标监测评估" in page.text and "监测表" in page.text and "分类汇总" in page.text
    assert "提交审核" in page.text and "亩均评价" not in page.text  # not the 亩均 page
    add_user(con, "province", "correct horse battery", "province", "330000")
    move(con, run.run_id, "submit", Actor("city", "331000"))
    move(con, run.run_id, "approve", Actor("province", "330000"))
    csrf = csrf_of(city_client, f"/runs/{run.run_id}")
    done = city_client.post(
        f"/api/permu/runs/{run.run_id}/publish", data={"csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 202 and wait_job(city_client, done)["state"] == "done"
    [pub] = publications(con, run.run_id)
    assert pub["name"] == "table"
    page = city_client.get(f"/runs/{run.run_id}")
    assert "已发布" in page.text and f"/runs/{run.run_id}/files/table" in page.text
    got = city_client.get(f"/runs/{run.run_id}/files/table")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert city_client.get(f"/runs/{run.run_id}/files/lists").status_code == 404
