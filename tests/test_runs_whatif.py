"""What-if through the engine contract: the monitoring engine's what-if names exactly the
indicators whose status or verdict a changed spec changes (checked against the engine's own
evaluation of that spec), and the same spec changes nothing."""

from __future__ import annotations

import pytest

from industry_brain.engines import engine
from industry_brain.engines.base import NotSupported
from industry_brain.engines.progress.spec import monitoring_spec
from industry_brain.runs.store import create_run, evaluate
from industry_brain.runs.whatif import compare_runs, what_if

PLAN = "taizhou-14th-fyp"


@pytest.fixture(scope="module")
def monitored(plan_city):
    con = plan_city.ws.con
    return con, create_run(con, engine("progress"), monitoring_spec(PLAN, stage="midterm"), 2022)


def test_the_same_spec_changes_nothing(monitored):
    con, run = monitored
    same = what_if(con, run.run_id, run.spec)
    n = run.results["progress_status"].height
    assert same.changes.height == 0
    assert same.summary["before"].to_list() == same.summary["after"].to_list()
    assert same.summary["before"].sum() == n


def test_a_changed_stage_names_exactly_the_indicators_it_changes(monitored):
    con, run = monitored
    final = monitoring_spec(PLAN, stage="final")
    result = what_if(con, run.run_id, final)
    direct = evaluate(con, engine("progress"), final, 2022)["progress_status"]
    before = run.results["progress_status"]
    expected = {
        b["indicator"]
        for b, a in zip(before.iter_rows(named=True), direct.iter_rows(named=True), strict=True)
        if (b["status"], b["verdict_key"]) != (a["status"], a["verdict_key"])
    }
    assert expected  # a final assessment judges differently from a midterm one
    assert set(result.changes["indicator"]) == expected
    after = direct.group_by("status_label").len()
    counted = dict(zip(result.summary["status_label"], result.summary["after"], strict=True))
    assert counted == dict(zip(after["status_label"], after["len"], strict=True))


def test_runs_of_different_engines_are_not_compared(monitored, plan_city):
    from industry_brain.engines.permu.spec import load_method
    from industry_brain.runs.permu import run_permu

    con, run = monitored
    other = run_permu(con, load_method("taizhou-huangyan-2022"), 2022).run_id
    with pytest.raises(NotSupported, match="different engines"):
        compare_runs(con, other, run.run_id)


def test_the_command_line_what_if_works_for_a_monitoring_run(monitored, plan_city):
    import json

    from typer.testing import CliRunner

    from industry_brain.cli import app

    _, run = monitored
    root = str(plan_city.ws.path)
    args = ["evaluate", "whatif", "--spec", PLAN, "--run", str(run.run_id), "-w", root]
    done = CliRunner().invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    found = json.loads(done.stdout)
    assert (found["engine"], found["spec"]) == ("progress", PLAN)
    assert sum(r["after"] for r in found["summary"]) == run.results["progress_status"].height
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0 and "调整前" in shown.stdout
