"""Properties of the supply-risk engine on random small worlds (Hypothesis): it agrees with a
direct pandas computation of docs/chains.md to 1e-9, its betweenness with networkx's; adding
a supplier never raises an input's concentration; a supplier selling to no screened buyer is
never critical; the row order of the trade file changes nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain.engines import engine
from industry_brain.engines.chains.spec import load_spec

from chain_helpers import tables, trade, uscc

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
import _chains_pandas as reference

SPEC = load_spec("taizhou-supply-risk-2025")
METHOD = reference.Method("3310", "33")
BUYERS = [uscc(r, i) for i, r in enumerate(["331002", "331003", "331081", "331002"], 1)]
ELSEWHERE = uscc("330203", 9)  # a Ningbo enterprise: in the register, not screened
LOCAL = [uscc("331002", 20 + i) for i in range(3)]  # registered suppliers, class 3484
REGISTER = [(b, f"买方{i}", b[2:8], "3670") for i, b in enumerate(BUYERS)]
REGISTER += [(s, f"本地{i}", "331002", "3484") for i, s in enumerate(LOCAL)]
REGISTER += [(ELSEWHERE, "宁波", "330203", "3670")]
SELLERS = [  # (seller_uscc, seller_name, seller_region)
    *[(s, f"本地{i}", None) for i, s in enumerate(LOCAL)],
    (uscc("320500", 30), "苏州", None), (uscc("330200", 31), "宁波乙", None),
    (None, "宁波丙", "330200"), (None, "德国丁", "abroad"), (None, "无名戊", None),
    *[(b, f"买方{i}", None) for i, b in enumerate(BUYERS[:2])],  # buyers selling on
]  # fmt: skip
OUTPUT = {b: 100.0 * (i + 1) for i, b in enumerate(BUYERS)} | {LOCAL[0]: 50.0}
REGISTER_FRAME = pd.DataFrame(REGISTER, columns=["uscc", "name", "region_code", "industry_code"])
OUTPUT_SERIES = pd.Series(OUTPUT)

row = st.tuples(
    st.sampled_from([*BUYERS, ELSEWHERE]),
    st.sampled_from(SELLERS),
    st.sampled_from([None, "3484", "3360"]),
    st.one_of(st.integers(1, 200), st.integers(-20, -1)).map(float),
)
worlds = st.lists(row, min_size=1, max_size=40)
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _trade(rows) -> pl.DataFrame:
    return trade([(b, s[0], s[1], s[2], c, a) for b, s, c, a in rows])


def _run(rows):
    return engine("chains").evaluate(tables(_trade(rows), REGISTER, OUTPUT), SPEC, 2024)


def _same(ours: pl.DataFrame, theirs, columns: list[str]) -> None:
    expected = pl.from_pandas(theirs[columns].reset_index(drop=True), include_index=False)
    assert ours.height == expected.height
    for c in columns:
        a, b = ours[c].to_list(), expected[c].to_list()
        if ours[c].dtype == pl.Float64:
            assert a == pytest.approx(b, abs=1e-9, nan_ok=True), c
        else:
            assert a == [None if v != v else v for v in b], c  # pandas' NaN for a missing text


def _reference(rows):
    return reference.screen(_trade(rows).to_pandas(), REGISTER_FRAME, OUTPUT_SERIES, METHOD, 2024)


@SLOW
@given(worlds)
def test_the_engine_agrees_with_a_direct_computation(rows):
    ours, theirs = _run(rows), _reference(rows)
    inputs = theirs["chain_input"].sort_values(["buyer_uscc", "input_class"])
    _same(ours["chain_input"], inputs, list(ours["chain_input"].columns))
    _same(ours["chain_flag"], theirs["chain_flag"], list(ours["chain_flag"].columns))
    columns = [c for c in ours["chain_supplier"].columns if c != "betweenness"]
    _same(ours["chain_supplier"], theirs["chain_supplier"], columns)


@SLOW
@given(worlds)
def test_betweenness_agrees_with_networkx(rows):
    p = reference.purchases(_trade(rows).to_pandas(), REGISTER_FRAME, METHOD, 2024)
    graph = nx.DiGraph(list(zip(p["supplier"], p["buyer_uscc"], strict=True)))
    expected = nx.betweenness_centrality(graph, normalized=True)
    for r in _run(rows)["chain_supplier"].iter_rows(named=True):
        assert r["betweenness"] == pytest.approx(expected[r["supplier"]], abs=1e-12)


@SLOW
@given(worlds, st.data())
def test_another_supplier_never_raises_an_inputs_concentration(rows, data):
    before = _run(rows)["chain_input"]
    if before.height == 0:
        return
    buyer, input_class = data.draw(
        st.sampled_from(before.select("buyer_uscc", "input_class").rows())
    )
    amount = float(data.draw(st.integers(1, 500)))
    more = [*rows, (buyer, (None, "新供应商", "331002"), input_class, amount)]
    after = _run(more)["chain_input"]
    key = (pl.col("buyer_uscc") == buyer) & (pl.col("input_class") == input_class)
    b, a = before.filter(key).row(0, named=True), after.filter(key).row(0, named=True)
    assert a["hhi"] <= b["hhi"] + 1e-12 and a["top1_share"] <= b["top1_share"] + 1e-12
    assert a["suppliers"] == b["suppliers"] + 1


@SLOW
@given(worlds)
def test_a_supplier_with_no_screened_buyer_is_never_critical(rows):
    lone = (None, "只卖宁波", "330200")  # sells only to an enterprise outside the city
    more = [*rows, *[(ELSEWHERE, lone, c, 1000.0) for c in ("3484", "3360", None)]]
    found = _run(more)
    assert "名称:只卖宁波" not in found["chain_supplier"]["supplier"].to_list()
    assert "名称:只卖宁波" not in found["chain_flag"]["supplier"].to_list()
    critical = found["chain_supplier"].filter(pl.col("critical"))
    assert (critical["dependent_buyers"] >= SPEC.thresholds.critical_buyers).all()


@SLOW
@given(worlds, st.randoms(use_true_random=False))
def test_the_row_order_changes_nothing(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    one, two = _run(rows), _run(shuffled)
    for name, frame in one.items():
        assert frame.equals(two[name]), name


@SLOW
@given(worlds)
def test_backups_are_never_the_failing_supplier_nor_outside_the_declared_classes(rows):
    found = _run(rows)
    failing = {
        (f["buyer_uscc"], f["input_class"], f["supplier"])
        for f in found["chain_flag"].to_dicts()
        if f["supplier"]
    }
    declared = SPEC.backup.substitutes
    for r in found["chain_backup"].to_dicts():
        need = (r["buyer_uscc"], r["input_class"])
        assert (*need, r["candidate"]) not in failing and r["candidate"] != r["buyer_uscc"]
        own, theirs = r["input_class"], r["candidate_class"]
        if r["match"] == "same":
            assert theirs == own
        else:
            assert theirs in declared.get(own, ()) or (theirs[:3] == own[:3] and theirs != own)
