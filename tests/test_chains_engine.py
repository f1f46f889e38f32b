"""The supply-risk engine against a small world worked by hand from docs/chains.md.

Register (city 331000): buyers B1, B2, B3 (output 1000, 500, 200 万元), local suppliers S1, S2
(class 3484) and Y (class 3130), an enterprise of Ningbo (not screened). Outside the register:
X, registered in Suzhou (USCC region 320500), and 宁波甲, named only, region 330200.

Purchases in 2024 (万元):
- B1 3484: S1 90, S2 10 → shares .9/.1, HHI .82: single source (≥ .8).
- B1 3360: X 60, 宁波甲 40 → outside the province .6 (≥ .5), outside the city 1.0, HHI .52.
- B2 3484: S1 30 + 30, S2 45 − 5 (a red-letter row) → .6/.4.
- B3 3484: S1 15, S2 5 → .75/.25; B3 3360: X 5 → 5 < 10 万元: not screened.
- S1 3130: Y 50 → single source 1.0.
- the Ningbo enterprise buys 3484 from S1 100: not a buyer of the city.
S1's share is ≥ .5 for B1, B2 and B3: three dependent buyers, so S1 is a critical supplier.
Output at risk: S1 1000·.9 + 500·.6 + 200·.75 = 1350; S2 100 + 200 + 50 = 350; X 600; 宁波甲 400.
Betweenness: Y → S1 → B1, B2, B3: three of the 8·… pairs' shortest paths pass S1;
directed normalisation 1/((n−1)(n−2)) with n = 8 nodes → 3/42.

A chain 汽车 of three segments: 钢材 (3130: Y, no output this year), 紧固件 (3484: S1 active,
S2 not), 零部件 (3670: B1, B2, B3; the Ningbo enterprise is not the city's). 零部件: output
1700, last year 1500 → growth 2/15; flagged B1 (single source, outside, critical), B2, B3
(critical). Its worst single failure is S1 (1350); its three worst suppliers S1 1350, X 600,
宁波甲 400 failing together: B1 loses all of 3360 → 1000, B2 .6 → 300, B3 .75 → 150 = 1450.
零部件's 亩均税收: (50 + 20) / (10 + 10) = 3.5 万元/亩 (B3 has no tax or land figures).
紧固件 (S1, and S3 which trades with nobody; S3 graded A; S2, graded B, is not active): S1
loses all its 3130 if Y fails → 300. 链主: B1, B2, S1, B3, S3 by output.

Backups. S3 (3484, 椒江, output 50, grade A in the 2024 亩均 run) and S4 (3489: the same group
348, a 降准 substitute, output 500, no grade). S2's grade: B, from the 2023 run (the 2024 run
did not grade it). For B1's 3484 (flagged for S1): S3 (same class, grade A), S2 (same, B),
S4 (substitute) — S1 never. For B1's 3360 (outside the province): 宁波甲, known from trade,
in the province. S1's 3130 (flagged for Y): nobody else makes 3130."""

from __future__ import annotations

import pytest

from industry_brain.engines import engine as find_engine
from industry_brain.engines.chains.spec import ChainScope, SegmentScope, load_spec

from chain_helpers import tables, trade, uscc

B1, B2, B3 = uscc("331002", 1), uscc("331003", 2), uscc("331004", 3)
S1, S2, Y = uscc("331002", 4), uscc("331081", 5), uscc("331002", 6)
NB, X = uscc("330203", 7), uscc("320500", 8)
S3, S4 = uscc("331002", 10), uscc("331002", 11)
REGISTER = [
    (B1, "甲汽车", "331002", "3670"), (B2, "乙汽车", "331003", "3670"),
    (B3, "丙汽车", "331004", "3670"), (S1, "一号紧固件", "331002", "3484"),
    (S2, "二号紧固件", "331081", "3484"), (Y, "钢材", "331002", "3130"),
    (NB, "宁波汽车", "330203", "3670"), (S3, "三号紧固件", "331002", "3484"),
    (S4, "四号零件", "331002", "3489"),
]  # fmt: skip
ROWS = [
    (B1, S1, "一号紧固件", None, None, 90), (B1, S2, "二号紧固件", None, None, 10),
    (B1, X, "苏州某", None, "3360", 60), (B1, None, "宁波甲", "330200", "3360", 40),
    (B2, S1, "一号紧固件", None, None, 30), (B2, S1, "一号紧固件", None, None, 30),
    (B2, S2, "二号紧固件", None, None, 45), (B2, S2, "二号紧固件", None, None, -5),
    (B3, S1, "一号紧固件", None, None, 15), (B3, S2, "二号紧固件", None, None, 5),
    (B3, X, "苏州某", None, "3360", 5), (S1, Y, "钢材", None, None, 50),
    (NB, S1, "一号紧固件", None, None, 100),
]  # fmt: skip
OUTPUT = {B1: 1000.0, B2: 500.0, B3: 200.0, S1: 300.0, NB: 900.0, S3: 50.0, S4: 500.0}
TAX_LAND = {B1: (50.0, 10.0), B2: (20.0, 10.0)}
GRADES = [(1, 2023, S2, "B"), (2, 2024, S3, "A"), (2, 2024, S2, None)]
BEFORE = {B1: 800.0, B2: 500.0, B3: 200.0}
CHAIN = ChainScope(
    id="test-auto",
    name="汽车",
    segments=(
        SegmentScope(id="steel", name="钢材", stage="upstream", classes=("3130",)),
        SegmentScope(id="fasteners", name="紧固件", stage="upstream", classes=("3484",)),
        SegmentScope(id="parts", name="零部件", stage="midstream", classes=("3670",)),
    ),
)


@pytest.fixture(scope="module")
def result():
    chains = find_engine("chains")
    spec = load_spec("taizhou-supply-risk-2025").model_copy(update={"chains": (CHAIN,)})
    return chains.evaluate(
        tables(trade(ROWS), REGISTER, OUTPUT, BEFORE, GRADES, TAX_LAND), spec, 2024
    )


def test_each_input_is_measured_as_worked_by_hand(result):
    rows = {(r["buyer_uscc"], r["input_class"]): r for r in result["chain_input"].to_dicts()}
    assert set(rows) == {(B1, "3484"), (B1, "3360"), (B2, "3484"), (B3, "3484"), (S1, "3130")}
    b1 = rows[(B1, "3484")]
    assert b1["purchases"] == 100 and b1["suppliers"] == 2 and b1["top1_supplier"] == S1
    assert b1["hhi"] == pytest.approx(0.82, abs=1e-12) and b1["top1_share"] == 0.9
    assert b1["outside_city_share"] == 0 and b1["top3_share"] == pytest.approx(1.0)
    far = rows[(B1, "3360")]
    assert far["hhi"] == pytest.approx(0.52) and far["top1_supplier"] == X
    assert far["outside_province_share"] == pytest.approx(0.6)
    assert far["outside_city_share"] == pytest.approx(1.0) and far["unknown_region_share"] == 0
    assert rows[(B2, "3484")]["top1_share"] == pytest.approx(0.6)  # the red-letter row netted
    assert rows[(B2, "3484")]["purchases"] == pytest.approx(100.0)


def test_the_flags_are_those_worked_by_hand(result):
    found = [
        (r["buyer_uscc"], r["input_class"], r["kind"], r["supplier"], round(r["figure"], 12))
        for r in result["chain_flag"].to_dicts()
    ]
    assert found == sorted(  # in the run's order: buyer, input class, kind, supplier
        [
            (B1, "3360", "outside_dependence", None, 0.6),
            (B1, "3484", "critical_supplier", S1, 0.9),
            (B1, "3484", "single_source", S1, 0.9),
            (B2, "3484", "critical_supplier", S1, 0.6),
            (B3, "3484", "critical_supplier", S1, 0.75),
            (S1, "3130", "single_source", Y, 1.0),
        ],
        key=lambda f: (f[0], f[1], f[2], f[3] or ""),
    )


def test_each_supplier_is_measured_as_worked_by_hand(result):
    rows = {r["supplier"]: r for r in result["chain_supplier"].to_dicts()}
    assert set(rows) == {S1, S2, X, "名称:宁波甲", Y}
    assert rows[S1]["output_at_risk"] == pytest.approx(1350)
    assert rows[S1]["critical"] and rows[S1]["dependent_buyers"] == 3
    assert rows[S1]["buyers"] == 3 and rows[S1]["sales"] == pytest.approx(165)  # not Ningbo's
    assert rows[S2]["output_at_risk"] == pytest.approx(350) and not rows[S2]["critical"]
    assert rows[X]["output_at_risk"] == pytest.approx(600) and rows[X]["buyers"] == 2
    assert rows["名称:宁波甲"]["supplier_region"] == "330200"
    assert rows[X]["supplier_region"] == "320500"  # from its USCC
    assert rows[S1]["betweenness"] == pytest.approx(3 / 42)
    assert rows[Y]["betweenness"] == 0 and rows[Y]["output_at_risk"] == pytest.approx(300)


def test_each_segment_is_measured_as_worked_by_hand(result):
    rows = {r["segment_id"]: r for r in result["chain_segment"].to_dicts()}
    assert list(rows) == ["fasteners", "parts", "steel"]  # in the run's order
    parts = rows["parts"]
    assert parts["enterprises"] == 3 and parts["output"] == 1700 and parts["stage"] == "midstream"
    assert parts["growth"] == pytest.approx(2 / 15) and parts["flagged"] == 3
    assert (parts["single_source_flags"], parts["outside_dependence_flags"]) == (1, 1)
    assert parts["critical_supplier_flags"] == 3
    assert parts["exposure_one"] == pytest.approx(1350)
    assert parts["exposure_several"] == pytest.approx(1450)
    assert parts["tax_per_mu"] == pytest.approx(3.5)
    assert (parts["grade_a"], parts["grade_b"]) == (0, 0)
    fasteners = rows["fasteners"]
    assert (fasteners["grade_a"], fasteners["grade_b"]) == (1, 0)
    assert fasteners["enterprises"] == 2 and fasteners["output"] == 350
    assert fasteners["exposure_one"] == pytest.approx(300) and fasteners["flagged"] == 1
    assert fasteners["growth"] is None  # no output last year
    steel = rows["steel"]
    assert steel["enterprises"] == 0 and steel["output"] == 0 and steel["exposure_one"] == 0
    assert steel["chain_name"] == "汽车" and steel["segment_name"] == "钢材"


def test_the_chain_leaders_are_its_largest_enterprises(result):
    leaders = result["chain_leader"]
    assert leaders["uscc"].to_list() == [B1, B2, S1, B3, S3]
    assert leaders["rank"].to_list() == [1, 2, 3, 4, 5]


def test_backup_suppliers_are_ranked_as_worked_by_hand(result):
    backup = result["chain_backup"]
    found = {}
    for r in backup.to_dicts():
        found.setdefault((r["buyer_uscc"], r["input_class"]), []).append(r)
    assert set(found) == {(B1, "3484"), (B2, "3484"), (B3, "3484"), (B1, "3360")}
    b1 = found[(B1, "3484")]
    assert [r["candidate"] for r in b1] == [S3, S2, S4]
    assert [r["match"] for r in b1] == ["same", "same", "substitute"]
    assert [r["grade"] for r in b1] == ["A", "B", None]
    assert [r["distance"] for r in b1] == [0, 1, 0] and {r["tier"] for r in b1} == {"city"}
    assert [r["supplies_already"] for r in b1] == [False, True, False]
    assert b1[1]["customers"] == 3 and b1[0]["customers"] == 0
    [far] = found[(B1, "3360")]
    assert far["candidate"] == "名称:宁波甲" and far["tier"] == "province"
    assert far["distance"] == 2 and far["candidate_region"] == "330200"
    assert S1 not in backup["candidate"].to_list()
