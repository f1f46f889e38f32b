"""Fixing an upload before it loads: pick another source or year for a file (when the guess was
wrong or the file has no year column), or save a header mapping for a department's new header
variant, which every later file with that header then uses. Each fix validates again, in a
job (see `import_jobs`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from industry_brain.ingest.spec import SOURCES
from industry_brain.web import import_jobs, uploads
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.errors import ApiError
from industry_brain.web.import_jobs import check_mapping
from industry_brain.web.imports import busy_folder, city_level
from industry_brain.web.jobs import answer, submit
from industry_brain.web.params import Index
from industry_brain.web.scope import Scope

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]


@router.post("/import/{token}/{index}/source")
def choose_source(
    request: Request, token: str, index: Index, user: User, csrf: Annotated[str, Form()],
    source: Annotated[str, Form()], year: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Read one file as another source (and year): a job validates it again."""
    check_csrf(request, csrf)
    analyst(user)
    if source not in SOURCES:
        raise ApiError(422, f"unknown source {source!r}")
    at = uploads.folder(request.app.state.ws.path, token, user, change=True)
    items = uploads.pending(at)
    if not 0 <= index < len(items):
        raise ApiError(404, f"no file {index} in this upload")
    given = int(year) if year.strip().isdigit() else None
    items[index] = items[index] | {"source": source, "year": given}
    busy_folder(request, token, user)
    work = import_jobs.check(at, items, [index])
    return answer(request, submit(request, user, "import.check", work))


@router.post("/import/{token}/mapping")
def mapping(
    request: Request, token: str, user: User, csrf: Annotated[str, Form()],
    source: Annotated[str, Form()], header: Annotated[str, Form()], field: Annotated[str, Form()],
) -> Response:  # fmt: skip
    """Save a header mapping for a department's new header variant, then validate again (a
    job). A mapping that cannot be saved (no such field, no header) is refused at once."""
    city_level(request, user, csrf)
    check_mapping(source, header, field)  # MappingError: 422
    at = busy_folder(request, token, user)
    cache = request.app.state.cache
    work = import_jobs.remap(at, (source, header, field), user.username, cache)
    return answer(request, submit(request, user, "import.mapping", work))
