"""Numbers as departments write them: text numbers with separators, full-width digits, a unit
or a 万/亿 multiplier in the cell ('12,345.67元', '1.2万元', '3.5万'), a currency sign, accounting
brackets for negatives. A unit written in the cell wins over the column's for that cell.

Most cells are plain numbers and are read column-wise; only the others go through `read_amount`.
A column whose unit is written nowhere and whose values only make sense in another unit (元
read as 万元) stops the file (F110) rather than load figures 10,000 times too large.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import FileProblem, row_errors
from industry_brain.ingest.spec import Field
from industry_brain.ingest.steps.parse import blank_to_null
from industry_brain.units import UNITS

_AMOUNT = re.compile(
    r"^(?P<sign>[-+])?(?P<num>(?:\d[\d,]*)?\.?\d+(?:e[-+]?\d+)?)(?P<mult>百万|万|亿|千)?(?P<unit>.*)$"
)
_MULT = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6}


_GROUPS = r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"  # thousands separators, in threes


def _plain(text: pl.Expr) -> pl.Expr:
    """A cell as a plain number's text: spaces gone, separators gone where they group in
    threes ('1,234.5'); '3,4,5' is not a number."""
    t = text.str.replace_all(r"\s", "").str.replace_all("，", ",")
    grouped = t.str.contains(_GROUPS)
    return pl.when(t.str.contains(",") & ~grouped).then(None).otherwise(t.str.replace_all(",", ""))


def read_amount(text: str, dimension: str) -> tuple[float, str | None] | None:
    """(number, unit written in the cell or None for the column's unit); None if unreadable."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    t = t.replace("−", "-").lstrip("¥$").removeprefix("人民币")
    negative = t.startswith("(") and t.endswith(")")
    m = _AMOUNT.match(t.strip("()"))
    if m is None or ("," in m.group("num") and not re.match(_GROUPS, m.group("num"))):
        return None
    value = float(m.group("num").replace(",", "")) * (
        -1 if m.group("sign") == "-" or negative else 1
    )
    mult, unit = m.group("mult") or "", m.group("unit").lstrip("/")
    if not unit or (unit == "%" and not dimension):  # a number read as written: '12.5%' is 12.5
        return value * _MULT.get(mult, 1.0), None
    for name, scale in ((mult + unit, 1.0), (unit, _MULT.get(mult, 1.0))):
        found = UNITS.get(name)
        if found is not None and found.dimension == dimension:
            return value * scale, name
    return None


def _slow(frame: pl.DataFrame, name: str, field: Field, factor: float) -> dict[int, float | None]:
    """Canonical values of the cells that are not plain numbers (None where unreadable)."""
    out: dict[int, float | None] = {}
    for row, text in frame.select("__row", f"__t_{name}").iter_rows():
        found = read_amount(text, field.dimension or "")
        if found is None:
            out[row] = None
        else:
            value, unit = found  # a unit only for a field that has one
            out[row] = value * (
                UNITS[unit].factor / UNITS[field.unit or ""].factor if unit else factor
            )
    return out


def parse_numbers(ctx: Context) -> None:
    """R206 for text that is not a number; every value converted to the canonical unit."""
    columns = ctx.number_columns()
    if not columns:
        return
    texts = {n: blank_to_null(pl.col(n)) for n, _ in columns}
    frame = ctx.frame.with_columns(
        *(t.alias(f"__t_{n}") for n, t in texts.items()),
        *(t.cast(pl.Float64, strict=False).alias(f"__v_{n}") for n, t in texts.items()),
    )
    updates = []
    for name, field in columns:
        factor = ctx.header.columns[name].factor
        odd = frame.filter(pl.col(f"__v_{name}").is_null() & pl.col(f"__t_{name}").is_not_null())
        # The few cells that are not plain numbers: separators first ('1,234.5'), then the rest.
        plain = odd.select("__row", _plain(pl.col(f"__t_{name}")).cast(pl.Float64, strict=False))
        slow = {r: v * factor for r, v in plain.drop_nulls().iter_rows()}
        rest = odd.filter(~pl.col("__row").is_in(list(slow)))
        slow |= _slow(rest, name, field, factor) if rest.height else {}
        bad = odd.filter(pl.col("__row").is_in([r for r, v in slow.items() if v is None]))
        ctx.add(row_errors("not-a-number", bad, name, ctx.column(name), pl.col(name)))
        value = pl.col(f"__v_{name}") * factor if factor != 1.0 else pl.col(f"__v_{name}")
        if slow:
            fixed = pl.col("__row").replace_strict(slow, default=None, return_dtype=pl.Float64)
            value = pl.coalesce(value, fixed)
        updates.append(value.alias(name))
    ctx.frame = frame.with_columns(updates).drop(
        [f"__{kind}_{n}" for n, _ in columns for kind in ("t", "v")]
    )
    for name, field in columns:
        _check_plausible(ctx, name, field)


def _check_plausible(ctx: Context, name: str, field: Field) -> None:
    """F110 when no unit is declared and the column's median fits only another unit."""
    column = ctx.header.columns[name]
    if field.typical is None or column.unit is not None:
        return
    values = ctx.frame.get_column(name).drop_nulls()
    values = values.filter(values > 0)
    if values.len() < 5:
        return
    low, high = field.typical
    median = float(values.cast(pl.Float64).median() or 0.0)  # type: ignore[arg-type]
    if low <= median <= high:
        return
    canonical = UNITS[field.unit or ""].factor
    for unit in UNITS.values():
        scaled = median * unit.factor / canonical
        if unit.dimension == field.dimension and unit.name != field.unit and low <= scaled <= high:
            ctx.problems.append(
                FileProblem(
                    "unit-implausible",
                    column=column.header,
                    unit=field.unit,
                    median=f"{median:,.2f}",
                    likely=unit.name,
                )
            )
            return
