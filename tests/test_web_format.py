"""The formatting layer (web/format.py): golden values worked by hand."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from jinja2 import Environment

from industry_brain.web import format as fmt
from industry_brain.web.reading import actor as reading_actor
from industry_brain.web.reading import minute as reading_minute


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
    assert fmt.minute(t) == "2026-12-01 05:33"
    assert fmt.minute("2026-12-01T05:33:17.123456") == "2026-12-01 05:33"
    assert fmt.minute("2026-12-01 05:33:17.123456") == "2026-12-01 05:33"
    assert fmt.minute(dt.date(2026, 12, 1)) == "2026-12-01"
    assert fmt.minute(None) == "—"
    assert reading_minute(t) == "2026-12-01 05:33"  # reading.py's name still works


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
