"""The chain engine's result tables (migration 1), each row keyed by its run."""

from __future__ import annotations

import polars as pl

from industry_brain.warehouse.warehouse import Warehouse

INPUT_SCHEMA = {
    "buyer_uscc": pl.Utf8, "input_class": pl.Utf8, "purchases": pl.Float64,
    "suppliers": pl.Int64, "hhi": pl.Float64, "top1_share": pl.Float64,
    "top1_supplier": pl.Utf8, "top3_share": pl.Float64, "outside_city_share": pl.Float64,
    "outside_province_share": pl.Float64, "unknown_region_share": pl.Float64,
}  # fmt: skip
FLAG_SCHEMA = {
    "buyer_uscc": pl.Utf8, "input_class": pl.Utf8, "kind": pl.Utf8, "supplier": pl.Utf8,
    "figure": pl.Float64, "threshold": pl.Float64,
}  # fmt: skip
SUPPLIER_SCHEMA = {
    "supplier": pl.Utf8, "supplier_name": pl.Utf8, "supplier_region": pl.Utf8,
    "buyers": pl.Int64, "sales": pl.Float64, "dependent_buyers": pl.Int64,
    "output_at_risk": pl.Float64, "critical": pl.Boolean, "betweenness": pl.Float64,
}  # fmt: skip
SEGMENT_SCHEMA = {
    "chain_id": pl.Utf8, "segment_id": pl.Utf8, "chain_name": pl.Utf8, "segment_name": pl.Utf8,
    "stage": pl.Utf8, "enterprises": pl.Int64, "output": pl.Float64,
    "output_before": pl.Float64, "growth": pl.Float64, "flagged": pl.Int64,
    "single_source_flags": pl.Int64, "outside_dependence_flags": pl.Int64,
    "critical_supplier_flags": pl.Int64, "exposure_one": pl.Float64,
    "exposure_several": pl.Float64, "tax_per_mu": pl.Float64, "grade_a": pl.Int64,
    "grade_b": pl.Int64, "grade_c": pl.Int64, "grade_d": pl.Int64,
}  # fmt: skip
LEADER_SCHEMA = {
    "chain_id": pl.Utf8, "rank": pl.Int64, "uscc": pl.Utf8, "name": pl.Utf8, "output": pl.Float64,
}  # fmt: skip
BACKUP_SCHEMA = {
    "buyer_uscc": pl.Utf8, "input_class": pl.Utf8, "rank": pl.Int64, "candidate": pl.Utf8,
    "candidate_name": pl.Utf8, "candidate_region": pl.Utf8, "candidate_class": pl.Utf8,
    "match": pl.Utf8, "tier": pl.Utf8, "distance": pl.Int64, "grade": pl.Utf8,
    "output": pl.Float64, "customers": pl.Int64, "supplies_already": pl.Boolean,
}  # fmt: skip
SCHEMAS = {
    "chain_input": INPUT_SCHEMA, "chain_flag": FLAG_SCHEMA, "chain_supplier": SUPPLIER_SCHEMA,
    "chain_segment": SEGMENT_SCHEMA, "chain_leader": LEADER_SCHEMA,
    "chain_backup": BACKUP_SCHEMA,
}  # fmt: skip
SQL_TYPES = {
    pl.Utf8: "VARCHAR",
    pl.Float64: "DOUBLE PRECISION",
    pl.Int64: "BIGINT",
    pl.Boolean: "BOOLEAN",
}


def create_tables(con: Warehouse) -> None:
    for name, schema in SCHEMAS.items():
        columns = ", ".join(f"{c} {SQL_TYPES[t]}" for c, t in schema.items())
        con.raw_sql(f"CREATE TABLE {name} (run_id INTEGER NOT NULL, {columns})")
        con.raw_sql(f"CREATE INDEX {name}_run ON {name} (run_id)")
