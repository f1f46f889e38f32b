"""Importing department files in the browser: upload, the guessed source with its confidence,
the validation report (filter by error code or column; download it as Excel to send back to the
department), then load or cancel. An analyst loads the enterprises of their own region: rows of
others are rejected (R216) and reported like any other error. Header mappings, which change how
every later file is read, are saved at city level or above."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from industry_brain.ingest.mappings import all_mappings
from industry_brain.ingest.spec import SOURCES, load_spec
from industry_brain.web import import_jobs, uploads
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError, read_limited
from industry_brain.web.jobs import answer, runner, submit
from industry_brain.web.pages import render
from industry_brain.web.paging import Listing, Page, of_rows
from industry_brain.web.params import Index
from industry_brain.web.reading import READING_TITLES
from industry_brain.web.scope import Scope
from industry_brain.xlsx import new_workbook, write_rows

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
ERROR_COLUMNS = {"code": "错误代码", "title": "错误", "sheet": "工作表", "row": "行"}
ERROR_COLUMNS |= {"column_label": "列", "column": "表头", "value": "值", "message_zh": "说明"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS = Listing(
    sorts=(("code", "代码"), ("row", "行"), ("column_label", "列"), ("message_zh", "说明")),
    default_sort="row",
    size=100,
    max_size=1000,
    filters=("code", "column"),
    tiebreak=("row", "column_label", "code"),
)
ProblemPage = Annotated[Page, Depends(PROBLEMS.depends())]
LEFT_OUT = "另有 {n} 条问题未列出（本清单列出每种错误的前若干行）：请修正后重新提交"


def _titles() -> dict[str, str]:
    """Each source's Chinese title, for the source pickers."""
    return {s: load_spec(s).title for s in SOURCES}


def city_level(request: Request, user: Scope, csrf: str) -> None:
    """Changes to how every file is read (header mappings) need a city or province analyst."""
    check_csrf(request, csrf)
    analyst(user)
    if user.role == "county":
        raise ApiError(403, "header mappings are saved at city level or above")


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user: User) -> Response:
    analyst(user)
    sources = _titles()
    mappings = read(request, all_mappings)
    return render(request, "import.html", user, sources=sources, mappings=mappings)


@router.post("/import")
async def upload(
    request: Request, user: User, files: Annotated[list[UploadFile], File()],
    csrf: Annotated[str, Form()], source: Annotated[str, Form()] = "auto",
    year: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Save the files, then a job guesses or takes the source and validates (nothing is loaded
    yet); answers with the job's page, which goes on to the report."""
    check_csrf(request, csrf)
    analyst(user)
    if source != "auto" and source not in SOURCES:
        raise ApiError(422, f"unknown source {source!r}")
    ws = request.app.state.ws
    await run_in_threadpool(uploads.clear_old, ws.path)
    at = await run_in_threadpool(uploads.create, ws.path, user)
    given = int(year) if year.strip().isdigit() else None
    try:
        items = [await _received(ws, at, i, f, source, given, user) for i, f in enumerate(files)]
    except BaseException:
        await run_in_threadpool(shutil.rmtree, at)  # a refused upload leaves nothing behind
        raise
    import_jobs.claim(at, runner(request).name)
    work = import_jobs.check(at, items, list(range(len(items))), fresh=True)
    return answer(request, submit(request, user, "import.check", work))


async def _received(
    ws: Any, at: Path, i: int, upload_file: UploadFile, source: str, year: int | None, user: Scope
) -> dict[str, Any]:
    """One uploaded file saved (off the loop); what the check job needs to know of it."""
    name = uploads.safe_name(upload_file.filename, f"file{i}")
    path = at / str(i) / name  # a folder per file: the file keeps its own name in reports
    data = await read_limited(upload_file, ws.settings["max_upload_mb"], name)
    await run_in_threadpool(_write, path, data)
    item: dict[str, Any] = {"name": name, "path": f"{i}/{name}", "source": source, "year": year}
    return item | {"region": user.region_code}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir()
    path.write_bytes(data)


@router.get("/import/{token}", response_class=HTMLResponse)
def review(
    request: Request, token: str, user: User, page: ProblemPage, code: str = "", column: str = ""
) -> Response:
    """The validation report of each uploaded file, its problems filtered by code and column,
    a page at a time (the same page of each file's list), sorted by a column."""
    analyst(user)
    items = uploads.pending(uploads.folder(request.app.state.ws.path, token, user))
    for item in items:
        found = [
            e for e in item["report"]["errors"]
            if (not code or e["code"] == code) and (not column or e["column_label"] == column)
        ]  # fmt: skip
        item["shown"] = of_rows(found, page)
    sources = _titles()
    context = {"token": token, "files": items, "code": code, "column": column, "sources": sources}
    context |= READING_TITLES
    return render(request, "import_review.html", user, may_map=user.role != "county", **context)


@router.get("/import/{token}/{index}/errors.xlsx")
def errors_workbook(request: Request, token: str, index: Index, user: User) -> Response:
    """The file's errors as Excel, to send back to the department."""
    analyst(user)
    at = uploads.folder(request.app.state.ws.path, token, user)
    items = uploads.pending(at)
    if not 0 <= index < len(items):
        raise ApiError(404, f"no file {index} in this upload")
    item = items[index]
    path = at / f"errors_{index}.xlsx"
    wb, bold = new_workbook(path, f"数据校验问题 {item['name']}")
    rows = [[e.get(k) for k in ERROR_COLUMNS] for e in item["report"]["errors"]]
    if left_out := item["report"].get("errors_left_out"):
        rows.append(["", "未列出的问题", *[None] * 5, LEFT_OUT.format(n=left_out)])
    write_rows(wb.add_worksheet("校验问题"), list(ERROR_COLUMNS.values()), rows, bold)
    wb.close()
    name = f"校验问题_{Path(item['name']).stem}.xlsx"
    disposition = f"attachment; filename=\"errors_{index}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(
        path.read_bytes(), media_type=XLSX, headers={"content-disposition": disposition}
    )


@router.post("/import/{token}/load")
def load(request: Request, token: str, user: User, csrf: Annotated[str, Form()]) -> Response:
    """Load every valid file as one batch each (a file with file-level errors is not loaded),
    rows outside the user's region rejected; each load is audited with the user's name. A job:
    answers with its page, which goes on to the result."""
    check_csrf(request, csrf)
    analyst(user)
    at = busy_folder(request, token, user)
    cache = request.app.state.cache
    work = import_jobs.load(at, user.username, user.region_code, cache)
    return answer(request, submit(request, user, "import.load", work))


def busy_folder(request: Request, token: str, user: Scope) -> Path:
    """The upload's folder, claimed for a job that changes it (409 while another job is)."""
    at = uploads.folder(request.app.state.ws.path, token, user, change=True)
    if not import_jobs.claim(at, runner(request).name):
        raise ApiError(409, "this upload is being worked on: wait for its job", "upload_busy")
    return at


@router.get("/import/{token}/result", response_class=HTMLResponse)
def result(request: Request, token: str, user: User) -> Response:
    """What became of each file of a loaded upload: its batch, or why it was not loaded."""
    analyst(user)
    done = uploads.outcomes(uploads.folder(request.app.state.ws.path, token, user, done=True))
    failed = sum(not f["valid"] for f in done)
    return render(request, "import_result.html", user, files=done, failed=failed, sources=_titles())


@router.post("/import/{token}/cancel")
def cancel(request: Request, token: str, user: User, csrf: Annotated[str, Form()]) -> Response:
    check_csrf(request, csrf)
    analyst(user)
    shutil.rmtree(busy_folder(request, token, user))
    return RedirectResponse("/import", status_code=303)
