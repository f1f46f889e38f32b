"""Properties of reading a sheet's layout: however a statistics table is laid out — a title
and a units line or not, one or two header rows, the unit in the header, in a parent, in a
units row or in the title, a 序号 column, any column order, any of each field's names, 合计 and
注 rows below, xlsx or csv — the same figures are read, in canonical units."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain.ingest.spec import load_spec
from industry_brain.ingest.validate import validate_file

from helpers import make_uscc, write_csv

SPEC = load_spec("statistics")
FIELDS = ["revenue", "output", "value_added", "employees", "profit"]
UNITS = {"万元": 1.0, "千元": 0.1, "元": 1e-4}  # money written in this unit → 万元
ROWS = [
    {"revenue": 5000.0 + 100 * i, "output": 5200.0 + 90 * i, "value_added": 1100.0 + 10 * i}
    | {"employees": 120.0 + i, "profit": 300.0 - 50 * i}
    for i in range(5)
]


@st.composite
def layouts(draw: st.DrawFn) -> dict:
    order = draw(st.permutations(FIELDS))
    names = {
        f: draw(st.sampled_from((SPEC.field(f).title, *SPEC.field(f).headers))) for f in FIELDS
    }
    return {
        "order": order,
        "names": names,
        "unit": draw(st.sampled_from(sorted(UNITS))),
        "unit_at": draw(st.sampled_from(["header", "parent", "units_row", "title"])),
        "title": draw(st.booleans()),
        "serial": draw(st.booleans()),
        "below": draw(st.booleans()),
        "csv": draw(st.booleans()),
    }


def _rows(layout: dict) -> list[list[object]]:
    unit, at, money = (
        layout["unit"],
        layout["unit_at"],
        {"revenue", "output", "value_added", "profit"},
    )

    def header(f: str) -> str:
        own = (
            f"{layout['names'][f]}（{unit}）"
            if at == "header" and f in money
            else layout["names"][f]
        )
        return own if f in money or f != "employees" else f"{own}（人）"

    fields = layout["order"]
    ids = ["统一社会信用代码", "单位详细名称"]
    lead = ["序号"] if layout["serial"] else []
    top: list[list[object]] = []
    if layout["title"] or at == "title":
        suffix = f"（单位：{unit}）" if at == "title" else ""
        top.append([f"2023年规模以上工业企业主要经济指标{suffix}"])
    if at == "parent":
        parents = [f"经济指标（{unit}）" if f in money else "其他" for f in fields]
        top.append([*["" for _ in lead], "基本情况", "", *parents])
    top.append([*lead, *ids, *(header(f) for f in fields)])
    if at == "units_row":
        top.append([*["" for _ in lead], "", "", *(unit if f in money else "人" for f in fields)])
    body = []
    for i, values in enumerate(ROWS):
        row = [make_uscc("331003", i + 1), f"台州测试{i}有限公司"]
        cells = [values[f] / (UNITS[unit] if f in money else 1.0) for f in fields]
        body.append([*([i + 1] if lead else []), *row, *cells])
    end = [[*(["合计"] if lead else []), *([] if lead else ["合计"])], ["注：数据来源于统计局"]]
    return [*top, *body, *(end if layout["below"] else [])]


def _write(path: Path, rows: list[list[object]], as_csv: bool) -> Path:
    if as_csv:
        return write_csv(path.with_suffix(".csv"), rows)
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append([None if v == "" else v for v in row])
    wb.save(path.with_suffix(".xlsx"))
    return path.with_suffix(".xlsx")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts())
def test_any_layout_gives_the_same_figures(tmp_path, layout):
    path = _write(tmp_path / "stats", _rows(layout), layout["csv"])
    v = validate_file(path, "statistics", 2023)
    assert v.ok and v.errors.height == 0, (layout, v.problems, v.errors.to_dicts())
    got = v.valid.sort("__row")
    for f in FIELDS:
        assert got[f].to_list() == pytest.approx([r[f] for r in ROWS]), (f, layout)
    assert v.skipped.get("total", 0) + v.skipped.get("note", 0) == (2 if layout["below"] else 0)
