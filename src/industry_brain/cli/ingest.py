"""`ingest` and `validate`: department files into the warehouse, or a dry run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace
from industry_brain.cli.render import render_report
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.report import IngestReport
from industry_brain.ingest.spec import SOURCES, SpecError, load_spec

Files = Annotated[list[Path], typer.Argument(help="Department files (xlsx, csv, parquet).")]
Source = Annotated[str, typer.Option("--source", "-s", help=f"One of: {', '.join(SOURCES)}.")]
Year = Annotated[int | None, typer.Option("--year", "-y", help="Year, when the file has none.")]
Sheet = Annotated[
    str | None,
    typer.Option("--sheet", help="Sheet name (default: the first sheet with a matching header)."),
]


def _run(
    files: list[Path],
    source: str,
    year: int | None,
    sheet: str | None,
    workspace: Path | None,
    as_json: bool,
    dry_run: bool,
) -> None:
    try:
        load_spec(source)
    except SpecError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    ws = open_workspace(workspace)
    console = Console(stderr=as_json)
    reports: list[IngestReport] = []
    with Progress(console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task("ingesting" if not dry_run else "validating", total=len(files))
        for path in files:
            bar.update(task, description=f"{'validating' if dry_run else 'ingesting'} {path.name}")
            reports.append(ingest_file(ws, path, source, year, sheet, dry_run=dry_run))
            bar.advance(task)
    if as_json:
        typer.echo(
            json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2, default=str)
        )
    else:
        for report in reports:
            render_report(console, report)
    ws.close()
    if not all(r.valid for r in reports):
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
    _run(files, source, year, sheet, workspace, as_json, dry_run=False)


def validate(
    files: Files,
    source: Source,
    year: Year = None,
    sheet: Sheet = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Dry run: report what ingest would load and reject, without changing anything."""
    _run(files, source, year, sheet, workspace, as_json, dry_run=True)
