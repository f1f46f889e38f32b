"""The audit log as a hash chain: each entry's `entry_hash` is the sha256 of the previous entry's
hash and the entry's own content. Nothing in the code changes an entry; the chain makes a change
made outside it (by hand, in the database file) detectable: `verify` names the first entry whose
content or order no longer matches, and everything after it is suspect."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from industry_brain.warehouse.warehouse import Warehouse

GENESIS = "0" * 64
CONTENT: tuple[str, ...] = ("entry_id", "created_at", "actor", "action", "object_type")
CONTENT += ("object_id", "region_code", "detail")


def entry_hash(previous: str, entry: dict[str, Any]) -> str:
    content = {k: entry.get(k) for k in CONTENT}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def last_entry(con: Warehouse) -> tuple[int, str]:
    """The newest entry's id and hash: (0, GENESIS) for an empty log."""
    rows = con.fetch("SELECT entry_id, entry_hash FROM audit_log ORDER BY entry_id DESC LIMIT 1")
    return (
        (int(rows[0]["entry_id"]), str(rows[0]["entry_hash"] or GENESIS)) if rows else (0, GENESIS)
    )


def _entries(con: Warehouse, *extra: str) -> list[dict[str, Any]]:
    """Every entry's hashed content (and the extra columns), oldest first."""
    names = [*CONTENT, *extra]
    return con.fetch(f"SELECT {', '.join(names)} FROM audit_log ORDER BY entry_id")


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    broken_at: int | None  # the first entry that does not match, or None when all do
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(con: Warehouse) -> ChainReport:
    """Recompute the chain from the first entry; the first mismatch is reported."""
    previous, count, expected_id = GENESIS, 0, 1
    for entry in _entries(con, "entry_hash"):
        count += 1
        if entry["entry_id"] != expected_id:
            return ChainReport(count, entry["entry_id"], f"entry {expected_id} is missing")
        previous = entry_hash(previous, entry)
        if entry["entry_hash"] != previous:
            return ChainReport(count, entry["entry_id"], "content differs from what was recorded")
        expected_id += 1
    return ChainReport(count, None)


def chain_existing(con: Warehouse) -> None:
    """Migration: hash the entries written before the chain existed, in order."""
    previous = GENESIS
    for entry in _entries(con):
        previous = entry_hash(previous, entry)
        con.execute(
            "UPDATE audit_log SET entry_hash = ? WHERE entry_id = ?", [previous, entry["entry_id"]]
        )
