"""The published Excel workbook of a 亩均 run: summary, one sheet per county, leaders.

Chinese headers; the same run gives the same bytes (fixed document properties, sorted rows).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from industry_brain.engines.permu.spec import GRADES
from industry_brain.formats import excel_format
from industry_brain.reference.regions import county_of
from industry_brain.xlsx import new_workbook, number_formats, write_frame

LIST_HEADERS = {
    "rank": "组内排名",
    "uscc": "统一社会信用代码",
    "name": "企业名称",
    "group": "排序组",
    "track": "评价类别",
    "total": "综合得分",
    "grade": "评价档次",
    "percentile": "组内百分位",
    "leader": "领跑者",
    "veto": "否决事项",
    "status": "评价状态",
    "reason": "说明",
}
STATUS = {"evaluated": "参评", "exempt": "免评", "deferred": "暂缓评价", "not_evaluated": "不评价"}
TRACKS = {"above_scale": "规上", "below_scale": "规下"}
SHOWN_AS = {"综合得分": excel_format("total"), "组内百分位": excel_format(decimals=1, share=True)}
SHOWN_AS |= {"组内排名": excel_format("rank"), "参评": excel_format("enterprises")}


def shown_as(column: str) -> str | None:
    """A column's Excel number format by its header: a share (…占比) as a percentage."""
    if column.endswith("占比"):
        return excel_format(decimals=1, share=True)
    return SHOWN_AS.get(column)


def grade_mix(scores: pl.DataFrame, counties: dict[str, str]) -> pl.DataFrame:
    """Counts per grade and status by county (county names in Chinese)."""
    s = scores.with_columns(county_of(pl.col("region_code")).alias("county"))
    rows = []
    for code in sorted(s["county"].unique().to_list()):
        part = s.filter(pl.col("county") == code)
        evaluated = part.filter(pl.col("status") == "evaluated")
        row: dict[str, object] = {"区县": counties.get(code, code), "参评": evaluated.height}
        for g in GRADES:
            n = evaluated.filter(pl.col("grade") == g).height
            row[f"{g}类"] = n
            row[f"{g}类占比"] = n / evaluated.height if evaluated.height else 0.0
        for status in ("exempt", "deferred", "not_evaluated"):
            row[STATUS[status]] = part.filter(pl.col("status") == status).height
        rows.append(row)
    return pl.DataFrame(rows)


def _listing(scores: pl.DataFrame) -> pl.DataFrame:
    order = [pl.col("status") != "evaluated", "track", "group", "rank", "uscc"]
    frame = scores.sort(order, nulls_last=True).with_columns(
        pl.col("status").replace_strict(STATUS, default=None),
        pl.col("track").replace_strict(TRACKS, default=None),
        pl.col("leader").replace_strict({True: "是", False: ""}, default="", return_dtype=pl.Utf8),
        pl.col("total").round(4),
        pl.col("percentile").round(4),
    )
    return frame.select(list(LIST_HEADERS)).rename(LIST_HEADERS)


def _price_sheet(scores: pl.DataFrame, surcharges: pl.DataFrame) -> pl.DataFrame:
    named = surcharges.join(
        scores.select("uscc", "name", "region_code", "grade", "d_years"), on="uscc", how="left"
    )
    return named.sort("region_code", "uscc", "resource").select(
        pl.col("uscc").alias("统一社会信用代码"),
        pl.col("name").alias("企业名称"),
        pl.col("grade").alias("评价档次"),
        pl.col("d_years").alias("连续D类年数"),
        pl.col("title").alias("差别化价格"),
        pl.col("surcharge").alias("加价标准"),
        pl.col("unit").alias("单位"),
    )


def write_workbook(
    path: Path,
    title: str,
    scores: pl.DataFrame,
    counties: dict[str, str],
    surcharges: pl.DataFrame | None = None,
    aggregates: dict[str, pl.DataFrame] | None = None,
) -> Path:
    wb, bold = new_workbook(path, title)
    summary = wb.add_worksheet("汇总")
    summary.write(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
    mix = grade_mix(scores, counties)
    summary.write_row(2, 0, mix.columns, bold)
    for i, row in enumerate(mix.iter_rows(), start=3):
        summary.write_row(i, 0, list(row))
    for col, fmt in enumerate(number_formats(wb, [shown_as(c) for c in mix.columns])):
        summary.set_column(col, col, 12 if col else 16, fmt)
    listed = number_formats(wb, [shown_as(c) for c in LIST_HEADERS.values()])
    county = county_of(pl.col("region_code"))
    for code in sorted(scores.select(county.unique()).to_series().to_list()):
        sheet = wb.add_worksheet(counties.get(code, code)[:31])
        write_frame(sheet, _listing(scores.filter(county == code)), bold, listed)
    leaders = scores.filter(pl.col("leader").fill_null(False))
    write_frame(wb.add_worksheet("领跑者"), _listing(leaders), bold, listed)
    if surcharges is not None:
        write_frame(wb.add_worksheet("差别化价格"), _price_sheet(scores, surcharges), bold)
    for sheet_name, frame in (aggregates or {}).items():
        write_frame(wb.add_worksheet(sheet_name), frame, bold)
    wb.close()
    return path
