"""`demo`, the main job: synthetic city → ingest → published figures → 亩均 → plan monitoring."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from industry_brain.cli.evaluate import print_mix
from industry_brain.cli.monitor import print_monitoring
from industry_brain.cli.options import WorkspaceOption, open_workspace
from industry_brain.cli.render import render_report
from industry_brain.cli.serve import DEMO_USER, demo_account
from industry_brain.cli.synth import write_with_progress
from industry_brain.engines import engine
from industry_brain.engines.permu.publish import write_lists
from industry_brain.engines.permu.spec import load_method
from industry_brain.engines.permu.workbook import grade_mix
from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.engines.progress.entry import import_entries
from industry_brain.engines.progress.monitor import monitor
from industry_brain.engines.progress.spec import monitoring_spec
from industry_brain.engines.progress.workbook import write_monitoring
from industry_brain.figures import TAIZHOU_2020, TITLES, city_figures
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.report import IngestReport
from industry_brain.readonly import monitoring_view
from industry_brain.runs.permu import run_permu
from industry_brain.runs.store import create_run, load_run
from industry_brain.status import county_names, enterprises_by_county

ORDER = ["register", "statistics", "tax", "land", "electricity", "emissions", "trade"]
DEMO_METHOD = "taizhou-city-2022"
DEMO_PLAN = "taizhou-14th-fyp"
DEMO_CHAINS = "taizhou-supply-risk-2025"


def _manifest(inbox: Path, seed: int, scale: float, console: Console) -> dict[str, Any]:
    path = inbox / "manifest.json"
    if path.is_file():
        manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
        if manifest.get("seed") == seed and manifest.get("scale") == scale:
            return manifest
        shutil.rmtree(inbox)
    write_with_progress(inbox, seed, scale, None, console=console)
    result: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return result


def _ingest_all(
    ws: Any, inbox: Path, files: list[dict[str, Any]], console: Console
) -> list[IngestReport]:
    ordered = sorted(
        (f for f in files if f["source"] in ORDER),
        key=lambda f: (f.get("year") or 0, ORDER.index(f["source"])),
    )
    reports = []
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("ingesting", total=len(ordered))
        for f in ordered:
            bar.update(task, description=f"ingesting {f['path']}")
            reports.append(ingest_file(ws, inbox / f["path"], f["source"], f.get("year")))
            bar.advance(task)
    return reports


def _print_counts(console: Console, ws: Any) -> None:
    counts = enterprises_by_county(ws.con)
    years = sorted({c.split("_")[0] for c in counts.columns if c[:4].isdigit()})
    table = Table("区县", *(f"{y}\n规上/规下" for y in years), title="工业企业数（按区县）")
    for r in counts.iter_rows(named=True):
        table.add_row(r["county"], *(f"{r[f'{y}_above']}/{r[f'{y}_below']}" for y in years))
    console.print(table)


def _print_figures(console: Console, ws: Any, scale: float) -> None:
    ours = city_figures(ws.con, 2020, "331000")
    title = "台州市 2020 年规上工业：合成数据 vs 公布值" + (
        f"（规模 ×{scale:g}）" if scale != 1 else ""
    )
    table = Table("指标", "合成数据", "公布值", "偏差", title=title)
    for key, published in TAIZHOU_2020.items():
        value, target = ours[key], published * scale if key == "output" else published
        unit = 1e4 if key == "output" else 1.0  # 万元 → 亿元
        dev = f"{(value / target - 1):+.2%}" if value is not None else "—"
        shown = f"{value / unit:,.4g}" if value is not None else "—"
        table.add_row(TITLES[key], shown, f"{target / unit:,.4g}", dev)
    console.print(table)


def _evaluate(console: Console, ws: Any) -> None:
    """亩均 evaluation of the city (2022), stored as a run, with its workbook."""
    method = load_method(DEMO_METHOD)
    run = run_permu(ws.con, method, 2022)
    counties = county_names(ws.con)
    path = ws.path / "reports" / f"亩均评价_{method.name}_2022_草稿.xlsx"  # a draft's lists
    write_lists(ws.con, load_run(ws.con, run.run_id), path)
    print_mix(console, grade_mix(run.scores, counties), f"{method.title}：各区县评价档次")
    console.print(f"run {run.run_id} stored; workbook {path}")


def _monitor(console: Console, ws: Any, inbox: Path, manifest: dict[str, Any]) -> bool:
    """The Taizhou 十四五 monitoring table for the latest year, with the entered figures."""
    plan = load_plan(DEMO_PLAN)
    entered = [f for f in manifest["files"] if f["source"] == "plan_actuals"]
    reports = [import_entries(ws, inbox / f["path"], plan, "demo") for f in entered]
    for r in reports:
        if not r.valid:
            render_report(console, r)
    year = max(manifest["years"])
    actuals = plan_actuals(ws.con, plan)
    m = monitor(ws.con, plan, year, actuals=actuals)
    path = ws.path / "reports" / f"规划监测_{plan.plan}_{year}_{m.stage}.xlsx"
    write_monitoring(path, m, actuals.series)
    print_monitoring(console, monitoring_view(m))
    stored = create_run(ws.con, engine("progress"), monitoring_spec(DEMO_PLAN), year, "demo")
    console.print(f"workbook {path}; monitoring stored as run {stored.run_id} (a draft)")
    return all(r.valid for r in reports)


def _screen_chains(console: Console, ws: Any, manifest: dict[str, Any]) -> None:
    """Supply-risk screening of Taizhou's ten model chains for the latest year (a draft run)."""
    chains = engine("chains")
    year = max(manifest["years"])
    run = create_run(ws.con, chains, chains.load_spec(DEMO_CHAINS), year, "demo")
    flags = run.results["chain_flag"]
    console.print(
        f"产业链断供风险摸排 {year}: {flags.height} flags on "
        f"{flags['buyer_uscc'].n_unique()} enterprises; stored as run {run.run_id} (a draft)"
    )


def demo(
    workspace: WorkspaceOption = None,
    serve: Annotated[bool, typer.Option(help="End by serving the dashboard.")] = True,
    port: Annotated[int, typer.Option(help="Dashboard port.")] = 8000,
) -> None:
    """Build the demo workspace (synthetic Taizhou, ingested, evaluated, monitored); serve it."""
    ws = open_workspace(workspace)
    console = Console()
    seed, scale = int(ws.settings["demo_seed"]), float(ws.settings["demo_scale"])
    inbox = ws.path / "inbox"
    manifest = _manifest(inbox, seed, scale, console)
    shutil.copyfile(inbox / "parks.yaml", ws.parks_file)
    reports = _ingest_all(ws, inbox, manifest["files"], console)
    loaded = sum(r.status == "loaded" for r in reports)
    unchanged = sum(r.status == "unchanged" for r in reports)
    failed = [r for r in reports if not r.valid]
    console.print(
        f"workspace {ws.path}: {len(reports)} files — {loaded} loaded, "
        f"{unchanged} unchanged, {len(failed)} failed"
    )
    for r in failed:
        console.print(f"[red]failed[/] {r.file}: {r.error_counts}")
    _print_counts(console, ws)
    _print_figures(console, ws, scale)
    _evaluate(console, ws)
    monitored = _monitor(console, ws, inbox, manifest)
    _screen_chains(console, ws, manifest)
    if failed or not monitored:
        ws.close()
        raise typer.Exit(1)
    if serve:
        _serve(console, ws, port)
    ws.close()


def _serve(console: Console, ws: Any, port: int) -> None:
    from industry_brain.cli.serving import serve
    from industry_brain.engines.permu import warm
    from industry_brain.web.app import create_app

    password = demo_account(ws.con)
    warm.start(ws.con)
    console.print(
        f"[bold]驾驶舱[/] http://127.0.0.1:{port}/  — 演示账号 [bold]{DEMO_USER}[/]，"
        f"密码 [bold]{password}[/]（市级分析员，台州市）。Ctrl+C 退出。"
    )
    serve(create_app(ws), ws.path, "127.0.0.1", port)
