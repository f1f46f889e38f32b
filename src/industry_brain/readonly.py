"""What the read-only commands ask of a workspace, answered as plain JSON data.

The command line asks these questions of its own connection (`cli/access.py`) or, while
`industry-brain serve` holds the DuckDB file, of the server's local bridge (`web/bridge.py`):
the same functions answer in both places and every answer is passed through JSON, so a command
prints exactly the same thing either way. Nothing here writes to the warehouse; a workbook
(`monitor`) comes back as bytes for the command line to write where it was asked to.
"""

from __future__ import annotations

import base64
import json
import stat
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from industry_brain.errors import BrainError
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.workspace import Workspace

SERVER_FILE = "server.json"  # <workspace>/server.json, written by `serve` (cli/serving.py)
TOKEN_HEADER = "X-Workspace-Token"
BRIDGE_PREFIX = "/api/cli"

Reader = Callable[..., Any]
READERS: dict[str, Reader] = {}


class Refusal(Exception):
    """A command's own error (unknown run, not a file, …): printed to stderr as it is, and the
    command exits with `exit_code`, wherever the question was answered. A BrainError raised by
    a reader is said by cli/errors.py here, and by the bridge as a refusal (its `line()`)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


def plain(value: Any) -> Any:
    """The value as JSON gives it back (dates as text, tuples as lists): what both sides see."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _reader(name: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        READERS[name] = fn
        return fn

    return register


def regular_file(path: str, shown: str) -> Path:
    """The path of a regular file, or a refusal (a directory, a device or a pipe is not read)."""
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        raise Refusal(f"error: {shown}: no such file", 2) from None
    if not stat.S_ISREG(mode):
        raise Refusal(f"error: {shown}: not a regular file", 2)
    return Path(path)


@_reader("status")
def status(ws: Workspace) -> dict[str, Any]:
    from industry_brain.status import enterprises_by_county, loaded_batches

    batches, counts = loaded_batches(ws.con), enterprises_by_county(ws.con)
    return plain({"batches": batches.to_dicts(), "enterprises": counts.to_dicts()})


@_reader("audit-verify")
def audit_verify(ws: Workspace) -> dict[str, Any]:
    from industry_brain.warehouse.audit_chain import verify

    report = verify(ws.con)
    return plain(asdict(report) | {"intact": report.intact})


@_reader("validate")
def validate(
    ws: Workspace,
    path: str,
    shown: str,
    source: str,
    year: int | None = None,
    sheet: str | None = None,
) -> dict[str, Any]:
    """A dry run of one file, read from `path` (absolute); the report names it as `shown`, the
    path as it was typed."""
    from industry_brain.ingest.load import ingest_file

    if not Path(path).is_absolute():
        raise Refusal(f"error: {shown}: not an absolute path", 2)
    report = ingest_file(ws, regular_file(path, shown), source, year, sheet, dry_run=True)
    report.file = shown
    for e in report.errors:
        e.file = shown
    result: dict[str, Any] = plain(report.to_dict())
    return result


@_reader("explain")
def explain(ws: Workspace, uscc: str, year: int, spec: str | None = None) -> dict[str, Any]:
    from industry_brain.runs.explain import explanation

    found = explanation(ws.con, uscc.strip().upper(), year, spec)  # StoredMethodError: exit 2
    if found is None:
        raise Refusal(f"no stored 亩均 run for {uscc} in {year}; run `evaluate permu` first", 1)
    result: dict[str, Any] = plain(found)
    return result


def _run_engine(con: Warehouse, run: int) -> str:
    from industry_brain.runs.store import run_row

    return str(run_row(con, run)["engine"])


def _spec_for(ws: Workspace, run: int, spec: str) -> Any:
    """`spec` (a packaged name or an absolute YAML path) as the engine of run `run` reads it."""
    from industry_brain.engines import engine

    try:
        return engine(_run_engine(ws.con, run)).load_spec(spec)  # errors: any BrainError
    except OSError as exc:
        raise Refusal(f"error: {exc}", 2) from None


@_reader("whatif")
def whatif(ws: Workspace, spec: str, run: int) -> dict[str, Any]:
    """What `spec` (a packaged name or an absolute YAML path) would change against run `run`."""
    from industry_brain.runs.whatif import what_if
    from industry_brain.status import county_names

    given = _spec_for(ws, run, spec)
    try:
        result = what_if(ws.con, run, given)
    except ValueError as exc:
        if isinstance(exc, BrainError):
            raise
        raise Refusal(f"error: {exc}", 2) from None
    found: dict[str, Any] = {"engine": _run_engine(ws.con, run), "spec": given.name}
    found |= {"summary": result.summary.to_dicts(), "changes": result.changes.to_dicts()}
    return plain(found | {"counties": county_names(ws.con)})


@_reader("appeal-list")
def appeal_list(ws: Workspace, year: int) -> list[dict[str, Any]]:
    from industry_brain.engines.permu.corrections import overrides

    result: list[dict[str, Any]] = plain(overrides(ws.con, year).to_dicts())
    return result


@_reader("user-list")
def user_list(ws: Workspace, region: str | None = None) -> list[dict[str, Any]]:
    """The web users inside a region (every user for None); no password hashes."""
    from industry_brain.reference.regions import normalise_code, regions
    from industry_brain.web.accounts import accounts

    code = normalise_code(region) if region is not None else None
    if code is not None and code not in regions():
        raise Refusal(f"错误：未知地区代码 {region}", 2)
    result: list[dict[str, Any]] = plain(accounts(ws.con, code))
    return result


def monitoring_view(m: Any) -> dict[str, Any]:
    """What the monitoring table shows: title, stage, rows, roll-up and remarks."""
    from industry_brain.engines.progress.monitor import STAGE_LABELS

    title = f"{m.plan.title} — {m.year}年{STAGE_LABELS[m.stage]}"
    view = {"title": title, "stage": m.stage, "rows": m.rows(), "rollup": m.rollup()}
    return plain(view | {"notes": list(m.notes)})


@_reader("monitor")
def monitor(
    ws: Workspace, plan: str, year: int, stage: str | None = None, method: str | None = None
) -> dict[str, Any]:
    """The plan's monitoring table, and its workbook as base64 (written by the caller)."""
    from industry_brain.engines.progress.actuals import plan_actuals
    from industry_brain.engines.progress.catalog import load_plan
    from industry_brain.engines.progress.method import load_method
    from industry_brain.engines.progress.monitor import monitor as run_monitor
    from industry_brain.engines.progress.workbook import write_monitoring

    try:
        found = load_plan(plan)
        settings = load_method(Path(method) if method else None)
    except OSError as exc:  # PlanError, MethodError: said like any BrainError
        raise Refusal(f"error: {exc}", 2) from None
    if stage not in (None, "monitoring", "midterm", "final"):
        raise Refusal(f"error: unknown stage {stage!r} (monitoring, midterm, final)", 2)
    actuals = plan_actuals(ws.con, found)
    m = run_monitor(ws.con, found, year, stage, settings, actuals)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        path = write_monitoring(Path(tmp) / "monitoring.xlsx", m, actuals.series)
        workbook = base64.b64encode(path.read_bytes()).decode("ascii")
    return monitoring_view(m) | {"workbook": workbook}
