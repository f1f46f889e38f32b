"""对接 records: for a flagged buyer input, the backup candidates an office has put in touch
with the buyer, and how far each pair has got — matched (推荐对接), contacted (已联系),
contracted (已签约) or dropped (未成功). One row per (buyer, input class, candidate), kept
across runs; every change is also written to the audit log with who made it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean
from industry_brain.warehouse import execute, transaction
from industry_brain.warehouse.audit import record
from industry_brain.warehouse.warehouse import Warehouse

STATUSES = {
    "matched": "推荐对接",
    "contacted": "已联系",
    "contracted": "已签约",
    "dropped": "未成功",
}
KEY = ("buyer_uscc", "input_class", "candidate")


class MatchError(BrainError, ValueError):
    code, title, status = "chain_match_invalid", "对接记录有误", 422


def create_table(con: Warehouse) -> None:
    con.raw_sql(
        """CREATE TABLE chain_match (buyer_uscc VARCHAR NOT NULL, input_class VARCHAR NOT NULL,
        candidate VARCHAR NOT NULL, status VARCHAR NOT NULL, note VARCHAR,
        region_code VARCHAR, updated_by VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (buyer_uscc, input_class, candidate))"""
    )


def record_match(
    con: Warehouse,
    buyer_uscc: str,
    input_class: str,
    candidate: str,
    status: str,
    by: str,
    region_code: str | None = None,
    note: str | None = None,
) -> None:
    """Set a pair's status (the first time: create it)."""
    if status not in STATUSES:
        raise MatchError(f"unknown status {status!r}{did_you_mean(status, STATUSES)}")
    if not by.strip():
        raise MatchError("a 对接 record needs who made it")
    row: dict[str, Any] = {"buyer_uscc": buyer_uscc, "input_class": input_class}
    row |= {"candidate": candidate, "status": status, "note": (note or "").strip() or None}
    row |= {"region_code": region_code, "updated_by": by}
    row |= {"updated_at": datetime.now(UTC).replace(tzinfo=None)}
    with transaction(con):
        sql = "DELETE FROM chain_match WHERE buyer_uscc = ? AND input_class = ? AND candidate = ?"
        execute(con, sql, [buyer_uscc, input_class, candidate])
        schema = {"note": pl.Utf8, "region_code": pl.Utf8}
        con.insert("chain_match", pl.DataFrame([row], schema_overrides=schema))
        pair = f"{buyer_uscc}/{input_class}/{candidate}"
        record(con, by, "chain_match", "chain_match", pair, region_code, status=status, note=note)


def matches(con: Warehouse, buyer_uscc: str | None = None) -> list[dict[str, Any]]:
    """The 对接 records, a buyer's or all, latest first."""
    t = con.table("chain_match")
    if buyer_uscc is not None:
        t = t.filter(t.buyer_uscc == buyer_uscc)
    return t.order_by([t.updated_at.desc(), *KEY]).to_polars().to_dicts()
