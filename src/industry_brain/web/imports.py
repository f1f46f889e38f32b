"""Importing department files in the browser: upload, the guessed source with its confidence,
the validation report (filter by error code or column; download it as Excel to send back to the
department), then load or cancel. An analyst loads the enterprises of their own region: rows of
others are rejected (R216) and reported like any other error. Header mappings, which change how
every later file is read, are saved at city level or above."""

from __future__ import annotations

import logging
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from industry_brain.ingest.guess import guess_source
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.mappings import all_mappings
from industry_brain.ingest.spec import SOURCES, load_spec
from industry_brain.web import uploads
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError, read_limited
from industry_brain.web.pages import render
from industry_brain.web.params import Index
from industry_brain.web.reading import READING_TITLES
from industry_brain.web.scope import Scope
from industry_brain.xlsx import new_workbook, write_rows

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
ERROR_COLUMNS = {"code": "错误代码", "title": "错误", "sheet": "工作表", "row": "行"}
ERROR_COLUMNS |= {"column_label": "列", "column": "表头", "value": "值", "message_zh": "说明"}
log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
async def import_form(request: Request, user: User) -> Response:
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
    """Save the files, guess or take the source, validate (nothing is loaded yet)."""
    check_csrf(request, csrf)
    analyst(user)
    if source != "auto" and source not in SOURCES:
        raise ApiError(422, f"unknown source {source!r}")
    ws = request.app.state.ws
    uploads.clear_old(ws.path)
    at = uploads.create(ws.path, user)
    try:
        items = [await _received(ws, at, i, f, source, year, user) for i, f in enumerate(files)]
    except BaseException:
        shutil.rmtree(at)  # a refused upload leaves nothing behind
        raise
    uploads.save(at, items)
    return RedirectResponse(f"/import/{at.name}", status_code=303)


async def _received(
    ws: Any, at: Path, i: int, upload_file: UploadFile, source: str, year: str, user: Scope
) -> dict[str, Any]:
    """One uploaded file saved, its source guessed (unless given) and validated."""
    name = uploads.safe_name(upload_file.filename, f"file{i}")
    path = at / str(i) / name  # a folder per file: the file keeps its own name in reports
    path.parent.mkdir()
    path.write_bytes(await read_limited(upload_file, ws.settings["max_upload_mb"], name))
    limit = ws.settings["max_unpacked_mb"]
    guesses = await run_in_threadpool(guess_source, path, limit)
    chosen = source if source != "auto" else (guesses[0].source if guesses else SOURCES[0])
    given = int(year) if year.strip().isdigit() else None
    item: dict[str, Any] = {"name": name, "path": f"{i}/{name}", "source": chosen, "year": given}
    item |= {"region": user.region_code, "guesses": [asdict(g) for g in guesses[:3]]}
    return await uploads.off_loop(uploads.validated, ws, at, item)


@router.get("/import/{token}", response_class=HTMLResponse)
async def review(
    request: Request, token: str, user: User, code: str = "", column: str = ""
) -> Response:
    """The validation report of each uploaded file, errors filtered by code and column."""
    analyst(user)
    items = uploads.pending(uploads.folder(request.app.state.ws.path, token, user))
    for item in items:
        item["shown"] = [
            e for e in item["report"]["errors"]
            if (not code or e["code"] == code) and (not column or e["column_label"] == column)
        ][:500]  # fmt: skip
    sources = _titles()
    context = {"token": token, "files": items, "code": code, "column": column, "sources": sources}
    context |= READING_TITLES
    return render(request, "import_review.html", user, may_map=user.role != "county", **context)


@router.get("/import/{token}/{index}/errors.xlsx")
async def errors_workbook(request: Request, token: str, index: Index, user: User) -> Response:
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
async def load(request: Request, token: str, user: User, csrf: Annotated[str, Form()]) -> Response:
    """Load every valid file as one batch each (a file with file-level errors is not loaded),
    rows outside the user's region rejected; each load is audited with the user's name."""
    check_csrf(request, csrf)
    analyst(user)
    ws = request.app.state.ws
    at = uploads.folder(ws.path, token, user, change=True)
    done = [_load_one(ws, at, item, user) for item in uploads.pending(at)]
    request.app.state.cache.invalidate()
    uploads.finish(at, done)
    return RedirectResponse(f"/import/{token}/result", status_code=303)


def _load_one(ws: Any, at: Path, item: dict[str, Any], user: Scope) -> dict[str, Any]:
    """Load one file; what became of it (a file that fails changes nothing)."""
    path, source, year = at / item["path"], item["source"], item["year"]
    try:
        report = ingest_file(
            ws, path, source, year, loaded_by=user.username, region=user.region_code
        )
    except Exception:  # the batch's transaction was rolled back: say so, keep the others
        log.exception("loading %s failed", path)
        return uploads.outcome(item, {"status": "error", "valid": False, "errors": []})
    return uploads.outcome(item, report.to_dict())


@router.get("/import/{token}/result", response_class=HTMLResponse)
async def result(request: Request, token: str, user: User) -> Response:
    """What became of each file of a loaded upload: its batch, or why it was not loaded."""
    analyst(user)
    done = uploads.outcomes(uploads.folder(request.app.state.ws.path, token, user, done=True))
    failed = sum(not f["valid"] for f in done)
    return render(request, "import_result.html", user, files=done, failed=failed, sources=_titles())


@router.post("/import/{token}/cancel")
async def cancel(
    request: Request, token: str, user: User, csrf: Annotated[str, Form()]
) -> Response:
    check_csrf(request, csrf)
    analyst(user)
    shutil.rmtree(uploads.folder(request.app.state.ws.path, token, user, change=True))
    return RedirectResponse("/import", status_code=303)
