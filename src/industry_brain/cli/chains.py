"""`chains`: screen the region's industrial chains for supply risks (a stored run), list a
run's flags and a flagged input's backup suppliers, and keep the 对接 records."""

from __future__ import annotations

import json
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace
from industry_brain.engines import engine
from industry_brain.engines.chains.matches import STATUSES, record_match
from industry_brain.formats import num, pct

app = typer.Typer(help="Industrial chains: supply-risk screening and backup suppliers.")
KINDS = {"single_source": "单一来源", "outside_dependence": "省外依赖"}
KINDS |= {"critical_supplier": "关键供应商"}
MATCHES = {"same": "同准", "substitute": "降准"}
RunArgument = Annotated[int, typer.Argument(help="A chains run's id.")]


def _results(workspace: WorkspaceOption, run_id: int, table: str) -> pl.DataFrame:
    ws = open_workspace(workspace)
    t = ws.con.table(table)
    found = t.filter(t.run_id == run_id).drop("run_id").to_polars()
    ws.close()
    return found


def _echo(frame: pl.DataFrame) -> None:
    typer.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2, default=str))


@app.command("screen")
def screen(
    year: Annotated[int, typer.Option("--year", "-y", help="Year screened.")],
    spec: Annotated[str, typer.Option(help="A packaged method or a YAML file.")] = (
        "taizhou-supply-risk-2025"
    ),
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Screen the chains for a year and store the run (a draft)."""
    from industry_brain.runs.store import create_run

    chains = engine("chains")
    ws = open_workspace(workspace)
    run = create_run(ws.con, chains, chains.load_spec(spec), year, "cli")
    ws.close()
    segments = run.results["chain_segment"]
    if as_json:
        _echo(segments.with_columns(run_id=pl.lit(run.run_id)))
        return
    table = Table("产业链", "环节", "企业数", "产值（万元）", "增速", "风险企业", "断一家损失")
    for r in segments.iter_rows(named=True):
        growth = "—" if r["growth"] is None else pct(r["growth"])
        table.add_row(
            r["chain_name"], r["segment_name"], str(r["enterprises"]), num(r["output"]),
            growth, str(r["flagged"]), num(r["exposure_one"]),
        )  # fmt: skip
    Console().print(table)
    flags = run.results["chain_flag"]["kind"].value_counts(sort=True)
    found = "，".join(f"{KINDS[k]} {n}" for k, n in flags.iter_rows())
    Console().print(f"run {run.run_id} stored as a draft; flags: {found or 'none'}")


@app.command("flags")
def flags(
    run_id: RunArgument, workspace: WorkspaceOption = None, as_json: JsonOption = False
) -> None:
    """A run's flags: buyer, input class, kind, supplier and figure."""
    found = _results(workspace, run_id, "chain_flag")
    if as_json:
        _echo(found)
        return
    table = Table("采购企业", "投入品类", "风险", "供应商", "占比", "阈值")
    for r in found.iter_rows(named=True):
        table.add_row(
            r["buyer_uscc"], r["input_class"], KINDS[r["kind"]], r["supplier"] or "—",
            pct(r["figure"]), pct(r["threshold"]),
        )  # fmt: skip
    Console().print(table)


@app.command("backups")
def backups(
    run_id: RunArgument,
    buyer: Annotated[str, typer.Argument(help="The buyer's USCC.")],
    input_class: Annotated[str, typer.Argument(help="The input's GB/T 4754 class.")],
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """A flagged input's backup suppliers, in rank order, with what ranked them."""
    found = _results(workspace, run_id, "chain_backup")
    found = found.filter((pl.col("buyer_uscc") == buyer) & (pl.col("input_class") == input_class))
    if as_json:
        _echo(found)
        return
    table = Table(
        "名次", "候选供应商", "行业", "备份方式", "范围", "亩均档次", "产值（万元）", "现有客户"
    )
    for r in found.iter_rows(named=True):
        table.add_row(
            str(r["rank"]), r["candidate_name"], r["candidate_class"], MATCHES[r["match"]],
            "市内" if r["tier"] == "city" else "省内", r["grade"] or "—",
            num(r["output"]) if r["output"] is not None else "—", str(r["customers"]),
        )  # fmt: skip
    Console().print(table)


@app.command("match")
def match(
    buyer: Annotated[str, typer.Argument(help="The buyer's USCC.")],
    input_class: Annotated[str, typer.Argument(help="The input's GB/T 4754 class.")],
    candidate: Annotated[str, typer.Argument(help="The candidate supplier.")],
    status: Annotated[str, typer.Argument(help="One of " + ", ".join(STATUSES) + ".")],
    actor: Annotated[str, typer.Option("--as", help="Who records it.")],
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record how far a buyer and a backup candidate have got (对接)."""
    ws = open_workspace(workspace)
    record_match(ws.con, buyer, input_class, candidate, status, actor, note=note)
    ws.close()
    typer.echo(f"{buyer} / {input_class} / {candidate}: {STATUSES[status]}")
