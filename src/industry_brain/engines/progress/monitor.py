"""A plan's monitoring table for a year: every indicator assessed, rolled up by category.

Stages (GLOSSARY.md): `monitoring` (any year), `midterm` (the plan's middle year), `final`
(the target year or later: verdicts 完成 / 预计完成 / 难以完成 / 未公布, each with the figure and
the year it rests on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from industry_brain.engines.base import TableSource
from industry_brain.engines.progress.actuals import PlanActuals, plan_actuals
from industry_brain.engines.progress.assess import ORIGIN_LABELS, Assessment, assess
from industry_brain.engines.progress.catalog import ATTRIBUTES, Plan
from industry_brain.engines.progress.method import (
    DEFAULT,
    STATUS_LABELS,
    VERDICT_LABELS,
    ProgressMethod,
)

Stage = Literal["monitoring", "midterm", "final"]
STAGE_LABELS = {"monitoring": "年度监测", "midterm": "中期评估", "final": "总结评估"}
KIND_LABELS = {
    "level": "目标值",
    "at_least": "不低于",
    "at_most": "不高于",
    "approx": "左右",
    "annual_growth": "年均增长",
    "cumulative": "期内累计",
    "assigned": "上级下达",
    "rank": "排名",
    "qualitative": "定性",
}


@dataclass
class Monitoring:
    plan: Plan
    year: int
    stage: Stage
    method: ProgressMethod
    assessments: list[Assessment]
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        return [row(a, self.stage) for a in self.assessments]

    def rollup(self) -> list[dict[str, Any]]:
        return rollup(self.assessments, self.stage)


def default_stage(plan: Plan, year: int) -> Stage:
    if year >= plan.target_year:
        return "final"
    return "midterm" if year == plan.midterm_year else "monitoring"


def monitor(
    con: TableSource,
    plan: Plan,
    year: int,
    stage: Stage | None = None,
    method: ProgressMethod = DEFAULT,
    actuals: PlanActuals | None = None,
) -> Monitoring:
    """Assess every indicator of the plan with the actuals known up to `year`."""
    stage = stage or default_stage(plan, year)
    found = actuals if actuals is not None else plan_actuals(con, plan)
    final = stage == "final"
    rows = [
        assess(i, plan, found.series.get(i.id, {}), year, method, final) for i in plan.indicators
    ]
    return Monitoring(plan, year, stage, method, rows, list(found.notes))


def row(a: Assessment, stage: Stage) -> dict[str, Any]:
    """One line of the table, as the report and the JSON show it."""
    i, t, actual = a.indicator, a.target, a.actual
    out: dict[str, Any] = {
        "category": i.category,
        "indicator": i.id,
        "name": i.name,
        "unit": i.unit,
        "attribute": ATTRIBUTES[i.attribute],
        "baseline": i.baseline_as_written,
        "baseline_year": i.baseline_year,
        "target": i.target,
        "target_year": i.target_year,
        "kind": t.kind,
        "target_value": t.value,
        "actual": actual.value if actual else None,
        "actual_year": actual.year if actual else None,
        "origin": ORIGIN_LABELS[actual.origin] if actual else None,
        "source": actual.source if actual else None,
        "ratio": a.ratio,
        "projected": a.projected,
        "rule": a.rule,
        "status": a.status,
        "status_label": STATUS_LABELS[a.status],
        "reason": a.reason,
        "notes": "；".join(a.notes + ((actual.note,) if actual and actual.note else ())),
    }
    if stage == "final":
        out["verdict"] = VERDICT_LABELS[a.verdict] if a.verdict else None
        out["basis"] = a.basis or a.reason
    return out


def rollup(assessments: list[Assessment], stage: Stage) -> list[dict[str, Any]]:
    """Counts per status (and verdict at the end) by category, then the total."""
    rows = [
        {"category": a.indicator.category, "status": a.status, "verdict_key": a.verdict}
        for a in assessments
    ]
    return rollup_rows(rows, stage)


def rollup_rows(rows: list[dict[str, Any]], stage: str) -> list[dict[str, Any]]:
    """The roll-up of monitoring rows (category, status, verdict_key), stored or fresh."""
    categories = list(dict.fromkeys(r["category"] for r in rows))
    keys = list(STATUS_LABELS) + (list(VERDICT_LABELS) if stage == "final" else [])
    out = []
    for name in [*categories, None]:
        part = [r for r in rows if name is None or r["category"] == name]
        counts = {k: 0 for k in keys}
        for r in part:
            counts[r["status"]] += 1
            if stage == "final" and r["verdict_key"]:
                counts[r["verdict_key"]] += 1
        out.append({"category": name or "合计", "indicators": len(part), **counts})
    return out
