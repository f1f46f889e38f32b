"""Importing department files in the browser: upload, the guessed source with its confidence,
the validation report (filter by error code or column; download it as Excel to send back to the
department), then load or cancel. Uploads wait in `<workspace>/uploads/<token>/` until then."""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from industry_brain.ingest.guess import guess_source
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.mappings import MappingError, save_mapping
from industry_brain.ingest.spec import SOURCES, load_spec
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.errors import ApiError
from industry_brain.web.pages import render
from industry_brain.web.scope import Scope
from industry_brain.xlsx import new_workbook, write_rows

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
ERROR_COLUMNS = {"code": "错误代码", "title": "错误", "sheet": "工作表", "row": "行"}
ERROR_COLUMNS |= {"column_label": "列", "column": "表头", "value": "值", "message": "说明"}


def _folder(request: Request, token: str) -> Path:
    if not token.isalnum():
        raise ApiError(404, "no such upload")
    folder: Path = request.app.state.workspace / "uploads" / token
    if not (folder / "pending.json").is_file():
        raise ApiError(404, "no such upload (loaded, cancelled or expired)")
    return folder


def _pending(folder: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads((folder / "pending.json").read_text("utf-8"))
    return found


def _check(request: Request, user: Scope, csrf: str) -> None:
    check_csrf(request, csrf)
    analyst(user)


@router.get("/import", response_class=HTMLResponse)
async def import_form(request: Request, user: User) -> Response:
    analyst(user)
    sources = {s: load_spec(s).title for s in SOURCES}
    return render(request, "import.html", user, sources=sources)


@router.post("/import")
async def upload(
    request: Request,
    user: User,
    files: Annotated[list[UploadFile], File()],
    csrf: Annotated[str, Form()],
    source: Annotated[str, Form()] = "auto",
    year: Annotated[str, Form()] = "",
) -> Response:
    """Save the files, guess or take the source, validate (nothing is loaded yet)."""
    _check(request, user, csrf)
    if source != "auto" and source not in SOURCES:
        raise ApiError(422, f"unknown source {source!r}")
    token = secrets.token_hex(12)
    folder = request.app.state.workspace / "uploads" / token
    folder.mkdir(parents=True)
    pending = []
    for i, upload_file in enumerate(files):
        name = Path(upload_file.filename or f"file{i}").name
        path = folder / f"{i}_{name}"
        path.write_bytes(await upload_file.read())
        guesses = guess_source(path)
        chosen = source if source != "auto" else (guesses[0].source if guesses else SOURCES[0])
        given_year = int(year) if year.strip().isdigit() else None
        item = {"name": name, "path": path.name, "source": chosen, "year": given_year}
        item |= {"guesses": [asdict(g) for g in guesses[:3]]}
        pending.append(_validated(request, folder, item))
    (folder / "pending.json").write_text(json.dumps(pending, ensure_ascii=False, default=str))
    return RedirectResponse(f"/import/{token}", status_code=303)


def _validated(request: Request, folder: Path, item: dict[str, Any]) -> dict[str, Any]:
    """The item with its (dry-run) report and the source's fields, for the mapping form."""
    path = folder / item["path"]
    report = ingest_file(request.app.state.ws, path, item["source"], item["year"], dry_run=True)
    spec = load_spec(item["source"])
    fields = {f.name: f.title for f in spec.fields}
    return item | {"report": report.to_dict(), "fields": fields}


@router.post("/import/{token}/mapping")
async def mapping(
    request: Request, token: str, user: User, csrf: Annotated[str, Form()],
    source: Annotated[str, Form()], header: Annotated[str, Form()], field: Annotated[str, Form()],
) -> Response:  # fmt: skip
    """Save a header mapping for a department's new header variant, then validate again."""
    _check(request, user, csrf)
    folder = _folder(request, token)
    try:
        save_mapping(request.app.state.con, source, header, field, user.username)
    except MappingError as exc:
        raise ApiError(422, str(exc)) from None
    pending = [_validated(request, folder, item) for item in _pending(folder)]
    (folder / "pending.json").write_text(json.dumps(pending, ensure_ascii=False, default=str))
    request.app.state.cache.invalidate()
    return RedirectResponse(f"/import/{token}", status_code=303)


@router.get("/import/{token}", response_class=HTMLResponse)
async def review(
    request: Request, token: str, user: User, code: str = "", column: str = ""
) -> Response:
    """The validation report of each uploaded file, errors filtered by code and column."""
    analyst(user)
    pending = _pending(_folder(request, token))
    for item in pending:
        errors = item["report"]["errors"]
        item["shown"] = [
            e for e in errors
            if (not code or e["code"] == code) and (not column or e["column_label"] == column)
        ][:500]  # fmt: skip
    context = {"token": token, "files": pending, "code": code, "column": column}
    return render(request, "import_review.html", user, **context)


@router.get("/import/{token}/{index}/errors.xlsx")
async def errors_workbook(request: Request, token: str, index: int, user: User) -> Response:
    """The file's errors as Excel, to send back to the department."""
    analyst(user)
    folder = _folder(request, token)
    item = _pending(folder)[index]
    path = folder / f"errors_{index}.xlsx"
    wb, bold = new_workbook(path, f"数据校验问题 {item['name']}")
    rows = [[e.get(k) for k in ERROR_COLUMNS] for e in item["report"]["errors"]]
    write_rows(wb.add_worksheet("校验问题"), list(ERROR_COLUMNS.values()), rows, bold)
    wb.close()
    data = path.read_bytes()
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {"content-disposition": f'attachment; filename="errors_{index}.xlsx"'}
    return Response(data, media_type=media, headers=headers)


@router.post("/import/{token}/load")
async def load(request: Request, token: str, user: User, csrf: Annotated[str, Form()]) -> Response:
    """Load every valid file as one batch each (a file with file-level errors is not loaded)."""
    _check(request, user, csrf)
    folder = _folder(request, token)
    for item in _pending(folder):
        path = folder / item["path"]
        ws = request.app.state.ws
        ingest_file(ws, path, item["source"], item["year"], loaded_by=user.username)
    request.app.state.cache.invalidate()
    shutil.rmtree(folder)
    return RedirectResponse("/batches", status_code=303)


@router.post("/import/{token}/cancel")
async def cancel(
    request: Request, token: str, user: User, csrf: Annotated[str, Form()]
) -> Response:
    _check(request, user, csrf)
    shutil.rmtree(_folder(request, token))
    return RedirectResponse("/import", status_code=303)
