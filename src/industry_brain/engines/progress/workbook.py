"""The monitoring workbook: the table, the roll-up by category, the actuals and the method.

Chinese headers; the same plan, actuals and method give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.engines.progress.assess import ORIGIN_LABELS
from industry_brain.engines.progress.method import STATUS_LABELS, VERDICT_LABELS
from industry_brain.engines.progress.monitor import (
    KIND_LABELS,
    STAGE_LABELS,
    Monitoring,
    rollup_rows,
)
from industry_brain.xlsx import new_workbook, write_rows

TABLE = {
    "category": "一级指标",
    "name": "指标",
    "unit": "单位",
    "attribute": "属性",
    "baseline": "基期值",
    "baseline_year": "基期年份",
    "target": "目标（原文）",
    "kind": "目标类型",
    "target_value": "目标值",
    "actual": "实际值",
    "actual_year": "实际值年份",
    "origin": "取得方式",
    "ratio": "进度比R",
    "projected": "推算目标年值",
    "status_label": "进度状态",
    "reason": "不能自动评估的原因",
    "notes": "备注",
    "source": "数据来源",
}
FINAL = {"verdict": "评估结论", "basis": "结论依据"}


def _cell(key: str, value: Any) -> Any:
    if key == "kind":
        return KIND_LABELS[value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def write_monitoring(path: Path, m: Monitoring, actuals: dict[str, dict[int, Any]]) -> Path:
    series = [
        [i.name, year, round(a.value, 6), ORIGIN_LABELS[a.origin], a.source, a.note]
        for i in m.plan.indicators
        for year, a in sorted(actuals.get(i.id, {}).items())
    ]
    method = [[k, v] for k, v in m.method.model_dump().items()] + [[n, ""] for n in m.notes]
    title = f"{m.plan.title} {m.year}年{STAGE_LABELS[m.stage]}"
    return _write(path, title, m.stage, m.rows(), m.rollup(), series, method)


def write_stored(path: Path, spec: Any, year: int, results: dict[str, pl.DataFrame]) -> Path:
    """The workbook of a stored monitoring run, from the rows it stored."""
    rows = results["progress_status"].sort("seq").to_dicts()
    stage = rows[0]["stage"] if rows else "monitoring"
    names = {i.id: i.name for i in spec.plan.indicators}
    order = {i.id: n for n, i in enumerate(spec.plan.indicators)}
    actual = results["progress_actual"].to_dicts()
    actual.sort(key=lambda a: (order.get(a["indicator"], len(order)), a["year"]))
    series = [
        [names.get(a["indicator"], a["indicator"]), a["year"], round(a["value"], 6),
         ORIGIN_LABELS[a["origin"]], a["source"], a["note"]]
        for a in actual
    ]  # fmt: skip
    notes = results["progress_note"].sort("seq")["note"].to_list()
    method = [[k, v] for k, v in spec.method.model_dump().items()] + [[n, ""] for n in notes]
    title = f"{spec.plan.title} {year}年{STAGE_LABELS[stage]}"
    return _write(path, title, stage, rows, rollup_rows(rows, stage), series, method)


def _write(
    path: Path,
    title: str,
    stage: str,
    rows: list[dict[str, Any]],
    roll: list[dict[str, Any]],
    series: list[list[Any]],
    method: list[list[Any]],
) -> Path:
    wb, bold = new_workbook(path, title)
    columns = TABLE | (FINAL if stage == "final" else {})
    ws = wb.add_worksheet("监测表")
    ws.write(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    write_rows(
        ws,
        list(columns.values()),
        [[_cell(k, r[k]) for k in columns] for r in rows],
        bold,
        first_row=2,
    )
    labels = {"category": "一级指标", "indicators": "指标数"} | STATUS_LABELS | VERDICT_LABELS
    keys = list(roll[0]) if roll else list(labels)
    write_rows(
        wb.add_worksheet("分类汇总"),
        [labels[k] for k in keys],
        [[r[k] for k in keys] for r in roll],
        bold,
    )
    write_rows(
        wb.add_worksheet("实际值"),
        ["指标", "年份", "数值", "取得方式", "来源", "备注"],
        series,
        bold,
    )
    write_rows(wb.add_worksheet("方法说明"), ["参数", "取值"], method, bold, width=40)
    wb.close()
    return path
