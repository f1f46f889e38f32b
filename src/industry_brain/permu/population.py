"""Who is evaluated, on which track and in which ranking group — or why not."""

from __future__ import annotations

import datetime as dt

import ibis
from ibis.expr.types import Table, Value

from industry_brain.permu.spec import MethodSpec, Track

EVALUATED, EXEMPT, DEFERRED, NOT_EVALUATED = "evaluated", "exempt", "deferred", "not_evaluated"


def _in_region(region_code: Value, region: str) -> Value:
    if region.endswith("0000"):
        return region_code.startswith(region[:2])
    if region.endswith("00"):
        return region_code.startswith(region[:4])
    return region_code.startswith(region)  # a county and its parks


def industrial_year(
    enterprise_year: Table, enterprise: Table, spec: MethodSpec, year: int
) -> Table:
    """Industrial enterprises (大类 06–46) of the spec's region in a year, with their identity."""
    ey = enterprise_year.filter(enterprise_year.year == year)
    t = ey.join(enterprise, "uscc")
    division = t.industry_code.substr(0, 2)
    return t.filter(division.cast("int32").between(6, 46), _in_region(t.region_code, spec.region))


def _track_of(t: Table, track: Track) -> Value:
    p = track.population
    return (t.above_scale == p.above_scale) & (t.land_mu.fill_null(0) >= p.min_land_mu)


def _group_of(t: Table, track: Track) -> Value:
    if not track.groups:
        return ibis.literal("全部")
    division = t.industry_code.substr(0, 2)
    cases = [(division.isin(list(divs)), name) for name, divs in track.groups.items()]
    return ibis.cases(*cases, else_="其他")


def classify(t: Table, spec: MethodSpec, year: int) -> Table:
    """Add track, group, status and reason: exempt first, then out of scope, then deferred."""
    division = t.industry_code.substr(0, 2)
    reason: Value = ibis.null("string")
    for ex in reversed(spec.exemptions):
        hit = division.isin(list(ex.divisions) or [""]) | t.industry_code.isin(
            list(ex.classes) or [""]
        )
        reason = hit.ifelse(ex.reason, reason)
    exempt = reason.notnull()
    deferred = ibis.literal(False)
    if spec.deferral_years:
        cutoff = dt.date(year - spec.deferral_years, 12, 31)
        deferred = t.registered_on.notnull() & (t.registered_on > cutoff)
    track: Value = ibis.null("string")
    group: Value = ibis.null("string")
    for tr in reversed(spec.tracks):
        hit = _track_of(t, tr)
        track = hit.ifelse(tr.name, track)
        group = hit.ifelse(_group_of(t, tr), group)
    status = ibis.cases(
        (exempt, EXEMPT), (track.isnull(), NOT_EVALUATED), (deferred, DEFERRED), else_=EVALUATED
    )
    why = ibis.cases(
        (exempt, reason),
        (track.isnull(), "规下企业用地面积不足评价起点"),
        (deferred, f"成立不满{spec.deferral_years}年（暂缓评价）"),
        else_=ibis.null("string"),
    )
    return t.mutate(track=track, group=group, status=status, reason=why)
