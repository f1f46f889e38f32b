"""Appeals end to end: the enterprise files one on its published result, the city analyst
corrects it (published as an amendment, both versions kept) or refuses; the enterprise sees
the outcome; another enterprise sees nothing of it."""

import re

from industry_brain.engines.permu.spec import load_method
from industry_brain.runs.permu import run_permu
from industry_brain.runs.store import changed_since
from industry_brain.runs.workflow import Actor, move, state
from industry_brain.web.users import add_user
from web_helpers import login

from conftest import PASSWORD


def csrf_on(web, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', web.client.get(path).text).group(1)


def published_city_run(web) -> int:
    """The city's published run (the session's first one, published here; or, when other tests
    made it stale with corrections meanwhile, a new one)."""
    con = web.city.ws.con
    runs = con.table("run").filter(lambda t: t.spec_name == "taizhou-city-2022").to_polars()
    published = [r for r in sorted(runs["run_id"]) if state(con, r) == "published"]
    if published:
        web.client.app.state.cache.invalidate()
        return int(published[-1])
    run_id = int(runs["run_id"].min())
    if changed_since(con, run_id):
        run_id = run_permu(con, load_method("taizhou-city-2022"), 2022).run_id
    if state(con, run_id) == "draft":
        move(con, run_id, "submit", Actor("city", "331000"))
        move(con, run_id, "approve", Actor("province", "330000"))
        move(con, run_id, "publish", Actor("city", "331000"))
    web.client.app.state.cache.invalidate()
    return run_id


def test_file_correct_and_see_the_amendment(web):
    run_id = published_city_run(web)
    own = web.users["enterprise"]["uscc"]
    login(web.client, "enterprise")
    page = web.client.get(f"/enterprise/{own}").text
    assert "提出申诉" in page
    token = csrf_on(web, f"/enterprise/{own}")
    data = {"csrf": token, "reason": "出租厂房已另行登记，用地面积应核减"}
    files = {"attachment": ("租赁合同.pdf", b"%PDF-1.4 test")}
    filed = web.client.post("/appeals", data=data, files=files, follow_redirects=False)
    assert filed.status_code == 303, filed.text
    mine = web.client.get(f"/enterprise/{own}").text
    link = re.search(r'href="(/appeals/\d+/attachment)">租赁合同.pdf</a>', mine).group(1)
    assert web.client.get(link).content == b"%PDF-1.4 test"
    assert "待处理" in web.client.get(f"/enterprise/{own}").text

    login(web.client, "city")
    listing = web.client.get("/appeals").text
    assert web.client.get(link).content == b"%PDF-1.4 test"  # the analyst reads it too
    appeal_id = int(re.findall(r'id="appeal-(\d+)"', listing)[0])
    decision = {"csrf": csrf_on(web, "/appeals"), "outcome": "correct", "field": "land_mu"}
    decision |= {"value": "8", "decision": "核实后用地面积按8亩计"}
    done = web.client.post(f"/appeals/{appeal_id}/decide", data=decision, follow_redirects=False)
    assert done.status_code == 303, done.text
    con = web.city.ws.con
    row = con.table("appeal").filter(lambda t: t.appeal_id == appeal_id).to_pyarrow().to_pylist()[0]
    assert row["status"] == "corrected" and row["amendment_run_id"] > run_id
    assert state(con, row["amendment_run_id"]) == "published" and state(con, run_id) == "published"
    amended_book = web.client.get(f"/runs/{row['amendment_run_id']}/workbook.xlsx")
    assert amended_book.status_code == 200  # the amendment's lists are published too

    login(web.client, "enterprise")
    mine = web.client.get(f"/enterprise/{own}").text
    assert "已更正" in mine and f"更正结果见运行 {row['amendment_run_id']}" in mine


def test_another_enterprise_sees_nothing_of_it(web):
    con = web.city.ws.con
    run_id = published_city_run(web)
    own = web.users["enterprise"]["uscc"]
    if not con.table("appeal").filter(lambda t: t.uscc == own).count().to_pyarrow().as_py():
        from industry_brain.runs.appeals import file_appeal

        file_appeal(con, run_id, own, "出租厂房已另行登记", "enterprise", None)
    other = con.table("enterprise").filter(lambda t: t.region_code == "331004")
    other_uscc = other.order_by("uscc").limit(1).to_pyarrow().to_pylist()[0]["uscc"]
    if (
        not con.table("app_user")
        .filter(lambda t: t.username == "other_firm")
        .count()
        .to_pyarrow()
        .as_py()
    ):
        add_user(con, "other_firm", PASSWORD, "enterprise", "331004", other_uscc)
    web.client.app.state.cache.invalidate()
    login(web.client, "other_firm")
    assert web.client.get("/appeals").status_code == 403
    assert web.client.get(f"/enterprise/{own}").status_code == 403
    page = web.client.get(f"/enterprise/{other_uscc}").text
    assert "出租厂房" not in page
    for appeal_id in con.table("appeal").appeal_id.to_pyarrow().to_pylist():
        assert web.client.get(f"/appeals/{appeal_id}/attachment").status_code == 404


def test_an_attachment_over_the_limit_is_refused(web, monkeypatch):
    published_city_run(web)
    monkeypatch.setitem(web.city.ws.settings, "max_attachment_mb", 0.001)
    own = web.users["enterprise"]["uscc"]
    login(web.client, "enterprise")
    data = {"csrf": csrf_on(web, f"/enterprise/{own}"), "reason": "附件过大"}
    files = {"attachment": ("扫描件.pdf", b"x" * 5000)}
    refused = web.client.post("/appeals", data=data, files=files)
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "too_large"
    assert "附件过大" not in web.client.get(f"/enterprise/{own}").text  # nothing was filed
