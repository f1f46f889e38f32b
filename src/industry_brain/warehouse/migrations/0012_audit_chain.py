"""Migration 12: the audit log as a hash chain; the entries written before are chained in order
(the chain's hash is `audit_chain.entry_hash`, the one `verify` checks)."""

from __future__ import annotations

from industry_brain.warehouse.warehouse import Warehouse


def apply(con: Warehouse) -> None:
    from industry_brain.warehouse.audit_chain import chain_existing

    con.raw_sql("ALTER TABLE audit_log ADD COLUMN entry_hash VARCHAR")
    chain_existing(con)
