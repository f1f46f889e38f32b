"""The audit log page: analysts only, within their region, with filters and pages."""

from industry_brain.warehouse.audit import record
from web_helpers import login


def test_enterprises_do_not_see_the_log(web):
    login(web.client, "enterprise")
    assert web.client.get("/audit").status_code == 403


def test_a_county_sees_its_own_and_city_wide_entries_only(web):
    con = web.city.ws.con
    record(con, "t-audit", "appeal.file", "appeal", 9001, "331003", uscc="本县企业")
    record(con, "t-audit", "appeal.file", "appeal", 9002, "331004", uscc="邻县企业")
    record(con, "t-audit", "mapping.save", "header_mapping", "statistics:新表头", None)
    login(web.client, "county")  # 331003
    page = web.client.get("/audit?actor=t-audit").text
    assert "申诉 9001" in page and "表头映射 工业企业主要经济指标：新表头" in page
    assert "申诉 9002" not in page and "邻县企业" not in page
    login(web.client, "city")
    page = web.client.get("/audit?actor=t-audit").text
    assert "申诉 9001" in page and "申诉 9002" in page
    assert "哈希链校验通过" in page  # the page checks the chain


def test_filters_by_action_object_and_date(web):
    con = web.city.ws.con
    record(con, "t-filter", "run.approve", "run", 4242, "331000", note="同意")
    record(con, "t-filter", "batch.withdraw", "batch", 4242, None, reason="错")
    login(web.client, "city")
    runs = web.client.get("/audit?actor=t-filter&object_type=run&object_id=4242").text
    assert 'href="/runs/4242"' in runs and "数据批次 4242" not in runs and "说明：同意" in runs
    by_action = web.client.get("/audit?actor=t-filter&action=batch.withdraw").text
    assert "数据批次 4242" in by_action and "评价运行 4242" not in by_action
    assert "共 0 条" in web.client.get("/audit?actor=t-filter&until=2000-01-01").text
    assert web.client.get("/audit?since=not-a-date").status_code == 422


def test_the_log_is_paged(web):
    con = web.city.ws.con
    for i in range(205):
        record(con, "t-pages", "run.submit", "run", 50000 + i, "331000")
    login(web.client, "city")
    first = web.client.get("/audit?actor=t-pages").text
    assert "共 205 条，第 1/2 页" in first and "评价运行 50204" in first
    assert "评价运行 50004" not in first
    second = web.client.get("/audit?actor=t-pages&page=2").text
    assert "评价运行 50004" in second and "上一页" in second
