"""Signing in and the pages: overview, drill-down, filter, Excel export, enterprise, monitoring."""

import time

import fastexcel

from web_helpers import login, logout


def test_login_sets_a_secure_httponly_session_and_rejects_a_wrong_password(web):
    bad = login(web.client, "city", "wrong password")
    assert bad.status_code == 303 and "failed=1" in bad.headers["location"]
    ok = login(web.client, "city")
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    logout(web.client)
    page = web.client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_overview_shows_plan_indicators_grades_and_the_map(web):
    login(web.client, "city")
    page = web.client.get("/").text
    assert "台州市 制造业驾驶舱" in page and 'id="map"' in page
    assert "规模以上工业亩均增加值" in page and "亩均评价" in page
    figures = web.client.get("/api/regions/331000/map?indicator=tax_per_mu").json()
    assert len(figures["children"]) == 9 and all(c["value"] for c in figures["children"])
    shapes = web.client.get("/api/geo/331000").json()["features"]
    assert {f["properties"]["name"] for f in shapes} == {c["name"] for c in figures["children"]}


def test_drill_down_filter_and_export(web):
    login(web.client, "city")
    county = web.client.get("/region/331003").text
    assert "黄岩区" in county and "/region/331003101" in county  # its parks
    park = web.client.get("/region/331003101")
    assert park.status_code == 200
    rows = web.client.get("/region/331003?q=有限", headers={"hx-request": "true"}).text
    assert 'id="enterprise-rows"' in rows and "<html" not in rows  # the list alone
    export = web.client.get("/region/331003/export.xlsx")
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = fastexcel.read_excel(export.content).load_sheet(0).to_polars()
    assert sheet.columns[:2] == ["统一社会信用代码", "企业名称"] and sheet.height > 10
    assert set(sheet["区县"].to_list()) == {"黄岩区"}  # names, not codes
    assert set(sheet["规上"].to_list()) <= {"是", "否", None}


def test_enterprise_sees_its_own_profile_with_the_breakdown(web):
    own = web.users["enterprise"]["uscc"]
    response = login(web.client, "enterprise")
    assert response.headers["location"] == f"/enterprise/{own}"
    page = web.client.get(f"/enterprise/{own}").text
    assert own in page and "历年主要指标" in page and "亩均效益评价" in page
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_monitoring_page(web):
    login(web.client, "city")
    page = web.client.get("/monitoring/taizhou-14th-fyp").text
    assert (
        "台州市制造业高质量发展" in page and "规模以上工业总产值" in page and 'id="series"' in page
    )


def test_run_page_with_leaders_and_what_if(web):
    login(web.client, "city")
    run_id = web.client.get("/api/permu/runs").json()[0]["run_id"]
    page = web.client.get(f"/runs/{run_id}?spec=taizhou-wenling-quotas").text
    assert "领跑者" in page and "方法调整影响分析" in page and "档次变化" in page
    scores = web.client.get(f"/api/permu/runs/{run_id}/scores?grade=A&limit=5000").json()
    assert scores["count"] > 0 and {s["grade"] for s in scores["scores"]} == {"A"}
    by_division = web.client.get(f"/api/permu/runs/{run_id}/scores?division=34").json()
    assert all(s["industry_code"].startswith("34") for s in by_division["scores"])
    whatif = web.client.get(f"/api/permu/runs/{run_id}/whatif?spec=taizhou-wenling-quotas").json()
    assert whatif["summary"] and {"changed", "up", "down"} <= set(whatif["summary"][0])


def test_county_sees_a_city_run_only_for_its_county(web):
    login(web.client, "county")
    run_id = web.client.get("/api/permu/runs").json()[0]["run_id"]
    rows = web.client.get(f"/api/permu/runs/{run_id}/scores?limit=5000").json()["scores"]
    assert rows and {r["region_code"][:6] for r in rows} == {"331003"}
    assert web.client.get(f"/api/permu/runs/{run_id}/scores?region=331004").status_code == 403


def test_an_appeal_shows_on_the_enterprise_page(web):
    from industry_brain.engines.permu.overrides import add_override

    own = web.users["enterprise"]["uscc"]
    reason = "用地面积核减（出租部分，页面测试）"
    add_override(web.city.ws.con, 2022, own, reason, "analyst", field="land_mu", value=10.0)
    time.sleep(0.6)  # written by another process (the CLI): visible within half a second
    login(web.client, "enterprise")
    page = web.client.get(f"/enterprise/{own}").text
    assert "申诉与复核" in page and reason in page


def test_region_codes_are_shown_as_names():
    from industry_brain.web.format import region_name

    assert region_name("331003") == "黄岩区"
    assert region_name("331003101") == "黄岩区"  # a park: its county
    assert (region_name("999999"), region_name(None)) == ("999999", "")


def test_the_what_if_form_asked_with_htmx_gets_only_the_panel_table(web):
    login(web.client, "city")
    run_id = web.client.get("/api/permu/runs").json()[0]["run_id"]
    url = f"/runs/{run_id}?spec=taizhou-wenling-quotas"
    part = web.client.get(url, headers={"HX-Request": "true"}).text
    assert 'data-spec="taizhou-wenling-quotas"' in part and "档次变化" in part
    assert "领跑者" not in part and "<html" not in part
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    whole = web.client.get(url, headers=restore).text
    assert "领跑者" in whole and 'data-spec="taizhou-wenling-quotas"' in whole
    missing = web.client.get(f"/runs/{run_id}?spec=nonesuch", headers={"HX-Request": "true"})
    assert missing.status_code == 404
