"""The formatting layer (web/format.py): golden values worked by hand."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from pathlib import Path

import pytest
from jinja2 import Environment

from industry_brain.web import format as fmt
from industry_brain.web.reading import actor as reading_actor
from industry_brain.web.reading import minute as reading_minute
from web_helpers import login


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (367501.1, 1, "367,501.1"),
        (1462.1200000000001, 2, "1,462.12"),
        (38.160000000000004, 2, "38.16"),
        (1234567, 0, "1,234,567"),
        (-0.04, 1, "0.0"),  # not '-0.0'
        (-12345.678, 1, "-12,345.7"),
        (None, 1, "—"),
        (math.nan, 2, "—"),
        ("", 1, "—"),
        ("未报送", 1, "未报送"),
        (math.inf, 1, "—"),
    ],
)
def test_num(value: object, decimals: int, shown: str) -> None:
    assert fmt.num(value, decimals) == shown


def test_counts_percentages_money() -> None:
    assert fmt.count(31.0) == "31"
    assert fmt.count(12345) == "12,345"
    assert fmt.pct(0.2346938775510204) == "23.5%"
    assert fmt.pct(0.05, 0) == "5%"
    assert fmt.pct(None) == "—"
    assert fmt.money(9876.54) == "9,876.5 万元"
    assert fmt.money(367501.1) == "36.75 亿元"  # 367501.1 万元 / 10000
    assert fmt.money(367501.1, yi=False) == "367,501.1 万元"
    assert fmt.money(None) == "—"


def test_fields() -> None:
    from industry_brain.warehouse.schema import FIGURES

    assert set(FIGURES) - {"above_scale"} <= set(fmt.FIELDS)  # 规上 is 是/否, not a number
    assert fmt.fig(1462.1200000000001, "tax_paid") == "1,462.1"
    assert fmt.fig(31.0, "employees") == "31"
    assert fmt.fig(38.160000000000004, "tax_per_mu") == "38.16"
    assert fmt.fig(0.23516, "tax_per_kwh") == "0.2352"
    assert fmt.fig(0.034, "rd_intensity") == "3.4%"
    assert fmt.fig(87.456, "total") == "87.46"
    assert fmt.fig(None, "revenue") == "—"
    assert fmt.field_label("value_added") == "工业增加值"
    assert fmt.field_unit("land_mu") == "亩"
    assert fmt.field_label("unknown_thing") == "unknown_thing"


def test_times() -> None:
    t = dt.datetime(2026, 12, 1, 5, 33, 17, 123456)
    assert fmt.minute(t) == "2026-12-01 13:33"  # kept in UTC, shown in Beijing time
    assert fmt.minute("2026-12-01T05:33:17.123456") == "2026-12-01 13:33"
    assert fmt.minute("2026-12-01 20:33:17.123456") == "2026-12-02 04:33"  # the next day
    assert fmt.minute(dt.date(2026, 12, 1)) == "2026-12-01"
    assert fmt.minute(None) == "—"
    assert reading_minute(t) == "2026-12-01 13:33"  # reading.py's name still works


def test_a_plans_figures_as_written_get_separators_only_when_bare_numbers():
    assert fmt.written("5269") == "5,269"
    assert fmt.written("5269.50") == "5,269.50"
    assert fmt.written(">6000") == ">6000"  # as the plan wrote it
    assert fmt.written("8%") == "8%"
    assert fmt.written(None) == "—"


def test_region_and_park_names(tmp_path: Path) -> None:
    assert fmt.region_name("331003") == "黄岩区"
    assert fmt.region_name("331000") == "台州市"
    assert fmt.region_name("331003101") == "黄岩区"  # a park's county
    assert fmt.place_name("331081") == "温岭市"
    assert fmt.place_name("331081103") == "温岭市园区103"  # a park not configured
    assert fmt.place_name("331081103", {"331081103": "温岭东部新区"}) == "温岭东部新区"
    assert fmt.place_name(None) == "—"
    parks = tmp_path / "parks.yaml"
    parks.write_text(
        "- {code: '331003101', name: 黄岩经济开发区, county_code: '331003'}\n", "utf-8"
    )
    env = Environment(autoescape=True)
    fmt.register(env, tmp_path)
    assert env.from_string("{{ c | place_name }}").render(c="331003101") == "黄岩经济开发区"
    assert env.from_string("{{ v | num(2) }}").render(v=1462.1200000000001) == "1,462.12"


def test_industry_names() -> None:
    assert fmt.industry_name("1371") == "蔬菜加工"
    assert fmt.industry_name("33") == "金属制品业"
    assert fmt.industry_name(33) == "金属制品业"
    assert fmt.industry_name("9999") == "9999"
    assert fmt.industry_name(None) == "—"


def test_sources_methods_states_actors() -> None:
    assert fmt.source_title("statistics") == "工业企业主要经济指标"
    assert fmt.source_title("nonsense") == "nonsense"
    assert fmt.method_title("taizhou-city-2022").startswith("台州市2022年度")
    assert fmt.method_title("no-such-method") == "no-such-method"
    assert fmt.audit_action("run.create") == "运行评价"
    assert fmt.run_state("published") == "已发布"
    assert fmt.batch_status("withdrawn") == "已撤回"
    assert fmt.appeal_status("open") == "待处理"
    assert fmt.group_name(None) == "—"
    assert fmt.group_name("None") == "—"
    assert fmt.actor("cli:root") == "命令行（root）"
    assert reading_actor("cli:root") == "命令行（root）"
    assert fmt.yes_no(True) == "是" and fmt.yes_no(False) == "否" and fmt.yes_no(None) == "—"


def test_audit_details() -> None:
    sha = "ab" * 32
    detail = {"file": "tax.xlsx", "source": "tax", "sha256": sha, "rows_loaded": 12}
    shown = fmt.audit_details(detail)
    assert ("文件摘要", sha[:12]) in shown
    assert ("入库行数", "12") in shown
    assert ("来源", fmt.source_title("tax")) in shown
    assert all(sha not in v for _, v in shown)
    run = dict(fmt.audit_details({"engine": "permu", "spec": "taizhou-city-2022", "year": 2022}))
    assert run["方法"].startswith("台州市") and run["年度"] == "2022"
    assert fmt.audit_details(None) == []


def _cells(page: str) -> list[tuple[str, str]]:
    """(column header, visible text) of each table cell of a page."""

    def text(cell: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", " ", cell)).strip()

    out = []
    for table in re.findall(r"<table.*?</table>", page, flags=re.S):
        heads = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            out += [(h, text(c)) for h, c in zip(heads, cells, strict=False)]
    return out


def _visible(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)  # tags and their attributes (data-*, title)
    return html.unescape(page)


LONG_DECIMALS = re.compile(r"\d+\.\d{3,}")
BARE_CODE = re.compile(r"^(\d{6}|\d{9}|\d{4})$")  # a region, park or industry code
NUMBERED = ("年份", "年度", "运行", "批次", "编号", "序号")  # columns of years and numbers


def _shown_well(page: str) -> None:
    # 单位电耗税收 is published in 元/千瓦时 to 4 decimals (benchmark 0.2352): the one exception
    text = "\n".join(line for line in _visible(page).splitlines() if "元/千瓦时" not in line)
    assert not LONG_DECIMALS.findall(text)
    cells = _cells(page)
    assert cells
    named = [(h, c) for h, c in cells if not any(n in h for n in NUMBERED)]
    assert not [(h, c) for h, c in named if BARE_CODE.match(c)]
    assert not [(h, c) for h, c in cells if c in ("None", "nan", "True", "False")]


def test_the_enterprise_and_run_pages_show_names_and_rounded_figures(web):
    login(web.client, "city")
    own = web.users["enterprise"]["uscc"]
    page = web.client.get(f"/enterprise/{own}").text
    assert "历年主要指标" in page and "亩均效益评价" in page
    _shown_well(page)
    run_id = web.client.get("/api/permu/runs").json()[0]["run_id"]
    page = web.client.get(f"/runs/{run_id}?spec=taizhou-wenling-quotas").text
    assert "领跑者" in page and "档次变化" in page and "黄岩区" in page
    _shown_well(page)
    assert "what-if" not in page and "taizhou-city-2022<" not in page


def test_the_audit_page_shows_details_in_chinese(web):
    from industry_brain.warehouse.audit import record

    sha = "cd" * 32
    record(web.city.ws.con, "cli:root", "batch.load", "batch", 77, None, sha256=sha, source="tax")
    login(web.client, "city")
    page = web.client.get("/audit?actor=cli:root&object_id=77").text
    assert "命令行（root）" in page and "数据入库" in page and "文件摘要：" + sha[:12] in page
    assert sha not in _visible(page) and "sha256" not in page and "tax" not in _visible(page)
