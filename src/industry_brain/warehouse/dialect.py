"""What differs between the warehouse's two databases, in one place: the placeholder style of
parameterised statements and how a data frame is inserted.

Our SQL writes parameters as `?` (DuckDB's style). PostgreSQL's driver (psycopg) wants `%s`, and
a literal `%` doubled; `postgres_params` rewrites a statement so, leaving text inside quotes
('…' strings, "…" identifiers) alone. Frames go into PostgreSQL with COPY: one round trip, every
value sent as the driver writes it (floats exactly), and an all-null column needs no type.
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
import pyarrow as pa

Dialect = Literal["duckdb", "postgres"]


def dialect_of(backend_name: str) -> Dialect:
    if backend_name == "duckdb":
        return "duckdb"
    if backend_name == "postgres":
        return "postgres"
    raise ValueError(f"unsupported warehouse backend: {backend_name}")


def postgres_params(sql: str) -> str:
    """`?` → `%s` and `%` → `%%` outside quoted text."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        out.append("%%" if ch == "%" else ch)
    return "".join(out)


def as_polars(obj: Any) -> pl.DataFrame | None:
    """A frame to insert as a Polars frame; None for an Ibis expression (inserted by Ibis)."""
    if isinstance(obj, pl.DataFrame):
        return obj
    if isinstance(obj, pl.LazyFrame):
        return obj.collect()
    if isinstance(obj, pa.Table):
        return pl.from_arrow(obj)  # type: ignore[return-value]
    if type(obj).__module__.startswith("pandas"):
        return pl.from_pandas(obj)
    return None


def copy_into(raw: Any, table: str, frame: pl.DataFrame) -> None:
    """Insert `frame` into a PostgreSQL table by column name, with COPY (psycopg 3)."""
    if frame.width == 0 or frame.height == 0:
        return
    columns = ", ".join(_quoted(c) for c in frame.columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {_quoted(table)} ({columns}) FROM STDIN") as cp:
        for row in frame.iter_rows():
            cp.write_row(row)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
