"""The header's search (issue 14): `GET /search?q=` answers a page of grouped results (企业, 地区,
指标) that works without JavaScript; with `partial=1` (the header box's HTMX live suggestions)
only a short dropdown of the first results of each group. What is found: search_queries.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from industry_brain.web import queries
from industry_brain.web.auth import current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError
from industry_brain.web.pages import render
from industry_brain.web.scope import Scope
from industry_brain.web.search_queries import (
    MAX_LENGTH,
    PER_GROUP,
    clean,
    find_enterprises,
    find_indicators,
    find_regions,
    marked,
)

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
SUGGESTED = 5  # rows of each group in the dropdown
Q = Annotated[str, Query(description="What to search for (cut to its first 50 characters).")]


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, user: User, q: Q = "", partial: str = "") -> Response:
    """Enterprises, regions and indicators matching `q`, within the user's scope (analysts)."""
    if user.is_enterprise:  # an enterprise sees its own page only (web/scope.py)
        raise ApiError(403, "search is for analysts")
    text, cut = clean(q)
    context = {"search_q": text, "cut": cut, "max_length": MAX_LENGTH, "per_group": PER_GROUP}
    context |= {"groups": None, "marked": marked, "code_like": any(c.isdigit() for c in text)}
    context["print_filters"] = [("关键词", text)] if text else []  # as searched, not as typed
    if text:
        year = read(request, queries.latest_year) or 0
        context["groups"] = {
            "enterprises": read(request, find_enterprises, user, text, year),
            "regions": read(request, find_regions, user, text),
            "indicators": read(request, find_indicators, user, text),
        }
        context["year"] = year
    if partial == "1":
        return render(request, "_search_suggest.html", user, shown=SUGGESTED, **context)
    return render(request, "search.html", user, **context)
