"""Versioned schema migrations. Each migration runs once, in order, inside a transaction, and is
recorded in `schema_migrations`. Never edit a released migration: add a new one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import polars as pl

from industry_brain.warehouse.schema import initial_schema
from industry_brain.warehouse.warehouse import Warehouse

Migration = tuple[int, str, Callable[[Warehouse], None]]


def _create_core(con: Warehouse) -> None:
    for sql in initial_schema():
        con.raw_sql(sql)


def _load_reference(con: Warehouse) -> None:
    from industry_brain.reference import industries, regions

    region = pl.DataFrame(
        [(r.code, r.name, r.level, r.parent_code) for r in regions()],
        schema=["code", "name", "level", "parent_code"],
        orient="row",
    )
    industry = pl.DataFrame(
        [(i.code, i.name, i.level, i.parent_code, i.section) for i in industries()],
        schema=["code", "name", "level", "parent_code", "section"],
        orient="row",
    )
    con.insert("region", region)
    con.insert("industry", industry)


RUN_TABLES = [
    """CREATE TABLE run (run_id INTEGER PRIMARY KEY, engine VARCHAR NOT NULL,
        spec_name VARCHAR NOT NULL, spec_sha256 VARCHAR NOT NULL, year INTEGER NOT NULL,
        region_code VARCHAR NOT NULL, inputs VARCHAR NOT NULL, code_version VARCHAR NOT NULL,
        result_sha256 VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, created_by VARCHAR)""",
    """CREATE TABLE permu_score (run_id INTEGER NOT NULL, uscc VARCHAR NOT NULL, name VARCHAR,
        region_code VARCHAR, park_code VARCHAR, industry_code VARCHAR, year INTEGER,
        track VARCHAR, "group" VARCHAR, status VARCHAR NOT NULL, reason VARCHAR,
        bonus DOUBLE PRECISION, penalty DOUBLE PRECISION, total DOUBLE PRECISION,
        "rank" BIGINT, group_size BIGINT, percentile DOUBLE PRECISION, grade VARCHAR,
        veto VARCHAR, leader BOOLEAN)""",
    """CREATE TABLE permu_item (run_id INTEGER NOT NULL, uscc VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL, value DOUBLE PRECISION, benchmark DOUBLE PRECISION,
        score DOUBLE PRECISION)""",
]


def _create_run_tables(con: Warehouse) -> None:
    for sql in RUN_TABLES:
        con.raw_sql(sql)


def _create_overrides(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE permu_override (override_id INTEGER PRIMARY KEY, year INTEGER NOT NULL,
        uscc VARCHAR NOT NULL, kind VARCHAR NOT NULL, field VARCHAR, value DOUBLE PRECISION,
        grade VARCHAR, reason VARCHAR NOT NULL, author VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL)"""
    )
    con.raw_sql('ALTER TABLE permu_score ADD COLUMN "override" VARCHAR')


def _create_history(con: Warehouse) -> None:
    for column, kind in (
        ("grade_last", "VARCHAR"),
        ("transition", "VARCHAR"),
        ("d_years", "INTEGER"),
    ):
        con.raw_sql(f"ALTER TABLE permu_score ADD COLUMN {column} {kind}")
    con.raw_sql(
        """CREATE TABLE permu_price (run_id INTEGER NOT NULL, uscc VARCHAR NOT NULL,
        resource VARCHAR NOT NULL, title VARCHAR NOT NULL, unit VARCHAR NOT NULL,
        surcharge DOUBLE PRECISION NOT NULL)"""
    )


def _create_indicator_values(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE indicator_value (entry_id INTEGER PRIMARY KEY, plan VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL, region_code VARCHAR NOT NULL, year INTEGER NOT NULL,
        value DOUBLE PRECISION NOT NULL, source VARCHAR NOT NULL, note VARCHAR,
        file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, "row" INTEGER NOT NULL,
        entered_by VARCHAR, entered_at TIMESTAMP NOT NULL)"""
    )


def _create_users(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE app_user (username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL, region_code VARCHAR NOT NULL, uscc VARCHAR,
        display_name VARCHAR, created_at TIMESTAMP NOT NULL)"""
    )


def _create_workflow(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE audit_log (entry_id INTEGER PRIMARY KEY, created_at TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL, action VARCHAR NOT NULL, object_type VARCHAR NOT NULL,
        object_id VARCHAR NOT NULL, region_code VARCHAR, detail VARCHAR)"""
    )
    con.raw_sql(
        """CREATE TABLE run_state (run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
        state VARCHAR NOT NULL, actor VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, note VARCHAR,
        PRIMARY KEY (run_id, seq))"""
    )


def _add_withdrawals(con: Warehouse) -> None:
    con.raw_sql("ALTER TABLE batch ADD COLUMN withdrawn_by VARCHAR")
    con.raw_sql("ALTER TABLE batch ADD COLUMN withdrawn_reason VARCHAR")
    con.raw_sql("ALTER TABLE run ADD COLUMN excluded VARCHAR")  # withdrawn batches not used


def _create_appeals(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE appeal (appeal_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
        uscc VARCHAR NOT NULL, reason VARCHAR NOT NULL, attachment VARCHAR,
        filed_by VARCHAR NOT NULL, filed_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL,
        decision VARCHAR, decided_by VARCHAR, decided_at TIMESTAMP, override_id INTEGER,
        amendment_run_id INTEGER)"""
    )


def _create_mappings(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE header_mapping (source VARCHAR NOT NULL, header VARCHAR NOT NULL,
        field VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (source, header))"""
    )


def _chain_audit_log(con: Warehouse) -> None:
    from industry_brain.warehouse.audit_chain import chain_existing

    con.raw_sql("ALTER TABLE audit_log ADD COLUMN entry_hash VARCHAR")
    chain_existing(con)


LAYOUT_COLUMNS = {
    "src_tax": "tax_type VARCHAR, months INTEGER",
    "src_electricity": "account_id VARCHAR, months INTEGER",
    "src_emissions": "outlet_id VARCHAR, pollutant VARCHAR, amount_t DOUBLE PRECISION",
    "src_land": "lessor VARCHAR",
    "batch": "content_sha256 VARCHAR, superseded_by INTEGER, fields VARCHAR",
}


def _department_layouts(con: Warehouse) -> None:
    for table, columns in LAYOUT_COLUMNS.items():
        for column in columns.split(", "):
            con.raw_sql(f"ALTER TABLE {table} ADD COLUMN {column}")


def _create_sessions(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE web_session (session_key VARCHAR PRIMARY KEY, username VARCHAR NOT NULL,
        csrf VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL,
        client VARCHAR, ended_at TIMESTAMP, ended_why VARCHAR)"""
    )
    con.raw_sql("ALTER TABLE app_user ADD COLUMN disabled_at TIMESTAMP")
    con.raw_sql("ALTER TABLE app_user ADD COLUMN password_changed_at TIMESTAMP")


def _store_run_specs(con: Warehouse) -> None:
    """Each run keeps its spec's text; runs made before keep their packaged spec's text where
    that still gives the hash they recorded (`MethodSpec.sha256`), else none."""
    from industry_brain.engines.permu.spec import packaged_methods, packaged_text, read_method
    from industry_brain.warehouse.connect import execute

    con.raw_sql("ALTER TABLE run ADD COLUMN spec_text VARCHAR")
    for name in packaged_methods():
        text = packaged_text(name)
        sha256 = read_method(text, f"{name}.yaml").sha256
        sql = "UPDATE run SET spec_text = ? WHERE spec_name = ? AND spec_sha256 = ?"
        execute(con, sql, [text, name, sha256])


MIGRATIONS: list[Migration] = [
    (1, "core tables and source tables", _create_core),
    (2, "reference data: regions and industries", _load_reference),
    (3, "evaluation runs and 亩均 results", _create_run_tables),
    (4, "appeals: overrides of figures and grades", _create_overrides),
    (5, "grade history and differentiated prices", _create_history),
    (6, "plan monitoring: entered indicator values", _create_indicator_values),
    (7, "web users with a role and a region scope", _create_users),
    (8, "audit log and run approval states", _create_workflow),
    (9, "withdrawn batches, and the batches a run left out", _add_withdrawals),
    (10, "appeals filed by enterprises and their decisions", _create_appeals),
    (11, "saved header mappings for departments' new header variants", _create_mappings),
    (12, "the audit log as a hash chain", _chain_audit_log),
    (
        13,
        "department files as delivered: parts (tax types, power accounts, pollutants and "
        "outlets), months given, lessors, delivered content and superseded batches",
        _department_layouts,
    ),
    (14, "server-side web sessions; users disabled and passwords changed", _create_sessions),
    (15, "the text of the method spec each run used", _store_run_specs),
]


def schema_version(con: Warehouse) -> int:
    if "schema_migrations" not in con.list_tables():
        return 0
    value = con.table("schema_migrations").version.max().to_pyarrow().as_py()
    return int(value) if value is not None else 0


def migrate(con: Warehouse, migrations: list[Migration] | None = None) -> list[int]:
    """Apply pending migrations; returns the versions applied."""
    from industry_brain.warehouse.connect import transaction

    if "schema_migrations" not in con.list_tables():
        con.raw_sql(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP NOT NULL)"
        )
    current = schema_version(con)
    applied = []
    for version, name, apply in migrations or MIGRATIONS:
        if version <= current:
            continue
        with transaction(con):
            apply(con)
            con.insert(
                "schema_migrations",
                pl.DataFrame(
                    {
                        "version": [version],
                        "name": [name],
                        "applied_at": [datetime.now(UTC).replace(tzinfo=None)],
                    }
                ),
            )
        applied.append(version)
    return applied
