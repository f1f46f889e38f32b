"""An enterprise's 亩均 result item by item against its benchmarks, from the latest stored run.

Shared by `industry-brain explain` and the web's enterprise page and API.
"""

from __future__ import annotations

from typing import Any

import ibis

from industry_brain.permu.indicators import INDICATORS
from industry_brain.permu.spec import load_method

FIELDS = (
    "run_id", "spec_name", "uscc", "name", "year", "track", "group", "status", "reason",
    "total", "rank", "group_size", "grade", "veto", "leader", "override",
)  # fmt: skip


def latest_score(con: Any, uscc: str, year: int, spec: str | None) -> dict[str, Any] | None:
    run, score = con.table("run"), con.table("permu_score")
    runs = run.filter((run.engine == "permu") & (run.year == year))
    if spec is not None:
        runs = runs.filter(runs.spec_name == spec)
    joined = score.filter(score.uscc == uscc).join(runs, "run_id")
    hits = joined.order_by(ibis.desc("run_id")).limit(1).to_polars()
    return hits.to_dicts()[0] if hits.height else None


def explanation(con: Any, uscc: str, year: int, spec: str | None = None) -> dict[str, Any] | None:
    """The stored result and its items (value, benchmark, weight, score), heaviest item first."""
    found = latest_score(con, uscc, year, spec)
    if found is None:
        return None
    method = load_method(found["spec_name"])
    track = next((t for t in method.tracks if t.name == found["track"]), None)
    weights = {i.indicator: i.weight for i in track.items} if track else {}
    items = (
        con.table("permu_item")
        .filter(lambda t: (t.run_id == found["run_id"]) & (t.uscc == found["uscc"]))
        .to_polars()
    )
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
        for r in items.to_dicts()
    ]
    lines.sort(key=lambda x: -(x["weight"] or 0))
    return {k: found[k] for k in FIELDS} | {"method_title": method.title, "items": lines}
