"""规划监测 in the browser (web/plans.py): the menu entry, the plans a region can see, the plan
and year selectors, the legend and footnotes, and importing a plan's indicator table."""

from __future__ import annotations

import re

from industry_brain.warehouse import fetch
from web_helpers import csrf_of, login

from conftest import PASSWORD
from helpers import write_xlsx

HEADER = ["类别", "指标", "单位", "基期值", "目标值", "属性", "备注"]
GOOD = [
    HEADER,
    ["规模效益", "规模以上工业总产值", "亿元", "5269", "10000（力争12000）", "预期性", None],
    [None, "规上企业数", "家", "4100*", ">6000", "预期性", "含新升规"],
    ["创新驱动", "数字经济核心产业增加值增速", "%", "—", "8%左右", "预期性", None],
    ["绿色发展", "单位工业增加值能耗降幅", "%", "—", "[15]", "约束性", None],
]


def _import(client, path, **form):
    """Post the import form with a file; the answer, not followed."""
    token = csrf_of(client, "/monitoring/import")
    data = {"csrf": token, "title": "黄岩区制造业“十四五”规划", "region": "331003"}
    data |= {"base_year": "2020", "target_year": "2025"} | form
    files = {"file": (path.name, path.read_bytes())}
    return client.post("/monitoring/import", data=data, files=files, follow_redirects=False)


def test_the_menu_has_plan_monitoring_for_analysts(web):
    login(web.client, "county")
    page = web.client.get("/").text
    assert re.search(r'<a href="/monitoring"[^>]*>规划监测</a>', page)


def test_the_plans_page_lists_the_plans_in_the_users_region(web):
    login(web.client, "city")
    page = web.client.get("/monitoring").text
    assert "台州市制造业高质量发展“十四五”规划" in page
    assert 'href="/monitoring/taizhou-14th-fyp"' in page
    assert "2020—2025年" in page and "台州市" in page
    assert "wenzhou-2.0-2022" not in page and "zhejiang-14th-fyp" not in page  # outside the city
    login(web.client, "province")
    page = web.client.get("/monitoring").text
    assert "/monitoring/zhejiang-14th-fyp" in page and "/monitoring/wenzhou-2.0-2022" in page
    login(web.client, "county")  # no plan of its own yet: told how to add one
    page = web.client.get("/monitoring").text
    assert "/monitoring/taizhou-14th-fyp" not in page and "导入本地区规划的指标表" in page


def test_the_plan_picker_leads_to_a_plan_in_scope_only(web):
    login(web.client, "city")
    moved = web.client.get("/monitoring?plan=taizhou-action-2020-2025", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == "/monitoring/taizhou-action-2020-2025"
    assert web.client.get("/monitoring?plan=wenzhou-2.0-2022").status_code == 404


def test_the_year_selector_changes_the_year_shown(web):
    login(web.client, "city")
    latest = web.client.get("/monitoring/taizhou-14th-fyp").text
    assert "<small>2022年 · 年度监测</small>" in latest  # the latest year with data
    assert '<option value="2021">2021年</option>' in latest
    assert '<option value="2022" selected>2022年</option>' in latest
    earlier = web.client.get("/monitoring/taizhou-14th-fyp?year=2021").text
    assert "<small>2021年 · 年度监测</small>" in earlier
    assert '<option value="2021" selected>2021年</option>' in earlier
    none = web.client.get("/monitoring/taizhou-14th-fyp?year=2012").text
    assert "2012年没有该规划指标的实际值，显示2022年" in none


def test_the_legend_explains_each_column_status_and_footnote(web):
    login(web.client, "city")
    page = web.client.get("/monitoring/taizhou-14th-fyp").text
    legend = page[page.index("表中各列的含义") :]
    for column in ("基期", "目标", "实际值", "取得方式", "进度（R）", "状态", "说明", "趋势"):
        assert f"<dt>{column}</dt>" in legend, column
    for status in ("已达标", "进展顺利", "需加快", "进展缓慢", "逆向变化", "无法自动评估"):
        assert f">{status}</span>：" in legend, status
    assert "R ≥ 0.95" in legend
    assert "<th>R</th>" not in page and "进度（R）</abbr></th>" in page
    assert "1.86*" in page  # the marker, and the line saying what it means
    assert "注：* 基期值为2019年数值（规划编制时2020年数据尚未公布）" in page
    assert page.count("*为2019年数值") == 0  # the plan's own note is not repeated


def test_importing_a_good_table_stores_a_plan_that_is_listed_and_opens(
    city_client, workspace, tmp_path
):
    path = write_xlsx(tmp_path / "黄岩规划.xlsx", GOOD)
    answer = _import(city_client, path)
    assert answer.status_code == 303, answer.text[:500]
    preview = city_client.get(answer.headers["location"]).text
    assert "全部 4 项指标均已读取：1 项由企业数据计算，3 项需录入实际值" in preview
    assert "不低于 6000" in preview and "目标值 10000，力争 12000" in preview
    assert "4100（2019年）" in preview  # the * baseline: the year before the base year
    assert "越低越好" in preview and "期内累计 15" in preview
    assert not (workspace.path / "plans").exists()  # nothing stored before the confirmation
    token = answer.headers["location"].rsplit("/", 1)[-1]
    csrf = csrf_of(city_client, answer.headers["location"])
    stored = city_client.post(
        f"/monitoring/import/{token}", data={"csrf": csrf}, follow_redirects=False
    )
    assert stored.status_code == 303
    assert stored.headers["location"] == "/monitoring/331003-2020-2025?imported=1"
    assert (workspace.path / "plans" / "331003-2020-2025.yaml").is_file()
    listed = city_client.get("/monitoring").text
    assert 'href="/monitoring/331003-2020-2025"' in listed and "本地区导入" in listed
    page = city_client.get(stored.headers["location"]).text
    assert "黄岩区制造业“十四五”规划" in page and "规划指标表已保存" in page
    assert "规模以上工业总产值" in page and "[ ] 内为规划期内累计数" in page
    assert "注：* 基期值为2019年数值" in page
    api = city_client.get("/api/monitoring/331003-2020-2025").json()
    assert api["title"] == "黄岩区制造业“十四五”规划" and len(api["rows"]) == 4
    audit = fetch(workspace.con, "SELECT * FROM audit_log WHERE action = 'plan.import'", [])
    assert [(a["actor"], a["object_id"], a["region_code"]) for a in audit] == [
        ("city", "331003-2020-2025", "331003")
    ]
    again = city_client.post(f"/monitoring/import/{token}", data={"csrf": csrf})
    assert again.status_code == 404  # the draft is gone once stored


def test_an_unreadable_target_is_reported_by_row_and_cell_and_nothing_is_stored(
    city_client, workspace, tmp_path
):
    rows = [*GOOD[:2], [None, "工业投资", "亿元", "约五百", "2025年达到5000亿元", "预期", None]]
    answer = _import(city_client, write_xlsx(tmp_path / "有误.xlsx", rows))
    assert answer.status_code == 303
    preview = city_client.get(answer.headers["location"]).text
    assert "有 2 处无法读取，规划未保存" in preview
    problems = preview[preview.index('<ol class="problems">') :]
    target = r"第3行 · 单元格 E3（目标值）</b> “2025年达到5000亿元”<br>[^<]*<code[^>]*>"
    target += "target_unreadable"
    assert re.search(target, problems)
    assert re.search(r"第3行 · 单元格 D3（基期值）</b> “约五百”.*baseline_unreadable", problems)
    assert "含多个数值（2025、5000亿）" in problems
    assert "保存规划" not in preview
    token = answer.headers["location"].rsplit("/", 1)[-1]
    csrf = csrf_of(city_client, answer.headers["location"])
    refused = city_client.post(f"/monitoring/import/{token}", data={"csrf": csrf})
    assert refused.status_code == 409
    assert not (workspace.path / "plans").exists()


def test_a_table_without_the_columns_a_plan_needs_is_refused(city_client, tmp_path):
    path = write_xlsx(tmp_path / "缺列.xlsx", [["指标", "目标值"], ["规上企业数", ">6000"]])
    preview = city_client.get(_import(city_client, path).headers["location"]).text
    assert "plan_table_invalid" in preview and "表头缺少“单位”“基期值”“属性”列" in preview


def test_a_file_that_is_not_a_workbook_is_refused(city_client, tmp_path):
    fake = tmp_path / "伪装.xlsx"
    fake.write_bytes(b"not a zip at all")
    preview = city_client.get(_import(city_client, fake).headers["location"]).text
    assert "plan_table_invalid" in preview and "F101" in preview
    text = tmp_path / "规划.txt"
    text.write_text("指标,单位", "utf-8")
    answer = _import(city_client, text)
    assert answer.status_code == 422 and "请上传 Excel 表格" in answer.text


def test_a_county_cannot_import_a_city_plan(city_client, workspace, tmp_path):
    from industry_brain.web.users import add_user

    add_user(workspace.con, "huangyan", PASSWORD, "county", "331003")
    login(city_client, "huangyan")
    path = write_xlsx(tmp_path / "市规划.xlsx", GOOD)
    form = city_client.get("/monitoring/import").text
    assert '<option value="331000"' not in form  # only its county is offered
    assert _import(city_client, path, region="331000").status_code == 403
    assert not (workspace.path / "plans").exists()
    own = _import(city_client, path)  # its own county's plan: read
    assert own.status_code == 303


def test_a_draft_is_its_uploaders_only(city_client, workspace, tmp_path):
    from industry_brain.web.users import add_user

    answer = _import(city_client, write_xlsx(tmp_path / "规划.xlsx", GOOD))
    add_user(workspace.con, "city2", PASSWORD, "city", "331000")
    login(city_client, "city2")
    assert city_client.get(answer.headers["location"]).status_code == 404
