"""Each engine's own tables: its migrations, applied once each, in order, inside a transaction,
recorded per engine in `engine_migration` (the warehouse's migrations stay the platform's)."""

from __future__ import annotations

import polars as pl

from industry_brain.engines import registry
from industry_brain.engines.base import Engine
from industry_brain.warehouse import transaction
from industry_brain.warehouse.audit import now
from industry_brain.warehouse.warehouse import Warehouse

TABLE = """CREATE TABLE engine_migration (engine VARCHAR NOT NULL, version INTEGER NOT NULL,
    name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL, PRIMARY KEY (engine, version))"""


def applied(con: Warehouse, engine: Engine) -> int:
    t = con.table("engine_migration")
    found = t.filter(t.engine == engine.name).version.max().to_pyarrow().as_py()
    return int(found or 0)


def migrate_engines(con: Warehouse, engines: list[Engine] | None = None) -> list[tuple[str, int]]:
    """Apply every engine's pending migrations; returns (engine, version) of those applied."""
    if "engine_migration" not in con.list_tables():
        con.raw_sql(TABLE)
    done = []
    for engine in engines if engines is not None else list(registry().values()):
        current = applied(con, engine)
        for step in sorted(engine.migrations, key=lambda m: m.version):
            if step.version <= current:
                continue
            with transaction(con):
                step.apply(con)
                row = {"engine": engine.name, "version": step.version, "name": step.name}
                con.insert("engine_migration", pl.DataFrame([row | {"applied_at": now()}]))
            done.append((engine.name, step.version))
    return done
