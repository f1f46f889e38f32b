"""The header's search (issue 14, web/search.py, web/search_queries.py): enterprises by part of
their name or 统一社会信用代码 (any case), regions by name, indicators by name, only within the
user's scope; hostile input is cut, cleaned and shown escaped; the results page reads as
Chinese and fits a phone (Playwright, the system Chromium)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from industry_brain.web import queries
from industry_brain.web.scope import Scope
from industry_brain.web.search_queries import MAX_LENGTH, clean, find_enterprises
from web_helpers import login

from conftest import PASSWORD


def listed(web: Any, region: str) -> list[dict[str, Any]]:
    """Enterprises of the latest year's list in a county, by code."""
    con = web.city.ws.con
    year = queries.latest_year(con)
    sql = (
        "SELECT e.uscc, e.name FROM enterprise e JOIN enterprise_year y "
        "ON y.uscc = e.uscc AND y.year = ? WHERE e.region_code = ? ORDER BY e.uscc"
    )
    return list(con.fetch(sql, [year, region]))


def search(web: Any, user: str, q: str, **params: str) -> str:
    login(web.client, user)
    answer = web.client.get("/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text[:300]
    return answer.text


def test_part_of_a_name_finds_the_enterprise(web):
    e = listed(web, "331003")[0]
    part = e["name"][2:-2]  # without the place in front and 公司 at the end
    page = search(web, "city", part)
    assert f'href="/enterprise/{e["uscc"]}"' in page
    assert "企业 <small>共" in page


def test_a_lower_case_part_of_a_code_finds_the_enterprise(web):
    e = next(r for r in listed(web, "331003") if re.search("[A-Z]", r["uscc"][6:]))
    page = search(web, "county", e["uscc"][6:].lower())
    assert f'href="/enterprise/{e["uscc"]}"' in page
    whole = search(web, "county", e["uscc"].lower())
    assert f'href="/enterprise/{e["uscc"]}"' in whole


def test_a_county_name_finds_the_region(web):
    page = search(web, "city", "黄岩")
    assert 'href="/region/331003"' in page
    assert "<mark>黄岩</mark>区" in page
    assert page.index('aria-label="地区"') < page.index('aria-label="企业"')  # regions first


def test_an_indicator_name_finds_the_indicator(web):
    page = search(web, "city", "亩均税收")
    assert 'href="/?indicator=tax_per_mu#map"' in page
    assert 'href="/monitoring/taizhou-14th-fyp#tax_per_mu"' in page  # the plan's, for the city
    rd = search(web, "city", "R&D 投入强度")
    assert 'href="/monitoring/taizhou-14th-fyp#rd_intensity"' in rd
    county = search(web, "county", "亩均税收")  # the city's plan is beyond a county's scope
    assert 'href="/?indicator=tax_per_mu#map"' in county
    assert "/monitoring/" not in county


def test_the_map_and_the_monitoring_page_open_the_indicator_found(web):
    login(web.client, "city")
    overview = web.client.get("/?indicator=rd_intensity").text
    assert '<option value="rd_intensity" selected>' in overview
    monitoring = web.client.get("/monitoring/taizhou-14th-fyp").text
    assert '<tr id="rd_intensity">' in monitoring


def test_a_county_user_never_finds_another_countys_enterprise(web):
    other = listed(web, "331004")[0]
    for q in (other["name"], other["uscc"], other["uscc"].lower()):
        page = search(web, "county", q)
        assert f"/enterprise/{other['uscc']}" not in page
        if q != other["name"]:  # a whole code: nothing else matches it
            assert "企业 <small>" not in page and "没有找到" in page
    assert f"/enterprise/{other['uscc']}" in search(web, "other_county", other["name"])
    assert 'href="/region/331004"' not in search(web, "county", "路桥")


def test_an_enterprise_user_gets_no_search(web):
    login(web.client, "enterprise")
    for params in ({"q": "黄岩"}, {"q": "黄岩", "partial": "1"}):
        answer = web.client.get("/search", params=params)
        assert answer.status_code == 403
        assert 'href="/region/' not in answer.text and "/enterprise/9" not in answer.text
    assert (
        'action="/search"'
        not in web.client.get(f"/enterprise/{web.users['enterprise']['uscc']}").text
    )
    assert 'action="/search"' in search(web, "city", "")  # analysts have the box in the header


@pytest.mark.parametrize("q", ["%", "_", "%%", "__", "_%_"])
def test_percent_and_underscore_are_plain_characters(web, q):
    page = search(web, "city", q)
    assert "企业 <small>" not in page
    assert "没有找到" in page
    year = queries.latest_year(web.city.ws.con) or 0
    found = find_enterprises(web.city.ws.con, Scope("city", "city", "331000"), q, year)
    assert found["total"] == 0


def test_a_long_query_is_cut_with_a_chinese_message(web):
    page = search(web, "city", "黄" * (MAX_LENGTH + 1))
    assert f"搜索词过长，只按前 {MAX_LENGTH} 个字搜索" in page
    assert f"“{'黄' * MAX_LENGTH}”" in page and "黄" * (MAX_LENGTH + 1) not in page
    assert "搜索词过长" not in search(web, "city", "黄" * MAX_LENGTH)
    assert search(web, "city", "黄" * 5000)  # a very long one is cut too, not refused with a 500


def test_control_characters_are_dropped_and_output_is_escaped(web):
    assert clean("黄\x00岩\u200b\x1b[31m") == ("黄岩[31m", False)
    assert clean("  黄岩 \t 区 ") == ("黄岩 区", False)
    page = search(web, "city", '<script>alert("x")</script>')
    assert "<script>alert" not in page
    assert "“&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;”" in page
    assert web.client.get("/search", params={"q": "黄\x00岩"}).status_code in (200, 400, 422)


def test_the_suggestions_are_a_fragment_of_the_first_results(web):
    part = search(web, "city", "黄岩", partial="1")
    assert "<html" not in part and "<header" not in part
    assert 'href="/region/331003"' in part
    assert 'href="/search?q=%E9%BB%84%E5%B2%A9"' in part  # 查看全部结果
    assert part.count('href="/enterprise/') <= 5
    assert search(web, "city", "", partial="1").strip() == ""


def test_an_empty_query_explains_what_may_be_searched(web):
    page = search(web, "city", "")
    assert "在页首搜索框输入企业名称" in page


# ── in the browser ──────────────────────────────────────────────────────────────────────────


def signed_in(browser: Any, server: str, width: int, height: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.mark.skipif(
    os.environ.get("IB_TEST_BACKEND") == "postgres", reason="pages are checked on DuckDB"
)
@pytest.mark.parametrize("size", [(390, 844), (1440, 900)], ids=["phone", "desktop"])
def test_the_results_read_as_chinese_and_fit_the_screen(browser, live_server, size):
    from test_web_look import VISIBLE, faults

    page = signed_in(browser, live_server, *size)
    try:
        for q in ("黄岩", "亩均", "无此企业", "%"):
            page.goto(f"{live_server}/search?q={q}")
            page.wait_for_load_state("networkidle")
            width = "phone" if size[0] < 600 else "desktop"
            found = faults(page.evaluate(VISIBLE), width)
            assert not found, f"{q}: " + "; ".join(found)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= size[0], f"{q}: the page is {wide} px wide at {size[0]} px"
        # the header's box: typed in, its suggestions drop down (HTMX) and stay on the screen
        page.goto(f"{live_server}/")
        page.fill("#search-q", "黄岩")
        link = page.wait_for_selector("#search-suggest a[href='/region/331003']")
        assert link is not None
        box = page.eval_on_selector("#search-suggest", "e => e.getBoundingClientRect().toJSON()")
        assert box["left"] >= 0 and box["right"] <= size[0] + 0.5, box
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        page.keyboard.press("Escape")
        assert page.inner_html("#search-suggest") == ""
        # without JavaScript's help: the form is submitted as a plain GET
        page.fill("#search-q", "亩均税收")
        page.press("#search-q", "Enter")
        page.wait_for_url(re.compile(r"/search\?q="))
        assert page.locator("main a[href='/?indicator=tax_per_mu#map']").count() >= 1
    finally:
        page.close()
