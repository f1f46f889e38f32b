"""Worked examples of the progress method (docs/monitoring.md), each figure recomputed by hand."""

import pytest

from industry_brain.engines.progress.assess import assess
from industry_brain.engines.progress.catalog import PlanError
from industry_brain.engines.progress.method import ProgressMethod
from progress_helpers import check, plan, row, series


def test_rising_indicator_compares_compound_growth_with_the_required():
    # 亩均增加值 115.6 (2020) → 160 (2025); 135 in 2023.
    a = check({2023: 135.0}, 2023, baseline=115.6, target="160")
    actual, required = (135 / 115.6) ** (1 / 3) - 1, (160 / 115.6) ** (1 / 5) - 1
    assert a.ratio == pytest.approx(actual / required)  # 0.790
    assert a.status == "needs_acceleration" and a.rule == "年均增速"
    assert a.projected == pytest.approx(135 * (1 + actual) ** 2)


def test_falling_indicator_needs_its_direction():
    # 单位工业增加值用水量 15.78 → 12 (lower is better); 14.0 in 2022.
    down = check({2022: 14.0}, 2022, baseline=15.78, target="12", direction="down")
    actual, required = (14 / 15.78) ** 0.5 - 1, (12 / 15.78) ** 0.2 - 1
    assert down.ratio == pytest.approx(-actual / abs(required))  # 1.090
    assert down.status == "on_track"
    up = check({2022: 14.0}, 2022, baseline=15.78, target="12", direction="up")
    assert up.status == "achieved"  # read as "at least 12": the direction decides
    worse = check({2022: 16.5}, 2022, baseline=15.78, target="12", direction="down")
    assert worse.ratio < 0 and worse.status == "deterioration"


def test_direction_is_required():
    no_direction = row()
    del no_direction["direction"]
    with pytest.raises(PlanError, match=r"indicator .x.\.direction: Field required"):
        plan(no_direction)


def test_cumulative_decline_of_yearly_rates():
    # [15]: 15% cumulative decline 2021–2025; yearly declines 3.0% and 2.5%.
    fields = dict(target="[15]", direction="down", measure="rate", baseline=None)
    fields |= dict(baseline_year=None, baseline_as_written="—", unit="%")
    a = check({2021: 3.0, 2022: 2.5}, 2022, **fields)
    change = 1 - 0.97 * 0.975
    actual, required = 1 - (1 - change) ** 0.5, 1 - 0.85**0.2
    assert a.ratio == pytest.approx(actual / required)  # 0.860
    assert a.status == "needs_acceleration" and a.rule == "累计变化"
    assert a.projected == pytest.approx((1 - (1 - actual) ** 5) * 100)  # 13.0%
    final = check({2021: 3.0, 2022: 2.5}, 2022, final=True, **fields)
    assert final.verdict == "unlikely" and "推算2025年为13" in final.basis


def test_cumulative_target_on_a_level_can_be_met_early():
    # Energy per 万元 of value added 0.50 → 0.42: a 16% decline, [15] is met in 2023.
    a = check(
        {2023: 0.42}, 2023, baseline=0.5, target="[15]", direction="down", unit="吨标准煤/万元"
    )
    assert a.status == "achieved"


def test_annual_growth_of_a_rate_is_the_compound_average():
    # 工业投资增速 年均10: 12%, 8%, 9%.
    fields = dict(target="年均10", measure="rate", unit="%", baseline=-7.8)
    a = check({2021: 12.0, 2022: 8.0, 2023: 9.0}, 2023, **fields)
    average = ((1.12 * 1.08 * 1.09) ** (1 / 3) - 1) * 100
    assert a.projected == pytest.approx(average)  # 9.65
    assert a.ratio == pytest.approx(average / 10) and a.status == "on_track"


def test_annual_growth_of_a_level():
    # 规上工业总产值 年均增长8%: 5269 (2020) → 6000 (2022).
    a = check({2022: 6000.0}, 2022, baseline=5269.0, target="年均增长8%", unit="亿元")
    growth = ((6000 / 5269) ** 0.5 - 1) * 100
    assert a.ratio == pytest.approx(growth / 8) and a.status == "needs_acceleration"


def test_zero_base_uses_the_linear_trend():
    # 省级平台 0 → 50个以上; 24 by 2023: 8 a year against 10 a year required.
    a = check({2023: 24.0}, 2023, baseline=0.0, target="50个以上", unit="个")
    assert a.rule == "线性趋势" and a.ratio == pytest.approx(0.8)
    assert a.status == "needs_acceleration" and a.projected == pytest.approx(40.0)


def test_target_already_met():
    a = check({2022: 112.0}, 2022, baseline=87.35, target="110以上", unit="")
    assert a.status == "achieved" and a.verdict is None
    held = check({2022: 35.5}, 2022, baseline=35.0, target="35", direction="maintain", unit="%")
    assert held.status == "on_track"  # a maintain target is only achieved at the end
    slipped = check({2022: 33.0}, 2022, baseline=35.0, target="35", direction="maintain")
    assert slipped.status == "deterioration"


def test_missing_year_uses_the_latest_known_figure_and_says_so():
    a = check({2021: 105.0, 2022: 110.0}, 2024)
    assert a.actual is not None and a.actual.year == 2022
    assert "2024年无数据，采用2022年数据" in a.notes
    gap = check({2021: 12.0, 2023: 9.0}, 2023, target="年均10", measure="rate", unit="%")
    assert "缺2022年数据，按已有年份计算" in gap.notes


def test_no_figure_at_all():
    a = check({}, 2023)
    assert a.status == "not_assessable" and a.reason == "无实际值"
    assert check({}, 2025).verdict == "unpublished"


def test_verdicts_rest_on_a_named_figure_and_year():
    met = check({2025: 151.0}, 2025)
    assert met.verdict == "met" and met.basis == "依据2025年录入值151万元/亩"
    expected = check({2024: 142.0}, 2025)  # 100 → 142 in 4 years projects to 154.9
    assert expected.verdict == "expected" and "2024年录入值142" in expected.basis
    unlikely = check({2025: 120.0}, 2025)
    assert unlikely.verdict == "unlikely"


def test_rank_qualitative_and_unassigned_targets_are_not_assessable():
    for target in ("全省排名进入第一方阵", "持续降低", "完成省政府下达目标"):
        a = check({2022: 1.0}, 2022, target=target)
        assert a.status == "not_assessable" and a.reason


def test_an_assigned_figure_once_entered_is_assessed():
    p = plan(row(target="完成省政府下达目标", assigned="[14]", direction="down", measure="rate"))
    a = assess(p.indicators[0], p, series({2021: 3.0, 2022: 3.1}), 2022)
    assert a.target.kind == "cumulative" and a.status in ("on_track", "needs_acceleration")


def test_thresholds_are_configurable():
    values, fields = {2023: 135.0}, dict(baseline=115.6, target="160")
    p = plan(row(**fields))
    strict = ProgressMethod(needs_acceleration=0.85)
    a = assess(p.indicators[0], p, series(values), 2023, strict)
    assert a.status == "limited"  # R = 0.79 is below the raised threshold


def test_an_addition_target_starts_from_zero_at_the_base_year():
    # 新增1500家以上 with no baseline: 600 added by 2022 against 300 a year needed.
    a = check({2022: 600.0}, 2022, baseline=None, baseline_year=None, target="新增1500家以上")
    assert a.baseline == (2020, 0.0) and a.rule == "线性趋势"
    assert a.ratio == pytest.approx((600 / 2) / (1500 / 5)) and "新增目标，2020年计为0" in a.notes
