"""`monitor`: a plan's monitoring table for a year; `actuals`: import entered plan actuals."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace, reading
from industry_brain.cli.render import render_report
from industry_brain.engines.progress.assess import fmt_number
from industry_brain.engines.progress.catalog import load_plan, plan_names
from industry_brain.engines.progress.method import STATUS_LABELS, load_method

PlanOption = Annotated[str, typer.Option("--plan", help="Plan: " + ", ".join(plan_names()) + ".")]
STATUS_STYLE = {
    "achieved": "green",
    "on_track": "green",
    "needs_acceleration": "yellow",
    "limited": "dark_orange",
    "deterioration": "red",
    "not_assessable": "dim",
}


def _plan(name: str) -> Any:
    return load_plan(name)


def print_monitoring(console: Console, m: dict[str, Any]) -> None:
    """The table by category (a section per 一级指标), then the roll-up and the remarks; `m` is
    what `readonly.monitoring_view` gives."""
    final = m["stage"] == "final"
    table = Table(title=m["title"])
    table.add_column("指标", min_width=18, overflow="fold")
    for name in ("基期", "目标", "实际值", "R", "状态", *(["结论"] if final else []), "说明"):
        table.add_column(name, overflow="fold")
    category = None
    for r in m["rows"]:
        if r["category"] != category:
            category = r["category"]
            table.add_section()
            table.add_row(f"[bold]{category}[/]")
        actual = (
            "—"
            if r["actual"] is None
            else f"{fmt_number(r['actual'])}（{r['actual_year']}，{r['origin']}）"
        )
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        status = f"[{STATUS_STYLE[r['status']]}]{r['status_label']}[/]"
        name = f"{r['name']}（{r['unit']}）" if r["unit"] else r["name"]
        cells = [name, r["baseline"] or "—", r["target"], actual, ratio, status]
        table.add_row(*cells, *([r["verdict"] or ""] if final else []), r["reason"] or r["notes"])
    console.print(table)
    total = m["rollup"][-1]
    counts = "，".join(f"{STATUS_LABELS[k]} {total[k]}" for k in STATUS_LABELS if total[k])
    console.print(f"合计 {total['indicators']} 项指标：{counts}")
    for note in m["notes"]:
        console.print(f"[dim]注：{note}[/]")


def monitor(
    plan: PlanOption,
    year: Annotated[int, typer.Option("--year", "-y", help="Monitoring year.")],
    stage: Annotated[
        str | None,
        typer.Option(help="monitoring, midterm or final (default: from the year)."),
    ] = None,
    method: Annotated[
        Path | None, typer.Option(help="YAML file changing the method's thresholds.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Workbook path (default: <workspace>/reports/…).")
    ] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Plan monitoring: each target's actual, progress status and (at the end) verdict."""
    found = _plan(plan)
    if stage not in (None, "monitoring", "midterm", "final"):
        typer.echo(f"error: unknown stage {stage!r} (monitoring, midterm, final)", err=True)
        raise typer.Exit(2)
    load_method(method)
    given = str(method.resolve()) if method is not None else None
    with reading(workspace) as read:
        m = read("monitor", plan=plan, year=year, stage=stage, method=given)
    path = out or read.path / "reports" / f"规划监测_{found.plan}_{year}_{m['stage']}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(m.pop("workbook")))
    if as_json:
        data = {"plan": found.plan, "year": year, "stage": m["stage"], "workbook": str(path)}
        data |= {"rows": m["rows"], "rollup": m["rollup"], "notes": m["notes"]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console()
    print_monitoring(console, m)
    console.print(f"工作簿：{path}")


def actuals(
    files: Annotated[list[Path], typer.Argument(help="Excel or CSV files of entered actuals.")],
    plan: PlanOption,
    by: Annotated[str | None, typer.Option(help="Who enters the figures.")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import entered plan actuals (指标, 年份, 数值, 来源[, 地区, 备注]); all or nothing."""
    from industry_brain.engines.progress.entry import import_entries

    found = _plan(plan)
    ws = open_workspace(workspace)
    reports = [import_entries(ws, f, found, by) for f in files]
    if as_json:
        typer.echo(
            json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2, default=str)
        )
    else:
        console = Console()
        for r in reports:
            render_report(console, r)
    if not all(r.valid for r in reports):
        raise typer.Exit(1)
