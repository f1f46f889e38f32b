"""Lists a page at a time (web/paging.py): parsing a page from the query, sorting, counting,
the links; and on the pages: the region's enterprise list (count, pages, sort, totals, export as
on screen, scope), batches, the audit log, appeals, a run's scores, an upload's problems."""

from __future__ import annotations

import re
from urllib.parse import unquote

import fastexcel
import polars as pl
import pytest

from industry_brain.web.errors import ApiError
from industry_brain.web.paging import Listing, of_frame, of_rows
from web_helpers import login

LISTING = Listing(
    sorts=(("id", "编号"), ("name", "名称"), ("value", "数值")),
    default_sort="id",
    default_order="desc",
    size=10,
    max_size=100,
    filters=("q",),
    tiebreak=("id",),
)
ROWS = [
    {"id": i, "name": f"企业{i % 7}", "value": None if i % 5 == 0 else i % 9} for i in range(1, 38)
]


def test_a_page_is_parsed_with_defaults_and_keeps_its_filters():
    page = LISTING.page(filters={"q": "有限", "other": ""}, path="/x")
    assert (page.number, page.size, page.sort, page.order) == (1, 10, "id", "desc")
    assert page.filters == (("q", "有限"),) and page.offset == 0
    assert page.query(page=3) == "q=%E6%9C%89%E9%99%90&sort=id&order=desc&page=3"
    assert LISTING.page(sort="name").order == "asc"  # another column: ascending first
    assert hash(page) == hash(LISTING.page(filters={"q": "有限"}, path="/x"))  # a cache key


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"sort": "password"}, ["不能按「password」排序", "name（名称）"]),
        ({"order": "sideways"}, ["排序方向", "asc"]),
        ({"size": 101}, ["每页条数须在 1 到 100 之间"]),
        ({"size": 0}, ["每页条数"]),
        ({"number": 0}, ["页码须在"]),
    ],
)
def test_bad_values_are_a_422_in_chinese(kwargs, words):
    with pytest.raises(ApiError) as raised:
        LISTING.page(**kwargs)
    assert raised.value.status == 422
    assert all(w in str(raised.value) for w in words), str(raised.value)


def test_rows_are_sorted_with_missing_values_last_both_ways_and_pages_do_not_overlap():
    up = of_rows(ROWS, LISTING.page(sort="value", order="asc", size=100)).rows
    down = of_rows(ROWS, LISTING.page(sort="value", order="desc", size=100)).rows
    for rows, reverse in ((up, False), (down, True)):
        values = [r["value"] for r in rows]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=reverse) and values[len(present) :] == [None] * 7
    pages = [of_rows(ROWS, LISTING.page(n, sort="value")).rows for n in (1, 2, 3, 4)]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in up]  # tie-break: the id
    frame = of_frame(pl.DataFrame(ROWS), LISTING.page(2, sort="value", order="desc"))
    assert frame.rows == down[10:20] and frame.total == 37


def test_a_page_beyond_the_end_is_the_last_page():
    found = of_rows(ROWS, LISTING.page(99))
    assert found.page.number == 4 and found.pages == 4
    assert [r["id"] for r in found.rows] == [7, 6, 5, 4, 3, 2, 1]
    assert (found.first, found.last) == (31, 37)
    empty = of_rows([], LISTING.page(5))
    assert empty.page.number == 1 and empty.pages == 1 and empty.rows == [] and empty.first == 0


def test_links_keep_filters_and_flip_the_order_of_the_sorted_column():
    found = of_rows(ROWS, LISTING.page(3, filters={"q": "企业"}, path="/list"))
    assert found.sort_href("id") == "/list?q=%E4%BC%81%E4%B8%9A&sort=id&order=asc"
    assert found.sort_href("name").endswith("sort=name&order=asc")
    assert found.page_href(1) == "/list?q=%E4%BC%81%E4%B8%9A&sort=id&order=desc"
    assert found.page_href(4).endswith("&page=4")
    many = of_rows([{"id": i} for i in range(1000)], LISTING.page(50))
    assert many.numbers() == [1, None, 48, 49, 50, 51, 52, None, 100]


# The pages -------------------------------------------------------------------------------


def _count_on(page: str) -> int:
    found = re.search(r"共 ([\d,]+) 家", page)
    assert found, page[:2000]
    return int(found.group(1).replace(",", ""))


def _usccs(page: str) -> list[str]:
    body = page.split('id="enterprise-rows"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/enterprise/([0-9A-Z]{18})"', body)


def _direct(web, region: str) -> pl.DataFrame:
    """The region's enterprises with their 2022 figures, read directly from the warehouse."""
    con = web.city.ws.con
    year = con.table("enterprise_year").year.max().to_pyarrow().as_py()
    ent = con.table("enterprise").to_polars().filter(pl.col("region_code") == region)
    ey = con.table("enterprise_year").to_polars().filter(pl.col("year") == year)
    return ent.join(ey, on="uscc", how="left")


def test_the_region_list_counts_pages_and_totals_the_whole_list(web):
    login(web.client, "city")
    direct = _direct(web, "331003")
    page = web.client.get("/region/331003?size=20").text
    assert _count_on(page) == direct.height and f"第 1/{-(-direct.height // 20)} 页" in page
    first, second = _usccs(page), _usccs(web.client.get("/region/331003?size=20&page=2").text)
    assert len(first) == len(second) == 20 and not set(first) & set(second)
    ordered = direct.sort(["tax_paid", "uscc"], descending=[True, False], nulls_last=True)
    assert first + second == ordered["uscc"].head(40).to_list()  # the default: 税收, largest first
    totals = page.split('class="totals"', 1)[1].split("</tr>", 1)[0]
    assert f"{direct['tax_paid'].sum():,.1f}" in totals
    assert f"{direct['land_mu'].sum():,.1f}" in totals
    assert 'class="pager"' in page and 'rel="next"' in page


def test_sorting_by_a_column_orders_the_list(web):
    login(web.client, "city")
    direct = _direct(web, "331003")
    page = web.client.get("/region/331003?sort=land_mu&order=asc&size=30").text
    ordered = direct.sort(["land_mu", "uscc"], nulls_last=True)
    assert _usccs(page) == ordered["uscc"].head(30).to_list()
    assert 'aria-sort="ascending"' in page and "用地（亩） ▲" in page
    assert "sort=land_mu&amp;order=desc" in page  # clicking it again turns it round
    bad = web.client.get("/region/331003?sort=password", headers={"accept": "text/html"})
    assert bad.status_code == 422 and "不能按「password」排序" in bad.text
    api = web.client.get("/api/enterprises?region=331003&sort=nope").json()
    assert api["error"]["code"] == "invalid_request"  # the schema names the sort keys
    assert any("sort" in d["loc"] for d in api["error"]["detail"])


def test_a_partial_answer_holds_the_list_alone(web):
    login(web.client, "city")
    part = web.client.get("/region/331003?page=2", headers={"hx-request": "true"}).text
    assert "<html" not in part and 'id="enterprise-rows"' in part and "第 2/" in part
    assert 'hx-target="#enterprise-list"' in part  # its links swap the list again


def test_the_export_is_the_searched_list_as_on_screen(web):
    login(web.client, "city")
    direct = _direct(web, "331003").filter(pl.col("name").str.contains("有限"))
    answer = web.client.get("/region/331003/export.xlsx?q=有限&sort=land_mu&order=asc")
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "黄岩区_企业名单_2022.xlsx"
    sheet = fastexcel.read_excel(answer.content).load_sheet(0).to_polars()
    sheet = sheet.filter(pl.col("企业名称").is_not_null())  # the 筛选 note below the table
    assert sheet.columns == [
        "统一社会信用代码", "企业名称", "区县", "园区", "行业", "规上",
        "工业总产值（万元）", "营业收入（万元）", "实缴税金（万元）", "用地（亩）", "行业代码",
    ]  # fmt: skip
    ordered = direct.sort(["land_mu", "uscc"], nulls_last=True)["uscc"].to_list()
    assert sheet["统一社会信用代码"].to_list() == ordered
    assert set(sheet["区县"].to_list()) == {"黄岩区"}
    assert set(sheet["规上"].drop_nulls()) <= {"是", "否"}
    assert sheet["用地（亩）"].dtype == pl.Float64  # numbers stay numbers
    assert not any(str(v).isdigit() for v in sheet["行业"].drop_nulls())  # names, not codes


def test_a_county_user_lists_only_its_own_county(web):
    login(web.client, "county")
    page = web.client.get("/region/331003?size=500").text
    theirs = set(_direct(web, "331004")["uscc"])
    assert _usccs(page) and not set(_usccs(page)) & theirs
    assert web.client.get("/region/331004").status_code == 403
    api = web.client.get("/api/enterprises?size=500").json()
    assert api["total"] == _direct(web, "331003").height
    assert {e["region_code"][:6] for e in api["enterprises"]} == {"331003"}
    export = web.client.get("/region/331003/export.xlsx")
    sheet = fastexcel.read_excel(export.content).load_sheet(0).to_polars()
    assert not set(sheet["统一社会信用代码"]) & theirs


def test_the_api_keeps_its_shape_and_adds_the_total(web):
    login(web.client, "city")
    old = web.client.get("/api/enterprises?region=331003&limit=5").json()
    assert {"year", "count", "enterprises"} <= set(old) and old["count"] == 5
    assert old["total"] == _direct(web, "331003").height and old["page"] == 1
    nxt = web.client.get("/api/enterprises?region=331003&limit=5&page=2").json()
    assert not {e["uscc"] for e in old["enterprises"]} & {e["uscc"] for e in nxt["enterprises"]}


def test_batches_and_audit_are_paged_and_sortable(web):
    login(web.client, "city")
    page = web.client.get("/batches?sort=rows_in&order=desc&size=2").text
    assert "共 " in page and 'aria-sort="descending"' in page
    counts = [int(x.replace(",", "")) for x in re.findall(r'<td class="num">([\d,]+) /', page)]
    assert counts == sorted(counts, reverse=True) and len(counts) <= 2
    lost = web.client.get("/batches?status=lost", headers={"accept": "text/html"})
    assert lost.status_code == 422
    audit = web.client.get("/audit?sort=actor&order=asc").text
    assert "经办人 ▲" in audit


def test_the_api_declares_the_enterprise_lists_sort_keys():
    from typing import get_args

    from industry_brain.web.api import EnterpriseSort
    from industry_brain.web.queries import ENTERPRISES

    assert set(get_args(EnterpriseSort)) == {key for key, _ in ENTERPRISES.sorts}
