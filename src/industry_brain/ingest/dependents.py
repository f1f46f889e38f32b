"""What rests on a loaded batch, said before it is withdrawn.

Two things can rest on a batch:
- **other batches' enterprises**: a register batch gives enterprises their county, industry and
  park; an enterprise registered by this batch alone loses them when it goes, and the rows other
  sources loaded for it are then evaluated without (a 规下 firm without a statistics row has no
  industry left, so no track takes it);
- **stored runs** that used the batch: they no longer match the warehouse, and a published one
  stays as published (its lists were sent) while the next run differs.

A withdrawal with dependents needs the analyst's confirmation (`web/actions.py`, `withdraw`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from industry_brain.warehouse.connect import fetch
from industry_brain.warehouse.warehouse import Warehouse

ORPHANS_SQL = """WITH mine AS (SELECT DISTINCT uscc FROM src_register WHERE batch_id = ?),
others AS (SELECT DISTINCT r.uscc FROM src_register r JOIN batch b USING (batch_id)
    WHERE b.status = 'active' AND b.batch_id <> ?),
orphans AS (SELECT uscc FROM mine WHERE uscc NOT IN (SELECT uscc FROM others))
SELECT (SELECT count(*) FROM orphans) AS orphans"""
SOURCES = ("statistics", "tax", "land", "electricity", "emissions")
RESTING_SQL = """SELECT b.batch_id, b.source, b.file_name, b.year, count(*) AS rows
FROM src_{source} s JOIN batch b USING (batch_id)
WHERE b.status = 'active' AND s.uscc IN (
    SELECT uscc FROM src_register WHERE batch_id = ? EXCEPT
    SELECT r.uscc FROM src_register r JOIN batch o USING (batch_id)
    WHERE o.status = 'active' AND o.batch_id <> ?)
GROUP BY b.batch_id, b.source, b.file_name, b.year"""
RUNS_SQL = """SELECT r.run_id, r.year, r.region_code, r.spec_name, r.inputs,
    coalesce((SELECT s.state FROM run_state s WHERE s.run_id = r.run_id
        ORDER BY s.seq DESC LIMIT 1), 'draft') AS state
FROM run r WHERE r.inputs LIKE ? ORDER BY r.run_id"""


@dataclass(frozen=True, slots=True)
class Dependents:
    orphans: int = 0  # enterprises registered by this batch alone
    batches: list[dict[str, Any]] = field(default_factory=list)  # their rows in other sources
    runs: list[dict[str, Any]] = field(default_factory=list)  # stored runs that used it

    @property
    def any(self) -> bool:
        return bool(self.orphans or self.runs)

    @property
    def published(self) -> list[int]:
        return [r["run_id"] for r in self.runs if r["state"] == "published"]

    def summary(self) -> str:
        """One Chinese sentence on what rests on the batch ('' when nothing does)."""
        parts = []
        if self.orphans:
            rows = sum(b["rows"] for b in self.batches)
            parts.append(
                f"{self.orphans} 户企业仅由本批次登记，撤回后失去所属区县、行业和园区"
                f"（其他 {len(self.batches)} 个批次中有这些企业的 {rows} 行数据）"
            )
        if self.runs:
            ids = "、".join(str(r["run_id"]) for r in self.runs)
            done = f"，其中 {len(self.published)} 次已发布" if self.published else ""
            parts.append(f"评价运行 {ids} 使用了本批次{done}，撤回后须重新运行")
        return "；".join(parts)


def dependents(con: Warehouse, batch_id: int, source: str) -> Dependents:
    """What rests on the batch (`source` is the batch's source)."""
    orphans, resting = 0, []
    if source == "register":
        orphans = int(fetch(con, ORPHANS_SQL, [batch_id, batch_id])[0]["orphans"])
        for other in SOURCES if orphans else ():
            resting += fetch(con, RESTING_SQL.format(source=other), [batch_id, batch_id])
    return Dependents(orphans, sorted(resting, key=lambda b: b["batch_id"]), _runs(con, batch_id))


def _runs(con: Warehouse, batch_id: int) -> list[dict[str, Any]]:
    """The stored runs whose inputs include the batch (inputs are a JSON list of ids)."""
    found = fetch(con, RUNS_SQL, [f"%{batch_id}%"])
    used = [r for r in found if batch_id in json.loads(r["inputs"] or "[]")]
    return [{k: v for k, v in r.items() if k != "inputs"} for r in used]
