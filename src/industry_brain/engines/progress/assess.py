"""Progress of one plan indicator in a year: status, ratio, projection and, at the end, verdict.

Each target kind has its rule (docs/monitoring.md): level targets compare compound annual growth
(linear change when the base is zero or negative), annual-growth targets compare the average
yearly growth, cumulative targets compare the yearly change that compounds to the cumulative one.
Rank and qualitative targets, and assigned ones not yet entered, are not assessable, with a reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from industry_brain.engines.progress.catalog import Plan, PlanIndicator
from industry_brain.engines.progress.method import DEFAULT, ProgressMethod, Status
from industry_brain.engines.progress.rules import Outcome, cumulative, growth, level, per_year_value
from industry_brain.engines.progress.targets import Target

ORIGIN_LABELS = {"computed": "计算值", "entered": "录入值"}


@dataclass(frozen=True, slots=True)
class Actual:
    year: int
    value: float
    origin: Literal["computed", "entered"]
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    indicator: PlanIndicator
    target: Target
    year: int
    actual: Actual | None
    baseline: tuple[int, float] | None
    status: Status
    ratio: float | None = None
    projected: float | None = None
    rule: str = ""
    verdict: str | None = None  # met / expected / unlikely / unpublished (VERDICT_LABELS)
    basis: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()


def _baseline(
    ind: PlanIndicator, plan: Plan, series: dict[int, Actual]
) -> tuple[tuple[int, float] | None, str]:
    if ind.baseline is not None and ind.baseline_year is not None:
        return (ind.baseline_year, ind.baseline), ""
    if ind.parsed.from_zero:
        return (plan.base_year, 0.0), f"新增目标，{plan.base_year}年计为0"
    if plan.base_year in series:
        found = series[plan.base_year]
        return (found.year, found.value), f"基期值取{found.year}年{ORIGIN_LABELS[found.origin]}"
    return None, ""


def assess(
    ind: PlanIndicator,
    plan: Plan,
    series: dict[int, Actual],
    year: int,
    method: ProgressMethod = DEFAULT,
    final: bool | None = None,
) -> Assessment:
    """Assess an indicator with the actuals known up to `year`; `final` adds the verdict."""
    target = ind.effective
    final = year >= ind.target_year if final is None else final
    known = {y: a for y, a in series.items() if y <= year}
    base, base_note = _baseline(ind, plan, known)
    head = Assessment(ind, target, year, None, base, "not_assessable")
    if not target.assessable:
        return replace(head, reason=target.note or "无法自动评估")
    if not known:
        reason = "无实际值"
        return replace(head, reason=reason, verdict="unpublished" if final else None, basis=reason)
    actual = known[max(known)]
    notes = tuple(n for n in (base_note, _gap_note(year, actual)) if n)
    outcome = _outcome(ind, plan, target, base, known, actual, method)
    done = replace(head, actual=actual, notes=notes + outcome.notes, rule=outcome.rule)
    if outcome.status is None:
        return replace(done, reason=outcome.reason)
    status: Status = outcome.status
    if status == "achieved" and outcome.until_end and actual.year < ind.target_year:
        status = method.status(outcome.ratio) if outcome.ratio is not None else "on_track"
    result = replace(done, status=status, ratio=outcome.ratio, projected=outcome.projected)
    return _verdict(result, outcome) if final else result


def _gap_note(year: int, actual: Actual) -> str:
    return f"{year}年无数据，采用{actual.year}年数据" if actual.year < year else ""


def _outcome(
    ind: PlanIndicator,
    plan: Plan,
    target: Target,
    base: tuple[int, float] | None,
    known: dict[int, Actual],
    actual: Actual,
    method: ProgressMethod,
) -> Outcome:
    values = {y: a.value for y, a in known.items()}
    if target.kind == "annual_growth":
        return growth(ind, plan, target, base, values, actual.year, method)
    if target.kind == "cumulative":
        return cumulative(ind, plan, target, base, values, actual.year, method)
    if ind.measure == "rate" or target.per_year:
        return per_year_value(ind, target, actual.value, method)
    return level(ind, target, base, actual.value, actual.year, method)


def _verdict(result: Assessment, outcome: Outcome) -> Assessment:
    actual, ind = result.actual, result.indicator
    assert actual is not None
    figure = f"{actual.year}年{ORIGIN_LABELS[actual.origin]}{fmt_number(actual.value)}{ind.unit}"
    if actual.year >= ind.target_year:
        verdict = "met" if outcome.met else "unlikely"
        return replace(result, verdict=verdict, basis=f"依据{figure}")
    if outcome.projected_met is None:
        return replace(
            result,
            verdict="unpublished",
            basis=f"{ind.target_year}年数据未公布，最近为{figure}，无法推算",
        )
    verdict = "expected" if outcome.projected_met else "unlikely"
    projection = f"，按{outcome.rule}推算{ind.target_year}年为{fmt_number(outcome.projected)}"
    return replace(result, verdict=verdict, basis=f"依据{figure}{projection}")


def fmt_number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
