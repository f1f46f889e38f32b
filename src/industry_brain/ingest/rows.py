"""Rows below the header that are not data: blank rows, 合计/小计/总计 rows (the word in any
column, 序号 and 名称 included), 注/说明/填表人 lines under the table, and the header repeated
(exports cut into pages). Only a row without what it is about (an enterprise code, a plan's
indicator: the spec's identity) can be one of these."""

from __future__ import annotations

import re

import polars as pl

from industry_brain.ingest.headers import HeaderMap
from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.vocabulary import normalise

_TOTAL = re.compile(r"^.{0,10}(合计|小计|总计|累计)$|^(合计|总计|小计)[:：]?.{0,10}$")
_NOTE = re.compile(
    r"^(注|说明|备注|填表说明|填报说明|填表人|填报人|制表人|制表|审核人|审核|负责人|单位负责人|统计负责人|"
    r"联系电话|报出日期|填报日期|填表日期|数据来源|资料来源|以下空白|本页)(?:[:：\d一二三四五六七八九、.]|$)"
)


def _kind(texts: list[str], header_texts: set[str]) -> str | None:
    filled = [normalise(t) for t in texts if t and t.strip()]
    if not filled:
        return "blank"
    if any(_TOTAL.match(t) for t in filled):
        return "total"
    if _NOTE.match(filled[0]):
        return "note"
    if sum(t in header_texts for t in filled) >= min(2, len(filled)):
        return "header"
    return None


MERGE_SCAN_ROWS = 200_000  # reading a big xlsx's merged ranges costs a pass over its XML


def unmerged(sheet: RawSheet, body: pl.DataFrame, first: int) -> pl.DataFrame:
    """The body with merged cells in it filled from their anchor: a county or a name merged
    down over its rows applies to each of them, as a reader of the sheet takes it."""
    if sheet.cells.height > MERGE_SCAN_ROWS or sheet.sheet is None:
        return body
    fills: dict[str, dict[int, str]] = {}
    for r0, c0, r1, c1 in sheet.merged:
        top, left = r0 - sheet.first_row + 1 - first, c0 - sheet.first_col
        bottom, right = r1 - sheet.first_row + 1 - first, c1 - sheet.first_col
        if top < 0 or top >= body.height or left < 0 or right >= body.width:
            continue
        value = body.item(top, left)
        for c in range(left, right + 1):
            for r in range(top, min(bottom, body.height - 1) + 1):
                fills.setdefault(f"c{c}", {})[r] = value
    if not fills:
        return body
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    return body.with_columns(
        pl.coalesce(pl.col(c), index.replace_strict(f, default=None, return_dtype=pl.Utf8)).alias(c)
        for c, f in fills.items()
    )


def skip_kinds(body: pl.DataFrame, header: HeaderMap, identity: str) -> pl.Series:
    """For each body row: 'blank', 'total', 'note', 'header', or null for a data row."""
    kinds: list[str | None] = [None] * body.height
    column = header.columns.get(identity)
    if column is None or body.height == 0:
        return pl.Series("__skip", kinds, dtype=pl.Utf8)
    leaves = {c.header.split(" › ")[-1] for c in header.columns.values()}
    own = {normalise(t) for t in leaves}
    code = pl.col(f"c{column.index}").str.strip_chars()
    words = code.str.replace_all(r"\s", "")
    suspects = body.with_row_index("__i").filter(
        code.is_null()
        | (code == "")
        | code.is_in(list(leaves | own))
        | words.str.contains(_TOTAL.pattern)
        | words.str.contains(_NOTE.pattern)
    )
    for row in suspects.iter_rows():
        kinds[row[0]] = _kind([v for v in row[1:] if isinstance(v, str)], own)
    return pl.Series("__skip", kinds, dtype=pl.Utf8)
