"""Migration 20: `enterprise` and `enterprise_year` without primary keys.

Both are derived: reconciliation deletes and inserts the rows a batch can change, and builds
one row per enterprise (and year) by construction (tests/test_load.py checks it). DuckDB
updates a primary key's index when the transaction commits, holding the commit, and so every
other reader, for about ten seconds when a 1M-row correction replaces a city's year; without
the keys the same commit takes milliseconds. PostgreSQL keeps a plain index for lookups by code.
Frozen: never edit; add a new migration instead.
"""

from __future__ import annotations

from industry_brain.warehouse.warehouse import Warehouse

KEYS = {"enterprise": ("uscc",), "enterprise_year": ("uscc", "year")}


def apply(con: Warehouse) -> None:
    for table, key in KEYS.items():
        if con.dialect == "postgres":
            con.raw_sql(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
            con.raw_sql(f"CREATE INDEX {table}_key ON {table} ({', '.join(key)})")
            continue
        con.raw_sql(f"CREATE TABLE {table}_unkeyed AS SELECT * FROM {table}")
        con.raw_sql(f"DROP TABLE {table}")
        con.raw_sql(f"ALTER TABLE {table}_unkeyed RENAME TO {table}")
        for column in key:
            con.raw_sql(f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL")
