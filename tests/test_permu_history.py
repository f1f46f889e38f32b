"""Grade history and differentiated prices."""

import polars as pl
import pytest

from industry_brain.engines.permu.history import prices, with_history
from industry_brain.engines.permu.spec import load_method

SPEC = load_method("taizhou-huangyan-2022")


def _scores(grades):
    return pl.DataFrame({"uscc": list(grades), "grade": list(grades.values())})


def test_transition_and_consecutive_d_years():
    past = pl.DataFrame(
        {
            "uscc": ["a", "a", "a", "b", "c", "c"],
            "year": [2019, 2020, 2021, 2021, 2020, 2021],
            "grade": ["D", "D", "D", "A", "B", "D"],
        },
        schema_overrides={"year": pl.Int32},
    )
    out = with_history(_scores({"a": "D", "b": "B", "c": "D", "d": "D", "e": None}), past, 2022)
    rows = {r["uscc"]: r for r in out.to_dicts()}
    assert [rows[u]["transition"] for u in "abcde"] == ["D→D", "A→B", "D→D", "新参评", None]
    assert [rows[u]["d_years"] for u in "abcde"] == [4, 0, 2, 1, 0]


def test_highest_surcharge_not_the_sum():
    scores = pl.DataFrame(
        {"uscc": ["a", "b", "c", "d"], "grade": ["D", "D", "D", "C"], "d_years": [1, 2, 5, 0]}
    )
    out = prices(scores, SPEC)
    electricity = dict(
        out.filter(pl.col("resource") == "electricity").select("uscc", "surcharge").iter_rows()
    )
    assert electricity == {
        "a": pytest.approx(0.05),
        "b": pytest.approx(0.10),
        "c": pytest.approx(0.15),
    }
    gas = out.filter(pl.col("resource") == "gas")
    assert gas["uscc"].to_list() == ["a", "b", "c"] and set(gas["surcharge"]) == {1.0}
