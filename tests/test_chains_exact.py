"""Shares that are exactly a threshold land on the same side of it whatever the order of the
trade rows: amounts are added in whole 分 (engines/chains/purchases.py). Before, the 1M × 50M
benchmark found a share of exactly 0.5 read as 0.49999999999999994 in one run and 0.5 in
another, so `critical_share` (0.5) flagged it or not."""

from __future__ import annotations

import pytest

from industry_brain.engines import engine
from industry_brain.engines.chains.spec import load_spec

from chain_helpers import tables, trade, uscc

B, S = uscc("331002", 1), uscc("331002", 2)
OTHERS = [uscc("331003", 3 + i) for i in range(4)]
REGISTER = [(B, "买方", "331002", "3670"), (S, "供方", "331002", "2662")]
REGISTER += [(o, f"其他{i}", "331003", "2662") for i, o in enumerate(OTHERS)]
AMOUNTS = {  # S sells 12.6351 of the buyer's 25.2702 万元 of class 2662: exactly half
    S: [5.7259, 2.8554, 4.0538],
    OTHERS[0]: [6.6947, 2.9432],
    OTHERS[1]: [-0.1151, 0.6216, 1.1015],
    OTHERS[2]: [0.4035, 0.4483],
    OTHERS[3]: [0.0763, 0.1265, 0.0857, 0.1465, 0.1024],
}
ROWS = [(B, s, "x", None, "2662", a) for s, amounts in AMOUNTS.items() for a in amounts]
ORDERS = {"as given": ROWS, "reversed": ROWS[::-1], "by amount": sorted(ROWS, key=lambda r: r[5])}


@pytest.mark.parametrize("order", ORDERS)
def test_a_share_of_exactly_the_threshold_is_at_it_in_any_row_order(order: str) -> None:
    spec = load_spec("taizhou-supply-risk-2025")
    assert spec.thresholds.critical_share == 0.5
    out = engine("chains").evaluate(tables(trade(ORDERS[order]), REGISTER, {B: 100.0}), spec, 2024)
    inputs = out["chain_input"]
    assert inputs["top1_share"].to_list() == [0.5]
    assert inputs["top1_supplier"].to_list() == [S]
    assert inputs["purchases"].to_list() == [25.2702]
    supplier = out["chain_supplier"].filter(supplier=S)
    assert supplier["dependent_buyers"].to_list() == [1]
    assert supplier["sales"].to_list() == [12.6351]
    assert supplier["output_at_risk"].to_list() == [50.0]


def test_an_outside_share_of_exactly_the_threshold_is_flagged() -> None:
    """5.1094 + 5.6724 万元 bought outside the province of 21.5636 in all: exactly half, though
    the two suppliers' floating-point shares add up to 0.49999999999999994."""
    far1, far2, near = uscc("320506", 9), uscc("320583", 10), uscc("331003", 8)
    rows = [(B, far1, "远一", None, "2662", 5.1094), (B, far2, "远二", None, "2662", 5.6724)]
    rows += [(B, near, "近", None, "2662", 7.9619), (B, OTHERS[0], "近二", None, "2662", 2.8199)]
    assert 5.1094 / 21.5636 + 5.6724 / 21.5636 < 0.5
    spec = load_spec("taizhou-supply-risk-2025")
    assert spec.thresholds.outside_share == 0.5
    out = engine("chains").evaluate(tables(trade(rows), REGISTER, {B: 1.0}), spec, 2024)
    assert out["chain_input"]["outside_province_share"].to_list() == [0.5]
    assert "outside_dependence" in out["chain_flag"]["kind"].to_list()
