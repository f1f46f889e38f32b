"""What a header cell says (ingest/vocabulary.py): its unit, period, month, exclusion and the
name left for matching; units a title or units line declares for the whole sheet."""

import pytest

from industry_brain.ingest.vocabulary import read_part, sheet_units


@pytest.mark.parametrize(
    ("text", "key", "unit", "period", "month", "excluded"),
    [
        ("营业收入（千元）", "营业收入", "千元", None, None, None),
        ("经济指标（单位：千元）", "经济指标", "千元", None, None, None),
        ("工业总产值(当年价格)", "工业总产值", None, "current", None, None),
        ("工业总产值（可比价）", "工业总产值", None, None, None, "可比价"),
        ("其中：主营业务收入", "主营业务收入", None, None, None, None),
        ("（一）营业收入", "营业收入", None, None, None, None),
        ("实缴税款合计（元）", "实缴税款合计", "元", None, None, None),
        ("用电量/千瓦时", "用电量", "千瓦时", None, None, None),
        ("本年", "", None, "current", None, None),
        ("上年同期", "", None, "previous", None, None),
        ("上年同期营业收入", "营业收入", None, "previous", None, None),
        ("1-12月", "", None, "current", None, None),
        ("1-12月累计用电量", "用电量", None, "current", None, None),
        ("合计", "", None, "current", None, None),
        ("2023年01月", "", None, None, 1, None),
        ("一月份", "", None, None, 1, None),
        ("12月", "", None, None, 12, None),
        ("1月用电量（千瓦时）", "用电量", "千瓦时", None, 1, None),
        ("用电量12月", "用电量", None, None, 12, None),
        ("增加值率(%)", "增加值率", "%", None, None, "%"),
        ("万元", "", "万元", None, None, None),
        ("单位详细名称", "单位详细名称", None, None, None, None),
        ("年度", "年度", None, None, None, None),
    ],
)
def test_a_header_cell_read_apart(text, key, unit, period, month, excluded):
    part = read_part(text)
    assert (part.key, part.unit, part.period, part.month, part.excluded) == (
        key,
        unit,
        period,
        month,
        excluded,
    )


def test_years_named_in_a_header():
    assert read_part("2023年").year == 2023 and read_part("2023年1-12月").year == 2023
    assert read_part("2022年01月").year == 2022


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("（单位：万元、人、吨标准煤）", {"money": "万元", "count": "人", "energy": "吨标准煤"}),
        ("金额单位：元", {"money": "元"}),
        ("填报单位：台州市统计局    单位：千元", {"money": "千元"}),
        ("单位：平方米", {"area": "平方米"}),
        ("2023年规上工业企业主要指标", {}),
    ],
)  # fmt: skip
def test_units_a_title_or_note_declares(text, units):
    assert sheet_units(text) == units
