from industry_brain.warehouse import connect, migrate, schema_version
from industry_brain.warehouse.migrations import MIGRATIONS


def test_fresh_warehouse_is_migrated_to_latest(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    assert schema_version(con) == MIGRATIONS[-1][0]
    assert con.table("region").count().execute() == 102
    assert con.table("industry").count().execute() == 1971
    assert {"enterprise", "enterprise_year", "batch", "src_land"} <= set(con.list_tables())


def test_migrations_run_once(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).disconnect()
    con = connect(path)
    assert migrate(con) == []
    assert con.table("region").count().execute() == 102


def test_new_migration_applies_on_top(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    extra = (
        *MIGRATIONS,
        (99, "add a note column", lambda c: c.raw_sql("ALTER TABLE batch ADD COLUMN note VARCHAR")),
    )
    assert migrate(con, list(extra)) == [99]
    assert "note" in con.table("batch").columns and schema_version(con) == 99


def test_every_migration_is_documented():
    from pathlib import Path

    from industry_brain.warehouse.migrations import MIGRATIONS

    doc = (Path(__file__).parents[1] / "docs" / "warehouse.md").read_text("utf-8")
    missing = [f"| {v} | {n} |" for v, n, _ in MIGRATIONS if f"| {v} | {n} |" not in doc]
    assert missing == [], "add to docs/warehouse.md: " + "; ".join(missing)


def test_source_tables_follow_todays_specs(tmp_path):
    """Migration 1 is frozen; later migrations add what the specs gained since, so the tables
    of a new workspace and of one migrated from an older version both match today's specs."""
    from industry_brain.ingest.spec import all_specs
    from industry_brain.warehouse import connect
    from industry_brain.warehouse.migrations import MIGRATIONS, migrate
    from industry_brain.warehouse.schema import source_columns

    fresh = connect(tmp_path / "new.duckdb")
    old = connect(tmp_path / "old.duckdb", migrate_schema=False)
    migrate(old, [m for m in MIGRATIONS if m[0] <= 12])
    migrate(old)
    for con in (fresh, old):
        for spec in all_specs():
            columns = set(con.table(f"src_{spec.source}").schema().names)
            assert columns == set(source_columns(spec)), spec.source
