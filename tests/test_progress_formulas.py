"""Computed plan actuals for the synthetic city equal a direct aggregation of the microdata."""

import polars as pl
import pytest

from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.formulas import (
    FORMULAS,
    compute,
    compute_by_region,
    coverage,
    transformed,
)
from progress_helpers import plan, row


def direct(ws, region_prefix: str) -> pl.DataFrame:
    """Sums of 规上 industrial enterprise-years by year, straight from the tables (polars)."""
    ey = ws.con.table("enterprise_year").to_polars()
    ent = ws.con.table("enterprise").to_polars()
    t = ey.join(ent, on="uscc").filter(
        pl.col("above_scale"),
        pl.col("industry_code").str.slice(0, 2).cast(pl.Int32).is_between(6, 46),
        pl.col("region_code").str.starts_with(region_prefix),
    )
    cols = ["output", "value_added", "tax_paid", "land_mu", "employees", "rd_expense", "revenue"]
    cols += ["new_product_output", "energy_tce"]
    return (
        t.group_by("year").agg(pl.len().alias("n"), *(pl.col(c).sum() for c in cols)).sort("year")
    )


@pytest.mark.parametrize("region", ["331000", "331003"])
def test_every_formula_equals_the_direct_aggregation(plan_city, region):
    city = plan_city.ws
    prefix = region[:4] if region.endswith("00") else region
    sums = {r["year"]: r for r in direct(city, prefix).iter_rows(named=True)}
    computed = compute(city.con, list(FORMULAS), region)
    assert set(computed["year"].to_list()) == {2020, 2021, 2022}
    for r in computed.iter_rows(named=True):
        f, s = FORMULAS[r["formula"]], sums[r["year"]]
        expected = s[f.numerator] / (s[f.denominator] if f.denominator else 1) * f.scale
        assert r["value"] == pytest.approx(expected, rel=1e-12), (f.id, r["year"])
        assert r["n"] == s["n"]


def test_a_region_is_computed_only_where_every_county_has_data(plan_city):
    city = plan_city.ws
    assert coverage(city.con, "331000")[2021] == (9, 9)
    covered, counties = coverage(city.con, "330000")[2021]
    assert covered == 9 and counties > 80
    province = plan(row(formula="value_added_per_mu"), region_code="330000")
    found = plan_actuals(city.con, province)
    assert found.series["x"] == {}
    assert "数据仓库未覆盖浙江省全部县" in found.notes[0]


def test_computed_actuals_name_formula_population_and_batches(plan_city):
    city = plan_city.ws
    p = plan(
        row(id="vapm", formula="value_added_per_mu"),
        row(
            id="lp_growth",
            formula={"id": "labour_productivity", "transform": "growth"},
            measure="rate",
            unit="%",
            target="年均8",
        ),
    )
    found = plan_actuals(city.con, p).series
    level = found["vapm"][2021]
    assert level.origin == "computed" and "家企业" in level.source and "statistics" in level.source
    lp = compute(city.con, ["labour_productivity"], "331000")
    levels = dict(zip(lp["year"].to_list(), lp["value"].to_list(), strict=True))
    assert found["lp_growth"][2022].value == pytest.approx((levels[2022] / levels[2021] - 1) * 100)
    assert 2020 not in found["lp_growth"]  # no 2019 to grow from


def test_decline_is_the_negative_growth():
    assert transformed({2020: 100.0, 2021: 95.0}, "decline") == {2021: pytest.approx(5.0)}


def test_one_grouped_query_gives_the_city_and_each_county(plan_city):
    con = plan_city.ws.con
    ids = ["value_added_per_mu", "mfg_rd_intensity", "above_scale_output"]
    grouped = compute_by_region(con, ids, "331000")
    assert len(set(grouped["region"].to_list())) == 10  # the city and its 9 counties
    for region in ("331000", "331003", "331082"):
        direct = compute(con, ids, region)
        mine = grouped.filter(pl.col("region") == region).drop("region")
        assert mine.height == direct.height > 0
        for a, b in zip(
            mine.sort("formula", "year").iter_rows(),
            direct.sort("formula", "year").iter_rows(),
            strict=True,
        ):
            assert a[:2] == b[:2] and a[2] == pytest.approx(b[2], rel=1e-12) and a[5] == b[5]
