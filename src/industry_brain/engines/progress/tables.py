"""The monitoring engine's result tables (created by its migration 1)."""

from __future__ import annotations

from typing import Any

import polars as pl

STATUS_SCHEMA: dict[str, Any] = {
    "seq": pl.Int32, "stage": pl.Utf8, "category": pl.Utf8, "indicator": pl.Utf8,
    "name": pl.Utf8, "unit": pl.Utf8, "attribute": pl.Utf8, "baseline": pl.Utf8,
    "baseline_year": pl.Int32, "target": pl.Utf8, "target_year": pl.Int32, "kind": pl.Utf8,
    "target_value": pl.Float64, "actual": pl.Float64, "actual_year": pl.Int32,
    "origin": pl.Utf8, "source": pl.Utf8, "ratio": pl.Float64, "projected": pl.Float64,
    "rule": pl.Utf8, "status": pl.Utf8, "status_label": pl.Utf8, "reason": pl.Utf8,
    "notes": pl.Utf8, "verdict_key": pl.Utf8, "verdict": pl.Utf8, "basis": pl.Utf8,
}  # fmt: skip
SQL = {pl.Utf8: "VARCHAR", pl.Int32: "INTEGER", pl.Float64: "DOUBLE PRECISION"}


def create_tables(con: Any) -> None:
    columns = ", ".join(f'"{k}" {SQL[v]}' for k, v in STATUS_SCHEMA.items())
    con.raw_sql(f"CREATE TABLE progress_status (run_id INTEGER NOT NULL, {columns})")
    con.raw_sql(
        """CREATE TABLE progress_actual (run_id INTEGER NOT NULL, indicator VARCHAR NOT NULL,
        "year" INTEGER NOT NULL, value DOUBLE PRECISION, origin VARCHAR, source VARCHAR,
        note VARCHAR)"""
    )
    con.raw_sql(
        "CREATE TABLE progress_note (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, note VARCHAR)"
    )
