"""The evaluation workflow in the browser's terms: run, submit, approve at the city, publish
(the Excel lists), all audited; a county cannot approve its own county's run; batches withdrawn
from the batch page."""

import re

import fastexcel

from web_helpers import login, wait_job


def csrf(web, path: str) -> str:
    page = web.client.get(path).text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def post(web, path: str, page: str, **data):
    return web.client.post(path, data={"csrf": csrf(web, page), **data}, follow_redirects=False)


def test_run_submit_approve_publish(web):
    login(web.client, "city")
    made = post(web, "/api/permu/runs", "/runs", spec="taizhou-huangyan-2022", year="2022")
    assert made.status_code == 202, made.text  # a job: its outcome is the run
    job = wait_job(web.client, made)
    run = job["result"]["run_id"]
    assert job["state"] == "done" and job["url"] == f"/runs/{run}"
    login(web.client, "county")  # Huangyan's analyst submits its county's run
    assert post(web, f"/api/permu/runs/{run}/submit", f"/runs/{run}").status_code == 303
    refused = post(web, f"/api/permu/runs/{run}/approve", f"/runs/{run}")
    assert refused.status_code == 403 and "above" in refused.json()["error"]["message"]
    login(web.client, "city")
    assert post(web, f"/api/permu/runs/{run}/approve", f"/runs/{run}").status_code == 303
    published = post(web, f"/api/permu/runs/{run}/publish", f"/runs/{run}")
    assert published.status_code == 202 and wait_job(web.client, published)["state"] == "done"
    page = web.client.get(f"/runs/{run}").text
    assert "已发布" in page and "下载发布名单" in page
    book = web.client.get(f"/runs/{run}/workbook.xlsx")
    assert book.status_code == 200
    assert "汇总" in fastexcel.read_excel(book.content).sheet_names
    frozen = post(web, f"/api/permu/runs/{run}/submit", f"/runs/{run}")
    assert frozen.status_code == 409
    log = web.client.get("/audit?action=run.approve").text
    # approved by the city analyst
    assert f'href="/runs/{run}"' in log and '<td class="data">city</td>' in log


def test_forged_or_missing_csrf_is_refused(web):
    login(web.client, "city")
    response = web.client.post("/api/permu/runs", data={"spec": "x", "year": "2022"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "csrf_failed"


def test_batches_page_lists_who_loaded_what(web):
    login(web.client, "city")
    page = web.client.get("/batches").text
    assert "数据批次" in page and "工业企业主要经济指标" in page and "撤回" in page
    login(web.client, "county")
    assert "撤回理由" not in web.client.get("/batches").text


def test_a_county_downloads_only_its_part_of_a_published_city_run(web):
    from industry_brain.engines.permu.spec import load_method
    from industry_brain.runs.permu import run_permu
    from industry_brain.runs.workflow import Actor, move

    con = web.city.ws.con
    run = run_permu(con, load_method("taizhou-city-2022"), 2022, "city").run_id
    move(con, run, "submit", Actor("city", "331000"))
    move(con, run, "approve", Actor("province", "330000"))
    login(web.client, "city")
    published = post(web, f"/api/permu/runs/{run}/publish", f"/runs/{run}")
    assert wait_job(web.client, published)["state"] == "done"
    whole = fastexcel.read_excel(web.client.get(f"/runs/{run}/workbook.xlsx").content)
    assert {"黄岩区", "路桥区"} <= set(whole.sheet_names)
    login(web.client, "county")
    part = fastexcel.read_excel(web.client.get(f"/runs/{run}/workbook.xlsx").content)
    assert "黄岩区" in part.sheet_names and "路桥区" not in part.sheet_names
    listed = part.load_sheet("黄岩区").to_polars()["统一社会信用代码"].to_list()
    regions = con.table("enterprise").filter(lambda e: e.uscc.isin(listed)).region_code
    assert listed and set(regions.to_pyarrow().to_pylist()) == {"331003"}
    login(web.client, "enterprise")
    assert web.client.get(f"/runs/{run}/workbook.xlsx").status_code == 403
