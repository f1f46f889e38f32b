"""An enterprise's 亩均 result in a stored run, item by item against its benchmarks."""

from __future__ import annotations

from typing import Any

from industry_brain.engines.permu.indicators import INDICATORS
from industry_brain.engines.permu.spec import MethodSpec
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse

FIELDS = (
    "run_id", "spec_name", "uscc", "name", "year", "track", "group", "status", "reason",
    "total", "rank", "group_size", "grade", "veto", "leader", "override",
)  # fmt: skip


def explain(con: Warehouse, run_id: int, method: MethodSpec, uscc: str) -> dict[str, Any] | None:
    """The stored result and its items (value, benchmark, weight, score), heaviest item first,
    weighed by `method`, the one the run stored."""
    sql = (
        "SELECT s.*, r.spec_name FROM permu_score s JOIN run r USING (run_id) "
        "WHERE s.run_id = ? AND s.uscc = ?"
    )
    hits = fetch(con, sql, [int(run_id), uscc])
    if not hits:
        return None
    found = hits[0]
    track = next((t for t in method.tracks if t.name == found["track"]), None)
    weights = {i.indicator: i.weight for i in track.items} if track else {}
    sql = "SELECT * FROM permu_item WHERE run_id = ? AND uscc = ? ORDER BY indicator"
    lines = [
        {
            "indicator": r["indicator"],
            "title": INDICATORS[r["indicator"]].title,
            "unit": INDICATORS[r["indicator"]].unit,
            "value": r["value"],
            "benchmark": r["benchmark"],
            "weight": weights.get(r["indicator"]),
            "score": r["score"],
        }
        for r in fetch(con, sql, [int(run_id), uscc])
    ]
    lines.sort(key=lambda x: -(x["weight"] or 0))
    return {k: found[k] for k in FIELDS} | {"method_title": method.title, "items": lines}
