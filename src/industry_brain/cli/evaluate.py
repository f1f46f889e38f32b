"""`evaluate permu` and `explain`: run the 亩均 evaluation; explain one enterprise's result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace, reading
from industry_brain.engines.permu.spec import GRADES, load_method, packaged_methods
from industry_brain.engines.permu.workbook import STATUS, grade_mix
from industry_brain.status import county_names

app = typer.Typer(help="Run an evaluation engine and store the run.", no_args_is_help=True)
SpecOption = Annotated[
    str,
    typer.Option(
        "--spec",
        help="Method spec: a packaged name (" + ", ".join(packaged_methods()) + ") or a YAML file.",
    ),
]
YearOption = Annotated[int, typer.Option("--year", "-y", help="Year evaluated.")]


def print_mix(console: Console, mix: pl.DataFrame, title: str) -> None:
    table = Table(
        "区县", "参评", *(f"{g}类" for g in GRADES), "免评", "暂缓评价", "不评价", title=title
    )
    for r in mix.iter_rows(named=True):
        grades = (f"{r[f'{g}类']} ({r[f'{g}类占比']:.0%})" for g in GRADES)
        table.add_row(
            r["区县"], str(r["参评"]), *grades, str(r["免评"]), str(r["暂缓评价"]), str(r["不评价"])
        )
    console.print(table)


@app.command("permu")
def permu(
    spec: SpecOption,
    year: YearOption,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """亩均效益综合评价: score, rank and grade every industrial enterprise; store the run (a
    draft: `runs move RUN submit|approve|publish --as USER` takes it to publication)."""
    from industry_brain.runs.permu import run_permu

    method = load_method(spec)
    ws = open_workspace(workspace)
    run = run_permu(ws.con, method, year)
    mix = grade_mix(run.scores, county_names(ws.con))
    if as_json:
        found = {"run_id": run.run_id, "result_sha256": run.result_sha256, "inputs": run.inputs}
        typer.echo(json.dumps(found | {"grade_mix": mix.to_dicts()}, ensure_ascii=False, indent=2))
        return
    console = Console()
    print_mix(console, mix, f"{method.title}（{year}年）各区县评价档次")
    console.print(
        f"run {run.run_id} stored as a draft (spec {method.sha256[:12]}, results "
        f"{run.result_sha256[:12]}, batches {run.inputs}); publish it with `runs move`"
    )


def explain(
    uscc: Annotated[str, typer.Argument(help="统一社会信用代码")],
    year: YearOption,
    spec: Annotated[str | None, typer.Option(help="Method spec name.")] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """An enterprise's 亩均 result, item by item against its benchmarks (latest stored run)."""
    with reading(workspace) as read:
        found = read("explain", uscc=uscc, year=year, spec=spec)
    lines = found.pop("items")
    if as_json:
        found.pop("method_title")
        typer.echo(json.dumps(found | {"items": lines}, ensure_ascii=False, indent=2, default=str))
        return
    console = Console()
    console.print(f"[bold]{found['name']}[/] {found['uscc']} — {year}年 {found['method_title']}")
    if found["status"] != "evaluated":
        console.print(f"{STATUS[found['status']]}：{found['reason']}")
        return
    table = Table(
        "指标", "本企业", "基准值", "权重", "得分", title=f"得分明细（run {found['run_id']}）"
    )
    for x in lines:
        value = "—（无数据）" if x["value"] is None else f"{x['value']:,.4g} {x['unit']}"
        table.add_row(
            x["title"], value, f"{x['benchmark']:,.4g}", f"{x['weight']:g}", f"{x['score']:.2f}"
        )
    console.print(table)
    console.print(
        f"综合得分 {found['total']:.2f}，{found['group']}组第 {found['rank']} 名 / "
        f"{found['group_size']}，评价档次 [bold]{found['grade']}[/]"
    )
    if found.get("override"):
        console.print(f"申诉复核：{found['override']}")


HEADERS = {"status_label": "状态", "before": "调整前", "after": "调整后", "changed": "变化"}


@app.command("whatif")
def whatif(
    spec: SpecOption,
    run: Annotated[int, typer.Option("--run", help="The stored run to compare with.")],
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Impact of a changed spec against a stored run of any engine with what-if: for 亩均, who
    would change grade; for plan monitoring (a plan name or file), which indicators' status or
    verdict. Nothing is stored."""
    given = str(Path(spec).resolve()) if spec.endswith((".yaml", ".yml")) else spec
    with reading(workspace) as read:
        result = read("whatif", spec=given, run=run)
    summary, changes = result["summary"], result["changes"]
    if as_json:
        found = {"run": run, "engine": result["engine"], "spec": result["spec"]}
        found |= {"summary": summary, "changes": changes}
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    console = Console()
    title = f"调整影响（{result['spec']} 对比 run {run}）"
    if result["engine"] != "permu":  # the engine's own summary, as it gives it
        heads = [HEADERS.get(c, c) for c in (summary[0] if summary else ["—"])]
        table = Table(*heads, title=title)
        for r in summary:
            table.add_row(*("—" if v is None else str(v) for v in r.values()))
        console.print(table)
        console.print(f"{len(changes)} results change; --json lists them")
        return
    counties = result["counties"]
    permu_heads = ("区县", "排序组", "参评", "档次变化", "上调", "下调", "新纳入", "不再参评")
    table = Table(*permu_heads, title=title)
    for r in [r for r in summary if r["changed"] or r["entered"] or r["left"]]:
        counts = (r[k] for k in ("evaluated", "changed", "up", "down", "entered", "left"))
        table.add_row(counties.get(r["county"], r["county"]), r["group"] or "—", *map(str, counts))
    console.print(table)
    console.print(f"{len(changes)} enterprises change grade or status; --json lists them")
