"""Steps that turn text cells into typed values: numbers (with units), years, dates, flags,
choices and plain text. A cell that cannot be read gets a row error and becomes null."""

from __future__ import annotations

import json
import re
import unicodedata

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import row_errors
from industry_brain.ingest.vocabulary import CONTROL

MISSING = ["", "—", "——", "-", "--", "/", "／", "无", "null", "NULL", "NA", "N/A", "#N/A", "空"]
TRUE = ["是", "规上", "规模以上", "1", "Y", "y", "YES", "yes", "TRUE", "true", "√", "1.0"]
FALSE = ["否", "规下", "规模以下", "0", "N", "n", "NO", "no", "FALSE", "false", "×", "0.0"]
PERIOD = r"^((?:19|20)\d{2})(?:\.0|年度?|[-/.年]\d{1,2}.*|\d{2}(?:\d{2})?|[至~—-].*)?$"
DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"]


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Text stripped, without control characters; placeholders (—, /, 无 …) become null."""
    text = expr.str.replace_all(CONTROL, "").str.strip_chars()
    return pl.when(text.is_in(MISSING)).then(None).otherwise(text)


def _fields(ctx: Context, *types: str) -> list[str]:
    return [f.name for f in ctx.spec.fields if f.type in types and ctx.has(f.name)]


def clean_text(ctx: Context) -> None:
    """Strip text fields; placeholders such as — or / become empty."""
    names = [f.name for f in ctx.spec.fields if ctx.has(f.name) and f.type != "number"]
    ctx.frame = ctx.frame.with_columns(blank_to_null(pl.col(n)).alias(n) for n in names)


def year_of(text: pl.Expr) -> pl.Expr:
    """The year a cell names: '2023', '2023年度', '2023.0', a date or a period ('2023-01-01至
    2023-12-31', '202301'), or an Excel date serial."""
    t = text.str.replace_all(r"\s", "")
    lead = t.str.extract(
        r"^((?:19|20)\d{2})(?:\.0|年度?|[-/.年]\d{1,2}.*|\d{2}(?:\d{2})?|[至~—-].*)?$"
    )
    return pl.coalesce(lead.cast(pl.Int32, strict=False), _excel_serial(t).dt.year())


def parse_year(ctx: Context) -> None:
    """Years as integers; R214 when a row's year is not the batch's."""
    if not ctx.has("year"):
        ctx.frame = ctx.frame.with_columns(pl.lit(ctx.year, pl.Int32).alias("year"))
        return
    # A year column holds a few distinct texts: each is read once.
    texts = pl.DataFrame({"t": ctx.frame.get_column("year").drop_nulls().unique()})
    years = dict(texts.select("t", year_of(pl.col("t")).alias("y")).iter_rows())
    year = pl.col("year").replace_strict(years, default=None, return_dtype=pl.Int32)
    col = ctx.column("year")
    invalid = ctx.frame.filter(
        pl.col("year").is_not_null() & (year.is_null() | ~year.is_between(1949, 2100))
    )
    ctx.add(row_errors("not-a-number", invalid, "year", col, pl.col("year")))
    if ctx.year is not None:
        other = ctx.frame.filter(year.is_not_null() & (year != ctx.year))
        ctx.add(row_errors("year-mismatch", other, "year", col, year, {"year": ctx.year}))
    ctx.frame = ctx.frame.with_columns(year.fill_null(pl.lit(ctx.year, pl.Int32)).alias("year"))


def _excel_serial(text: pl.Expr) -> pl.Expr:
    serial = text.cast(pl.Float64, strict=False)
    days = pl.when(serial.is_between(1, 80000) & text.str.contains(r"^\d+(\.\d+)?$")).then(
        serial.cast(pl.Int32)
    )
    return pl.date(1899, 12, 30) + pl.duration(days=days)


def parse_dates(ctx: Context) -> None:
    """R212 for text that is not a date in a known format (or an Excel serial number)."""
    updates = []
    for name in _fields(ctx, "date"):
        text = pl.col(name)
        parsed = pl.coalesce(
            *(text.str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS),
            _excel_serial(text),
        )
        bad = ctx.frame.filter(text.is_not_null() & parsed.is_null())
        ctx.add(row_errors("bad-date", bad, name, ctx.column(name), text))
        updates.append(parsed.alias(name))
    ctx.frame = ctx.frame.with_columns(updates)


def parse_flags(ctx: Context) -> None:
    """是/否 style flags; R213 for anything else."""
    updates = []
    for name in _fields(ctx, "flag"):
        text = pl.col(name)
        value = pl.when(text.is_in(TRUE)).then(True).when(text.is_in(FALSE)).then(False)
        bad = ctx.frame.filter(text.is_not_null() & ~text.is_in(TRUE + FALSE))
        extra = {"choices": "是/否"}
        ctx.add(row_errors("bad-choice", bad, name, ctx.column(name), text, extra))
        updates.append(value.alias(name))
    ctx.frame = ctx.frame.with_columns(updates)


def choice_of(value: str, choices: dict[str, str]) -> str | None:
    """The category a cell names: exactly, or once brackets and spaces are gone ('作价出资
    （入股）'), or the one category that every listed word inside it gives ('国有建设用地使用权
    （出让）'); None when unknown or when it names two ('出让/租赁')."""
    if value in choices:
        return choices[value]
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    bare = re.sub(r"\([^()]*\)", "", text)
    for candidate in (text, bare):
        if candidate in choices:
            return choices[candidate]
    found = {v for k, v in choices.items() if k in text}
    return found.pop() if len(found) == 1 else None


def parse_choices(ctx: Context) -> None:
    """Categories mapped by the spec (e.g. 自有 → owned); R213 for unlisted values."""
    updates = []
    for name in _fields(ctx, "choice"):
        choices = ctx.spec.field(name).choices or {}
        values = ctx.frame.get_column(name).drop_nulls().unique().to_list()
        mapping = {v: choice_of(v, choices) for v in values}
        text = pl.col(name)
        bad = ctx.frame.filter(text.is_in([v for v, c in mapping.items() if c is None]))
        extra = {"choices": "/".join(choices)}
        ctx.add(row_errors("bad-choice", bad, name, ctx.column(name), text, extra))
        updates.append(text.replace_strict(mapping, default=None, return_dtype=pl.Utf8).alias(name))
    ctx.frame = ctx.frame.with_columns(updates)


def check_required_values(ctx: Context) -> None:
    """R211 for a required field left empty (unless the cell already has an error)."""
    for f in ctx.spec.fields:
        if not (f.required and ctx.has(f.name)) or f.name == "uscc":
            continue
        empty = ctx.frame.filter(pl.col(f.name).is_null() & ~ctx.rejected(f.name))
        extra = json.dumps({"title": f.title}, ensure_ascii=False)
        ctx.add(row_errors("value-missing", empty, f.name, ctx.column(f.name), None, pl.lit(extra)))
