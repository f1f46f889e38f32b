"""The monitoring engine's result tables: the rows' schema, and its migration 1 (frozen)."""

from __future__ import annotations

from typing import Any

import polars as pl

from industry_brain.warehouse.warehouse import Warehouse

STATUS_SCHEMA: dict[str, Any] = {
    "seq": pl.Int32, "stage": pl.Utf8, "category": pl.Utf8, "indicator": pl.Utf8,
    "name": pl.Utf8, "unit": pl.Utf8, "attribute": pl.Utf8, "baseline": pl.Utf8,
    "baseline_year": pl.Int32, "target": pl.Utf8, "target_year": pl.Int32, "kind": pl.Utf8,
    "target_value": pl.Float64, "actual": pl.Float64, "actual_year": pl.Int32,
    "origin": pl.Utf8, "source": pl.Utf8, "ratio": pl.Float64, "projected": pl.Float64,
    "rule": pl.Utf8, "status": pl.Utf8, "status_label": pl.Utf8, "reason": pl.Utf8,
    "notes": pl.Utf8, "verdict_key": pl.Utf8, "verdict": pl.Utf8, "basis": pl.Utf8,
}  # fmt: skip


def create_tables(con: Warehouse) -> None:
    """Migration 1 of the monitoring engine. Frozen: never edit; add a migration instead."""
    con.raw_sql(
        """CREATE TABLE progress_status (run_id INTEGER NOT NULL, "seq" INTEGER,
        "stage" VARCHAR, "category" VARCHAR, "indicator" VARCHAR, "name" VARCHAR,
        "unit" VARCHAR, "attribute" VARCHAR, "baseline" VARCHAR, "baseline_year" INTEGER,
        "target" VARCHAR, "target_year" INTEGER, "kind" VARCHAR,
        "target_value" DOUBLE PRECISION, "actual" DOUBLE PRECISION, "actual_year" INTEGER,
        "origin" VARCHAR, "source" VARCHAR, "ratio" DOUBLE PRECISION,
        "projected" DOUBLE PRECISION, "rule" VARCHAR, "status" VARCHAR,
        "status_label" VARCHAR, "reason" VARCHAR, "notes" VARCHAR, "verdict_key" VARCHAR,
        "verdict" VARCHAR, "basis" VARCHAR)"""
    )
    con.raw_sql(
        """CREATE TABLE progress_actual (run_id INTEGER NOT NULL, indicator VARCHAR NOT NULL,
        "year" INTEGER NOT NULL, value DOUBLE PRECISION, origin VARCHAR, source VARCHAR,
        note VARCHAR)"""
    )
    con.raw_sql(
        "CREATE TABLE progress_note (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, note VARCHAR)"
    )
