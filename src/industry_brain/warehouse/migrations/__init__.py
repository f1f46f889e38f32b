"""Versioned schema migrations, frozen: each is a file in this folder, applied once, in order,
inside a transaction, and recorded in `schema_migrations`. Never edit a released migration (a
workspace made before the edit would differ from one made after): add a new one.

A migration is SQL (`NNNN_name.sql`: statements separated by `;`, `--` comments) or, where a
step needs code, Python (`NNNN_name.py` with `apply(con: Warehouse) -> None`). Neither reads
today's specs or tables of figures (`schema.FIGURES`, source specs, method specs): whatever they
need is written out in the file or frozen beside it. To add one (see docs/warehouse.md):
  1. write `00NN_what.sql` (or `.py`) with the next number, SQL both DuckDB and PostgreSQL run;
  2. append `(NN, "what it does", sql("00NN_what.sql"))` (or `step("00NN_what")`) to MIGRATIONS;
  3. add the line `| NN | what it does |` to the table in docs/warehouse.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources

import polars as pl

from industry_brain.warehouse.warehouse import Warehouse

Migration = tuple[int, str, Callable[[Warehouse], None]]


def statements(name: str) -> list[str]:
    """The statements of a SQL migration file, without comments."""
    text = resources.files(__name__).joinpath(name).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def sql(name: str) -> Callable[[Warehouse], None]:
    """A migration that runs the statements of a file in this folder."""

    def apply(con: Warehouse) -> None:
        for statement in statements(name):
            con.raw_sql(statement)

    return apply


def step(module: str) -> Callable[[Warehouse], None]:
    """A migration that calls `apply(con)` of a module in this folder."""

    def apply(con: Warehouse) -> None:
        importlib.import_module(f"{__name__}.{module}").apply(con)

    return apply


MIGRATIONS: list[Migration] = [
    (1, "core tables and source tables", sql("0001_core.sql")),
    (2, "reference data: regions and industries", step("0002_reference")),
    (3, "evaluation runs and 亩均 results", sql("0003_runs.sql")),
    (4, "appeals: overrides of figures and grades", sql("0004_overrides.sql")),
    (5, "grade history and differentiated prices", sql("0005_history.sql")),
    (6, "plan monitoring: entered indicator values", sql("0006_indicator_values.sql")),
    (7, "web users with a role and a region scope", sql("0007_users.sql")),
    (8, "audit log and run approval states", sql("0008_workflow.sql")),
    (9, "withdrawn batches, and the batches a run left out", sql("0009_withdrawals.sql")),
    (10, "appeals filed by enterprises and their decisions", sql("0010_appeals.sql")),
    (11, "saved header mappings for departments' new header variants", sql("0011_mappings.sql")),
    (12, "the audit log as a hash chain", step("0012_audit_chain")),
    (
        13,
        "department files as delivered: parts (tax types, power accounts, pollutants and "
        "outlets), months given, lessors, delivered content and superseded batches",
        sql("0013_department_layouts.sql"),
    ),
    (
        14,
        "server-side web sessions; users disabled and passwords changed",
        sql("0014_sessions.sql"),
    ),
    (15, "the text of the method spec each run used", step("0015_run_specs")),
    (16, "background jobs of the web app: state, progress and outcome", sql("0016_jobs.sql")),
    (17, "publications: each file a published run gave", sql("0017_publications.sql")),
    (
        18,
        "plan figures entered as batches: the plan_actuals source, the plan a batch was loaded "
        "for, the batch of each entered figure",
        sql("0018_plan_figures.sql"),
    ),
    (19, "the app process running each job", sql("0019_job_workers.sql")),
    (20, "enterprise and enterprise_year without primary keys", step("0020_derived_without_keys")),
    (
        21,
        "purchases between enterprises: the trade source and the trade table derived from its "
        "active batches",
        sql("0021_trade.sql"),
    ),
]

CREATE_LEDGER = (
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
    "applied_at TIMESTAMP NOT NULL)"
)


def schema_version(con: Warehouse) -> int:
    if "schema_migrations" not in con.list_tables():
        return 0
    value = con.fetch("SELECT max(version) AS version FROM schema_migrations")[0]["version"]
    return int(value) if value is not None else 0


def migrate(con: Warehouse, migrations: list[Migration] | None = None) -> list[int]:
    """Apply the migrations not yet applied, in order; returns the versions applied. A version
    missing below the newest applied one (two lines of work numbered apart) is applied too."""
    if "schema_migrations" not in con.list_tables():
        con.raw_sql(CREATE_LEDGER)
    done = {int(r["version"]) for r in con.fetch("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, apply in migrations or MIGRATIONS:
        if version in done:
            continue
        with con.transaction():
            apply(con)
            when = datetime.now(UTC).replace(tzinfo=None)
            row = {"version": [version], "name": [name], "applied_at": [when]}
            con.insert("schema_migrations", pl.DataFrame(row))
        applied.append(version)
    return applied
