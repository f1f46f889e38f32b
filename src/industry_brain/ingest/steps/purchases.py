"""Steps for purchases between enterprises (the trade source), each driven by the spec: a field
required only when another is empty (a seller's name when it has no code), places anywhere in
China or abroad, and amounts netted per key and parts (red-letter invoices against invoices)."""

from __future__ import annotations

import json

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import fmt, row_errors
from industry_brain.reference.places import place_code

LISTED = 10  # rows named in a message


def check_unless(ctx: Context) -> None:
    """R219 where a field required when another is empty is empty too (neither the seller's
    code nor its name)."""
    for f in ctx.spec.fields:
        if f.unless is None:
            continue
        other = ctx.spec.field(f.unless)
        mine = pl.col(f.name) if ctx.has(f.name) else pl.lit(None)
        theirs = pl.col(other.name) if ctx.has(other.name) else pl.lit(None)
        empty = ctx.frame.filter(mine.is_null() & theirs.is_null() & ~ctx.rejected(other.name))
        where = f.name if ctx.has(f.name) else other.name
        extra = json.dumps({"title": f.title, "other": other.title}, ensure_ascii=False)
        ctx.add(row_errors("seller-missing", empty, f.name, ctx.column(where), None, pl.lit(extra)))


def resolve_places(ctx: Context) -> None:
    """R221 for a place that is neither a GB/T 2260 code nor a place name (or abroad); the others
    become 6-digit codes or `abroad`."""
    for name in (f.name for f in ctx.spec.fields if f.type == "place" and ctx.has(f.name)):
        values = ctx.frame.get_column(name).drop_nulls().unique().to_list()
        codes = {v: place_code(v) for v in values}
        bad = ctx.frame.filter(pl.col(name).is_in([v for v, c in codes.items() if c is None]))
        ctx.add(row_errors("unknown-place", bad, name, ctx.column(name), pl.col(name)))
        places = pl.col(name).replace_strict(codes, default=None, return_dtype=pl.Utf8)
        ctx.frame = ctx.frame.with_columns(places.alias(name))


def _part(ctx: Context, group: tuple[str, ...]) -> pl.Expr:
    given = [pl.col(f) for f in group if ctx.has(f)]
    return pl.coalesce(*given, pl.lit("")) if given else pl.lit("")


def net_key(ctx: Context) -> list[pl.Expr]:
    """What a row is about: the spec's key, then each part (the first field of a group given)."""
    grouped = {f for g in ctx.spec.either for f in g}
    key = [pl.col(k) for k in ctx.spec.key if ctx.has(k)]
    key += [_part(ctx, g).alias(f"__part{i}") for i, g in enumerate(ctx.spec.either)]
    return key + [pl.col(p) for p in ctx.spec.parts if p not in grouped and ctx.has(p)]


def net_amounts(ctx: Context) -> None:
    """R222 for every row of a key whose amounts net to zero or less (a red-letter invoice with
    no invoice of its own, or one larger than it)."""
    name = ctx.spec.net
    if name is None or not ctx.has(name):
        return
    key = net_key(ctx)
    rows = ctx.frame.filter(~ctx.rejected()).select("__row", name, *key)
    names = [c for c in rows.columns if c not in ("__row", name)]
    listed = pl.col("__row").sort().head(LISTED).cast(pl.Utf8).str.join(", ")
    rows = rows.with_columns(
        pl.col(name).sum().over(names).alias("__net"), listed.over(names).alias("__rows")
    )
    bad = rows.filter(pl.col("__net").round(6) <= 0)
    label = pl.concat_str([pl.col(c).cast(pl.Utf8) for c in names], separator=" / ")
    net = pl.col("__net").round(4)
    extra = fmt('{{"key": "{}", "rows": "{}", "net": "{}"}}', label, pl.col("__rows"), net)
    ctx.add(row_errors("net-not-positive", bad, name, ctx.column(name), pl.col(name), extra))
