"""`ingest` and `validate`: department files into the warehouse, or a dry run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace, reading
from industry_brain.cli.render import render_report, report_from_dict
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.spec import SOURCES, load_spec
from industry_brain.readonly import Refusal, regular_file

Files = Annotated[list[Path], typer.Argument(help="Department files (xlsx, csv, parquet).")]
Source = Annotated[str, typer.Option("--source", "-s", help=f"One of: {', '.join(SOURCES)}.")]
Year = Annotated[int | None, typer.Option("--year", "-y", help="Year, when the file has none.")]
Sheet = Annotated[
    str | None,
    typer.Option("--sheet", help="Sheet name (default: the first sheet with a matching header)."),
]


def _check(files: list[Path], source: str) -> None:
    """Exit 2 on an unknown source or a path that is not a regular file."""
    try:
        load_spec(source)
        for path in files:
            regular_file(str(path), str(path))
    except Refusal as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(exc.exit_code) from None


def _print(reports: list[dict[str, Any]], console: Console, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(reports, ensure_ascii=False, indent=2, default=str))
    else:
        for report in reports:
            render_report(console, report_from_dict(report))
    if not all(r["valid"] for r in reports):
        raise typer.Exit(1)


def ingest(
    files: Files,
    source: Source,
    year: Year = None,
    sheet: Sheet = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Validate and load department files, each as one batch (all or nothing)."""
    _check(files, source)
    ws = open_workspace(workspace)
    console = Console(stderr=as_json)
    reports: list[dict[str, Any]] = []
    with Progress(console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task("ingesting", total=len(files))
        for path in files:
            bar.update(task, description=f"ingesting {path.name}")
            reports.append(ingest_file(ws, path, source, year, sheet).to_dict())
            bar.advance(task)
    ws.close()
    _print(reports, console, as_json)


def validate(
    files: Files,
    source: Source,
    year: Year = None,
    sheet: Sheet = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Dry run: report what ingest would load and reject, without changing anything."""
    _check(files, source)
    console = Console(stderr=as_json)
    reports: list[dict[str, Any]] = []
    bar = Progress(console=console, transient=True, disable=as_json)
    with reading(workspace) as read, bar:
        task = bar.add_task("validating", total=len(files))
        for path in files:
            bar.update(task, description=f"validating {path.name}")
            where = {"path": str(path.resolve()), "shown": str(path)}
            reports.append(read("validate", **where, source=source, year=year, sheet=sheet))
            bar.advance(task)
    _print(reports, console, as_json)
