"""connect(url) → the Warehouse with the schema migrated; `execute`, `fetch` and `transaction` as
functions of a warehouse (thin wrappers of its methods, kept for the code that calls them so)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
from ibis.backends.sql import SQLBackend

from industry_brain.warehouse.warehouse import Warehouse


def connect(url: str | Path, migrate_schema: bool = True, read_only: bool = False) -> Warehouse:
    """Open the warehouse at an Ibis URL ('duckdb:///path/w.duckdb', 'postgresql://user@host/db')
    or a path to a DuckDB file, creating and migrating the schema unless told not to. Read-only:
    nothing is migrated and the database refuses writes."""
    if isinstance(url, Path) or "://" not in url:
        path = Path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"duckdb://{path.resolve()}"
    options = {"read_only": True} if read_only and url.startswith("duckdb://") else {}
    backend: SQLBackend = ibis.connect(url, **options)
    warehouse = Warehouse(backend, read_only=read_only)
    if read_only and warehouse.dialect == "postgres":
        warehouse.raw_sql("SET default_transaction_read_only = on")
    if migrate_schema and not read_only:
        from industry_brain.warehouse.migrations import migrate

        migrate(warehouse)
    return warehouse


def execute(con: Warehouse, sql: str, params: list[Any]) -> None:
    """A statement with `?` parameters: text from users never becomes SQL text."""
    con.execute(sql, params)


def fetch(con: Warehouse, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Rows of a parameterised query (`Warehouse.fetch`)."""
    return con.fetch(sql, params)


@contextmanager
def transaction(con: Warehouse) -> Iterator[Warehouse]:
    """All or nothing, re-entrant (`Warehouse.transaction`)."""
    with con.transaction():
        yield con
