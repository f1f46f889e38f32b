"""Layouts with parts: one column per month (summed to the year, the months given kept), one
column per pollutant (stored one record per pollutant), pollutant names in a column, and
leased parcels whose lessor must be found so that the land is counted once."""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.headers import Column
from industry_brain.ingest.problems import fmt, row_errors
from industry_brain.reference.pollutants import find_pollutant

TOLERANCE = 0.001  # months and their total may differ by rounding, not by more


def _month_label(c: Column) -> str:
    return f"{c.part}月"


def combine_months(ctx: Context) -> None:
    """A field given per month: the year is the months' sum, or the file's own total column
    (R218 when twelve months disagree with it); W305 when months are blank and no total."""
    for field in (f for f in ctx.spec.fields if f.wide == "month"):
        months = ctx.parts_of(field.name)
        if not months:
            continue
        names = [c.name for c in months]
        given = pl.sum_horizontal(pl.col(n).is_not_null() for n in names).cast(pl.Int32)
        total = pl.when(given > 0).then(pl.sum_horizontal(names))
        frame = ctx.frame.with_columns(given.alias("months"), total.alias("__sum"))
        if ctx.has(field.name):
            _check_total(ctx, frame, field.name, len(names))
            value = pl.coalesce(field.name, "__sum")
        else:
            _warn_missing(ctx, frame, field.title, months)
            value = pl.col("__sum")
        ctx.frame = frame.with_columns(value.alias(field.name)).drop([*names, "__sum"])


def _check_total(ctx: Context, frame: pl.DataFrame, name: str, width: int) -> None:
    if width != 12:
        return
    own = pl.col(name)
    off = (pl.col("__sum") - own).abs() > (own.abs() * TOLERANCE).clip(lower_bound=0.5)
    wrong = frame.filter((pl.col("months") == 12) & own.is_not_null() & off)
    detail = fmt('{{"sum": "{}"}}', pl.col("__sum").round(4))
    ctx.add(row_errors("total-mismatch", wrong, name, ctx.column(name), own, detail))


def _warn_missing(ctx: Context, frame: pl.DataFrame, title: str, months: list[Column]) -> None:
    absent = [f"{m}月" for m in range(1, 13) if m not in {c.part for c in months}]
    blank = [pl.when(pl.col(c.name).is_null()).then(pl.lit(_month_label(c))) for c in months]
    missing = pl.concat_str([*blank, *map(pl.lit, absent)], separator="、", ignore_nulls=True)
    first = pl.coalesce(
        *(pl.when(pl.col(c.name).is_null()).then(pl.lit(c.header)) for c in months),
        pl.lit(months[-1].header),
    )
    short = frame.filter((pl.col("months") > 0) & (pl.col("months") < 12))
    extra = fmt(
        '{{"count": {}, "missing": "{}", "title": "{}"}}',
        pl.col("months"),
        missing,
        pl.lit(title),
    )
    ctx.add(row_errors("months-incomplete", short, None, first, None, extra))


def drop_part_totals(ctx: Context) -> None:
    """A 小计/合计 line among an enterprise's parts (税种 小计 with the code filled in) totals the
    parts: skipped and counted with the total rows, never added to them. An enterprise whose only
    row says 合计 keeps it: it is the figure."""
    for part in (p for p in ctx.spec.parts if ctx.has(p)):
        words = pl.col(part).str.replace_all(r"\s", "")
        total = words.str.contains(r"^(?:.{0,6})(?:小计|合计|总计)$").fill_null(False)
        if not ctx.frame.select(total.any()).item():  # the window below costs a pass by key
            continue
        key = [k for k in ctx.spec.key if ctx.has(k)]
        others = (~total).cast(pl.Int32).sum().over(key) > 0
        drop = ctx.frame.filter(total & others & pl.col(ctx.spec.identity).is_not_null())
        if drop.height:
            ctx.skipped["total"] = ctx.skipped.get("total", 0) + drop.height
            ctx.frame = ctx.frame.filter(~pl.col("__row").is_in(drop.get_column("__row").implode()))


def resolve_pollutants(ctx: Context) -> None:
    """Pollutant names in a column ('化学需氧量', 'COD', 'NH3-N') become their codes; a pollutant
    the reference table does not know is kept under its name."""
    if not ctx.has("pollutant"):
        return
    names = ctx.frame.get_column("pollutant").drop_nulls().unique().to_list()
    codes = {n: (p.code if (p := find_pollutant(n)) else n) for n in names}
    ctx.frame = ctx.frame.with_columns(
        pl.col("pollutant").replace_strict(codes, default=None, return_dtype=pl.Utf8)
    )


def melt_pollutants(ctx: Context) -> None:
    """One column per pollutant becomes one record per pollutant (the sheet's row kept)."""
    columns = ctx.parts_of("amount_t")
    if not columns:
        return
    names = [c.name for c in columns]
    index = [c for c in ctx.frame.columns if c not in names and c != "pollutant"]
    codes = {c.name: str(c.part) for c in columns}
    long = (
        ctx.frame.unpivot(on=names, index=index, variable_name="pollutant", value_name="amount_t")
        .with_columns(pl.col("pollutant").replace_strict(codes, return_dtype=pl.Utf8))
        .sort("__row", maintain_order=True)
    )
    if "emissions_eq" in long.columns:  # a row's own 排放当量 is kept once, not per pollutant
        first = pl.int_range(pl.len()).over("__row") == 0
        long = long.with_columns(pl.when(first).then(pl.col("emissions_eq")).alias("emissions_eq"))
    ctx.frame = long


def check_lessors(ctx: Context) -> None:
    """W306: a leased parcel with no lessor named and no owner of the same parcel in the file."""
    if not (ctx.has("tenure") and ctx.has("parcel_id")):
        return
    f = ctx.frame.filter(~ctx.rejected())
    # The lessor is known when another enterprise owns the parcel or lists it as let itself.
    owners = f.filter(pl.col("tenure").is_in(["owned", "let"]))
    owned = owners.select("parcel_id", pl.col("uscc").alias("o"))
    leased = f.filter(pl.col("tenure") == "leased")
    if ctx.has("lessor"):
        known = {*ctx.lookups.enterprises().get_column("name").drop_nulls().to_list()}
        known |= {*(f.get_column("name").drop_nulls().to_list() if ctx.has("name") else [])}
        named = pl.col("lessor").str.contains(r"^[0-9A-Z]{18}$") | pl.col("lessor").is_in(known)
        leased = leased.filter(~named.fill_null(False))
    found = leased.join(owned, on="parcel_id", how="left").filter(
        pl.col("o").is_not_null() & (pl.col("o") != pl.col("uscc"))
    )
    unknown = leased.filter(~pl.col("__row").is_in(found.get_column("__row").implode()))
    ctx.add(
        row_errors("lessor-unknown", unknown, "tenure", ctx.column("tenure"), pl.col("parcel_id"))
    )
