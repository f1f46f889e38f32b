"""Who is evaluated, on which track and in which ranking group — or why not."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table, Value

from industry_brain.engines.permu.spec import MethodSpec, Track
from industry_brain.reference.industries import INDUSTRIAL
from industry_brain.reference.regions import in_region

EVALUATED, EXEMPT, DEFERRED, NOT_EVALUATED = "evaluated", "exempt", "deferred", "not_evaluated"
DIVISION = "_division"  # the 2-digit 大类 of industry_code, computed once per row


def industrial_years(
    enterprise_year: Table,
    enterprise: Table,
    spec: MethodSpec,
    years: tuple[int, ...],
    columns: list[str],
) -> Table:
    """Industrial enterprises (大类 06–46) of the spec's region in the given years: those of the
    given columns that enterprise_year or enterprise has, and the 2-digit division
    (`_division`)."""
    e = enterprise.mutate(**{DIVISION: enterprise.industry_code.substr(0, 2)})
    # the enterprises first (N rows), not the joined years (2N rows)
    low, high = INDUSTRIAL
    e = e.filter(
        e[DIVISION].cast("int32").between(low, high), in_region(e.region_code, spec.region)
    )
    ey = enterprise_year.filter(enterprise_year.year.isin(list(years)))
    t = ey.join(e, "uscc")
    have = set(t.columns)
    return t.select(*(c for c in dict.fromkeys([*columns, DIVISION]) if c in have))


def _track_of(t: Table, track: Track) -> Value:
    p = track.population
    return (t.above_scale == p.above_scale) & (t.land_mu.fill_null(0) >= p.min_land_mu)


def _group_of(t: Table, track: Track) -> Value:
    if not track.groups:
        return ibis.literal("全部")
    division = t[DIVISION]
    cases = [(division.isin(list(divs)), name) for name, divs in track.groups.items()]
    return ibis.cases(*cases, else_="其他")


def classify(t: Table, spec: MethodSpec, keep: list[str]) -> Table:
    """The `keep` columns (those `t` has) with track, group, status and reason: exempt first,
    then out of scope, then deferred. The deferral cutoff follows each row's own year, so
    several years classify in one pass."""
    division = t[DIVISION]
    exempt: Value = ibis.null("string")
    hits = []
    for ex in spec.exemptions:  # the first exemption that applies gives the reason
        tests = []
        if ex.divisions:
            tests.append(division.isin(list(ex.divisions)))
        if ex.classes:
            tests.append(t.industry_code.isin(list(ex.classes)))
        if tests:
            hits.append((ibis.or_(*tests), ex.reason))
    if hits:
        exempt = ibis.cases(*hits, else_=ibis.null("string"))
    deferred: Value = ibis.literal(False)
    if spec.deferral_years:
        # registered after 31 December of (year − deferral_years)
        deferred = t.registered_on.year() > t.year - spec.deferral_years
    track: Value = ibis.null("string")
    group: Value = ibis.null("string")
    if spec.tracks:  # the first track that applies
        on = [(_track_of(t, tr), tr) for tr in spec.tracks]
        track = ibis.cases(*((hit, tr.name) for hit, tr in on), else_=track)
        group = ibis.cases(*((hit, _group_of(t, tr)) for hit, tr in on), else_=group)
    t = t.mutate(_exempt=exempt, _deferred=deferred, track=track, group=group)
    exempted, outside = t._exempt.notnull(), t.track.isnull()
    status = ibis.cases(
        (exempted, EXEMPT), (outside, NOT_EVALUATED), (t._deferred, DEFERRED), else_=EVALUATED
    )
    why = ibis.cases(
        (exempted, t._exempt),
        (outside, "规下企业用地面积不足评价起点"),
        (t._deferred, f"成立不满{spec.deferral_years}年（暂缓评价）"),
        else_=ibis.null("string"),
    )
    have = set(t.columns)
    kept = (c for c in dict.fromkeys([*keep, "track", "group"]) if c in have)
    return t.select(*kept, status=status, reason=why)
