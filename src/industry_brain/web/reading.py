"""How a department file was read, in words for the review page: how each column was placed,
where its unit came from, why a column was not read, and which rows were skipped."""

from __future__ import annotations

from typing import Any

from industry_brain.formats import minute
from industry_brain.reference.pollutants import pollutants
from industry_brain.web.names import actor, source_title

__all__ = ["READING_TITLES", "actor", "minute", "part_title", "source_title"]

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
