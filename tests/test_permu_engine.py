"""The 亩均 engine against the published Huangyan 2022 formula, worked by hand."""

import datetime as dt

import pytest

from industry_brain.engines.permu.spec import load_method
from permu_helpers import firm, run

HUANGYAN = load_method("taizhou-huangyan-2022")


def test_golden_huangyan_2022_above_scale():
    a = firm(
        1,
        tax_paid=482.0,
        land_mu=10.0,
        value_added=2723.2,
        energy_tce=500.0,
        emissions_eq=0.5,
        employees=100.0,
        rd_expense=604.0,
        revenue=20000.0,
    )
    b = firm(
        2,
        tax_paid=120.0,
        land_mu=20.0,
        value_added=1000.0,
        energy_tce=1000.0,
        emissions_eq=0.25,
        employees=80.0,
        rd_expense=0.0,
        revenue=8000.0,
    )
    c = firm(
        3,
        tax_paid=0.0,
        land_mu=5.0,
        value_added=300.0,
        energy_tce=100.0,
        emissions_eq=None,
        employees=30.0,
        rd_expense=30.0,
        revenue=3000.0,
    )
    r = {row["uscc"]: row for row in run(HUANGYAN, [a, b, c]).to_dicts()}
    # score = Σ value / benchmark × weight (Huangyan 2022 规上 benchmarks), by hand:
    a_total = (
        30 * 48.2 / 24.097
        + 20 * 272.32 / 136.16
        + 20 * 5.4464 / 2.694
        + 10 * 5446.4 / 4929.81
        + 10 * 27.232 / 18.14
        + 10 * 0.0302 / 0.0302
    )
    b_emission = 10 * 4000.0 / 4929.81
    b_total = (
        30 * 6.0 / 24.097
        + 20 * 50.0 / 136.16
        + 20 * 1.0 / 2.694
        + b_emission
        + 10 * 12.5 / 18.14
        + 0.0
    )
    # c has no emission record: it gets the group's average emission item score.
    c_emission = (10 * 5446.4 / 4929.81 + b_emission) / 2
    c_total = (
        0.0
        + 20 * 60.0 / 136.16
        + 20 * 3.0 / 2.694
        + c_emission
        + 10 * 10.0 / 18.14
        + 10 * 0.01 / 0.0302
    )
    assert r[a["uscc"]]["total"] == pytest.approx(a_total, abs=1e-9)
    assert r[b["uscc"]]["total"] == pytest.approx(b_total, abs=1e-9)
    assert r[c["uscc"]]["total"] == pytest.approx(c_total, abs=1e-9)
    assert r[c["uscc"]]["score_value_added_per_emission"] == pytest.approx(c_emission, abs=1e-9)
    assert a_total > c_total > b_total  # c's energy productivity (20 × 3.0 / 2.694) outweighs
    assert [r[f["uscc"]]["rank"] for f in (a, b, c)] == [1, 3, 2]
    assert r[a["uscc"]]["benchmark_tax_per_mu"] == 24.097


def test_golden_huangyan_2022_below_scale():
    small = firm(4, above_scale=False, tax_paid=60.0, land_mu=4.0, electricity_kwh=2_000_000.0)
    [row] = run(HUANGYAN, [small]).to_dicts()
    # 亩均税收/11.5932×50 + 单位电耗税收(元/千瓦时)/0.2352×50
    expected = 15.0 / 11.5932 * 50 + (60.0 * 1e4 / 2_000_000.0) / 0.2352 * 50
    assert row["track"] == "below_scale" and row["total"] == pytest.approx(expected, abs=1e-9)


def test_exempt_deferred_and_out_of_scope_are_not_ranked():
    firms = [
        firm(1),
        firm(2, industry="4411"),
        firm(3, registered=dt.date(2022, 3, 1)),
        firm(4, above_scale=False, land_mu=2.0),
    ]
    r = {row["uscc"]: row for row in run(HUANGYAN, firms).to_dicts()}
    statuses = [(r[f["uscc"]]["status"], r[f["uscc"]]["rank"]) for f in firms]
    assert statuses == [
        ("evaluated", 1),
        ("exempt", None),
        ("deferred", None),
        ("not_evaluated", None),
    ]
    assert "免评" in r[firms[1]["uscc"]]["reason"] and "暂缓" in r[firms[2]["uscc"]]["reason"]


def test_zero_and_negative_values_score_zero():
    loss = firm(1, value_added=-100.0, tax_paid=0.0)
    [row] = run(HUANGYAN, [loss]).to_dicts()
    assert row["score_value_added_per_mu"] == 0.0 and row["score_tax_per_mu"] == 0.0


WENLING = load_method("taizhou-wenling-quotas")


def _wenling(firms, last):
    for f in (*firms, *last):
        f["uscc"] = f["uscc"].replace("331003", "331081")
    return {r["uscc"]: r for r in run(WENLING, firms, last=last).to_dicts()}


def test_group_without_last_year_firms_falls_back_to_the_region_benchmark():
    last = [firm(i, industry="3525") for i in range(1, 5)]  # 机械装备 only
    car = firm(9, industry="3670")  # 汽车及交通运输设备: no 2021 firm in the group
    r = _wenling([car, firm(1, industry="3525")], last)
    row = r[car["uscc"].replace("331003", "331081")]
    assert row["benchmark_tax_per_mu"] == pytest.approx(500.0 / 20.0)  # the region aggregate
    assert row["total"] < 200.0  # not every item at its cap


def test_non_positive_benchmark_gives_no_item_score_not_a_negative_one():
    last = [firm(1, tax_paid=-50.0), firm(2, tax_paid=-10.0)]
    r = _wenling([firm(1, tax_paid=300.0)], last)
    [row] = r.values()
    assert row["benchmark_tax_per_mu"] < 0
    assert row["score_tax_per_mu"] == 0.0  # unscored → the spec's missing rule (zero)
    assert row["total"] >= 0.0
