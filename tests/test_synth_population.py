"""The in-memory population: counts, geography, industries, identities and consistency."""

from __future__ import annotations

from functools import cache

import polars as pl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.ingest.spec import load_spec
from industry_brain.reference import industries, is_industrial, regions
from industry_brain.synth import Population, generate_population
from industry_brain.synth.clusters import CLUSTERS, COUNTIES, OUTSIDE_ONLY, SUPPLY
from industry_brain.synth.industries import PROFILES
from industry_brain.synth.land import MAX_PARCEL_MU
from industry_brain.synth.metrics import KWH_PER_TCE, MAX_ELECTRICITY_SHARE

YEARS = list(range(2019, 2025))


@cache
def full() -> Population:
    return generate_population(seed=2020, scale=1.0)


@cache
def small() -> Population:
    return generate_population(seed=4, scale=0.05)


def test_every_industry_code_is_an_industrial_class() -> None:
    table = industries()
    codes = set(PROFILES) | set(OUTSIDE_ONLY)
    codes |= {c for w in CLUSTERS.values() for c in w} | {c for w in SUPPLY.values() for c in w}
    codes |= set(SUPPLY)
    for code in codes:
        assert code in table, code
        assert table.get(code).level == "class", code
        assert is_industrial(code), code
    assert {c for w in CLUSTERS.values() for c in w} <= set(PROFILES)


def test_counts_per_year_at_full_scale() -> None:
    ey = full().enterprise_years
    counts = ey.group_by("year").agg(pl.col("above_scale").sum().alias("a"), pl.len().alias("n"))
    for year, above, n in counts.iter_rows():
        assert 4_500 <= above <= 6_500, year
        assert 13_000 <= n - above <= 17_000, year
    assert sorted(counts["year"]) == YEARS


def test_all_nine_counties_with_realistic_sizes() -> None:
    pop = full()
    taizhou = {r.code for r in regions().counties("331000")}
    assert set(COUNTIES) == taizhou
    by_county = pop.enterprises.group_by("region_code").len()
    sizes = dict(by_county.iter_rows())
    assert set(sizes) == taizhou
    large = [sizes[c] for c in ("331081", "331003", "331004", "331083", "331082", "331002")]
    small_ones = [sizes[c] for c in ("331022", "331023", "331024")]
    assert min(large) > max(small_ones)


def _share(frame: pl.DataFrame, codes: set[str]) -> float:
    return frame.filter(pl.col("industry_code").is_in(list(codes))).height / frame.height


@pytest.mark.parametrize(
    ("county", "clusters"),
    [
        ("331081", ["泵与电机", "鞋服"]),
        ("331003", ["模具", "塑料制品"]),
        ("331004", ["汽车及零部件", "汽摩配及电动车"]),
        ("331002", ["医药化工", "缝制设备", "智能马桶卫浴"]),
        ("331083", ["阀门水暖", "家具"]),
        ("331082", ["医药化工", "休闲用品"]),
        ("331022", ["橡胶"]),
        ("331023", ["汽车用品", "橡胶"]),
        ("331024", ["医药化工", "工艺品"]),
    ],
)
def test_counties_follow_their_clusters(county: str, clusters: list[str]) -> None:
    firms = full().enterprises
    here = firms.filter(pl.col("region_code") == county)
    for cluster in clusters:
        codes = set(CLUSTERS[cluster])
        assert _share(here, codes) > 2 * _share(firms, codes), cluster
        assert _share(here, codes) > 0.05, cluster


def test_usccs_valid_unique_and_located() -> None:
    pop = full()
    e = pop.enterprises
    assert e["uscc"].n_unique() == e.height
    assert e["name"].n_unique() == e.height
    for code, region in e.select("uscc", "region_code").iter_rows():
        assert stdnum_uscc.is_valid(code), code
        assert code[:2] == "91" and code[2:8] == region
    assert all(stdnum_uscc.is_valid(c) for c in pop.outside["uscc"])
    taizhou = {r.code for r in regions().counties("331000")}
    assert not set(pop.outside["region_code"]) & taizhou
    domestic = pop.far.filter(pl.col("kind") == "far")
    assert all(stdnum_uscc.is_valid(c) for c in domestic["uscc"])
    assert not any(c.startswith("33") for c in domestic["region_code"])
    assert pop.far.filter(pl.col("kind") == "abroad")["uscc"].is_null().all()
    assert e["name"].str.ends_with("有限公司").all()
    short = {c: regions().get(c).name[:2] for c in taizhou}
    assert all(n.startswith(short[r]) for n, r in e.select("name", "region_code").iter_rows())


def test_parks_belong_to_their_county() -> None:
    pop = full()
    parks = pop.parks
    assert parks.group_by("county_code").len()["len"].is_between(2, 5).all()
    assert (parks["code"].str.slice(0, 6) == parks["county_code"]).all()
    assert parks["code"].str.len_chars().eq(9).all()
    e = pop.enterprises.filter(pl.col("park_code").is_not_null())
    assert (e["park_code"].str.slice(0, 6) == e["region_code"]).all()
    share = e.height / pop.enterprises.height
    assert 0.6 < share < 0.95


def test_consistency_rules_of_the_specs_hold() -> None:
    ey = full().enterprise_years
    for source in ("statistics", "tax", "electricity"):
        for check in load_spec(source).consistency:
            ratio = (pl.col(check.numerator) / pl.col(check.denominator)).alias("r")
            r = ey.select(ratio).filter(pl.col("r").is_not_null() & pl.col("r").is_finite())["r"]
            if check.max is not None:
                assert r.max() <= check.max, check.name  # type: ignore[operator]
            if check.min is not None:
                assert r.min() >= check.min, check.name  # type: ignore[operator]
    assert (ey["employees"] >= 1).all()
    assert (ey["revenue"] > 0).all()
    assert (
        ey["tax_paid"].drop_nulls() <= 0.5 * ey.filter(pl.col("tax_paid").is_not_null())["revenue"]
    ).all()
    kwh_cap = KWH_PER_TCE * MAX_ELECTRICITY_SHARE * ey["energy_tce"] + 1
    assert ((ey["electricity_kwh"] <= kwh_cap) | ey["energy_tce"].is_null()).all()
    assert (ey["profit"] < 0).any()
    assert ey["above_scale"].eq(ey["revenue"] >= 2000).all()


def test_below_scale_have_blanks_and_above_scale_report() -> None:
    ey = full().enterprise_years
    above = ey.filter(pl.col("above_scale"))
    below = ey.filter(~pl.col("above_scale"))
    for c in ("energy_tce", "rd_expense", "new_product_output", "tax_paid", "electricity_kwh"):
        assert above[c].null_count() == 0, c
    for c in ("energy_tce", "rd_expense", "new_product_output"):
        assert below[c].null_count() > 0.5 * below.height, c
    assert 0 < above["emissions_eq"].null_count() < 0.3 * above.height


def test_energy_intensity_differs_by_an_order_of_magnitude() -> None:
    pop = full()
    rows = pop.enterprise_years.join(pop.enterprises.select("uscc", "industry_code"), on="uscc")
    rows = rows.filter(pl.col("above_scale"))

    def intensity(codes: list[str]) -> float:
        r = rows.filter(pl.col("industry_code").is_in(codes))
        return float(r["energy_tce"].sum()) / float(r["output"].sum())

    assert intensity(["2710", "2614", "2662"]) > 8 * intensity(["3441", "3553", "3670"])


def test_land_parcels() -> None:
    pop = full()
    parcels = pop.parcels
    assert parcels["area_mu"].max() <= MAX_PARCEL_MU  # type: ignore[operator]
    assert set(parcels["tenure"]) == {"owned", "leased", "let"}
    per_firm = parcels.filter(pl.col("tenure") != "let").group_by("uscc", "year").len()["len"]
    assert per_firm.max() <= 5 and per_firm.min() >= 1  # type: ignore[operator]
    assert parcels.select("uscc", "year", "parcel_id").is_unique().all()
    years = parcels.group_by("parcel_id", "uscc").agg(pl.col("year").n_unique())
    assert (years["year"] > 1).to_numpy().mean() > 0.8  # parcel ids are stable across years
    ey = pop.enterprise_years.filter(pl.col("above_scale"))
    assert ey["land_mu"].null_count() == 0 and (ey["land_mu"] > 0).all()
    total = (
        parcels.with_columns(
            pl.when(pl.col("tenure") == "let")
            .then(-pl.col("area_mu"))
            .otherwise(pl.col("area_mu"))
            .alias("net")
        )
        .group_by("uscc", "year")
        .agg(pl.col("net").sum())
    )
    check = pop.enterprise_years.join(total, on=["uscc", "year"])
    assert (check["net"] - check["land_mu"]).abs().max() < 0.02  # type: ignore[operator]


def test_dynamics_entries_exits_and_crossings() -> None:
    pop = full()
    e = pop.enterprises
    assert (e["first_year"] > 2019).sum() > 5_000  # entrants
    assert (e["last_year"] < 2024).sum() > 3_000  # exits
    wide = pop.enterprise_years.pivot(on="year", index="uscc", values="above_scale")
    up = wide.filter(~pl.col("2019") & pl.col("2021")).height
    down = wide.filter(pl.col("2019") & ~pl.col("2021")).height
    assert up > 100 and down > 100
    totals = (
        pop.enterprise_years.group_by("year").agg(pl.col("revenue").sum()).sort("year")["revenue"]
    )
    assert totals[1] < totals[0] < totals[2]  # the 2020 dip and the 2021 rebound


def test_rd_and_new_products_on_aggregate() -> None:
    ey = full().enterprise_years.filter(pl.col("above_scale") & (pl.col("year") == 2020))
    total = {
        c: float(ey[c].sum()) for c in ("rd_expense", "revenue", "new_product_output", "output")
    }
    assert total["rd_expense"] / total["revenue"] == pytest.approx(0.0186, rel=0.005)
    assert total["new_product_output"] / total["output"] == pytest.approx(0.35, rel=0.005)
    assert (ey["rd_expense"] == 0).any()
    assert (ey["export_value"] > 0).to_numpy().mean() > 0.5


def test_deterministic_and_year_subsets_agree() -> None:
    a = generate_population(seed=4, scale=0.05)
    b = small()
    assert a.enterprise_years.equals(b.enterprise_years)
    assert a.trade.equals(b.trade) and a.chain_risks.equals(b.chain_risks)
    only = generate_population(seed=4, scale=0.05, years=[2022])
    assert only.enterprise_years.equals(b.enterprise_years.filter(pl.col("year") == 2022))
    assert only.trade.equals(b.trade.filter(pl.col("year") == 2022))
    assert only.chain_risks.equals(b.chain_risks.filter(pl.col("year") == 2022))
    other = generate_population(seed=5, scale=0.05)
    assert not other.enterprise_years.equals(b.enterprise_years)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="2019"):
        generate_population(years=[2018])
    with pytest.raises(ValueError, match="scale"):
        generate_population(scale=0)
