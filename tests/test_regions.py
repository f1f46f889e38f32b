"""Tests for industry_brain.reference.regions against the bundled Zhejiang divisions."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from industry_brain.reference import Region, RegionTree, UnknownCodeError, county_geojson, regions

TAIZHOU_COUNTIES = {
    "331002": "椒江区",
    "331003": "黄岩区",
    "331004": "路桥区",
    "331022": "三门县",
    "331023": "天台县",
    "331024": "仙居县",
    "331081": "温岭市",
    "331082": "临海市",
    "331083": "玉环市",
}


def _csv_rows() -> list[dict[str, str]]:
    path = resources.files("industry_brain.reference") / "data" / "zhejiang_divisions.csv"
    with path.open("r", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _code(tree: RegionTree, name: str) -> str | None:
    region = tree.by_name(name)
    return None if region is None else region.code


def _park(code: str, name: str, parent: str) -> Region:
    return Region(code=code, name=name, level="park", parent_code=parent)


def test_counts() -> None:
    tree = regions()
    assert len(tree) == 102
    assert Counter(r.level for r in tree) == {"province": 1, "city": 11, "county": 90}
    assert len(tree.counties("330000")) == 90
    assert regions() is tree  # cached


def test_taizhou_counties_match_csv() -> None:
    from_csv = {r["code"]: r["name"] for r in _csv_rows() if r["parent_code"] == "3310"}
    assert from_csv == TAIZHOU_COUNTIES
    counties = regions().counties("331000")
    assert {r.code: r.name for r in counties} == TAIZHOU_COUNTIES
    assert [r.code for r in regions().children("331000")] == sorted(TAIZHOU_COUNTIES)


def test_codes_normalised_to_six_digits() -> None:
    tree = regions()
    assert all(len(r.code) == 6 and r.code.isdigit() for r in tree)
    assert tree.get("330000") == Region("330000", "浙江省", "province", None)
    assert tree.get("331000") == Region("331000", "台州市", "city", "330000")
    assert tree.get("331083").parent_code == "331000"
    assert all(r.parent_code is None or len(r.parent_code) == 6 for r in tree)
    # Short CSV-style codes are accepted as input and padded.
    assert tree.get("3310").code == "331000"
    assert tree.get("33").code == "330000"
    assert "3310" in tree and "331083" in tree
    assert "331099" not in tree and 331083 not in tree


def test_ancestors_and_descendants() -> None:
    tree = regions()
    assert [r.code for r in tree.ancestors("331003")] == ["330000", "331000"]
    assert [r.code for r in tree.ancestors("331000")] == ["330000"]
    assert tree.ancestors("330000") == []
    assert {r.code for r in tree.descendants("331000")} == set(TAIZHOU_COUNTIES)
    everything = tree.descendants("330000")
    assert len(everything) == 101
    assert everything[0].code == "330100"  # depth first: Hangzhou, then its counties
    assert everything[1].parent_code == "330100"
    assert tree.descendants("331003") == []


def test_by_name_full_and_short() -> None:
    tree = regions()
    assert _code(tree, "黄岩区") == "331003"
    assert _code(tree, "黄岩") == "331003"
    assert _code(tree, "温岭") == "331081"
    assert _code(tree, "台州") == "331000"
    assert _code(tree, "浙江") == "330000"
    assert _code(tree, "景宁") == "331127"
    assert tree.by_name("上海") is None


def test_by_name_ambiguous_short_name_is_none() -> None:
    tree = regions().with_parks([_park("331003001", "黄岩县", "331003")])
    assert tree.by_name("黄岩") is None
    assert _code(tree, "黄岩区") == "331003"


def test_with_parks() -> None:
    base = regions()
    park = _park("331081001", "温岭经济开发区", "331081")
    tree = base.with_parks([park])
    assert isinstance(tree, RegionTree)
    assert len(tree) == 103 and len(base) == 102
    assert "331081001" in tree and "331081001" not in base
    assert tree.get("331081001") == park
    assert [r.code for r in tree.ancestors("331081001")] == ["330000", "331000", "331081"]
    assert park in tree.descendants("331000")
    assert park in tree.children("331081")
    assert tree.counties("331000") == base.counties("331000")
    assert tree.by_name("温岭经济开发区") == park


@pytest.mark.parametrize(
    ("park", "error"),
    [
        (_park("331099001", "无名园区", "331099"), UnknownCodeError),  # parent missing
        (_park("331000001", "市级园区", "331000"), ValueError),  # parent is a city
        (_park("331081001", "错位园区", "331082"), ValueError),  # code not under parent
        (_park("33108101", "短码园区", "331081"), ValueError),  # 8 characters
        (Region("331081002", "非园区", "county", "331081"), ValueError),  # wrong level
    ],
)
def test_with_parks_validation(park: Region, error: type[Exception]) -> None:
    with pytest.raises(error):
        regions().with_parks([park])


def test_with_parks_duplicate_code() -> None:
    park = _park("331081001", "温岭经济开发区", "331081")
    with pytest.raises(ValueError, match="duplicate"):
        regions().with_parks([park, park])


def test_unknown_code_suggests_closest() -> None:
    with pytest.raises(UnknownCodeError) as info:
        regions().get("331099")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert info.value.suggestion == "331083"
    assert "331083" in str(info.value) and "玉环市" in str(info.value)
    with pytest.raises(KeyError, match="黄岩区"):
        regions().get("黄岩")  # a name where a code belongs still gets a hint
    with pytest.raises(ValueError):
        regions().children("999999")


def test_invalid_level_rejected() -> None:
    with pytest.raises(ValueError, match="level"):
        Region("330000", "浙江省", "state", None)


def test_geojson_matches_counties() -> None:
    data = county_geojson()
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert len(features) == 90
    tree = regions()
    adcodes = {f["properties"]["adcode"] for f in features}
    assert adcodes == {r.code for r in tree if r.level == "county"}
    for feature in features:
        props = feature["properties"]
        county = tree.get(props["adcode"])
        assert county.level == "county"
        assert county.name == props["name"]
        assert county.parent_code == props["city_adcode"]
        assert feature["geometry"]["type"] == "MultiPolygon"


# One rule, three forms: a string, an Ibis column (run in DuckDB), a Polars expression.
CODES = ["331003", "331004", "331003101", "330102", "331000", "330000", "330302", "3310030010"]


def _three_ways(rule, region: str | None = None) -> tuple[list, list, list]:
    import ibis
    import polars as pl

    apply = (lambda c: rule(c, region)) if region is not None else rule
    frame = pl.DataFrame({"code": CODES})
    in_python = [apply(c) for c in CODES]
    in_polars = frame.select(apply(pl.col("code")).alias("out"))["out"].to_list()
    table = ibis.memtable({"code": CODES})
    con = ibis.duckdb.connect()
    in_sql = con.execute(table.select(out=apply(table.code)))["out"].to_list()
    return in_python, in_polars, in_sql


@pytest.mark.parametrize(
    ("region", "inside"),
    [
        ("330000", set(CODES)),
        ("331000", {"331003", "331004", "331003101", "331000", "3310030010"}),
        ("331003", {"331003", "331003101", "3310030010"}),
        ("331003101", {"331003101"}),
        ("330300", {"330302"}),
    ],
)
def test_in_region_one_rule_in_three_forms(region: str, inside: set[str]) -> None:
    from industry_brain.reference import in_region

    in_python, in_polars, in_sql = _three_ways(in_region, region)
    assert in_python == in_polars == in_sql == [c in inside for c in CODES]


def test_county_of_one_rule_in_three_forms() -> None:
    from industry_brain.reference import county_of

    expected = ["331003", "331004", "331003", "330102", "331000", "330000", "330302", "331003"]
    in_python, in_polars, in_sql = _three_ways(county_of)
    assert in_python == in_polars == in_sql == expected
    assert regions().get(county_of("331003101")).name == "黄岩区"


def test_contains_is_in_region_read_the_other_way() -> None:
    from industry_brain.reference.regions import contains

    assert contains("331000", "331003101") and not contains("331003", "331004")
