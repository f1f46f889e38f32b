"""规划监测 in the browser: the plans a user's region can see (packaged plans inside it and the
plans its regions imported), a plan's monitoring table for a year (plan and year chosen on the
page, every column and footnote explained), and importing a plan's indicator table from Excel.

An import is checked before anything is stored: the uploaded sheet is read
(engines/progress/plan_table.py) into a draft kept under `<workspace>/plan_imports/<token>/`
for its uploader, shown as a preview listing what each row was read as and every cell that could
not be read (row, cell, code, Chinese message). Confirming writes the plan once to
`<workspace>/plans/<name>.yaml` (never overwritten: a name always means one table) and audits it
(`plan.import`). A county imports its own county's plans; a city or province analyst any plan
of a region inside theirs. Drafts nobody confirmed within a day are cleared."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from industry_brain.engines.progress.catalog import (
    PLAN_NAME,
    imported_dir,
    is_imported,
    load_plan,
    plan_names,
)
from industry_brain.engines.progress.method import STATUS_LABELS
from industry_brain.engines.progress.monitor import STAGE_LABELS, rollup
from industry_brain.engines.progress.plan_table import read_table
from industry_brain.reference.regions import regions
from industry_brain.warehouse.audit import record
from industry_brain.web import api, queries
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError, read_limited
from industry_brain.web.names import region_name
from industry_brain.web.pages import render
from industry_brain.web.params import MaybeYear
from industry_brain.web.scope import Scope
from industry_brain.web.threads import writer
from industry_brain.web.uploads import safe_name

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
DRAFTS = "plan_imports"
KEPT_SECONDS = 24 * 3600
SUFFIXES = (".xlsx", ".xls")
TITLE_MAX = 80
STATUS_MEANINGS = {
    "achieved": "实际值已达到目标（逐年考核的目标须到目标年份才计为已达标）",
    "on_track": "R ≥ {on_track:g}：按目前速度可如期完成",
    "needs_acceleration": "{needs_acceleration:g} ≤ R < {on_track:g}：方向正确但速度不够，需加快",
    "limited": "{limited:g} ≤ R < {needs_acceleration:g}：进展明显慢于要求",
    "deterioration": "R < {limited:g}：朝目标的反方向变化",
    "not_assessable": "缺少实际值或基期值，或为排名、定性、待上级下达的目标，原因见“说明”",
}


def _plan_name(plan: str) -> str:
    if not PLAN_NAME.fullmatch(plan):
        raise ApiError(404, f"unknown plan {plan[:80]!r}", "unknown_plan")
    return plan


def visible_plans(request: Request, user: Scope) -> list[dict[str, Any]]:
    """The plans the user may open: those of a region inside theirs, packaged then imported."""
    ws_path = request.app.state.workspace
    found = []
    for name in plan_names(ws_path):
        plan = load_plan(name, ws_path)
        if user.allows_region(plan.region_code):
            found.append(
                {"name": name, "title": plan.title, "region_code": plan.region_code}
                | {"base_year": plan.base_year, "target_year": plan.target_year}
                | {"indicators": len(plan.indicators), "imported": is_imported(name, ws_path)}
            )
    return found


@router.get("/monitoring", response_class=HTMLResponse)
def plans_page(request: Request, user: User, plan: str = "") -> Response:
    """The plans the user's region can see, each with its region, period and a link; with
    `plan` (the plan picker of a plan's page), that plan's page."""
    analyst(user)
    plans = visible_plans(request, user)
    if plan:
        if plan not in {p["name"] for p in plans}:
            raise ApiError(404, f"no plan {plan[:80]!r} in your region", "unknown_plan")
        return RedirectResponse(f"/monitoring/{plan}", status_code=303)
    return render(request, "plans.html", user, plans=plans)


def footnotes(rows: list[dict[str, Any]], plan: Any) -> list[str]:
    """A 注 line for every marker the table shows: * on a baseline, [ ] and 力争 on a target,
    and the plan's own notes that the rows do not already explain."""
    notes = []
    starred = sorted({r["baseline_year"] for r in rows if "*" in (r["baseline"] or "")})
    if starred:
        years = "、".join(f"{y}年" for y in starred if y)
        notes.append(
            f"* 基期值为{years}数值（规划编制时{plan.base_year}年数据尚未公布），进度从该年起算。"
        )
    if any((r["target"] or "").lstrip().startswith(("[", "［", "【")) for r in rows):
        notes.append("[ ] 内为规划期内累计数（如“[15]”为五年累计下降或增长15%）。")
    if any("力争" in (r["target"] or "") for r in rows):
        notes.append("（力争…）为力争值：进度按目标值评估，力争值仅供参考。")
    notes += [n for n in plan.notes if not (starred and n.lstrip().startswith("*"))]
    return notes


@router.get("/monitoring/import", response_class=HTMLResponse)
def import_form(request: Request, user: User) -> Response:
    """The form: an Excel sheet shaped like the plans' 表1, the plan's title, region and years."""
    analyst(user)
    return render(request, "plan_import.html", user, **_form_context(user))


def _form_context(user: Scope, **given: Any) -> dict[str, Any]:
    mine = regions().get(user.region_code)
    choices = [mine, *regions().descendants(user.region_code)]
    year = dt.date.today().year
    defaults = {"title": "", "region": user.region_code, "base_year": 2020, "target_year": 2025}
    return {
        "regions": [(r.code, r.name) for r in choices],
        "form": defaults | {k: v for k, v in given.items() if v not in (None, "")},
        "errors": [],
        "year_range": (2000, year + 20),
    }


def drafts_root(ws_path: Path) -> Path:
    return ws_path / DRAFTS


def _draft_folder(ws_path: Path, token: str, user: Scope) -> Path:
    """The draft's folder, for its uploader only (404 for anyone else, and once confirmed or
    cleared)."""
    if not (token.isascii() and token.isalnum() and len(token) <= 64):
        raise ApiError(404, "no such plan import")
    found = drafts_root(ws_path) / token
    if not (found / "draft.json").is_file():
        raise ApiError(404, "no such plan import (stored, or older than a day)")
    owner = json.loads((found / "owner.json").read_text("utf-8"))
    if owner["username"] != user.username:
        raise ApiError(404, "no such plan import")
    return found


def clear_old_drafts(ws_path: Path, now: float | None = None) -> int:
    limit = (now or time.time()) - KEPT_SECONDS
    gone = 0
    for owner in drafts_root(ws_path).glob("*/owner.json"):
        if owner.stat().st_mtime < limit:
            shutil.rmtree(owner.parent, ignore_errors=True)
            gone += 1
    return gone


def _free_name(ws_path: Path, region: str, base: int, target: int) -> str:
    taken = set(plan_names(ws_path))
    stem = f"{region}-{base}-{target}"
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}"
    return name


def _check_fields(
    user: Scope, title: str, region: str, base_year: str, target_year: str
) -> tuple[list[str], int, int]:
    """The form's own errors (Chinese); a region outside the user's is refused (403)."""
    errors = []
    if not re.fullmatch(r"\d{6}", region) or region not in regions():
        raise ApiError(422, f"unknown region {region[:20]!r}")
    if not user.allows_region(region):
        raise ApiError(
            403,
            f"{user.username} ({user.region_code}) may not import a plan of {region}: "
            "a plan is imported by its own region or a region above it",
        )
    if not title or len(title) > TITLE_MAX or not title.isprintable():
        errors.append(f"规划名称须为1至{TITLE_MAX}个字符")
    years = []
    for label, text in (("基期年份", base_year), ("目标年份", target_year)):
        ok = text.strip().isdigit() and 2000 <= int(text) <= 2100
        years.append(int(text) if ok else 0)
        if not ok:
            errors.append(f"{label}须为2000至2100之间的年份")
    if all(years) and years[1] <= years[0]:
        errors.append("目标年份须晚于基期年份")
    return errors, years[0], years[1]


@router.post("/monitoring/import")
async def import_upload(
    request: Request, user: User, file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()], title: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "", base_year: Annotated[str, Form()] = "",
    target_year: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Read the uploaded table into a draft (nothing is stored as a plan yet) and go to its
    preview; form errors answer the form again with what to correct."""
    check_csrf(request, csrf)
    analyst(user)
    title, region = title.strip(), (region.strip() or user.region_code)
    errors, base, target = _check_fields(user, title, region, base_year, target_year)
    name = safe_name(file.filename, "plan.xlsx")
    if not name.lower().endswith(SUFFIXES):
        errors.append("请上传 Excel 表格（.xlsx 或 .xls）")
    if errors:
        context = _form_context(user, title=title, region=region, base_year=base_year)
        context["form"]["target_year"] = target_year or context["form"]["target_year"]
        context["errors"] = errors
        response = render(request, "plan_import.html", user, **context)
        response.status_code = 422
        return response
    ws = request.app.state.ws
    data = await read_limited(file, ws.settings["max_upload_mb"], name)
    token = await run_in_threadpool(_draft, ws, user, data, name, title, region, base, target)
    return RedirectResponse(f"/monitoring/import/{token}", status_code=303)


def _draft(
    ws: Any, user: Scope, data: bytes, file: str, title: str, region: str, base: int, target: int
) -> str:
    """Read the upload and keep the draft (the file itself is not kept); its token."""
    clear_old_drafts(ws.path)
    token = secrets.token_hex(12)
    at = drafts_root(ws.path) / token
    at.mkdir(parents=True)
    owner = {"username": user.username, "region": user.region_code}
    (at / "owner.json").write_text(json.dumps(owner, ensure_ascii=False), "utf-8")
    try:
        path = at / f"upload{Path(file).suffix.lower()}"
        path.write_bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        name = _free_name(ws.path, region, base, target)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        header = (
            f"{title}: imported by {user.username} ({user.region_code}) on {stamp}\n"
            f"from {file} (sha256 {sha256}) through the browser (web/plans.py)"
        )
        table, text = read_table(
            path, name=name, title=title, region_code=region, issuer=region_name(region),
            base_year=base, target_year=target, file=file, header=header,
            max_unpacked_mb=ws.settings["max_unpacked_mb"],
        )  # fmt: skip
        path.unlink()
        draft = {"name": name, "title": title, "region": region, "base_year": base}
        draft |= {"target_year": target, "file": file, "sha256": sha256, "sheet": table.sheet}
        rows = [vars(r) | {"problems": [vars(p) for p in r.problems]} for r in table.rows]
        draft |= {"rows": rows}
        draft |= {"problems": [vars(p) for p in table.problems], "yaml": text}
        (at / "draft.json").write_text(json.dumps(draft, ensure_ascii=False), "utf-8")
    except BaseException:
        shutil.rmtree(at, ignore_errors=True)
        raise
    return token


@router.get("/monitoring/import/{token}", response_class=HTMLResponse)
def import_preview(request: Request, token: str, user: User) -> Response:
    """What each row was read as, and every cell that could not be read."""
    analyst(user)
    at = _draft_folder(request.app.state.workspace, token, user)
    draft = json.loads((at / "draft.json").read_text("utf-8"))
    computed = sum(1 for r in draft["rows"] if r["indicator"] and r["indicator"]["formula"])
    return render(
        request, "plan_import_preview.html", user, token=token, draft=draft, computed=computed
    )


@router.post("/monitoring/import/{token}")
def import_confirm(
    request: Request, token: str, user: User, csrf: Annotated[str, Form()]
) -> Response:
    """Store the previewed plan (only when every row was read), audited; then open it."""
    check_csrf(request, csrf)
    analyst(user)
    ws_path: Path = request.app.state.workspace
    at = _draft_folder(ws_path, token, user)
    draft = json.loads((at / "draft.json").read_text("utf-8"))
    if draft["problems"] or not draft["yaml"]:
        raise ApiError(409, "the table has cells that could not be read: nothing to store")
    if not user.allows_region(draft["region"]):
        raise ApiError(403, f"may not import a plan of {draft['region']}")
    name = draft["name"]
    folder = imported_dir(ws_path)
    folder.mkdir(parents=True, exist_ok=True)
    with writer(request):
        if name in plan_names(ws_path):
            raise ApiError(409, f"a plan named {name} exists already: upload the table again")
        with (folder / f"{name}.yaml").open("x", encoding="utf-8") as out:
            out.write(draft["yaml"])
        try:
            load_plan(name, ws_path)
            record(
                request.app.state.con, user.username, "plan.import", "plan", name,
                draft["region"], title=draft["title"], file=draft["file"],
                sha256=draft["sha256"], indicators=len(draft["rows"]),
            )  # fmt: skip
        except BaseException:
            (folder / f"{name}.yaml").unlink(missing_ok=True)
            raise
    shutil.rmtree(at, ignore_errors=True)
    request.app.state.cache.invalidate(user.username)
    return RedirectResponse(f"/monitoring/{name}?imported=1", status_code=303)


@router.get("/monitoring/{plan}", response_class=HTMLResponse)
def monitoring(
    request: Request, plan: str, user: User, year: MaybeYear = None, imported: bool = False
) -> Response:
    """A plan's monitoring table for a year (the years with data; default the latest), with
    the plan and year chosen on the page and every column and footnote explained."""
    workspace = request.app.state.workspace
    found = load_plan(_plan_name(plan), workspace)  # UnknownPlan: 404
    api.region_in_scope(request, user, found.region_code)
    ws_path = workspace if is_imported(found.plan, workspace) else None  # the cache's key
    years = read(request, queries.monitoring_years, found.plan, ws_path)
    latest = years[-1] if years else None
    chosen = year if year in years else (latest or read(request, queries.latest_year))
    chosen = chosen or found.base_year
    m, series = read(request, queries.monitoring, found.plan, chosen, ws_path)
    rows = m.rows()
    total = rollup(m.assessments, m.stage)[-1]
    context: dict[str, Any] = {"plan": found, "m": m, "rows": rows, "year": chosen}
    context |= {"years": years, "asked": year, "series": series, "total": total}
    context |= {"stage": STAGE_LABELS[m.stage], "statuses": STATUS_LABELS}
    limits = m.method.model_dump()
    context |= {"meanings": {k: v.format(**limits) for k, v in STATUS_MEANINGS.items()}}
    context |= {"footnotes": footnotes(rows, found), "plans": visible_plans(request, user)}
    context |= {"imported": ws_path is not None, "just_imported": imported}
    return render(request, "monitoring.html", user, **context)
