"""`evaluate progress` stores a plan-monitoring run; `runs list` and `runs move` take any
engine's runs through the approval workflow, publishing through reports/ (one way for CLI and
web)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace

app = typer.Typer(help="Stored runs of every engine: list them, move them through approval.")


def progress(
    plan: Annotated[str, typer.Option("--plan", help="A packaged plan or a plan YAML file.")],
    year: Annotated[int, typer.Option("--year", "-y", help="Monitoring year.")],
    stage: Annotated[str | None, typer.Option(help="monitoring, midterm or final.")] = None,
    method: Annotated[Path | None, typer.Option(help="YAML of the method's thresholds.")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Plan monitoring stored as a run (a draft), with the plan's full target table."""
    from industry_brain.engines import engine
    from industry_brain.engines.progress.method import MethodError, load_method
    from industry_brain.engines.progress.spec import monitoring_spec
    from industry_brain.runs.store import create_run

    if stage not in (None, "monitoring", "midterm", "final"):
        typer.echo(f"error: unknown stage {stage!r} (monitoring, midterm, final)", err=True)
        raise typer.Exit(2)
    try:
        spec = monitoring_spec(plan, load_method(method), stage)  # type: ignore[arg-type]
    except (MethodError, ValueError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    ws = open_workspace(workspace)
    run = create_run(ws.con, engine("progress"), spec, year)
    status = run.results["progress_status"]
    counts = status.group_by("status_label").len().sort("status_label").rows()
    if as_json:
        found = {"run_id": run.run_id, "result_sha256": run.result_sha256, "inputs": run.inputs}
        typer.echo(json.dumps(found | {"status": dict(counts)}, ensure_ascii=False, indent=2))
        return
    text = "，".join(f"{label} {n}" for label, n in counts)
    Console().print(f"run {run.run_id} stored as a draft: {status.height} 项指标（{text}）")


@app.command("list")
def list_runs(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Every stored run, newest first, with its engine, spec, year and state."""
    from industry_brain.runs.workflow import STATES, states
    from industry_brain.warehouse import fetch

    ws = open_workspace(workspace)
    sql = "SELECT run_id, engine, spec_name, year, region_code FROM run ORDER BY run_id DESC"
    moved = states(ws.con)
    rows = [r | {"state": moved.get(r["run_id"], "draft")} for r in fetch(ws.con, sql, [])]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("run", "engine", "spec", "year", "region", "state", title="stored runs")
    for r in rows:
        cells = [r["run_id"], r["engine"], r["spec_name"], r["year"], r["region_code"]]
        table.add_row(*map(str, cells), STATES[r["state"]])
    Console().print(table)


@app.command("move")
def move_run(
    run: Annotated[int, typer.Argument(help="Run id.")],
    action: Annotated[str, typer.Argument(help="submit, approve, reject or publish.")],
    actor: Annotated[str, typer.Option("--as", help="The user making the move.")],
    note: Annotated[str | None, typer.Option(help="Why (needed to send a run back).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Move a run through approval as a user; publishing writes and records its files."""
    from industry_brain.reports.publish import publish
    from industry_brain.runs.workflow import Actor, move
    from industry_brain.warehouse import fetch

    ws = open_workspace(workspace)
    found = fetch(ws.con, "SELECT region_code FROM app_user WHERE username = ?", [actor])
    if not found:
        typer.echo(f"error: no user {actor!r}", err=True)
        raise typer.Exit(2)
    who = Actor(actor, found[0]["region_code"])
    if action == "publish":  # refusals (WorkflowError) are answered by the CLI's one handler
        for f in publish(ws.con, ws.path, run, who):
            typer.echo(f"{f['title']}: {ws.path / f['path']} (sha256 {f['sha256'][:12]})")
        return
    typer.echo(f"run {run}: {move(ws.con, run, action, who, note)}")
