"""The warehouse: an Ibis backend (DuckDB file by default) with versioned schema migrations."""

from industry_brain.warehouse.connect import connect, execute, fetch, transaction
from industry_brain.warehouse.migrations import migrate, schema_version

__all__ = ["connect", "execute", "fetch", "migrate", "schema_version", "transaction"]
