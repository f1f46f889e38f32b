"""产业链 pages for the 链长 offices (docs/chains.md "Pages"): the user's chains, a chain's map
(segments by stage, 链主, the supply network), a segment's enterprises, the risk list, and one
flagged input with its suppliers, backup candidates and 对接 records. Each page shows one chains
run (`?run=`; by default the latest covering the user), read through chain_queries; analysts
only, lists of enterprises cut to the user's scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from industry_brain.engines.chains.matches import STATUSES, record_match
from industry_brain.web import chain_queries as cq
from industry_brain.web import chain_views as views
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.cache import read
from industry_brain.web.chain_network import network
from industry_brain.web.errors import ApiError
from industry_brain.web.pages import render
from industry_brain.web.paging import Page
from industry_brain.web.params import MAX_ID, MaybeYear
from industry_brain.web.scope import Scope
from industry_brain.web.threads import writer

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
RunParam = Annotated[int | None, Query(ge=1, le=MAX_ID, description="A chains run's number.")]
SegmentPage = Annotated[Page, Depends(cq.SEGMENT_ENTERPRISES.depends())]
RiskPage = Annotated[Page, Depends(cq.RISKS.depends())]
NOTE_MAX = 200


@router.get("/chains", response_class=HTMLResponse)
def chains_page(
    request: Request, user: User, run: RunParam = None, year: MaybeYear = None
) -> Response:
    """A card per chain of the run shown (a year chosen on the page when there are several)."""
    found, years = views.chosen_run(request, user, run, year, needed=False)
    if found is None:
        return render(request, "chains.html", user, run=None, years=years)
    context = views.context(request, found, years) | {"asked": year}
    cards = read(request, cq.chain_cards, found["run_id"])
    context["cards"] = [c | {"kind": views.kind_of(request, c["chain_id"])} for c in cards]
    return render(request, "chains.html", user, **context)


@router.get("/chains/risks", response_class=HTMLResponse)
def risks_page(
    request: Request, user: User, page: RiskPage, run: RunParam = None, kind: str = "",
    chain: str = "", county: str = "",
) -> Response:  # fmt: skip
    """Every flag of the run in scope, a page at a time, filtered by kind, chain and county."""
    found, years = views.shown_run(request, user, run)
    context = views.context(request, found, years)
    views.check_filters(user, context["spec"], kind, chain, county)
    rid = found["run_id"]
    context |= {"list": read(request, cq.risks, rid, user, kind, chain, county, page)}
    context |= {"counties": read(request, cq.risk_counties, rid, user)}
    context |= {"kind": kind, "chain": chain, "county": county}
    return render(request, "chains_risks.html", user, **context)


@router.get("/chains/risks.xlsx")
def risks_export(
    request: Request, user: User, page: RiskPage, run: RunParam = None, kind: str = "",
    chain: str = "", county: str = "",
) -> Response:  # fmt: skip
    """The risk list as filtered and sorted on screen, every page of it."""
    found, _ = views.shown_run(request, user, run)
    spec = read(request, cq.spec_of, found["run_id"])
    views.check_filters(user, spec, kind, chain, county)
    rows = read(request, cq.risks, found["run_id"], user, kind, chain, county, page.everything())
    sheet = ("风险清单", views.RISK_COLUMNS, views.risk_rows(rows.rows), views.RISK_FORMATS)
    title = f"产业链风险清单_{found['year']}"
    return views.workbook(title, f"chain_risks_{found['run_id']}.xlsx", [sheet])


@router.get("/chains/risks/{buyer_uscc}/{input_class}", response_class=HTMLResponse)
def risk_page(
    request: Request, buyer_uscc: str, input_class: str, user: User, run: RunParam = None
) -> Response:
    """One buyer input: its flags, the suppliers behind them, the backup candidates ranked with
    why, and the 对接 records (a form to record one)."""
    found, years = views.shown_run(request, user, run)
    b = views.buyer_in_scope(request, user, buyer_uscc)
    detail = read(request, cq.flagged_input, found["run_id"], buyer_uscc, input_class)
    if detail is None:
        raise ApiError(404, f"run {found['run_id']} screened no input {input_class[:20]} of it")
    records = read(request, cq.match_records, buyer_uscc, input_class)
    backups = [r | {"why": views.why(r, b["region_code"])} for r in detail["backups"]]
    context = views.context(request, found, years) | {"buyer": b, "input_class": input_class}
    context |= {"detail": detail, "backups": backups, "records": records, "statuses": STATUSES}
    names = {r["candidate"]: r["candidate_name"] for r in detail["backups"]}
    context |= {"candidate_names": names, "recorded": request.query_params.get("recorded")}
    return render(request, "chains_risk.html", user, **context)


@router.post("/chains/risks/{buyer_uscc}/{input_class}/matches")
def record(
    request: Request, buyer_uscc: str, input_class: str, user: User,
    csrf: Annotated[str, Form()], candidate: Annotated[str, Form(max_length=200)],
    status: Annotated[str, Form(max_length=20)], note: Annotated[str, Form()] = "",
    run: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:  # fmt: skip
    """Record how far a buyer and one of its backup candidates have got (对接), audited."""
    check_csrf(request, csrf)
    found, _ = views.shown_run(request, user, run)
    b = views.buyer_in_scope(request, user, buyer_uscc)
    detail = read(request, cq.flagged_input, found["run_id"], buyer_uscc, input_class)
    known = read(request, cq.match_records, buyer_uscc, input_class)["current"]
    if detail is None or candidate not in {r["candidate"] for r in detail["backups"]} | set(known):
        raise ApiError(422, f"{candidate[:40]} is not a backup candidate of this input")
    if status not in STATUSES:
        raise ApiError(422, f"对接状态须为 {'、'.join(STATUSES.values())} 之一")
    if len(note) > NOTE_MAX:
        raise ApiError(422, f"说明至多 {NOTE_MAX} 个字符")
    con = request.app.state.con
    with writer(request):
        record_match(
            con, buyer_uscc, input_class, candidate, status, user.username, b["region_code"], note
        )
    request.app.state.cache.invalidate(user.username)
    to = f"/chains/risks/{buyer_uscc}/{input_class}?run={found['run_id']}&recorded=1#matches"
    return RedirectResponse(to, status_code=303)


@router.get("/chains/{chain_id}", response_class=HTMLResponse)
def chain_page(request: Request, chain_id: str, user: User, run: RunParam = None) -> Response:
    """A chain's map: its segments by stage, its 链主, its supply network (and the network's
    largest links as a table)."""
    found, years = views.shown_run(request, user, run)
    context = views.context(request, found, years)
    chain = views.chain_of(context["spec"], chain_id)
    rid = found["run_id"]
    context |= {"chain": chain, "kind": views.kind_of(request, chain_id)}
    context |= {"segments": read(request, cq.segments, rid, chain_id)}
    context |= {"leaders": read(request, cq.leaders, rid, chain_id, user)}
    context |= {"graph": read(request, network, rid, chain_id, user)}
    return render(request, "chains_map.html", user, **context)


@router.get("/chains/{chain_id}/segments.xlsx")
def segments_export(request: Request, chain_id: str, user: User, run: RunParam = None) -> Response:
    """The chain's segment table (the chain map's figures) as an Excel file."""
    found, _ = views.shown_run(request, user, run)
    chain = views.chain_of(read(request, cq.spec_of, found["run_id"]), chain_id)
    rows = views.segment_rows(read(request, cq.segments, found["run_id"], chain_id))
    sheet = ("环节", views.SEGMENT_COLUMNS, rows, views.SEGMENT_FORMATS)
    title = f"{chain.name}产业链环节_{found['year']}"
    return views.workbook(title, f"chain_{chain_id}_{found['year']}.xlsx", [sheet])


@router.get("/chains/{chain_id}/segments/{segment_id}", response_class=HTMLResponse)
def segment_page(
    request: Request, chain_id: str, segment_id: str, user: User, page: SegmentPage,
    run: RunParam = None,
) -> Response:  # fmt: skip
    """A segment's enterprises in scope, a page at a time, sorted by a column."""
    found, years = views.shown_run(request, user, run)
    context = views.context(request, found, years)
    chain = views.chain_of(context["spec"], chain_id)
    rid = found["run_id"]
    rows = {s["segment_id"]: s for s in read(request, cq.segments, rid, chain_id)}
    if segment_id not in rows:
        raise ApiError(404, f"the chain has no segment {segment_id[:80]!r}")
    found_list = read(request, cq.segment_enterprises, rid, chain_id, segment_id, user, page)
    context |= {"chain": chain, "segment": rows[segment_id], "list": found_list}
    return render(request, "chains_segment.html", user, **context)
