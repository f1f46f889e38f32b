"""`status`: what is loaded, by source and year, and enterprises by year and county."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, reading


def status(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Show loaded batches and enterprise counts by year and county."""
    with reading(workspace) as read:
        found = read("status")
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    batches, counts = found["batches"], found["enterprises"]
    console = Console()
    console.print(f"workspace {read.path}")
    table = Table("source", "year", "batches", "rows loaded", "rows rejected", title="已加载批次")
    for r in batches:
        table.add_row(
            r["source"],
            str(r["year"] or "—"),
            str(r["batches"]),
            str(r["rows_loaded"]),
            str(r["rows_rejected"]),
        )
    console.print(table)
    if not counts:
        console.print("no enterprise data loaded yet")
        return
    years = sorted({c.split("_")[0] for c in counts[0] if c[:4].isdigit()})
    table = Table("区县", *(f"{y} 规上/规下" for y in years), title="企业数（按年度、区县）")
    for r in counts:
        table.add_row(r["county"], *(f"{r[f'{y}_above']}/{r[f'{y}_below']}" for y in years))
    console.print(table)
