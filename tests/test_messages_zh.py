"""Chinese error messages: one per catalogue code, using only the details the English template
has; English details written by the steps are put into Chinese; reports carry both."""

import string

import pytest

from industry_brain.ingest.errors import CATALOGUE
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.messages_zh import TEMPLATES, message_zh

from helpers import STAT_HEADER, make_uscc, stat_row, write_xlsx


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("error", CATALOGUE, ids=lambda e: e.code)
def test_every_code_has_a_chinese_message_with_known_details(error):
    assert fields(TEMPLATES[error.code]) <= fields(error.template) | {"column"}
    assert set(TEMPLATES) == {e.code for e in CATALOGUE}


@pytest.mark.parametrize(
    ("code", "details", "expected"),
    [
        (
            "R204",
            {"value": "火星区", "suggestion": " (did you mean '黄岩区'?)"},
            "（是否为 '黄岩区'？）",
        ),
        (
            "R207",
            {
                "field": "营业收入",
                "value": "-5",
                "in_unit": " 万元",
                "reason": "is below the minimum 0",
            },
            "低于下限 0",
        ),
        (
            "R207",
            {
                "field": "实缴税金",
                "value": "900",
                "in_unit": " 万元",
                "reason": "fails 税收占比: tax_paid / revenue = 0.9 not in [-∞, 0.5]",
            },
            "不符合「税收占比」：tax_paid / revenue = 0.9，不在 [-∞, 0.5] 内",
        ),
        ("R216", {"value": "X", "region": "331003", "where": "not registered"}, "所在地：未登记"),
        (
            "W302",
            {
                "field": "企业名称",
                "value": "甲",
                "other": "乙",
                "other_source": "register",
                "batch": 3,
                "kept": "the register's",
            },
            "企业登记（批次 3）为「乙」；以登记信息为准",
        ),
    ],
)
def test_english_details_are_put_into_chinese(code, details, expected):
    assert expected in message_zh(code, **details)


def test_a_report_carries_both_messages(workspace, tmp_path):
    wrong = make_uscc(serial=2)[:-1] + "0"
    rows = [STAT_HEADER, stat_row(1, year=2022), stat_row(2, year=2022, uscc=wrong)]
    report = ingest_file(
        workspace, write_xlsx(tmp_path / "s.xlsx", rows), "statistics", dry_run=True
    )
    [error] = [e for e in report.errors if e.code == "R203"]
    assert "check digit" in error.message
    assert error.message_zh.startswith(f"统一社会信用代码 {wrong} 的校验位是「0」，应为")
