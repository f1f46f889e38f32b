"""The engine contract: the registry, the tables an engine may read, and runs of the plan
monitoring engine stored, read back, explained and published like 亩均 runs."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from industry_brain.cli import app
from industry_brain.engines import UnknownEngine, engine, registry
from industry_brain.engines.base import Tables, UndeclaredTable
from industry_brain.engines.progress.spec import monitoring_spec, read_spec, spec_text
from industry_brain.reports.publish import publications
from industry_brain.runs.store import changed_since, create_run, load_run
from industry_brain.runs.workflow import Actor, move
from industry_brain.web.users import add_user

runner = CliRunner()
PLAN = "taizhou-14th-fyp"


def test_the_registry_finds_every_engine_folder():
    assert {"permu", "progress"} <= set(registry())
    with pytest.raises(UnknownEngine, match="permu"):
        engine("permuu")


def test_an_engine_reads_only_the_tables_it_declares(workspace):
    tables = Tables(workspace.con.table, ["enterprise"])
    assert tables["enterprise"].count().to_pyarrow().as_py() == 0
    with pytest.raises(UndeclaredTable):
        tables.table("app_user")


def test_every_result_table_exists_in_a_new_workspace(workspace):
    present = set(workspace.con.list_tables())
    for found in registry().values():
        assert {r.name for r in found.results} <= present, found.name
        assert set(found.reads) <= present, found.name


def test_a_monitoring_spec_round_trips_through_its_stored_text():
    spec = monitoring_spec(PLAN)
    again = read_spec(spec_text(spec), "stored")
    assert again.sha256 == spec.sha256 and again.plan.plan == PLAN
    assert len(again.plan.indicators) == len(spec.plan.indicators)


def test_a_monitoring_run_is_stored_read_back_and_explained(workspace):
    con, progress = workspace.con, engine("progress")
    run = create_run(con, progress, monitoring_spec(PLAN), 2022, "analyst")
    status = run.results["progress_status"]
    assert status.height == len(run.spec.plan.indicators) and status["seq"].to_list()[0] == 1
    back = load_run(con, run.run_id)
    assert back.spec.sha256 == run.spec.sha256 and back.engine is progress
    for name, frame in run.results.items():
        assert back.results[name].height == frame.height, name
    assert back.results["progress_status"]["indicator"].to_list() == status["indicator"].to_list()
    first = status.row(0, named=True)
    explained = progress.explain(con, run.run_id, back.spec, first["indicator"])
    assert explained is not None and explained["status"] == first["status"]
    assert progress.explain(con, run.run_id, back.spec, "no-such-indicator") is None
    again = create_run(con, progress, monitoring_spec(PLAN), 2022)
    assert again.result_sha256 == run.result_sha256  # same data and spec: same results


def test_entered_figures_make_a_monitoring_run_stale(workspace, tmp_path):
    """Figures entered for the plan after a run are a batch the run did not rest on."""
    from industry_brain.engines.progress.catalog import load_plan
    from industry_brain.engines.progress.entry import import_entries

    from helpers import write_xlsx

    con = workspace.con
    run = create_run(con, engine("progress"), monitoring_spec(PLAN), 2022)
    assert changed_since(con, run.run_id) is None
    indicator = load_plan(PLAN).indicators[-1].id
    rows = [["指标", "年份", "数值", "来源"], [indicator, 2022, 1.0, "统计公报"]]
    report = import_entries(workspace, write_xlsx(tmp_path / "f.xlsx", rows), load_plan(PLAN))
    assert report.status == "loaded", report.errors
    assert "changed since" in (changed_since(con, run.run_id) or "")


def test_a_monitoring_run_is_published_through_the_workflow_at_the_command_line(workspace):
    con, root = workspace.con, str(workspace.path)
    add_user(con, "city", "correct horse battery", "city", "331000")
    add_user(con, "province", "correct horse battery", "province", "330000")
    made = runner.invoke(app, ["evaluate", "progress", "--plan", PLAN, "-y", "2022", "-w", root])
    assert made.exit_code == 0, made.output
    run_id = int(con.table("run").run_id.max().to_pyarrow().as_py())
    early = runner.invoke(app, ["runs", "move", str(run_id), "publish", "--as", "city", "-w", root])
    assert early.exit_code == 2 and "approve" in early.output  # draft: not yet
    move(con, run_id, "submit", Actor("city", "331000"))
    move(con, run_id, "approve", Actor("province", "330000"))
    done = runner.invoke(app, ["runs", "move", str(run_id), "publish", "--as", "city", "-w", root])
    assert done.exit_code == 0, done.output
    [pub] = publications(con, run_id)
    assert pub["name"] == "table" and (workspace.path / pub["path"]).is_file()
    listed = runner.invoke(app, ["runs", "list", "-w", root, "--json"])
    assert '"state": "published"' in listed.stdout and '"engine": "progress"' in listed.stdout
