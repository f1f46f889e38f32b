"""The warehouse: DuckDB (a file, by default) or PostgreSQL, behind one typed handle
(`Warehouse`), with versioned schema migrations."""

from industry_brain.warehouse.connect import connect, execute, fetch, transaction
from industry_brain.warehouse.migrations import migrate, schema_version
from industry_brain.warehouse.warehouse import Warehouse

__all__ = ["Warehouse", "connect", "execute", "fetch", "migrate", "schema_version", "transaction"]
