"""The rule for each target kind: is it met, how far along (R), and where it is heading.

Conventions: `direction` is explicit (up, down, maintain). A `rate` indicator's yearly values
are changes in the good direction (增速 for up, 降幅 for down), so for it higher is always better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from industry_brain.engines.progress.catalog import Plan, PlanIndicator
from industry_brain.engines.progress.method import (
    ProgressMethod,
    Status,
    annual_rate,
    compound,
    per_year,
)
from industry_brain.engines.progress.targets import Target

SIGN = {"up": 1, "down": -1, "maintain": 0}


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status | None  # None: not assessable (see reason)
    ratio: float | None = None
    projected: float | None = None  # at the target year, in the target's terms
    met: bool = False  # the latest figure meets the target
    projected_met: bool | None = None
    until_end: bool = False  # "achieved" only counts in the target year
    rule: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()


def not_assessable(reason: str) -> Outcome:
    return Outcome(None, reason=reason)


def meets(target: Target, direction: int, x: float, method: ProgressMethod) -> bool:
    v = target.value
    assert v is not None
    if target.kind == "at_least":
        return x >= v
    if target.kind == "at_most":
        return x <= v
    tol = (method.approx_tolerance if target.kind == "approx" else 0.0) * abs(v)
    if direction == 0:
        return abs(x - v) <= max(tol, method.maintain_tolerance * abs(v))
    return x >= v - tol if direction > 0 else x <= v + tol


def _status(met: bool, ratio: float | None, method: ProgressMethod) -> Status:
    if met:
        return "achieved"
    return method.status(ratio) if ratio is not None else "deterioration"


def level(
    ind: PlanIndicator,
    target: Target,
    base: tuple[int, float] | None,
    x: float,
    t: int,
    method: ProgressMethod,
) -> Outcome:
    """A level to reach by the target year: compound annual change against the required one."""
    d, v, big_t = SIGN[ind.direction], target.value, ind.target_year
    assert v is not None
    met = meets(target, d, x, method)
    if base is None or t <= base[0]:
        if met:
            return Outcome("achieved", met=True, projected=x, projected_met=True, rule="对比目标")
        return not_assessable("缺少基期值，无法计算进度" if base is None else "尚无基期之后的数据")
    t0, x0 = base
    if d == 0:
        away = abs(x - v) > abs(x0 - v)
        status: Status = "on_track" if met else ("deterioration" if away else "needs_acceleration")
        return Outcome(status, None, x, met, met, until_end=True, rule="保持目标水平")
    a, r = annual_rate(x0, x, t - t0), annual_rate(x0, v, big_t - t0)
    if a is not None and r is not None:
        projected, rule = x * (1 + a) ** (big_t - t), "年均增速"
    else:
        a, r = (x - x0) / (t - t0), (v - x0) / (big_t - t0)
        projected, rule = x + a * (big_t - t), "线性趋势"
    ratio = d * a / abs(r) if r != 0 else None
    projected_met = meets(target, d, projected, method)
    return Outcome(_status(met, ratio, method), ratio, projected, met, projected_met, rule=rule)


def per_year_value(ind: PlanIndicator, target: Target, x: float, method: ProgressMethod) -> Outcome:
    """A figure each year must reach (a rate like 增速达到8%, or 每年150项): this year's value."""
    v = target.value
    assert v is not None
    d = 1 if ind.measure == "rate" and ind.direction != "maintain" else SIGN[ind.direction]
    met = meets(target, d, x, method)
    ratio = x / v if v > 0 and d > 0 else (v / x if v > 0 and x > 0 and d < 0 else None)
    status = _status(met, ratio, method)
    return Outcome(status, ratio, x, met, met, until_end=True, rule="当年值对比目标")


def _rates(plan: Plan, values: dict[int, float], t: int) -> tuple[list[float], tuple[str, ...]]:
    years = [y for y in sorted(values) if plan.base_year < y <= t]
    missing = [y for y in range(plan.base_year + 1, t + 1) if y not in values]
    note = (f"缺{'、'.join(map(str, missing))}年数据，按已有年份计算",) if missing else ()
    return [values[y] for y in years], note


def growth(
    ind: PlanIndicator,
    plan: Plan,
    target: Target,
    base: tuple[int, float] | None,
    values: dict[int, float],
    t: int,
    method: ProgressMethod,
) -> Outcome:
    """年均增长 g%: the average yearly growth since the base year against g."""
    g = target.value
    assert g is not None
    notes: tuple[str, ...] = ()
    if ind.measure == "rate":
        rates, notes = _rates(plan, values, t)
        if not rates:
            return not_assessable("尚无规划期内的增速数据")
        a = per_year(compound(rates, decline=False), len(rates), decline=False) * 100
    else:
        if base is None or t <= base[0]:
            return not_assessable(
                "缺少基期值，无法计算增速" if base is None else "尚无基期之后的数据"
            )
        rate = annual_rate(base[1], values[t], t - base[0])
        if rate is None:
            return not_assessable("基期值或实际值非正，无法计算增速")
        a = rate * 100
    sign = -1 if ind.direction == "down" and ind.measure == "level" else 1
    tol = method.approx_tolerance * abs(g) if target.bound == "approx" else 0.0
    met = sign * a >= sign * g - tol
    ratio = a / g if g != 0 else None
    status = _status(met, ratio, method)
    return Outcome(status, ratio, a, met, met, until_end=True, rule="年均增速", notes=notes)


def cumulative(
    ind: PlanIndicator,
    plan: Plan,
    target: Target,
    base: tuple[int, float] | None,
    values: dict[int, float],
    t: int,
    method: ProgressMethod,
) -> Outcome:
    """[c] or 下降c%: the change compounded since the base year against c% by the target year."""
    c = target.value
    assert c is not None
    decline, span = ind.direction == "down", ind.target_year - plan.base_year
    notes: tuple[str, ...] = ()
    if ind.measure == "rate":
        rates, notes = _rates(plan, values, t)
        years, change = len(rates), compound(rates, decline)
    else:
        if base is None or base[1] <= 0:
            return not_assessable("缺少基期值，无法计算累计变化")
        years, change = t - base[0], values[t] / base[1] - 1
        change = -change if decline else change
    if years <= 0:
        return not_assessable("尚无规划期内的数据")
    tol = method.approx_tolerance * abs(c) if target.bound == "approx" else 0.0
    met = change * 100 >= c - tol
    required, actual = per_year(c / 100, span, decline), per_year(change, years, decline)
    ratio = actual / required if required else None
    step = (1 - actual) if decline else (1 + actual)
    projected = ((1 - step**span) if decline else (step**span - 1)) * 100 if step > 0 else math.nan
    projected_met = bool(projected >= c - tol)
    status = _status(met, ratio, method)
    return Outcome(status, ratio, projected, met, projected_met, rule="累计变化", notes=notes)
