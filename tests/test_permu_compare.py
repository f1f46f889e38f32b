"""The what-if comparison's numbers add up (issue 14: 档次变化 1,479 with 参评 0 and 上调 + 下调 =
0 was seen): for every county and group, 参评 ≥ 档次变化 = 上调 + 下调, and every enterprise
whose grade or status differs is listed once."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain.engines.permu.compare import compare
from industry_brain.engines.permu.spec import GRADES

COUNTIES = ["331002", "331003", "331004"]
COLUMNS = {"uscc": pl.Utf8, "name": pl.Utf8, "region_code": pl.Utf8, "status": pl.Utf8}
COLUMNS |= {"grade": pl.Utf8, "total": pl.Float64, "group": pl.Utf8}


@st.composite
def results(draw: st.DrawFn, usccs: list[str]) -> pl.DataFrame:
    rows = []
    for uscc in usccs:
        if draw(st.booleans()):  # evaluated, with a grade
            status, grade = "evaluated", draw(st.sampled_from(GRADES))
        else:
            status, grade = draw(st.sampled_from(["excluded", "insufficient"])), None
        county = COUNTIES[int(uscc[-1]) % len(COUNTIES)]
        group = draw(st.sampled_from(["规上", "规下", None]))
        rows.append([uscc, f"企业{uscc}", county + "101", status, grade, 60.0, group])
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


@st.composite
def pairs(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = [f"9133{n:014d}" for n in range(draw(st.integers(0, 30)))]
    both = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
    only_before = [u for u in ids if u not in both and int(u[-2:]) % 2 == 0]
    only_after = [u for u in ids if u not in both and u not in only_before]
    return draw(results(both + only_before)), draw(results(both + only_after))


@settings(max_examples=200, deadline=None)
@given(pairs())
def test_the_what_if_numbers_add_up(pair: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    before, after = pair
    changes, summary = compare(before, after)
    for r in summary.iter_rows(named=True):
        assert r["evaluated"] >= r["changed"] == r["up"] + r["down"]
    graded = {r["uscc"]: r["grade"] for r in before.iter_rows(named=True) if r["grade"]}
    graded_after = {r["uscc"]: r["grade"] for r in after.iter_rows(named=True) if r["grade"]}
    common = graded.keys() & graded_after.keys()
    assert summary["evaluated"].sum() == len(common)
    assert summary["changed"].sum() == sum(graded[u] != graded_after[u] for u in common)
    assert summary["entered"].sum() == len(graded_after.keys() - graded.keys())
    assert summary["left"].sum() == len(graded.keys() - graded_after.keys())
    state = {r["uscc"]: (r["status"], r["grade"]) for r in before.iter_rows(named=True)}
    state_after = {r["uscc"]: (r["status"], r["grade"]) for r in after.iter_rows(named=True)}
    differ = {u for u in state.keys() | state_after.keys() if state.get(u) != state_after.get(u)}
    assert sorted(changes["uscc"]) == sorted(differ)  # each listed once
    assert changes["county"].null_count() == 0  # every row has its county, before or after
