"""`appeal add` and `appeal list`: overrides of an enterprise's figure or grade (audit kept)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace, reading
from industry_brain.engines.permu.overrides import add_override

app = typer.Typer(
    help="Appeals: corrected figures or grades, applied by the next run.", no_args_is_help=True
)
Year = Annotated[int, typer.Option("--year", "-y", help="Year of the result appealed.")]


@app.command("add")
def add(
    uscc: Annotated[str, typer.Argument(help="统一社会信用代码")],
    year: Year,
    reason: Annotated[str, typer.Option(help="Why (shown in the explanation).")],
    author: Annotated[str, typer.Option(help="Who decided.")],
    field: Annotated[str | None, typer.Option(help="Figure corrected, e.g. tax_paid.")] = None,
    value: Annotated[float | None, typer.Option(help="Corrected value (canonical unit).")] = None,
    grade: Annotated[str | None, typer.Option(help="Grade decided on review.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record an override; the next `evaluate permu` applies it and `explain` shows it."""
    ws = open_workspace(workspace)
    new_id = add_override(ws.con, year, uscc.strip().upper(), reason, author, field, value, grade)
    typer.echo(f"override #{new_id} recorded; it applies from the next run")


@app.command("list")
def list_(year: Year, workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """The overrides of a year, oldest first."""
    with reading(workspace) as read:
        found = read("appeal-list", year=year)
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(
        "#", "统一社会信用代码", "内容", "理由", "经办人", "时间", title=f"{year}年申诉复核记录"
    )
    for r in found:
        what = f"{r['field']} = {r['value']}" if r["kind"] == "figure" else f"档次 {r['grade']}"
        table.add_row(
            str(r["override_id"]),
            r["uscc"],
            what,
            r["reason"],
            r["author"],
            f"{datetime.fromisoformat(r['created_at']):%Y-%m-%d %H:%M}",
        )
    Console().print(table)
