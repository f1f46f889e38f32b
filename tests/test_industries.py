"""Tests for industry_brain.reference.industries against the bundled GB/T 4754-2017 table."""

from __future__ import annotations

from collections import Counter

import pytest

from industry_brain.reference import (
    Industry,
    UnknownCodeError,
    industries,
    is_industrial,
    is_manufacturing,
)


def test_counts() -> None:
    table = industries()
    assert len(table) == 1971
    assert Counter(i.level for i in table) == {
        "section": 20,
        "division": 97,
        "group": 473,
        "class": 1381,
    }
    assert len(table.classes()) == 1381
    assert all(len(i.code) == 4 for i in table.classes())
    assert industries() is table  # cached


def test_industrial_and_manufacturing_counts() -> None:
    classes = [i.code for i in industries().classes()]
    assert sum(is_industrial(c) for c in classes) == 666
    assert sum(is_manufacturing(c) for c in classes) == 609
    divisions = [i.code for i in industries() if i.level == "division"]
    assert sum(is_industrial(c) for c in divisions) == 41
    assert sum(is_manufacturing(c) for c in divisions) == 31
    # Manufacturing is exactly section C.
    assert {c for c in classes if is_manufacturing(c)} == {
        i.code for i in industries().classes() if i.section == "C"
    }


@pytest.mark.parametrize(
    ("code", "industrial", "manufacturing"),
    [
        ("06", True, False),
        ("05", False, False),
        ("46", True, False),
        ("47", False, False),
        ("13", True, True),
        ("43", True, True),
        ("44", True, False),
        ("3670", True, True),
        ("367", True, True),
        ("0610", True, False),
        ("C", False, False),
        ("99", False, False),
        ("", False, False),
        ("3671", False, False),  # digits in range but not a real code
        ("36700", False, False),
        ("０６", False, False),  # full-width digits
        (" 36", False, False),
    ],
)
def test_is_industrial_edge_cases(code: str, industrial: bool, manufacturing: bool) -> None:
    assert is_industrial(code) is industrial
    assert is_manufacturing(code) is manufacturing


def test_get_and_contains() -> None:
    table = industries()
    assert table.get("3670") == Industry("3670", "汽车零部件及配件制造", "class", "367", "C")
    assert table.get("C").level == "section"
    assert table.get("c").code == "C"
    assert "3670" in table and "C" in table
    assert "3671" not in table and None not in table


def test_ancestors_and_descendants() -> None:
    table = industries()
    assert [i.code for i in table.ancestors("3670")] == ["C", "36", "367"]
    assert [i.code for i in table.ancestors("36")] == ["C"]
    assert table.ancestors("C") == []
    below = table.descendants("36")
    assert [i.code for i in below[:2]] == ["361", "3611"]  # depth first
    assert all(i.code.startswith("36") for i in below)
    assert table.descendants("3670") == []
    section_c = table.descendants("C")
    assert sum(i.level == "division" for i in section_c) == 31
    assert sum(i.level == "class" for i in section_c) == 609
    assert [i.code for i in table.children("367")] == ["3670"]


def test_division() -> None:
    table = industries()
    assert table.division("3670").code == "36"
    assert table.division("367").code == "36"
    assert table.division("36").code == "36"
    assert table.division("0610").name == "煤炭开采和洗选业"
    with pytest.raises(ValueError, match="section"):
        table.division("C")


def test_unknown_code_suggests_closest() -> None:
    with pytest.raises(UnknownCodeError) as info:
        industries().get("3671")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert info.value.suggestion == "3670"
    assert "3670" in str(info.value) and "汽车零部件及配件制造" in str(info.value)
    with pytest.raises(KeyError, match="'36'"):
        industries().get("汽车制造")
    with pytest.raises(ValueError):
        industries().ancestors("9999")


def test_hierarchy_is_consistent() -> None:
    table = industries()
    for industry in table:
        if industry.level == "section":
            assert industry.parent_code is None and industry.section == industry.code
        else:
            assert industry.parent_code is not None
            parent = table.get(industry.parent_code)
            assert parent.section == industry.section


def test_industrial_bounds_and_the_column_forms_agree() -> None:
    import ibis
    import polars as pl

    from industry_brain.reference import INDUSTRIAL

    assert INDUSTRIAL == (6, 46)
    codes = ["0511", "0610", "1311", "3670", "4620", "4710", "05", "06", "46", "47"]
    expected = [c[:2] not in ("05", "47") for c in codes]
    assert [is_industrial(c) for c in codes] == expected
    frame = pl.DataFrame({"code": codes})
    assert frame.select(is_industrial(pl.col("code")))["code"].to_list() == expected
    table = ibis.memtable({"code": codes})
    found = ibis.duckdb.connect().execute(table.select(out=is_industrial(table.code)))
    assert found["out"].to_list() == expected
