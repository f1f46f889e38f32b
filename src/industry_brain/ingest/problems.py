"""Problems found while ingesting: file-level exceptions and row-level error frames."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from industry_brain.ingest.errors import ErrorType, error_type

ERROR_SCHEMA = {
    "code": pl.Utf8,
    "row": pl.Int64,
    "column": pl.Utf8,
    "field": pl.Utf8,
    "value": pl.Utf8,
    "extra": pl.Utf8,  # JSON object with the template's other details
}


class FileProblem(Exception):
    """A file-level problem: the batch fails. Carries the catalogue entry and its details."""

    def __init__(self, name: str, column: str | None = None, **details: Any) -> None:
        self.error: ErrorType = error_type(name)
        self.column = column
        self.details = details
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.error.format(column=self.column, **self.details)


def empty_errors() -> pl.DataFrame:
    return pl.DataFrame(schema=ERROR_SCHEMA)


def row_errors(
    name: str,
    frame: pl.DataFrame,
    field: str | None,
    column: str | pl.Expr | None,
    value: pl.Expr | None = None,
    extra: pl.Expr | dict[str, Any] | None = None,
) -> pl.DataFrame:
    """Errors of one kind for every row of `frame` (which carries the physical `__row`)."""
    code = error_type(name).code
    if isinstance(extra, dict) or extra is None:
        extra_expr = pl.lit(json.dumps(extra or {}, ensure_ascii=False))
    else:
        extra_expr = extra
    if value is not None and frame.height and frame.select(value).dtypes[0].is_float():
        value = value.round_sig_figs(10)  # 41418.6, not 41418.600000000006
    return frame.select(
        pl.lit(code).alias("code"),
        pl.col("__row").cast(pl.Int64).alias("row"),
        (column if isinstance(column, pl.Expr) else pl.lit(column, pl.Utf8)).alias("column"),
        pl.lit(field, pl.Utf8).alias("field"),
        (value if value is not None else pl.lit(None, pl.Utf8)).cast(pl.Utf8).alias("value"),
        extra_expr.cast(pl.Utf8).alias("extra"),
    )


def _split(template: str) -> list[str]:
    """Literal pieces around '{}' placeholders, read left to right as str.format does."""
    pieces, text, i = [], "", 0
    while i < len(template):
        pair = template[i : i + 2]
        if pair in ("{{", "}}"):
            text, i = text + pair[0], i + 2
        elif pair == "{}":
            pieces.append(text)
            text, i = "", i + 2
        else:
            text, i = text + template[i], i + 1
    return [*pieces, text]


def fmt(template: str, *values: pl.Expr) -> pl.Expr:
    """Like pl.format ('{}' placeholders, '{{' and '}}' for braces), built on concat_str; the
    values are escaped for a JSON string, as the error details are JSON.

    polars 2.1's pl.format panics on columns whose first chunk is empty (as after a filter of a
    multi-chunk frame); concat_str does not. Null if any value is null, as pl.format.
    """
    literal = _split(template)
    if len(literal) != len(values) + 1:
        raise ValueError(f"{template!r} has {len(literal) - 1} placeholders, not {len(values)}")
    parts: list[pl.Expr] = [pl.lit(literal[0])]
    for value, text in zip(values, literal[1:], strict=True):
        parts += [_escaped(value.cast(pl.Utf8)), pl.lit(text)]
    return pl.concat_str(parts)


def _escaped(text: pl.Expr) -> pl.Expr:
    """A value as it may stand inside a JSON string: a cell's quote or backslash kept as text."""
    return text.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )
