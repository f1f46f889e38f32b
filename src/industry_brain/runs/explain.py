"""An enterprise's 亩均 result item by item against its benchmarks, from the latest stored run.

Shared by `industry-brain explain` and the web's enterprise page and API.
"""

from __future__ import annotations

from typing import Any

from industry_brain.engines.permu.indicators import INDICATORS
from industry_brain.runs.spec_store import stored_method
from industry_brain.warehouse import fetch

FIELDS = (
    "run_id", "spec_name", "uscc", "name", "year", "track", "group", "status", "reason",
    "total", "rank", "group_size", "grade", "veto", "leader", "override",
)  # fmt: skip


def latest_score(con: Any, uscc: str, year: int, spec: str | None) -> dict[str, Any] | None:
    sql = (
        "SELECT s.*, r.spec_name FROM permu_score s JOIN run r USING (run_id) "
        "WHERE s.uscc = ? AND r.engine = 'permu' AND r.year = ? "
        "AND (CAST(? AS VARCHAR) IS NULL OR r.spec_name = ?) "
        "ORDER BY s.run_id DESC LIMIT 1"
    )
    hits = fetch(con, sql, [uscc, year, spec, spec])
    return hits[0] if hits else None


def explanation(con: Any, uscc: str, year: int, spec: str | None = None) -> dict[str, Any] | None:
    """The stored result and its items (value, benchmark, weight, score), heaviest item first."""
    found = latest_score(con, uscc, year, spec)
    if found is None:
        return None
    method = stored_method(con, found["run_id"])
    track = next((t for t in method.tracks if t.name == found["track"]), None)
    weights = {i.indicator: i.weight for i in track.items} if track else {}
    sql = "SELECT * FROM permu_item WHERE run_id = ? AND uscc = ? ORDER BY indicator"
    items = fetch(con, sql, [found["run_id"], found["uscc"]])
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
        for r in items
    ]
    lines.sort(key=lambda x: -(x["weight"] or 0))
    return {k: found[k] for k in FIELDS} | {"method_title": method.title, "items": lines}
