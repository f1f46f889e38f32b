"""A plan's indicator table read from Excel (engines/progress/plan_table.py): what each row is
read as, what is inferred, and every cell that cannot be read, located."""

from __future__ import annotations

from industry_brain.engines.progress.catalog import parse_plan
from industry_brain.engines.progress.plan_table import read_rows, read_table

from helpers import write_xlsx

HEADER = ["类别", "指标", "单位", "基期值", "目标值", "属性"]


def _read(rows, first_row=1, first_col=0):
    cells = [[None if c is None else str(c) for c in r] for r in rows]
    return read_rows(cells, first_row, first_col, 2020, 2025)


def test_rows_are_read_with_inferred_direction_measure_and_formula():
    rows, problems = _read([
        ["表1 主要指标"], HEADER,
        ["规模效益", "规上工业亩均税收", "万元/亩", "31.2*", ">40", "预期性"],
        [None, "单位工业增加值能耗", "吨标准煤/万元", "0.6", "0.5以下", "约束性"],
        ["结构", "工业投资增速", "%", "—", "年均10", "预期性"],
        [None, "制造业增加值占GDP比重", "%", "35", "保持35左右", "预期性"],
    ])  # fmt: skip
    assert problems == []
    got = {r.cells["name"]: r.indicator for r in rows}
    tax = got["规上工业亩均税收"]
    assert (tax["baseline"], tax["baseline_year"], tax["formula"]) == (31.2, 2019, "tax_per_mu")
    assert tax["category"] == "规模效益" and tax["direction"] == "up"
    assert got["单位工业增加值能耗"]["direction"] == "down"
    assert got["单位工业增加值能耗"]["category"] == "规模效益"  # continues the row above
    growth = got["工业投资增速"]
    assert (growth["measure"], growth["baseline"], growth["formula"]) == ("rate", None, None)
    assert got["制造业增加值占GDP比重"]["direction"] == "maintain"
    assert rows[0].row == 3  # the sheet's own row numbers


def test_every_unreadable_cell_is_located_with_its_code():
    rows, problems = _read([
        HEADER,
        ["规模", "", "亿元", "12", "20", "预期性"],
        [None, "规上企业数", "家", "很多", "2025年6000家", "必须"],
        [None, "规上企业数", "家", "1", "2", "预期性"],
    ], first_row=5, first_col=1)  # fmt: skip
    found = {(p.cell, p.code) for p in problems}
    assert found == {
        ("C6", "plan_row_invalid"),  # no name
        ("E7", "baseline_unreadable"),
        ("F7", "target_unreadable"),
        ("G7", "plan_row_invalid"),  # 属性 必须
        ("C8", "plan_row_invalid"),  # repeated
    }
    assert all(p.message and p.title for p in problems)
    assert [r.indicator is None for r in rows] == [True, True, True]


def test_a_table_without_a_header_or_columns_says_so():
    _, problems = _read([["a", "b"], ["c", "d"]])
    assert [p.code for p in problems] == ["plan_table_invalid"]
    assert "未找到表头" in problems[0].message
    _, problems = _read([["指标", "目标值"], ["x", "1"]])
    assert "表头缺少“单位”“基期值”“属性”列" in problems[0].message


def test_a_read_table_is_a_valid_plan_text(tmp_path):
    row = ["规模", "规模以上工业总产值", "亿元", "5269", "1万亿元", "预期性"]
    path = write_xlsx(tmp_path / "t.xlsx", [HEADER, row])
    table, text = read_table(
        path, name="331003-2020-2025", title="黄岩规划", region_code="331003", issuer="黄岩区",
        base_year=2020, target_year=2025, file="t.xlsx", header="imported\nby test",
        max_unpacked_mb=50,
    )  # fmt: skip
    assert table.ok and text is not None and text.startswith("# imported\n# by test\n")
    plan = parse_plan(text)
    assert plan.indicators[0].parsed.value == 10000 and plan.notes == []
