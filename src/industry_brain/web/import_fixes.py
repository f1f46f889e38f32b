"""Fixing an upload before it loads: pick another source or year for a file (when the guess was
wrong or the file has no year column), or save a header mapping for a department's new header
variant, which every later file with that header then uses. Each fix validates again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from industry_brain.ingest.mappings import save_mapping
from industry_brain.ingest.spec import SOURCES
from industry_brain.web import uploads
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.errors import ApiError
from industry_brain.web.imports import city_level
from industry_brain.web.params import Index
from industry_brain.web.scope import Scope

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]


@router.post("/import/{token}/{index}/source")
async def choose_source(
    request: Request, token: str, index: Index, user: User, csrf: Annotated[str, Form()],
    source: Annotated[str, Form()], year: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Read one file as another source (and year), then validate it again."""
    check_csrf(request, csrf)
    analyst(user)
    if source not in SOURCES:
        raise ApiError(422, f"unknown source {source!r}")
    ws = request.app.state.ws
    at = uploads.folder(ws.path, token, user, change=True)
    items = uploads.pending(at)
    if not 0 <= index < len(items):
        raise ApiError(404, f"no file {index} in this upload")
    given = int(year) if year.strip().isdigit() else None
    chosen = items[index] | {"source": source, "year": given}
    items[index] = await uploads.off_loop(uploads.validated, ws, at, chosen)
    uploads.save(at, items)
    return RedirectResponse(f"/import/{token}", status_code=303)


@router.post("/import/{token}/mapping")
async def mapping(
    request: Request, token: str, user: User, csrf: Annotated[str, Form()],
    source: Annotated[str, Form()], header: Annotated[str, Form()], field: Annotated[str, Form()],
) -> Response:  # fmt: skip
    """Save a header mapping for a department's new header variant, then validate again."""
    city_level(request, user, csrf)
    ws = request.app.state.ws
    at = uploads.folder(ws.path, token, user, change=True)
    save_mapping(ws.con, source, header, field, user.username)  # MappingError: 422
    await uploads.off_loop(uploads.revalidate, ws, at)
    request.app.state.cache.invalidate()
    return RedirectResponse(f"/import/{token}", status_code=303)
