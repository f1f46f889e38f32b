"""Steps that resolve codes against the reference data: regions (code or name), GB/T 4754
industries, and park names configured for the workspace."""

from __future__ import annotations

import json
import re

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import row_errors
from industry_brain.reference import UnknownCodeError, county_of, industries, regions
from industry_brain.suggest import did_you_mean


def _suggestion(exc: UnknownCodeError) -> str:
    return f" (did you mean {exc.suggestion}?)" if getattr(exc, "suggestion", None) else ""


def _resolve_region(value: str) -> tuple[str | None, str]:
    tree = regions()
    text = value.removesuffix(".0")
    if text.isdigit() and len(text) in (9, 12):  # 统计用区划代码 to the township or village
        text = county_of(text)
    if text.isdigit() and len(text) in (2, 4, 6):
        try:
            return tree.get(text).code, ""
        except UnknownCodeError as exc:
            return None, _suggestion(exc)
    found = tree.by_name(text)
    if found is not None:
        return found.code, ""
    return None, did_you_mean(text, [r.name for r in tree])


def _resolve_industry(value: str) -> tuple[str | None, str]:
    # 'C3484' (with its 门类 letter) and '3484 塑料加工专用设备制造' (code and name) name the code.
    text = value.removesuffix(".0").strip()
    if (m := re.match(r"^[A-T]?(\d{2,4})(?:\s*[\u4e00-\u9fff（(].*)?$", text)) is not None:
        text = m.group(1)
    try:
        found = industries().get(text)
    except UnknownCodeError as exc:
        return None, _suggestion(exc)
    if found.level == "section":
        return None, " (a 门类 letter is too coarse: give the 4-digit 小类)"
    return found.code, ""


def _resolve(ctx: Context, name: str, resolver: object, error: str) -> None:
    if not ctx.has(name):
        return
    values = ctx.frame.get_column(name).drop_nulls().unique().to_list()
    resolved = {v: resolver(v) for v in values}  # type: ignore[operator]
    mapping = {v: code for v, (code, _) in resolved.items()}
    hints = {
        v: json.dumps({"suggestion": hint}, ensure_ascii=False)
        for v, (code, hint) in resolved.items()
        if code is None
    }
    bad = ctx.frame.filter(pl.col(name).is_in(list(hints)))
    extra = pl.col(name).replace_strict(hints, default="{}", return_dtype=pl.Utf8)
    ctx.add(row_errors(error, bad, name, ctx.column(name), pl.col(name), extra))
    ctx.frame = ctx.frame.with_columns(
        pl.col(name).replace_strict(mapping, default=None, return_dtype=pl.Utf8).alias(name)
    )


def resolve_regions(ctx: Context) -> None:
    """R204: the region must be a GB/T 2260 code or a county name of the reference data."""
    _resolve(ctx, "region_code", _resolve_region, "unknown-region")


def resolve_industries(ctx: Context) -> None:
    """R205: the industry must be a GB/T 4754-2017 code (division, group or class)."""
    _resolve(ctx, "industry_code", _resolve_industry, "unknown-industry")


def resolve_parks(ctx: Context) -> None:
    """W303: a park name the workspace does not know is reported and left empty."""
    if not ctx.has("park_code"):
        return
    parks = ctx.lookups.parks()
    known = set(parks) | set(parks.values())
    values = ctx.frame.get_column("park_code").drop_nulls().unique().to_list()
    hints = {
        v: json.dumps({"suggestion": did_you_mean(v, parks)}, ensure_ascii=False)
        for v in values
        if v not in known
    }
    bad = ctx.frame.filter(pl.col("park_code").is_in(list(hints)))
    extra = pl.col("park_code").replace_strict(hints, default="{}", return_dtype=pl.Utf8)
    ctx.add(
        row_errors(
            "unknown-park", bad, "park_code", ctx.column("park_code"), pl.col("park_code"), extra
        )
    )
    ctx.frame = ctx.frame.with_columns(
        pl.col("park_code").replace_strict(
            parks | {c: c for c in parks.values()}, default=None, return_dtype=pl.Utf8
        )
    )
