"""`audit verify`: check the audit log's hash chain; exits 1 when an entry was changed,
removed or reordered outside the platform."""

from __future__ import annotations

import json

import typer

from industry_brain.cli.options import JsonOption, WorkspaceOption, reading

app = typer.Typer(help="The audit log.", no_args_is_help=True)


@app.command("verify")
def verify(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Recompute the audit log's hash chain and report the first entry that does not match."""
    with reading(workspace) as read:
        report = read("audit-verify")
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    elif report["intact"]:
        typer.echo(f"操作日志完整：{report['entries']} 条，哈希链校验通过")
    else:
        typer.echo(
            f"操作日志被改动：第 {report['broken_at']} 条起不可信（{report['reason']}）；"
            f"共 {report['entries']} 条已检查",
            err=True,
        )
    if not report["intact"]:
        raise typer.Exit(1)
