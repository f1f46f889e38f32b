"""Every Chinese target form of METHODS.md §2 parses to its kind and figure, in the row's unit."""

import pytest

from industry_brain.engines.progress.targets import TargetError, check_target, parse_target

CASES = [
    # text, unit, kind, value, bound
    ("170", "万元/亩", "level", 170.0, "exact"),
    ("1/3左右", "%", "approx", 100 / 3, "exact"),
    ("110以上", "", "at_least", 110.0, "exact"),
    ("年均10", "%", "annual_growth", 10.0, "exact"),
    ("年均增长6%左右", "%", "annual_growth", 6.0, "approx"),
    ("年均下降3%", "%", "annual_growth", -3.0, "exact"),
    ("[15]", "%", "cumulative", 15.0, "exact"),
    ("增长10%以上", "%", "cumulative", 10.0, "at_least"),
    ("完成省政府下达目标", "%", "assigned", None, "exact"),
    ("完成下达目标", "%", "assigned", None, "exact"),
    ("全省排名进入第一方阵", "", "rank", None, "exact"),
    ("保持全省前3", "", "rank", None, "exact"),
    ("1万亿元", "亿元", "level", 10000.0, "exact"),
    ("突破5000亿元", "亿元", "at_least", 5000.0, "exact"),
    ("30万元/人以上", "万元/人", "at_least", 30.0, "exact"),
    ("3.2%左右", "%", "approx", 3.2, "exact"),
    ("达到 2.6%", "%", "level", 2.6, "exact"),
    ("下降到12", "立方米/万元", "level", 12.0, "exact"),
    ("控制在80以内", "", "at_most", 80.0, "exact"),
    ("50个以上", "个", "at_least", 50.0, "exact"),
    ("持续降低", "", "qualitative", None, "exact"),
    ("—", "%", "qualitative", None, "exact"),
    ("８．０", "%", "level", 8.0, "exact"),  # full-width digits
]


@pytest.mark.parametrize(("text", "unit", "kind", "value", "bound"), CASES)
def test_forms(text, unit, kind, value, bound):
    t = parse_target(text, unit)
    assert (t.kind, t.bound) == (kind, bound)
    assert t.value == (pytest.approx(value) if value is not None else None)


def test_stretch_figure_is_kept_beside_the_target():
    t = parse_target("10000（力争12000）", "亿元")
    assert (t.kind, t.value, t.stretch) == ("level", 10000.0, 12000.0)


def test_every_year_figure_is_flagged():
    t = parse_target("每年150项以上", "项")
    assert (t.kind, t.value, t.per_year) == ("at_least", 150.0, True)


def test_not_assessable_kinds_say_why():
    for text in ("完成省政府下达目标", "全省排名进入第一方阵", "持续降低"):
        t = parse_target(text)
        assert not t.assessable and t.note


def test_a_range_is_assessed_at_its_lower_end():
    t = parse_target("1—2个", "个")
    assert (t.kind, t.value, t.stretch) == ("at_least", 1.0, 2.0) and "区间" in t.note


def test_additions_count_from_zero():
    assert parse_target("新增1500家以上", "家").from_zero
    assert parse_target("累计达到3000亿元以上", "亿元").from_zero
    assert not parse_target("1500家", "家").from_zero


@pytest.mark.parametrize(
    ("text", "unit", "kind", "value"),
    [(">6000", "家", "at_least", 6000), ("＜0.5", "吨标准煤/万元", "at_most", 0.5),
     ("≥30", "%", "at_least", 30)],
)  # fmt: skip
def test_comparison_signs_bound_the_target(text, unit, kind, value):
    t = parse_target(text, unit)
    assert (t.kind, t.value) == (kind, value)


def test_every_packaged_target_passes_the_import_check():
    from industry_brain.engines.progress.catalog import load_plan, packaged_names

    for name in packaged_names():
        for i in load_plan(name).indicators:
            check_target(i.target, i.unit)  # TargetError would name the row


@pytest.mark.parametrize(
    ("text", "unit", "says"),
    [("", "亿元", "目标值为空"), ("2025年达到5000亿元", "亿元", "含多个数值（2025、5000亿）"),
     ("8%—10%", "%", "含多个数值"), ("8%左右", "亿元", "是百分数，但单位为“亿元”")],
)  # fmt: skip
def test_an_ambiguous_target_is_refused_with_a_chinese_reason(text, unit, says):
    with pytest.raises(TargetError) as found:
        check_target(text, unit)
    assert found.value.code == "target_unreadable" and says in found.value.message
