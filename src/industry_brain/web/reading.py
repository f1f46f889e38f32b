"""How a department file was read, in words for the review page: how each column was placed,
where its unit came from, why a column was not read, and which rows were skipped."""

from __future__ import annotations

from typing import Any

from industry_brain.reference.pollutants import pollutants

HOW = {
    "vocabulary": "表头词表",
    "saved": "已保存的映射",
    "similarity": "相似度",
    "values": "按列中数值",
    "month": "月份列",
    "month total": "月度合计列",
    "pollutant": "污染物列",
}
UNIT_FROM = {"header": "表头", "parent": "上级表头", "units row": "单位行", "sheet": "表外说明"}
REASONS = {
    "uncertain": "无法确定，未读入",
    "unknown": "未识别，不读入",
    "previous": "上年或其他年度的数据，不读入",
    "excluded": "比率、增速、计划或许可值，不作为数值读入",
    "second": "另一列更符合同一字段，本列不读入",
}
SKIPPED = {"blank": "空行", "total": "合计/小计行", "note": "注释/填表人行", "header": "重复表头行"}


def source_title(source: str | None) -> str:
    """'statistics' → 工业企业主要经济指标 (the source's Chinese title)."""
    from industry_brain.ingest.spec import SCOPED_SOURCES, SOURCES, load_spec

    known = source in SOURCES or source in SCOPED_SOURCES
    return load_spec(source).title if known and source else (source or "")


def minute(value: Any) -> str:
    """A time to the minute ('2026-11-30 18:26'), not to the microsecond."""
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value or "")


def actor(name: str | None) -> str:
    """'cli:root' → 命令行（root）: loads made at the terminal, not in the browser."""
    if name and name.startswith("cli:"):
        return f"命令行（{name[4:]}）"
    return name or ""


def part_title(part: Any) -> str:
    """'3月' for a month, the Chinese name for a pollutant code."""
    if isinstance(part, int):
        return f"{part}月"
    names = {p.code: p.name for p in pollutants()}
    return names.get(str(part), str(part))


READING_TITLES: dict[str, Any] = {
    "how_titles": HOW,
    "unit_titles": UNIT_FROM,
    "reason_titles": REASONS,
    "skip_titles": SKIPPED,
    "part_title": part_title,
}
