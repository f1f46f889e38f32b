"""The warehouse handle every module receives: one database (DuckDB or PostgreSQL) seen both as
an Ibis backend (expressions: `table`, `insert`, `sql`, …) and as a place to run parameterised
statements (`execute`, `fetch`) inside its own, re-entrant transactions.

Our statements write parameters as `?`; the handle translates them for PostgreSQL
(`dialect.postgres_params`). Anything of Ibis not delegated here is at `.ibis`; the driver's
connection (DuckDB's or psycopg's) at `.con`, for the few places that need it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import polars as pl
from ibis.backends.sql import SQLBackend

from industry_brain.warehouse import postgres_sql  # noqa: F401 (fixes Ibis's SQL for PostgreSQL)
from industry_brain.warehouse.dialect import (
    Dialect,
    as_polars,
    copy_into,
    dialect_of,
    postgres_params,
)

WRITER_LOCK = 0x1B_0013  # PostgreSQL advisory lock key held by the transaction that writes


class Warehouse:
    def __init__(self, backend: SQLBackend, read_only: bool = False) -> None:
        self.ibis = backend
        self.dialect: Dialect = dialect_of(backend.name)
        self.read_only = read_only
        self.depth = 0  # transactions open on this handle (re-entrant: inner ones join)
        self._outer: Any = None  # psycopg's transaction of the outermost level
        self._schemas: dict[str, ibis.Schema] = {}  # PostgreSQL: tables' columns, until DDL

    # The driver's connection and the backend's name, as Ibis backends have them.
    @property
    def con(self) -> Any:
        return self.ibis.con

    @property
    def name(self) -> str:
        return str(self.ibis.name)

    # Statements with parameters.
    def _sql(self, sql: str) -> str:
        return postgres_params(sql) if self.dialect == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A statement with `?` parameters: text from users never becomes SQL text."""
        if self.dialect == "postgres":
            self._forget_schemas(sql)
            with self.con.cursor() as cursor:
                cursor.execute(self._sql(sql), list(params))
        else:
            self.con.execute(sql, list(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a parameterised query, for point lookups on hot paths (an enterprise's page):
        Ibis compiles every expression anew, which costs 5–25 ms a query; this costs about 1 ms."""
        if self.dialect == "postgres":
            with self.con.cursor() as cursor:
                cursor.execute(self._sql(sql), list(params))
                return _rows(cursor)
        return _rows(self.con.execute(sql, list(params)))

    def raw_sql(self, sql: str, **kwargs: Any) -> Any:
        """A statement without parameters (DDL, fixed SQL); returns the driver's cursor.
        On PostgreSQL an error here leaves any open transaction to its owner (Ibis's own
        raw_sql would roll back the connection, under a transaction it does not own)."""
        if self.dialect == "postgres":
            self._forget_schemas(sql)
            cursor = self.con.cursor()
            cursor.execute(sql, **kwargs)
            return cursor
        return self.ibis.raw_sql(sql, **kwargs)

    def _forget_schemas(self, sql: str) -> None:
        if sql.lstrip()[:6].upper() in ("CREATE", "ALTER ", "DROP T", "DROP V"):
            self._schemas.clear()

    # Transactions.
    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """All or nothing: everything inside commits together or is rolled back. Re-entrant: a
        transaction opened inside another joins it, so a step made of steps is still one change."""
        if self.depth:
            self.depth += 1
            try:
                yield self
            finally:
                self.depth -= 1
            return
        self._begin()
        self.depth = 1
        try:
            yield self
        except BaseException as exc:
            self.depth = 0
            self._end(exc)
            raise
        self.depth = 0
        self._end(None)

    def _begin(self) -> None:
        if self.dialect == "postgres":  # psycopg's own: Ibis's calls inside become savepoints
            self._outer = self.con.transaction()
            self._outer.__enter__()
            # One writer at a time, as DuckDB has it: new ids are the largest one plus one and
            # the audit log is a chain, so app workers' changes must not interleave.
            with self.con.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
        else:
            self.ibis.raw_sql("BEGIN TRANSACTION")

    def _end(self, exc: BaseException | None) -> None:
        if self.dialect == "postgres":
            outer, self._outer = self._outer, None
            outer.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)
        else:
            self.ibis.raw_sql("ROLLBACK" if exc else "COMMIT")

    # Ibis, delegated.
    def table(self, name: str, database: str | None = None) -> ir.Table:
        """The table. On PostgreSQL its columns are read once (Ibis asks the catalogue each
        time, 20 ms) until a statement changes tables, and all are nullable, as DuckDB gives
        them: Ibis would otherwise call the max of a NOT NULL column non-nullable, and fail
        reading the NULL an empty table gives."""
        if self.dialect == "duckdb" or database is not None:
            return self.ibis.table(name, database=database)
        schema = self._schemas.get(name)
        if schema is None:
            found = self.ibis.table(name).schema()
            schema = ibis.schema({n: t.copy(nullable=True) for n, t in found.items()})
            self._schemas[name] = schema
        return ops.DatabaseTable(name, schema, self.ibis, ops.Namespace()).to_expr()

    def list_tables(self, like: str | None = None) -> list[str]:
        return list(self.ibis.list_tables(like=like))

    def insert(self, name: str, obj: Any, overwrite: bool = False) -> None:
        """Rows into a table, by column name: a frame (Polars, Arrow, pandas) or an expression."""
        frame = as_polars(obj) if self.dialect == "postgres" else None
        if frame is None:
            self.ibis.insert(name, obj, overwrite=overwrite)
            return
        if overwrite:
            self.ibis.truncate_table(name)
        copy_into(self.con, name, frame)

    def insert_file(self, name: str, path: Path, **values: int | str) -> None:
        """The rows of a Parquet file into a table, by column name, with the columns named in
        `values` set to those (DuckDB reads the file itself, no row passes through Python)."""
        if self.dialect == "postgres":
            frame = pl.read_parquet(path).with_columns(
                pl.lit(v).alias(k) for k, v in values.items()
            )
            copy_into(self.con, name, frame)
            return
        replaced = ", ".join(f'? AS "{k}"' for k in values)
        source = "'" + str(path).replace("'", "''") + "'"
        star = f"* REPLACE ({replaced})" if values else "*"
        sql = f'INSERT INTO "{name}" BY NAME SELECT {star} FROM read_parquet({source})'
        self.con.execute(sql, list(values.values()))

    def create_table(self, name: str, obj: Any = None, **kwargs: Any) -> ir.Table:
        self._schemas.clear()
        return self.ibis.create_table(name, obj, **kwargs)

    def sql(self, query: str, **kwargs: Any) -> ir.Table:
        return self.ibis.sql(query, **kwargs)

    def compile(self, expr: ir.Expr, **kwargs: Any) -> str:
        return str(self.ibis.compile(expr, **kwargs))

    def disconnect(self) -> None:
        self.ibis.disconnect()

    def __repr__(self) -> str:
        return f"Warehouse({self.dialect}{', read-only' if self.read_only else ''})"


def _rows(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
